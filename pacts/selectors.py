"""
Reads of the youth pacts: the pacts a member may open, the board of the hub's sub-areas, and
the figures of a pact (progress, money, people) that the back office, the public pages and the
indicators all read from here, so that they show the same numbers.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from hubs.models import Hub, Membership, SubArea
from hubs.permissions import objects_for_client

from .models import (
    DEFAULT_CYCLE,
    BudgetLine,
    Expense,
    MeetingAttendance,
    Pact,
    PactAction,
    PactMeeting,
    PactMember,
    Tranche,
)

# The object permission a partner organization's group holds on the pacts that name it.
VIEW = "pacts.view_pact"


def pacts_for(*, hub: Hub, membership: Membership):
    """
    The pacts a member of the hub may open: hub staff ("pacts.manage") all of them; a partner
    operator those that name their organization as a partner (django-guardian grant to the
    organization's group); nobody else any. `membership` may be an API token (hubs/restapi).
    """
    pacts = Pact.objects.for_hub(hub)
    if membership.can("pacts.manage"):
        return pacts
    if membership.can("pacts.view_pact") and membership.organization_id:
        return objects_for_client(membership, VIEW, pacts).filter(partners=membership.organization_id)
    return pacts.none()


def pacts_of_user(*, hub: Hub, user):
    """The pacts whose group the user belongs to (proposer or accepted co-author)."""
    return Pact.objects.for_hub(hub).filter(members__user=user, members__accepted_at__isnull=False).distinct()


@dataclass
class Figures:
    """A pact's numbers, the same wherever they are shown."""

    progress: int  # weighted % of its actions
    actions: int
    actions_done: int
    planned: Decimal
    spent: Decimal  # approved expenses
    pending: Decimal
    young_people: int  # accepted members and young people who came to a meeting, each once
    tranches_planned: Decimal = Decimal("0")  # every payment tranche, whatever its state
    tranches_paid: Decimal = Decimal("0")

    @property
    def spent_pct(self) -> int:
        return int(round(self.spent / self.planned * 100)) if self.planned else 0


def _progress(rows) -> int:
    weights = sum(weight for weight, _progress in rows)
    if not weights:
        return 0
    return int(round(sum(weight * progress for weight, progress in rows) / weights))


def figures_for(pact_ids) -> dict[int, Figures]:
    """Figures of many pacts in six queries, whatever their number."""
    pact_ids = list(pact_ids)
    actions: dict[int, list] = {pk: [] for pk in pact_ids}
    done: dict[int, int] = dict.fromkeys(pact_ids, 0)
    for pact_id, weight, progress, status in PactAction.objects.filter(pact_id__in=pact_ids).values_list(
        "pact_id", "weight", "progress", "status"
    ):
        actions[pact_id].append((weight, 100 if status == PactAction.Status.DONE else progress))
        done[pact_id] += status == PactAction.Status.DONE
    planned = dict(
        BudgetLine.objects.filter(pact_id__in=pact_ids).values_list("pact_id").annotate(total=Sum("planned"))
    )
    money = {
        row["pact_id"]: row
        for row in Expense.objects.filter(pact_id__in=pact_ids)
        .values("pact_id")
        .annotate(
            spent=Sum("amount", filter=Q(status=Expense.Status.APPROVED)),
            pending=Sum("amount", filter=Q(status=Expense.Status.PENDING)),
        )
    }
    people = young_people_of(pact_ids)
    tranches = {
        row["pact_id"]: row
        for row in Tranche.objects.filter(pact_id__in=pact_ids)
        .values("pact_id")
        .annotate(planned=Sum("amount"), paid=Sum("amount", filter=Q(status=Tranche.Status.PAID)))
    }
    return {
        pk: Figures(
            progress=_progress(actions[pk]),
            actions=len(actions[pk]),
            actions_done=done[pk],
            planned=planned.get(pk) or Decimal("0"),
            spent=(money.get(pk) or {}).get("spent") or Decimal("0"),
            pending=(money.get(pk) or {}).get("pending") or Decimal("0"),
            young_people=len(people[pk]),
            tranches_planned=(tranches.get(pk) or {}).get("planned") or Decimal("0"),
            tranches_paid=(tranches.get(pk) or {}).get("paid") or Decimal("0"),
        )
        for pk in pact_ids
    }


def _key(email: str, kind: str, pk: int) -> str:
    """Who a row is: their e-mail, or (erased) the row itself, so an erased person still counts."""
    return email.lower() if email else f"{kind}:{pk}"


def young_people_of(pact_ids) -> dict[int, set[str]]:
    """
    The young people involved in each pact, each once however many meetings they attend: the
    group's accepted members and the young people who registered themselves and came (a minor
    once their guardian consented). Two queries.
    """
    pact_ids = list(pact_ids)
    found: dict[int, set[str]] = {pk: set() for pk in pact_ids}
    for pact_id, email, pk in PactMember.objects.filter(
        pact_id__in=pact_ids, accepted_at__isnull=False
    ).values_list("pact_id", "email", "pk"):
        found[pact_id].add(_key(email, "member", pk))
    guests = MeetingAttendance.objects.filter(
        meeting__pact_id__in=pact_ids, member__isnull=True, attended=True
    ).select_related("meeting")
    for row in guests:
        if row.is_confirmed:
            found[row.meeting.pact_id].add(_key(row.email, "guest", row.pk))
    return found


def board(*, hub: Hub, pacts=None, cycle: str = DEFAULT_CYCLE) -> list[dict]:
    """
    Every sub-area of the hub with its active pact of the cycle (or none) and its figures:
    the page of the 8 pacts. `pacts` narrows which pacts may be shown (e.g. the public ones).
    """
    pacts = Pact.objects.for_hub(hub).active() if pacts is None else pacts
    by_area = {p.sub_area_id: p for p in pacts.filter(cycle=cycle).select_related("sub_area")}
    figures = figures_for(p.pk for p in by_area.values())
    return [
        {
            "sub_area": area,
            "pact": by_area.get(area.pk),
            "figures": figures.get(getattr(by_area.get(area.pk), "pk", None)),
        }
        for area in SubArea.objects.for_hub(hub).order_by("name")
    ]


def line_totals(pact: Pact) -> list[BudgetLine]:
    """The pact's budget lines with `spent` (approved) and `pending` amounts, in one query."""
    return list(
        pact.budget_lines.annotate(
            spent=Sum("expenses__amount", filter=Q(expenses__status=Expense.Status.APPROVED), default=0),
            pending=Sum("expenses__amount", filter=Q(expenses__status=Expense.Status.PENDING), default=0),
        ).annotate(left=F("planned") - F("spent") - F("pending"))
    )


def next_action(pact: Pact):
    return (
        pact.actions.exclude(status=PactAction.Status.DONE)
        .filter(due_on__isnull=False)
        .order_by("due_on")
        .first()
    )


def meetings_of(pact: Pact):
    """A pact's meetings with how many registered and came: one query, however many."""
    return pact.meetings.annotate(
        registered=Count("attendances"),
        came=Count("attendances", filter=Q(attendances__attended=True)),
    ).order_by("date", "time", "pk")


def next_meeting(pact: Pact) -> PactMeeting | None:
    """The next meeting not yet held (today's included), for the public page."""
    return (
        pact.meetings.filter(closed_at__isnull=True, date__gte=timezone.localdate())
        .order_by("date", "time", "pk")
        .first()
    )


def tranches_of(pact: Pact):
    return pact.tranches.select_related("milestone", "paid_by").order_by("planned_on", "pk")


def meeting_rows(meeting: PactMeeting) -> list[MeetingAttendance]:
    """Everyone on a meeting's lists (members and self-registered), in one query."""
    return list(meeting.attendances.select_related("member", "meeting").order_by("member_id", "name", "pk"))


def meetings_to_come(pact: Pact):
    """The meetings not yet held, from today on (today's included)."""
    return pact.meetings.filter(closed_at__isnull=True, date__gte=timezone.localdate()).order_by(
        "date", "time", "pk"
    )
