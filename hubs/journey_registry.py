"""
One young person's journey across the project's actions, in the shared layer: a timeline that
the apps fill from their own `<app>/journey.py` (imported at start-up by hubs.apps), so that the
shared layer imports none of them.

    from hubs.journey_registry import Entry, source

    @source("desk.bookings", capability="desk.manage")
    def bookings(person, hub) -> list[Entry]:
        ...

Contract of a source:
- `function(person, hub)` returns the entries of what `hub` did with the person (hub None: every
  hub's, for the person's own view in "my area"), in a bounded number of queries;
- `capability` (hubs/capabilities.py) is what a hub member needs to see the source's entries:
  a member without it sees none of them;
- entries say what happened in words the young person may read (no staff notes).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Entry:
    day: date
    action: int  # the project action (hubs.navigation.ACTIONS)
    title: str
    detail: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    capability: str
    entries: Callable


SOURCES: dict[str, Source] = {}


def source(key: str, *, capability: str):
    def register(function):
        SOURCES[key] = Source(key, capability, function)
        return function

    return register


def timeline(person, *, hub=None, membership=None) -> list[Entry]:
    """
    The person's entries, newest first: for a hub's member, those of the hub whose capability
    they hold; with neither (the person themselves), every hub's.
    """
    entries = []
    for item in SOURCES.values():
        if membership is not None and not membership.can(item.capability):
            continue
        entries += item.entries(person, hub)
    return sorted(entries, key=lambda entry: entry.day, reverse=True)


# --- Moves between actions (an indicator of action 1) ----------------------------------------
# An app also says when each person first took part in its action, so that the network can count
# the young people who moved from one action to another (fair → desk, desk → path…):
#
#     @first_contact(2)
#     def desk_first(hub, start, end) -> dict[int, date]:   # person id → first day, one query
#
# hub None: every hub's. A person counts on the day of their first contact within the period.

FIRST_CONTACTS: dict[int, Callable] = {}


def first_contact(action: int):
    def register(function):
        FIRST_CONTACTS[action] = function
        return function

    return register


def moves(hub, start: date, end: date) -> dict[tuple[int, int], list[int]]:
    """(from action, to action) → the ids of the people who took part in `to` after `from`."""
    firsts = {action: function(hub, start, end) for action, function in FIRST_CONTACTS.items()}
    found: dict[tuple[int, int], list[int]] = {}
    for a, people_a in firsts.items():
        for b, people_b in firsts.items():
            if a == b:
                continue
            moved = [pid for pid, day in people_a.items() if pid in people_b and day < people_b[pid]]
            if moved:
                found[(a, b)] = moved
    return found
