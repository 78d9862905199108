"""An operator's private calendar subscription: made (its secret returned once) and revoked."""

from django.db import transaction
from django.utils import timezone

from hubs.tokens import token_hash, token_new

from ..models import CalendarFeed


@transaction.atomic
def calendar_feed_create(*, hub, user) -> tuple[CalendarFeed, str]:
    """A new feed for the operator and its token, which nobody can read again; the old feed stops."""
    calendar_feed_revoke(hub=hub, user=user)
    raw = token_new()
    feed = CalendarFeed.objects.create(hub=hub, user=user, token_hash=token_hash(raw))
    return feed, raw


def calendar_feed_revoke(*, hub, user) -> int:
    """From now on the operator's feed answers 404. Returns how many feeds stopped (0 or 1)."""
    return CalendarFeed.objects.for_hub(hub).usable().filter(user=user).update(revoked_at=timezone.now())
