"""
Indicators of the youth pacts (action 3). Pacts count by the day they were signed; young people
by the day they joined a group or came to a meeting they registered for themselves (each once
per pact, however much they take part; the breakdowns by age and gender count the groups'
members, whose age and gender are asked); expenses by
their date. Progress is the pacts' weighted progress today. Every function is one or two
aggregate queries.
"""

from django.db.models import Case, CharField, Count, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from hubs.indicator_registry import indicator

from .models import BudgetLine, Expense, MeetingAttendance, Pact, PactAction, PactMeeting, PactMember

BOARD = "pactsbo:board"  # the page a number drills down to (hub staff)


def _scoped(queryset, hub):
    return queryset.for_hub(hub) if hub is not None else queryset


def _signed(hub, start, end):
    return _scoped(Pact.objects.filter(signed_on__gte=start, signed_on__lte=end), hub)


def _members(hub, start, end):
    return _scoped(
        PactMember.objects.filter(
            accepted_at__date__gte=start, accepted_at__date__lte=end, pact__state__in=Pact.PUBLIC_STATES
        ),
        hub,
    )


def _by(queryset, field: str) -> dict[str, int]:
    rows = queryset.values(field).annotate(n=Count("pk")).order_by(field)
    return {str(row[field] or "-"): row["n"] for row in rows}


@indicator("pacts.pacts", action=3, link=BOARD, title=_("Youth pacts signed"))
def pacts_signed(hub, start, end):
    return _signed(hub, start, end).count()


@indicator("pacts.pacts_by_sub_area", action=3, link=BOARD, title=_("Youth pacts signed, by sub-area"))
def pacts_by_sub_area(hub, start, end):
    return _by(_signed(hub, start, end), "sub_area__name")


@indicator(
    "pacts.young_people",
    action=3,
    link=BOARD,
    title=_("Young people involved in the pacts (each once per pact)"),
    personal=True,
)
def young_people(hub, start, end):
    """The group's members, and the young people who registered themselves and came to a meeting."""
    found = set(_members(hub, start, end).values_list("pact_id", "email"))
    guests = _scoped(
        MeetingAttendance.objects.filter(
            member__isnull=True,
            attended=True,
            meeting__date__gte=start,
            meeting__date__lte=end,
            meeting__pact__state__in=Pact.PUBLIC_STATES,
        ),
        hub,
    )
    found |= {
        (pact, email or f"row:{pk}")
        for pact, email, pk in guests.values_list("meeting__pact_id", "email", "pk")
    }
    return len(found)


@indicator(
    "pacts.young_people_by_age",
    action=3,
    link=BOARD,
    title=_("Young people involved in the pacts, by age band"),
    personal=True,
)
def young_people_by_age(hub, start, end):
    age = ExtractYear("accepted_at") - F("birth_year")
    band = Case(
        When(birth_year__isnull=True, then=Value("-")),
        When(Q(age_at__lt=18), then=Value("<18")),
        When(Q(age_at__lt=25), then=Value("18-24")),
        When(Q(age_at__lt=30), then=Value("25-29")),
        default=Value("30+"),
        output_field=CharField(),
    )
    return _by(_members(hub, start, end).annotate(age_at=age).annotate(band=band), "band")


@indicator(
    "pacts.young_people_by_gender",
    action=3,
    link=BOARD,
    title=_("Young people involved in the pacts, by gender"),
    personal=True,
)
def young_people_by_gender(hub, start, end):
    return _by(_members(hub, start, end), "gender")


@indicator(
    "pacts.actions_done",
    action=3,
    link=BOARD,
    title=_("Actions of the pacts done (weighted)"),
    unit="percent",
)
def actions_done(hub, start, end):
    actions = _scoped(
        PactAction.objects.filter(pact__signed_on__lte=end, pact__state__in=Pact.PUBLIC_STATES), hub
    )
    done = Case(
        When(status=PactAction.Status.DONE, then=Value(100)),
        default=F("progress"),
        output_field=IntegerField(),
    )
    totals = actions.aggregate(
        weights=Sum("weight"),
        weighted=Sum(ExpressionWrapper(F("weight") * done, output_field=IntegerField())),
    )
    if not totals["weights"]:
        return 0
    return round(totals["weighted"] / totals["weights"], 1)


@indicator("pacts.budget_spent", action=3, link=BOARD, title=_("Budget of the pacts spent"), unit="percent")
def budget_spent(hub, start, end):
    planned = _scoped(
        BudgetLine.objects.filter(pact__signed_on__lte=end, pact__state__in=Pact.PUBLIC_STATES), hub
    ).aggregate(total=Sum("planned"))["total"]
    if not planned:
        return 0
    spent = (
        _scoped(
            Expense.objects.filter(
                status=Expense.Status.APPROVED, date__lte=end, pact__state__in=Pact.PUBLIC_STATES
            ),
            hub,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return round(float(spent / planned * 100), 1)


@indicator("pacts.meetings_held", action=3, link=BOARD, title=_("Co-design meetings held"))
def meetings_held(hub, start, end):
    """Meetings closed with their minutes, by the day they took place."""
    return _scoped(
        PactMeeting.objects.filter(closed_at__isnull=False, date__gte=start, date__lte=end), hub
    ).count()
