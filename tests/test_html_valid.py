"""
The main pages are valid HTML, as the Nu Html Checker (vnu, the W3C's validator) reads them.

Each page is rendered by the test client, as the role that uses it, from the test world; all of
them are handed to one run of vnu (the JVM takes seconds to start: one run for every file).
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from conftest import VNU_JAR as VNU
from hubs.models import Role
from tests.test_url_access import ACCESS, build_url

pytestmark = [pytest.mark.django_db, pytest.mark.vnu]

# (URL name, its kwargs, whether it is a back-office page: opened by a role it allows)
PAGES = [
    ("hub_public", ("hub_slug",), False),
    ("desk:book_slots", ("hub_slug", "service_id"), False),
    ("desk:book_form", ("hub_slug", "slot_id"), False),
    ("account_login", (), False),
    ("deskbo:calendar", ("hub_slug",), True),
    ("jobfair:fair", ("hub_slug", "pk"), False),
    ("pacts:public_board", ("hub_slug",), False),
    ("catalogue", (), False),
    ("governance:dashboard", ("hub_slug",), True),
    ("network:compare", ("hub_slug",), True),
]


@pytest.fixture
def world(module_world):
    return module_world


def test_main_pages_are_valid_html(world, tmp_path):
    files = []
    for name, kwargs, back_office in PAGES:
        client = Client()
        if back_office:
            allowed = ACCESS[name]
            client.force_login(world.a.users[Role.HUB_ADMIN if Role.HUB_ADMIN in allowed else min(allowed)])
        response = client.get(build_url(name, kwargs, world.a))
        assert response.status_code == 200, (name, response.status_code)
        path = tmp_path / f"{name.replace(':', '-')}.html"
        path.write_bytes(response.content)
        files.append(path)

    run = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--errors-only", "--format", "json", "--exit-zero-always"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr)["messages"]
    errors = [
        f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '').strip()[:80]}]"
        for m in messages
        if m["type"] == "error"
    ]
    assert not errors, "\n".join(errors)
    assert len(files) == len(PAGES)  # every page was rendered and handed to vnu
