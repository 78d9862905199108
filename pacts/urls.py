"""URLs of the youth pacts: the public pages, the group's own pages, and the back office."""

from django.urls import path

from .views import backoffice as bo
from .views import public

# Included under "" (young_in_progress/urls.py), before the hub's home.
public_urlpatterns = [
    path("<slug:hub_slug>/patti/", public.PublicBoardView.as_view(), name="public_board"),
    path("<slug:hub_slug>/patti/<int:pk>/", public.PublicPactView.as_view(), name="public_pact"),
    path("<slug:hub_slug>/patti/proponi/", public.ProposalCreateView.as_view(), name="proposal_create"),
    path("<slug:hub_slug>/patti/le-mie-proposte/", public.MyProposalsView.as_view(), name="my_proposals"),
    path(
        "<slug:hub_slug>/patti/proposte/<int:pk>/",
        public.ProposalUpdateView.as_view(),
        name="proposal_update",
    ),
    path(
        "<slug:hub_slug>/patti/proposte/<int:pk>/invita/",
        public.MemberInviteView.as_view(),
        name="member_invite",
    ),
    path("<slug:hub_slug>/patti/foto/<int:pk>/", public.TimelinePhotoView.as_view(), name="public_photo"),
    path(
        "<slug:hub_slug>/patti/invito/<str:token>/", public.MemberAcceptView.as_view(), name="member_accept"
    ),
    path(
        "<slug:hub_slug>/patti/incontri/<int:pk>/iscrizione/",
        public.MeetingRegisterView.as_view(),
        name="meeting_register",
    ),
    path(
        "<slug:hub_slug>/patti/iscrizione/<str:token>/annulla/",
        public.RegistrationCancelView.as_view(),
        name="registration_cancel",
    ),
    path(
        "<slug:hub_slug>/patti/presenza/<str:token>/",
        public.MeetingCheckinView.as_view(),
        name="meeting_checkin",
    ),
]

# Included under "backoffice/<hub_slug>/patti/".
backoffice_urlpatterns = [
    path("", bo.BoardView.as_view(), name="board"),
    path("<int:pk>/", bo.PactDetailView.as_view(), name="pact_detail"),
    path("<int:pk>/nota/", bo.NoteCreateView.as_view(), name="note_create"),
    path("<int:pk>/integrazioni/", bo.AdditionsView.as_view(), name="additions"),
    path("<int:pk>/decisione/", bo.DecisionView.as_view(), name="decision"),
    path("<int:pk>/condizioni/", bo.TermsView.as_view(), name="terms"),
    path("<int:pk>/firme/", bo.SignatureView.as_view(), name="signature"),
    path("<int:pk>/variante/", bo.VariationView.as_view(), name="variation"),
    path("<int:pk>/patto.pdf", bo.PactPdfView.as_view(), name="pact_pdf"),
    path("<int:pk>/azioni/nuova/", bo.ActionCreateView.as_view(), name="action_create"),
    path("<int:pk>/diario/", bo.TimelineCreateView.as_view(), name="timeline_create"),
    path("<int:pk>/bilancio/voce/", bo.BudgetLineCreateView.as_view(), name="budget_line_create"),
    path("<int:pk>/bilancio/variante/", bo.BudgetMoveView.as_view(), name="budget_move"),
    path("<int:pk>/spese/nuova/", bo.ExpenseCreateView.as_view(), name="expense_create"),
    path("<int:pk>/registro/", bo.LedgerView.as_view(), name="ledger"),
    path("<int:pk>/ricevute.zip", bo.ReceiptsZipView.as_view(), name="receipts_zip"),
    path("azioni/<int:pk>/", bo.ActionUpdateView.as_view(), name="action_update"),
    path("spese/<int:pk>/", bo.ExpenseDecideView.as_view(), name="expense_decide"),
    path("spese/<int:pk>/ricevuta/", bo.ReceiptView.as_view(), name="receipt"),
    path("<int:pk>/incontri/nuovo/", bo.MeetingCreateView.as_view(), name="meeting_create"),
    path("incontri/<int:pk>/presenze/", bo.MeetingAttendanceView.as_view(), name="meeting_attendance"),
    path("incontri/<int:pk>/verbale/", bo.MeetingCloseView.as_view(), name="meeting_close"),
    path("incontri/<int:pk>/modifica/", bo.MeetingUpdateView.as_view(), name="meeting_update"),
    path("<int:pk>/tranche/nuova/", bo.TrancheCreateView.as_view(), name="tranche_create"),
    path("tranche/<int:pk>/pagamento/", bo.TranchePayView.as_view(), name="tranche_pay"),
    path("diario/<int:pk>/foto/", bo.TimelinePhotoView.as_view(), name="timeline_photo"),
    path("membri/<int:pk>/consenso/", bo.GuardianConsentView.as_view(), name="guardian_consent"),
]
