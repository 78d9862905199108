"""
The job fair's entries in a young person's journey (hubs/journey_registry.py): their
registrations, their check-in at the door and their "Vorrei un aiuto" requests; and the day
each person first took part (the fair's day), so the network counts moves such as fair → desk.
"""

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, first_contact, source

from .models import HelpRequest, Registration


@source("jobfair.registrations", capability="jobfair.manage")
def registrations(person, hub) -> list[Entry]:
    rows = Registration.objects.filter(person=person).select_related("fair", "hub")
    requests = HelpRequest.objects.filter(registration__person=person).select_related("fair")
    if hub is not None:
        rows, requests = rows.for_hub(hub), requests.for_hub(hub)
    entries = []
    for registration in rows[:50]:
        fair = registration.fair
        entries.append(
            Entry(
                day=timezone.localdate(registration.created_at),
                action=6,
                title=_("Registered for the job fair: %(fair)s") % {"fair": fair.title},
                detail=f"{registration.hub.name} · {registration.get_status_display()}",
            )
        )
        if registration.checked_in_at:
            entries.append(
                Entry(
                    day=timezone.localdate(registration.checked_in_at),
                    action=6,
                    title=_("Came to the job fair: %(fair)s") % {"fair": fair.title},
                    detail=registration.hub.name,
                )
            )
    for request in requests[:50]:
        entries.append(
            Entry(
                day=timezone.localdate(request.created_at),
                action=6,
                title=_("Asked for help at the job fair"),
                detail=request.get_kind_display(),
            )
        )
    return entries


@first_contact(6)
def fair_first(hub, start, end) -> dict:
    """Each person's first fair in the period they were registered for (the fair's day)."""
    rows = Registration.objects.filter(
        person__isnull=False, status=Registration.Status.CONFIRMED, fair__date__range=(start, end)
    )
    if hub is not None:
        rows = rows.for_hub(hub)
    return {
        row["person_id"]: row["first"] for row in rows.values("person_id").annotate(first=Min("fair__date"))
    }
