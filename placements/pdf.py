"""
The path sheet of Together We Work as a PDF (WeasyPrint, A4): the record a cooperative prints,
has signed by the young person, its operator and the hub's coordinator, and hands to the funder.
The young person appears by name and year of birth only (no e-mail, phone or desk notes).

Italian by default (the portal's language, `settings.LANGUAGE_CODE`).
"""

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors, services
from .models import MAX_HOURS, MIN_HOURS, Path

FONT_DIR = "vendor/bootstrap-italia/fonts/Titillium_Web"


def _fonts() -> list[dict]:
    """Titillium Web (the design system's font) when the built assets are there."""
    found = []
    for weight, name in ((400, "regular"), (600, "600"), (700, "700")):
        path = finders.find(f"{FONT_DIR}/titillium-web-v10-latin-ext_latin-{name}.ttf")
        if path:
            found.append({"weight": weight, "url": f"file://{path}"})
    return found


def sheet_context(path: Path) -> dict:
    path = Path.objects.select_related("hub", "person", "cooperative", "operator").get(pk=path.pk)
    delivered_by_kind = selectors.hours_by_kind(path)
    plan = list(path.plan.all())
    for line in plan:
        line.delivered = services.hours_text(delivered_by_kind.get(line.kind, 0))
        line.hours_text = services.hours_text(line.hours)
    activities = list(path.activities.select_related("operator"))
    for activity in activities:
        activity.hours_text = services.hours_text(activity.hours)
    delivered = path.delivered_hours
    return {
        "path": path,
        "hub": path.hub,
        "person": path.person,
        "plan": plan,
        "activities": activities,
        "follow_ups": list(path.follow_ups.all()),
        "delivered": services.hours_text(delivered),
        "planned": services.hours_text(path.planned_hours),
        "confirmed": services.hours_text(path.confirmed_hours),
        "remaining": services.hours_text(path.remaining_hours),
        "min_hours": services.hours_text(MIN_HOURS),
        "max_hours": services.hours_text(MAX_HOURS),
        "within_bounds": MIN_HOURS <= delivered <= MAX_HOURS,
        "delivered_pct": f"{path.percent(delivered):.1f}",
        "confirmed_pct": f"{path.percent(path.confirmed_hours):.1f}",
        "planned_pct": f"{path.percent(path.planned_hours):.1f}",
        "minimum_pct": f"{path.percent(MIN_HOURS):.1f}",
        "printed_at": timezone.localtime(),
        "portal": settings.PORTAL_NAME,
        "fonts": _fonts(),
    }


def render_html(path: Path, language: str | None = None) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        return render_to_string("placements/pdf/path_sheet.html", sheet_context(path))


def path_sheet(*, path: Path, base_url: str | None = None, language: str | None = None) -> bytes:
    """The path sheet's PDF (bytes)."""
    from weasyprint import HTML

    html = render_html(path, language)
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf()
