"""
A staff account without an authenticator: whoever holds only its password cannot enrol an
authenticator app of their own (and with it own the back office). The set-up opens only after a
code e-mailed to the account's address is entered: six digits, stored hashed, valid 10 minutes,
void after 5 wrong attempts.
"""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from hubs.models import Role
from hubs.tests.factories import MembershipFactory
from people.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = reverse("mfa_activate_totp")
CODE_PAGE = reverse("mfa_enrolment_code")


def totp_now(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def operator(client):
    """An operator of a hub, without an authenticator, signed in with the password alone."""
    membership = MembershipFactory(role=Role.OPERATOR, user__totp=False)
    response = client.post(LOGIN, {"login": membership.user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    membership.user.dashboard = reverse("backoffice_dashboard", kwargs={"hub_slug": membership.hub.slug})
    return membership.user


def try_to_enrol(client) -> bool:
    """What someone signed in would do on the set-up page: scan the QR code, type the app's code."""
    response = client.get(ACTIVATE)
    if response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate")):
        client.post(response.url, {"password": PASSWORD})  # allauth asks for the password again
        response = client.get(ACTIVATE)
    if response.status_code != 200:
        client.post(ACTIVATE, {"code": "123456"})
        return False
    secret = response.context["form"].secret
    client.post(ACTIVATE, {"code": totp_now(secret)})
    return True


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def code_from_mail() -> str:
    (message,) = mail.outbox
    return re.search(r"^\s*(\d{6})\s*$", message.body, re.MULTILINE).group(1)


def send_code(client, capture) -> None:
    with capture(execute=True):
        response = client.post(CODE_PAGE, {"send": "1"})
    assert response.status_code == 302


def test_the_password_alone_cannot_enrol_an_authenticator(client, operator):
    response = client.get(operator.dashboard, follow=True)
    assert response.redirect_chain[-1][0].startswith(CODE_PAGE)
    assert response.status_code == 200
    assert client.get(ACTIVATE).url.startswith(CODE_PAGE)
    assert try_to_enrol(client) is False
    assert not has_authenticator(operator)
    assert client.get(operator.dashboard).status_code == 302  # still no back office


def test_the_code_arrives_by_email_and_opens_the_set_up(client, operator, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [operator.email]
    code = code_from_mail()
    assert code.encode() not in b"".join(cache._cache.values())  # stored hashed, never as sent
    response = client.post(f"{CODE_PAGE}?next={operator.dashboard}", {"code": code})
    assert response.status_code == 302
    assert response.url.startswith(ACTIVATE)
    assert try_to_enrol(client) is True
    assert has_authenticator(operator)
    assert client.get(operator.dashboard).status_code == 200


def test_a_code_works_once(client, operator, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    code = code_from_mail()
    assert client.post(CODE_PAGE, {"code": code}).status_code == 302
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "scaduto" in str(response.context["form"].errors["code"])


def test_wrong_codes_are_limited_to_five(client, operator, django_capture_on_commit_callbacks):
    send_code(client, django_capture_on_commit_callbacks)
    code = code_from_mail()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        response = client.post(CODE_PAGE, {"code": wrong})
        assert response.status_code == 200
        assert f"Tentativi rimasti: {left}." in str(response.context["form"].errors["code"])
    response = client.post(CODE_PAGE, {"code": wrong})
    assert "ultimo tentativo" in str(response.context["form"].errors["code"])
    response = client.post(CODE_PAGE, {"code": code})  # the right one, too late
    assert response.status_code == 200 and response.context["form"].errors
    assert client.get(ACTIVATE).url.startswith(CODE_PAGE)
    assert try_to_enrol(client) is False and not has_authenticator(operator)


def test_the_code_expires_after_ten_minutes(
    client, operator, django_capture_on_commit_callbacks, monkeypatch
):
    send_code(client, django_capture_on_commit_callbacks)
    code = code_from_mail()
    later = time.time() + 10 * 60 + 1
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "scaduto" in str(response.context["form"].errors["code"])


def test_a_new_code_waits_a_minute_and_replaces_the_old_one(
    client, operator, django_capture_on_commit_callbacks, monkeypatch
):
    send_code(client, django_capture_on_commit_callbacks)
    first = code_from_mail()
    send_code(client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # no second mail within the minute
    later = time.time() + 61
    monkeypatch.setattr("django.core.cache.backends.locmem.time.time", lambda: later)
    mail.outbox.clear()
    send_code(client, django_capture_on_commit_callbacks)
    second = code_from_mail()
    if second != first:
        assert client.post(CODE_PAGE, {"code": first}).status_code == 200
    assert client.post(CODE_PAGE, {"code": second}).status_code == 302


def test_the_code_page_speaks_italian(client, operator):
    page = client.get(CODE_PAGE).content.decode()
    assert "Invia" in page and operator.email in page
