"""Together We Work's entries in a young person's journey (hubs/journey_registry.py): their paths."""

from django.db.models import Min
from django.utils.translation import gettext as _

from hubs.journey_registry import Entry, first_contact, source

from .models import Path


@source("placements.paths", capability="placements.manage_paths")
def paths(person, hub) -> list[Entry]:
    rows = Path.objects.filter(person=person).select_related("hub")
    if hub is not None:
        rows = rows.for_hub(hub)
    entries = []
    for path in rows[:100]:
        entries.append(
            Entry(
                day=path.starts_on, action=5, title=_("Together We Work path started"), detail=path.hub.name
            )
        )
        if path.closed_on:
            entries.append(
                Entry(
                    day=path.closed_on,
                    action=5,
                    title=_("Together We Work path closed"),
                    detail=f"{path.hub.name} · {path.get_status_display()}",
                )
            )
    return entries


@first_contact(5)
def paths_first(hub, start, end) -> dict:
    """Each person's first Together We Work path started in the period."""
    rows = Path.objects.filter(starts_on__range=(start, end))
    if hub is not None:
        rows = rows.for_hub(hub)
    return {
        row["person_id"]: row["first"] for row in rows.values("person_id").annotate(first=Min("starts_on"))
    }
