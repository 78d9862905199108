"""
Signing in with SPID or CIE: the attributes a provider asserts become an account, a young
person's record and a `DigitalIdentity`, found again at every sign-in by a keyed hash of the
fiscal code (the clear code is never stored).

Writes only; the callback view (spid.views) calls them after the package has verified the
tokens. An account that already exists with the same e-mail is linked only after its owner
signs in to it once (`identity_link`): a provider's e-mail alone never hands over an account.
"""

import hashlib
import hmac
import re
from dataclasses import asdict, dataclass
from datetime import date

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from people.models import Person

from .models import DigitalIdentity, Profile

LEVEL_ACR = re.compile(r"SpidL([123])$")


class EidError(Exception):
    """A sign-in that cannot go on; its message is for the person (the friendly error page)."""


@dataclass(frozen=True)
class Claims:
    """What a provider asserted about a person, mapped to the portal's fields."""

    fiscal_code_hash: str
    first_name: str
    last_name: str
    email: str
    birth_date: date | None
    level: int
    profile: str
    provider: str

    def to_session(self) -> dict:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else ""
        return data

    @classmethod
    def from_session(cls, data: dict) -> "Claims":
        birth = data.get("birth_date") or ""
        return cls(**{**data, "birth_date": parse_date(birth) if birth else None})


@dataclass(frozen=True)
class SignIn:
    """The outcome: an account to sign in, or an existing account to confirm the link with."""

    user: object | None = None
    link_to: object | None = None  # an account with the same e-mail: its owner must confirm
    created: bool = False


def fiscal_code_normalise(raw: str) -> str:
    """`TINIT-rssmra80a01h501u ` → `RSSMRA80A01H501U` (SPID and CIE prefix the country)."""
    code = re.sub(r"\s+", "", raw or "").upper()
    return code.removeprefix("TINIT-")


def fiscal_code_hash(raw: str) -> str:
    """HMAC-SHA256 of the normalised fiscal code under settings.YIP_FISCAL_CODE_KEY."""
    key = settings.YIP_FISCAL_CODE_KEY
    if not key:
        raise ImproperlyConfigured("YIP_FISCAL_CODE_KEY is not set: SPID and CIE cannot match people.")
    code = fiscal_code_normalise(raw)
    if not code:
        raise EidError(_("Your identity provider did not share your fiscal code."))
    return hmac.new(key.encode(), code.encode(), hashlib.sha256).hexdigest()


def level_from_acr(acr: str | None) -> int:
    """`https://www.spid.gov.it/SpidL2` → 2; anything unknown counts as level 1."""
    match = LEVEL_ACR.search(acr or "")
    return int(match.group(1)) if match else 1


def claims_from_attributes(attrs: dict, *, acr: str | None, profile: str, provider: str) -> Claims:
    """The package's mapped attributes (settings.RP_ATTR_MAP) as Claims; no clear fiscal code kept."""
    birth = attrs.get("birthdate") or ""
    return Claims(
        fiscal_code_hash=fiscal_code_hash(attrs.get("fiscal_number") or ""),
        first_name=(attrs.get("first_name") or "").strip()[:100],
        last_name=(attrs.get("last_name") or "").strip()[:100],
        email=(attrs.get("email") or "").strip().lower(),
        birth_date=parse_date(birth) if isinstance(birth, str) and birth else None,
        level=level_from_acr(acr),
        profile=profile if profile in Profile.values else Profile.SPID,
        provider=provider,
    )


def _person_update(*, user, claims: Claims, create: bool) -> Person | None:
    """
    The account's record takes the names and date of birth the provider asserts (where it has
    none). A new account gets its record; a linked one (staff, say) only fills the one it has.
    """
    person = Person.objects.filter(user=user).first()
    if person is None and not create:
        return None
    if person is None:
        return Person.objects.create(
            user=user,
            first_name=claims.first_name,
            last_name=claims.last_name,
            email=user.email,
            birth_date=claims.birth_date,
        )
    changed = []
    for field in ("first_name", "last_name", "birth_date"):
        value = getattr(claims, field)
        if value and not getattr(person, field):
            setattr(person, field, value)
            changed.append(field)
    if changed:
        person.save()
    return person


@transaction.atomic
def identity_sign_in(*, claims: Claims) -> SignIn:
    """
    The account of this fiscal code (updating the level and provider of this sign-in); else a
    new account, record and identity; else, when an account has the provider's e-mail, that
    account to confirm the link with (nothing written yet).
    """
    identity = (
        DigitalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(fiscal_code_hash=claims.fiscal_code_hash)
        .first()
    )
    if identity is not None:
        if not identity.user.is_active:
            raise EidError(_("This account is disabled. Please contact the service."))
        identity.profile, identity.provider, identity.level = claims.profile, claims.provider, claims.level
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["profile", "provider", "level", "last_login_at"])
        _person_update(user=identity.user, claims=claims, create=False)
        return SignIn(user=identity.user)
    if not claims.email:
        raise EidError(
            _(
                "Your identity provider did not share an e-mail address, which the portal needs to "
                "write to you. Sign up with your e-mail address instead, then link SPID or CIE."
            )
        )
    user_model = get_user_model()
    existing = user_model.objects.filter(email__iexact=claims.email).first()
    if existing is not None:
        return SignIn(link_to=existing)
    user = user_model.objects.create_user(
        email=claims.email, password=None, first_name=claims.first_name, last_name=claims.last_name
    )
    # The provider verified the address when it issued the identity.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _person_update(user=user, claims=claims, create=True)
    DigitalIdentity.objects.create(
        user=user,
        fiscal_code_hash=claims.fiscal_code_hash,
        profile=claims.profile,
        provider=claims.provider,
        level=claims.level,
        last_login_at=timezone.now(),
    )
    return SignIn(user=user, created=True)


@transaction.atomic
def identity_link(*, user, claims: Claims) -> DigitalIdentity:
    """
    Link a SPID/CIE identity to the account its owner has just signed in to (by password): only
    when the account has the e-mail the provider asserted and no other identity is linked.
    """
    if user.email.lower() != claims.email.lower():
        raise EidError(_("You signed in to another account than the one of your digital identity."))
    if DigitalIdentity.objects.filter(fiscal_code_hash=claims.fiscal_code_hash).exists():
        raise EidError(_("This digital identity is already linked to an account."))
    if DigitalIdentity.objects.filter(user=user).exists():
        raise EidError(_("This account is already linked to another digital identity."))
    identity = DigitalIdentity.objects.create(
        user=user,
        fiscal_code_hash=claims.fiscal_code_hash,
        profile=claims.profile,
        provider=claims.provider,
        level=claims.level,
        last_login_at=timezone.now(),
    )
    _person_update(user=user, claims=claims, create=False)
    return identity
