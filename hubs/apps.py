from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = _("Territory and hubs")

    def ready(self):
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        # The shared layer's registries, which the apps fill from modules of their own: the
        # personal data each holds (<app>/personal_data.py → hubs/personal_data.py; people's
        # export and erasure walk it), its indicators (<app>/indicators.py →
        # hubs/indicator_registry.py; governance reads them) and its menu entries
        # (<app>/navigation.py → hubs/navigation.py).
        autodiscover_modules("personal_data")
        autodiscover_modules("indicators")
        autodiscover_modules("navigation")
        # The network level (action 1): the regional catalogue's providers
        # (<app>/catalogue.py → hubs/catalogue_registry.py) and the journey's sources
        # (<app>/journey.py → hubs/journey_registry.py).
        autodiscover_modules("catalogue")
        autodiscover_modules("journey")
        # The back office's quick search (<app>/search.py → hubs/search_registry.py).
        autodiscover_modules("search")
        # requests for help one action hands to another (<app>/help.py → hubs/help_registry.py)
        autodiscover_modules("help")
        from django.db.models.signals import post_delete, post_save

        from . import models, pagecache
        from .network import personal_data, tasks  # noqa: F401  (Celery finds hubs.tasks only)

        for model in (
            models.Hub,
            models.SubArea,
            models.Antenna,
            models.Organization,
            models.Membership,
            models.Invitation,
        ):
            auditlog.register(model, exclude_fields=["token_hash"])
        # Every saved or deleted row bumps the cached public pages that may show it.
        post_save.connect(pagecache.model_changed, dispatch_uid="pagecache_save")
        post_delete.connect(pagecache.model_changed, dispatch_uid="pagecache_delete")
