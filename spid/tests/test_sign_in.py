"""
Signing in with SPID and CIE, from the button's URL to a signed-in portal session, against the
in-process providers of spid/tests/providers.py: accounts, records and the keyed hash of the
fiscal code; the same person by CIE after SPID; linking an existing account; the minors' rule;
and every bad or replayed callback answered by the friendly page.
"""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

from hubs.models import Role
from hubs.services import membership_create
from hubs.tests.factories import HubFactory
from people.models import Person, User
from people.tests.factories import PASSWORD, UserFactory
from spid.models import DigitalIdentity
from spid.services import fiscal_code_hash

from .providers import L1, user_claims

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_first_spid_sign_in_creates_the_account_and_record_without_the_clear_fiscal_code(client, providers):
    response = providers.authorize(client, "spid", claims=user_claims())

    assert response.status_code == 302
    user = signed_in_user(client)
    assert (user.email, user.first_name, user.last_name) == ("maria.rossi@example.org", "Maria", "Rossi")
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user).verified
    person = Person.objects.get(user=user)
    assert (person.first_name, person.last_name, person.birth_date) == ("Maria", "Rossi", date(1990, 1, 1))
    identity = DigitalIdentity.objects.get(user=user)
    assert identity.fiscal_code_hash == fiscal_code_hash("RSSMRA90A41D142X")
    assert (identity.profile, identity.level) == ("spid", 2)
    # The clear code is nowhere: not in our rows, not in the session the package filled.
    assert "RSSMRA90A41D142X" not in repr(DigitalIdentity.objects.values()) + repr(Person.objects.values())
    assert "oidc_rp_user_attrs" not in client.session
    assert client.session["eid_level"] == 2
    # The provider's token and userinfo endpoints were called, once each.
    assert [method for method, _ in providers.calls] == ["POST", "GET"]


def test_cie_after_spid_is_the_same_person(client, providers, django_user_model):
    providers.authorize(client, "spid", claims=user_claims())
    first = signed_in_user(client)
    client.logout()

    # CIE writes the code in lower case and shares another e-mail: the fiscal code decides.
    cie_claims = user_claims(fiscal_code="rssmra90a41d142x", email="m.rossi@example.net")
    response = providers.authorize(client, "cie", claims=cie_claims)

    assert response.status_code == 302
    assert signed_in_user(client) == first
    assert django_user_model.objects.count() == 1
    assert DigitalIdentity.objects.get().profile == "cie"


def test_a_new_13_year_old_gets_the_minors_rule(client, providers):
    today = date.today()
    born = date(today.year - 13, 1, 1)
    providers.authorize(
        client,
        "spid",
        claims=user_claims("BNCLCU13A01D142Y", email="luca@example.org", birthdate=born.isoformat()),
    )

    person = Person.objects.get(user=signed_in_user(client))
    assert person.age_on(today) == 13
    assert person.needs_guardian_on(today)


def test_next_page_after_sign_in(client, providers):
    response = providers.authorize(client, "spid", claims=user_claims(), next_url="/account/i-miei-dati/")
    assert response["Location"] == "/account/i-miei-dati/"

    client.logout()
    response = providers.authorize(client, "spid", claims=user_claims(), next_url="https://evil.example/")
    assert response["Location"] == reverse("backoffice_index")


def test_an_existing_account_is_linked_only_after_its_owner_signs_in(client, providers):
    owner = UserFactory(email="maria.rossi@example.org")

    response = providers.authorize(client, "spid", claims=user_claims())

    assert response["Location"] == reverse("spid:link")
    assert signed_in_user(client) is None  # the provider's e-mail alone opens nothing
    assert not DigitalIdentity.objects.exists()
    page = client.get(reverse("spid:link"))
    assert "maria.rossi@example.org" in page.content.decode()
    assert client.post(reverse("spid:link"))["Location"].startswith(reverse("account_login"))

    client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert signed_in_user(client) == owner
    client.post(reverse("spid:link"))

    assert DigitalIdentity.objects.get().user == owner
    client.logout()
    providers.authorize(client, "cie", claims=user_claims())
    assert signed_in_user(client) == owner


def test_linking_from_another_account_is_refused(client, providers):
    UserFactory(email="maria.rossi@example.org")
    someone_else = UserFactory()
    providers.authorize(client, "spid", claims=user_claims())
    client.force_login(someone_else)

    assert "con un altro account" in client.get(reverse("spid:link")).content.decode()
    response = client.post(reverse("spid:link"))

    assert response.status_code == 403
    assert not DigitalIdentity.objects.exists()


def test_replayed_callback_gets_the_friendly_page(client, providers):
    providers.authorize(client, "spid", claims=user_claims())
    user = signed_in_user(client)
    request = providers.token["request"]
    client.logout()

    response = client.get(reverse("spid:callback"), {"code": "used", "state": request["state"]})

    assert response.status_code == 400
    assert "non è valido o è già stato usato" in response.content.decode()
    assert signed_in_user(client) is None
    assert user.is_active


@pytest.mark.parametrize(
    "query",
    [
        {"state": "forged", "code": "x"},
        {"error": "access_denied", "error_description": "<script>alert(1)</script>"},
    ],
)
def test_bad_callbacks_get_the_friendly_page(client, providers, query):
    response = client.get(reverse("spid:callback"), query)

    assert response.status_code in (400, 401)
    body = response.content.decode()
    assert "Accesso non completato" in body
    assert "<script>alert(1)" not in body


def test_a_code_the_provider_refuses_gets_the_friendly_page(client, providers):
    begin = client.get(reverse("spid:begin"), {"provider": "http://spid-op.test/oidc/op", "profile": "spid"})
    state = unpad_jwt_payload(parse_qs(urlsplit(begin["Location"]).query)["request"][0])["state"]

    response = client.get(reverse("spid:callback"), {"code": "unknown", "state": state})

    assert response.status_code == 400
    assert "Accesso non completato" in response.content.decode()


def test_an_unknown_provider_is_refused_before_any_request(client, providers):
    response = client.get(reverse("spid:begin"), {"provider": "http://evil.example/op", "profile": "spid"})

    assert response.status_code == 404
    assert providers.calls == []


def test_no_email_no_account(client, providers):
    claims = user_claims()
    del claims["email"]

    response = providers.authorize(client, "cie", claims=claims)

    assert response.status_code == 403
    assert "non ha comunicato un indirizzo e-mail" in response.content.decode()
    assert not User.objects.exists()


def test_staff_with_spid_level_2_skip_the_authenticator_level_1_does_not(client, providers):
    hub = HubFactory()
    operator = UserFactory()  # no authenticator: e-mail sign-in would be sent to set one up
    membership_create(hub=hub, user=operator, role=Role.OPERATOR)
    DigitalIdentity.objects.create(
        user=operator, fiscal_code_hash=fiscal_code_hash("RSSMRA90A41D142X"), profile="spid", provider="x"
    )
    dashboard = reverse("backoffice_dashboard", kwargs={"hub_slug": hub.slug})

    providers.authorize(client, "spid", claims=user_claims(email=operator.email))
    assert client.get(dashboard).status_code == 200
    assert DigitalIdentity.objects.get(user=operator).level == 2

    client.logout()
    providers.authorize(client, "spid", claims=user_claims(email=operator.email), acr=L1)
    assert client.get(dashboard).status_code == 403
    assert DigitalIdentity.objects.get(user=operator).level == 1


def test_single_logout_revokes_the_token_and_signs_out(client, providers):
    providers.authorize(client, "spid", claims=user_claims())
    providers.calls.clear()

    response = client.post(reverse("spid:logout"))

    assert response["Location"] == reverse("home")
    assert signed_in_user(client) is None
    assert providers.calls == [("POST", "http://spid-op.test/oidc/op/revocation")]
