"""
gunicorn's settings for the web service: https://docs.gunicorn.org/en/stable/settings.html

The address comes from gunicorn's own defaults: `0.0.0.0:$PORT` (PORT=8000 in the image), the
number of processes from WEB_CONCURRENCY; GUNICORN_CMD_ARGS overrides anything here.
"""

import os

wsgi_app = "young_in_progress.wsgi"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Behind a proxy that buffers slow clients: sync workers, a bounded request time.
timeout = 30
graceful_timeout = 20
accesslog = "-"
# The proxy in front (compose: whatever terminates TLS) sets X-Forwarded-*.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
