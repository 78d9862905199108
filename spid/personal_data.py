"""
SPID/CIE rows about a person (hubs/personal_data.py): the identity link (a keyed hash of the
fiscal code; deleted on erasure, the account can still sign in by e-mail) and the package's
tokens of each sign-in (JWTs the provider issued to us; deleted, and not exported: they are
credentials, not data about the person).
"""

from spid_cie_oidc.relying_party.models import OidcAuthenticationToken

from hubs.personal_data import register

from .models import DigitalIdentity

register(DigitalIdentity, find=lambda subject: DigitalIdentity.objects.filter(user__in=subject.users))
register(
    OidcAuthenticationToken,
    find=lambda subject: OidcAuthenticationToken.objects.filter(user__in=subject.users),
    delete=True,
    export=False,
)
