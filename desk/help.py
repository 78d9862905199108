"""
The desk receives requests for help handed over by other actions (hubs/help_registry.py): the
job fair's "Vorrei un aiuto — a session at the desk" becomes a request in the desk's inbox.
"""

from django.utils.translation import gettext_lazy as _

from hubs.help_registry import Ask, receiver

from . import services


@receiver("desk", url_name="deskbo:enquiry_detail", label=_("Desk request #%(id)s"))
def to_enquiry(ask: Ask) -> int:
    enquiry = services.enquiry_from_elsewhere(
        hub=ask.hub, person=ask.person, origin=ask.origin, subject=ask.subject, message=ask.message
    )
    return enquiry.pk
