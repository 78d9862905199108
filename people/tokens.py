"""Signed, expiring links e-mailed to young people (desk bookings, placement confirmations)."""

from django.core import signing


def make(salt: str, pk: int) -> str:
    return signing.dumps(pk, salt=salt, compress=True)


def read(salt: str, token: str, max_age_seconds: float) -> int | None:
    """The id the token carries, or None if it is tampered with or expired."""
    try:
        return int(signing.loads(token, salt=salt, max_age=max_age_seconds))
    except (signing.BadSignature, TypeError, ValueError):
        return None
