"""URLs of the job club: the public verification page, the student's own page, the back office."""

from django.urls import path

from .views import backoffice as bo
from .views import public

# Included under "" (young_in_progress/urls.py), before the hub's home.
public_urlpatterns = [
    path("<slug:hub_slug>/job-club/verifica/", public.VerifyView.as_view(), name="verify"),
    path("<slug:hub_slug>/job-club/verifica/<str:code>/", public.VerifyView.as_view(), name="verify_code"),
    # a signed-in student's own hours and certificate
    path("account/job-club/", public.MyHoursView.as_view(), name="my_hours"),
    path("account/job-club/attestato/<int:pk>/", public.MyCertificateView.as_view(), name="my_certificate"),
    path(
        "account/job-club/autovalutazione/<int:pk>/",
        public.MySelfAssessmentView.as_view(),
        name="my_self_assessment",
    ),
]

# Included under "backoffice/<hub_slug>/job-club/".
backoffice_urlpatterns = [
    path("", bo.HomeView.as_view(), name="home"),
    path("percorsi/nuovo/", bo.PathCreateView.as_view(), name="path_create"),
    path("percorsi/<int:pk>/", bo.PathDetailView.as_view(), name="path_detail"),
    path("percorsi/<int:pk>/modifica/", bo.PathUpdateView.as_view(), name="path_update"),
    path("percorsi/<int:pk>/chiusura/", bo.PathCloseView.as_view(), name="path_close"),
    path("percorsi/<int:pk>/incontri/nuovo/", bo.SessionCreateView.as_view(), name="session_create"),
    path("percorsi/<int:pk>/elenco/", bo.RosterImportView.as_view(), name="roster_import"),
    path("percorsi/<int:pk>/attestati/", bo.CertificatesIssueView.as_view(), name="certificates_issue"),
    path("percorsi/<int:pk>/attestati.zip", bo.CertificatesZipView.as_view(), name="certificates_zip"),
    path("percorsi/<int:pk>/ore-scuola/", bo.SchoolHoursView.as_view(), name="school_hours"),
    path("percorsi/<int:pk>/calendario.ics", bo.ClassCalendarView.as_view(), name="class_calendar"),
    path("incontri/<int:pk>/", bo.SessionDetailView.as_view(), name="session_detail"),
    path("incontri/<int:pk>/modifica/", bo.SessionUpdateView.as_view(), name="session_update"),
    path("incontri/<int:pk>/registro/", bo.RegisterTakeView.as_view(), name="register_take"),
    path("incontri/<int:pk>/firma/", bo.RegisterSignView.as_view(), name="register_sign"),
    path("incontri/<int:pk>/convalida/", bo.RegisterValidateView.as_view(), name="register_validate"),
    path("incontri/<int:pk>/registro.pdf", bo.RegisterPdfView.as_view(), name="register_pdf"),
    path("studenti/<int:pk>/attestato.pdf", bo.CertificatePdfView.as_view(), name="certificate_pdf"),
    path("studenti/<int:pk>/cancella/", bo.StudentEraseView.as_view(), name="student_erase"),
    path("calendario/mio.ics", bo.TrainerCalendarView.as_view(), name="trainer_calendar"),
    path("giovani-lavoratori/", bo.YoungWorkerListView.as_view(), name="young_worker_list"),
    path("giovani-lavoratori/nuovo/", bo.YoungWorkerCreateView.as_view(), name="young_worker_create"),
    path("giovani-lavoratori/<int:pk>/", bo.YoungWorkerUpdateView.as_view(), name="young_worker_update"),
]
