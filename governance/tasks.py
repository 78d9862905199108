"""
Background work of governance. Tasks take ids and are safe to run twice: the services record
what they did (report status, `emailed_at`, `reminded_at`, one monthly snapshot per month) and
return early when it is done already. Beat runs `reports_monthly` and `decisions_remind` daily
and `reports_sweep` every few minutes (it catches reports whose task could not be queued).
"""

from celery import shared_task


@shared_task(bind=True, max_retries=3, default_retry_delay=60, ignore_result=True)
def report_generate(self, *, report_id: int) -> None:
    """Render a report's PDF; on an error the report is FAILED (attempt counted) and retried."""
    from .services import report_generate as generate

    try:
        generate(report_id=report_id)
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task(ignore_result=True)
def reports_monthly() -> dict:
    from .services import reports_monthly as run

    return run()


@shared_task(ignore_result=True)
def decisions_remind() -> int:
    from .services import decisions_remind as run

    return run()


@shared_task(ignore_result=True)
def reports_sweep() -> int:
    from .services import reports_sweep as run

    return run()
