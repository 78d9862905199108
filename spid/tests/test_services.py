"""The mapping of a provider's attributes, the keyed hash, the buttons' providers, the entity, erasure."""

from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from spid_cie_oidc.entity.models import FederationEntityConfiguration

from people.services import person_erase, person_export
from spid.models import DigitalIdentity
from spid.selectors import providers_for_buttons
from spid.services import (
    EidError,
    claims_from_attributes,
    fiscal_code_hash,
    fiscal_code_normalise,
    identity_sign_in,
    level_from_acr,
)
from spid.tasks import trust_chains_refresh

from .providers import CIE_OP, SPID_OP


def test_fiscal_code_is_normalised_then_hashed_with_the_key(settings):
    assert fiscal_code_normalise(" tinit-rssmra90a41d142x ") == "RSSMRA90A41D142X"
    digest = fiscal_code_hash("TINIT-RSSMRA90A41D142X")
    assert digest == fiscal_code_hash("rssmra90a41d142x") and len(digest) == 64
    assert "RSSMRA" not in digest
    settings.YIP_FISCAL_CODE_KEY = "another key"
    assert fiscal_code_hash("RSSMRA90A41D142X") != digest  # keyed: the code alone cannot be tried
    settings.YIP_FISCAL_CODE_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        fiscal_code_hash("RSSMRA90A41D142X")


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("https://www.spid.gov.it/SpidL1", 1),
        ("https://www.spid.gov.it/SpidL2", 2),
        ("https://www.spid.gov.it/SpidL3", 3),
        (None, 1),
        ("x", 1),
    ],
)
def test_level_from_acr(acr, level):
    assert level_from_acr(acr) == level


def test_attributes_map_to_the_portal_fields_not_to_the_sub():
    claims = claims_from_attributes(
        {
            "sub": "2ed008b45e66ce53e48273dca5a4463b",
            "first_name": "Maria",
            "last_name": "Rossi",
            "email": " Maria.Rossi@Example.org ",
            "birthdate": "2011-05-04",
            "fiscal_number": "TINIT-RSSMRA11E44D142X",
        },
        acr="https://www.spid.gov.it/SpidL2",
        profile="cie",
        provider=CIE_OP,
    )
    assert (claims.first_name, claims.last_name, claims.email) == (
        "Maria",
        "Rossi",
        "maria.rossi@example.org",
    )
    assert str(claims.birth_date) == "2011-05-04" and claims.level == 2 and claims.profile == "cie"
    assert "RSSMRA" not in repr(claims)


def test_no_fiscal_code_no_sign_in():
    with pytest.raises(EidError):
        claims_from_attributes({"email": "a@example.org"}, acr=None, profile="spid", provider=SPID_OP)


@pytest.mark.django_db
def test_buttons_list_the_providers_with_their_names_in_one_query(providers, django_assert_num_queries):
    with django_assert_num_queries(1):
        buttons = providers_for_buttons(next_url="/account/i-miei-dati/")
    assert [p.name for p in buttons["spid"]] == ["Demo SPID"]
    assert [p.name for p in buttons["cie"]] == ["Demo CIE"]
    assert buttons["spid"][0].url.startswith(reverse("spid:begin") + "?provider=http%3A%2F%2Fspid-op.test")


@pytest.mark.django_db
def test_sign_in_page_shows_both_buttons_and_keeps_email(client, providers):
    page = client.get(reverse("account_login")).content.decode()
    assert "Entra con SPID" in page and "Entra con CIE" in page and "Demo SPID" in page
    assert 'name="password"' in page  # e-mail sign-in stays


@pytest.mark.django_db
def test_no_buttons_when_switched_off(client, settings):
    settings.YIP_EID_ENABLED = False
    assert "Entra con SPID" not in client.get(reverse("account_login")).content.decode()
    assert client.get(reverse("spid:begin"), {"provider": SPID_OP, "profile": "spid"}).status_code == 404


@pytest.mark.django_db
def test_eid_entity_makes_keys_once_and_publishes_them(client, settings):
    call_command("eid_entity", stdout=StringIO())
    entity = FederationEntityConfiguration.objects.get(sub="http://portal.test")
    keys = entity.jwks_core
    call_command("eid_entity", stdout=StringIO())
    entity.refresh_from_db()
    assert entity.jwks_core == keys  # a rerun keeps the keys, only the metadata follows settings
    metadata = entity.metadata["openid_relying_party"]
    assert metadata["redirect_uris"] == ["http://portal.test/oidc/rp/callback"]
    assert all("d" not in key for key in metadata["jwks"]["keys"])  # public keys only

    published = client.get(reverse("spid:jwks_json"), SERVER_NAME="portal.test").json()
    assert [k["kid"] for k in published["keys"]] == [k["kid"] for k in keys]
    assert all("d" not in key for key in published["keys"])
    configuration = client.get(reverse("spid:entity_configuration"), SERVER_NAME="portal.test")
    assert (
        configuration.status_code == 200
        and configuration["Content-Type"] == "application/entity-statement+jwt"
    )


@pytest.mark.django_db
def test_trust_chain_refresh_goes_on_when_a_provider_is_down(settings, monkeypatch):
    settings.OIDCFED_IDENTITY_PROVIDERS = {
        "spid": {SPID_OP: "http://ta.test"},
        "cie": {CIE_OP: "http://ta.test"},
    }
    asked = []

    def refresh(subject, **kwargs):
        asked.append(subject)
        raise ConnectionError("unreachable")

    monkeypatch.setattr("spid.tasks.get_or_create_trust_chain", refresh)
    assert trust_chains_refresh() == 0
    assert asked == [SPID_OP, CIE_OP]


@pytest.mark.django_db
def test_erasure_deletes_the_identity_and_export_names_it(providers):
    claims = claims_from_attributes(
        {
            "first_name": "Maria",
            "last_name": "Rossi",
            "email": "m@example.org",
            "fiscal_number": "RSSMRA90A41D142X",
        },
        acr=None,
        profile="spid",
        provider=SPID_OP,
    )
    user = identity_sign_in(claims=claims).user
    assert "spid.DigitalIdentity" in person_export(user=user)

    person_erase(user=user)

    assert not DigitalIdentity.objects.exists()


def test_switched_on_without_the_hash_key_does_not_start(settings):
    from spid.apps import settings_check

    assert settings_check(None) == []
    settings.YIP_FISCAL_CODE_KEY = ""
    assert [error.id for error in settings_check(None)] == ["spid.E001"]
