"""Beat: keep the identity providers' trust chains fresh (they expire, and the buttons read them)."""

import logging

from celery import shared_task
from django.conf import settings
from spid_cie_oidc.entity.settings import HTTPC_PARAMS
from spid_cie_oidc.entity.trust_chain_operations import get_or_create_trust_chain

from hubs.tasks import each_row

logger = logging.getLogger(__name__)


def trust_chain_refresh(entry: tuple[str, str]) -> bool:
    provider, trust_anchor = entry
    chain = get_or_create_trust_chain(
        subject=provider,
        trust_anchor=trust_anchor,
        httpc_params=HTTPC_PARAMS,
        required_trust_marks=settings.OIDCFED_REQUIRED_TRUST_MARKS,
        force=True,
    )
    return bool(chain and chain.is_valid)


@shared_task
def trust_chains_refresh() -> int:
    """Rebuild every configured provider's chain; one unreachable provider never stops the rest."""
    if not settings.YIP_EID_ENABLED:
        return 0
    entries = [
        (provider, anchor)
        for providers in settings.OIDCFED_IDENTITY_PROVIDERS.values()
        for provider, anchor in providers.items()
    ]
    done, failed = each_row(entries, trust_chain_refresh, what="SPID/CIE trust chain")
    return done
