"""
The back office's quick search (the search field in the header), in the shared layer: each app
says what of its own a hub's staff can find, in `<app>/search.py` (imported at start-up by
hubs.apps), so that the shared layer imports none of them.

    from hubs.search_registry import Result, group

    @group("desk.people", title=_("People"), capability="desk.manage", order=10)
    def people(hub, query: Query, limit: int) -> list[Result]:
        ...

Contract of a group:
- `function(hub, query, limit)` returns at most `limit + 1` results of this hub only (the extra
  one says "there are more"), in a fixed number of queries whatever the hub's size;
- `capability` (hubs/capabilities.py) is what a member needs to see the group at all;
- a result shows what staff need to tell people apart (name, e-mail, number) and links to the
  page that opens the record, which logs the opening (people.RecordAccess) as it always does.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_QUERY = 100


@dataclass(frozen=True)
class Query:
    """What was typed, read once: its words, its digits (a phone or a number), an e-mail."""

    text: str
    words: tuple[str, ...] = field(default=())
    digits: str = ""
    number: int | None = None

    @classmethod
    def parse(cls, text: str) -> "Query":
        text = " ".join(text.split())[:MAX_QUERY]
        digits = re.sub(r"[^\d]", "", text)
        plain = re.fullmatch(r"#?\s*(\d{1,9})", text)
        return cls(
            text=text,
            words=tuple(text.split()[:5]),
            digits=digits if len(digits) >= 6 and re.fullmatch(r"[\d\s+().\-/]+", text) else "",
            number=int(plain.group(1)) if plain else None,
        )


@dataclass(frozen=True)
class Result:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    capability: str
    find: Callable
    order: int = 100


GROUPS: dict[str, Group] = {}


def group(key: str, *, title, capability: str, order: int = 100):
    def register(function):
        GROUPS[key] = Group(key, title, capability, function, order)
        return function

    return register


def search(*, hub, membership, text: str, limit: int = 10) -> list[dict]:
    """The groups the member may see that found something: title, results, and whether there are more."""
    query = Query.parse(text)
    if len(query.text) < 2 and query.number is None:
        return []
    found = []
    for item in sorted(GROUPS.values(), key=lambda g: (g.order, g.key)):
        if not membership.can(item.capability):
            continue
        results = item.find(hub, query, limit)
        if results:
            found.append(
                {
                    "key": item.key,
                    "title": item.title,
                    "results": results[:limit],
                    "more": len(results) > limit,
                }
            )
    return found
