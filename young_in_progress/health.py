"""
Health of a running portal, for load balancers, container orchestrators and `docker compose`.

`/health/` (django-health-check) answers 200 when the database answers, the cache stores and
reads back a value, the file storage (report PDFs) saves and deletes a file, and the Celery
broker accepts a connection; 500 otherwise. The names it shows are plain (no host, port or
path), since the page is public. Workers are checked by Celery's own `inspect ping`, beat by
`manage.py health_beat` (see docker-compose.yml).
https://codingjoe.dev/django-health-check/
"""

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.decorators import login_not_required
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker (Redis, or the embedded file broker) accepts a connection."""

    def run(self) -> None:
        from young_in_progress.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # any transport's failure means the same to a probe
            raise ServiceUnavailable("Broker unavailable") from error


_library_view = HealthCheckView.as_view(checks=[Database, Cache, Storage, Broker])


@login_not_required
def health_view(request):
    """
    The library's (async) view, run to completion on a thread of its own with its own event loop:
    the same answer under WSGI, and no clash with an event loop already running in the caller's
    thread (Playwright's, in the test processes).
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _library_view(request)).result()
