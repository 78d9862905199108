#!/usr/bin/env bash
# `make run`: the portal on 127.0.0.1:8000 with a Celery worker and beat beside it, on the
# embedded default (SQLite, file broker under var/) unless DATABASE_URL / REDIS_URL say otherwise.
# Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST_PORT=${HOST_PORT:-127.0.0.1:8000}
mkdir -p var/celery/broker var/celery/processed var/celery/control var/log

# The first manage.py command creates var/secret_key (random, mode 600: settings/local.py);
# the web server and the worker started below read the same key.
$PY manage.py migrate --noinput
$PY manage.py seed_demo --if-empty
# The SPID/CIE relying party's federation entity (keys made on the first run, kept in the
# database); `make eid-federation` in another terminal starts the local test federation.
$PY manage.py eid_entity >/dev/null

worker_pid=""
stop() {
  [ -n "$worker_pid" ] && kill -TERM "$worker_pid" 2>/dev/null && wait "$worker_pid" 2>/dev/null
  exit 0
}
trap stop INT TERM EXIT

# One solo worker with an embedded beat (DatabaseScheduler): enough for a local portal.
.venv/bin/celery -A young_in_progress worker -B --pool solo --loglevel INFO \
  --schedule var/celery/beat-schedule >var/log/celery.log 2>&1 &
worker_pid=$!
echo "Celery worker + beat running (pid $worker_pid), log: var/log/celery.log"
echo "Young in Progress: http://$HOST_PORT/  (demo accounts: see README.md)"
$PY manage.py runserver "$HOST_PORT" --noreload
