"""
Every `<form>` of the portal's templates has an accessible name (aria-label or aria-labelledby):
with several forms on a page (the header's language and sign-out forms are on every page), a
screen reader's list of forms tells them apart by it, and IBM's checker fails a page otherwise.
"""

import re
from pathlib import Path

from django.template import engines
from django.template.loaders.app_directories import get_app_template_dirs

ROOT = Path(__file__).resolve().parents[1]
FORM = re.compile(r"<form\b[^>]*>", re.S)


def our_templates() -> list[Path]:
    dirs = [*engines["django"].engine.dirs, *get_app_template_dirs("templates")]
    found = []
    for folder in map(Path, dirs):
        if folder.resolve().is_relative_to(ROOT) and ".venv" not in folder.parts:
            found += folder.rglob("*.html")
    return found


def test_every_form_has_an_accessible_name():
    templates = our_templates()
    unnamed = [
        f"{path.relative_to(ROOT)}: {tag[:80]}"
        for path in templates
        for tag in FORM.findall(path.read_text())
        if "aria-label=" not in tag and "aria-labelledby=" not in tag
    ]
    assert unnamed == []
    assert len(templates) > 100  # the walk found the apps' templates
