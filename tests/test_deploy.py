"""Production settings pass Django's deployment checklist and never relax MFA."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="young_in_progress.settings.production",
        DJANGO_SECRET_KEY="x7#k2!vQ9@pL4$wR8^zT1&yU6*bN3(mJ5)hG0-fD+sA=cX_eV~iO|",
        DJANGO_ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL=env.get("DATABASE_URL", "sqlite:////tmp/yip-deploy-check.sqlite3"),
        **extra,
    )
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
