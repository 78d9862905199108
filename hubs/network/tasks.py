"""
Background work of the network level (beat, daily): the quality label's renewal reminder (once per
self-assessment: `reminded_at`) and the observatory's monthly export (once per network and month:
a unique row). Both are safe to run twice; each hub's reminder runs on its own (hubs_fan_out).
"""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task
def label_reminders() -> int:
    from hubs.models import Hub

    return hubs_fan_out(label_reminders_hub, hubs=Hub.objects.filter(is_active=True))


@shared_task
def label_reminders_hub(*, hub_id: int) -> int:
    from .services import label_reminders_send

    return label_reminders_send(hub=hub_of(hub_id))


@shared_task
def observatory_monthly() -> int:
    """Last month's export of every network, made on the first run of the month (daily beat)."""
    from hubs.models import Network

    from .services import observatory_export_month

    return sum(observatory_export_month(network=network) for network in Network.objects.all())
