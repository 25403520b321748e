"""What the templates draw: charts made from figures, their words, and tables for CSV export."""

import datetime as dt
from typing import Any

from markupsafe import Markup

from admin import charts, domain
from admin.dashboard import Dashboard
from admin.figures import Column, Figure, shown
from admin.followup import ClientSummary, ClientView, short_date
from core import i18n

# The dashboard's figures in page order, and the chart drawn for each (None: a table only).
DASHBOARD_ORDER = [
    ("over_time", "columns"), ("by_category", "bars"), ("kinds", "bars"), ("by_group", "bars"),
    ("by_provider", "bars"), ("by_municipality", "bars"), ("by_service_municipality", "bars"), ("budget", None), ("cost_effectiveness", None),
    ("outcomes_category", None), ("outcomes_provider", None), ("free_use", None),
]
MAX_BARS = 15


def _bars_desc(figure: Figure, items: list[tuple[str, int]], lang: str) -> str:
    if not items:
        return i18n.t("admin.chart.no_data", lang)
    total = figure.total["net_cents"] if figure.total else sum(v for _, v in items)
    label, value = max(items, key=lambda item: item[1])
    return i18n.t("admin.chart.bars_desc", lang, n=len(figure.rows), top=label, money=i18n.money(value, lang),
                  total=i18n.money(total, lang))


def dashboard_charts(board: Dashboard, lang: str) -> dict[str, Markup]:
    out: dict[str, Markup] = {}
    money = lambda cents: i18n.money(cents, lang)  # noqa: E731
    for fid, kind in DASHBOARD_ORDER:
        figure = board.figures[fid]
        title = i18n.t(figure.title, lang)
        if kind == "columns":
            items = [(i18n.month_label(r["month"], lang), r["net_cents"]) for r in figure.rows]
            peak = max(figure.rows, key=lambda r: r["net_cents"], default=None)
            desc = i18n.t("admin.chart.months_desc", lang, months=len(items),
                          top=shown("month", peak["month"], lang) if peak else "", money=money(peak["net_cents"] if peak else 0),
                          total=money(figure.total["net_cents"]))
            out[fid] = charts.column_chart(f"chart-{fid}", title, desc, items, money)
        elif kind == "bars":
            value_key = "net_cents"
            items = [(r["label"], r[value_key]) for r in figure.rows[:MAX_BARS]]
            out[fid] = charts.bar_chart(f"chart-{fid}", title, _bars_desc(figure, items, lang), items, money)
    return out


def client_charts(view: ClientView, lang: str) -> dict[str, dict[str, Any]]:
    """Per line: the burn-down chart and its data table (weekly points, today, the forecast)."""
    out: dict[str, dict[str, Any]] = {}
    for line in view.lines:
        points = view.burn_down.get(line.line_id, [])
        f = line.forecast
        series = [
            charts.Series("chart-ideal", i18n.t("admin.burn.even", lang), [(line.start, line.granted_cents), (line.end, 0)]),
            charts.Series("chart-actual", i18n.t("admin.burn.actual", lang), points),
        ]
        forecast_points: list[tuple[dt.date, int]] = []
        if f.remaining_days > 0 and view.today >= line.start:
            left_now = line.granted_cents - f.used_cents
            forecast_points = [(view.today, left_now)]
            if f.runs_out_on is not None:
                forecast_points.append((f.runs_out_on, 0))
            else:
                forecast_points.append((line.end, f.forecast_unused_cents))
            series.append(charts.Series("chart-forecast", i18n.t("admin.burn.forecast", lang), forecast_points))
        desc = i18n.t("admin.chart.burn_desc", lang, granted=i18n.money(line.granted_cents, lang),
                      left=i18n.money(line.granted_cents - line.spent_cents, lang),
                      date=short_date(view.today, lang)) + " " + line.sentence
        chart = charts.burn_down_chart(
            f"burn-{line.line_id}", i18n.t("admin.burn.title", lang, line=line.name), desc, line.start, line.end,
            line.granted_cents, series, lambda d: short_date(d, lang), lambda c: i18n.money(c, lang),
        )
        weekly = [p for p in points if (p[0] - line.start).days % 7 == 0]
        if points and (not weekly or weekly[-1] != points[-1]):
            weekly.append(points[-1])
        rows = [{"day": d, "left": v, "kind": i18n.t("admin.burn.actual", lang)} for d, v in domain.thin(weekly, 16)]
        rows += [{"day": d, "left": v, "kind": i18n.t("admin.burn.forecast", lang)} for d, v in forecast_points[1:]]
        out[line.line_id] = {"chart": chart, "rows": rows}
    return out


def caseload_figure(clients: list[ClientSummary]) -> Figure:
    rows = []
    for c in clients:
        for line in c.lines or [None]:
            rows.append({
                "key": c.id, "client": c.display_name, "group": c.group_name,
                "category": line.name if line else "", "granted_cents": line.granted_cents if line else None,
                "held_cents": line.held_cents if line else None, "spent_cents": line.spent_cents if line else None,
                "available_cents": line.available_cents if line else None,
                "daily_cents": line.forecast.daily_rate_cents if line else None,
                "runs_out_on": line.forecast.runs_out_on if line else None,
                "forecast_unused_cents": line.forecast.forecast_unused_cents if line else None,
                "end": line.end if line else None, "sentence": line.sentence if line else "",
            })
    return Figure(id="caseload", title="admin.caseload.title", rows=rows, columns=[
        Column("key", "admin.col.key"), Column("client", "admin.col.client"), Column("group", "admin.col.client_group"),
        Column("category", "admin.col.category"), Column("granted_cents", "admin.col.granted", "money"),
        Column("held_cents", "admin.col.held", "money"), Column("spent_cents", "admin.col.spent", "money"),
        Column("available_cents", "admin.col.available", "money"), Column("daily_cents", "admin.col.daily", "money"),
        Column("runs_out_on", "admin.col.runs_out_on", "date"),
        Column("forecast_unused_cents", "admin.col.forecast_unused", "money"), Column("end", "admin.col.end", "date"),
        Column("sentence", "admin.col.pace"),
    ])


def evidence_facts(flag: dict, lang: str) -> list[tuple[str, str]]:
    """The flag's evidence as (label, value) pairs in the reader's language."""
    out = []
    for name, value in (flag.get("evidence") or {}).get("facts", {}).items():
        label = i18n.t(f"admin.evidence.{name}", lang)
        if value is None or value == "":
            text = "–"
        elif name.endswith("_cents"):
            text = i18n.money(int(value), lang)
        elif name.endswith("_at"):
            text = i18n.local_datetime(dt.datetime.fromisoformat(value), lang)
        elif name == "day":
            text = i18n.local_date(dt.date.fromisoformat(value), lang)
        elif name in ("quantity_source", "matched_by", "source", "unit"):
            key = f"admin.evidence.{name}.{value}"
            text = i18n.t(key, lang) if i18n.has(key) else str(value)
        else:
            text = str(value)
        out.append((label, text))
    return out
