"""
The e-mail outbox. Every message is first stored, as finished text, by our EmailBackend
(people/mail.py) in the same transaction as the change that caused it; after commit we ask a
worker to send the queue.

- If the broker is down, the request still succeeds (hubs.tasks.PortalTask: publishing gives up
  within ~2 s, the error is logged) and the beat task `outbox_flush` sends the message once the
  worker runs.
- One message that cannot be sent (SMTP refuses it, the stored row is broken) is logged and
  retried later; the flush goes on with the others.
- Sending twice is harmless: each message is sent inside a transaction that holds its row
  (`select_for_update(skip_locked=True)`) and marks it sent, so a retried or concurrent flush,
  on any host, finds nothing left to send. (A worker killed between the SMTP server's "OK" and
  the commit would send that one message again: mail delivery is at-least-once.)
"""

import logging

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)


def _due_messages():
    from post_office.models import STATUS, Email

    now = timezone.now()
    return Email.objects.filter(
        Q(scheduled_time__lte=now) | Q(scheduled_time=None),
        Q(expires_at__gt=now) | Q(expires_at=None),
        status__in=[STATUS.queued, STATUS.requeued],
    )


@shared_task
def outbox_flush(limit: int = 1000) -> int:
    """Send the queued messages that are due, one row-locked transaction each (idempotent)."""
    sent = 0
    for _ in range(limit):
        with transaction.atomic():
            email = _due_messages().select_for_update(skip_locked=True).order_by("pk").first()
            if email is None:
                break
            sent += _deliver(email)
    return sent


def _deliver(email) -> bool:
    """
    Send one message. One that cannot go, for whatever reason, is logged and put back for a
    later flush (after post_office's retry interval; failed after its retries): it never stops
    the messages behind it.
    """
    from post_office.models import STATUS, Email
    from post_office.settings import get_max_retries, get_retry_timedelta

    try:
        with transaction.atomic():
            status = email.dispatch(disconnect_after_delivery=False)
    except Exception:
        logger.exception("Outbox message %s could not be sent; it is tried again later.", email.pk)
        status = STATUS.failed
    if status == STATUS.sent:
        return True
    retries = email.number_of_retries or 0
    later = Email.objects.filter(pk=email.pk)  # update(): a row that fails its own checks still moves
    if retries < get_max_retries():
        later.update(
            number_of_retries=retries + 1,
            status=STATUS.requeued,
            scheduled_time=timezone.now() + get_retry_timedelta(),
        )
    else:
        later.update(status=STATUS.failed)
    return False


def outbox_dispatch_on_commit(sender, **kwargs) -> None:
    """post_office's `email_queued` signal handler: ask a worker to flush the outbox after commit."""
    outbox_flush.delay_on_commit()


@shared_task
def personal_data_retention() -> dict:
    """Beat, daily: forget each kind of personal data kept past its days (settings.YIP_RETENTION)."""
    from .services import retention_apply

    return retention_apply()
