"""
The access sweep: every URL of the portal, found from the resolver, against every role.

- anonymous: a login redirect, except the pages listed in PUBLIC;
- a member of another hub, whatever the role, and a signed-in user of no hub: 404 on every
  hub URL (nothing about a hub or its objects leaks);
- each role of the hub: 200 where ACCESS allows it, 403 everywhere else;
- an object of another hub, named by id under your own hub's URL: 404.

A new URL fails `test_every_url_is_classified` until it is added below, and a new URL kwarg
fails until SAMPLE_KWARGS (or OBJECTS, for ids) can fill it.
"""
import re
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hubs.models import Role

ALL = frozenset(Role)
STAFF = frozenset({Role.HUB_ADMIN, Role.OPERATOR})
ADMIN = frozenset({Role.HUB_ADMIN})

# Open to anyone. Allauth's pages for signing in, up and out and for recovering a password.
PUBLIC = {
    "home", "privacy", "accessibility", "invitation_accept", "hub_public", "set_language",
    "account_login", "account_logout", "account_signup", "account_inactive",
    "account_email_verification_sent", "account_confirm_email", "account_confirm_login_code",
    "account_reset_password", "account_reset_password_done", "account_reset_password_from_key",
    "account_reset_password_from_key_done", "mfa_authenticate",
    # the online desk's public pages (booking by guests, signed e-mail links)
    "desk:book_service", "desk:book_slots", "desk:book_form", "desk:booking_verify",
    "desk:booking_manage", "desk:booking_reschedule", "desk:waitlist_join", "desk:waitlist_claim",
    "desk:enquiry_create",
}

# Any signed-in user, whatever their hub (their own account, the back-office entry point).
SIGNED_IN = {
    "backoffice_index", "account_email", "account_change_password", "account_set_password",
    "account_reauthenticate", "mfa_index", "mfa_reauthenticate", "mfa_activate_totp",
    "mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes", "desk:my_bookings",
    "people:my_data", "people:my_data_export", "people:my_data_erase",
}

# Hub URLs of the back office: the roles that get 200. Every other role gets 403.
ACCESS = {
    "backoffice_dashboard": ALL,
    "backoffice_action": STAFF | {Role.PARTNER, Role.STEERING},  # sample action: "patti"
    "backoffice_hub_update": ADMIN,
    "backoffice_territory": STAFF,
    "backoffice_antenna_create": ADMIN,
    "backoffice_antenna_update": ADMIN,
    "backoffice_subarea_create": ADMIN,
    "backoffice_subarea_update": ADMIN,
    "backoffice_organization_list": STAFF,
    "backoffice_organization_create": ADMIN,
    "backoffice_organization_update": ADMIN,
    "backoffice_my_organization": frozenset({Role.PARTNER, Role.SCHOOL}),
    "backoffice_member_list": ADMIN,
    "backoffice_invitation_create": ADMIN,
    "backoffice_membership_update": ADMIN,
    "backoffice_invitation_revoke": ADMIN,
    # the online desk's back office
    "deskbo:calendar": STAFF,
    "deskbo:booking_detail": STAFF,
    "deskbo:booking_on_behalf": STAFF,
    "deskbo:rule_list": STAFF,
    "deskbo:rule_create": STAFF,
    "deskbo:rule_update": STAFF,
    "deskbo:closure_create": STAFF,
    "deskbo:closure_delete": STAFF,
    "deskbo:service_list": STAFF,
    "deskbo:service_create": ADMIN,
    "deskbo:service_update": ADMIN,
    "deskbo:settings": ADMIN,
    "deskbo:person_list": STAFF,
    "deskbo:person_record": STAFF,
    "deskbo:enquiry_list": STAFF,
    "deskbo:enquiry_detail": STAFF,
    "deskbo:waitlist": STAFF,
    "deskbo:export": STAFF,
}

# The object a URL's `pk` names, taken from a hub of the world fixture.
OBJECTS = {
    "backoffice_antenna_update": lambda h: h.antenna,
    "backoffice_subarea_update": lambda h: h.sub_area,
    "backoffice_organization_update": lambda h: h.cooperative,
    "backoffice_membership_update": lambda h: h.members[Role.OPERATOR],
    "backoffice_invitation_revoke": lambda h: h.invitation,
    "deskbo:booking_detail": lambda h: h.booking,
    "deskbo:rule_update": lambda h: h.rule,
    "deskbo:closure_delete": lambda h: h.closure,
    "deskbo:service_update": lambda h: h.service,
    "deskbo:person_record": lambda h: h.person,
    "deskbo:enquiry_detail": lambda h: h.enquiry,
}

SAMPLE_KWARGS = {
    "hub_slug": lambda h: h.hub.slug,
    "action": lambda h: "patti",
    "token": lambda h: "not-a-real-token",
    "key": lambda h: "not-a-real-key",
    "uidb36": lambda h: "1",
    "service_id": lambda h: h.service.pk,
    "slot_id": lambda h: h.slot.pk,
}
# Kwargs that name an object of the hub: another hub's object under your hub's URL is a 404.
OBJECT_KWARGS = {"pk", "service_id", "slot_id"}


def _kwarg_names(pattern) -> list[str]:
    if hasattr(pattern, "converters") and pattern.converters:
        return list(pattern.converters)
    return list(re.compile(str(pattern.regex.pattern)).groupindex)


def _walk(patterns, namespace=None, inherited=()):
    for entry in patterns:
        kwargs = (*inherited, *_kwarg_names(entry.pattern))
        if isinstance(entry, URLResolver):
            ns = entry.namespace if not namespace else f"{namespace}:{entry.namespace}"
            yield from _walk(entry.url_patterns, ns if entry.namespace else namespace, kwargs)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, kwargs


# The Django admin is checked on its own (test_accounts.py: allauth login + MFA).
URLS = sorted({name: kwargs for name, kwargs in _walk(get_resolver().url_patterns)
               if not name.startswith("admin:")}.items())
HUB_URLS = [(name, kwargs) for name, kwargs in URLS if "hub_slug" in kwargs and name in ACCESS]


def build_url(name: str, kwargs: tuple, hub_data, object_hub=None) -> str:
    values = {}
    for kwarg in kwargs:
        if kwarg == "pk":
            values["pk"] = OBJECTS[name](object_hub or hub_data).pk
        elif kwarg in OBJECT_KWARGS:
            values[kwarg] = SAMPLE_KWARGS[kwarg](object_hub or hub_data)
        else:
            values[kwarg] = SAMPLE_KWARGS[kwarg](hub_data)
    return reverse(name, kwargs=values)


def test_every_url_is_classified():
    unknown = [n for n, _ in URLS if n not in PUBLIC | SIGNED_IN | set(ACCESS)]
    assert not unknown, f"Add these URLs to the sweep (PUBLIC, SIGNED_IN or ACCESS): {unknown}"
    for name, kwargs in URLS:
        for kwarg in kwargs:
            known = kwarg in SAMPLE_KWARGS or (kwarg == "pk" and name in OBJECTS)
            assert known, f"{name}: no sample value for URL kwarg {kwarg!r}"
    stale = (PUBLIC | SIGNED_IN | set(ACCESS)) - {n for n, _ in URLS}
    assert not stale, f"The sweep lists URLs that no longer exist: {stale}"
    assert len(HUB_URLS) == len(ACCESS)


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_anonymous(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    response = client.get(url)
    # LoginRequiredMiddleware's answer: the login page, asked to come back here afterwards.
    login = f"{reverse('account_login')}?next={quote(url)}"
    redirected_to_login = response.status_code == 302 and response.url == login
    if name in PUBLIC:
        assert not redirected_to_login, f"{url} is public but asks to sign in"
        assert response.status_code in {200, 302, 404}, f"{url}: {response.status_code}"
    else:
        assert redirected_to_login, f"{url} must ask to sign in, got {response.status_code}"


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_other_hub_members_get_404(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    wrong = {}
    for role, user in world.b.users.items():
        client.force_login(user)
        status = client.get(url).status_code
        if status != 404:
            wrong[role] = status
    assert not wrong, f"{url}: members of another hub must get 404, got {wrong}"


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_signed_in_non_member_gets_404(client, world, name, kwargs):
    from people.tests.factories import UserFactory

    client.force_login(UserFactory(totp=True))
    assert client.get(build_url(name, kwargs, world.a)).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), HUB_URLS, ids=[n for n, _ in HUB_URLS])
def test_roles_of_the_hub(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a)
    got, expected = {}, {}
    for role, user in world.a.users.items():
        client.force_login(user)
        got[role] = client.get(url).status_code
        expected[role] = 200 if role in ACCESS[name] else 403
    assert got == expected, url


OBJECT_URLS = [(n, k) for n, k in HUB_URLS if OBJECT_KWARGS & set(k)]
PUBLIC_OBJECT_URLS = [
    (n, k) for n, k in URLS if n in PUBLIC and "hub_slug" in k and OBJECT_KWARGS & set(k)
]


@pytest.mark.parametrize(("name", "kwargs"), PUBLIC_OBJECT_URLS,
                         ids=[n for n, _ in PUBLIC_OBJECT_URLS])
def test_public_pages_refuse_another_hubs_objects(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a, object_hub=world.b)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_URLS, ids=[n for n, _ in OBJECT_URLS])
def test_another_hubs_object_under_own_hub_is_404(client, world, name, kwargs):
    url = build_url(name, kwargs, world.a, object_hub=world.b)
    client.force_login(world.a.users[Role.HUB_ADMIN])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_signed_in_pages_open_for_any_account(client, world, name):
    kwargs = dict(_walk(get_resolver().url_patterns))[name]
    client.force_login(world.b.users[Role.STEERING])
    response = client.get(build_url(name, kwargs, world.a))
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert not response.url.startswith(reverse("account_login"))
