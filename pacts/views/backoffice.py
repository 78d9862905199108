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
    VariationForm,
)
from ..models import Expense, Pact, PactAction, PactMeeting, PactMember, TimelineEntry

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
    """The pages of one pact: `self.pact`, or 404 beyond the member's reach."""

    applicable_states: tuple = ()  # the states the page's step applies to (empty: all)

    def load(self, **kwargs):
        self.pact = get_object_or_404(self.pacts().select_related("sub_area", "hub"), pk=kwargs["pk"])

    def pact_url(self, anchor: str = "") -> str:
        return self.hub_url("pactsbo:pact_detail", pk=self.pact.pk) + anchor

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
    """A form on one pact: `act(form)` calls the service; its errors stay on the form."""

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

    def act(self, form):
        """The write this form makes (a service call); every concrete view of a pact defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define act(form): the service it calls")


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


class PactDetailView(PactMixin, TemplateView):
    template_name = "pacts/backoffice/pact_detail.html"

    def get_context_data(self, **kwargs):
        pact = self.pact
        manage = self.membership.can("pacts.manage")
        return super().get_context_data(
            figures=selectors.figures_for([pact.pk])[pact.pk],
            members=list(pact.members.all()),
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


class GuardianConsentView(PactsMixin, TemplateView):
    """The hub records a minor co-author's guardian's consent (the signed paper form)."""

    permission = "pacts.manage"
    template_name = "pacts/backoffice/guardian_consent.html"
    page_title = gettext_lazy("Guardian's consent")

    def load(self, **kwargs):
        self.member = get_object_or_404(
            PactMember.objects.for_hub(self.hub).filter(pact__in=self.pacts()).select_related("pact"),
            pk=kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(member=self.member, pact=self.member.pact, **kwargs)
        context["cancel_url"] = self.hub_url("pactsbo:pact_detail", pk=self.member.pact_id)
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.member_guardian_consent(member=self.member)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The guardian's consent is recorded."))
        return redirect("pactsbo:pact_detail", hub_slug=self.hub.slug, pk=self.member.pact_id)


# --- Actions and timeline ----------------------------------------------------------------------------


class ActionCreateView(PactFormView):
    permission = "pacts.manage"
    form_class = ActionForm
    applicable_states = (Pact.State.APPROVED, *Pact.PUBLIC_STATES)
    page_title = gettext_lazy("New action")
    success_message = gettext_lazy("Action added.")

    def act(self, form):
        services.action_add(pact=self.pact, **form.cleaned_data)


class ActionUpdateView(PactsMixin, FormView):
    """Staff change everything of an action; a partner operator its status and progress."""

    permission = "pacts.update_progress"
    template_name = "pacts/backoffice/pact_form.html"
    page_title = gettext_lazy("Action")

    def load(self, **kwargs):
        self.action = get_object_or_404(
            PactAction.objects.for_hub(self.hub).filter(pact__in=self.pacts()).select_related("pact"),
            pk=kwargs["pk"],
        )

    def get_form_class(self):
        return ActionForm if self.membership.can("pacts.manage") else ProgressForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": PactAction.objects.get(pk=self.action.pk)}

    def get_page_title(self):
        return str(self.action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(pact=self.action.pact, applicable=True, **kwargs)
        context["cancel_url"] = self.hub_url("pactsbo:pact_detail", pk=self.action.pact_id) + "#actions"
        return context

    def form_valid(self, form):
        try:
            services.action_update(action=self.action, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Action saved."))
        return redirect(self.hub_url("pactsbo:pact_detail", pk=self.action.pact_id) + "#actions")


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

    def act(self, form):
        services.expense_add(pact=self.pact, by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.pact_url("#money")


class _ExpenseMixin(PactsMixin):
    def load(self, **kwargs):
        self.expense = get_object_or_404(
            Expense.objects.for_hub(self.hub).filter(pact__in=self.pacts()).select_related("pact", "line"),
            pk=kwargs["pk"],
        )


class ExpenseDecideView(_ExpenseMixin, TemplateView):
    permission = "pacts.manage"
    template_name = "pacts/backoffice/expense_decide.html"
    page_title = gettext_lazy("Approve an expense")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(expense=self.expense, pact=self.expense.pact, **kwargs)
        context["cancel_url"] = self.hub_url("pactsbo:pact_detail", pk=self.expense.pact_id) + "#money"
        return context

    def post(self, request, *args, **kwargs):
        approve = request.POST.get("decision") == "approve"
        try:
            services.expense_decide(expense=self.expense, approve=approve, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Expense approved.") if approve else _("Expense rejected."))
        return redirect(self.hub_url("pactsbo:pact_detail", pk=self.expense.pact_id) + "#money")


class ReceiptView(_ExpenseMixin, View):
    """The receipt, from private storage, to those who may open the pact."""

    def get(self, request, *args, **kwargs):
        receipt = self.expense.receipt
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

    def act(self, form):
        services.meeting_add(pact=self.pact, **form.cleaned_data)

    def get_success_url(self):
        return self.pact_url("#meetings")


class _MeetingFormView(PactsMixin, FormView):
    """A form on one meeting of a pact within reach (else 404)."""

    permission = "pacts.update_progress"
    template_name = "pacts/backoffice/pact_form.html"
    success_message = ""
    submit_label = gettext_lazy("Save")

    def load(self, **kwargs):
        self.meeting = get_object_or_404(
            PactMeeting.objects.for_hub(self.hub).filter(pact__in=self.pacts()).select_related("pact"),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return f"{self.page_title} · {self.meeting}"

    def pact_url(self) -> str:
        return self.hub_url("pactsbo:pact_detail", pk=self.meeting.pact_id) + "#meetings"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            pact=self.meeting.pact,
            meeting=self.meeting,
            applicable=not self.meeting.is_closed,
            submit=self.submit_label,
            intro=self.intro,
            **kwargs,
        )
        context["cancel_url"] = self.pact_url()
        return context

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.pact_url())


class MeetingAttendanceView(_MeetingFormView):
    form_class = AttendanceForm
    template_name = "pacts/backoffice/meeting_attendance.html"
    page_title = gettext_lazy("Registration and attendance")
    intro = gettext_lazy("Tick who registered and who came: each young person counts once per pact.")
    success_message = gettext_lazy("Lists saved.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs() | {"meeting": self.meeting}
        if self.request.method == "GET":
            rows = list(self.meeting.attendances.values_list("member_id", "attended"))
            kwargs["initial"] = {
                "registered": [pk for pk, _came in rows],
                "attended": [pk for pk, came in rows if came],
            }
        return kwargs

    def act(self, form):
        services.meeting_attendance_set(meeting=self.meeting, **form.cleaned_data)


class MeetingCloseView(_MeetingFormView):
    form_class = MinutesForm
    page_title = gettext_lazy("Minutes and closing")
    intro = gettext_lazy(
        "Once closed with its minutes, the meeting counts as held and its lists no longer change."
    )
    submit_label = gettext_lazy("Close the meeting")
    success_message = gettext_lazy("Meeting closed: it counts as held.")

    def act(self, form):
        services.meeting_close(meeting=self.meeting, minutes=form.cleaned_data["minutes"])


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


class TimelinePhotoView(PactsMixin, View):
    """A timeline photo, to those who may open its pact."""

    def load(self, **kwargs):
        self.entry = get_object_or_404(
            TimelineEntry.objects.for_hub(self.hub).filter(pact__in=self.pacts()), pk=kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        return photo_response(self.entry)
