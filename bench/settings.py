"""
Benchmark-only settings (bench/run.py): the production settings, served over plain HTTP on
127.0.0.1, with one more URL, /bench/hello/ (bench/urls.py). Never used by the portal itself.
"""

import os
from pathlib import Path

from young_in_progress.settings.production import *  # noqa: F403
from young_in_progress.settings.production import (
    CELERY_BROKER_TRANSPORT_OPTIONS,
    MIDDLEWARE,
    REDIS_URL,
)

OUT_DIR = Path(os.environ.get("BENCH_OUT_DIR", Path(__file__).resolve().parent / "out"))

ROOT_URLCONF = "bench.urls"

# Plain HTTP on 127.0.0.1: no redirect to HTTPS (DJANGO_SECURE_SSL_REDIRECT=0 does it too),
# no HSTS, and cookies without the Secure flag, so that a client over http:// sends them back.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# CSRF stays ON by default: the load scripts send a csrftoken cookie and the same value as
# csrfmiddlewaretoken (what a browser does). BENCH_CSRF=0 takes the middleware out instead.
if os.environ.get("BENCH_CSRF", "1") == "0":
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "django.middleware.csrf.CsrfViewMiddleware"]

# The booking POSTs measure the booking itself: thousands from 127.0.0.1 in a minute would
# otherwise meet the public forms' abuse limits (hubs/ratelimit.py) after the first few.
RATELIMIT_ENABLE = False
YIP_GUEST_HOLD_LIMITS = {"email": None, "ip": None}
# Likewise the REST API's calls per token (600 a minute): wrk makes thousands with one token.
YIP_API_RATE_LIMIT = (10**9, 60)

# collectstatic writes here (the manifest storage of production needs it), not into var/.
STATIC_ROOT = OUT_DIR / "static"

if not REDIS_URL:
    # The embedded file broker, kept inside bench/out: tasks queued by bookings pile up here
    # (no worker runs during the benchmark) and are deleted with bench/out.
    # Every folder of the embedded broker (data, processed, control…) moves to bench/out/celery/.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        key: str(OUT_DIR / "celery" / Path(value).name) if "folder" in key else value
        for key, value in CELERY_BROKER_TRANSPORT_OPTIONS.items()
    }
