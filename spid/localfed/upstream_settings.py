"""
Settings to run the package's own relying-party tests against our Django and our lock (CI:
`python -m django test spid_cie_oidc.relying_party`, see .ci/run): the package declares
Django<5, so an upstream change that breaks us on Django 5.2 shows there first.
"""

import os

os.environ.setdefault("LOCALFED_ROLE", "ta")

from .settings import *  # noqa: E402,F403
from .settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "spid_cie_oidc.relying_party"]
ROOT_URLCONF = "spid.localfed.upstream_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
OIDCFED_DEFAULT_TRUST_ANCHOR = "http://testserver/"
OIDCFED_TRUST_ANCHORS = [OIDCFED_DEFAULT_TRUST_ANCHOR]
OIDCFED_IDENTITY_PROVIDERS = {
    "spid": {"http://op-test/oidc/op/": OIDCFED_DEFAULT_TRUST_ANCHOR},
    "cie": {"http://op-test/oidc/op/": OIDCFED_DEFAULT_TRUST_ANCHOR},
}
HTTPC_PARAMS = {"connection": {"ssl": True}, "session": {"timeout": 4}}
