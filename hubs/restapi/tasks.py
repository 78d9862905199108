"""Webhook deliveries (hubs/restapi/webhooks.py): one task per delivery, and the beat's sweep."""

from celery import shared_task

from hubs.tasks import each_row, hub_of, hubs_fan_out


@shared_task
def webhook_deliver(*, delivery_id: int) -> None:
    """One attempt of one delivery; safe to run twice (a row is sent only while pending and due)."""
    from .webhooks import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)


@shared_task
def webhooks_sweep() -> int:
    """Beat: each hub's due deliveries sent again, and its log past 30 days forgotten."""
    return hubs_fan_out(webhooks_hub_sweep)


@shared_task
def webhooks_hub_sweep(*, hub_id: int) -> int:
    from .webhooks import deliveries_due, deliveries_purge, delivery_attempt

    hub = hub_of(hub_id)
    deliveries_purge(hub=hub)
    done, _failed = each_row(
        list(deliveries_due(hub=hub).values_list("pk", flat=True)[:500]),
        lambda pk: delivery_attempt(delivery_id=pk),
        what="Webhook delivery",
    )
    return done
