"""
Abuse limits across the portal (hubs/ratelimit.py): every public form is rate limited and says
so in Italian with a 429 page; the client's address comes from the trusted proxies only, for
our limits and for allauth's login limits alike.
"""

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

from hubs.ratelimit import RateLimitMixin, client_ip
from hubs.tokens import token_hash
from tests.test_url_access import PUBLIC_OWN, URLS, build_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_rate_limit_window")]


@pytest.fixture
def world(module_world):
    """Built once for this module; each test is rolled back and starts from the world as built."""
    return module_world


LOGIN = "/accounts/login/"


def public_forms() -> list[tuple[str, tuple]]:
    """Our public pages whose view takes a POST."""
    forms = []
    for name, kwargs in URLS:
        if name not in PUBLIC_OWN:
            continue
        view = resolve_view(name, kwargs)
        if hasattr(view, "post"):
            forms.append((name, kwargs))
    return forms


def resolve_view(name, kwargs):
    sample = {kwarg: "x" if kwarg in {"hub_slug", "token"} else 1 for kwarg in kwargs}
    match = resolve(reverse(name, kwargs=sample))
    return getattr(match.func, "view_class", match.func)


FORMS = public_forms()


def test_the_sweep_finds_the_public_forms():
    names = {name for name, _kwargs in FORMS}
    assert {"desk:book_form", "desk:enquiry_create", "desk:waitlist_join", "invitation_accept"} <= names
    assert {"desk:booking_manage", "desk:booking_reschedule", "placements:activity_confirm"} <= names


@pytest.mark.parametrize(("name", "kwargs"), FORMS, ids=[name for name, _ in FORMS])
def test_every_public_form_is_rate_limited_with_an_italian_429_page(client, world, settings, name, kwargs):
    view = resolve_view(name, kwargs)
    assert issubclass(view, RateLimitMixin) and view.ratelimit_group in settings.YIP_RATE_LIMITS, (
        f"{name}: a public form needs RateLimitMixin and a group in YIP_RATE_LIMITS"
    )
    settings.YIP_RATE_LIMITS = settings.YIP_RATE_LIMITS | {view.ratelimit_group: "1/h/ip"}
    if name == "invitation_accept":  # a real, pending invitation: a wrong token is a 404 first
        world.a.invitation.token_hash = token_hash("an-invitation-token")
        world.a.invitation.save()
        url = reverse(name, kwargs={"token": "an-invitation-token"})
    else:
        url = build_url(name, kwargs, world.a)
    first = client.post(url, {"email": "someone@example.org"})
    assert first.status_code != 429
    second = client.post(url, {"email": "someone@example.org"})
    assert second.status_code == 429
    page = second.content.decode()
    assert "Troppi tentativi" in page and "Aspetta qualche minuto" in page  # Italian first
    assert '<main id="main"' in page  # the portal's layout, not a bare text
    assert int(second["Retry-After"]) > 0
    # another client is not affected
    assert client.post(url, {"email": "other@example.org"}, REMOTE_ADDR="198.51.100.20").status_code != 429


# --- The client's address -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "", "203.0.113.5", "203.0.113.5"),
        (0, "198.51.100.1, 198.51.100.2", "203.0.113.5", "203.0.113.5"),  # the header is ignored
        # one proxy of ours appended the address it saw; REMOTE_ADDR is the proxy itself
        (1, "198.51.100.1", "10.0.0.2", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "10.0.0.2", "198.51.100.1"),  # the client's own entry: not read
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.3", "10.0.0.2", "198.51.100.1"),
        (2, "198.51.100.1", "10.0.0.2", "10.0.0.2"),  # shorter than our chain: REMOTE_ADDR
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, " 2001:db8::7 ", "10.0.0.2", "2001:db8::7"),
    ],
)
def test_the_client_address_comes_from_the_trusted_proxies_only(
    settings, proxies, forwarded, remote, expected
):
    settings.YIP_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    assert client_ip(request) == expected


def failed_login(client, n: int, **extra):
    return client.post(LOGIN, {"login": f"nobody{n}@example.org", "password": "wrong-password-1"}, **extra)


def refused(response) -> bool:
    """allauth's per-IP limit of failed logins (10 a minute) says so on the form."""
    return response.status_code == 429 or "Troppi tentativi di accesso" in response.content.decode()


def test_a_rotating_forwarded_for_does_not_escape_the_login_limit_without_proxies(client, settings):
    settings.YIP_TRUSTED_PROXY_COUNT = 0
    for n in range(10):
        assert not refused(failed_login(client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"))
    assert refused(failed_login(client, 10, HTTP_X_FORWARDED_FOR="198.51.100.99"))


def test_behind_one_proxy_the_login_limit_counts_each_client_not_the_proxy(client, settings):
    settings.YIP_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(10):  # one client, putting a new made-up address in front each time
        response = failed_login(client, n, HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 198.51.100.7", **proxy)
        assert not refused(response)
    assert refused(failed_login(client, 10, HTTP_X_FORWARDED_FOR="6.6.6.99, 198.51.100.7", **proxy))
    # another young person behind the same proxy can still sign in (and fail) as usual
    assert not refused(failed_login(client, 11, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy))


def test_allauths_own_limits_answer_with_the_same_italian_page(client):
    for _n in range(5):  # allauth: 5 password resets a minute per address
        assert client.post("/accounts/password/reset/", {"email": "a@example.org"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "a@example.org"})
    assert response.status_code == 429 and "Troppi tentativi" in response.content.decode()
