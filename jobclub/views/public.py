"""
The job club's pages outside the back office:

- the certificate verification page (public, `login_not_required`, rate limited): a code of this
  hub says "valid" with the certificate's own facts, anything else "not valid"; nothing about
  other students;
- a student's own page (signed in, any account): link the account to the roster record with the
  school's personal code (from the consent age), then see one's own hours and download one's
  certificate. Nobody sees another student: every read is filtered by the signed-in user.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, View

from hubs.forms import add_service_error
from hubs.mixins import PublicHubMixin
from hubs.pdf import pdf_response
from hubs.ratelimit import RateLimitMixin, rate_limit_hit, too_many_requests

from .. import pdf, selectors, services
from ..forms import ClaimForm, SelfAssessmentForm, VerifyForm
from ..models import Certificate, Sector, SelfAssessment, Student, hours_text


@method_decorator(login_not_required, name="dispatch")
class VerifyView(PublicHubMixin, RateLimitMixin, FormView):
    """`/<hub>/job-club/verifica/` (a form) and `…/verifica/<code>/` (the QR code's link)."""

    template_name = "jobclub/public/verify.html"
    form_class = VerifyForm
    ratelimit_group = "jobclub_verify"

    def get(self, request, *args, **kwargs):
        code = kwargs.get("code") or request.GET.get("code")
        if code:  # a code in the URL is a try too: counted like the form's
            wait = rate_limit_hit(request, self.ratelimit_group)
            if wait is not None:
                return too_many_requests(request, retry_after=wait, hub=self.hub)
            return self.show(code)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        return self.show(form.cleaned_data["code"])

    def show(self, code: str):
        certificate = selectors.certificate_by_code(code)
        if certificate is not None and certificate.hub_id != self.hub.pk:
            certificate = None
        context = {"checked": True, "code": code[:20], "certificate": certificate, "form": VerifyForm()}
        if certificate is not None:
            path = certificate.student.path
            context |= {
                "hours": hours_text(certificate.minutes),
                "path": path,
                "sectors": [Sector(code).label for code in selectors.sectors_met(path)],
            }
        return self.render_to_response(self.get_context_data(**context), status=200 if certificate else 404)


@method_decorator(never_cache, name="dispatch")
class MyHoursView(RateLimitMixin, FormView):
    """The signed-in student's own job club: hours per path, certificate; or the code to link."""

    template_name = "jobclub/public/my_hours.html"
    form_class = ClaimForm
    ratelimit_group = "jobclub_claim"

    def get_context_data(self, **kwargs):
        students = list(
            Student.objects.filter(user=self.request.user, erased_at__isnull=True).select_related(
                "path__school", "hub"
            )
        )
        for student in students:
            path = student.path
            student.minutes = selectors.student_minutes(path).get(student.pk, 0)
            student.hours_text = hours_text(student.minutes)
            student.planned_text = hours_text(path.planned_minutes)
            student.threshold_text = hours_text(path.threshold_minutes)
            student.has_certificate = Certificate.objects.filter(student=student).exists()
            student.phase = services.self_assessment_phase(student)
        return super().get_context_data(students=students, **kwargs)

    def form_valid(self, form):
        try:
            student = services.student_claim(user=self.request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Your job club record is linked: %(path)s.") % {"path": student.path.title}
        )
        return redirect("jobclub:my_hours")


@method_decorator(never_cache, name="dispatch")
class MyCertificateView(View):
    """
    The signed-in student's certificate, by the roster record's id: only one's own. Any other id
    (another student's, none, no certificate yet) leads back to one's own page, saying nothing.
    """

    def get(self, request, pk):
        certificate = (
            Certificate.objects.filter(
                student__pk=pk, student__user=request.user, student__erased_at__isnull=True
            )
            .select_related("student__path__school", "hub")
            .first()
        )
        if certificate is None:
            messages.info(request, _("No certificate to download yet."))
            return redirect("jobclub:my_hours")
        content = pdf.certificate_pdf(certificate=certificate)
        return pdf_response(content, pdf.certificate_filename(certificate), inline=False)


@method_decorator(never_cache, name="dispatch")
class MySelfAssessmentView(FormView):
    """The signed-in student's short self-assessment, before and after the path; another's id leads home."""

    template_name = "jobclub/public/self_assessment.html"
    form_class = SelfAssessmentForm

    def dispatch(self, request, *args, **kwargs):
        self.student = (
            Student.objects.filter(pk=kwargs["pk"], user=request.user, erased_at__isnull=True)
            .select_related("path")
            .first()
        )
        self.phase = services.self_assessment_phase(self.student) if self.student else None
        if self.phase is None:
            return redirect("jobclub:my_hours")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        label = SelfAssessment.Phase(self.phase).label
        return super().get_context_data(student=self.student, phase_label=label, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        services.self_assessment_answer(
            student=self.student,
            knowledge=data["knowledge"],
            readiness=data["readiness"],
            anonymous=data["anonymous"],
        )
        messages.success(self.request, _("Thank you for your answers."))
        return redirect("jobclub:my_hours")
