"""URLs of the online desk: the public booking pages of a hub, and its back office."""

from django.urls import path

from .views import backoffice as bo
from .views import public

# Included under "<hub_slug>/" (young_in_progress/urls.py), before the hub's home.
public_urlpatterns = [
    path("<slug:hub_slug>/prenota/", public.ServiceChoiceView.as_view(), name="book_service"),
    path("<slug:hub_slug>/prenota/<int:service_id>/", public.SlotChoiceView.as_view(), name="book_slots"),
    path(
        "<slug:hub_slug>/prenota/sessione/<int:slot_id>/", public.BookingFormView.as_view(), name="book_form"
    ),
    path(
        "<slug:hub_slug>/prenota/inviata/<str:token>/",
        public.BookingSentView.as_view(),
        name="booking_sent",
    ),
    path("<slug:hub_slug>/prenota/i-miei-link/", public.LinksResendView.as_view(), name="links_resend"),
    path(
        "<slug:hub_slug>/prenota/conferma/<str:token>/",
        public.BookingVerifyView.as_view(),
        name="booking_verify",
    ),
    path(
        "<slug:hub_slug>/prenota/consenso/<str:token>/",
        public.BookingGuardianView.as_view(),
        name="booking_guardian",
    ),
    path(
        "<slug:hub_slug>/prenotazione/<str:token>/", public.BookingManageView.as_view(), name="booking_manage"
    ),
    path(
        "<slug:hub_slug>/prenotazione/<str:token>/calendario.ics",
        public.BookingCalendarView.as_view(),
        name="booking_calendar",
    ),
    path(
        "<slug:hub_slug>/prenotazione/<str:token>/sposta/",
        public.BookingRescheduleView.as_view(),
        name="booking_reschedule",
    ),
    path(
        "<slug:hub_slug>/lista-attesa/<int:service_id>/",
        public.WaitlistJoinView.as_view(),
        name="waitlist_join",
    ),
    path(
        "<slug:hub_slug>/lista-attesa/offerta/<str:token>/",
        public.WaitlistClaimView.as_view(),
        name="waitlist_claim",
    ),
    path(
        "<slug:hub_slug>/lista-attesa/esci/<str:token>/",
        public.WaitlistLeaveView.as_view(),
        name="waitlist_leave",
    ),
    path("<slug:hub_slug>/chiedi/", public.EnquiryCreateView.as_view(), name="enquiry_create"),
    path(
        "<slug:hub_slug>/calendario-operatore/<str:token>.ics",
        bo.OperatorFeedView.as_view(),
        name="operator_feed",
    ),
    path("le-mie-prenotazioni/", public.MyBookingsView.as_view(), name="my_bookings"),
]

# Included under "backoffice/<hub_slug>/sportello/".
backoffice_urlpatterns = [
    path("", bo.CalendarView.as_view(), name="calendar"),
    path("oggi/", bo.TodayView.as_view(), name="today"),
    path("agenda/", bo.AgendaView.as_view(), name="agenda"),
    path("sessioni/<int:slot_id>/appello/", bo.RollCallView.as_view(), name="roll_call"),
    path("prenotazioni/<int:pk>/", bo.BookingDetailView.as_view(), name="booking_detail"),
    path("prenotazioni/nuova/<int:slot_id>/", bo.BookingOnBehalfView.as_view(), name="booking_on_behalf"),
    path("disponibilita/", bo.RuleListView.as_view(), name="rule_list"),
    path("disponibilita/nuova/", bo.RuleCreateView.as_view(), name="rule_create"),
    path("disponibilita/settimana/", bo.WeeklyAvailabilityView.as_view(), name="rule_create_weekly"),
    path("disponibilita/<int:pk>/", bo.RuleUpdateView.as_view(), name="rule_update"),
    path("chiusure/nuova/", bo.ClosureCreateView.as_view(), name="closure_create"),
    path("chiusure/<int:pk>/elimina/", bo.ClosureDeleteView.as_view(), name="closure_delete"),
    path("servizi/", bo.ServiceListView.as_view(), name="service_list"),
    path("servizi/nuovo/", bo.ServiceCreateView.as_view(), name="service_create"),
    path("servizi/<int:pk>/", bo.ServiceUpdateView.as_view(), name="service_update"),
    path("impostazioni/", bo.DeskSettingsView.as_view(), name="settings"),
    path("persone/", bo.PersonListView.as_view(), name="person_list"),
    path("persone/<int:pk>/", bo.PersonRecordView.as_view(), name="person_record"),
    path("persone/doppioni/", bo.PersonDuplicatesView.as_view(), name="person_duplicates"),
    path("persone/<int:pk>/unisci/", bo.PersonMergeView.as_view(), name="person_merge"),
    path("richieste/", bo.EnquiryListView.as_view(), name="enquiry_list"),
    path("richieste/<int:pk>/", bo.EnquiryDetailView.as_view(), name="enquiry_detail"),
    path("lista-attesa/", bo.WaitlistView.as_view(), name="waitlist"),
    path("esporta/", bo.ExportView.as_view(), name="export"),
    path("abbonamento-calendario/", bo.CalendarFeedView.as_view(), name="calendar_feed"),
]
