"""
Together We Work's entries in the back office (the registry is hubs/navigation.py): the action's
page, and the follow-ups due, which the staff's "today" page lists without importing this app.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hubs.navigation import action_page, due_source

action_page(5, "placementsbo:path_list")

FOLLOW_UPS_SHOWN = 10


@due_source("placements.follow_ups", title=gettext_lazy("Follow-ups due"), capability="placements.run_paths")
def follow_ups_due(hub, membership, day) -> list[dict]:
    """The follow-ups due by `day` and not recorded, of the paths this member may open (one query)."""
    from .selectors import follow_ups_within_reach

    rows = (
        follow_ups_within_reach(hub=hub, membership=membership)
        .filter(recorded_on__isnull=True, due_on__lte=day)
        .order_by("due_on", "pk")
        .values("pk", "months", "due_on", "path__person__first_name", "path__person__last_name")[
            :FOLLOW_UPS_SHOWN
        ]
    )
    return [
        {
            "title": f"{row['path__person__first_name']} {row['path__person__last_name']}".strip(),
            "detail": _("Follow-up at %(months)s months, due %(day)s")
            % {"months": row["months"], "day": row["due_on"].strftime("%d/%m/%Y")},
            "url": reverse("placementsbo:follow_up_update", kwargs={"hub_slug": hub.slug, "pk": row["pk"]}),
        }
        for row in rows
    ]
