"""The back office of Together We Work: the section's tabs, hours helpers and the mixins that
reach a path or an activity only through the member's reach (selectors.paths_for)."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from hubs.mixins import HubMixin
from hubs.navigation import section_tabs

from ... import selectors, services
from ...models import MAX_HOURS, MIN_HOURS, Path

# The section's own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("paths", gettext_lazy("Paths"), "placementsbo:path_list"),
    ("new", gettext_lazy("New path"), "placementsbo:path_create"),
    ("export", gettext_lazy("Export"), "placementsbo:export"),
)


def plain(hours: Decimal) -> Decimal:
    """4.50 → 4.5, 2.00 → 2: hours for a form field, without trailing zeros."""
    text = f"{hours:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def hours_bar(path: Path) -> dict:
    """The at-a-glance bar: delivered, confirmed and planned hours against the 24-hour ceiling."""
    text = services.hours_text
    return {
        "delivered": text(path.delivered_hours),
        "planned": text(path.planned_hours),
        "confirmed": text(path.confirmed_hours),
        "remaining": text(path.remaining_hours),
        "has_plan": path.planned_hours > 0,
        "is_open": path.is_open,
        "delivered_pct": path.percent(path.delivered_hours),
        "confirmed_pct": path.percent(path.confirmed_hours),
        "planned_pct": path.percent(path.planned_hours),
        "minimum_pct": path.percent(MIN_HOURS),
        "full": path.delivered_hours >= MAX_HOURS,
        "under_minimum": path.delivered_hours < MIN_HOURS,
    }


class PlacementsMixin(HubMixin):
    """HubMixin for Together We Work: staff and partner operators, the section's tabs."""

    permission = "placements.view_paths"
    cancel_url_name = "placementsbo:path_list"
    tab = "paths"

    def paths(self):
        """The paths this member may open (selectors.paths_for): the only way to a path."""
        return selectors.paths_for(hub=self.hub, membership=self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.tab)
        return context


class PathMixin(PlacementsMixin):
    """The views of one path: `self.path`, or 404 when it is beyond the member's reach."""

    def load(self, **kwargs):
        self.path = get_object_or_404(
            self.paths().select_related("person", "cooperative", "operator", "hub"),
            pk=self.kwargs["pk"],
        )

    def path_url(self, anchor: str = "") -> str:
        return self.hub_url("placementsbo:path_detail", pk=self.path.pk) + anchor

    def get_page_title(self):
        return self.page_title or str(self.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(path=self.path, **kwargs)
        context["cancel_url"] = self.path_url()
        return context


class ActivityMixin(PlacementsMixin):
    """The views of one logged activity, looked up through the paths within reach."""

    permission = "placements.log_activity"

    def load(self, **kwargs):
        self.activity = get_object_or_404(
            selectors.activities_within_reach(hub=self.hub, membership=self.membership),
            pk=self.kwargs["pk"],
        )
        self.path = self.activity.path
        self.activity.hours_text = services.hours_text(self.activity.hours)

    def path_url(self) -> str:
        return self.hub_url("placementsbo:path_detail", pk=self.path.pk) + "#log"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(activity=self.activity, path=self.path, **kwargs)
        context["cancel_url"] = self.path_url()
        return context
