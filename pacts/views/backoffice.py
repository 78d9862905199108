"""
The back office of the youth pacts: the board of the hub's sub-areas (one pact each), a pact's
page (the proposal, its review, the signed pact, its actions and money), and the forms that act
on it.

Every view is `HubMixin` + a generic view. Every pact is looked up through
`selectors.pacts_for(hub, membership)` — hub staff reach all the hub's pacts, a partner
operator those naming their organization, others none — and what hangs from a pact through
those pacts, so anything beyond reach is a 404. A form page whose step does not apply to the
pact's state (deciding a signed pact) says so instead of showing the form; the services refuse
it anyway. Writes go through pacts/services.py, whose ValidationErrors land on the form.
"""

import io
import zipfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from hubs import exports as hub_exports
from hubs.forms import add_service_error
from hubs.mixins import HubMixin
from hubs.navigation import section_tabs
from hubs.pdf import pdf_response

from .. import pdf, selectors, services
from ..forms import (
    ActionForm,
    AdditionsForm,
    AttendanceForm,
    BudgetLineForm,
    BudgetMoveForm,
    DecisionForm,
    ExpenseForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    ProgressForm,
    SignatureForm,
    TermsForm,
    TimelineForm,
    TrancheForm,
    TranchePayForm,
    VariationForm,
)
from ..models import Expense, Pact, PactAction, PactMeeting, PactMember, TimelineEntry, Tranche

TABS = (("board", gettext_lazy("Pacts by sub-area"), "pactsbo:board"),)


class PactsMixin(HubMixin):
    permission = "pacts.view_pact"
    cancel_url_name = "pactsbo:board"
    tab = "board"

    def pacts(self):
        return selectors.pacts_for(hub=self.hub, membership=self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.tab)
        return context


class PactMixin(PactsMixin):
    """
    The pages of one pact: `self.pact`, or 404 beyond the member's reach. With `child_model`
    (a model hanging from a pact: an action, a meeting, a tranche, an expense…) the URL's pk is
    the child's: `self.object` is it, found only among the pacts within reach, and `self.pact`
    its pact.
    """

    applicable_states: tuple = ()  # the states the page's step applies to (empty: all)
    child_model = None
    anchor = ""  # where on the pact's page the view leads back to

    def load(self, **kwargs):
        if self.child_model is None:
            self.pact = get_object_or_404(self.pacts().select_related("sub_area", "hub"), pk=kwargs["pk"])
            return
        children = self.child_model.objects.for_hub(self.hub).filter(pact__in=self.pacts())
        self.object = get_object_or_404(children.select_related("pact", "pact__hub"), pk=kwargs["pk"])
        self.pact = self.object.pact

    def pact_url(self, anchor: str = "") -> str:
        return self.hub_url("pactsbo:pact_detail", pk=self.pact.pk) + (anchor or self.anchor)

    def get_page_title(self):
        return self.page_title or str(self.pact)

    @property
    def applicable(self) -> bool:
        return not self.applicable_states or self.pact.state in self.applicable_states

    def get_context_data(self, **kwargs):
        context = super().get_context_data(pact=self.pact, applicable=self.applicable, **kwargs)
        context["cancel_url"] = self.pact_url()
        return context

    def get_success_url(self):
        return self.pact_url()


class PactFormView(PactMixin, FormView):
    """
    A form on one pact. Each view built on it defines `act(form)`, the service call its form
    makes (this base is never routed itself); the service's errors stay on the form.
    """

    template_name = "pacts/backoffice/pact_form.html"
    success_message = ""
    submit_label = gettext_lazy("Save")
    intro = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(submit=self.submit_label, intro=self.intro, **kwargs)

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())


# --- The board ------------------------------------------------------------------------------------


class BoardView(PactsMixin, TemplateView):
    """Every sub-area of the hub with its pact's state and figures, and "no pact yet"."""

    permission = "pacts.view"
    template_name = "pacts/backoffice/board.html"
    page_title = gettext_lazy("Youth pacts")

    def get_context_data(self, **kwargs):
        rows = selectors.board(hub=self.hub)
        reachable = set(self.pacts().values_list("pk", flat=True))
        for row in rows:
            row["linked"] = row["pact"] is not None and row["pact"].pk in reachable
        other = (
            self.pacts()
            .exclude(pk__in=[row["pact"].pk for row in rows if row["pact"]])
            .select_related("sub_area")
            .order_by("-created_at")
        )
        return super().get_context_data(
            rows=rows,
            signed=sum(1 for row in rows if row["pact"] and row["pact"].is_signed),
            areas=len(rows),
            other=other,
            **kwargs,
        )


# --- One pact ---------------------------------------------------------------------------------------


def log_access(view, person_ids, *, what: str) -> None:
    """The page names these young people: log that the member opened their data."""
    services.people_opened(hub=view.hub, user=view.request.user, person_ids=person_ids, what=what)


class PactDetailView(PactMixin, TemplateView):
    """The pact's page; it names the group's members, so opening it is logged for each of them."""

    template_name = "pacts/backoffice/pact_detail.html"

    def get_context_data(self, **kwargs):
        pact = self.pact
        manage = self.membership.can("pacts.manage")
        members = list(pact.members.all())
        log_access(self, [member.person_id for member in members if member.may_be_named], what="pacts.pact")
        return super().get_context_data(
            figures=selectors.figures_for([pact.pk])[pact.pk],
            members=members,
            tranches=list(selectors.tranches_of(pact)),
            notes=list(pact.review_notes.select_related("author")) if manage else [],
            actions=list(pact.actions.all()),
            signatures=list(pact.signatures.all()),
            variations=list(pact.variations.all()),
            lines=selectors.line_totals(pact),
            expenses=list(pact.expenses.select_related("line")),
            timeline=list(pact.entries.all()),
            partners=list(pact.partners.all()),
            meetings=list(selectors.meetings_of(pact)),
            manage=manage,
            **kwargs,
        )


class NoteCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = NoteForm
    page_title = gettext_lazy("Private note of the review")
    intro = gettext_lazy("Only the hub's staff read the review's notes.")
    success_message = gettext_lazy("Note saved.")

    def act(self, form):
        services.review_note_add(pact=self.pact, author=self.request.user, text=form.cleaned_data["text"])


class AdditionsView(PactFormView):
    permission = "pacts.manage"
    form_class = AdditionsForm
    applicable_states = (Pact.State.IN_REVIEW,)
    page_title = gettext_lazy("Ask the group for additions")
    intro = gettext_lazy("The review's 30 days stop until the group sends the additions.")
    submit_label = gettext_lazy("Send the request")
    success_message = gettext_lazy("Request sent to the group: the review's clock is paused.")

    def act(self, form):
        services.additions_request(pact=self.pact, text=form.cleaned_data["text"])


class DecisionView(PactFormView):
    permission = "pacts.manage"
    form_class = DecisionForm
    applicable_states = (Pact.State.IN_REVIEW,)
    page_title = gettext_lazy("Decide on the proposal")
    submit_label = gettext_lazy("Record the decision")
    success_message = gettext_lazy("Decision recorded and sent to the group.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def act(self, form):
        data = form.cleaned_data
        services.decide(
            pact=self.pact,
            approve=data["decision"] == "approve",
            motivation=data["motivation"],
            partners=data["partners"],
        )


class TermsView(PactFormView):
    permission = "pacts.manage"
    form_class = TermsForm
    applicable_states = (Pact.State.APPROVED,)
    page_title = gettext_lazy("Terms of the pact")
    intro = gettext_lazy(
        "Complete the pact before it is signed: after the signature it changes only by a variation."
    )
    success_message = gettext_lazy("Terms saved.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Pact.objects.get(pk=self.pact.pk)}

    def act(self, form):
        services.pact_terms_set(
            pact=self.pact, **{name: form.cleaned_data[name] for name in services.CONTENT_FIELDS}
        )


class SignatureView(PactFormView):
    permission = "pacts.manage"
    form_class = SignatureForm
    applicable_states = (Pact.State.APPROVED, Pact.State.SIGNED)
    page_title = gettext_lazy("Record a signature")
    intro = gettext_lazy("The pact is signed once the hub (or the municipality) and the group have signed.")
    success_message = gettext_lazy("Signature recorded.")

    def act(self, form):
        services.signature_add(pact=self.pact, by=self.request.user, **form.cleaned_data)


class VariationView(PactFormView):
    permission = "pacts.manage"
    form_class = VariationForm
    applicable_states = Pact.PUBLIC_STATES
    page_title = gettext_lazy("Variation of the signed pact")
    intro = gettext_lazy("Change what must change and say why: the variation is numbered and kept.")
    submit_label = gettext_lazy("Approve the variation")
    success_message = gettext_lazy("Variation approved.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": Pact.objects.get(pk=self.pact.pk)}

    def act(self, form):
        data = form.cleaned_data
        services.variation_create(
            pact=self.pact,
            reason=data["reason"],
            by=self.request.user,
            **{name: data[name] for name in services.CONTENT_FIELDS},
        )


class PactPdfView(PactMixin, View):
    """The pact as a PDF: parties, objectives, actions, responsibilities, resources, signatures."""

    def get(self, request, *args, **kwargs):
        return pdf_response(pdf.pact_pdf(pact=self.pact), f"patto-{self.pact.pk}-v{self.pact.version}.pdf")


class GuardianConsentView(PactMixin, TemplateView):
    """The hub records a minor co-author's guardian's consent (the signed paper form)."""

    permission = "pacts.manage"
    child_model = PactMember
    template_name = "pacts/backoffice/guardian_consent.html"
    page_title = gettext_lazy("Guardian's consent")

    def get_context_data(self, **kwargs):
        log_access(self, [self.object.person_id], what="pacts.member")
        return super().get_context_data(member=self.object, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            services.member_guardian_consent(member=self.object)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The guardian's consent is recorded."))
        return redirect(self.pact_url())


# --- Actions and timeline ----------------------------------------------------------------------------


class ActionCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = ActionForm
    applicable_states = (Pact.State.APPROVED, *Pact.PUBLIC_STATES)
    page_title = gettext_lazy("New action")
    success_message = gettext_lazy("Action added.")

    def act(self, form):
        services.action_add(pact=self.pact, **form.cleaned_data)


class ActionUpdateView(PactFormView):
    """Staff change everything of an action; a partner operator its status and progress."""

    permission = "pacts.update_progress"
    child_model = PactAction
    anchor = "#actions"
    success_message = gettext_lazy("Action saved.")

    def get_form_class(self):
        return ActionForm if self.membership.can("pacts.manage") else ProgressForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": PactAction.objects.get(pk=self.object.pk)}

    def get_page_title(self):
        return str(self.object)

    def act(self, form):
        services.action_update(action=self.object, **form.cleaned_data)


class TimelineCreateView(PactFormView):
    permission = "pacts.update_progress"
    form_class = TimelineForm
    page_title = gettext_lazy("Tell what happened")
    intro = gettext_lazy("The timeline is public: write no name of a young person, show no minor in a photo.")
    success_message = gettext_lazy("Added to the timeline.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(multipart=True, **kwargs)

    def act(self, form):
        services.timeline_add(pact=self.pact, **form.cleaned_data)


# --- Money ---------------------------------------------------------------------------------------------


class BudgetLineCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = BudgetLineForm
    applicable_states = (Pact.State.APPROVED,)
    page_title = gettext_lazy("New budget line")
    success_message = gettext_lazy("Budget line added.")

    def act(self, form):
        services.budget_line_add(pact=self.pact, **form.cleaned_data)


class BudgetMoveView(PactFormView):
    permission = "pacts.manage"
    form_class = BudgetMoveForm
    applicable_states = Pact.PUBLIC_STATES
    page_title = gettext_lazy("Move money between budget lines")
    intro = gettext_lazy("Moving money is a variation of the pact: it is numbered and kept with its reason.")
    submit_label = gettext_lazy("Approve the variation")
    success_message = gettext_lazy("Variation approved: the money is moved.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"pact": self.pact}

    def act(self, form):
        services.budget_move(pact=self.pact, by=self.request.user, **form.cleaned_data)


class ExpenseCreateView(PactFormView):
    permission = "pacts.update_progress"
    form_class = ExpenseForm
    applicable_states = Pact.PUBLIC_STATES
    page_title = gettext_lazy("New expense")
    intro = gettext_lazy("Every expense needs its receipt; the hub approves it.")
    success_message = gettext_lazy("Expense recorded: it waits for the hub's approval.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"pact": self.pact}

    def get_context_data(self, **kwargs):
        return super().get_context_data(multipart=True, **kwargs)

    anchor = "#money"

    def act(self, form):
        services.expense_add(pact=self.pact, by=self.request.user, **form.cleaned_data)


class TrancheCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = TrancheForm
    applicable_states = services.TRANCHE_STATES
    page_title = gettext_lazy("New payment tranche")
    intro = gettext_lazy(
        "A tranche is tied to a milestone: it becomes due when the milestone is done. "
        "The tranches together cannot pass the pact's budget."
    )
    success_message = gettext_lazy("Tranche planned.")
    anchor = "#tranches"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"pact": self.pact}

    def act(self, form):
        services.tranche_add(pact=self.pact, **form.cleaned_data)


class TranchePayView(PactFormView):
    """The hub records that it paid a due tranche (who and when are kept)."""

    permission = "pacts.manage"
    child_model = Tranche
    form_class = TranchePayForm
    page_title = gettext_lazy("Pay a tranche")
    submit_label = gettext_lazy("Record the payment")
    success_message = gettext_lazy("Payment recorded.")
    anchor = "#tranches"

    @property
    def applicable(self) -> bool:
        return self.object.status == Tranche.Status.DUE

    def get_initial(self):
        return {"paid_on": timezone.localdate()}

    @property
    def intro(self) -> str:
        return _("%(amount)s for the milestone “%(milestone)s”.") % {
            "amount": services.euro(self.object.amount),
            "milestone": self.object.milestone,
        }

    def get_context_data(self, **kwargs):
        not_applicable = _("Only a due tranche is paid: this one is “%(status)s”.") % {
            "status": self.object.get_status_display()
        }
        return super().get_context_data(not_applicable=not_applicable, **kwargs)

    def act(self, form):
        services.tranche_pay(tranche=self.object, by=self.request.user, **form.cleaned_data)


class ExpenseDecideView(PactMixin, TemplateView):
    permission = "pacts.manage"
    child_model = Expense
    anchor = "#money"
    template_name = "pacts/backoffice/expense_decide.html"
    page_title = gettext_lazy("Approve an expense")

    def get_context_data(self, **kwargs):
        return super().get_context_data(expense=self.object, **kwargs)

    def post(self, request, *args, **kwargs):
        approve = request.POST.get("decision") == "approve"
        try:
            services.expense_decide(expense=self.object, approve=approve, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Expense approved.") if approve else _("Expense rejected."))
        return redirect(self.pact_url())


class ReceiptView(PactMixin, View):
    """The receipt, from private storage, to those who may open the pact."""

    child_model = Expense

    def get(self, request, *args, **kwargs):
        receipt = self.object.receipt
        try:
            handle = receipt.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=False, filename=receipt.name.rsplit("/", 1)[-1])


class LedgerView(PactMixin, View):
    """The ledger of approved expenses (CSV or XLSX); its total equals the approved expenses."""

    def get(self, request, *args, **kwargs):
        format = request.GET.get("format", hub_exports.CSV)
        if format not in hub_exports.CONTENT_TYPES:
            format = hub_exports.CSV
        data = hub_exports.dataset(
            [
                _("date"),
                _("budget line"),
                _("category"),
                _("description"),
                _("supplier"),
                _("amount (€)"),
                _("receipt"),
            ],
            title=_("Ledger"),
        )
        total = 0
        for expense in self.pact.expenses.filter(status=Expense.Status.APPROVED).select_related("line"):
            data.append(
                [
                    expense.date,
                    expense.line.description,
                    expense.line.get_category_display(),
                    expense.description,
                    expense.supplier,
                    expense.amount,
                    _receipt_name(expense),
                ]
            )
            total += expense.amount
        data.append(["", "", "", _("Total"), "", total, ""])
        # The payment tranches, below the expenses and apart from their total.
        tranches = list(selectors.tranches_of(self.pact))
        if tranches:
            data.append(["", "", "", "", "", "", ""])
            for tranche in tranches:
                data.append(
                    [
                        tranche.paid_on or tranche.planned_on or "",  # a date cell
                        _("Payment tranche"),
                        tranche.get_status_display(),
                        str(tranche.milestone),
                        "",
                        tranche.amount,
                        "",
                    ]
                )
            paid = sum(t.amount for t in tranches if t.status == Tranche.Status.PAID)
            data.append(["", "", "", _("Tranches paid"), "", paid, ""])
        return hub_exports.response(data, format=format, filename=f"patto-{self.pact.pk}-registro")


def _receipt_name(expense: Expense) -> str:
    extension = expense.receipt.name.rsplit(".", 1)[-1]
    return f"{expense.date:%Y-%m-%d}-{expense.pk}.{extension}"


class ReceiptsZipView(PactMixin, View):
    """Every receipt of the approved expenses in one ZIP, named as the ledger names them."""

    def get(self, request, *args, **kwargs):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for expense in self.pact.expenses.filter(status=Expense.Status.APPROVED):
                try:
                    with expense.receipt.open("rb") as handle:
                        archive.writestr(_receipt_name(expense), handle.read())
                except FileNotFoundError:
                    continue
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="patto-{self.pact.pk}-ricevute.zip"'
        return response


# --- Co-design meetings ----------------------------------------------------------------------------


class MeetingCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = MeetingForm
    applicable_states = services.MEETING_STATES
    page_title = gettext_lazy("New co-design meeting")
    intro = gettext_lazy("The next meeting's day and place show on the pact's public page (not its agenda).")
    success_message = gettext_lazy("Meeting planned.")

    anchor = "#meetings"

    def act(self, form):
        services.meeting_add(pact=self.pact, **form.cleaned_data)


class _MeetingFormView(PactFormView):
    """A form on one meeting of a pact within reach (else 404); a closed meeting's no longer applies."""

    permission = "pacts.update_progress"
    child_model = PactMeeting
    anchor = "#meetings"

    @property
    def applicable(self) -> bool:
        return not self.object.is_closed

    def get_page_title(self):
        return f"{self.page_title} · {self.object}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.object, **kwargs)


class MeetingAttendanceView(_MeetingFormView):
    """
    The meeting's page for its lists: who registered (group members, young people who
    registered online) and who came; on the meeting's day, the QR code young people scan to
    mark themselves present. Opening it is logged for each young person it names.
    """

    form_class = AttendanceForm
    template_name = "pacts/backoffice/meeting_attendance.html"
    page_title = gettext_lazy("Registration and attendance")
    intro = gettext_lazy("Tick who registered and who came: each young person counts once per pact.")
    success_message = gettext_lazy("Lists saved.")

    def get(self, request, *args, **kwargs):
        self.rows = selectors.meeting_rows(self.object)
        log_access(self, [row.person_id for row in self.rows], what="pacts.meeting")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"meeting": self.object}
        if self.request.method == "GET":
            rows = [row for row in self.rows if row.member_id]
            kwargs["initial"] = {
                "registered": [row.member_id for row in rows],
                "attended": [row.member_id for row in rows if row.attended],
                "guests": [row.pk for row in self.rows if not row.member_id and row.attended],
            }
        return kwargs

    def get_context_data(self, **kwargs):
        meeting = self.object
        qr = services.checkin_open(meeting)
        return super().get_context_data(
            qr_svg=services.meeting_qr_svg(meeting) if qr else "",
            qr_url=services.meeting_qr_url(meeting) if qr else "",
            **kwargs,
        )

    def act(self, form):
        services.meeting_attendance_set(meeting=self.object, **form.cleaned_data)


class MeetingUpdateView(_MeetingFormView):
    permission = "pacts.manage"
    form_class = MeetingForm
    page_title = gettext_lazy("Change the meeting")
    intro = gettext_lazy("Everyone registered is told of the change by e-mail, once.")
    success_message = gettext_lazy("Meeting changed: the people registered are told by e-mail.")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": PactMeeting.objects.get(pk=self.object.pk)}

    def act(self, form):
        services.meeting_update(meeting=self.object, **form.cleaned_data)


class MeetingCloseView(_MeetingFormView):
    form_class = MinutesForm
    page_title = gettext_lazy("Minutes and closing")
    intro = gettext_lazy(
        "Once closed with its minutes, the meeting counts as held and its lists no longer change."
    )
    submit_label = gettext_lazy("Close the meeting")
    success_message = gettext_lazy("Meeting closed: it counts as held.")

    def act(self, form):
        services.meeting_close(meeting=self.object, minutes=form.cleaned_data["minutes"])


# --- Timeline photos ------------------------------------------------------------------------------


def photo_response(entry: TimelineEntry):
    """The photo of a timeline entry, read from storage (media is not routed)."""
    if not entry.photo:
        raise Http404
    try:
        handle = entry.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=False, filename=entry.photo.name.rsplit("/", 1)[-1])


class TimelinePhotoView(PactMixin, View):
    """A timeline photo, to those who may open its pact."""

    child_model = TimelineEntry

    def get(self, request, *args, **kwargs):
        return photo_response(self.object)
