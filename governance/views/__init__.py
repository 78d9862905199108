"""
The Cabina di Regia's pages (action 7): the indicators against their targets (a hub's and the
network's), frozen snapshots, the monitoring reports (PDF, generated in the background),
meetings and their decisions, the targets and the project timeline, and the export.

Every view is `HubMixin` + a generic view: the hub comes from the URL, the capability the view
names is checked before anything runs, and objects are looked up through `for_hub(self.hub)`
(network reports through `network()`, for those who may see the network), so another hub's id
is a 404.

Steering and regional members see aggregates only: counts of people from 1 to 4 are written
"< 5", and a breakdown hides one more entry ("*") when its total would give a "< 5" away
(`services.mask_row`); no number links to the staff's lists. The network's numbers are always
masked.

One module per seam: base (tabs, mixins), rows (indicator rows as pages show them),
dashboard, snapshots, reports, targets, meetings; governance/urls.py reads the views here.
"""

from .base import TABS
from .dashboard import DashboardView, ExportView, NetworkView
from .meetings import (
    DecisionCreateView,
    DecisionUpdateView,
    MeetingCreateView,
    MeetingDetailView,
    MeetingListView,
    MeetingUpdateView,
)
from .reports import ReportDownloadView, ReportListView, ReportRequestView, ReportRetryView, ReportStatusView
from .snapshots import SnapshotCreateView, SnapshotDetailView, SnapshotListView
from .targets import PlanUpdateView, TargetListView, TargetUpdateView

__all__ = [
    "DashboardView",
    "DecisionCreateView",
    "DecisionUpdateView",
    "ExportView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingListView",
    "MeetingUpdateView",
    "NetworkView",
    "PlanUpdateView",
    "ReportDownloadView",
    "ReportListView",
    "ReportRequestView",
    "ReportRetryView",
    "ReportStatusView",
    "SnapshotCreateView",
    "SnapshotDetailView",
    "SnapshotListView",
    "TABS",
    "TargetListView",
    "TargetUpdateView",
]
