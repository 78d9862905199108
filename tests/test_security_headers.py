"""
What every page tells the browser: a Content-Security-Policy without 'unsafe-inline' (so an
injected <script> or style="" does nothing), a Permissions-Policy that switches off camera,
microphone, geolocation and payment, and, in production, a Secure language cookie. The pages
themselves carry no inline script or style, so the policy breaks nothing.
"""

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from hubs.models import Role
from tests.test_deploy import ROOT, production_env

pytestmark = pytest.mark.django_db

SETTINGS_AS_JSON = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'csp': s.CONTENT_SECURITY_POLICY, "
    "'csp_report_only': getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None), "
    "'middleware': s.MIDDLEWARE, "
    "'language_cookie': [s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE]}))"
)


def test_production_settings_enforce_a_csp_without_unsafe_inline_and_a_secure_language_cookie():
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETTINGS_AS_JSON],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    production = json.loads(result.stdout.strip().splitlines()[-1])
    directives = production["csp"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"] and directives["frame-ancestors"] == ["'none'"]
    everything = json.dumps(directives)
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert production["csp_report_only"] is None  # enforced, not merely reported
    assert "csp.middleware.CSPMiddleware" in production["middleware"]
    assert production["language_cookie"] == [True, True, "Lax"]


def test_every_response_carries_the_policies(client):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


def test_the_language_cookie_is_not_readable_by_scripts(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


class InlineCode(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block in a page."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "style" in attrs:
            self.found.append(f'<{tag} style="{attrs["style"]}">')
        self.found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on")]
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self._script = ""

    def handle_data(self, data):
        if self._script is not None:
            self._script += data

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.found.append(f"<script>{self._script.strip()[:60]}</script>")
            self._script = None


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_main_pages_have_no_inline_script_or_style(client, world):
    a = world.a
    hub = a.hub.slug
    public = [
        reverse("home"),
        reverse("hub_public", args=[hub]),
        reverse("desk:book_slots", args=[hub, a.service.pk]),
        reverse("desk:book_form", args=[hub, a.slot.pk]),
        reverse("privacy"),
    ]
    staff = [
        reverse("backoffice_dashboard", args=[hub]),
        reverse("deskbo:calendar", args=[hub]),
        reverse("placementsbo:path_list", args=[hub]),
        reverse("placementsbo:path_detail", args=[hub, a.path.pk]),
        reverse("governance:dashboard", args=[hub]),
    ]
    found = {}
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = inline_code(response.content.decode())
    client.force_login(a.users[Role.HUB_ADMIN])
    for url in staff:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = inline_code(response.content.decode())
    assert "<script" in client.get(reverse("desk:book_form", args=[hub, a.slot.pk])).content.decode()
    assert {url: codes for url, codes in found.items() if codes} == {}


def test_the_error_pages_have_no_inline_style(client):
    from django.template.loader import render_to_string

    for name in ("403.html", "404.html", "500.html"):
        assert inline_code(render_to_string(name)) == [], name


# The PDF templates are read by WeasyPrint, never by a browser: no CSP applies to them.
PDF_TEMPLATES = {
    "governance/report/report.html",
    "placements/pdf/path_sheet.html",
    "jobclub/pdf/register.html",
    "jobclub/pdf/certificate.html",
    "pacts/pdf/pact.html",
    "jobfair/pdf/report.html",
}


def test_no_template_carries_inline_script_or_style():
    found = {}
    for template in sorted(Path(ROOT).glob("*/templates/**/*.html")) + sorted(
        Path(ROOT).glob("templates/**/*.html")
    ):
        name = str(template.relative_to(ROOT)).split("templates/", 1)[1]
        if ".venv" in template.parts or name in PDF_TEMPLATES:
            continue
        text = re.sub(r"{#.*?#}", "", template.read_text(), flags=re.S)  # template comments
        codes = inline_code(text)
        if codes:
            found[name] = codes
    assert found == {}
