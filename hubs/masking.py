"""
Small counts of people as aggregate-only viewers (and the committee's PDF) see them: "< 5",
and "*" where a total or the other entries would give a small count away. Pure functions.
"""

from decimal import Decimal

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
