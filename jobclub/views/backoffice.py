"""
The back office of the job club: the action's page (paths against the project plan), a path's
page (sessions, roster with hours, certificates), sessions and their registers, the roster
import, certificates, the school's hours export, the young workers' registry, .ics feeds.

Every view is `HubMixin` + a generic view. Every path is looked up through
`selectors.paths_for(hub, membership)` — hub staff reach all the hub's paths, a school referent
only those of their school (django-guardian grant to the school's group) — and sessions,
students and certificates through those paths, so anything beyond reach is a 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView, View

from hubs import exports as hub_exports
from hubs.forms import add_service_error
from hubs.mixins import HubMixin
from hubs.navigation import section_tabs
from hubs.pdf import pdf_response

from .. import calendar, pdf, selectors, services
from ..forms import PathCloseForm, PathForm, RegisterForm, RosterForm, SessionForm, YoungWorkerForm
from ..models import Certificate, PathKind, Session, YoungWorker, hours_text

TABS = (
    ("paths", gettext_lazy("Paths"), "jobclubbo:home"),
    ("new", gettext_lazy("New path"), "jobclubbo:path_create"),
    ("workers", gettext_lazy("Young workers"), "jobclubbo:young_worker_list"),
)
TARGETS = {PathKind.TECHNICAL: 12, PathKind.LICEI: 3}  # the project plan's (governance holds them too)


class JobClubMixin(HubMixin):
    permission = "jobclub.view_paths"
    cancel_url_name = "jobclubbo:home"
    tab = "paths"

    def paths(self):
        return selectors.paths_for(hub=self.hub, membership=self.membership)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["section_tabs"] = section_tabs(self.hub, self.membership, TABS, self.tab)
        return context


class PathMixin(JobClubMixin):
    def load(self, **kwargs):
        self.path = get_object_or_404(self.paths().select_related("school", "hub"), pk=kwargs["pk"])

    def path_url(self, anchor: str = "") -> str:
        return self.hub_url("jobclubbo:path_detail", pk=self.path.pk) + anchor

    def get_page_title(self):
        return self.page_title or str(self.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(path=self.path, **kwargs)
        context["cancel_url"] = self.path_url()
        return context


class SessionMixin(JobClubMixin):
    def load(self, **kwargs):
        self.session = get_object_or_404(
            selectors.sessions_for(hub=self.hub, membership=self.membership), pk=kwargs["pk"]
        )
        self.path = self.session.path

    def session_url(self) -> str:
        return self.hub_url("jobclubbo:session_detail", pk=self.session.pk)

    def get_page_title(self):
        return self.page_title or str(self.session)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(session=self.session, path=self.path, **kwargs)
        context["cancel_url"] = self.session_url()
        return context


# --- The action's page and paths ---------------------------------------------------------------


class HomeView(JobClubMixin, TemplateView):
    """Paths by type against the project plan (everyone of the action), and the paths within reach."""

    permission = "jobclub.view"
    template_name = "jobclub/backoffice/home.html"
    page_title = gettext_lazy("At Nine: Job Club")

    def get_context_data(self, **kwargs):
        counts = selectors.paths_by_kind(self.hub)
        progress = [
            {"label": PathKind(kind).label, "count": counts[kind], "target": target}
            for kind, target in TARGETS.items()
        ]
        paths = (
            list(self.paths().select_related("school")) if self.membership.can("jobclub.view_paths") else []
        )
        # a trainer who reaches no path (a partner organization's): the sessions assigned to them
        assigned = []
        if not self.membership.can("jobclub.view_paths") and self.membership.can("jobclub.take_register"):
            sessions = selectors.sessions_for(hub=self.hub, membership=self.membership)
            assigned = list(sessions.order_by("-starts_at")[:100])
        delivered = selectors.delivered_by_path(paths)
        for path in paths:
            path.delivered = delivered.get(path.pk, 0)
            path.delivered_text = hours_text(path.delivered)
            path.planned_text = hours_text(path.planned_minutes)
            path.percent = min(100, round(path.delivered * 100 / path.planned_minutes))
        return super().get_context_data(progress=progress, paths=paths, assigned=assigned, **kwargs)


class PathCreateView(JobClubMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = PathForm
    page_title = gettext_lazy("New job club path")
    tab = "new"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def form_valid(self, form):
        try:
            path = services.path_create(hub=self.hub, by=self.request.user, **form.path_fields())
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Path created. Next: its sessions and the school's roster."))
        return redirect("jobclubbo:path_detail", hub_slug=self.hub.slug, pk=path.pk)


class PathDetailView(PathMixin, TemplateView):
    template_name = "jobclub/backoffice/path_detail.html"

    def get_context_data(self, **kwargs):
        path = self.path
        delivered = selectors.delivered_minutes(path)
        sessions = list(path.sessions.select_related("young_worker", "trainer"))
        students = selectors.students_with_minutes(path)
        return super().get_context_data(
            delivered=hours_text(delivered),
            planned=hours_text(path.planned_minutes),
            threshold=hours_text(path.threshold_minutes),
            percent=min(100, round(delivered * 100 / path.planned_minutes)),
            sessions=sessions,
            students=students,
            trainers=list(path.trainers.all()),
            eligible=sum(1 for s in students if s.eligible and not s.certificate_code and not s.erased_at),
            issued=sum(1 for s in students if s.certificate_code),
            classes=sorted({s.class_name for s in students}),
            assessment=selectors.self_assessment_results([path]),
            now=timezone.now(),
            **kwargs,
        )


class PathUpdateView(PathMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = PathForm
    page_title = gettext_lazy("Path details")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {
            "hub": self.hub,
            "instance": type(self.path).objects.get(pk=self.path.pk),
        }

    def form_valid(self, form):
        try:
            services.path_update(path=self.path, **form.path_fields())
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Path saved."))
        return redirect(self.path_url())


class PathCloseView(PathMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = PathCloseForm
    page_title = gettext_lazy("Close the path")

    def get_initial(self):
        return {"closed_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        delivered = selectors.delivered_minutes(self.path)
        intro = _("Signed sessions: %(delivered)s of %(planned)s planned.") % {
            "delivered": hours_text(delivered),
            "planned": hours_text(self.path.planned_minutes),
        }
        return super().get_context_data(intro=intro, submit=_("Close the path"), **kwargs)

    def form_valid(self, form):
        try:
            services.path_close(
                path=self.path, closed_on=form.cleaned_data["closed_on"], reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Path closed."))
        return redirect(self.path_url())


# --- Sessions ----------------------------------------------------------------------------------


class SessionCreateView(PathMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = SessionForm
    page_title = gettext_lazy("New session")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_initial(self):
        trainer = self.path.trainers.first()
        return {"trainer": trainer.pk if trainer else None}

    def save(self, form, session=None):
        data = form.cleaned_data
        return services.session_save(
            path=self.path,
            session=session,
            starts_at=services.session_datetime(data["day"], data["start"]),
            duration_minutes=data["duration_minutes"],
            topic=data["topic"],
            sector=data["sector"],
            young_worker=data["young_worker"],
            trainer=data["trainer"],
        )

    def form_valid(self, form):
        try:
            session = self.save(form)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Session planned: %(session)s.") % {"session": session})
        return redirect(self.path_url("#sessions"))


class SessionUpdateView(SessionMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = SessionForm
    page_title = gettext_lazy("Change the session")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"hub": self.hub}

    def get_initial(self):
        session = self.session
        local = timezone.localtime(session.starts_at)
        return {
            "day": local.date(),
            "start": local.time(),
            "duration_minutes": session.duration_minutes,
            "topic": session.topic,
            "sector": session.sector,
            "young_worker": session.young_worker_id,
            "trainer": session.trainer_id,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.session_save(
                path=self.path,
                session=Session.objects.get(pk=self.session.pk),
                starts_at=services.session_datetime(data["day"], data["start"]),
                duration_minutes=data["duration_minutes"],
                topic=data["topic"],
                sector=data["sector"],
                young_worker=data["young_worker"],
                trainer=data["trainer"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Session saved."))
        return redirect(self.session_url())


class SessionDetailView(SessionMixin, TemplateView):
    """The register as it stands: lines, signature, validation, and changes after validation."""

    permission = "jobclub.view_session"
    template_name = "jobclub/backoffice/session_detail.html"

    def get_context_data(self, **kwargs):
        lines = {line.student_id: line for line in self.session.attendances.all()}
        students = list(self.path.students.all())
        for student in students:
            student.line = lines.get(student.pk)
        return super().get_context_data(
            students=students,
            changes=list(self.session.changes.select_related("by")),
            duration=hours_text(self.session.duration_minutes),
            started=self.session.starts_at <= timezone.now(),
            **kwargs,
        )


class RegisterTakeView(SessionMixin, FormView):
    """The trainer's register: everyone present, then the exceptions (late, left early, absent)."""

    permission = "jobclub.take_register"
    template_name = "jobclub/backoffice/register_form.html"
    form_class = RegisterForm
    page_title = gettext_lazy("Take the register")

    def get_form_kwargs(self):
        students = list(self.path.students.filter(erased_at__isnull=True))
        current = {line.student_id: line for line in self.session.attendances.all()}
        return super().get_form_kwargs() | {"students": students, "current": current}

    def form_valid(self, form):
        try:
            changed = services.register_save(
                session=self.session,
                by=self.request.user,
                lines=form.lines(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Register saved (%(n)s lines changed).") % {"n": changed})
        return redirect(self.session_url())


class RegisterSignView(SessionMixin, TemplateView):
    permission = "jobclub.take_register"
    template_name = "jobclub/backoffice/confirm.html"
    page_title = gettext_lazy("Sign the register")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_("By signing, you declare the register true. The school's referent then validates it."),
            submit=_("Sign the register"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.register_sign(session=self.session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Register signed."))
        return redirect(self.session_url())


class RegisterValidateView(SessionMixin, TemplateView):
    permission = "jobclub.validate_register"
    template_name = "jobclub/backoffice/confirm.html"
    page_title = gettext_lazy("Validate the register")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "Once validated, the register is locked: a later change needs a reason, and the "
                "school sees who made it and when."
            ),
            submit=_("Validate the register"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            services.register_validate(session=self.session, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Register validated and locked."))
        return redirect(self.session_url())


@method_decorator(never_cache, name="dispatch")
class RegisterPdfView(SessionMixin, View):
    def get(self, request, *args, **kwargs):
        content = pdf.register_pdf(session=self.session)
        name = f"registro_{self.session.starts_at:%Y%m%d}_{self.session.pk}.pdf"
        return HttpResponse(
            content,
            headers={"Content-Type": "application/pdf", "Content-Disposition": f'inline; filename="{name}"'},
        )


# --- Roster, certificates, the school's hours ----------------------------------------------------


class RosterImportView(PathMixin, FormView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/roster_import.html"
    form_class = RosterForm
    page_title = gettext_lazy("Import the school's roster")

    def form_valid(self, form):
        try:
            added = services.roster_import(path=self.path, content=form.cleaned_data["file"].read())
        except services.RosterError as error:
            return self.render_to_response(self.get_context_data(form=form, roster_errors=error.lines))
        messages.success(self.request, _("%(n)s students added to the roster.") % {"n": added})
        return redirect(self.path_url("#roster"))


class CertificatesIssueView(PathMixin, TemplateView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/confirm.html"
    page_title = gettext_lazy("Issue the certificates")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_(
                "A certificate goes to every student who attended at least %(hours)s "
                "(%(percent)s%% of the planned hours)."
            )
            % {"hours": hours_text(self.path.threshold_minutes), "percent": self.path.threshold_percent},
            submit=_("Issue the certificates"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        issued = services.certificates_issue(path=self.path, by=request.user)
        messages.success(request, _("%(n)s certificates issued.") % {"n": issued})
        return redirect(self.path_url("#roster"))


class StudentMixin(JobClubMixin):
    def load(self, **kwargs):
        self.student = get_object_or_404(
            selectors.students_for(hub=self.hub, membership=self.membership).select_related("path__school"),
            pk=kwargs["pk"],
        )
        self.path = self.student.path


@method_decorator(never_cache, name="dispatch")
class CertificatePdfView(StudentMixin, View):
    def get(self, request, *args, **kwargs):
        certificate = (
            Certificate.objects.filter(student=self.student).select_related("student__path", "hub").first()
        )
        if certificate is None:
            raise Http404
        return pdf_response(
            pdf.certificate_pdf(certificate=certificate), pdf.certificate_filename(certificate)
        )


class StudentEraseView(StudentMixin, TemplateView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/confirm.html"
    page_title = gettext_lazy("Erase a student's personal data")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            path=self.path,
            intro=_(
                "%(student)s: the name and personal code are erased; the year of birth, class, "
                "school and hours stay as statistical facts."
            )
            % {"student": self.student},
            submit=_("Erase"),
            cancel_url=self.hub_url("jobclubbo:path_detail", pk=self.path.pk),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        services.student_erase(student=self.student)
        messages.success(request, _("The student's personal data are erased."))
        return redirect(self.hub_url("jobclubbo:path_detail", pk=self.path.pk) + "#roster")


@method_decorator(never_cache, name="dispatch")
class CertificatesZipView(PathMixin, View):
    """The certificates of a class of the path (`?classe=4A`; all of them without) as one ZIP."""

    def get(self, request, *args, **kwargs):
        certificates = Certificate.objects.filter(student__path=self.path, student__erased_at__isnull=True)
        class_name = request.GET.get("classe", "").strip().upper()
        if class_name:
            certificates = certificates.filter(student__class_name=class_name)
        certificates = list(certificates.select_related("student__path__school", "hub"))
        if not certificates:
            messages.info(request, _("No certificate issued yet."))
            return redirect(self.path_url("#roster"))
        name = f"attestati_{slugify(self.path.school.name)}_{slugify(class_name or self.path.title)}.zip"
        return HttpResponse(
            pdf.certificates_zip(certificates),
            headers={
                "Content-Type": "application/zip",
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )


class SchoolHoursView(PathMixin, TemplateView):
    """Hours per student for the school's records: CSV, the "handed to the school" mark, changes since."""

    template_name = "jobclub/backoffice/school_hours.html"
    page_title = gettext_lazy("Hours for the school's records")

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv()
        return super().get(request, *args, **kwargs)

    def csv(self):
        rows, last = services.school_rows(self.path)
        data = hub_exports.dataset(
            [
                _("Last name"),
                _("First name"),
                _("Class"),
                _("Path"),
                _("Hours"),
                _("Minutes"),
                _("Hours as last handed"),
                _("Changed"),
                _("Personal code"),
            ],
            title=_("Job club hours"),
        )
        for row in rows:
            student = row["student"]
            data.append(
                [
                    student.last_name,
                    student.first_name,
                    student.class_name,
                    self.path.title,
                    hours_text(row["minutes"]),
                    row["minutes"],
                    "" if row["before"] is None else hours_text(row["before"]),
                    _("yes") if row["changed"] else "",
                    student.access_code,  # the student signs in with it from the consent age
                ]
            )
        return hub_exports.response(
            data,
            format=hub_exports.CSV,
            filename=f"ore_jobclub_{slugify(self.path.school.name)}_{self.path.pk}",
        )

    def get_context_data(self, **kwargs):
        rows, last = services.school_rows(self.path)
        for row in rows:
            row["minutes_text"] = hours_text(row["minutes"])
            row["before_text"] = "" if row["before"] is None else hours_text(row["before"])
        return super().get_context_data(
            rows=rows, last=last, changed=sum(1 for r in rows if r["changed"]), **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not self.membership.can("jobclub.manage"):
            raise Http404
        services.school_export_mark(path=self.path, by=request.user)
        messages.success(request, _("Marked as handed to the school today."))
        return redirect(self.hub_url("jobclubbo:school_hours", pk=self.path.pk))


# --- Calendars ---------------------------------------------------------------------------------


def ics_response(content: bytes, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


class ClassCalendarView(PathMixin, View):
    """The sessions of the path's classes, in every path of the school (.ics)."""

    def get(self, request, *args, **kwargs):
        classes = set(self.path.class_list)
        sessions = [
            session
            for session in Session.objects.for_hub(self.hub)
            .filter(path__school=self.path.school, path__in=self.paths())
            .select_related("path__school", "young_worker")
            if classes & set(session.path.class_list)
        ]
        name = f"Job Club · {self.path.school.name} · {', '.join(sorted(classes))}"
        return ics_response(
            calendar.sessions_ics(sessions, name=name), f"jobclub_{slugify(self.path.title)}.ics"
        )


class TrainerCalendarView(JobClubMixin, View):
    """The signed-in trainer's own sessions (.ics)."""

    permission = "jobclub.take_register"

    def get(self, request, *args, **kwargs):
        sessions = (
            Session.objects.for_hub(self.hub)
            .filter(trainer=request.user)
            .select_related("path__school", "young_worker")
        )
        return ics_response(
            calendar.sessions_ics(sessions, name=_("My job club sessions")), "jobclub_trainer.ics"
        )


# --- Young workers -----------------------------------------------------------------------------


class YoungWorkerListView(JobClubMixin, ListView):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/young_worker_list.html"
    context_object_name = "young_workers"
    page_title = gettext_lazy("Young workers")
    tab = "workers"
    paginate_by = 50

    def get_queryset(self):
        return YoungWorker.objects.for_hub(self.hub)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = dict(
            Session.objects.for_hub(self.hub)
            .filter(young_worker__in=context["young_workers"])
            .values_list("young_worker_id")
            .annotate(n=Count("pk"))
        )
        for worker in context["young_workers"]:
            worker.session_count = counts.get(worker.pk, 0)
        return context


class YoungWorkerFormMixin(JobClubMixin):
    permission = "jobclub.manage"
    template_name = "jobclub/backoffice/form.html"
    form_class = YoungWorkerForm
    tab = "workers"
    cancel_url_name = "jobclubbo:young_worker_list"
    young_worker = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.young_worker is not None:
            kwargs["instance"] = YoungWorker.objects.get(pk=self.young_worker.pk)
        return kwargs

    def form_valid(self, form):
        try:
            services.young_worker_save(hub=self.hub, young_worker=self.young_worker, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Young worker saved."))
        return redirect("jobclubbo:young_worker_list", hub_slug=self.hub.slug)


class YoungWorkerCreateView(YoungWorkerFormMixin, FormView):
    page_title = gettext_lazy("New young worker")


class YoungWorkerUpdateView(YoungWorkerFormMixin, FormView):
    page_title = gettext_lazy("Young worker")

    def load(self, **kwargs):
        self.young_worker = get_object_or_404(YoungWorker.objects.for_hub(self.hub), pk=kwargs["pk"])
