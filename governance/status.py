"""
Where a value stands against its target along the project timeline: the statuses, the value
expected by a day, and how many rows are in each status. Pure functions, no database.
"""

from datetime import date

NOT_MEASURED, NO_TARGET = "not_measured", "no_target"


ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"


STATUSES = (ON_TRACK, AT_RISK, BEHIND, NOT_MEASURED, NO_TARGET)


AT_RISK_SHARE = 0.75  # at risk from 75 % of the expected value, behind under it


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


def status_counts(rows: list[dict]) -> dict[str, int]:
    """How many rows with a target are on track, at risk, behind, not yet measured."""
    counts = dict.fromkeys((ON_TRACK, AT_RISK, BEHIND, NOT_MEASURED), 0)
    for row in rows:
        if row["status"] in counts and (row["target"] is not None):
            counts[row["status"]] += 1
    return counts
