"""Reads: the identity providers the sign-in buttons offer, from the stored trust chains."""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from spid_cie_oidc.entity.models import TrustChain


@dataclass(frozen=True)
class Provider:
    sub: str
    name: str
    url: str  # where its button leads: our begin view


def providers_for_buttons(*, next_url: str = "") -> dict[str, list[Provider]]:
    """
    Per profile ("spid", "cie"), the configured providers with the names their trust chains
    carry (refreshed by beat: spid.tasks), in one query; a provider whose chain is not fetched
    yet is shown by its host name, and its chain is built when someone picks it.
    """
    if not settings.YIP_EID_ENABLED:
        return {}
    configured = settings.OIDCFED_IDENTITY_PROVIDERS
    subs = [sub for providers in configured.values() for sub in providers]
    chains = {tc.sub: tc for tc in TrustChain.objects.filter(sub__in=subs, is_active=True)}
    begin = reverse("spid:begin")
    result = {}
    for profile, providers in configured.items():
        result[profile] = []
        for sub in providers:
            metadata = chains[sub].metadata if sub in chains else {}
            name = (
                metadata.get("openid_provider", {}).get("organization_name")
                or metadata.get("federation_entity", {}).get("organization_name")
                or urlsplit(sub).netloc
            )
            query = {"provider": sub, "profile": profile, **({"next": next_url} if next_url else {})}
            result[profile].append(Provider(sub=sub, name=name, url=f"{begin}?{urlencode(query)}"))
        result[profile].sort(key=lambda p: p.name.lower())
    return result
