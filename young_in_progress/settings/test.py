"""Settings for the test suite. DATABASE_URL / REDIS_URL, when set, point it at real services."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
STAFF_MFA_REQUIRED = True
# A test computes the code of the current 30-second step and sends it a moment later: accept the
# step before too, so a code made at second 29.9 still verifies at 30.1.
# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_TOTP_TOLERANCE = 1

# Files the tests store (PDF reports) go to a scratch folder, not the working tree's var/media.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "yip-test-media"

# Fast hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests get a private cache, whatever REDIS_URL says; tests that need Redis ask for it.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
YIP_PUBLIC_PAGE_CACHE = True  # one process: the private cache is shared by all it does

# Tasks run in-process, right when they are queued; tests of the real broker set it back.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

POST_OFFICE["BACKENDS"]["default"] = "django.core.mail.backends.locmem.EmailBackend"  # noqa: F405

# A fresh random directory per run would be cleaner, but the file broker is never used in tests
# (eager tasks); keep the path out of the working tree's var/ anyway.
TEST_REDIS_URL = env("REDIS_URL", default="")

# SPID and CIE (spid/): on, with a fixed key for the fiscal codes' hash and the package's demo
# provider (spid.tests answer its HTTP in-process; no network).
YIP_EID_ENABLED = True
YIP_FISCAL_CODE_KEY = "test-only-fiscal-code-key"  # noqa: S105
YIP_EID_ENTITY_ID = "http://portal.test"  # a host with a top-level domain, as the federation wants

# Webhooks may reach a receiver on this machine (production refuses private addresses).
YIP_WEBHOOK_ALLOW_PRIVATE = True
