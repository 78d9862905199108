"""The network's entries in a young person's journey (hubs/journey_registry.py): referrals."""

from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, source

from .network.models import Referral


@source("hubs.referrals", capability="hubs.refer")
def referrals(person, hub) -> list[Entry]:
    rows = Referral.objects.filter(person=person).select_related("hub", "to_hub")
    if hub is not None:  # the sending hub's referrals of the person (a receiving hub sees its list)
        rows = rows.for_hub(hub)
    return [
        Entry(
            day=timezone.localdate(referral.created_at),
            action=1,
            title=_("Referral to %(hub)s: %(service)s")
            % {"hub": referral.to_hub.name, "service": referral.service},
            detail=referral.get_status_display(),
        )
        for referral in rows[:100]
    ]
