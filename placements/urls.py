"""URLs of Together We Work: the public confirmation link, and the back office."""

from django.urls import path

from .views import backoffice as bo
from .views import public

# Included under "" (young_in_progress/urls.py), before the hub's home.
public_urlpatterns = [
    path(
        "<slug:hub_slug>/percorsi/conferma/<str:token>/",
        public.ActivityConfirmView.as_view(),
        name="activity_confirm",
    ),
]

# Included under "backoffice/<hub_slug>/percorsi/".
backoffice_urlpatterns = [
    path("", bo.PathListView.as_view(), name="path_list"),
    path("nuovo/", bo.PathCreateView.as_view(), name="path_create"),
    path("<int:pk>/", bo.PathDetailView.as_view(), name="path_detail"),
    path("<int:pk>/modifica/", bo.PathUpdateView.as_view(), name="path_update"),
    path("<int:pk>/assegna/", bo.PathAssignView.as_view(), name="path_assign"),
    path("<int:pk>/piano/", bo.PlanUpdateView.as_view(), name="plan_update"),
    path("<int:pk>/attivita/nuova/", bo.ActivityCreateView.as_view(), name="activity_create"),
    path("<int:pk>/chiusura/", bo.PathCloseView.as_view(), name="path_close"),
    path("<int:pk>/scheda.pdf", bo.PathSheetView.as_view(), name="path_sheet"),
    path("attivita/<int:pk>/elimina/", bo.ActivityDeleteView.as_view(), name="activity_delete"),
    path("attivita/<int:pk>/conferma/", bo.ActivityConfirmationView.as_view(), name="activity_confirmation"),
    path("follow-up/<int:pk>/", bo.FollowUpUpdateView.as_view(), name="follow_up_update"),
    path("esporta/", bo.ExportView.as_view(), name="export"),
    path("richieste/<int:pk>/", bo.PathRequestView.as_view(), name="path_request"),
]
