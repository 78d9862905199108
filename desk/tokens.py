"""
Signed, expiring links sent by e-mail: verify a guest booking, manage it, claim an offer, and
the guardian's consent to a booking under 14.
"""

from people.tokens import make, read

__all__ = ["CLAIM", "GUARDIAN", "LEAVE", "MANAGE", "SENT", "VERIFY", "make", "read"]

VERIFY = "desk.booking.verify"
MANAGE = "desk.booking.manage"
CLAIM = "desk.waitlist.claim"
GUARDIAN = "desk.booking.guardian"
LEAVE = "desk.waitlist.leave"
SENT = "desk.booking.sent"  # the "check your e-mail" page of the browser that booked
