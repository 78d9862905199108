"""
SPID and CIE end to end against the local federation (spid/localfed): the package's trust
anchor with its SPID test provider and its CIE test provider run as subprocesses on free ports,
our relying party (the portal, on a live server) is registered with the trust anchor, and the
person signs in in the browser: the portal's button → the provider's login form → consent →
back to the portal, signed in. Then the same person by CIE lands on the same account; and a new
13-year-old gets the minors' rule. The subprocesses are stopped by their process ids.
"""

import re
import socket
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import pytest
import requests
from django.db import connections
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from people.models import Person, User
from spid.entity import rp_entity_configure
from spid.localfed import run
from spid.models import DigitalIdentity
from spid.tests.providers import DEMO_KEYS

from .conftest import PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Session-scoped: pytest groups the browser tests of every file by browser, so a module-scoped
# federation would start twice in a full run (about a minute each on two cores).
@pytest.fixture(scope="session")
def eid_server():
    """The portal on 127.0.0.1 (the federation wants a host it can check; `localhost` is none)."""
    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


def relying_party(server, settings, federation=None):
    settings.YIP_EID_ENABLED = True
    settings.YIP_EID_ENTITY_ID = server.url
    settings.SITE_URL = server.url
    if federation is not None:
        settings.OIDCFED_DEFAULT_TRUST_ANCHOR = federation.ta
        settings.OIDCFED_TRUST_ANCHORS = [federation.ta]
        settings.OIDCFED_IDENTITY_PROVIDERS = {
            "spid": {federation.spid_op: federation.ta},
            "cie": {federation.cie_op: federation.ta},
        }
    return rp_entity_configure(keys=DEMO_KEYS)


@pytest.fixture(scope="session")
def federation(eid_server, django_db_setup, django_db_blocker, tmp_path_factory):
    """Trust anchor + SPID provider and CIE provider, registered with our relying party."""
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings():
        from django.conf import settings

        relying_party(eid_server, settings)  # the trust anchor reads our keys from it
        started = run.start(
            rp=eid_server.url,
            ta_port=free_port(),
            cie_port=free_port(),
            workdir=tmp_path_factory.mktemp("localfed"),
        )
        try:
            yield started
        finally:
            run.stop(started)
            from spid_cie_oidc.entity.models import FederationEntityConfiguration

            FederationEntityConfiguration.objects.all().delete()
            connections.close_all()  # else the test database cannot be dropped at the end


@pytest.fixture
def eid(eid_server, federation, settings):
    relying_party(eid_server, settings, federation)
    return eid_server


def provider_sign_in(page, username: str, password: str) -> None:
    """The package's test provider: its login form, then its consent page."""
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("#submit").click()
    page.locator("#agree").click()


def test_spid_then_cie_in_the_browser_is_one_person(eid, federation, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{eid.url}/accounts/login/")
    expect(page.get_by_role("button", name="Entra con SPID")).to_be_visible()
    expect(page.get_by_role("link", name="Entra con CIE")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Entra con SPID").click()
    page.locator("#spid-button + .dropdown-menu a").first.click()
    provider_sign_in(page, "user", "oidcuser")

    expect(page).to_have_url(re.compile(re.escape(eid.url) + "/"))
    page.goto(f"{eid.url}/account/i-miei-dati/")
    expect(page.get_by_text("Rossi").first).to_be_visible()
    first = User.objects.get()
    assert (first.first_name, first.last_name, first.email) == (
        "Antonio",
        "Rossi",
        "antonio.rossi@example.org",
    )

    page.get_by_role("button", name="Esci").first.click()  # the header's sign-out: SPID's logout
    expect(page.get_by_role("link", name="Accedi").first).to_be_visible()
    page.goto(f"{eid.url}/accounts/login/")
    page.get_by_role("link", name="Entra con CIE").click()
    provider_sign_in(page, "user", "oidcuser")
    page.goto(f"{eid.url}/account/i-miei-dati/")
    expect(page.get_by_text("Rossi").first).to_be_visible()

    assert User.objects.get() == first
    identity = DigitalIdentity.objects.get()
    assert (identity.user, identity.profile, identity.level) == (first, "cie", 2)


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def form_with(html: str, field: str) -> dict:
    parser = Forms()
    parser.feed(html)
    return next(form for form in parser.forms if field in form["fields"])


def test_a_new_13_year_old_gets_the_minors_rule(eid, federation):
    browser = requests.Session()  # the same journey as above, without drawing it
    query = urlencode({"provider": federation.spid_op, "profile": "spid"})
    login = browser.get(f"{eid.url}/oidc/rp/authorization?{query}", timeout=30)
    form = form_with(login.text, "password")
    consent = browser.post(
        urljoin(login.url, form["action"]),
        data={**form["fields"], "username": "minore", "password": "oidcminore"},
        timeout=30,
    )
    form = form_with(consent.text, "agree")
    landed = browser.post(urljoin(consent.url, form["action"]), data=form["fields"], timeout=30)

    assert landed.url.startswith(eid.url) and landed.status_code == 200
    person = Person.objects.get(user__email="luca.bianchi@example.org")
    assert person.age_on(date.today()) == 13
    assert person.needs_guardian_on(date.today())
