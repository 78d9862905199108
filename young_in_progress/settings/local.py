"""Settings for `make run` on a developer's machine: SQLite and a file broker by default."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")

# The demo may skip MFA so that anyone can try the back office with the demo accounts.
# Set STAFF_MFA_REQUIRED=1 in .env to try the real flow locally.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)

# Mails are stored (see the Django admin, "Post Office") and printed to the console.
POST_OFFICE["BACKENDS"]["default"] = env(  # noqa: F405
    "EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
