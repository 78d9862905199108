"""Signed, expiring links sent by e-mail: verify a guest booking, manage it, claim an offer."""

from people.tokens import make, read

__all__ = ["CLAIM", "MANAGE", "VERIFY", "make", "read"]

VERIFY = "desk.booking.verify"
MANAGE = "desk.booking.manage"
CLAIM = "desk.waitlist.claim"
