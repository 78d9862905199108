"""
The job club's PDFs (WeasyPrint, A4): the attendance register of a session ("registro
presenze", with signature places for the trainer and the school's referent) and a student's
certificate of attendance (hours, topics, sectors met, the hub's signature place and a QR code
of the public verification page). A class's certificates also come as one ZIP.

Italian by default (the portal's language, `settings.LANGUAGE_CODE`). Students appear by name,
class and nothing else.
"""

import io
import zipfile

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from hubs.links import absolute_url
from hubs.pdf import render_pdf

from . import selectors
from .models import Certificate, Sector, Session, hours_text


def _render(template: str, context: dict, language: str | None = None) -> bytes:
    return render_pdf(template, {"portal": settings.PORTAL_NAME, **context}, language=language)


def register_pdf(*, session: Session, language: str | None = None) -> bytes:
    session = Session.objects.select_related(
        "path__school", "hub", "trainer", "young_worker", "signed_by", "validated_by"
    ).get(pk=session.pk)
    lines = {line.student_id: line for line in session.attendances.all()}
    students = list(session.path.students.all())
    for student in students:
        student.line = lines.get(student.pk)
    return _render(
        "jobclub/pdf/register.html",
        {
            "session": session,
            "path": session.path,
            "hub": session.hub,
            "students": students,
            "duration": hours_text(session.duration_minutes),
            "printed_at": timezone.localtime(),
        },
        language,
    )


def verify_url(certificate: Certificate) -> str:
    return absolute_url("jobclub:verify_code", hub_slug=certificate.hub.slug, code=certificate.code)


def certificate_context(certificate: Certificate) -> dict:
    student = certificate.student
    path = student.path
    url = verify_url(certificate)
    topics = list(path.sessions.values_list("topic", flat=True).distinct())
    return {
        "certificate": certificate,
        "student": student,
        "path": path,
        "hub": certificate.hub,
        "hours": hours_text(certificate.minutes),
        "planned": hours_text(path.planned_minutes),
        "topics": topics,
        "sectors": [Sector(code).label for code in selectors.sectors_met(path)],
        "verify_url": url,
        "qr_svg": segno.make(url, error="m").svg_data_uri(scale=3, border=1),
    }


def certificate_pdf(*, certificate: Certificate, language: str | None = None) -> bytes:
    certificate = Certificate.objects.select_related("student__path__school", "hub").get(pk=certificate.pk)
    return _render("jobclub/pdf/certificate.html", certificate_context(certificate), language)


def certificate_filename(certificate: Certificate) -> str:
    student = certificate.student
    parts = (student.class_name, student.last_name, student.first_name)
    return "attestato_" + "_".join(slugify(part) for part in parts) + f"_{certificate.code}.pdf"


def certificates_zip(certificates) -> bytes:
    """The certificates as one ZIP, a PDF each."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            archive.writestr(certificate_filename(certificate), certificate_pdf(certificate=certificate))
    return buffer.getvalue()
