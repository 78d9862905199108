"""The activity log: hours logged under the 24-hour ceiling, removal, the young person's confirmation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hubs.links import absolute_url
from hubs.models import Hub
from people.mail import mail_send
from people.tokens import make, read

from ..models import (
    MAX_HOURS,
    Activity,
    Path,
)
from .common import CONFIRM_MAX_AGE, CONFIRM_SALT, check_quarter_hours, hours_text

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
