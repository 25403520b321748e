"""A budget line's pace: at the rate money has gone so far, when does it run out and how much is
left at the end of the decision period — and the alerts a counsellor should see.

``forecast`` says it of one line (pure). The organiser console needs the same for every line of a
county (tens of thousands), so ``totals`` and ``lines_with_alerts_sql`` say exactly the same in SQL
over the voucher's lines, without carrying the lines to Python; tests/admin checks that the sums
equal ``forecast`` line by line. Both stay here, beside each other: change one, change the other.

Money stays integer cents; a daily rate is a fraction only inside a calculation and is rounded
half up once for display.
"""

import datetime as dt
import math
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import db
from core.ids import require_uuid

# A line "lies unused" when nothing has been used after a fifth (1 / UNUSED_AFTER_PARTS) of its
# period and at least UNUSED_MIN_DAYS days: the counsellor should ask why. It is "underused" when,
# after that, more than half of it would be left at the end at this pace. (Integer rules, so the
# SQL below says exactly the same.)
UNUSED_AFTER_PARTS = 5
UNUSED_MIN_DAYS = 30


class LineFigures(msgspec.Struct, frozen=True, kw_only=True):
    granted_cents: int
    held_cents: int
    spent_cents: int
    start: dt.date
    end: dt.date


class Forecast(msgspec.Struct, frozen=True, kw_only=True):
    used_cents: int  # spent + held: money no longer available
    available_cents: int
    elapsed_days: int
    remaining_days: int
    daily_rate_cents: int  # rounded, for display
    forecast_used_cents: int  # by the end of the period at this pace (never above the grant)
    forecast_unused_cents: int
    runs_out_on: dt.date | None  # the day the money ends at this pace, if before the period ends
    alerts: tuple[str, ...]


def forecast(line: LineFigures, today: dt.date) -> Forecast:
    """At the pace so far (used money per elapsed day), when does the line run out, and how much
    is left at the end of the decision period?

    Days count inclusively: on the first day of the period one day has elapsed. Before the period
    starts nothing has elapsed and there is no pace yet; after it ends nothing remains.
    """
    total_days = (line.end - line.start).days + 1
    elapsed = min(total_days, max(0, (today - line.start).days + 1))
    remaining = total_days - elapsed
    used = line.spent_cents + line.held_cents
    available = line.granted_cents - used
    rate = used / elapsed if elapsed else 0.0
    # used + rate × remaining = used × total / elapsed, rounded half up in integers (the same sum
    # ``totals`` makes in SQL).
    projected = min(line.granted_cents, (2 * used * total_days + elapsed) // (2 * elapsed)) if elapsed and used >= 0 else used
    projected = max(projected, used)
    runs_out = None
    if remaining > 0 and line.granted_cents > 0:
        if available <= 0:
            runs_out = today  # nothing left already
        elif used > 0 and available * elapsed < used * remaining:  # available / rate < remaining
            runs_out = today + dt.timedelta(days=(available * elapsed) // used)
    alerts: list[str] = []
    if runs_out is not None:
        alerts.append("runs_out")
    if elapsed and line.granted_cents > 0 and remaining > 0:
        # A fifth of the period gone (and a month at least) with nothing used; or more than half
        # of the grant left at the end at this pace.
        if used == 0 and elapsed >= UNUSED_MIN_DAYS and UNUSED_AFTER_PARTS * elapsed >= total_days:
            alerts.append("unused")
        elif used > 0 and UNUSED_AFTER_PARTS * elapsed >= total_days and 2 * (line.granted_cents - projected) > line.granted_cents:
            alerts.append("underused")
    return Forecast(
        used_cents=used,
        available_cents=available,
        elapsed_days=elapsed,
        remaining_days=remaining,
        daily_rate_cents=int(math.floor(rate + 0.5)),  # rate ≥ 0: half up
        forecast_used_cents=projected,
        forecast_unused_cents=line.granted_cents - projected,
        runs_out_on=runs_out,
        alerts=tuple(alerts),
    )


# --- The same rules over every line of an organiser, in the database ------------------------------


def _days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from ``earlier`` to ``later`` (two date expressions; ``{}`` may stand
    for a date parameter). The one place the two databases need different words."""
    if db.is_sqlite():
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


# Over the columns of ``lines_sql``'s x: g granted, h held, s spent, u used, total and el (elapsed) days.
_PROJECTED = """CASE WHEN el = 0 THEN u
                WHEN (2 * u * total + el) / (2 * el) > g THEN CASE WHEN g > u THEN g ELSE u END
                WHEN (2 * u * total + el) / (2 * el) > u THEN (2 * u * total + el) / (2 * el)
                ELSE u END"""
# The alerts of ``forecast`` (the ``{}`` are the unused rule's days and parts of the period).
_RUNS_OUT = "total > el AND g > 0 AND (g - u <= 0 OR (u > 0 AND (g - u) * el < u * (total - el)))"
_UNUSED = "el > 0 AND g > 0 AND total > el AND u = 0 AND el >= {} AND {} * el >= total"
_UNDERUSED = f"el > 0 AND g > 0 AND total > el AND u > 0 AND {{}} * el >= total AND 2 * (g - ({_PROJECTED})) > g"
_ANY_ALERT = f"({_RUNS_OUT}) OR ({_UNUSED}) OR ({_UNDERUSED})"
_ALERT_ARGS = (UNUSED_MIN_DAYS, UNUSED_AFTER_PARTS, UNUSED_AFTER_PARTS)


def lines_sql(organiser_id: Any, now: dt.datetime, today: dt.date) -> tuple[str, list]:
    """``WITH dd, x``: the organiser's decisions valid today with their day counts (once per
    decision), and each of their lines as x(client_id, g, h, s, u, total, el) — what ``forecast``
    reads, held money without the holds that expired but were not swept yet, materialised so no
    sum recomputes it."""
    total = _days_between('d."end"', "d.start") + " + 1"
    elapsed = _days_between("{}", "d.start") + " + 1"
    sql = f"""WITH dd AS MATERIALIZED (
    SELECT id, client, total, CASE WHEN el_raw < 0 THEN 0 WHEN el_raw > total THEN total ELSE el_raw END AS el
    FROM (SELECT d.id AS id, d.client AS client, {total} AS total, {elapsed} AS el_raw
          FROM vc_budget_decision d
          WHERE d.organiser_id = {{}} AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}) v
), x AS MATERIALIZED (
    SELECT dd.client AS client_id, l.granted_cents AS g, l.held_cents - COALESCE(e.expired, 0) AS h,
           l.spent_cents AS s, l.held_cents - COALESCE(e.expired, 0) + l.spent_cents AS u, dd.total AS total, dd.el AS el
    FROM dd JOIN vc_budget_line l ON l.decision = dd.id
    LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
               WHERE status = 'approved' AND expires_at <= {{}} GROUP BY line_id) e ON e.line_id = l.id
)
"""
    return sql, [today, require_uuid(organiser_id), today, today, now]


def with_alert_sql() -> tuple[str, tuple]:
    """A condition over ``lines_sql``'s x: the line has an alert (and the arguments it takes)."""
    return _ANY_ALERT, _ALERT_ARGS


class PaceTotals(msgspec.Struct, frozen=True, kw_only=True):
    lines: int
    clients: int
    granted_cents: int
    held_cents: int
    spent_cents: int
    available_cents: int
    forecast_used_cents: int
    forecast_unused_cents: int
    # How many lines run out, lie unused or are underused.
    runs_out: int
    unused: int
    underused: int


async def totals(organiser_id: Any, now: dt.datetime, today: dt.date) -> PaceTotals:
    """Sums over the lines of the organiser's decisions valid today of what ``forecast`` says of
    each line: granted, held, spent, available, used by the end at this pace, left unused, and how
    many lines run out, lie unused or are underused."""
    pace, args = lines_sql(organiser_id, now, today)
    rows = await db.engine().run_querystring(QueryString(
        pace + f"""SELECT COUNT(*) AS lines, (SELECT COUNT(DISTINCT client) FROM dd) AS clients,
       CAST(COALESCE(SUM(g), 0) AS BIGINT) AS granted_cents, CAST(COALESCE(SUM(h), 0) AS BIGINT) AS held_cents,
       CAST(COALESCE(SUM(s), 0) AS BIGINT) AS spent_cents, CAST(COALESCE(SUM(g - u), 0) AS BIGINT) AS available_cents,
       CAST(COALESCE(SUM({_PROJECTED}), 0) AS BIGINT) AS forecast_used_cents,
       CAST(COALESCE(SUM(CASE WHEN {_RUNS_OUT} THEN 1 ELSE 0 END), 0) AS BIGINT) AS runs_out,
       CAST(COALESCE(SUM(CASE WHEN {_UNUSED} THEN 1 ELSE 0 END), 0) AS BIGINT) AS unused,
       CAST(COALESCE(SUM(CASE WHEN {_UNDERUSED} THEN 1 ELSE 0 END), 0) AS BIGINT) AS underused
FROM x""",
        *args, *_ALERT_ARGS,
    ))
    found = {k: int(v or 0) for k, v in rows[0].items()}
    # Σ(g − projected) = Σg − Σprojected: one evaluation of the projection per line fewer.
    return PaceTotals(**found, forecast_unused_cents=found["granted_cents"] - found["forecast_used_cents"])
