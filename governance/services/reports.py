"""
Monitoring reports (PDF): requested, generated once from a snapshot (READY), e-mailed once
(`emailed_at` commits with the stored e-mails), made monthly, and swept up by beat when the
broker was down (`reports_sweep` picks up what was left PENDING).
"""

import logging
import traceback
from datetime import date, timedelta
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hubs.capabilities import roles_with
from hubs.events import emit
from hubs.links import absolute_url
from hubs.models import Hub, Membership
from hubs.tasks import each_row
from people.mail import mail_send

from .. import report as rendering
from .. import tasks
from ..models import Report, Snapshot
from ..status import status_counts
from .snapshots import snapshot_take

logger = logging.getLogger(__name__)


MAX_ATTEMPTS = 3  # generation attempts before a report is left FAILED for a person to look at


STALE_RUNNING = timedelta(minutes=30)  # a RUNNING report this old lost its worker


PENDING_GRACE = timedelta(minutes=1)  # the queued task normally gets there first


class ReportError(ValidationError):
    """A report cannot be asked for now; the message is for the member who asked."""


@transaction.atomic
def report_request(*, hub, by) -> Report:
    """
    A report on demand: an ON_DEMAND snapshot as of today and a PENDING report, whose
    generation is queued after commit. The request never fails because the broker is down:
    `reports_sweep` (beat) generates PENDING reports left behind. One on-demand report at a time
    per hub (or for the network, hub None): while one is queued or being generated, another is
    refused (ReportError); the hub's row is locked so that two requests cannot both pass.
    """
    if hub is not None:
        Hub.objects.select_for_update().filter(pk=hub.pk).first()
    in_flight = Report.objects.for_hub(hub).filter(
        snapshot__kind=Snapshot.Kind.ON_DEMAND, status__in=[Report.Status.PENDING, Report.Status.RUNNING]
    )
    if in_flight.exists():
        raise ReportError(
            _("A report for this hub is already being prepared: wait until it is ready, then ask again.")
        )
    snapshot = snapshot_take(hub=hub, kind=Snapshot.Kind.ON_DEMAND, by=by)
    report = Report.objects.create(snapshot=snapshot, hub=hub, requested_by=by)
    tasks.report_generate.delay_on_commit(report_id=report.pk)
    return report


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def _file_name(report: Report) -> str:
    scope = report.hub.slug if report.hub_id else "rete"
    return f"monitoraggio-{scope}-{report.snapshot.as_of:%Y-%m-%d}-{report.pk}.pdf"


@transaction.atomic
def report_retry(*, report: Report) -> bool:
    """Put a failed report back in the queue (a fresh count of attempts); False if not failed."""
    updated = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
        status=Report.Status.PENDING, attempts=0
    )
    if updated:
        tasks.report_generate.delay_on_commit(report_id=report.pk)
    return bool(updated)


def report_generate(*, report_id: int) -> bool:
    """
    Render the report's PDF from its snapshot (never recomputed) and store it. Idempotent: a
    READY report is left alone (False). The report is marked RUNNING while rendering; on an
    error it becomes FAILED with the error kept and one more attempt counted, and the error is
    raised again so that the Celery task retries.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report_id)
        if report.status == Report.Status.READY:
            return False
        report.status = Report.Status.RUNNING
        report.save(update_fields=["status"])
    try:
        report = Report.objects.select_related("snapshot", "hub").get(pk=report_id)
        pdf = rendering.render_report(report)
        pages = _page_count(pdf)
        with transaction.atomic():
            locked = Report.objects.select_for_update().get(pk=report_id)
            if locked.status == Report.Status.READY:  # a concurrent run stored it first
                return False
            report.file.save(_file_name(report), ContentFile(pdf), save=False)
            report.pages, report.status, report.error = pages, Report.Status.READY, ""
            report.finished_at = timezone.now()
            report.save(update_fields=["file", "pages", "status", "error", "finished_at"])
            emit(report.hub, "report.generated", report)  # the network's report (no hub): no hook
        return True
    except Exception as error:
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
        with transaction.atomic():
            failed = Report.objects.select_for_update().get(pk=report_id)
            if failed.status != Report.Status.READY:
                failed.status = Report.Status.FAILED
                failed.attempts += 1
                failed.error = text[:4000]
                failed.finished_at = timezone.now()
                failed.save(update_fields=["status", "attempts", "error", "finished_at"])
        logger.exception("Monitoring report %s could not be generated.", report_id)
        raise


def committee_emails(hub) -> list[str]:
    """Who receives the report: a hub's members who receive its reports (its steering committee
    and coordinators); for the network, those who receive the network's (the regional
    coordinators) in every active hub."""
    members = Membership.objects.filter(is_active=True, user__is_active=True)
    if hub is not None:
        members = members.for_hub(hub).filter(role__in=roles_with("governance.receive_reports"))
    else:
        members = members.filter(
            role__in=roles_with("governance.receive_network_reports"), hub__is_active=True
        )
    return sorted(set(members.values_list("user__email", flat=True)))


def report_email(*, report_id: int) -> bool:
    """
    E-mail the READY report, PDF attached, to the committee (one message each), once:
    `emailed_at` is set in the same transaction that stores the e-mails.
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("snapshot", "hub").get(pk=report_id)
        )
        if report.status != Report.Status.READY or report.emailed_at is not None:
            return False
        recipients = committee_emails(report.hub)
        if not recipients:
            return False
        with report.file.open("rb") as handle:
            pdf = handle.read()
        context = {
            "report": report,
            "snapshot": report.snapshot,
            "hub": report.hub,
            "month": report.snapshot.month,
            "as_of": report.snapshot.as_of,
            "counts": status_counts(report.snapshot.rows),
            "url": absolute_url("governance:dashboard", hub_slug=report.hub.slug) if report.hub else None,
            "portal": settings.PORTAL_NAME,
        }
        for address in recipients:
            mail_send(
                to=[address],
                template="governance/email/report",
                context=context,
                language=settings.LANGUAGE_CODE,
                reply_to=report.hub.email if report.hub else "",
                attachments=[(_file_name(report), pdf, "application/pdf")],
            )
        report.emailed_at = timezone.now()
        report.save(update_fields=["emailed_at"])
        return True


def _monthly_report(hub, as_of: date, done: dict) -> None:
    snapshot = Snapshot.objects.filter(
        hub=hub, kind=Snapshot.Kind.MONTHLY, month=as_of.replace(day=1)
    ).first()
    if snapshot is None:
        snapshot = snapshot_take(hub=hub, kind=Snapshot.Kind.MONTHLY, as_of=as_of)
        done["snapshots"] += 1
    report = Report.objects.filter(snapshot=snapshot).first()
    if report is None:
        try:
            with transaction.atomic():
                report = Report.objects.create(snapshot=snapshot, hub=hub)
            done["reports"] += 1
        except IntegrityError:  # a concurrent run made it
            report = Report.objects.get(snapshot=snapshot)
    if report.status != Report.Status.READY:
        if report.status == Report.Status.FAILED and report.attempts >= MAX_ATTEMPTS:
            done["failed"] += 1
            return
        try:
            done["generated"] += report_generate(report_id=report.pk)
        except Exception:
            done["failed"] += 1  # FAILED and kept: the sweep retries it
            return
    done["emailed"] += report_email(report_id=report.pk)


EVERY = "every"  # the default scope of the periodic services: every hub and the network


def reports_monthly(*, hub: Hub | None | str = EVERY, today: date | None = None) -> dict:
    """
    Daily (beat: governance/tasks.py queues one task per active hub and one for the network,
    hub=None; by default every active hub and the network): this month's MONTHLY snapshot (as
    of the last day of the previous month) and its report, generated and e-mailed to the
    committee. Idempotent: a second run the same month creates and sends nothing more, but
    finishes what an earlier run could not (a failed generation, an e-mail not yet sent). Each
    scope on its own: one that fails is logged, counted as failed, and finished by a later run.
    """
    today = today or timezone.localdate()
    as_of = today.replace(day=1) - timedelta(days=1)
    done = {"snapshots": 0, "reports": 0, "generated": 0, "emailed": 0, "failed": 0}
    scopes = [*Hub.objects.filter(is_active=True).order_by("pk"), None] if hub is EVERY else [hub]
    _done, failed = each_row(
        scopes,
        lambda scope: _monthly_report(scope, as_of, done),
        what="Monthly report of hub (None: network)",
    )
    done["failed"] += failed
    return done


def reports_sweep(*, hub: Hub | None | str = EVERY) -> int:
    """
    Every few minutes (beat: governance/tasks.py queues one task per hub and one for the
    network, hub=None): generate the PENDING reports whose task never ran (broker down), retry
    FAILED ones with fewer than 3 attempts and RUNNING ones whose worker died; a monthly report
    generated here is e-mailed too. Each report on its own. Returns how many were generated.
    """
    now = timezone.now()
    reports = Report.objects.all() if hub is EVERY else Report.objects.filter(hub=hub)
    pending = reports.filter(status=Report.Status.PENDING, created_at__lte=now - PENDING_GRACE)
    failed = reports.filter(status=Report.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
    stale = reports.filter(
        status=Report.Status.RUNNING, created_at__lte=now - STALE_RUNNING, attempts__lt=MAX_ATTEMPTS
    )
    ids = sorted(
        set(pending.values_list("pk", flat=True))
        | set(failed.values_list("pk", flat=True))
        | set(stale.values_list("pk", flat=True))
    )
    generated, _failed = each_row(ids, _report_sweep_one, what="Monitoring report")
    return generated


def _report_sweep_one(report_id: int) -> bool:
    try:
        generated = report_generate(report_id=report_id)
    except Exception:  # FAILED, attempts counted, logged: the next sweep tries again (up to 3)
        return False
    if Report.objects.filter(pk=report_id, snapshot__kind=Snapshot.Kind.MONTHLY).exists():
        report_email(report_id=report_id)
    return generated
