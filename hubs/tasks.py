"""
How the portal queues work, in one place.

`PortalTask` is the class of every task (young_in_progress/celery.py sets it as the app's
`task_cls`). Services call tasks by import, after commit: `notice_send.delay_on_commit(…)`.

- Nothing is sent for a change that was rolled back: `delay_on_commit` (Celery's DjangoTask)
  publishes only when the transaction commits.
- A broker outage never reaches the caller: publishing gives up fast
  (CELERY_BROKER_CONNECTION_TIMEOUT, CELERY_TASK_PUBLISH_RETRY_POLICY), the task is logged as left
  behind and `delay` returns None. The periodic sweeps (beat: desk_sweep, reports_sweep,
  outbox_flush) find the work by its state (a missing Notice, a PENDING report, a queued e-mail)
  and do it when the broker is back.

The shape of every periodic task (beat), so that one bad row or one hub never stops the others:

- `hubs_fan_out`: the beat task queues one task per hub (and one for the network where it has
  work of its own); each hub's work runs, fails and is retried on its own.
- `each_row`: inside a hub's task, the work of each row runs on its own. A row that raises is
  logged with its traceback and skipped; the work that marks it done (a Notice, a `reminded_at`,
  a status) rolls back with it, so the next run tries that row again.
"""

import functools
import logging
from collections.abc import Callable, Iterable

from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.db.models import QuerySet
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


class PortalTask(DjangoTask):
    """The task class of the portal: queuing never raises because the broker is down."""

    def apply_async(self, args=None, kwargs=None, **options):
        """Publish the task, or log it as left to the periodic sweeps and return None."""
        try:
            return super().apply_async(args, kwargs, **options)
        except OperationalError as error:  # kombu's "could not reach the broker", after the retry policy
            logger.warning("Broker unreachable (%s): %s left to the periodic sweep.", error, self.name)
            return None

    def delay_on_commit(self, *args, **kwargs) -> None:
        """
        `delay` once the transaction commits (at once outside one). Robust: what is committed
        stays committed, so nothing that goes wrong while queuing turns the answer into an error.
        """
        transaction.on_commit(functools.partial(self.delay, *args, **kwargs), robust=True)

    def apply_async_on_commit(self, *args, **kwargs) -> None:
        """`apply_async` once the transaction commits; robust as `delay_on_commit`."""
        transaction.on_commit(functools.partial(self.apply_async, *args, **kwargs), robust=True)


def hubs_fan_out(task, *, hubs: QuerySet | None = None, network: bool = False) -> int:
    """
    Queue `task(hub_id=…)` once per hub of `hubs` (default: every hub), and once with
    `hub_id=None` for the network if `network`. A task that cannot be queued (broker down) is
    logged by PortalTask, and the next beat run queues it again; a hub's task that fails when
    run in-process (eager) is logged here and the others go on. Returns how many were queued.
    """
    from .models import Hub

    hubs = Hub.objects.all() if hubs is None else hubs
    hub_ids = list(hubs.order_by("pk").values_list("pk", flat=True))
    if network:
        hub_ids.append(None)
    queued = 0
    for hub_id in hub_ids:
        try:
            queued += task.delay(hub_id=hub_id) is not None
        except Exception:
            logger.exception("%s for hub %s failed; the next run tries again.", task.name, hub_id)
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
