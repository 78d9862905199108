"""
The Cabina di Regia's decisions: each reminded once (`reminded_at`) before it is due.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hubs.capabilities import roles_with
from hubs.links import absolute_url
from hubs.models import Hub, Membership
from hubs.tasks import each_row
from people.mail import mail_send

from ..models import Decision, Meeting
from .reports import EVERY
from .snapshots import snapshot_take


def _decision_recipients(decision: Decision) -> list[str]:
    owner = decision.owner
    if owner is not None and owner.is_active and owner.email:
        return [owner.email]
    return sorted(
        set(
            Membership.objects.for_hub(decision.hub)
            .filter(role__in=roles_with("governance.remind_unowned_decisions"), is_active=True)
            .filter(user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def decision_remind(*, decision_id: int, today: date | None = None) -> bool:
    """Remind one open decision's owner (or the hub's coordinators) of its due date, once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("owner", "hub", "meeting")
            .get(pk=decision_id)
        )
        if decision.status != Decision.Status.OPEN or decision.reminded_at is not None:
            return False
        recipients = _decision_recipients(decision)
        if recipients:
            mail_send(
                to=recipients,
                template="governance/email/decision",
                context={
                    "decision": decision,
                    "hub": decision.hub,
                    "meeting": decision.meeting,
                    "overdue": decision.due_on < today,
                    "days": (decision.due_on - today).days,
                    "portal": settings.PORTAL_NAME,
                    "url": absolute_url("governance:dashboard", hub_slug=decision.hub.slug),
                },
                language=settings.LANGUAGE_CODE,
                reply_to=decision.hub.email,
            )
        decision.reminded_at = timezone.now()
        decision.save(update_fields=["reminded_at"])
        return bool(recipients)


def decisions_remind(*, hub: Hub | str = EVERY, today: date | None = None, days_ahead: int = 7) -> int:
    """
    Daily (beat: one task per active hub): every open decision of the hub (by default of every hub)
    due within `days_ahead` days (or overdue) and not reminded yet gets one e-mail to its owner
    (else to the hub's coordinators). Each decision on its own: one that fails is logged, stays
    unreminded and is tried again the next day. Returns how many were sent.
    """
    today = today or timezone.localdate()
    due = Decision.objects.filter(
        status=Decision.Status.OPEN,
        reminded_at__isnull=True,
        hub__is_active=True,
        due_on__lte=today + timedelta(days=days_ahead),
    )
    if hub is not EVERY:
        due = due.for_hub(hub)
    sent, _failed = each_row(
        list(due.order_by("pk").values_list("pk", flat=True)),
        lambda pk: decision_remind(decision_id=pk, today=today),
        what="Decision reminder",
    )
    return sent


# --- Meetings and decisions from the back office ------------------------------------------------


@transaction.atomic
def meeting_save(*, meeting: Meeting, hub: Hub, by, take_snapshot: bool = False) -> Meeting:
    """
    Save a meeting (new or changed) of the hub. `take_snapshot`: freeze the indicators as of
    today and attach that snapshot, in the same transaction as the meeting.
    """
    meeting.hub = hub
    if take_snapshot:
        meeting.snapshot = snapshot_take(hub=hub, by=by)
    meeting.save()
    return meeting


def decision_save(*, decision: Decision, meeting: Meeting) -> Decision:
    """Save a decision of a meeting; an owner among the members replaces a written-in name."""
    decision.hub, decision.meeting = meeting.hub, meeting
    if decision.owner_id:
        decision.owner_name = ""
    decision.save()
    return decision
