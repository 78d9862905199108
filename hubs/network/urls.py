"""URLs of the network level: public pages under /rete/, the back office under /backoffice/<hub>/rete/."""

from django.urls import path

from . import views

public_urlpatterns = [
    path("rete/catalogo/", views.CatalogueView.as_view(), name="catalogue"),
    path(
        "rete/catalogo/<slug:hub_slug>/<str:key>/", views.CatalogueBookView.as_view(), name="catalogue_book"
    ),
    path("rete/segnalazione/<str:token>/", views.ReferralConsentView.as_view(), name="referral_consent"),
    path("rete/il-mio-percorso/", views.MyJourneyView.as_view(), name="my_journey"),
    path("rete/osservatorio/schema.json", views.ObservatorySchemaView.as_view(), name="observatory_schema"),
]

# Included under "backoffice/<hub_slug>/rete/" with the namespace "network".
backoffice_urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("adesione/", views.JoinView.as_view(), name="join"),
    path("qualita/", views.AssessmentView.as_view(), name="assessment"),
    path("coordinamento/", views.ApprovalsView.as_view(), name="approvals"),
    path("confronto/", views.CompareView.as_view(), name="compare"),
    path("equita/", views.EquityView.as_view(), name="equity"),
    path("osservatorio/", views.ObservatoryView.as_view(), name="observatory"),
    path("segnalazioni/", views.ReferralListView.as_view(), name="referral_list"),
    path("segnalazioni/nuova/", views.ReferralCreateView.as_view(), name="referral_create"),
    path("segnalazioni/<int:pk>/", views.ReferralDetailView.as_view(), name="referral_detail"),
    path("biblioteca/", views.LibraryView.as_view(), name="library"),
    path("biblioteca/pubblica/", views.ToolPublishView.as_view(), name="tool_publish"),
    path("biblioteca/copie/<int:pk>/", views.AdoptionUpdateView.as_view(), name="adoption_update"),
]
