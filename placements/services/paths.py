"""Intake, facts, assignment to a cooperative, the plan, and closing a path."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.models import Hub, Organization
from people.models import Person, PersonHub

from ..models import (
    MAX_HOURS,
    MIN_HOURS,
    Path,
    PathRequest,
    PlannedActivity,
)
from ..selectors import cooperatives_for
from .common import check_quarter_hours, grant_to, hours_text, revoke_from

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
    grant_to(path, path.cooperative)
    PathRequest.objects.for_hub(hub).waiting().filter(person=person).update(path=path)  # answered
    return path


@transaction.atomic
def path_request_receive(
    *, hub: Hub, person: Person, origin: str, subject: str, message: str = ""
) -> PathRequest:
    """
    A young person referred by another action (hubs/help_registry.py): waits for a path, once per
    `origin` whatever the number of calls (the unique constraint holds it under concurrency).
    """
    request, _created = PathRequest.objects.get_or_create(
        hub=hub,
        origin=origin,
        defaults={"person": person, "subject": subject[:200], "message": message[:3000]},
    )
    PersonHub.objects.get_or_create(person=person, hub=hub)
    return request


@transaction.atomic
def path_request_close(*, request: PathRequest) -> PathRequest:
    """Nothing more to do on this request (no path: the young person declined, a duplicate…)."""
    if request.closed_at is None:
        request.closed_at = timezone.now()
        request.save(update_fields=["closed_at"])
    return request


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
        revoke_from(path, old)
        grant_to(path, cooperative)
    path.cooperative = cooperative
    path.operator = operator
    path.save(update_fields=["cooperative", "operator"])
    return path


# --- The plan -----------------------------------------------------------------------------------


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
