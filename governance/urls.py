"""URLs of the Cabina di Regia's pages, included under "backoffice/<hub_slug>/monitoraggio/"."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rete/", views.NetworkView.as_view(), name="network"),
    path("esporta/", views.ExportView.as_view(), name="export"),
    path("istantanee/", views.SnapshotListView.as_view(), name="snapshot_list"),
    path("istantanee/nuova/", views.SnapshotCreateView.as_view(), name="snapshot_create"),
    path("istantanee/<int:pk>/", views.SnapshotDetailView.as_view(), name="snapshot_detail"),
    path("report/", views.ReportListView.as_view(), name="report_list"),
    path("report/nuovo/", views.ReportRequestView.as_view(), name="report_request"),
    path("report/<int:pk>/stato/", views.ReportStatusView.as_view(), name="report_status"),
    path("report/<int:pk>/pdf/", views.ReportDownloadView.as_view(), name="report_download"),
    path("report/<int:pk>/riprova/", views.ReportRetryView.as_view(), name="report_retry"),
    path("obiettivi/", views.TargetListView.as_view(), name="target_list"),
    path("obiettivi/<int:pk>/", views.TargetUpdateView.as_view(), name="target_update"),
    path("calendario/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("riunioni/", views.MeetingListView.as_view(), name="meeting_list"),
    path("riunioni/nuova/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("riunioni/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("riunioni/<int:pk>/modifica/", views.MeetingUpdateView.as_view(), name="meeting_update"),
    path(
        "riunioni/<int:meeting_id>/decisioni/nuova/",
        views.DecisionCreateView.as_view(),
        name="decision_create",
    ),
    path("decisioni/<int:pk>/", views.DecisionUpdateView.as_view(), name="decision_update"),
]
