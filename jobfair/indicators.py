"""
Indicators of the job fair (action 6). Everything counts in the period of the fair's day: a
fair held in the period brings its exhibitors, registrations, check-ins, leads and help
requests. Every function is one aggregate query; shredding after the fair changes none of them
(the rows stay as facts, only their links to people go).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from .models import (
    EXHIBITOR_KINDS,
    CheckIn,
    Exhibitor,
    Fair,
    FocusArea,
    HelpRequest,
    LeadShare,
    Registration,
    Seat,
)
from .services import DEFAULT_AREAS

FAIRS = "jobfairbo:fair_list"
KIND_LABELS = [(kind.value, kind.label) for kind in EXHIBITOR_KINDS]
AREA_LABELS = [(slug, name) for slug, name in DEFAULT_AREAS]


def _fairs(hub, start, end):
    fairs = Fair.objects.published().filter(date__gte=start, date__lte=end)
    return fairs.for_hub(hub) if hub is not None else fairs


def _by(queryset, field: str) -> dict[str, int]:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by(field)
    return {str(row[field] or "-"): row["n"] for row in rows}


@indicator("jobfair.fairs", action=6, link=FAIRS, title=_("Job fairs held"))
def fairs(hub, start, end):
    return _fairs(hub, start, end).count()


@indicator(
    "jobfair.focus_areas", action=6, link=FAIRS, title=_("Focus areas covered by an exhibitor or a workshop")
)
def focus_areas(hub, start, end):
    covered = FocusArea.objects.filter(fair__in=_fairs(hub, start, end)).filter(
        Q(exhibitors__status=Exhibitor.Status.APPROVED) | Q(workshops__isnull=False)
    )
    return covered.values("slug").distinct().count()


@indicator(
    "jobfair.exhibitors_by_kind", action=6, link=FAIRS, labels=KIND_LABELS, title=_("Exhibitors by kind")
)
def exhibitors_by_kind(hub, start, end):
    return _by(Exhibitor.objects.approved().filter(fair__in=_fairs(hub, start, end)), "organization__kind")


@indicator(
    "jobfair.exhibitors_by_area",
    action=6,
    link=FAIRS,
    labels=AREA_LABELS,
    title=_("Exhibitors by focus area"),
)
def exhibitors_by_area(hub, start, end):
    return _by(Exhibitor.objects.approved().filter(fair__in=_fairs(hub, start, end)), "area__slug")


def _registrations(hub, start, end):
    return Registration.objects.filter(fair__in=_fairs(hub, start, end)).exclude(
        status=Registration.Status.CANCELLED
    )


@indicator("jobfair.registrations", action=6, link=FAIRS, personal=True, title=_("Young people registered"))
def registrations(hub, start, end):
    return _registrations(hub, start, end).count()


@indicator(
    "jobfair.checked_in", action=6, link=FAIRS, personal=True, title=_("Young people checked in (unique)")
)
def checked_in(hub, start, end):
    return (
        CheckIn.objects.filter(fair__in=_fairs(hub, start, end), list_key="door", result=CheckIn.Result.VALID)
        .values("registration")
        .distinct()
        .count()
    )


@indicator("jobfair.workshop_places", action=6, link=FAIRS, personal=True, title=_("Workshop places used"))
def workshop_places(hub, start, end):
    return Seat.objects.filter(
        workshop__fair__in=_fairs(hub, start, end), status=Seat.Status.CONFIRMED
    ).count()


@indicator("jobfair.leads", action=6, link=FAIRS, personal=True, title=_("Contacts shared with exhibitors"))
def leads(hub, start, end):
    """Every choice to share made (a later withdrawal or erasure does not unmake it)."""
    return LeadShare.objects.filter(exhibitor__fair__in=_fairs(hub, start, end)).count()


@indicator("jobfair.help_requests", action=6, link=FAIRS, personal=True, title=_("Help requests at the fair"))
def help_requests(hub, start, end):
    return HelpRequest.objects.filter(fair__in=_fairs(hub, start, end)).count()


@indicator(
    "jobfair.conversions",
    action=6,
    link=FAIRS,
    personal=True,
    title=_("Fair → path conversions (young people who asked for help, once each)"),
)
def conversions(hub, start, end):
    return (
        HelpRequest.objects.filter(fair__in=_fairs(hub, start, end)).values("registration").distinct().count()
    )
