"""
Together We Work receives requests for help handed over by other actions
(hubs/help_registry.py): the job fair's "Vorrei un aiuto — a path into work" waits, on the
paths' page, for staff to open a path.
"""

from django.utils.translation import gettext_lazy as _

from hubs.help_registry import Ask, receiver

from . import services


@receiver("path", url_name="placementsbo:path_request", label=_("Together We Work request #%(id)s"))
def to_path_request(ask: Ask) -> int:
    request = services.path_request_receive(
        hub=ask.hub, person=ask.person, origin=ask.origin, subject=ask.subject, message=ask.message
    )
    return request.pk
