"""
The hub's part of beat's periodic desk sweep.
"""

from hubs.models import Hub
from hubs.tasks import each_row

from ..selectors import moves_unnotified, notices_due, slots_with_waiting, waitlist_unacknowledged
from .booking import holds_expire
from .notices import move_notice_send, notice_send, waitlist_ack_send
from .waitlist import offers_expire, waitlist_offer


def desk_sweep(*, hub: Hub) -> dict:
    """
    The hub's part of beat's sweep (desk/tasks.py), every few minutes: expire unconfirmed holds
    and stale offers, send what is due (selectors.notices_due, moves not told yet), and offer
    the free places someone waits for: a place freed while the broker was down is offered here
    (waitlist_offer counts places and open offers itself, so a second run offers nothing more).
    Each row on its own: one that fails is logged and tried again by the next sweep (Notices
    and markers make it idempotent).
    """
    done = {"expired": holds_expire(hub=hub), "lapsed": offers_expire(hub=hub)}
    done["sent"], done["failed"] = each_row(
        notices_due(hub=hub),
        lambda due: notice_send(booking_id=due[0], kind=due[1]),
        what="Desk notice (booking, kind)",
    )
    done["moves_told"], _failed = each_row(
        moves_unnotified(hub=hub).values_list("pk", flat=True),
        lambda pk: move_notice_send(move_id=pk),
        what="Desk move notice",
    )
    done["acknowledged"], _failed = each_row(
        waitlist_unacknowledged(hub=hub).values_list("pk", flat=True),
        lambda pk: waitlist_ack_send(entry_id=pk),
        what="Waiting-list acknowledgement",
    )
    done["offered"], _failed = each_row(
        slots_with_waiting(hub=hub).values_list("pk", "capacity"),
        _offer_free_places,
        what="Waiting-list offer",
    )
    return done


def _offer_free_places(row: tuple[int, int]) -> int:
    """Offer each free place of a slot to the next person waiting (at most its capacity)."""
    slot_id, capacity = row
    offered = 0
    while offered < capacity and waitlist_offer(slot_id=slot_id) is not None:
        offered += 1
    return offered
