"""Accounts: e-mail verification, MFA for the back office, no account enumeration, throttling."""

import re
import time

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from hubs.models import Role
from hubs.tests.factories import HubFactory, MembershipFactory, OrganizationFactory, SchoolFactory
from people.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def current_totp(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def strip_tokens(html: bytes) -> str:
    """The page without what differs on every request anyway (CSRF tokens)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


def test_signup_needs_a_verified_email_before_login(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {"email": "giovane@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    # Signing in before confirming only resends the confirmation.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LOGIN, {"login": "giovane@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    confirm_url = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert confirm_url
    response = client.post(confirm_url.group(0))
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_weak_passwords_are_refused(client):
    response = client.post(
        "/accounts/signup/", {"email": "x@example.org", "password1": "password", "password2": "password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_responses_do_not_reveal_whether_an_account_exists(client):
    UserFactory(email="known@example.org")
    known = client.post(LOGIN, {"login": "known@example.org", "password": "wrong-password-1"})
    unknown = client.post(LOGIN, {"login": "nobody@example.org", "password": "wrong-password-1"})
    assert known.status_code == unknown.status_code == 200
    assert strip_tokens(known.content).replace("known@", "X@") == strip_tokens(unknown.content).replace(
        "nobody@", "X@"
    )


def test_password_reset_does_not_reveal_whether_an_account_exists(client, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": "known@example.org"})
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # Both addresses get a message: a reset link, or "there is no account with this address".
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.org", "nobody@example.org"]


def test_login_is_throttled_after_repeated_failures(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        client.post(LOGIN, {"login": "target@example.org", "password": "wrong-password-1"})
    response = client.post(LOGIN, {"login": "target@example.org", "password": PASSWORD})
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session  # even the right password waits now


def test_back_office_requires_an_authenticator(client):
    membership = MembershipFactory(role=Role.OPERATOR, user__totp=False)
    client.force_login(membership.user)
    url = reverse("backoffice_dashboard", kwargs={"hub_slug": membership.hub.slug})
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", list(Role))
def test_every_back_office_role_needs_mfa(client, role):
    hub = HubFactory()
    organization = {Role.PARTNER: OrganizationFactory, Role.SCHOOL: SchoolFactory}.get(role)
    membership = MembershipFactory(
        hub=hub,
        role=role,
        user__totp=False,
        organization=organization(hubs=[hub]) if organization else None,
    )
    client.force_login(membership.user)
    response = client.get(reverse("backoffice_dashboard", kwargs={"hub_slug": hub.slug}))
    assert response.status_code == 302 and "2fa" in response.url


def test_demo_setting_may_relax_mfa(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    membership = MembershipFactory(role=Role.OPERATOR, user__totp=False)
    client.force_login(membership.user)
    url = reverse("backoffice_dashboard", kwargs={"hub_slug": membership.hub.slug})
    assert client.get(url).status_code == 200


def test_login_with_password_then_totp_reaches_the_back_office(client):
    membership = MembershipFactory(role=Role.OPERATOR)
    user = membership.user
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_totp(user.totp_secret)})
    assert response.status_code == 302
    assert client.get(response.url, follow=True).status_code == 200
    dashboard = reverse("backoffice_dashboard", kwargs={"hub_slug": membership.hub.slug})
    assert client.get(dashboard).status_code == 200


def test_a_code_made_just_before_its_step_ends_still_signs_in(client):
    """A test reads the clock, then the server does: a new 30-second step may begin in between."""
    user = MembershipFactory(role=Role.OPERATOR).user
    step_ends = (int(time.time()) // 30 + 1) * 30
    with time_machine.travel(step_ends - 0.1, tick=False):
        code = current_totp(user.totp_secret)
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    with time_machine.travel(step_ends + 0.1, tick=False):
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_admin_signs_in_through_allauth_and_needs_mfa(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.status_code == 302 and response.url.startswith(LOGIN)

    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    # To the authenticator set-up (which, as allauth does, first asks for the password again).
    assert any(url.startswith(reverse("mfa_activate_totp")) for url, _ in response.redirect_chain)
    assert not any(url.startswith("/admin/") for url, _ in response.redirect_chain[1:])

    staff_with_mfa = UserFactory(is_staff=True, is_superuser=True, totp=True)
    client.force_login(staff_with_mfa)
    assert client.get("/admin/").status_code == 200


def test_italian_first_whatever_the_browser_says(client):
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "it"
    client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert client.get("/privacy/").headers["Content-Language"] == "en"
