"""
The regional catalogue's registry, in the shared layer (action 1): every hub's bookable services,
gathered from the apps that offer them, for a young person searching across the region.

The shared layer names no app: an app that offers something bookable registers a provider in
its own `<app>/catalogue.py` (imported at start-up by hubs.apps, like `indicators`):

    from hubs.catalogue_registry import Entry, provider

    @provider("desk")
    def desk_entries(hubs: list[Hub]) -> list[Entry]:
        ...

Contract of a provider:
- it takes the approved hubs of a network (the catalogue never shows another), and returns
  its entries for those hubs only, in a bounded number of queries (never one per hub or row);
- `Entry.key` is unique among the provider's entries of one hub and has no "/" (it names the
  entry in the hand-off URL: "<provider>-<id>");
- `Entry.book_url` is the hub's OWN booking page for the entry (the app's public URL under that
  hub's slug), so a booking made from the catalogue is made by that hub, under its own rules;
- `online` says the service can be had at a distance; `municipality_ids` are the comuni where it
  is offered in person (to put those nearest to the young person first);
- entries hold no personal data.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

PROVIDERS: dict[str, Callable] = {}


@dataclass(frozen=True)
class Entry:
    hub: object  # hubs.models.Hub
    key: str
    title: str
    description: str = ""
    channels: tuple[str, ...] = ()  # labels: "Online video call", "In person at an antenna"…
    places: tuple[str, ...] = ()  # where, in person: "Antenna di Castelleone, Via Roma 2"
    online: bool = False
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    book_url: str = ""


def provider(name: str):
    """Register `function(hubs) -> list[Entry]` under `name` (registering it again changes nothing)."""

    def register(function):
        PROVIDERS[name] = function
        return function

    return register


def entries_for(hubs) -> list[Entry]:
    """Every provider's entries for these hubs."""
    hubs = list(hubs)
    if not hubs:
        return []
    return [entry for function in PROVIDERS.values() for entry in function(hubs)]


# --- A booking that came from the catalogue ----------------------------------------------------
# The catalogue's hand-off marks the visitor's session for the chosen hub; the app that makes the
# booking asks `came_from_catalogue(request, hub)` and records it on its row, so that the network
# counts bookings made through the catalogue (confirmed ones), not only visits to a booking page.

HANDOFF_SESSION_KEY = "catalogue_handoff"
HANDOFF_SECONDS = 2 * 3600  # a hand-off older than this no longer marks a booking


def handoff_mark(request, hub) -> None:
    """The visitor went from the catalogue to `hub`'s booking page (now)."""
    marks = dict(request.session.get(HANDOFF_SESSION_KEY) or {})
    marks[str(hub.pk)] = int(time.time())
    request.session[HANDOFF_SESSION_KEY] = marks


def came_from_catalogue(request, hub, *, consume: bool = False) -> bool:
    """Whether the visitor reached `hub`'s booking from the catalogue lately; `consume` clears it."""
    marks = dict(request.session.get(HANDOFF_SESSION_KEY) or {})
    at = marks.get(str(hub.pk))
    fresh = at is not None and time.time() - at <= HANDOFF_SECONDS
    if consume and at is not None:
        marks.pop(str(hub.pk))
        request.session[HANDOFF_SESSION_KEY] = marks
    return fresh
