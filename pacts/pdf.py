"""
The pact as a PDF (WeasyPrint, A4): parties (the hub or the municipality, the group, the
partners), objectives, actions with their owners, responsibilities, resources and budget,
duration, and the signatures recorded (who, role, date), with its version. Minors of the group
are named only as the minors' rule allows (PactMember.shown_name).

Italian by default (the portal's language, `settings.LANGUAGE_CODE`).
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors, services
from .models import Pact

FONT_DIR = "vendor/bootstrap-italia/fonts/Titillium_Web"


def _fonts() -> list[dict]:
    found = []
    for weight, name in ((400, "regular"), (600, "600"), (700, "700")):
        path = finders.find(f"{FONT_DIR}/titillium-web-v10-latin-ext_latin-{name}.ttf")
        if path:
            found.append({"weight": weight, "url": f"file://{path}"})
    return found


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
        "fonts": _fonts(),
    }


def render_html(pact: Pact, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string("pacts/pdf/pact.html", pact_context(pact))


def pact_pdf(*, pact: Pact, language: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(pact, language), base_url=str(settings.BASE_DIR)).write_pdf()
