"""
`manage.py health_beat`: exit 0 when Celery beat has sent a periodic task recently, 1 otherwise.

The beat service's health check (docker-compose.yml). django-celery-beat's DatabaseScheduler
stores each task's `last_run_at` (at the latest every three minutes); the outbox flush runs every
minute, so a beat that is alive has always sent something within a few minutes.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_celery_beat.models import PeriodicTask


class Command(BaseCommand):
    help = "Exit 0 if Celery beat sent a periodic task within --max-age seconds."

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=600, help="seconds (default 600)")

    def handle(self, *args, max_age: int, **options):
        last = (
            PeriodicTask.objects.filter(enabled=True, last_run_at__isnull=False)
            .order_by("-last_run_at")
            .values_list("last_run_at", flat=True)
            .first()
        )
        if last is None or timezone.now() - last > timedelta(seconds=max_age):
            self.stderr.write(f"beat: nothing sent since {last or 'ever'} (limit {max_age} s)")
            raise SystemExit(1)
        self.stdout.write(f"beat: last task sent at {last.isoformat()}")
