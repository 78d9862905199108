"""URLs of the job fair: the public pages under /<hub>/fiera/, the back office's."""

from django.urls import path

from .views import backoffice as bo
from .views import public

# Included under "" (young_in_progress/urls.py), before the hub's home.
public_urlpatterns = [
    path("<slug:hub_slug>/fiera/", public.FairIndexView.as_view(), name="fair_index"),
    path("<slug:hub_slug>/fiera/<int:pk>/", public.FairView.as_view(), name="fair"),
    path(
        "<slug:hub_slug>/fiera/<int:pk>/espositori/",
        public.ExhibitorRegisterView.as_view(),
        name="exhibitor_register",
    ),
    path("<slug:hub_slug>/fiera/<int:pk>/iscrizione/", public.VisitorRegisterView.as_view(), name="register"),
    path("<slug:hub_slug>/fiera/<int:pk>/classi/", public.ClassRegisterView.as_view(), name="class_register"),
    path("<slug:hub_slug>/fiera/classe/<str:token>/", public.ClassSheetView.as_view(), name="class_sheet"),
    path(
        "<slug:hub_slug>/fiera/consenso/<str:token>/",
        public.GuardianConsentView.as_view(),
        name="guardian_consent",
    ),
    path("<slug:hub_slug>/fiera/biglietto/<str:token>/", public.TicketView.as_view(), name="ticket"),
    path(
        "<slug:hub_slug>/fiera/biglietto/<str:token>/fiera.ics",
        public.TicketIcsView.as_view(),
        name="ticket_ics",
    ),
    path("<slug:hub_slug>/fiera/stand/<str:token>/", public.StandView.as_view(), name="stand"),
    path("<slug:hub_slug>/fiera/posto/<str:token>/", public.SeatClaimView.as_view(), name="seat_claim"),
    path("<slug:hub_slug>/fiera/questionario/<str:token>/", public.SurveyView.as_view(), name="survey"),
]

# Included under "backoffice/<hub_slug>/fiera/".
backoffice_urlpatterns = [
    path("", bo.FairListView.as_view(), name="fair_list"),
    path("nuova/", bo.FairCreateView.as_view(), name="fair_create"),
    path("<int:pk>/", bo.FairDetailView.as_view(), name="fair_detail"),
    path("<int:pk>/modifica/", bo.FairUpdateView.as_view(), name="fair_update"),
    path("<int:pk>/pubblica/", bo.FairPublishView.as_view(), name="fair_publish"),
    path("<int:pk>/stand/", bo.StandsView.as_view(), name="stands"),
    path("<int:pk>/laboratori/nuovo/", bo.WorkshopCreateView.as_view(), name="workshop_create"),
    path("<int:pk>/iscrizioni/", bo.RegistrationListView.as_view(), name="registration_list"),
    path("<int:pk>/accoglienza/", bo.CheckInView.as_view(), name="check_in"),
    path("<int:pk>/accoglienza/sync/", bo.CheckInSyncView.as_view(), name="check_in_sync"),
    path("<int:pk>/richieste-aiuto/", bo.HelpRequestListView.as_view(), name="help_list"),
    path("<int:pk>/dati-personali/", bo.ShredView.as_view(), name="shred"),
    path("<int:pk>/rapporto.pdf", bo.FairReportView.as_view(), name="report"),
    path("<int:pk>/questionario/", bo.SurveySendView.as_view(), name="survey_send"),
    path("espositori/<int:pk>/", bo.ExhibitorReviewView.as_view(), name="exhibitor_review"),
    path("il-mio-stand/", bo.MyStandsView.as_view(), name="my_stands"),
    path("il-mio-stand/<int:pk>/", bo.MyStandView.as_view(), name="my_stand"),
    path("il-mio-stand/<int:pk>/contatti/", bo.LeadsView.as_view(), name="leads"),
]
