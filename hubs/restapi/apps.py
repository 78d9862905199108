from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RestApiConfig(AppConfig):
    """The REST API's framework, in the shared layer (an app of its own for its token table)."""

    name = "hubs.restapi"
    label = "restapi"
    verbose_name = _("REST API")

    def ready(self):
        from .registry import autodiscover

        autodiscover()
