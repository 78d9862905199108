"""
Two identity providers (a SPID one and a CIE one) under one trust anchor, answering our relying
party in-process: the trust chains are stored as `fetch_openid_providers` stores them, and the
providers' token and userinfo endpoints answer the package's own `requests` calls (as the
package's RP tests mock them), with tokens signed by the package's demo provider key and the
userinfo encrypted to our entity's key. The browser's leg (the provider's login and consent
form) is what this skips: `authorize()` takes the signed request object our begin view sent,
checks it, and comes back to our callback as the provider would, with the claims a test chose.
Demo keys only here (the package's test keys), never in settings.
"""

import json
import secrets
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptojwt.jws.utils import left_hash
from django.urls import reverse
from spid_cie_oidc.authority.tests.settings import RP_METADATA_JWK1, RP_METADATA_JWK2
from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
from spid_cie_oidc.entity.jwtse import create_jwe, create_jws, unpad_jwt_payload, verify_jws
from spid_cie_oidc.entity.models import FetchedEntityStatement, TrustChain
from spid_cie_oidc.entity.utils import datetime_from_timestamp, exp_from_now, iat_now
from spid_cie_oidc.provider.tests.settings import op_conf, op_conf_priv_jwk

from spid.entity import rp_entity_configure

TRUST_ANCHOR = "http://trust-anchor.test"
SPID_OP = "http://spid-op.test/oidc/op"
CIE_OP = "http://cie-op.test/oidc/op"
DEMO_KEYS = {"jwks_fed": [RP_METADATA_JWK1], "jwks_core": [RP_METADATA_JWK1, RP_METADATA_JWK2]}
L2 = "https://www.spid.gov.it/SpidL2"
L1 = "https://www.spid.gov.it/SpidL1"


def user_claims(fiscal_code="RSSMRA90A41D142X", **overrides) -> dict:
    """What a SPID or CIE provider asserts about a person (userinfo claims)."""
    return {
        "given_name": "Maria",
        "family_name": "Rossi",
        "email": "maria.rossi@example.org",
        "birthdate": "1990-01-01",
        "https://attributes.eid.gov.it/fiscal_number": f"TINIT-{fiscal_code}",
        **overrides,
    }


class Answer:
    def __init__(self, body: bytes, status: int = 200):
        self.status_code, self.content = status, body

    def json(self):
        return json.loads(self.content)

    def __bool__(self):  # as requests.Response: false for an error status
        return self.status_code < 400


@dataclass
class Providers:
    rp: object
    pending: dict = field(default_factory=dict)  # code → what the provider will say about it
    calls: list = field(default_factory=list)

    def metadata(self, sub: str) -> dict:
        provider = dict(op_conf["metadata"]["openid_provider"])
        provider.update(
            issuer=sub,
            organization_name="Demo SPID" if sub == SPID_OP else "Demo CIE",
            authorization_endpoint=f"{sub}/authorization",
            token_endpoint=f"{sub}/token",
            userinfo_endpoint=f"{sub}/userinfo",
            revocation_endpoint=f"{sub}/revocation",
            jwks={"keys": [public_jwk_from_private_jwk(op_conf_priv_jwk)]},
        )
        return {"openid_provider": provider}

    def store_trust_chains(self):
        now, exp = datetime_from_timestamp(iat_now()), datetime_from_timestamp(exp_from_now(60))
        anchor = FetchedEntityStatement.objects.create(sub=TRUST_ANCHOR, iss=TRUST_ANCHOR, exp=exp, iat=now)
        for sub in (SPID_OP, CIE_OP):
            TrustChain.objects.create(
                sub=sub,
                exp=exp,
                jwks=[],
                metadata=self.metadata(sub),
                status="valid",
                trust_anchor=anchor,
                is_active=True,
            )

    # --- the browser's leg -------------------------------------------------------------------

    def authorize(self, client, profile: str, *, claims: dict, acr: str = L2, next_url: str = ""):
        """Begin at our button's URL, "sign in" at the provider, come back: the callback's answer."""
        sub = SPID_OP if profile == "spid" else CIE_OP
        query = {"provider": sub, "profile": profile, **({"next": next_url} if next_url else {})}
        begin = client.get(f"{reverse('spid:begin')}?{urlencode(query)}")
        assert begin.status_code == 302, begin.content
        location = urlsplit(begin["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sub}/authorization"
        request_object = parse_qs(location.query)["request"][0]
        verify_jws(request_object, public_jwk_from_private_jwk(RP_METADATA_JWK1))  # signed by our RP
        request = unpad_jwt_payload(request_object)
        assert (
            request["acr_values"] == L2 and request["redirect_uri"] == "http://portal.test/oidc/rp/callback"
        )
        code = secrets.token_urlsafe(16)
        self.pending[code] = {"sub": sub, "request": request, "claims": claims, "acr": acr}
        return client.get(reverse("spid:callback"), {"code": code, "state": request["state"], "iss": sub})

    # --- the providers' endpoints (requests.post / requests.get) -------------------------------

    def post(self, url, data=None, **kwargs):
        self.calls.append(("POST", url))
        grant = self.pending.get((data or {}).get("code"))
        if grant is None or not url.endswith("/token"):
            return Answer(b'{"error": "invalid_grant"}', 400)
        del self.pending[data["code"]]  # a code is good once
        self.token = grant
        client_id, subject = (
            grant["request"]["client_id"],
            uuid.uuid5(uuid.NAMESPACE_URL, str(grant["claims"])).hex,
        )
        access = {
            "iss": grant["sub"],
            "sub": subject,
            "aud": [client_id],
            "client_id": client_id,
            "scope": "openid",
            "jti": str(uuid.uuid4()),
            "exp": exp_from_now(),
            "iat": iat_now(),
        }
        access_token = create_jws(access, op_conf_priv_jwk, typ="at+jwt")
        id_token = {
            "iss": grant["sub"],
            "sub": subject,
            "aud": [client_id],
            "acr": grant["acr"],
            "nonce": grant["request"]["nonce"],
            "at_hash": left_hash(access_token, "HS256"),
            "jti": str(uuid.uuid4()),
            "exp": exp_from_now(),
            "iat": iat_now(),
        }
        body = {
            "access_token": access_token,
            "id_token": create_jws(id_token, op_conf_priv_jwk),
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "openid",
        }
        return Answer(json.dumps(body).encode())

    def get(self, url, headers=None, **kwargs):
        self.calls.append(("GET", url))
        if not url.endswith("/userinfo"):
            return Answer(b"", 404)
        signed = create_jws({"sub": "x", **self.token["claims"]}, op_conf_priv_jwk)
        return Answer(create_jwe(signed, public_jwk_from_private_jwk(RP_METADATA_JWK2)).encode())


def providers_start(settings, monkeypatch) -> Providers:
    settings.OIDCFED_DEFAULT_TRUST_ANCHOR = TRUST_ANCHOR
    settings.OIDCFED_TRUST_ANCHORS = [TRUST_ANCHOR]
    settings.OIDCFED_IDENTITY_PROVIDERS = {"spid": {SPID_OP: TRUST_ANCHOR}, "cie": {CIE_OP: TRUST_ANCHOR}}
    providers = Providers(rp=rp_entity_configure(keys=DEMO_KEYS))
    providers.store_trust_chains()
    monkeypatch.setattr("requests.post", providers.post)
    monkeypatch.setattr("requests.get", providers.get)
    return providers
