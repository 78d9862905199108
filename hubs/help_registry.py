"""
Requests for help handed from one action to another, in the shared layer: a young person asks
in one app (at the job fair, "Vorrei un aiuto") and lands where another app answers it (a
request to the desk, a referral to a Together We Work path), with neither app importing the
other and the shared layer importing neither. An app that answers registers a receiver in its
own `<app>/help.py` (imported at start-up by hubs.apps, like `journey`):

    from hubs.help_registry import Landing, receiver

    @receiver("desk", url_name=<the app's page of the row>, label=_("Desk request #%(id)s"))
    def to_enquiry(ask: Ask) -> int:
        ...  # the id of the row it made, or found for ask.origin

Contract of a receiver:
- it is idempotent on `ask.origin`: called again with the same origin it makes nothing new and
  returns the same row's id (a unique constraint holds it, whatever the concurrency), so a
  request sent twice, or a retried task, lands once;
- the row belongs to `ask.hub` and is linked to `ask.person`;
- `url_name` is the answering app's back-office page of the row (kwargs hub_slug and pk), so that
  staff of the asking app follow the link to it; the link costs no query.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Ask:
    hub: object  # hubs.models.Hub
    person: object  # people.models.Person
    origin: str  # unique among all asks: "<app>.<model>:<id>", e.g. "jobfair.help:12"
    subject: str
    message: str = ""


@dataclass(frozen=True)
class Receiver:
    kind: str
    land: Callable[[Ask], int]
    url_name: str
    label: object  # a lazy text with %(id)s


@dataclass(frozen=True)
class Landing:
    kind: str
    object_id: int
    label: str
    url: str


RECEIVERS: dict[str, Receiver] = {}


def receiver(kind: str, *, url_name: str, label):
    def register(function):
        RECEIVERS[kind] = Receiver(kind, function, url_name, label)
        return function

    return register


def hand_over(kind: str, ask: Ask) -> int | None:
    """Land the ask with the receiver of `kind`: the id of its row; None when no app receives it."""
    found = RECEIVERS.get(kind)
    return found.land(ask) if found else None


def landing(hub, kind: str, object_id: int | None) -> Landing | None:
    """Where a handed-over ask landed, as a label and a back-office link (no query)."""
    found = RECEIVERS.get(kind)
    if found is None or object_id is None:
        return None
    return Landing(
        kind=kind,
        object_id=object_id,
        label=str(found.label) % {"id": object_id},
        url=reverse(found.url_name, kwargs={"hub_slug": hub.slug, "pk": object_id}),
    )
