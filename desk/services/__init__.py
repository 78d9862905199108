"""
Writes of the online desk, one module per seam:

- common: the booking error, the hub's desk settings, absolute links, the person of a booking;
- booking: create (capacity rule, guest hold caps), verify, guardian consent, cancel, move (reschedule),
  mark, hold expiry;
- waitlist: join, offer of a freed place, claim, offer lapse;
- notices: messages about bookings and offers, each sent once;
- availability: weekly rules, closures and the slots they make (slots_sync);
- enquiries: "Ask the desk" questions, their replies and closing;
- sweep: the hub's part of beat's periodic sweep;
- feeds: an operator's private calendar subscription.

Each service is one transaction; messages are queued with `delay_on_commit`
(hubs.tasks.PortalTask), so nothing is sent for a change that was rolled back.
Callers import them from here: `from desk import services; services.booking_create(...)`.
"""

from .availability import (
    availability_rule_save,
    availability_rules_create,
    closure_create,
    closure_delete,
    desk_settings_save,
    service_save,
    slots_sync,
)
from .booking import (
    booking_cancel,
    booking_create,
    booking_guardian_consent,
    booking_mark,
    booking_reschedule,
    booking_verify,
    check_notice,
    holds_expire,
    slot_roll_call,
)
from .common import BookingError, absolute, case_note_create, desk_settings_get, person_for_booking
from .enquiries import (
    enquiry_close,
    enquiry_create,
    enquiry_from_elsewhere,
    enquiry_reply,
    enquiry_reply_greeting,
)
from .feeds import calendar_feed_create, calendar_feed_revoke
from .notices import (
    booking_links,
    booking_links_send,
    booking_verify_resend,
    move_notice_send,
    notice_send,
    waitlist_ack_send,
    waitlist_offer_send,
)
from .sweep import desk_sweep
from .waitlist import offers_expire, waitlist_claim, waitlist_join, waitlist_leave, waitlist_offer

__all__ = [
    "BookingError",
    "absolute",
    "availability_rule_save",
    "availability_rules_create",
    "booking_cancel",
    "booking_create",
    "booking_guardian_consent",
    "booking_links",
    "booking_links_send",
    "booking_mark",
    "booking_reschedule",
    "booking_verify",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "booking_verify_resend",
    "case_note_create",
    "check_notice",
    "closure_create",
    "closure_delete",
    "desk_settings_get",
    "desk_settings_save",
    "desk_sweep",
    "enquiry_close",
    "enquiry_create",
    "enquiry_from_elsewhere",
    "enquiry_reply",
    "enquiry_reply_greeting",
    "holds_expire",
    "move_notice_send",
    "notice_send",
    "offers_expire",
    "person_for_booking",
    "service_save",
    "slot_roll_call",
    "slots_sync",
    "waitlist_ack_send",
    "waitlist_claim",
    "waitlist_join",
    "waitlist_leave",
    "waitlist_offer",
    "waitlist_offer_send",
]
