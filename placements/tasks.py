"""Background work of Together We Work: the 3- and 6-month follow-ups (beat, daily)."""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task
def follow_ups_due() -> int:
    """Beat: one `follow_ups_due_hub` per hub, so one hub's trouble never holds up another."""
    return hubs_fan_out(follow_ups_due_hub)


@shared_task
def follow_ups_due_hub(*, hub_id: int) -> dict:
    """Create the hub's follow-ups that have come due and remind each operator once (idempotent)."""
    from .services import follow_ups_due as run

    return run(hub=hub_of(hub_id))
