"""
Enquiries ("Ask the desk"): created from the public page, answered or closed by the hub.
"""

from django.db import transaction
from django.utils import timezone, translation

from hubs.models import Hub
from people.mail import mail_send
from people.models import Person, PersonHub

from ..models import Enquiry


def enquiry_reply_greeting(enquiry: Enquiry) -> str:
    """The opening the staff's reply starts from, in the asker's language: the e-mail adds none."""
    with translation.override(enquiry.language or "it"):
        return translation.gettext("Hello %(name)s,") % {"name": enquiry.name} + "\n\n"


@transaction.atomic
def enquiry_reply(*, enquiry: Enquiry, reply: str, by) -> Enquiry:
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.reply = reply
    enquiry.replied_by = by
    enquiry.replied_at = timezone.now()
    enquiry.status = Enquiry.Status.ANSWERED
    enquiry.save()
    mail_send(
        to=[enquiry.email],
        template="desk/email/enquiry_reply",
        context={"enquiry": enquiry, "hub": enquiry.hub},
        language=enquiry.language,
        reply_to=enquiry.hub.email,
    )
    return enquiry


@transaction.atomic
def enquiry_create(*, hub: Hub, data: dict, user=None) -> Enquiry:
    """
    A question to the hub's desk ("Ask the desk"). `data`: name, email, subject, message and
    optionally language. An account holder's enquiry is linked to their record (and the record
    to the hub, so its staff can see who asks). The asker gets an acknowledgement by e-mail
    with a copy of the question.
    """
    person = None
    if user is not None and user.is_authenticated:
        person = Person.objects.filter(user=user).first()
        if person is not None:
            PersonHub.objects.get_or_create(person=person, hub=hub)
    fields = {name: data[name] for name in ("name", "email", "subject", "message")}
    language = data.get("language") or translation.get_language() or "it"
    enquiry = Enquiry.objects.create(hub=hub, person=person, language=language[:2], **fields)
    # The acknowledgement, with a copy of the question: stored with the enquiry (one
    # transaction), so it goes exactly once, and not at all if the enquiry is rolled back.
    mail_send(
        to=[enquiry.email],
        template="desk/email/enquiry_ack",
        context={"enquiry": enquiry, "hub": hub},
        language=enquiry.language,
        reply_to=hub.email,
    )
    return enquiry


@transaction.atomic
def enquiry_from_elsewhere(
    *, hub: Hub, person: Person, origin: str, subject: str, message: str = ""
) -> Enquiry:
    """
    A request another action hands to the desk for a young person (hubs/help_registry.py: the job
    fair's "Vorrei un aiuto"): once per `origin`, whatever the number of calls (the unique
    constraint on hub and origin holds it under concurrency).
    """
    enquiry, _created = Enquiry.objects.get_or_create(
        hub=hub,
        origin=origin,
        defaults={
            "person": person,
            "name": str(person),
            "email": person.email,
            "subject": subject[:200],
            "message": (message or subject)[:3000],
            "language": (person.language or "it")[:2],
        },
    )
    PersonHub.objects.get_or_create(person=person, hub=hub)
    return enquiry


@transaction.atomic
def enquiry_close(*, enquiry: Enquiry) -> Enquiry:
    """Nothing more to do on this enquiry (answered by phone, a duplicate, spam…)."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.status = Enquiry.Status.CLOSED
    enquiry.save(update_fields=["status"])
    return enquiry
