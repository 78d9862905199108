"""
Background work of the youth pacts: (beat, daily) overdue reviews and overdue actions; (on
commit) telling the people registered for a meeting that it changed, once per change.
"""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task
def pacts_overdue() -> int:
    """Beat: one `pacts_overdue_hub` per hub, so one hub's trouble never holds up another."""
    return hubs_fan_out(pacts_overdue_hub)


@shared_task
def pacts_overdue_hub(*, hub_id: int) -> dict:
    """Mail the coordinators about reviews past 30 days and owners about overdue actions, once."""
    from . import services

    hub = hub_of(hub_id)
    return {"reviews": services.reviews_overdue(hub=hub), "actions": services.actions_overdue(hub=hub)}


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def meeting_changed_notify(self, *, meeting_id: int) -> int:
    """A planned meeting changed: tell each registered person once (the service claims each row)."""
    from .services import meeting_change_notify

    return meeting_change_notify(meeting_id=meeting_id)
