from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from post_office.signals import email_queued

        from .tasks import outbox_dispatch_on_commit

        email_queued.connect(outbox_dispatch_on_commit, dispatch_uid="people.outbox")
