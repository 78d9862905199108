"""
The hub's part of beat's periodic desk sweep.
"""

from hubs.models import Hub
from hubs.tasks import each_row

from ..selectors import notices_due
from .booking import holds_expire
from .notices import notice_send
from .waitlist import offers_expire


def desk_sweep(*, hub: Hub) -> dict:
    """
    The hub's part of beat's sweep (desk/tasks.py), every few minutes: expire unconfirmed holds
    and stale offers, and send what is due (selectors.notices_due). Each row on its own: one
    that fails is logged and tried again by the next sweep (Notices make it idempotent).
    """
    done = {"expired": holds_expire(hub=hub), "lapsed": offers_expire(hub=hub)}
    done["sent"], done["failed"] = each_row(
        notices_due(hub=hub),
        lambda due: notice_send(booking_id=due[0], kind=due[1]),
        what="Desk notice (booking, kind)",
    )
    return done
