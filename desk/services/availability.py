"""
Availability: weekly rules and closures make the slots (`slots_sync`); every back-office change
of availability ends with slots_sync in the same transaction and returns its report
({"created", "removed", "conflicts"}) for the view to show. Beat runs it daily for every hub
(tasks.desk_slots_roll), so the bookable window rolls forward by itself.

Italian public holidays (the `holidays` library) and the hub's patron saint's day are closed,
unless the hub's settings open them (DeskSettings.open_on_holidays).
"""

from datetime import date, timedelta

import holidays
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hubs import pagecache
from hubs.models import Hub

from ..models import AvailabilityRule, Booking, Channel, Closure, DeskSettings, Slot
from ..video import is_room_of, video_room_url
from .common import desk_settings_get


def holidays_between(row: DeskSettings, start: date, end: date) -> dict[date, str]:
    """The days between `start` and `end` the desk is closed for a holiday, with their names."""
    if row.open_on_holidays:
        return {}
    years = range(start.year, end.year + 1)
    days = dict(holidays.country_holidays("IT", years=years))
    if row.patron_saint_day:
        for year in years:
            try:
                days.setdefault(row.patron_saint_day.replace(year=year), "Santo patrono")
            except ValueError:  # 29 February in a common year
                continue
    return {day: name for day, name in days.items() if start <= day <= end}


def _closed(closures, day, rule) -> bool:
    for closure in closures:
        if not closure.starts_on <= day <= closure.ends_on:
            continue
        if closure.antenna_id and closure.antenna_id != rule.antenna_id:
            continue
        if closure.operator_id and closure.operator_id != rule.operator_id:
            continue
        return True
    return False


def _wanted_starts(rule, closures, start, end, closed_days=frozenset()) -> set:
    """The start times (aware) the rule asks for between two dates, closures and holidays left out."""
    wanted = set()
    step = timedelta(minutes=rule.service.duration_minutes)
    day = max(start, rule.valid_from)
    last = min(end, rule.valid_until) if rule.valid_until else end
    tz = timezone.get_current_timezone()
    while day <= last:
        if day.weekday() == rule.weekday and day not in closed_days and not _closed(closures, day, rule):
            moment = timezone.make_aware(timezone.datetime.combine(day, rule.start_time), tz)
            finish = timezone.make_aware(timezone.datetime.combine(day, rule.end_time), tz)
            while moment + step <= finish:
                wanted.add(moment)
                moment += step
        day += timedelta(days=1)
    return wanted


def _slot_fits_rule(slot: Slot, rule, duration: timedelta) -> bool:
    """Whether a slot is still the session the rule describes (who, what, where, how long)."""
    return (
        slot.service_id == rule.service_id
        and slot.operator_id == rule.operator_id
        and slot.channel == rule.channel
        and slot.antenna_id == rule.antenna_id
        and slot.ends_at - slot.starts_at == duration
    )


def _slot_video_url(rule) -> str:
    return video_room_url(rule.video_url) if rule.channel == Channel.ONLINE else ""


def _slot_follow_rule(slot: Slot, rule) -> None:
    """
    Places and video service follow the rule; places never drop below the bookings held. The
    slot keeps its own room while the rule's video service stays the same.
    """
    room_ok = (
        is_room_of(slot.video_url, rule.video_url) if rule.channel == Channel.ONLINE else not slot.video_url
    )
    if slot.capacity == rule.capacity and room_ok:
        return
    slot = Slot.objects.select_for_update().get(pk=slot.pk)  # as booking_create does
    held = Booking.objects.filter(slot=slot, status__in=Booking.HOLDING_STATUSES).count()
    slot.capacity = max(rule.capacity, held)
    if not room_ok:
        slot.video_url = _slot_video_url(rule)
    slot.save(update_fields=["capacity", "video_url"])


@transaction.atomic
def slots_sync(*, hub: Hub, start=None, days: int | None = None) -> dict:
    """
    Make the hub's future slots match its availability rules and closures, from `start` for
    `days` (default: the booking horizon). New slots are added; slots no longer wanted are
    removed only if nobody booked them: booked ones are kept and reported as conflicts, so
    changing availability never silently drops a booking. A slot whose rule now names another
    operator, service, channel, antenna or duration counts as no longer wanted; a change of
    places or video link is applied to the slot in place.
    """
    rules_row = desk_settings_get(hub=hub)
    start = start or timezone.localdate()
    end = start + timedelta(days=days or rules_row.horizon_days)
    closures = list(Closure.objects.for_hub(hub).filter(ends_on__gte=start, starts_on__lte=end))
    closed_days = frozenset(holidays_between(rules_row, start, end))
    now = timezone.now()
    created, removed, conflicts = 0, 0, []
    rules = AvailabilityRule.objects.for_hub(hub).select_related("service")
    for rule in rules:
        wanted = (
            _wanted_starts(rule, closures, start, end, closed_days)
            if rule.is_active and rule.service.is_active
            else set()
        )
        existing = (
            Slot.objects.for_hub(hub)
            .filter(
                rule=rule,
                is_cancelled=False,
                starts_at__gt=now,
                starts_at__date__gte=start,
                starts_at__date__lte=end,
            )
            .with_booked()
            .select_related("service", "operator", "antenna")
        )
        duration = timedelta(minutes=rule.service.duration_minutes)
        for slot in existing:
            if slot.starts_at in wanted and _slot_fits_rule(slot, rule, duration):
                _slot_follow_rule(slot, rule)
                continue
            if slot.booked:
                conflicts.append(slot)
            else:
                slot.delete()
                removed += 1
        taken = set(
            Slot.objects.filter(operator=rule.operator, is_cancelled=False, starts_at__in=wanted).values_list(
                "starts_at", flat=True
            )
        )
        new = [
            Slot(
                hub=hub,
                service=rule.service,
                operator=rule.operator,
                channel=rule.channel,
                antenna=rule.antenna,
                starts_at=moment,
                ends_at=moment + duration,
                capacity=rule.capacity,
                video_url=_slot_video_url(rule),
                rule=rule,
            )
            for moment in sorted(wanted - taken)
            if moment > now
        ]
        Slot.objects.bulk_create(new)
        created += len(new)
    if created:
        pagecache.bump(f"desk:{hub.slug}")  # bulk_create sends no post_save
    return {"created": created, "removed": removed, "conflicts": conflicts}


@transaction.atomic
def availability_rule_save(*, rule) -> dict:
    """Save a weekly rule (new or changed) and bring the hub's slots in line with it."""
    rule.save()
    return slots_sync(hub=rule.hub)


def overlap_message(rule) -> str:
    """What staff read when new hours meet one of the operator's rules."""
    return _("%(operator)s already has %(service)s on %(weekday)s, %(start)s–%(end)s (from %(since)s).") % {
        "operator": rule.operator.label,
        "service": rule.service.name,
        "weekday": rule.get_weekday_display().lower(),
        "start": f"{rule.start_time:%H:%M}",
        "end": f"{rule.end_time:%H:%M}",
        "since": date_format(rule.valid_from, "j F Y"),
    }


@transaction.atomic
def availability_rules_create(
    *, hub: Hub, operator, services, weekdays, start_time, end_time, valid_from, valid_until=None, **fields
) -> tuple[list[AvailabilityRule], dict]:
    """
    Weekly availability entered once: one rule per weekday and service, the same hours, then
    the slots. An operator holds one session at a time: hours that overlap one of their rules
    of the hub (any service) are refused with a ValidationError naming the rule, and so are
    two services at the same hours. Concurrent calls for one operator queue on their row.
    Returns the rules made and what slots_sync did.
    """
    from ..selectors import availability_overlaps

    services, weekdays = list(services), sorted(set(weekdays))
    if len(services) > 1:
        raise ValidationError(
            {
                "services": _(
                    "An operator holds one session at a time: these hours can go to one service. "
                    "Enter the other services with other hours (or another operator)."
                )
            }
        )
    get_user_model().objects.select_for_update().filter(pk=operator.pk).first()
    clashes = list(
        availability_overlaps(
            hub=hub,
            operator=operator,
            weekdays=weekdays,
            start_time=start_time,
            end_time=end_time,
            valid_from=valid_from,
            valid_until=valid_until,
        )
    )
    if clashes:
        raise ValidationError([overlap_message(rule) for rule in clashes])
    rules = [
        AvailabilityRule.objects.create(
            hub=hub,
            operator=operator,
            service=service,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            valid_from=valid_from,
            valid_until=valid_until,
            **fields,
        )
        for weekday in weekdays
        for service in services
    ]
    return rules, slots_sync(hub=hub)


@transaction.atomic
def closure_create(*, closure) -> dict:
    """Close the hub (or one antenna, or one operator) on some days: their free slots go."""
    closure.save()
    return slots_sync(hub=closure.hub)


@transaction.atomic
def closure_delete(*, closure) -> dict:
    """Reopen the days of a closure: the rules give their slots back."""
    hub = closure.hub
    closure.delete()
    return slots_sync(hub=hub)


@transaction.atomic
def service_save(*, service) -> dict:
    """A service's duration and whether it is bookable shape its slots: sync them."""
    service.save()
    return slots_sync(hub=service.hub)


@transaction.atomic
def desk_settings_save(*, row: DeskSettings) -> dict:
    """The booking horizon decides how far ahead slots exist: sync them."""
    row.save()
    return slots_sync(hub=row.hub)
