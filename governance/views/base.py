"""
What every governance page shares: the section tabs, the hub mixin with its capability, and
the object-first lookup.
"""

from django.utils.translation import gettext_lazy

from hubs.mixins import HubMixin, LoadMixin
from hubs.navigation import ACTIONS, section_tabs

ACTION_TITLES = {action.number: action.title for action in ACTIONS}


# The governance pages' own tabs (key, title, URL name), each shown to whoever may open its page.
TABS = (
    ("dashboard", gettext_lazy("Indicators"), "governance:dashboard"),
    ("network", gettext_lazy("Network"), "governance:network"),
    ("reports", gettext_lazy("Reports"), "governance:report_list"),
    ("snapshots", gettext_lazy("Snapshots"), "governance:snapshot_list"),
    ("meetings", gettext_lazy("Meetings"), "governance:meeting_list"),
    ("targets", gettext_lazy("Targets"), "governance:target_list"),
)


class GovernanceMixin(HubMixin):
    """HubMixin for governance: the Cabina di Regia's dashboard by default, the tabs in the context."""

    permission = "governance.view_dashboard"
    cancel_url_name = "governance:dashboard"
    gov_tab = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.gov_tab)
        context["masked"] = self.masked
        return context

    @property
    def masked(self) -> bool:
        """Aggregates only: counts of 1 to 4 people read "< 5"."""
        return not self.membership.can("governance.view_small_counts")


class ObjectFirstMixin(LoadMixin):
    """
    Looks the object up in the hub mixin's `load()`, before the HTTP method is dispatched, so
    another hub's id is a 404 whatever the method (a GET-only page answers a POST with 404 there,
    not 405).
    """

    def load(self, **kwargs):
        self.object = self.get_object()
        return super().load(**kwargs)

    def get_object(self, queryset=None):
        if getattr(self, "_object", None) is None:
            self._object = super().get_object(queryset)
        return self._object
