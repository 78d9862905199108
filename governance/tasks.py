"""
Background work of governance. Tasks take ids and are safe to run twice: the services record
what they did (report status, `emailed_at`, `reminded_at`, one monthly snapshot per month) and
return early when it is done already. Beat runs `reports_monthly` and `decisions_remind` daily
and `reports_sweep` every few minutes (it catches reports whose task could not be queued); each
queues one task per hub (and one for the network's reports), so one hub never stops another.
"""

from celery import shared_task

from hubs.tasks import hub_of, hubs_fan_out


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def report_generate(self, *, report_id: int) -> None:
    """Render a report's PDF; on an error the report is FAILED (attempt counted) and retried."""
    from .services import report_generate as generate

    try:
        generate(report_id=report_id)
    except Exception as error:
        raise self.retry(exc=error) from error


def _active_hubs():
    from hubs.models import Hub

    return Hub.objects.filter(is_active=True)


@shared_task
def reports_monthly() -> int:
    return hubs_fan_out(reports_monthly_hub, hubs=_active_hubs(), network=True)


@shared_task
def reports_monthly_hub(*, hub_id: int | None) -> dict:
    from .services import reports_monthly as run

    return run(hub=hub_of(hub_id))


@shared_task
def decisions_remind() -> int:
    return hubs_fan_out(decisions_remind_hub, hubs=_active_hubs())


@shared_task
def decisions_remind_hub(*, hub_id: int) -> int:
    from .services import decisions_remind as run

    return run(hub=hub_of(hub_id))


@shared_task
def reports_sweep() -> int:
    return hubs_fan_out(reports_sweep_hub, network=True)


@shared_task
def reports_sweep_hub(*, hub_id: int | None) -> int:
    from .services import reports_sweep as run

    return run(hub=hub_of(hub_id))
