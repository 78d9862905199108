"""
Governance (action 7): targets against the indicators registry, frozen snapshots, the
monitoring reports (PDF) and the reminders of the Cabina di Regia's decisions.

Governance reads the other apps only through the indicators registry (hubs/indicator_registry.py).

- `indicator_rows` is the one place where a value meets its target: every row carries the
  value, the target, the value expected by that day along the project timeline, and a status.
  An indicator whose app does not exist yet is "not_measured" (value None), never zero.
- A snapshot freezes those rows (`Snapshot.rows`, written once). Reports are rendered from a
  snapshot only, so a report always says what the committee saw "as of" its day.
- Background work is idempotent: a monthly snapshot is unique per hub and month, a report is
  generated once (READY), e-mailed once (`emailed_at` commits with the stored e-mails), a
  decision is reminded once (`reminded_at`). When the broker is down nothing fails: the beat
  sweep (`reports_sweep`) picks up what was left PENDING.
- Periodic work runs per hub (beat queues one task per hub, governance/tasks.py) and per row
  (`hubs.tasks.each_row`): one hub, report or decision that fails never stops the others.
"""

import logging
import traceback
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Min, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hubs.capabilities import roles_with
from hubs.indicator_registry import REGISTRY, sharing
from hubs.models import Hub, Membership
from hubs.tasks import each_row
from people.mail import mail_send

from . import tasks
from .models import Decision, MonitoringPlan, Report, Snapshot, Target

logger = logging.getLogger(__name__)

NOT_MEASURED, NO_TARGET = "not_measured", "no_target"
ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"
STATUSES = (ON_TRACK, AT_RISK, BEHIND, NOT_MEASURED, NO_TARGET)
AT_RISK_SHARE = 0.75  # at risk from 75 % of the expected value, behind under it
MAX_ATTEMPTS = 3  # generation attempts before a report is left FAILED for a person to look at
STALE_RUNNING = timedelta(minutes=30)  # a RUNNING report this old lost its worker
PENDING_GRACE = timedelta(minutes=1)  # the queued task normally gets there first


# --- Targets and the timeline ------------------------------------------------------------------


def plan_get(*, hub) -> MonitoringPlan:
    """
    The hub's project timeline, created with the project's dates (April 2022 – October 2023)
    the first time it is asked for. For the network (hub=None) an unsaved plan with those
    default dates.
    """
    if hub is None:
        return MonitoringPlan()
    plan, _created = MonitoringPlan.objects.get_or_create(hub=hub)
    return plan


def expected_value(*, target: float, starts_on: date, ends_on: date, as_of: date) -> float:
    """Where a target should be on `as_of`, linear along the timeline: 0 before, target after."""
    target = float(target)
    if as_of <= starts_on:
        return 0.0
    if as_of >= ends_on:
        return target
    return target * (as_of - starts_on).days / (ends_on - starts_on).days


def status_of(*, value: float | None, target: float | None, expected: float | None) -> str:
    """
    "not_measured" when there is no value (the indicator's app does not exist yet),
    "no_target" when there is no target, else "on_track" (value ≥ expected), "at_risk"
    (≥ 75 % of expected) or "behind".
    """
    if value is None:
        return NOT_MEASURED
    if target is None or expected is None:
        return NO_TARGET
    if value >= expected:
        return ON_TRACK
    if value >= AT_RISK_SHARE * expected:
        return AT_RISK
    return BEHIND


# The targets of the project plan: (key, part, action, title, target, notes). Titles and notes are
# stored in the portal's language when a hub's targets are loaded.
PLAN_TARGETS = (
    (
        "hubs.antennas_active",
        "",
        2,
        gettext_noop("Antennas and local points active"),
        8,
        gettext_noop("Antennas, local points and local centres of the online desk IG 4.0."),
    ),
    (
        "pacts.pacts",
        "",
        3,
        gettext_noop("Youth pacts signed"),
        8,
        gettext_noop("One youth pact per sub-area of the Piano di Zona."),
    ),
    (
        "jobclub.paths_technical",
        "",
        4,
        gettext_noop("Job Club paths in technical and vocational schools"),
        12,
        gettext_noop("12 paths of 20 hours each."),
    ),
    (
        "jobclub.paths_licei",
        "",
        4,
        gettext_noop("Job Club paths for mixed licei groups"),
        3,
        gettext_noop("3 paths of 20 hours each."),
    ),
    (
        "placements.paths_completed",
        "",
        5,
        gettext_noop("Together We Work paths completed"),
        10,
        gettext_noop("At least 10 personalised paths of 3 to 24 hours."),
    ),
    (
        "jobfair.fairs",
        "",
        6,
        gettext_noop("Job fairs held"),
        1,
        gettext_noop("Il futuro è oggi — Job Fair del Cremasco."),
    ),
    (
        "jobfair.focus_areas",
        "",
        6,
        gettext_noop("Focus areas of the job fair"),
        4,
        gettext_noop(
            "Care professions, cosmetics supply chain, smart jobs, youth unlock after the pandemic."
        ),
    ),
)


def load_targets(hub: Hub) -> int:
    """
    Give the hub the targets of the project plan (and its timeline). Idempotent: a target that
    exists (same indicator and part) is left as the hub set it. Returns how many were created.
    """
    plan_get(hub=hub)
    existing = set(Target.objects.for_hub(hub).values_list("indicator_key", "part"))
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for position, (key, part, action, title, value, notes) in enumerate(PLAN_TARGETS):
            if (key, part) in existing:
                continue
            Target.objects.create(
                hub=hub,
                indicator_key=key,
                part=part,
                action=action,
                title=_(title),
                value=Decimal(value),
                notes=_(notes),
                position=position,
            )
            created += 1
    return created


# --- Indicator rows -----------------------------------------------------------------------------


def _json_safe(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def compared_value(value, part: str = "") -> float | None:
    """The number set against a target: value[part] of a breakdown, its sum without a part."""
    if value is None:
        return None
    if isinstance(value, dict):
        if part:
            return float(value.get(part) or 0)
        return float(sum(v for v in value.values() if isinstance(v, int | float | Decimal)))
    return float(value)


def _targets(hub) -> list[dict]:
    """The hub's targets, or (hub=None) the sum of the active hubs' targets per indicator and part."""
    if hub is not None:
        return [
            {
                "key": t.indicator_key,
                "part": t.part,
                "action": t.action,
                "title": t.title,
                "value": float(t.value),
            }
            for t in Target.objects.for_hub(hub)
        ]
    rows = (
        Target.objects.filter(hub__is_active=True)
        .values("indicator_key", "part")
        .annotate(total=Sum("value"), action=Min("action"), title=Min("title"), position=Min("position"))
        .order_by("action", "position", "indicator_key", "part")
    )
    return [
        {
            "key": r["indicator_key"],
            "part": r["part"],
            "action": r["action"],
            "title": r["title"],
            "value": float(r["total"]),
        }
        for r in rows
    ]


def indicator_rows(*, hub, as_of: date | None = None) -> list[dict]:
    """
    Every indicator against its target for the hub (None: the whole network), over the period
    from the start of the project timeline to `as_of` (default today).

    One row per target (ordered by action and position), then one row per registered
    indicator without a target. A row is a JSON-safe dict:
    key, part, action, title (str), unit, personal, link (URL name or None),
    value (number, dict or None when not measured), measured, target, expected,
    compared (the number set against the target), status.

    Queries: the indicator functions' own, plus the plan and the targets.
    """
    as_of = as_of or timezone.localdate()
    plan = plan_get(hub=hub)
    start = plan.starts_on
    values: dict[str, object] = {}

    def value_of(key):
        if key not in values:
            item = REGISTRY.get(key)
            values[key] = None if item is None else _json_safe(item.compute(hub, start, as_of))
        return values[key]

    with sharing():  # indicators reading the same grouped query run it once
        return _rows(hub, plan, as_of, value_of)


def _rows(hub, plan, as_of, value_of) -> list[dict]:
    rows, targeted = [], set()
    for target in _targets(hub):
        key, part = target["key"], target["part"]
        targeted.add(key)
        item = REGISTRY.get(key)
        value = value_of(key)
        compared = compared_value(value, part)
        expected = round(
            expected_value(
                target=target["value"], starts_on=plan.starts_on, ends_on=plan.ends_on, as_of=as_of
            ),
            2,
        )
        rows.append(
            {
                "key": key,
                "part": part,
                "action": target["action"],
                "title": str(target["title"]),
                "unit": item.unit if item else "count",
                "personal": bool(item and item.personal),
                "link": item.link if item else None,
                "value": value,
                "measured": item is not None,
                "target": target["value"],
                "expected": expected,
                "compared": compared,
                "status": status_of(value=compared, target=target["value"], expected=expected),
            }
        )
    extra = sorted(
        (item for key, item in REGISTRY.items() if key not in targeted),
        key=lambda item: (item.action, item.key),
    )
    for item in extra:
        value = value_of(item.key)
        rows.append(
            {
                "key": item.key,
                "part": "",
                "action": item.action,
                "title": str(item.title),
                "unit": item.unit,
                "personal": item.personal,
                "link": item.link,
                "value": value,
                "measured": True,
                "target": None,
                "expected": None,
                "compared": compared_value(value),
                "status": NO_TARGET,
            }
        )
    return rows


SMALL = 5  # counts of people from 1 to SMALL - 1 are not shown to aggregate-only viewers
SMALL_COUNT = "< 5"  # what they see instead
WITHHELD = "*"  # an entry hidden so that a small count cannot be worked out from the total


def mask(value, *, personal: bool):
    """
    What steering and network viewers see: a count of people from 1 to 4 becomes "< 5"
    (0 stays 0); a breakdown is masked with `mask_breakdown`. Non-personal values are unchanged.
    """
    if not personal or value is None:
        return value
    if isinstance(value, dict):
        return mask_breakdown(value)
    if isinstance(value, int | float | Decimal) and 0 < value < SMALL:
        return SMALL_COUNT
    return value


def mask_breakdown(value: dict) -> dict:
    """
    A breakdown of people as aggregate-only viewers see it, beside its total (which they see,
    since targets are measured against it). The statistical offices' rule of primary and
    secondary cell suppression (as in Eurostat's and ISTAT's tables), checked against a reader
    who knows this rule:

    - primary: every entry from 1 to 4 is written "< 5";
    - secondary: while the total and the entries still shown would let someone work out a
      hidden entry exactly (total 10, "F: 8", "M: < 5" gives M = 2), the next smallest entry is
      hidden too, written "*" (so a "*" is at least 5, and at most the smallest entry shown);
    - a breakdown of fewer than five people in all (its total reads "< 5"), or one that even
      hiding every entry cannot protect (total 6 = 1 + 5), shows every entry, zeros included,
      as "*".
    """
    numbers = {label: float(n) for label, n in value.items() if isinstance(n, int | float | Decimal)}
    small = {label for label, n in numbers.items() if 0 < n < SMALL}
    if not small:
        return dict(value)
    larger = sorted((label for label, n in numbers.items() if n >= SMALL), key=lambda label: numbers[label])
    withheld = set()
    while not _suppression_holds(numbers, small, withheld):
        if not larger:
            return {label: WITHHELD if label in numbers else n for label, n in value.items()}
        withheld.add(larger.pop(0))
    return {
        label: SMALL_COUNT if label in small else WITHHELD if label in withheld else n
        for label, n in value.items()
    }


def _suppression_holds(numbers: dict, small: set, withheld: set) -> bool:
    """
    Whether every hidden entry can still take at least two values, given the total, the
    entries shown and each hidden entry's bounds. Never when the total is under five.
    """
    total = sum(numbers.values())
    if total < SMALL:
        return False
    shown = [n for label, n in numbers.items() if label not in small and label not in withheld]
    cap = min((n for n in shown if n), default=float("inf"))  # a "*" is never above what is shown
    bounds = [(1, SMALL - 1)] * len(small) + [(SMALL, cap)] * len(withheld)
    hidden = total - sum(shown)
    for index, (low, high) in enumerate(bounds):
        others = bounds[:index] + bounds[index + 1 :]
        least = max(low, hidden - sum(other_high for _low, other_high in others))
        most = min(high, hidden - sum(other_low for other_low, _high in others))
        if most <= least:
            return False
    return True


def mask_row(row: dict) -> tuple:
    """
    What aggregate-only viewers see of an indicator row: (the number set against the target,
    the breakdown or None). A breakdown's part is taken from the masked breakdown, so a part
    never shows an entry that the breakdown hides.
    """
    value, compared = row.get("value"), row.get("compared")
    personal = bool(row.get("personal"))
    if not isinstance(value, dict):
        return mask(compared, personal=personal), None
    breakdown = mask(value, personal=personal)
    part = row.get("part")
    if personal and part and isinstance(breakdown.get(part), str):
        return breakdown[part], breakdown
    return mask(compared, personal=personal), breakdown


def status_counts(rows: list[dict]) -> dict[str, int]:
    """How many rows with a target are on track, at risk, behind, not yet measured."""
    counts = dict.fromkeys((ON_TRACK, AT_RISK, BEHIND, NOT_MEASURED), 0)
    for row in rows:
        if row["status"] in counts and (row["target"] is not None):
            counts[row["status"]] += 1
    return counts


# --- Snapshots ---------------------------------------------------------------------------------


def snapshot_take(
    *, hub, kind: str = Snapshot.Kind.ON_DEMAND, as_of: date | None = None, by=None
) -> Snapshot:
    """
    Freeze `indicator_rows` of the hub (None: the network) as of a day. Titles are stored in
    the portal's language. A MONTHLY snapshot is unique per hub and month: asking again (even
    concurrently) returns the one taken first.
    """
    as_of = as_of or timezone.localdate()
    month = as_of.replace(day=1)
    monthly = Snapshot.objects.filter(hub=hub, kind=Snapshot.Kind.MONTHLY, month=month)
    if kind == Snapshot.Kind.MONTHLY:
        existing = monthly.first()
        if existing is not None:
            return existing
    with translation.override(settings.LANGUAGE_CODE):
        rows = indicator_rows(hub=hub, as_of=as_of)
    try:
        with transaction.atomic():
            return Snapshot.objects.create(
                hub=hub, kind=kind, as_of=as_of, month=month, rows=rows, created_by=by
            )
    except IntegrityError:
        if kind != Snapshot.Kind.MONTHLY:
            raise
        return monthly.get()  # a concurrent run took it first


def series_key(row: dict) -> str:
    return f"{row['key']}:{row['part']}" if row.get("part") else row["key"]


def trends(
    *, hub, months: int = 12, as_of: date | None = None, masked: bool = False
) -> dict[str, list[tuple[str, float | str | None]]]:
    """
    The compared value of every indicator in the last `months` MONTHLY snapshots of the hub
    (None: the network) up to `as_of`, oldest first: {"<key>" or "<key>:<part>": [("YYYY-MM",
    value or None), …]}. A key missing from a snapshot (or not measured then) gives None.
    `masked`: each value as aggregate-only viewers see it (`mask_row`), e.g. "< 5".
    """
    snapshots = Snapshot.objects.filter(hub=hub, kind=Snapshot.Kind.MONTHLY)
    if as_of is not None:
        snapshots = snapshots.filter(as_of__lte=as_of)
    snapshots = list(snapshots.order_by("-month").only("month", "rows")[:months])[::-1]
    columns = [
        (
            snapshot.month.strftime("%Y-%m"),
            {series_key(row): mask_row(row)[0] if masked else row.get("compared") for row in snapshot.rows},
        )
        for snapshot in snapshots
    ]
    keys = dict.fromkeys(key for _label, values in columns for key in values)
    return {key: [(label, values.get(key)) for label, values in columns] for key in keys}


# --- Reports -----------------------------------------------------------------------------------


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
    from . import report as rendering

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


def _link(name: str, **kwargs) -> str | None:
    try:
        return settings.SITE_URL + reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


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
            "url": _link("governance:dashboard", hub_slug=report.hub.slug) if report.hub else None,
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


# --- Decisions ---------------------------------------------------------------------------------


def _decision_recipients(decision: Decision) -> list[str]:
    owner = decision.owner
    if owner is not None and owner.is_active and owner.email:
        return [owner.email]
    return sorted(
        set(
            Membership.objects.for_hub(decision.hub)
            .filter(role__in=roles_with("governance.remind_unowned_decisions"), is_active=True)
            .filter(user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )


def decision_remind(*, decision_id: int, today: date | None = None) -> bool:
    """Remind one open decision's owner (or the hub's coordinators) of its due date, once."""
    today = today or timezone.localdate()
    with transaction.atomic():
        decision = (
            Decision.objects.select_for_update(of=("self",))
            .select_related("owner", "hub", "meeting")
            .get(pk=decision_id)
        )
        if decision.status != Decision.Status.OPEN or decision.reminded_at is not None:
            return False
        recipients = _decision_recipients(decision)
        if recipients:
            mail_send(
                to=recipients,
                template="governance/email/decision",
                context={
                    "decision": decision,
                    "hub": decision.hub,
                    "meeting": decision.meeting,
                    "overdue": decision.due_on < today,
                    "days": (decision.due_on - today).days,
                    "portal": settings.PORTAL_NAME,
                    "url": _link("governance:dashboard", hub_slug=decision.hub.slug),
                },
                language=settings.LANGUAGE_CODE,
                reply_to=decision.hub.email,
            )
        decision.reminded_at = timezone.now()
        decision.save(update_fields=["reminded_at"])
        return bool(recipients)


def decisions_remind(*, hub: Hub | str = EVERY, today: date | None = None, days_ahead: int = 7) -> int:
    """
    Daily (beat: one task per active hub): every open decision of the hub (by default of every hub)
    due within `days_ahead` days (or overdue) and not reminded yet gets one e-mail to its owner
    (else to the hub's coordinators). Each decision on its own: one that fails is logged, stays
    unreminded and is tried again the next day. Returns how many were sent.
    """
    today = today or timezone.localdate()
    due = Decision.objects.filter(
        status=Decision.Status.OPEN,
        reminded_at__isnull=True,
        hub__is_active=True,
        due_on__lte=today + timedelta(days=days_ahead),
    )
    if hub is not EVERY:
        due = due.for_hub(hub)
    sent, _failed = each_row(
        list(due.order_by("pk").values_list("pk", flat=True)),
        lambda pk: decision_remind(decision_id=pk, today=today),
        what="Decision reminder",
    )
    return sent
