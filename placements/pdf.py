"""
The path sheet of Together We Work as a PDF (WeasyPrint, A4): the record a cooperative prints,
has signed by the young person, its operator and the hub's coordinator, and hands to the funder.
The young person appears by name and year of birth only (no e-mail, phone or desk notes).

Italian by default (the portal's language, `settings.LANGUAGE_CODE`).
"""

from django.conf import settings
from django.utils import timezone, translation

from hubs import pdf as hubs_pdf

from . import selectors, services
from .models import MAX_HOURS, MIN_HOURS, Path


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
    }


def render_html(path: Path, language: str | None = None) -> str:
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):  # the numbers too
        return hubs_pdf.render_html("placements/pdf/path_sheet.html", sheet_context(path), language=language)


def path_sheet(*, path: Path, language: str | None = None) -> bytes:
    """The path sheet's PDF (bytes)."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):  # the numbers too
        return hubs_pdf.render_pdf("placements/pdf/path_sheet.html", sheet_context(path), language=language)
