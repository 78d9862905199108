"""Background work of Together We Work: the 3- and 6-month follow-ups (beat, daily)."""

from celery import shared_task


@shared_task(ignore_result=True)
def follow_ups_due() -> dict:
    """Create the follow-ups that have come due and remind each operator once (idempotent)."""
    from .services import follow_ups_due as run

    return run()
