"""
Writes of Together We Work. Each service is one transaction; the hours rules are checked
here, with the path's row locked, so two operators logging at once cannot pass 24 hours.

Rules (the project's): a path is planned and delivered in 3 to 24 hours, in quarter hours;
the log refuses what would pass 24 and says how many hours remain; a path is closed as
completed only from 3 delivered hours (a drop-out may close earlier).
"""

import calendar
import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hubs.links import absolute_url
from hubs.models import Hub, Organization
from hubs.permissions import grant, organization_group, revoke
from hubs.tasks import each_row
from people.mail import mail_send
from people.models import Person, PersonHub
from people.tokens import make, read

from .models import (
    MAX_HOURS,
    MIN_HOURS,
    QUARTER,
    Activity,
    FollowUp,
    Path,
    PlannedActivity,
    Situation,
)
from .selectors import CHANGE, VIEW, cooperatives_for
from .selectors import hours_by_kind as hours_by_kind  # re-exported: callers read it here
from .selectors import paths_for as paths_for  # re-exported: callers read it here

logger = logging.getLogger(__name__)

CONFIRM_SALT = "placements.activity.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 30  # a confirmation link works for 30 days
FOLLOW_UP_MONTHS = (3, 6)


def hours_text(hours) -> str:
    """1.5 → "1,5" in Italian, 24.00 → "24": hours as people write them."""
    text = f"{Decimal(hours).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return number_format(Decimal(text))


# --- Who reaches which path ---------------------------------------------------------------------


def _grant_to(path: Path, cooperative: Organization) -> None:
    group = organization_group(cooperative)
    grant(group, VIEW, path)
    grant(group, CHANGE, path)


def _revoke_from(path: Path, cooperative: Organization) -> None:
    group = organization_group(cooperative)
    revoke(group, VIEW, path)
    revoke(group, CHANGE, path)


# --- Intake and assignment ----------------------------------------------------------------------


def _check_cooperative(hub: Hub, cooperative: Organization) -> None:
    if not cooperatives_for(hub).filter(pk=cooperative.pk).exists():
        raise ValidationError({"cooperative": _("Choose a cooperative that works with this hub.")})


@transaction.atomic
def path_open(*, hub: Hub, person: Person, by, **fields) -> Path:
    """
    Open a path for a young person (intake). `fields` are the Path's intake fields; the
    cooperative it is assigned to gets its grant at once.
    """
    path = Path(hub=hub, person=person, created_by=by, **fields)
    _check_cooperative(hub, path.cooperative)
    if not (path.is_neet or path.is_low_schooling or path.is_pandemic_unemployed):
        raise ValidationError(_("Choose at least one target group."))
    path.full_clean(exclude=["person", "cooperative", "operator", "created_by"])
    path.save()
    PersonHub.objects.get_or_create(person=person, hub=hub)
    _grant_to(path, path.cooperative)
    return path


INTAKE_FIELDS = (
    "is_neet",
    "is_low_schooling",
    "is_pandemic_unemployed",
    "age_at_intake",
    "education",
    "months_out",
    "starts_on",
)


@transaction.atomic
def path_update(*, path: Path, **fields) -> Path:
    """
    Correct the intake facts of a path (target groups, eligibility, start date); the person,
    cooperative and operator change elsewhere. The start cannot move past a logged activity.
    """
    unknown = set(fields) - set(INTAKE_FIELDS)
    if unknown:
        raise ValueError(f"Not intake fields: {sorted(unknown)}")
    path = Path.objects.select_for_update().get(pk=path.pk)
    for name, value in fields.items():
        setattr(path, name, value)
    if not (path.is_neet or path.is_low_schooling or path.is_pandemic_unemployed):
        raise ValidationError({"is_neet": _("Choose at least one target group.")})
    first = path.activities.order_by("date").values_list("date", flat=True).first()
    if first and path.starts_on > first:
        raise ValidationError(
            {
                "starts_on": _("An activity is logged on %(day)s: the path cannot start later.")
                % {"day": first.strftime("%d/%m/%Y")}
            }
        )
    if path.closed_on and path.starts_on > path.closed_on:
        raise ValidationError({"starts_on": _("A path cannot start after it closed.")})
    path.full_clean(exclude=["person", "cooperative", "operator", "created_by"])
    path.save(update_fields=list(fields))
    return path


@transaction.atomic
def path_assign(*, path: Path, cooperative: Organization, operator=None) -> Path:
    """
    Give the path to another cooperative (or operator). The old cooperative's grant is removed
    in the same transaction: its operators lose the path on their next request.
    """
    _check_cooperative(path.hub, cooperative)
    old = path.cooperative
    if old.pk != cooperative.pk:
        _revoke_from(path, old)
        _grant_to(path, cooperative)
    path.cooperative = cooperative
    path.operator = operator
    path.save(update_fields=["cooperative", "operator"])
    return path


# --- The plan -----------------------------------------------------------------------------------


def check_quarter_hours(hours, field: str = "hours") -> Decimal:
    """Hours as a Decimal: positive and in quarter hours, or a ValidationError for `field`."""
    try:
        hours = Decimal(hours)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Write the hours as a number, e.g. 1.5.")}) from None
    if not hours.is_finite():  # NaN, inf
        raise ValidationError({field: _("Write the hours as a number, e.g. 1.5.")})
    if hours <= 0:
        raise ValidationError({field: _("The hours must be more than zero.")})
    quarters = hours / QUARTER  # not `hours % QUARTER`: Decimal refuses it past 28 digits (1e40)
    if quarters != quarters.to_integral_value():
        raise ValidationError({field: _("Count the hours in quarter hours (0.25, 0.5, 0.75…).")})
    return hours


@transaction.atomic
def plan_save(*, path: Path, goals: str, lines: list[dict]) -> Path:
    """
    Replace the personal plan: goals and planned activities ({kind, hours, description}).
    The planned total must be between 3 and 24 hours.
    """
    path = Path.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(_("This path is closed: its plan can no longer change."))
    total = Decimal("0")
    for line in lines:
        line["hours"] = check_quarter_hours(line["hours"])
        total += line["hours"]
    if not MIN_HOURS <= total <= MAX_HOURS:
        raise ValidationError(
            _("The planned hours add up to %(total)s: a path is planned between 3 and 24 hours.")
            % {"total": hours_text(total)}
        )
    path.plan.all().delete()
    PlannedActivity.objects.bulk_create(PlannedActivity(hub=path.hub, path=path, **line) for line in lines)
    path.goals = goals
    path.planned_hours = total
    path.save(update_fields=["goals", "planned_hours"])
    return path


# --- The activity log ---------------------------------------------------------------------------


@transaction.atomic
def activity_log(*, path: Path, by, kind: str, date: date, hours, operator=None, note: str = "") -> Activity:
    """Log a delivered activity. Refused, with the hours that remain, past 24 hours."""
    path = Path.objects.select_for_update().get(pk=path.pk)
    if not path.is_open:
        raise ValidationError(_("This path is closed: no more activities can be logged."))
    hours = check_quarter_hours(hours)
    if date < path.starts_on:
        raise ValidationError(
            {
                "date": _("The path started on %(day)s: the activity cannot be earlier.")
                % {"day": path.starts_on.strftime("%d/%m/%Y")}
            }
        )
    if date > timezone.localdate():
        raise ValidationError(
            {"date": _("Log activities once they have taken place: this date is in the future.")}
        )
    if path.delivered_hours + hours > MAX_HOURS:
        raise ValidationError(
            {
                "hours": _("A path cannot pass 24 hours: %(remaining)s hours remain on this one.")
                % {"remaining": hours_text(path.remaining_hours)}
            }
        )
    activity = Activity.objects.create(
        hub=path.hub,
        path=path,
        kind=kind,
        date=date,
        hours=hours,
        operator=operator or by,
        note=note,
    )
    Path.objects.filter(pk=path.pk).update(delivered_hours=F("delivered_hours") + hours)
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    """Remove an entry logged by mistake. A confirmed activity is evidence and stays."""
    path = Path.objects.select_for_update().get(pk=activity.path_id)
    activity = Activity.objects.get(pk=activity.pk)  # as it stands now, under the path's lock
    if activity.is_confirmed:
        raise ValidationError(_("The young person confirmed this activity: it cannot be removed."))
    if not path.is_open:
        raise ValidationError(_("This path is closed: its log can no longer change."))
    Path.objects.filter(pk=path.pk).update(delivered_hours=F("delivered_hours") - activity.hours)
    activity.delete()


def confirm_url(activity: Activity) -> str:
    return absolute_url(
        "placements:activity_confirm", hub_slug=activity.hub.slug, token=make(CONFIRM_SALT, activity.pk)
    )


@transaction.atomic
def confirmation_request(*, activity: Activity) -> Activity:
    """
    E-mail the young person a link to confirm the activity took place. The message is stored
    in the outbox in this transaction (sent after commit), so one click sends one e-mail.
    """
    activity = Activity.objects.select_for_update().select_related("path__person", "hub").get(pk=activity.pk)
    if activity.is_confirmed:
        raise ValidationError(_("The young person has already confirmed this activity."))
    person = activity.path.person
    if person.erased_at or not person.email:
        raise ValidationError(_("The young person's e-mail address is not available."))
    activity.confirmation_sent_at = timezone.now()
    activity.save(update_fields=["confirmation_sent_at"])
    with translation.override(person.language):  # the hours are written the reader's way
        mail_send(
            to=[person.email],
            template="placements/email/confirm",
            context={
                "activity": activity,
                "person": person,
                "hub": activity.hub,
                "confirm_url": confirm_url(activity),
                "hours": hours_text(activity.hours),
            },
            reply_to=activity.hub.email,
        )
    return activity


def activity_from_token(*, hub: Hub, token: str) -> Activity | None:
    pk = read(CONFIRM_SALT, token, CONFIRM_MAX_AGE)
    if pk is None:
        return None
    return Activity.objects.for_hub(hub).select_related("path").filter(pk=pk).first()


@transaction.atomic
def activity_confirm(*, activity: Activity) -> bool:
    """The young person confirms: True the first time, False if it was confirmed already."""
    confirmed = Activity.objects.filter(pk=activity.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if confirmed:
        Path.objects.filter(pk=activity.path_id).update(confirmed_hours=F("confirmed_hours") + activity.hours)
    return bool(confirmed)


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
