"""
The indicators registry, in the shared layer below the apps. Each app declares its indicators
in `<app>/indicators.py` with the `@indicator` decorator (hubs.apps imports those modules at
start-up); governance only reads the registry, and through it the apps' numbers, so no app
depends on governance and governance depends on no app. (hubs' own indicators are in
hubs/indicators.py, like every app's; this module is the registry they all write to.)

An indicator is a function `(hub, start, end) -> value` for one hub (or, with `hub=None`,
the whole network) over a period of days (inclusive). The value is a number, or a mapping
label → number for a breakdown. It must run a bounded number of SQL queries, never a loop
over rows.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext

Value = int | float | dict[str, int | float]


@dataclass(frozen=True)
class Indicator:
    key: str
    action: int
    title: Promise
    compute: Callable[..., Value]
    unit: str = "count"  # count, hours, percent
    personal: bool = False  # counts people: shown as "< 5" below five to the steering committee
    # URL name (kwarg hub_slug) of the hub staff's list it counts, maybe with a filter: "name?a=b"
    link: str | None = None


REGISTRY: dict[str, Indicator] = {}
# What the codes of breakdowns mean ("hub" → "In person at the hub"), from the indicators' choices.
LABELS: dict[str, Promise] = {}


def indicator(
    key: str,
    *,
    action: int,
    title: Promise,
    unit: str = "count",
    personal=False,
    link: str | None = None,
    labels=(),
):
    """`labels`: the (code, label) choices the breakdown's entries are codes of."""
    LABELS.update(dict(labels))

    def register(function):
        if key in REGISTRY and REGISTRY[key].compute is not function:
            raise ValueError(f"Indicator {key!r} is declared twice.")
        REGISTRY[key] = Indicator(key, action, title, function, unit, personal, link)
        return function

    return register


def label(code) -> str:
    """A breakdown entry's label: the choice's label when known, else the code made readable."""
    if code in ("-", "", None):  # the indicators' word for "not recorded"
        return gettext("not recorded")
    if code in LABELS:
        return str(LABELS[code])
    return str(code).replace("_", " ")


def indicators_for_action(action: int) -> list[Indicator]:
    return [item for item in REGISTRY.values() if item.action == action]


_shared_rows: ContextVar[dict | None] = ContextVar("indicator_shared_rows", default=None)


@contextmanager
def sharing():
    """
    While collecting many indicators at once, let those that read the same grouped query
    (e.g. bookings counted by channel, status and antenna) run it once. Outside this block
    nothing is kept: every call computes afresh.
    """
    token = _shared_rows.set({})
    try:
        yield
    finally:
        _shared_rows.reset(token)


def shared(key: tuple, compute: Callable):
    """`compute()`, or its result already computed for the same key inside `sharing()`."""
    cache = _shared_rows.get()
    if cache is None:
        return compute()
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def collect(*, hub, start: date, end: date) -> dict[str, Value]:
    """Every registered indicator's value for the hub (None: the network) and period."""
    with sharing():
        return {key: item.compute(hub, start, end) for key, item in sorted(REGISTRY.items())}
