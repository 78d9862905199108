"""
The back office of Together We Work: the path list, intake, the path page (plan, log, outcome,
follow-ups), the PDF path sheet and the export.

Every view is `HubMixin` + a generic view. Every path is looked up through
`selectors.paths_for(hub, membership)` — hub staff reach all the hub's paths, a partner operator
only those of their cooperative (its django-guardian grant), others none — and activities and
follow-ups through those paths, so anything beyond reach is a 404, including a path just
reassigned to another cooperative. Writes go through placements.services; its
ValidationErrors land on the form's fields, and what the user typed stays in the form.
The path page never shows the young person's desk case notes; opening it is logged.
"""

from .activities import ActivityConfirmationView, ActivityCreateView, ActivityDeleteView
from .base import TABS
from .export import ExportView
from .follow_ups import FollowUpUpdateView
from .paths import (
    PathAssignView,
    PathCloseView,
    PathCreateView,
    PathDetailView,
    PathListView,
    PathSheetView,
    PathUpdateView,
    PlanUpdateView,
)
from .requests import PathRequestView

__all__ = [
    "TABS",
    "PathRequestView",
    "ActivityConfirmationView",
    "ActivityCreateView",
    "ActivityDeleteView",
    "ExportView",
    "FollowUpUpdateView",
    "PathAssignView",
    "PathCloseView",
    "PathCreateView",
    "PathDetailView",
    "PathListView",
    "PathSheetView",
    "PathUpdateView",
    "PlanUpdateView",
]
