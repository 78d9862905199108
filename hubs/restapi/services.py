"""Writes of API tokens: make one (its secret returned once, only its hash kept) and revoke it."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hubs.models import Hub, Organization, validate_role_organization
from hubs.tokens import token_hash, token_new

from .models import ApiToken

PREFIX = "yip_"  # tokens are recognisable (secret scanners, our own refusal of them in URLs)


@transaction.atomic
def token_create(
    *,
    hub: Hub,
    name: str,
    role: str,
    organization: Organization | None = None,
    valid_days: int = 365,
    by=None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which nobody can read again after this call."""
    validate_role_organization(role, organization, hub)
    raw = token_new(PREFIX)
    token = ApiToken.objects.create(
        hub=hub,
        name=name,
        role=role,
        organization=organization,
        prefix=raw[: len(PREFIX) + 6],
        token_hash=token_hash(raw),
        created_by=by,
        expires_at=timezone.now() + timedelta(days=valid_days),
    )
    return token, raw


def token_revoke(*, token: ApiToken) -> ApiToken:
    """From now on the token answers 401. Revoking twice keeps the first time."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token


def token_find(raw: str) -> ApiToken | None:
    """The token a client presented, with its hub and organization; None if unknown."""
    if not raw.startswith(PREFIX):
        return None
    return ApiToken.objects.select_related("hub", "organization").filter(token_hash=token_hash(raw)).first()


def token_touch(token: ApiToken, *, every: timedelta = timedelta(minutes=1)) -> None:
    """Record the token's use, at most once a minute (no write on every call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= every:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
