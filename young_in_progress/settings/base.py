"""
Settings shared by every environment. Values that differ between machines come from the
environment (or a `.env` file) through django-environ: https://django-environ.readthedocs.io/
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"  # everything the running portal writes locally (SQLite, broker, media)

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# https://docs.djangoproject.com/en/5.2/ref/settings/#debug
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# --- Apps ------------------------------------------------------------------------------
DJANGO_APPS = [
    "young_in_progress.apps.PortalAdminConfig",  # django.contrib.admin behind allauth + MFA
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "auditlog",
    "post_office",
    "django_celery_beat",
    "django_filters",
    "health_check",  # /health/ and `manage.py health_check` (young_in_progress/health.py)
    "rest_framework",  # the REST API (hubs/restapi)
    "drf_spectacular",
    # SPID and CIE through OpenID Connect Federation: our relying party's entity (spid/)
    "spid_cie_oidc.entity",
    "spid_cie_oidc.relying_party",
]
LOCAL_APPS = [
    "people",
    "hubs",
    "desk",
    "placements",
    "jobclub",
    "pacts",
    "jobfair",
    "governance",
    "hubs.restapi",  # the REST API's framework and tokens; the apps' resources in <app>/api.py
    "spid",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

# https://docs.djangoproject.com/en/5.2/ref/middleware/
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "young_in_progress.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "young_in_progress.middleware.ItalianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # PostgreSQL refuses text with a NUL character: none from a URL reaches a view.
    "young_in_progress.middleware.NulCharacterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Private by default: a view is public only when marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

# --- Content-Security-Policy, in every environment (so that a developer sees a violation at once)
# and never report-only: no inline script or style, no eval, nothing from another origin. Pages
# load static files; data for scripts rides in json_script blocks or data- attributes.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap Italia's icons in its CSS, the QR code of the MFA set-up
        "font-src": [SELF, "data:"],  # Bootstrap Italia's CSS embeds one (Video.js icons)
        "connect-src": [SELF],  # htmx
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features no page of the portal uses, switched off for the page and anything it embeds
# (young_in_progress.middleware.PermissionsPolicyMiddleware).
# https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Permissions-Policy
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

ROOT_URLCONF = "young_in_progress.urls"
WSGI_APPLICATION = "young_in_progress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hubs.context_processors.portal",
            ],
        },
    },
]

# --- Database: https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# Reusing connections saves ~10 ms a request on PostgreSQL (TIPS.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Web requests run short queries on few cores: a parallel worker costs more than it saves
    # (bench/README.md: the calendar's prefetch 20.6 ms in parallel, 4 ms without).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env(
        "PG_OPTIONS", default="-c max_parallel_workers_per_gather=0"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6.0's default, opted into now

# --- Redis (optional): Celery broker and shared cache. Without it the portal still runs.
REDIS_URL = env("REDIS_URL", default="")

# https://docs.djangoproject.com/en/5.2/topics/cache/
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    # A Redis outage must not turn pages into 500s; the cache just misses meanwhile.
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages for anonymous visitors (hubs/pagecache.py): only with a cache every process
# shares, since a change made in one process (a worker, a Celery task) must reach all of them.
YIP_PUBLIC_PAGE_CACHE = env.bool("YIP_PUBLIC_PAGE_CACHE", default=bool(REDIS_URL))

# --- Accounts: https://docs.djangoproject.com/en/5.2/topics/auth/customizing/
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "backoffice_index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Young in Progress] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
# Login attempts: 5 failures per 5 minutes per e-mail, 10 a minute per IP address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"

# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Young in Progress"
# Every back-office role must have a TOTP authenticator before any back-office page.
# Only settings/local.py may relax it, for the demo; production.py pins it to True.
STAFF_MFA_REQUIRED = True

# django-guardian: no anonymous user row (our User has no username).
# https://django-guardian.readthedocs.io/en/stable/configuration.html
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation: https://docs.djangoproject.com/en/5.2/topics/i18n/
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language switcher's cookie: read by the server only (production.py adds Secure).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static files: https://whitenoise.readthedocs.io/
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (monitoring reports) are private: MEDIA_URL is routed nowhere, not even with
# DEBUG on; they leave only through views that check hub and role (governance:report_download).
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail: every message is stored first (django-post-office), then sent by a Celery task,
# so a slow SMTP server or a Redis outage never blocks or loses a message. Our backend stores the
# finished text; post_office's own would render it again as a template (people/mail.py).
# https://github.com/ui/django-post_office#settings
EMAIL_BACKEND = "people.mail.OutboxBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Young in Progress <noreply@younginprogress.it>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
POST_OFFICE = {
    "BACKENDS": {
        "default": env("EMAIL_DELIVERY_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
    },
    "CELERY_ENABLED": False,  # we dispatch ourselves, robustly: people/tasks.py
    "DEFAULT_PRIORITY": "medium",
    "MAX_RETRIES": 4,
    "RETRY_INTERVAL": timedelta(minutes=5),
    "MESSAGE_ID_ENABLED": True,
}
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10

# --- Celery: https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
if REDIS_URL:
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
else:
    # Embedded default: a broker in plain files under var/ (kombu's filesystem transport).
    CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
# No result backend: nothing reads a task's result (work reports its state in its own rows: a
# Notice, a Report's status, a sent e-mail), and stored results would be one more copy of
# personal data. Tasks queue through hubs.tasks.PortalTask (young_in_progress/celery.py).
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge after the task ran, so a worker that dies mid-task hands it to another;
# tasks are idempotent for exactly this reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Publishing gives up fast when the broker is down (Redis: the transport's socket timeouts
# above); hubs.tasks.PortalTask logs it and the periodic sweeps and outbox flush catch up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Record each sending at once (default: every 3 minutes): `manage.py health_beat` reads it.
CELERY_BEAT_SYNC_EVERY = 1
CELERY_BEAT_SCHEDULE = {
    "mail-outbox-flush": {
        "task": "people.tasks.outbox_flush",
        "schedule": timedelta(minutes=1),
    },
    "desk-sweep": {
        "task": "desk.tasks.desk_sweep",
        "schedule": timedelta(minutes=5),
    },
    "desk-slots-roll": {
        # The bookable window rolls forward by itself: slots to the horizon (idempotent).
        "task": "desk.tasks.desk_slots_roll",
        "schedule": timedelta(hours=6),  # daily would do; four runs a day survive a restart
    },
    "pacts-overdue": {
        "task": "pacts.tasks.pacts_overdue",
        "schedule": timedelta(hours=6),  # reviews past 30 days, overdue actions: each mailed once
    },
    "placements-follow-ups": {
        "task": "placements.tasks.follow_ups_due",
        "schedule": timedelta(hours=6),  # daily would do; four runs a day survive a restart
    },
    "personal-data-retention": {
        "task": "people.tasks.personal_data_retention",
        "schedule": timedelta(days=1),
    },
    "jobfair-sweep": {
        # Lapsed workshop offers pass to the next in line; visitors' data shredded after the fair.
        "task": "jobfair.tasks.jobfair_sweep",
        "schedule": timedelta(minutes=10),
    },
    "governance-reports-monthly": {
        # Daily: the first run of a month takes last month's snapshots and sends the reports;
        # later runs that month only finish what could not be done (idempotent).
        "task": "governance.tasks.reports_monthly",
        "schedule": timedelta(days=1),
    },
    "governance-decisions-remind": {
        "task": "governance.tasks.decisions_remind",
        "schedule": timedelta(days=1),
    },
    "governance-reports-sweep": {
        "task": "governance.tasks.reports_sweep",
        "schedule": timedelta(minutes=5),
    },
    # The network (action 1): the quality label's renewal reminder, and the observatory's
    # monthly export (daily: the first run of a month makes last month's; later runs do nothing).
    "network-label-reminders": {
        "task": "hubs.network.tasks.label_reminders",
        "schedule": timedelta(days=1),
    },
    "network-observatory-monthly": {
        "task": "hubs.network.tasks.observatory_monthly",
        "schedule": timedelta(days=1),
    },
    "webhooks-sweep": {
        # Webhook deliveries whose task was lost are sent again; the 30-day log is trimmed.
        "task": "hubs.restapi.tasks.webhooks_sweep",
        "schedule": timedelta(minutes=5),
    },
    "spid-trust-chains-refresh": {
        # Trust chains expire (FEDERATION_DEFAULT_EXP): renew the providers' before they do.
        "task": "spid.tasks.trust_chains_refresh",
        "schedule": timedelta(hours=6),
    },
}

# --- Audit trail: https://django-auditlog.readthedocs.io/
AUDITLOG_INCLUDE_ALL_MODELS = False

# --- Personal data: how many days each kind is kept before the daily retention task
# (people.tasks.personal_data_retention) forgets it. The rules are registered in
# <app>/personal_data.py (hubs/personal_data.py); every registered kind needs its days here.
YIP_RETENTION = {
    "sent_emails": 180,  # stored e-mails, their delivery logs and attachments
    # Guest bookings never confirmed by their e-mail link, guests' waiting-list places never
    # taken, and then the guest records left with nothing.
    "unconfirmed_holds": 30,
    "api_replays": 1,  # answers kept for Idempotency-Key replays (hubs/restapi/idempotency.py)
}

# --- The portal itself
PORTAL_NAME = "Young in Progress"
# Below this age a parent or guardian consents to the processing of a young person's data
# (Codice Privacy, art. 2-quinquies: https://www.garanteprivacy.it/codice). Read by
# Person.needs_guardian_on and nowhere else; the forms and their script follow it.
YIP_CONSENT_AGE = 14
# Where the accessibility declaration's feedback mechanism sends people (AgID guidelines).
ACCESSIBILITY_FEEDBACK_EMAIL = env("ACCESSIBILITY_FEEDBACK_EMAIL", default="accessibilita@younginprogress.it")
INVITATION_VALID_DAYS = 14
# Absolute links in e-mails sent by background tasks (no request to take the host from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The video service of online desk sessions when a rule names none: each session gets its own
# unguessable room there (desk/video.py). Jitsi Meet: https://jitsi.github.io/handbook/
YIP_VIDEO_BASE_URL = env("YIP_VIDEO_BASE_URL", default="https://meet.jit.si").rstrip("/")

# --- Abuse limits of the public forms and of costly requests (hubs/ratelimit.py) ----------
# The REST API (hubs/restapi): calls per token and window of seconds, answered with
# X-RateLimit-* headers and, past the limit, 429 with Retry-After.
YIP_API_RATE_LIMIT = (env.int("YIP_API_RATE_LIMIT", default=600), 60)
# Webhooks (hubs/restapi/webhooks.py): hub events POSTed to other systems, retried with
# exponential back-off (first delay doubled each time, capped) for up to 3 days, logged 30 days.
YIP_WEBHOOK_TIMEOUT = (
    3.05,
    5,
)  # seconds to connect, to read: https://requests.readthedocs.io/en/latest/user/advanced/#timeouts
YIP_WEBHOOK_FIRST_RETRY = timedelta(minutes=1)
YIP_WEBHOOK_MAX_RETRY = timedelta(hours=6)
YIP_WEBHOOK_RETRY_FOR = timedelta(days=3)
YIP_WEBHOOK_LOG_DAYS = 30
# Hooks to private, loopback or link-local addresses (and plain http) are refused (SSRF);
# a developer's machine and the tests allow them to reach a receiver on 127.0.0.1.
YIP_WEBHOOK_ALLOW_PRIVATE = env.bool("YIP_WEBHOOK_ALLOW_PRIVATE", default=False)
# https://www.django-rest-framework.org/api-guide/settings/ — only our token, only JSON.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["hubs.restapi.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "hubs.restapi.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "hubs.restapi.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DATETIME_FORMAT": "iso-8601",  # RFC 3339: with the offset, "Z" for UTC
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
SPECTACULAR_SETTINGS = {
    "TITLE": "Young in Progress API",
    "DESCRIPTION": (
        "The hubs' data for partners, schools, municipalities and the region. Every call but "
        "the status and this schema sends a hub's token: `Authorization: Bearer yip_…`. Errors "
        "are application/problem+json; lists are cursor-paginated (`limit` at most 100)."
    ),
    "VERSION": "1.0.0",  # semver: a breaking change is /api/v2/
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set that several fields share (else drf-spectacular warns: W001).
    "ENUM_NAME_OVERRIDES": {
        "ActivityKindEnum": "placements.models.ActivityKind",
        "AttendanceStatusEnum": "jobclub.models.Attendance.Status",
        "DeclineReasonEnum": "hubs.network.models.Referral.DeclineReason",
    },
    "SERVERS": [{"url": SITE_URL}],
}

# How many proxies of ours stand in front of the portal, each appending to X-Forwarded-For the
# address it got the request from. 0: REMOTE_ADDR is the client and X-Forwarded-For is ignored.
# Behind the proxy that terminates TLS in production: 1. Our limits and allauth's read the
# client's address through this alone (hubs.ratelimit.client_ip, people/adapters.py).
YIP_TRUSTED_PROXY_COUNT = env.int("YIP_TRUSTED_PROXY_COUNT", default=0)
# https://django-ratelimit.readthedocs.io/en/stable/settings.html (counters in the default cache)
RATELIMIT_IP_META_KEY = "hubs.ratelimit.client_ip"
RATELIMIT_FAIL_OPEN = True  # the cache down: let requests through rather than refuse everyone
# POSTs of each form per client IP ("ip"), per e-mail address the form names ("email") and per
# signed-in user ("user"), in allauth's notation: "amount/period/key", period s, m, h or d
# (optionally with a number: 10m). Over a limit: the "too many attempts" page, HTTP 429.
YIP_RATE_LIMITS = {
    "desk_booking": "5/m/ip,30/h/ip,5/h/email",  # book a session (guest or account holder)
    "desk_booking_verify": "10/m/ip",  # confirm a guest's booking from the e-mailed link
    "desk_booking_resend": "5/m/ip,20/h/ip",  # "check your e-mail": send the link again…
    "desk_booking_resend_email": "3/h/email",  # …and per booking's address (a clear message)
    "desk_links_resend": "3/m/ip,20/h/ip,3/h/email",  # "resend my booking links" by e-mail
    "desk_booking_manage": "10/m/ip,30/h/ip",  # cancel or move a booking from its link
    "desk_waitlist_join": "5/m/ip,30/h/ip,3/h/email",
    "desk_waitlist_claim": "10/m/ip",
    "desk_enquiry": "3/m/ip,20/h/ip,3/h/email",  # "Ask the desk"
    "placements_activity_confirm": "10/m/ip,60/h/ip",
    "jobclub_verify": "20/m/ip,200/h/ip",  # a certificate's public verification page
    "jobclub_claim": "5/m/user,20/h/user",  # a student links their account with the school's code
    "pacts_invite": "10/m/ip,30/h/user",  # co-authors invited to a youth pact, and accepting
    "pacts_meeting": "10/m/ip,10/h/email",  # registering for a pact's meeting, cancelling, the QR check-in
    "invitation_accept": "10/m/ip,5/m/email",
    "referral_consent": "10/m/ip,30/h/ip",  # a young person answers a referral request (action 1)
    "spid_link": "10/m/ip,30/h/ip",  # linking a SPID/CIE identity to an existing account
    "governance_report_request": "3/h/user",  # PDF reports on demand: costly to make
    "jobfair_register": "5/m/ip,30/h/ip,5/h/email",  # a young visitor's or a class's ticket
    "jobfair_exhibitor": "3/m/ip,20/h/ip,3/h/email",  # an exhibitor's registration
    "jobfair_ticket": "20/m/ip",  # actions from a ticket's page (workshops, sharing, help)
}
# Guest bookings waiting for their e-mail confirmation, at a time, in one hub: per e-mail address
# and per client IP (None: no cap). Each holds a place for DeskSettings.hold_minutes.
YIP_GUEST_HOLD_LIMITS = {"email": 2, "ip": 3}
# At most one verification e-mail per address in this many seconds, so nobody can fill a
# stranger's inbox through the booking form; a booking's link held back is sent by the desk's
# periodic sweep once the window is over (if its hold has not lapsed by then).
YIP_VERIFY_MAIL_INTERVAL = 5 * 60

# --- SPID and CIE: OpenID Connect Federation (spid/, the package spid-cie-oidc) --------------
# https://github.com/italia/spid-cie-oidc-django/blob/main/docs/technical_specifications/RELYING_PARTY.md
# Off until the relying party is onboarded (README "SPID e CIE"): no button is shown then.
YIP_EID_ENABLED = env.bool("YIP_EID_ENABLED", default=False)
# Our relying party's entity id: its public base URL (the federation's `sub` and `client_id`).
YIP_EID_ENTITY_ID = env("YIP_EID_ENTITY_ID", default=SITE_URL).rstrip("/")
YIP_EID_ORGANIZATION = env("YIP_EID_ORGANIZATION", default="Young in Progress")
YIP_EID_CONTACTS = env.list("YIP_EID_CONTACTS", default=["spid@younginprogress.it"])
# The trust marks the federations issued to us, as JSON: [{"id": "…", "trust_mark": "<JWT>"}].
YIP_EID_TRUST_MARKS = env.json("YIP_EID_TRUST_MARKS", default=[])
# The key of the HMAC that turns a fiscal code into the lookup key of a person (spid.services):
# the clear code is never stored. Changing it unlinks every SPID/CIE identity: keep it forever.
YIP_FISCAL_CODE_KEY = env("YIP_FISCAL_CODE_KEY", default="")
OIDCFED_DEFAULT_TRUST_ANCHOR = env("OIDCFED_DEFAULT_TRUST_ANCHOR", default="https://registry.spid.gov.it")
OIDCFED_TRUST_ANCHORS = env.list("OIDCFED_TRUST_ANCHORS", default=[OIDCFED_DEFAULT_TRUST_ANCHOR])
# The providers shown by the buttons: OIDC_SPID_PROVIDERS / OIDC_CIE_PROVIDERS, comma-separated
# entity ids, each trusted through the default trust anchor.
OIDCFED_IDENTITY_PROVIDERS = {
    "spid": {op: OIDCFED_DEFAULT_TRUST_ANCHOR for op in env.list("OIDC_SPID_PROVIDERS", default=[])},
    "cie": {op: OIDCFED_DEFAULT_TRUST_ANCHOR for op in env.list("OIDC_CIE_PROVIDERS", default=[])},
}
OIDCFED_REQUIRED_TRUST_MARKS = env.list("OIDCFED_REQUIRED_TRUST_MARKS", default=[])
# SPID level 2 by default: it stands in for the back office's second factor (hubs/mixins.py).
OIDCFED_ACR_PROFILES = env("OIDCFED_ACR_PROFILES", default="https://www.spid.gov.it/SpidL2")
HTTPC_PARAMS = {"connection": {"ssl": env.bool("OIDCFED_HTTPC_SSL", default=True)}}
HTTPC_TIMEOUT = env.int("OIDCFED_HTTPC_TIMEOUT", default=8)
# The claims we ask for, the same for SPID and CIE (the package reads one setting for both).
RP_REQUIRED_CLAIMS = {
    "id_token": {"given_name": {"essential": True}, "family_name": {"essential": True}},
    "userinfo": {
        "given_name": None,
        "family_name": None,
        "email": None,
        "birthdate": None,
        "https://attributes.eid.gov.it/fiscal_number": None,
    },
}
RP_ATTR_MAP = {
    "sub": ("sub",),
    "first_name": ("given_name",),
    "last_name": ("family_name",),
    "email": ("email",),
    "birthdate": ("birthdate",),
    "fiscal_number": ("https://attributes.eid.gov.it/fiscal_number", "fiscal_number"),
}
RP_USER_LOOKUP_FIELD = "fiscal_number"
# Where the package's single logout lands (allauth's own logout lands on "/" as well).
LOGOUT_REDIRECT_URL = "/"

# --- Logging: https://docs.djangoproject.com/en/5.2/topics/logging/
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "post_office": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # its INFO is a line per rendering step
        "fontTools": {"level": "WARNING"},
    },
}
