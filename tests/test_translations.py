"""The Italian catalogue is complete, reviewed and keeps every placeholder of its msgids.

Italian is the portal's first language and its msgids are English, so an untranslated or fuzzy
entry shows English to an Italian user. No database is needed: these tests read the .po file.
"""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
IT_PO = ROOT / "locale" / "it" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d, %5.2f …, but not the escaped "%%".
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")
# {name}, {0}, {name!r:>10} …, but not the escaped "{{" / "}}".
BRACE_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]*)\}(?!\})")


def percent_placeholders(text: str) -> Counter:
    return Counter(PERCENT_PLACEHOLDER.findall(text.replace("%%", "")))


def brace_placeholders(text: str) -> Counter:
    return Counter(BRACE_PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert IT_PO.exists(), f"{IT_PO.relative_to(ROOT)} is missing: run manage.py makemessages -l it"
    return polib.pofile(str(IT_PO))


def active_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def label(entry: polib.POEntry) -> str:
    where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
    return f"{entry.msgid!r} ({where})"


def test_catalogue_declares_italian_plural_forms(catalogue):
    assert catalogue.metadata.get("Language") == "it"
    assert "nplurals=2" in catalogue.metadata.get("Plural-Forms", "")


def test_every_entry_is_translated(catalogue):
    # polib's translated() is false for fuzzy entries too: those have their own test.
    untranslated = [
        label(e) for e in active_entries(catalogue) if "fuzzy" not in e.flags and not e.translated()
    ]
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_no_entry_is_fuzzy(catalogue):
    fuzzy = [label(e) for e in active_entries(catalogue) if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy entries (check them, then remove the flag):\n" + "\n".join(fuzzy)


def test_plural_entries_fill_both_italian_forms(catalogue):
    incomplete = [
        label(e)
        for e in active_entries(catalogue)
        if e.msgid_plural and not all(e.msgstr_plural.get(i) for i in (0, 1))
    ]
    assert not incomplete, "plural entries missing msgstr[0] or msgstr[1]:\n" + "\n".join(incomplete)


def placeholder_pairs(entry: polib.POEntry):
    """(source, translation) pairs whose placeholders must match."""
    if entry.msgid_plural:
        # msgstr[0] may drop the number ("un giorno"), msgstr[1] is the general form.
        return [(entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
    return [(entry.msgid, entry.msgstr)]


@pytest.mark.parametrize(
    ("flag", "extract"),
    [("python-format", percent_placeholders), ("python-brace-format", brace_placeholders)],
)
def test_placeholders_match_the_msgid(catalogue, flag, extract):
    mismatches = []
    for entry in active_entries(catalogue):
        if flag not in entry.flags:
            continue
        for source, translation in placeholder_pairs(entry):
            if translation and extract(source) != extract(translation):
                mismatches.append(
                    f"{label(entry)}: {sorted(extract(source).elements())} "
                    f"!= {sorted(extract(translation).elements())} in {translation!r}"
                )
    assert not mismatches, f"{flag} placeholders differ:\n" + "\n".join(mismatches)


# makemessages (xgettext) only sees gettext's own names and `_`: a text marked with any other
# alias is never extracted, so it stays English for every user.
ALIASED_GETTEXT = re.compile(
    r"from django\.utils\.translation import .*\b(?:n|p|np)?gettext(?:_lazy|_noop)? as (?!_\b)\w+"
)


def test_translatable_texts_are_marked_with_names_makemessages_sees():
    sources = [
        path
        for folder in ("young_in_progress", "people", "hubs", "desk", "placements", "governance")
        for path in (ROOT / folder).rglob("*.py")
    ]
    aliased = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if ALIASED_GETTEXT.search(line)
    ]
    assert not aliased, f"use `_` or the function's own name, not an alias: {aliased}"
