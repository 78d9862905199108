#!/usr/bin/env python
"""
How many PostgreSQL connections a server holds under a hostile load (issue 19).

    python bench/connections.py --server runserver    # what `make run` starts (local settings)
    python bench/connections.py --server gunicorn --workers 3   # production settings

Starts the server on the bench database (bench/generate.py), hammers the hub page and the slot
list with `wrk -t2 -c<connections>` for `--duration` seconds, and samples
`SELECT count(*) FROM pg_stat_activity WHERE datname = <the database>` every 0.1 s, before,
during and after the load. Prints the highest count against the budget: for runserver, the
threads must not keep connections (CONN_MAX_AGE=0, settings/local.py); for gunicorn, one
connection per sync worker (README.md, "Connections"); for runserver, 8 requests at a time.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import OUT_DIR, PROJECT_DIR, database_url, db_name, ensure_venv, portal_env  # noqa: E402

ensure_venv()

import psycopg2  # noqa: E402


def sample(url, name, stop, counts):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        while not stop.is_set():
            # Our own sampling connection is not counted.
            cur.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            counts.append((time.monotonic(), cur.fetchone()[0]))
            time.sleep(0.1)
    conn.close()


def start(args, url):
    OUT_DIR.mkdir(exist_ok=True)
    log = open(OUT_DIR / f"connections-{args.server}.log", "w")  # noqa: SIM115
    if args.server == "runserver":
        env = portal_env(url, "young_in_progress.settings.local")
        env.pop("CONN_MAX_AGE", None)
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"]
    else:
        env = portal_env(url, "bench.settings")
        collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
        subprocess.run(collect, cwd=PROJECT_DIR, env=env, check=True)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [gunicorn, "young_in_progress.wsgi:application", "--workers", str(args.workers)]
        command += ["--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"]
    proc = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.time() + 300  # a loaded machine imports slowly
    try:
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/hub-001/", timeout=5) as r:
                    if r.status == 200:
                        return proc
            except OSError:
                time.sleep(0.5)
    except BaseException:  # interrupted (SIGTERM, Ctrl-C): no server left behind
        os.killpg(proc.pid, signal.SIGTERM)
        raise
    os.killpg(proc.pid, signal.SIGTERM)
    sys.exit(f"the server did not answer; see {log.name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--scale", default="demo")
    parser.add_argument("--database-url")
    parser.add_argument("--server", choices=["runserver", "gunicorn"], default="runserver")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8208)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--budget", type=int, help="default: 8 (runserver) or --workers (gunicorn)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below
    url = database_url(args.scale, args.database_url)
    # runserver: YIP_MAX_CONCURRENT_REQUESTS (8, settings/local.py); gunicorn: a sync worker each.
    budget = args.budget or (8 if args.server == "runserver" else args.workers)

    proc = start(args, url)
    stop, counts = threading.Event(), []
    sampler = threading.Thread(target=sample, args=(url, db_name(url), stop, counts))
    sampler.start()
    try:
        time.sleep(1)
        began = time.monotonic()
        paths = ["/hub-001/", "/hub-001/prenota/1/?channel=hub", "/hub-002/"]
        wrk = ["wrk", "-t1", f"-c{args.connections // len(paths)}", f"-d{args.duration}s", "--timeout", "10s"]
        loads = [
            subprocess.Popen([*wrk, f"http://127.0.0.1:{args.port}{path}"], stdout=subprocess.PIPE, text=True)
            for path in paths
        ]
        outputs = [load.communicate()[0] for load in loads]
        ended = time.monotonic()
        time.sleep(3)
    finally:
        stop.set()
        sampler.join()
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group only
        proc.wait(timeout=20)
    during = [n for t, n in counts if began <= t <= ended]
    after = [n for t, n in counts if t > ended + 2]
    lines = [line for out in outputs for line in out.splitlines()]
    requests = sum(int(line.split()[0]) for line in lines if "requests in" in line)
    print(
        f"{args.server}{f' ({args.workers} workers)' if args.server == 'gunicorn' else ''}: "
        f"{requests} requests from {args.connections} concurrent clients in {args.duration} s; "
        f"PostgreSQL connections of the database: highest {max(during, default=0)} during the load, "
        f"{max(after, default=0)} after it; budget {budget}: "
        f"{'within it' if max(during, default=0) <= budget else 'OVER BUDGET'}"
    )
    return 0 if max(during, default=0) <= budget else 1


if __name__ == "__main__":
    sys.exit(main())
