"""
Our relying party's own federation entity: one `FederationEntityConfiguration` row whose `sub`
is settings.YIP_EID_ENTITY_ID. Its keys are made here, per environment (manage.py eid_entity);
none is committed. The metadata follows the package's example relying party, with our URLs.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration


def keys_create() -> dict:
    """A federation signing key, and the core keys: one to sign requests, one to decrypt userinfo."""
    core_sig, core_enc = create_jwk(), create_jwk()
    core_sig["use"], core_enc["use"] = "sig", "enc"
    return {"jwks_fed": [create_jwk()], "jwks_core": [core_sig, core_enc]}


def rp_metadata(*, entity_id: str, jwks_core: list[dict]) -> dict:
    def url(name, **kwargs):
        return entity_id + reverse(name, kwargs=kwargs)

    organization = settings.YIP_EID_ORGANIZATION
    return {
        "federation_entity": {
            "organization_name": organization,
            "homepage_uri": entity_id + "/",
            "policy_uri": url("privacy"),
            "contacts": settings.YIP_EID_CONTACTS,
            "federation_resolve_endpoint": entity_id + "/resolve",
        },
        "openid_relying_party": {
            "application_type": "web",
            "organization_name": organization,
            "client_id": entity_id,
            "client_name": organization,
            "client_registration_types": ["automatic"],
            "contacts": settings.YIP_EID_CONTACTS,
            "grant_types": ["refresh_token", "authorization_code"],
            "redirect_uris": [url("spid:callback")],
            "response_types": ["code"],
            "subject_type": "pairwise",
            "id_token_signed_response_alg": "RS256",
            "userinfo_signed_response_alg": "RS256",
            "userinfo_encrypted_response_alg": "RSA-OAEP",
            "userinfo_encrypted_response_enc": "A128CBC-HS256",
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": url("spid:jwks_json"),
            "signed_jwks_uri": url("spid:jwks_jose"),
            "jwks": {"keys": [public_jwk_from_private_jwk(key) for key in jwks_core]},
        },
    }


@transaction.atomic
def rp_entity_configure(*, keys: dict | None = None, rotate: bool = False) -> FederationEntityConfiguration:
    """
    Create our entity, or bring its metadata, trust anchor and trust marks up to the settings.
    Keys are made once (or on `rotate`), unless given (tests give the package's demo keys).
    """
    entity_id = settings.YIP_EID_ENTITY_ID
    entity = FederationEntityConfiguration.objects.filter(sub=entity_id).first()
    if entity is None:
        entity = FederationEntityConfiguration(sub=entity_id, entity_type="openid_relying_party")
        keys = keys or keys_create()
    elif rotate:
        keys = keys or keys_create()
    if keys:
        entity.jwks_fed, entity.jwks_core = keys["jwks_fed"], keys["jwks_core"]
    entity.authority_hints = [settings.OIDCFED_DEFAULT_TRUST_ANCHOR]
    entity.trust_marks = settings.YIP_EID_TRUST_MARKS
    entity.metadata = rp_metadata(entity_id=entity_id, jwks_core=entity.jwks_core)
    entity.is_active = True
    entity.full_clean(exclude=["uuid"])
    entity.save()
    return entity
