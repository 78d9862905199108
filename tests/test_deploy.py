"""Production settings pass Django's deployment checklist and never relax MFA."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="young_in_progress.settings.production",
        DJANGO_SECRET_KEY="x7#k2!vQ9@pL4$wR8^zT1&yU6*bN3(mJ5)hG0-fD+sA=cX_eV~iO|",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=env.get("DATABASE_URL", "sqlite:////tmp/yip-deploy-check.sqlite3"),
    )
    env.update(extra)
    return env


def test_check_deploy_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_never_relaxes_mfa():
    code = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED, settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=production_env(STAFF_MFA_REQUIRED="0", DJANGO_DEBUG="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# --- The compose file's commands, run here outside Docker against PostgreSQL and Redis ---

COMPOSE = ROOT / "docker-compose.yml"


def compose_services() -> dict:
    import yaml

    return yaml.safe_load(COMPOSE.read_text())["services"]


def settings_schedule() -> dict:
    from django.conf import settings

    return settings.CELERY_BEAT_SCHEDULE


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_compose_file_runs_migrations_once_and_checks_every_portal_service():
    services = compose_services()
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert "migrate --noinput" not in " ".join(service["command"]), f"{name} migrates on start"
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["healthcheck"]["test"], name
        assert "media:/app/var/media" in service["volumes"], name


@pytest.fixture
def deploy_env(tmp_path):
    """Production settings on a database of their own (created empty) and a Redis db of their own."""
    import psycopg2

    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres") or not os.environ.get("REDIS_URL"):
        skip_or_fail("needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
    name = f"yip_deploy_{os.getpid()}"
    server = base.rsplit("/", 1)[0]
    admin = psycopg2.connect(f"{server}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    env = production_env(
        DATABASE_URL=f"{server}/{name}",
        REDIS_URL="redis://127.0.0.1:6379/11",
        DJANGO_SECURE_SSL_REDIRECT="1",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        PORT=str(free_port()),
        WEB_CONCURRENCY="1",
        HOSTNAME=f"deploy-test-{os.getpid()}",
    )
    yield env
    with admin.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def run_command(command, env, timeout=120) -> subprocess.CompletedProcess:
    # Compose's own interpolation: "$$" stands for a literal "$" left to the shell.
    command = [part.replace("$$", "$") for part in command]
    argv = command
    if argv[0] == "CMD":
        argv = argv[1:]
    elif argv[0] == "CMD-SHELL":
        argv = ["sh", "-c", argv[1]]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def start(command, env) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> str:
    import signal

    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, _ = process.communicate()
    return out


@pytest.mark.postgres
@pytest.mark.redis
def test_web_service_command_line_serves_a_healthy_portal(deploy_env):
    """migrate (one-off) → web (migrate --check, gunicorn's config) → its health check passes."""
    import time

    services = compose_services()
    web = services["web"]
    # Before the one-off migration, web refuses to start.
    refused = run_command(web["command"], deploy_env, timeout=60)
    assert refused.returncode != 0
    assert "unapplied migrations" in refused.stderr

    migrated = run_command(services["migrate"]["command"], deploy_env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    config = run_command(["gunicorn", "--check-config", "-c", "gunicorn.conf.py"], deploy_env)
    assert config.returncode == 0, config.stdout + config.stderr

    server = start(web["command"], deploy_env)
    try:
        health = None
        for _ in range(60):
            health = run_command(web["healthcheck"]["test"], deploy_env, timeout=30)
            if health.returncode == 0 or server.poll() is not None:
                break
            time.sleep(0.5)
        assert health.returncode == 0, (health.stdout + health.stderr)[-2000:]
    finally:
        log = stop(server)
    assert "Booting worker" in log


@pytest.mark.postgres
@pytest.mark.redis
def test_worker_and_beat_command_lines_pass_their_health_checks(deploy_env):
    import time

    import psycopg2

    services = compose_services()
    assert run_command(services["migrate"]["command"], deploy_env, timeout=300).returncode == 0
    beat_health = services["beat"]["healthcheck"]["test"]
    assert run_command(beat_health, deploy_env).returncode == 1  # beat never ran

    worker_command = services["worker"]["command"] + ["--hostname", f"celery@{deploy_env['HOSTNAME']}"]
    worker = start(worker_command, deploy_env)
    try:
        ping = None
        for _ in range(6):
            ping = run_command(services["worker"]["healthcheck"]["test"], deploy_env, timeout=60)
            if ping.returncode == 0 or worker.poll() is not None:
                break
            time.sleep(1)
        assert ping.returncode == 0, (ping.stdout + ping.stderr)[-2000:]
    finally:
        stop(worker)

    # Beat's first start registers the schedule; make it look as if beat had died two hours ago.
    beat = start(services["beat"]["command"], deploy_env)
    try:
        with psycopg2.connect(deploy_env["DATABASE_URL"]) as db, db.cursor() as cursor:
            for _ in range(60):
                cursor.execute("SELECT count(*) FROM django_celery_beat_periodictask WHERE enabled")
                if cursor.fetchone()[0] >= len(settings_schedule()) or beat.poll() is not None:
                    break
                time.sleep(0.5)
    finally:
        stop(beat)
    with psycopg2.connect(deploy_env["DATABASE_URL"]) as db, db.cursor() as cursor:
        cursor.execute("UPDATE django_celery_beat_periodictask SET last_run_at = now() - interval '2 hours'")
        assert cursor.rowcount >= len(settings_schedule())
    assert run_command(beat_health, deploy_env).returncode == 1  # a dead beat is unhealthy
    beat = start(services["beat"]["command"], deploy_env)
    try:
        health = None
        for _ in range(20):
            time.sleep(1)
            health = run_command(beat_health, deploy_env)
            if health.returncode == 0 or beat.poll() is not None:
                break
    finally:
        beat_log = stop(beat)
    assert health.returncode == 0, health.stderr + beat_log[-2000:]


def test_health_endpoint_reports_each_service_without_naming_hosts(client, db):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) == {
        "Database(alias='default')",
        "Cache(alias='default')",
        "Storage(alias='default')",
        "Broker()",
    }
    assert response["Cache-Control"].startswith("max-age=0")


def test_health_endpoint_fails_when_the_broker_is_down(client, db):
    from people.tests.test_outbox import celery_conf

    with celery_conf(broker_url="redis://127.0.0.1:1/0"):
        response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response.json()["Broker()"] != "OK"


def test_health_endpoint_answers_inside_a_running_event_loop(client, db):
    """Under an event loop already running in the thread (an ASGI server's, Playwright's in tests)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def probe():
        return client.get("/health/", HTTP_ACCEPT="application/json")

    # A thread of the test's own, whose loop runs while the page is asked for (this test's
    # thread may already run Playwright's loop, where asyncio.run() itself is refused).
    with ThreadPoolExecutor(max_workers=1) as pool:
        response = pool.submit(asyncio.run, probe()).result()
    assert response.status_code == 200
