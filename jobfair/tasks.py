"""Background work of the job fair (beat): lapsed workshop offers, shredding after the fair."""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task
def jobfair_sweep() -> int:
    """Beat: one `jobfair_sweep_hub` per hub, so one hub's trouble never holds up another."""
    return hubs_fan_out(jobfair_sweep_hub)


@shared_task
def jobfair_sweep_hub(*, hub_id: int) -> dict:
    """Pass lapsed offers on and shred the fairs past their retention (both idempotent)."""
    from .services import fairs_shred, offers_expire

    hub = hub_of(hub_id)
    return {"lapsed": offers_expire(hub=hub), "shredded": fairs_shred(hub=hub)}
