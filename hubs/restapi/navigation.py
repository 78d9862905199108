"""The back office's section of API tokens (hub coordinators)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import section

section(_("API tokens"), "apibo:token_list")
