"""The back office's sections of API tokens and webhooks (hub coordinators)."""

from django.utils.translation import gettext_lazy as _

from hubs.navigation import section

section(_("API tokens"), "apibo:token_list")
section(_("Webhooks"), "apibo:webhook_list")
