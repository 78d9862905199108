"""
Small inline SVG charts for the monitoring report (PDF): a hand-written builder, no library.

`trend_chart` draws one indicator's monthly values (from `services.trends`) as a line with
dots, its target as a dashed line, and labels the first and last months and the last value,
so that it reads without colour. Values that are None (not measured that month) are gaps.
"""

from html import escape

from django.utils.safestring import mark_safe

INK, MUTED, LINE, TARGET, GRID = "#1a1a1a", "#5c6f82", "#0066cc", "#995c00", "#d9dadb"


def _n(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _month_label(month: str) -> str:
    """ "2023-04" → "04/23" """
    year, number = month.split("-")
    return f"{number}/{year[2:]}"


def trend_chart(
    points: list[tuple[str, float | None]],
    *,
    target: float | None = None,
    width: int = 190,
    height: int = 44,
    label: str = "",
    fmt=_n,
) -> str:
    """
    A line chart of (month "YYYY-MM", value) points, oldest first, in a `width` × `height`
    box (CSS px). Returns safe SVG markup; an empty string when no month has a value.
    """
    values = [value for _month, value in points if value is not None]
    if not values:
        return ""
    top, bottom, left, right = 6, 12, 4, 38
    plot_w, plot_h = width - left - right, height - top - bottom
    high = max(values + ([target] if target else []))
    high = high if high > 0 else 1
    count = len(points)

    def x(index):
        return left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value):
        return top + plot_h - plot_h * value / high

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">',
        f'<line x1="{left}" y1="{_n(y(0))}" x2="{left + plot_w}" y2="{_n(y(0))}" '
        f'stroke="{GRID}" stroke-width="1"/>',
    ]
    if target:
        parts.append(
            f'<line x1="{left}" y1="{_n(y(target))}" x2="{left + plot_w}" y2="{_n(y(target))}" '
            f'stroke="{TARGET}" stroke-width="1" stroke-dasharray="3 2"/>'
            f'<text x="{left + plot_w + 3}" y="{_n(y(target) + 3)}" font-size="7.5" '
            f'fill="{TARGET}">◎ {escape(fmt(target))}</text>'
        )
    segment: list[str] = []
    segments = [segment]
    for index, (_month, value) in enumerate(points):
        if value is None:
            segment = []
            segments.append(segment)
            continue
        segment.append(f"{_n(x(index))},{_n(y(value))}")
    for line in segments:
        if len(line) > 1:
            parts.append(
                f'<polyline points="{" ".join(line)}" fill="none" stroke="{LINE}" '
                f'stroke-width="1.5" stroke-linejoin="round"/>'
            )
    for index, (_month, value) in enumerate(points):
        if value is not None:
            parts.append(f'<circle cx="{_n(x(index))}" cy="{_n(y(value))}" r="1.8" fill="{LINE}"/>')
    last_index = max(i for i, (_m, v) in enumerate(points) if v is not None)
    last = points[last_index][1]
    label_y = y(last) + 3
    if target and abs(label_y - (y(target) + 3)) < 8:  # keep clear of the target's label
        label_y = y(target) + 3 + (8 if y(target) < top + plot_h / 2 else -8)
    parts.append(
        f'<text x="{_n(x(last_index) + 4)}" y="{_n(label_y)}" font-size="7.5" '
        f'font-weight="bold" fill="{INK}">{escape(fmt(last))}</text>'
    )
    baseline = height - 3
    parts.append(
        f'<text x="{left}" y="{baseline}" font-size="7" fill="{MUTED}">{_month_label(points[0][0])}</text>'
    )
    if count > 1:
        parts.append(
            f'<text x="{left + plot_w}" y="{baseline}" font-size="7" fill="{MUTED}" '
            f'text-anchor="end">{_month_label(points[-1][0])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
