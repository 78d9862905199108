"""
Governance (action 7): targets against the indicators registry, frozen snapshots, the
monitoring reports (PDF) and the reminders of the Cabina di Regia's decisions. One module per
seam; callers import the names from here (`from governance import services`):

- targets: the hub's monitoring plan (project timeline) and the project's targets;
- indicators: `indicator_rows`, the one place where a value meets its target;
- snapshots: frozen rows; reports are rendered from a snapshot only, so a report always says
  what the committee saw "as of" its day;
- reports: request, generate, e-mail, monthly run and beat sweep of the PDF reports;
- decisions: reminders of the committee's decisions, and the writes of meetings, decisions
  and targets from the back office.

Pure helpers live beside the package and are re-exported here: governance/status.py (statuses
along the timeline), governance/masking.py (small counts), governance/selectors.py (reads).

Governance reads the other apps only through the indicators registry (hubs/indicator_registry.py).
Background work is idempotent (a monthly snapshot is unique per hub and month, a report is
generated once and e-mailed once, a decision is reminded once) and runs per hub and per row
(`hubs.tasks.each_row`): one hub, report or decision that fails never stops the others.
"""

from hubs.indicator_registry import REGISTRY  # tests read titles through it

from ..masking import SMALL, SMALL_COUNT, WITHHELD, mask, mask_breakdown, mask_row
from ..selectors import series_key, trends
from ..status import (
    AT_RISK,
    AT_RISK_SHARE,
    BEHIND,
    NO_TARGET,
    NOT_MEASURED,
    ON_TRACK,
    STATUSES,
    expected_value,
    status_counts,
    status_of,
)
from .decisions import decision_remind, decision_save, decisions_remind, meeting_save
from .indicators import compared_value, indicator_rows
from .reports import (
    EVERY,
    MAX_ATTEMPTS,
    PENDING_GRACE,
    STALE_RUNNING,
    ReportError,
    committee_emails,
    report_email,
    report_generate,
    report_request,
    report_retry,
    reports_monthly,
    reports_sweep,
)
from .snapshots import snapshot_take
from .targets import PLAN_TARGETS, load_targets, plan_get, plan_save, target_save

__all__ = [
    "AT_RISK",
    "AT_RISK_SHARE",
    "BEHIND",
    "EVERY",
    "MAX_ATTEMPTS",
    "NOT_MEASURED",
    "NO_TARGET",
    "ON_TRACK",
    "PENDING_GRACE",
    "PLAN_TARGETS",
    "REGISTRY",
    "ReportError",
    "SMALL",
    "SMALL_COUNT",
    "STALE_RUNNING",
    "STATUSES",
    "WITHHELD",
    "committee_emails",
    "compared_value",
    "decision_remind",
    "decision_save",
    "decisions_remind",
    "expected_value",
    "indicator_rows",
    "load_targets",
    "mask",
    "mask_breakdown",
    "mask_row",
    "meeting_save",
    "plan_get",
    "plan_save",
    "report_email",
    "report_generate",
    "report_request",
    "report_retry",
    "reports_monthly",
    "reports_sweep",
    "series_key",
    "snapshot_take",
    "status_counts",
    "status_of",
    "target_save",
    "trends",
]
