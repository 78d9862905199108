"""Settings for `make run` on a developer's machine: SQLite and a file broker by default."""

from pathlib import Path

from young_in_progress.secret_key import local_secret_key

from .base import *  # noqa: F403
from .base import DATABASES, MIDDLEWARE, VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# `make run` serves with runserver, which starts a thread per request: a persistent connection
# (CONN_MAX_AGE) would stay open with each thread, and a burst of requests held 98 of
# PostgreSQL's 100 connections (issue 19). Here each request closes its own connection, and at
# most YIP_MAX_CONCURRENT_REQUESTS run at once (bench/connections.py measures it).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
YIP_MAX_CONCURRENT_REQUESTS = env.int("YIP_MAX_CONCURRENT_REQUESTS", default=8)
MIDDLEWARE = ["young_in_progress.middleware.ConcurrencyCapMiddleware", *MIDDLEWARE]
# No key is committed: DJANGO_SECRET_KEY if set, else a random one made on the first run and
# kept in var/secret_key (mode 600), so sessions survive a restart.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or local_secret_key(
    Path(env("DJANGO_SECRET_KEY_FILE", default=str(VAR_DIR / "secret_key")))
)

# The demo may skip MFA so that anyone can try the back office with the demo accounts.
# Set STAFF_MFA_REQUIRED=1 in .env to try the real flow locally.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)

# Mails are stored (see the Django admin, "Post Office") and printed to the console.
POST_OFFICE["BACKENDS"]["default"] = env(  # noqa: F405
    "EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)

# SPID and CIE against the local federation (`make eid-federation`, spid/localfed/): the buttons
# show at once; the sign-in works once that federation runs. Keys: `manage.py eid_entity`.
YIP_EID_ENABLED = env.bool("YIP_EID_ENABLED", default=True)
YIP_FISCAL_CODE_KEY = env("YIP_FISCAL_CODE_KEY", default="local-only-fiscal-code-key")
OIDCFED_DEFAULT_TRUST_ANCHOR = env("OIDCFED_DEFAULT_TRUST_ANCHOR", default="http://127.0.0.1:8100")
OIDCFED_TRUST_ANCHORS = [OIDCFED_DEFAULT_TRUST_ANCHOR]
OIDCFED_IDENTITY_PROVIDERS = {
    "spid": {
        env("OIDC_SPID_PROVIDER", default="http://127.0.0.1:8100/oidc/op"): OIDCFED_DEFAULT_TRUST_ANCHOR
    },
    "cie": {env("OIDC_CIE_PROVIDER", default="http://127.0.0.1:8102/oidc/op"): OIDCFED_DEFAULT_TRUST_ANCHOR},
}

# Webhooks may reach a receiver on this machine (production refuses private addresses).
YIP_WEBHOOK_ALLOW_PRIVATE = env.bool("YIP_WEBHOOK_ALLOW_PRIVATE", default=True)
