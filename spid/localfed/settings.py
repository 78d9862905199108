"""
Settings of one local federation process (spid.localfed): LOCALFED_ROLE "ta" (trust anchor and
the SPID provider) or "cie" (the CIE provider), as the package's examples configure them.
"""

import os
from pathlib import Path

ROLE = os.environ.get("LOCALFED_ROLE", "ta")
TA = os.environ.get("LOCALFED_TA", "http://127.0.0.1:8100")
SPID_OP = f"{TA}/oidc/op"
CIE_OP = os.environ.get("LOCALFED_CIE_OP", "http://127.0.0.1:8102/oidc/op")

DEBUG = False
SECRET_KEY = "local-federation-only"  # noqa: S105 (a development tool on the loopback address)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
APPEND_SLASH = False
ROOT_URLCONF = "spid.localfed.urls"
AUTH_USER_MODEL = "spid_cie_oidc_accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Europe/Rome"
LANGUAGE_CODE = "it"
STATIC_URL = "/static/"

INSTALLED_APPS = [
    "spid_cie_oidc.accounts",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "spid_cie_oidc.entity",
    *(["spid_cie_oidc.authority"] if ROLE == "ta" else []),
    "spid_cie_oidc.provider",
    "spid.localfed",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("LOCALFED_DB", f"/tmp/localfed-{ROLE}.sqlite3"),
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# The package's settings, as in its examples' settingslocal.py.example.
OIDCFED_DEFAULT_TRUST_ANCHOR = TA
OIDCFED_TRUST_ANCHORS = [TA]
OIDCFED_PROVIDER_PROFILE = "spid" if ROLE == "ta" else "cie"
OIDCFED_PROVIDER_MAX_REFRESH = 10
OIDCFED_PROVIDER_MAX_CONSENT_TIMEFRAME = 3600
OIDCFED_IDENTITY_PROVIDERS = {"spid": {SPID_OP: TA}, "cie": {CIE_OP: TA}}
OIDCFED_REQUIRED_TRUST_MARKS = []
OIDCFED_FEDERATION_TRUST_MARKS_PROFILES = {
    "openid_relying_party__public": {},
    "openid_relying_party__private": {},
}
FEDERATION_DEFAULT_POLICY = {
    "openid_relying_party": {"grant_types": {"subset_of": ["authorization_code", "refresh_token"]}},
    "openid_provider": {},
    "federation_entity": {},
    "oauth_resource": {},
}
HTTPC_PARAMS = {"connection": {"ssl": False}}
LOGIN_URL = "/oidc/op/login"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOCALFED_LOG_LEVEL", "WARNING")},
}
# Browsers keep cookies per host, not per port: on 127.0.0.1 the portal's and the providers'
# session cookies would overwrite each other under Django's default names.
SESSION_COOKIE_NAME = f"localfed_{ROLE}_session"
CSRF_COOKIE_NAME = f"localfed_{ROLE}_csrftoken"
