"""
The apps' import graph is a tree (DESIGN.md, "Apps"): every app stands on the base, `hubs` (the
shared layer: tenancy, capabilities, registries) and `people` (the accounts and young people's
records every app deals with), and on nothing else. Governance reads the other apps only
through the indicator registry, so no app imports governance and governance imports no app;
desk and placements know nothing of each other. The base names none of the apps above it,
neither by import nor by URL name: the apps register their menu entries in the shared layer.

Read from the source with `ast` (every import, also those inside functions), tests and
migrations excluded. `young_in_progress`, the project, is the root that wires the apps
together (its urls.py includes every app's URLs) and is not an app.

An import between apps that the rules below do not allow fails here; allow it only in
EXCEPTIONS, with its reason, and say the same in the importing module's docstring.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import URLResolver, get_resolver

ROOT = Path(settings.BASE_DIR)
APPS = [app.name for app in apps.get_app_configs() if Path(app.path).parent == ROOT]
BASE = {
    "hubs",
    "people",
}  # they import each other: hubs' services mail through people, people's rows are hub-owned
# (importing app, imported app): reason. Empty: no app imports another beyond the base.
EXCEPTIONS: dict[tuple[str, str], str] = {}


def imports_of(app: str) -> dict[str, set[str]]:
    """Each module of the app (tests and migrations aside) → the other local apps it imports."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        others = {name.split(".")[0] for name in names} & set(APPS) - {app}
        if others:
            found["/".join(parts)] = others
    return found


GRAPH = {app: imports_of(app) for app in APPS}


def allowed(app: str, imported: str) -> bool:
    return imported in BASE or (app, imported) in EXCEPTIONS


def test_the_apps_are_found():
    assert {"people", "hubs", "desk", "placements", "governance"} <= set(APPS)
    assert "young_in_progress" not in APPS
    assert GRAPH["desk"], "the parser found no import of the base in desk: it reads nothing"


def test_every_app_imports_only_the_base():
    wrong = [
        f"{module} imports {imported}"
        for app, modules in GRAPH.items()
        for module, imported_apps in modules.items()
        for imported in sorted(imported_apps)
        if not allowed(app, imported)
    ]
    assert not wrong, "Imports between apps outside the tree:\n" + "\n".join(wrong)


def test_the_rules_of_issue_11():
    """The same graph, said as the issue says it (a reader's check of the rule above)."""
    edges = {
        (app, imported)
        for app, modules in GRAPH.items()
        for imported_apps in modules.values()
        for imported in imported_apps
    }
    assert not {(a, b) for a, b in edges if a in BASE and b not in BASE}, "the base imports an app"
    assert not {(a, b) for a, b in edges if b == "governance"}, "an app imports governance"
    assert not edges & {("desk", "placements"), ("placements", "desk")}


def _namespaces_of_apps_above_the_base() -> set[str]:
    """URL namespaces whose views belong to an app outside the base (desk, deskbo, governance…)."""
    namespaces = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace:
            views = [getattr(p, "callback", None) for p in entry.url_patterns]
            packages = {getattr(v, "view_class", v).__module__.split(".")[0] for v in views if v}
            if packages & (set(APPS) - BASE):
                namespaces.add(entry.namespace)
    return namespaces


def test_the_base_names_no_url_of_the_apps_above_it():
    namespaces = _namespaces_of_apps_above_the_base()
    assert {"desk", "deskbo", "placementsbo", "governance"} <= namespaces
    alternatives = "|".join(sorted(namespaces))
    named = re.compile(rf"""["']({alternatives}):[\w-]+["']""")
    wrong = []
    for app in BASE:
        for path in sorted((ROOT / app).rglob("*")):
            parts = path.relative_to(ROOT).parts
            if path.suffix not in {".py", ".html", ".txt"} or "tests" in parts or "migrations" in parts:
                continue
            wrong += [f"{'/'.join(parts)}: {m.group(0)}" for m in named.finditer(path.read_text())]
    assert not wrong, "The base names URLs of the apps (register a menu entry instead):\n" + "\n".join(wrong)
