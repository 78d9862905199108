"""
The e-mail outbox. Every message is first stored by django-post-office's EmailBackend in the
same transaction as the change that caused it; after commit we ask a worker to send the queue.

- If the broker is down, the request still succeeds (publishing gives up within ~2 s, the
  error is logged) and the beat task `outbox_flush` sends the message once the worker runs.
- Sending twice is harmless: post-office marks each message sent and holds a lock while it
  sends, so a retried or duplicated task finds nothing left to send.
"""
import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def outbox_flush() -> None:
    """Send every queued message that is due (idempotent)."""
    from post_office.mail import send_queued_mail_until_done

    send_queued_mail_until_done()


@shared_task(ignore_result=True)
def outbox_cleanup(days: int = 180) -> None:
    """Forget sent messages older than `days` (they hold personal data)."""
    from post_office.utils import cleanup_expired_mails

    cleanup_expired_mails(timezone.now() - timedelta(days=days), delete_attachments=True)


def outbox_flush_enqueue() -> None:
    """Ask a worker to flush the outbox; never raise into the request that sent the mail."""
    try:
        outbox_flush.delay()
    except Exception:  # the broker is unreachable: beat's outbox_flush will catch up
        logger.warning("Could not queue outbox_flush; the periodic flush will send the mail.")


def outbox_dispatch_on_commit(sender, **kwargs) -> None:
    """post_office's `email_queued` signal handler."""
    transaction.on_commit(outbox_flush_enqueue, robust=True)
