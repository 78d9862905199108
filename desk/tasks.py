"""
Background work of the desk. Tasks take ids and are safe to run twice: the services they call
record what they did (Notice rows, statuses) and return early when it is done already.
Periodic sweeps also catch whatever could not be queued while the broker was down.
"""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task
def notice_send(*, booking_id: int, kind: str) -> None:
    from .services import notice_send as send

    send(booking_id=booking_id, kind=kind)


@shared_task
def waitlist_offer(*, slot_id: int) -> None:
    from .services import waitlist_offer as offer

    offer(slot_id=slot_id)


@shared_task
def waitlist_offer_send(*, entry_id: int) -> None:
    from .services import waitlist_offer_send as send

    send(entry_id=entry_id)


@shared_task
def waitlist_ack_send(*, entry_id: int) -> None:
    from .services import waitlist_ack_send as send

    send(entry_id=entry_id)


@shared_task
def move_notice_send(*, move_id: int) -> None:
    from .services import move_notice_send as send

    send(move_id=move_id)


@shared_task
def desk_slots_roll() -> int:
    """
    Daily (beat): every hub's slots to its booking horizon, so the bookable window rolls
    forward with no staff action. slots_sync is idempotent: a second run adds nothing.
    """
    return hubs_fan_out(desk_slots_roll_hub)


@shared_task
def desk_slots_roll_hub(*, hub_id: int) -> int:
    from .services import slots_sync

    return slots_sync(hub=hub_of(hub_id))["created"]


@shared_task
def desk_sweep() -> int:
    """
    Every few minutes (beat): one `desk_sweep_hub` per hub, so one hub's trouble never holds up
    another's holds, offers, confirmations and reminders.
    """
    return hubs_fan_out(desk_sweep_hub)


@shared_task
def desk_sweep_hub(*, hub_id: int) -> dict:
    from .services import desk_sweep as sweep

    return sweep(hub=hub_of(hub_id))
