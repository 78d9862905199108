"""
The API's declarations in the personal-data registry (hubs/personal_data.py): a write's stored
answer (kept a day for Idempotency-Key replays) may name a young person, and is deleted with
their data; every such answer is forgotten after YIP_RETENTION["api_replays"] days anyway.
"""

from datetime import datetime

from hubs.personal_data import register, retention

from .models import IdempotentRequest


def replays(subject):
    """Stored answers about their records (a booking's `person`)."""
    return IdempotentRequest.objects.filter(body__person__id__in=subject.people)


register(IdempotentRequest, find=replays, delete=True, export=False, copy=True)


@retention("api_replays")
def replays_purge(before: datetime) -> int:
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=before).delete()
    return deleted
