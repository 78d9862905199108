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
