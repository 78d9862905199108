"""
The pact as a PDF (WeasyPrint, A4): parties (the hub or the municipality, the group, the
partners), objectives, actions with their owners, responsibilities, resources and budget,
duration, and the signatures recorded (who, role, date), with its version. Minors of the group
are named only as the minors' rule allows (PactMember.shown_name).

Italian by default (the portal's language, `settings.LANGUAGE_CODE`).
"""

from django.conf import settings
from django.utils import timezone

from hubs.pdf import render_html as render_pdf_html
from hubs.pdf import render_pdf

from . import selectors, services
from .models import Pact


def pact_context(pact: Pact) -> dict:
    pact = Pact.objects.select_related("hub", "sub_area").get(pk=pact.pk)
    lines = selectors.line_totals(pact)
    for line in lines:
        line.planned_text = services.euro(line.planned)
    members = [m for m in pact.members.all() if m.has_accepted]
    return {
        "pact": pact,
        "hub": pact.hub,
        "members": members,
        "partners": list(pact.partners.all()),
        "actions": list(pact.actions.all()),
        "lines": lines,
        "budget_total": services.euro(sum((line.planned for line in lines), 0)),
        "signatures": list(pact.signatures.all()),
        "variations": list(pact.variations.all()),
        "printed_at": timezone.localtime(),
        "portal": settings.PORTAL_NAME,
    }


def render_html(pact: Pact, language: str | None = None) -> str:
    return render_pdf_html("pacts/pdf/pact.html", pact_context(pact), language=language)


def pact_pdf(*, pact: Pact, language: str | None = None) -> bytes:
    return render_pdf("pacts/pdf/pact.html", pact_context(pact), language=language)
