"""Closing a path and its 3- and 6-month follow-ups (created and reminded by beat)."""

import calendar
import logging
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.links import absolute_url
from hubs.models import Hub
from hubs.tasks import each_row
from people.mail import mail_send

from ..models import (
    MIN_HOURS,
    FollowUp,
    Path,
    Situation,
)
from .common import FOLLOW_UP_MONTHS, hours_text

logger = logging.getLogger(__name__)


# --- Closing and follow-ups ---------------------------------------------------------------------


@transaction.atomic
def path_close(
    *, path: Path, outcome: str, closed_on: date | None, contract_kind: str = "", note: str = ""
) -> Path:
    """Close with the outcome. Completed needs 3 delivered hours; a drop-out may close earlier."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(_("This path is closed already."))
    errors = {}
    if not outcome:
        errors["outcome"] = _("Choose the outcome.")
    if closed_on is None:
        errors["closed_on"] = _("Give the date the path closed.")
    elif closed_on < path.starts_on:
        errors["closed_on"] = _("A path cannot close before it started.")
    elif closed_on > timezone.localdate():
        errors["closed_on"] = _("The closing date cannot be in the future.")
    elif path.activities.filter(date__gt=closed_on).exists():
        errors["closed_on"] = _("Activities are logged after this date.")
    if outcome == Situation.EMPLOYED and not contract_kind:
        errors["contract_kind"] = _("Say which kind of contract.")
    if outcome != Situation.EMPLOYED:
        contract_kind = ""
    if errors:
        raise ValidationError(errors)
    dropped = outcome == Situation.DROPPED_OUT
    if not dropped and path.delivered_hours < MIN_HOURS:
        raise ValidationError(
            _(
                "A path is completed with at least 3 hours delivered; this one has %(hours)s. "
                "Log the missing activities, or close it as dropped out."
            )
            % {"hours": hours_text(path.delivered_hours)}
        )
    path.status = Path.Status.DROPPED if dropped else Path.Status.COMPLETED
    path.outcome, path.closed_on = outcome, closed_on
    path.contract_kind, path.outcome_note = contract_kind, note
    path.save(update_fields=["status", "outcome", "closed_on", "contract_kind", "outcome_note"])
    return path


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_ups_create(*, hub: Hub | None = None, today: date | None = None) -> int:
    """Create the 3- and 6-month follow-ups that have come due (beat; safe to run twice)."""
    today = today or timezone.localdate()
    earliest_close = add_months(today, -FOLLOW_UP_MONTHS[0])
    closed = Path.objects.filter(closed_on__isnull=False, closed_on__lte=earliest_close)
    if hub is not None:
        closed = closed.for_hub(hub)
    rows = []
    for months in FOLLOW_UP_MONTHS:
        latest = add_months(today, -months)
        for pk, hub_id, closed_on in (
            closed.filter(closed_on__lte=latest)
            .exclude(follow_ups__months=months)
            .values_list("pk", "hub_id", "closed_on")
        ):
            rows.append(
                FollowUp(hub_id=hub_id, path_id=pk, months=months, due_on=add_months(closed_on, months))
            )
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def follow_up_remind(*, follow_up_id: int) -> bool:
    """
    Remind the path's operator of a follow-up, once: the reminded mark and the stored e-mail
    commit together, so a retried or repeated run sends nothing more.
    """
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("path__operator", "path__created_by", "path__cooperative", "hub")
            .get(pk=follow_up_id)
        )
        if follow_up.reminded_at or follow_up.recorded_on:
            return False
        path = follow_up.path
        operator = path.operator or path.created_by
        to = operator.email if operator else follow_up.hub.email
        follow_up.reminded_at = timezone.now()
        follow_up.save(update_fields=["reminded_at"])
        if not to:
            logger.warning("Follow-up %s: nobody to remind.", follow_up.pk)
            return False
        mail_send(
            to=[to],
            template="placements/email/follow_up",
            context={
                "follow_up": follow_up,
                "path": path,
                "hub": follow_up.hub,
                "path_url": absolute_url("placementsbo:path_detail", hub_slug=follow_up.hub.slug, pk=path.pk),
            },
            language=getattr(operator, "language", settings.LANGUAGE_CODE),
        )
        return True


def follow_ups_due(*, hub: Hub | None = None, today: date | None = None) -> dict:
    """
    Beat (placements/tasks.py, one task per hub): create the hub's follow-ups now due and
    remind their operators once. Each reminder on its own: one that fails is logged, stays
    unreminded and is tried again by the next run.
    """
    created = follow_ups_create(hub=hub, today=today)
    pending = FollowUp.objects.filter(reminded_at__isnull=True, recorded_on__isnull=True)
    if hub is not None:
        pending = pending.for_hub(hub)
    reminded, failed = each_row(
        pending.order_by("pk").values_list("pk", flat=True),
        lambda pk: follow_up_remind(follow_up_id=pk),
        what="Follow-up reminder",
    )
    return {"created": created, "reminded": reminded, "failed": failed}


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    situation: str,
    recorded_on: date | None,
    by,
    contract_kind: str = "",
    note: str = "",
) -> FollowUp:
    errors = {}
    if not situation:
        errors["situation"] = _("Choose the situation.")
    if recorded_on is None:
        errors["recorded_on"] = _("Give the date of the follow-up.")
    elif recorded_on > timezone.localdate():
        errors["recorded_on"] = _("The date cannot be in the future.")
    elif follow_up.path.closed_on and recorded_on < follow_up.path.closed_on:
        errors["recorded_on"] = _("A follow-up comes after the path closed.")
    if situation == Situation.EMPLOYED and not contract_kind:
        errors["contract_kind"] = _("Say which kind of contract.")
    if errors:
        raise ValidationError(errors)
    follow_up.situation, follow_up.recorded_on = situation, recorded_on
    follow_up.contract_kind = contract_kind if situation == Situation.EMPLOYED else ""
    follow_up.note, follow_up.recorded_by = note, by
    follow_up.save()
    return follow_up
