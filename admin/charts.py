"""Server-rendered SVG charts: no script, no inline style (colours come from admin/static/admin.css),
readable by screen readers and printable.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>`` that says
in words what the chart shows; the page puts the chart's data table right after it, so every number
drawn is also there as text. Lines differ by dash pattern as well as colour.
"""

import datetime as dt
from collections.abc import Callable
from html import escape

from markupsafe import Markup

WIDTH = 720


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'preserveAspectRatio="xMinYMin meet" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, cls: str = "chart-text", anchor: str = "start") -> str:
    return f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{escape(text)}</text>'


def _short(text: str, most: int = 30) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def bar_chart(chart_id: str, title: str, desc: str, items: list[tuple[str, int]], value_text: Callable[[int], str]) -> Markup:
    """Horizontal bars, one per item (label, value); negative values draw no bar."""
    row, top, label_w = 30, 10, 230
    height = top + row * max(1, len(items)) + 10
    peak = max([v for _, v in items] + [1])
    bar_w = WIDTH - label_w - 130
    parts = _open(chart_id, title, desc, height)
    for i, (label, value) in enumerate(items):
        y = top + i * row
        width = max(0.0, bar_w * value / peak)
        parts.append(_text(label_w - 8, y + 19, _short(label), anchor="end"))
        parts.append(f'<rect class="chart-bar" x="{label_w}" y="{y + 5}" width="{width:.1f}" height="{row - 10}"/>')
        parts.append(_text(label_w + width + 6, y + 19, value_text(value)))
    parts.append(f'<line class="chart-axis" x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - 10}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(chart_id: str, title: str, desc: str, items: list[tuple[str, int]], value_text: Callable[[int], str]) -> Markup:
    """Vertical columns over time (label under each, value above it)."""
    height, bottom, top, left = 300, 40, 30, 10
    plot_h = height - bottom - top
    slot = (WIDTH - 2 * left) / max(1, len(items))
    peak = max([v for _, v in items] + [1])
    parts = _open(chart_id, title, desc, height)
    for i, (label, value) in enumerate(items):
        x = left + i * slot
        h = max(0.0, plot_h * value / peak)
        parts.append(f'<rect class="chart-bar" x="{x + slot * 0.15:.1f}" y="{top + plot_h - h:.1f}" '
                     f'width="{slot * 0.7:.1f}" height="{h:.1f}"/>')
        if len(items) <= 14:
            parts.append(_text(x + slot / 2, top + plot_h - h - 6, value_text(value), "chart-text chart-small", "middle"))
        if len(items) <= 14 or i % max(1, len(items) // 12) == 0:
            parts.append(_text(x + slot / 2, height - bottom + 18, label, "chart-text chart-small", "middle"))
    parts.append(f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{WIDTH - left}" y2="{top + plot_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


class Series:
    """One line of a line chart: its CSS class (colour and dash), its name for the legend, and its
    points as (date, cents)."""

    def __init__(self, css: str, name: str, points: list[tuple[dt.date, int]]) -> None:
        self.css, self.name, self.points = css, name, points


def burn_down_chart(chart_id: str, title: str, desc: str, start: dt.date, end: dt.date, granted_cents: int,
                    series: list[Series], date_text: Callable[[dt.date], str], value_text: Callable[[int], str]) -> Markup:
    """Money left on a line over its decision period: a line per series, a legend below."""
    height, left, right, top, bottom = 300, 90, 20, 16, 70
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    days = max(1, (end - start).days)
    peak = max([granted_cents, 1] + [v for s in series for _, v in s.points])

    def xy(day: dt.date, cents: int) -> tuple[float, float]:
        x = left + plot_w * min(max((day - start).days, 0), days) / days
        y = top + plot_h * (1 - max(cents, 0) / peak)
        return x, y

    parts = _open(chart_id, title, desc, height)
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line class="chart-grid" x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}"/>')
        parts.append(_text(left - 6, y + 4, value_text(round(peak * fraction)), "chart-text chart-small", "end"))
    for day in (start, start + (end - start) / 2, end):
        x, _ = xy(day, 0)
        parts.append(_text(x, top + plot_h + 18, date_text(day), "chart-text chart-small", "middle"))
    for s in series:
        if not s.points:
            continue
        coords = " ".join("{:.1f},{:.1f}".format(*xy(d, v)) for d, v in s.points)
        parts.append(f'<polyline class="chart-line {s.css}" points="{coords}"/>')
    for i, s in enumerate(series):
        x = left + i * 200
        y = height - 16
        parts.append(f'<line class="chart-line {s.css}" x1="{x}" y1="{y - 4}" x2="{x + 30}" y2="{y - 4}"/>')
        parts.append(_text(x + 36, y, s.name, "chart-text chart-small"))
    parts.append(f'<line class="chart-axis" x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def paired_bar_chart(chart_id: str, title: str, desc: str, names: tuple[str, str],
                     items: list[tuple[str, tuple[float | None, float | None, float | None],
                                       tuple[float | None, float | None, float | None]]],
                     value_text: Callable[[float], str]) -> Markup:
    """Two horizontal bars per item — the first filled, the second outlined (told apart by more than
    colour) — each with its interval as a line with end ticks. ``items``: (label, (value, low, high)
    of the first, the same of the second); a missing value draws nothing and says "–". Bars start
    at zero, so a negative value (a change) runs to the left of the zero line."""
    label_w, top, pair, gap = 200, 34, 44, 14
    height = top + (pair + gap) * max(1, len(items)) + 10
    plot_x, plot_w = label_w + 10, WIDTH - label_w - 110
    numbers = [v for _, a, b in items for v in (*a, *b) if v is not None] + [0.0]
    low, high = min(numbers), max(numbers)
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return plot_x + plot_w * (value - low) / span

    parts = _open(chart_id, title, desc, height)
    parts.append(f'<rect class="chart-bar" x="{plot_x}" y="8" width="14" height="14"/>')
    parts.append(_text(plot_x + 20, 20, names[0]))
    parts.append(f'<rect class="chart-bar-alt" x="{plot_x + 220}" y="8" width="14" height="14"/>')
    parts.append(_text(plot_x + 240, 20, names[1]))
    for i, (label, *sides) in enumerate(items):
        y0 = top + i * (pair + gap)
        parts.append(_text(label_w - 6, y0 + pair / 2 + 5, _short(label, 26), anchor="end"))
        for j, (value, lo, hi) in enumerate(sides):
            y = y0 + j * (pair / 2)
            if value is None:
                parts.append(_text(x(0) + 6, y + 15, "–", "chart-text chart-small"))
                continue
            left, right = sorted((x(0), x(value)))
            parts.append(f'<rect class="{"chart-bar" if j == 0 else "chart-bar-alt"}" x="{left:.1f}" y="{y + 3}" '
                         f'width="{max(1.0, right - left):.1f}" height="{pair / 2 - 6:.1f}"/>')
            if lo is not None and hi is not None:
                mid = y + pair / 4
                parts.append(f'<line class="chart-whisker" x1="{x(lo):.1f}" y1="{mid:.1f}" x2="{x(hi):.1f}" y2="{mid:.1f}"/>')
                for end in (lo, hi):
                    parts.append(f'<line class="chart-whisker" x1="{x(end):.1f}" y1="{mid - 5:.1f}" x2="{x(end):.1f}" y2="{mid + 5:.1f}"/>')
            parts.append(_text(max(right, x(hi) if hi is not None else right) + 6, y + 15, value_text(value),
                               "chart-text chart-small"))
    parts.append(f'<line class="chart-axis" x1="{x(0):.1f}" y1="{top - 4}" x2="{x(0):.1f}" y2="{height - 6}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))
