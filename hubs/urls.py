"""URLs of the hubs app: public pages (`public_urlpatterns`) and the back office."""

from django.urls import path

from . import views

public_urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("accessibilita/", views.AccessibilityView.as_view(), name="accessibility"),
    path("invito/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]

# Hub-level public pages come last in the root URLconf: `<hub_slug>/` matches any slug.
hub_public_urlpatterns = [
    path("<slug:hub_slug>/", views.HubPublicView.as_view(), name="hub_public"),
]

backoffice_urlpatterns = [
    path("", views.BackofficeIndexView.as_view(), name="backoffice_index"),
    path("<slug:hub_slug>/", views.DashboardView.as_view(), name="backoffice_dashboard"),
    path("<slug:hub_slug>/cerca/", views.QuickSearchView.as_view(), name="backoffice_search"),
    path(
        "<slug:hub_slug>/azioni/<slug:action>/",
        views.ActionPlaceholderView.as_view(),
        name="backoffice_action",
    ),
    path(
        "<slug:hub_slug>/impostazioni/",
        views.HubSettingsView.as_view(),
        name="backoffice_hub_update",
    ),
    path("<slug:hub_slug>/territorio/", views.TerritoryView.as_view(), name="backoffice_territory"),
    path(
        "<slug:hub_slug>/territorio/antenne/nuova/",
        views.AntennaCreateView.as_view(),
        name="backoffice_antenna_create",
    ),
    path(
        "<slug:hub_slug>/territorio/antenne/<int:pk>/",
        views.AntennaUpdateView.as_view(),
        name="backoffice_antenna_update",
    ),
    path(
        "<slug:hub_slug>/territorio/sub-ambiti/nuovo/",
        views.SubAreaCreateView.as_view(),
        name="backoffice_subarea_create",
    ),
    path(
        "<slug:hub_slug>/territorio/sub-ambiti/<int:pk>/",
        views.SubAreaUpdateView.as_view(),
        name="backoffice_subarea_update",
    ),
    path(
        "<slug:hub_slug>/organizzazioni/",
        views.OrganizationListView.as_view(),
        name="backoffice_organization_list",
    ),
    path(
        "<slug:hub_slug>/organizzazioni/nuova/",
        views.OrganizationCreateView.as_view(),
        name="backoffice_organization_create",
    ),
    path(
        "<slug:hub_slug>/organizzazioni/<int:pk>/",
        views.OrganizationUpdateView.as_view(),
        name="backoffice_organization_update",
    ),
    path(
        "<slug:hub_slug>/la-mia-organizzazione/",
        views.MyOrganizationView.as_view(),
        name="backoffice_my_organization",
    ),
    path("<slug:hub_slug>/membri/", views.MemberListView.as_view(), name="backoffice_member_list"),
    path(
        "<slug:hub_slug>/membri/invita/",
        views.InvitationCreateView.as_view(),
        name="backoffice_invitation_create",
    ),
    path(
        "<slug:hub_slug>/membri/<int:pk>/",
        views.MembershipUpdateView.as_view(),
        name="backoffice_membership_update",
    ),
    path(
        "<slug:hub_slug>/membri/inviti/<int:pk>/ritira/",
        views.InvitationRevokeView.as_view(),
        name="backoffice_invitation_revoke",
    ),
]
