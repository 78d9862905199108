"""Reads of the job fair: always through the hub, and for exhibitors through their grant."""

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from hubs.models import Organization
from hubs.permissions import objects_for_user

from .models import (
    EXHIBITOR_KINDS,
    CheckIn,
    Exhibitor,
    Fair,
    LeadShare,
    Opportunity,
    Registration,
    Seat,
    Workshop,
)

EXHIBIT = "jobfair.exhibit"


def fairs_for_hub(*, hub) -> QuerySet:
    return Fair.objects.for_hub(hub)


def exhibitors_for(*, hub, membership) -> QuerySet:
    """The exhibitor rows a member acts for: those their organization's group holds a grant on."""
    queryset = Exhibitor.objects.for_hub(hub).approved()
    if not membership.can("jobfair.exhibit"):
        return queryset.none()
    return objects_for_user(membership.user, EXHIBIT, queryset)


def kind_choices() -> list[tuple[str, str]]:
    labels = dict(Organization.Kind.choices)
    return [(kind.value, labels[kind.value]) for kind in EXHIBITOR_KINDS]


def public_exhibitors(*, fair: Fair, area: str = "", kind: str = "") -> QuerySet:
    queryset = fair.exhibitors.approved().select_related("organization", "area", "stand")
    if area:
        queryset = queryset.filter(area__slug=area)
    if kind:
        queryset = queryset.filter(organization__kind=kind)
    return queryset.order_by("area__order", "organization__name")


def public_opportunities(*, fair: Fair, area: str = "", kind: str = "", day=None) -> QuerySet:
    queryset = (
        Opportunity.objects.for_hub(fair.hub)
        .current(day)
        .filter(exhibitor__fair=fair, exhibitor__status=Exhibitor.Status.APPROVED)
        .select_related("exhibitor__organization", "area")
    )
    if area:
        queryset = queryset.filter(area__slug=area)
    if kind:
        queryset = queryset.filter(exhibitor__organization__kind=kind)
    return queryset


def workshops_with_places(*, fair: Fair, area: str = "") -> QuerySet:
    queryset = fair.workshops.select_related("area").annotate(
        taken=Count("seats", filter=Q(seats__status__in=Seat.HOLDING)),
        waiting=Count("seats", filter=Q(seats__status=Seat.Status.WAITING)),
    )
    if area:
        queryset = queryset.filter(area__slug=area)
    return queryset


def door_count(*, fair: Fair) -> int:
    """People let in at the door: the live counter of the check-in page."""
    return CheckIn.objects.filter(fair=fair, list_key="door", result=CheckIn.Result.VALID).count()


def fair_figures(*, fair: Fair) -> dict:
    """The fair's figures at a glance, in a few aggregate queries."""
    registrations = fair.registrations.aggregate(
        live=Count("pk", filter=~Q(status=Registration.Status.CANCELLED)),
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        awaiting=Count("pk", filter=Q(status=Registration.Status.AWAITING_GUARDIAN)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    exhibitors = fair.exhibitors.aggregate(
        pending=Count("pk", filter=Q(status=Exhibitor.Status.PENDING)),
        approved=Count("pk", filter=Q(status=Exhibitor.Status.APPROVED)),
        rejected=Count("pk", filter=Q(status=Exhibitor.Status.REJECTED)),
    )
    leads = LeadShare.objects.filter(exhibitor__fair=fair, revoked_at__isnull=True).count()
    return {
        **registrations,
        **{f"exhibitors_{key}": value for key, value in exhibitors.items()},
        "leads": leads,
        "help_requests": fair.help_requests.count(),
        "door": door_count(fair=fair),
    }


def area_coverage(*, fair: Fair) -> list[dict]:
    rows = fair.areas.annotate(
        exhibitors_n=Count(
            "exhibitors", filter=Q(exhibitors__status=Exhibitor.Status.APPROVED), distinct=True
        ),
        workshops_n=Count("workshops", distinct=True),
    )
    return [
        {
            "area": row,
            "exhibitors": row.exhibitors_n,
            "workshops": row.workshops_n,
            "covered": bool(row.exhibitors_n or row.workshops_n),
        }
        for row in rows
    ]


def leads_live(*, exhibitor: Exhibitor) -> QuerySet:
    """The contacts young people chose to share with this exhibitor, and have not withdrawn."""
    return (
        LeadShare.objects.filter(
            exhibitor=exhibitor, revoked_at__isnull=True, registration__person__isnull=False
        )
        .select_related("registration__person")
        .order_by("-created_at")
    )


def lead_rows(*, exhibitor: Exhibitor) -> list[dict]:
    """The export's rows: only the fields each young person chose to share."""
    rows = []
    for lead in leads_live(exhibitor=exhibitor):
        person = lead.registration.person
        rows.append(
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email if lead.share_email else "",
                "phone": person.phone if lead.share_phone else "",
                "message": lead.message,
                "shared": timezone.localtime(lead.created_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    return rows


def workshops_of(registration: Registration) -> QuerySet:
    return (
        registration.seats.filter(status__in=Seat.ACTIVE)
        .select_related("workshop")
        .order_by("workshop__starts_at")
    )


def workshop_for_fair(*, fair: Fair, pk) -> Workshop | None:
    return fair.workshops.filter(pk=pk).first()


SMALL = 5  # the portal's rule for counts of people (governance/masking.py): 1 to 4 show as "< 5"


def masked(value: int) -> str | int:
    """A count of people as the report prints it: 1 to 4 become "< 5" (0 and 5+ as they are)."""
    return "< 5" if 0 < value < SMALL else value


def fair_report(*, fair: Fair) -> dict:
    """
    The fair's report per focus area (a fixed number of aggregate queries): exhibitors by kind,
    workshops' fill, contacts shared, help requests; and the fair's registrations, check-ins and
    no-show share. Counts of people are masked below five.
    """
    registered = fair.registrations.exclude(status=Registration.Status.CANCELLED)
    totals = registered.aggregate(
        registered=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    no_show = (
        round(100 * (totals["registered"] - totals["checked_in"]) / totals["registered"])
        if totals["registered"] >= SMALL  # the share of very few would tell their number
        else None
    )
    kinds = dict(Organization.Kind.choices)
    by_kind: dict[int, dict[str, int]] = {}
    for row in (
        fair.exhibitors.approved().values("area", "organization__kind").annotate(n=Count("pk")).order_by()
    ):
        by_kind.setdefault(row["area"], {})[
            str(kinds.get(row["organization__kind"], row["organization__kind"]))
        ] = row["n"]
    capacities = dict(fair.workshops.values_list("area").annotate(n=Sum("capacity")).order_by())
    used_places = dict(
        Seat.objects.filter(workshop__fair=fair, status=Seat.Status.CONFIRMED)
        .values_list("workshop__area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    leads = dict(
        LeadShare.objects.filter(exhibitor__fair=fair)
        .values_list("exhibitor__area")
        .annotate(n=Count("pk"))
        .order_by()
    )
    helps = dict(fair.help_requests.values_list("area").annotate(n=Count("pk")).order_by())
    areas = []
    for area in fair.areas.all():
        capacity, used = capacities.get(area.pk) or 0, used_places.get(area.pk, 0)
        areas.append(
            {
                "area": area,
                "exhibitors": sorted(by_kind.get(area.pk, {}).items()),
                "exhibitors_total": sum(by_kind.get(area.pk, {}).values()),
                "capacity": capacity,
                "used": masked(used),
                # a share of few people would tell their number: not shown either
                "fill": round(100 * used / capacity) if capacity and not 0 < used < SMALL else None,
                "leads": masked(leads.get(area.pk, 0)),
                "help_requests": masked(helps.get(area.pk, 0)),
            }
        )
    surveys = {
        who: fair.surveys.filter(answered_at__isnull=False, **{f"{who}__isnull": False}).aggregate(
            n=Count("pk"), average=Avg("score")
        )
        for who in ("registration", "exhibitor")
    }
    return {
        "survey_visitors": survey_score(surveys["registration"]),
        "survey_exhibitors": survey_score(surveys["exhibitor"]),
        "registered": masked(totals["registered"]),
        "checked_in": masked(totals["checked_in"]),
        "no_show": no_show,
        "areas": areas,
    }


def survey_score(row: dict) -> dict:
    """Answers and their average score (1–5); no average of fewer than five answers."""
    n = row["n"]
    return {"answers": masked(n), "average": round(row["average"], 1) if n >= SMALL else None}
