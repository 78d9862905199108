"""
The shape of every periodic task (beat), shared by the apps, so that one bad row or one hub
never stops the others:

- `hubs_fan_out`: the beat task queues one task per hub (and one for the network where it has
  work of its own); each hub's work runs, fails and is retried on its own.
- `each_row`: inside a hub's task, the work of each row runs on its own. A row that raises is
  logged with its traceback and skipped; the work that marks it done (a Notice, a `reminded_at`,
  a status) rolls back with it, so the next run tries that row again.
"""

import logging
from collections.abc import Callable, Iterable

from django.db.models import QuerySet

logger = logging.getLogger(__name__)


def hubs_fan_out(task, *, hubs: QuerySet | None = None, network: bool = False) -> int:
    """
    Queue `task(hub_id=…)` once per hub of `hubs` (default: every hub), and once with
    `hub_id=None` for the network if `network`. A task that cannot be queued is logged; the
    next beat run queues it again. Returns how many were queued.
    """
    from .models import Hub

    hubs = Hub.objects.all() if hubs is None else hubs
    hub_ids = list(hubs.order_by("pk").values_list("pk", flat=True))
    if network:
        hub_ids.append(None)
    queued = 0
    for hub_id in hub_ids:
        try:
            task.delay(hub_id=hub_id)
        except Exception:
            logger.exception("%s for hub %s failed; the next run tries again.", task.name, hub_id)
        else:
            queued += 1
    return queued


def hub_of(hub_id: int | None):
    """The Hub a fanned-out task works for, or None for the network."""
    from .models import Hub

    return None if hub_id is None else Hub.objects.get(pk=hub_id)


def each_row(rows: Iterable, work: Callable, *, what: str) -> tuple[int, int]:
    """
    Call `work(row)` for every row, each on its own (see the module docstring): a row that
    raises is logged as "<what> <row>" and the others go on. Returns (how many rows the work
    reported done — a true result —, how many failed).
    """
    done = failed = 0
    for row in rows:
        try:
            done += bool(work(row))
        except Exception:
            failed += 1
            logger.exception("%s %s failed; the next run tries again.", what, row)
    return done, failed
