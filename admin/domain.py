"""Pure rules of the follow-up: periods, burn-down, NPS and GAS. (A budget line's pace, forecast and
alerts are the voucher's: voucher.pace.)

No I/O, no Piccolo, no Litestar: the services load the facts, these functions say what they mean.
Money stays integer cents; a rate is a fraction only inside a calculation and every figure that
leaves this module is rounded once, by ``round_half_up``.
"""

import datetime as dt
import math
from collections.abc import Iterable

import msgspec

from core.clock import HELSINKI, UTC


def round_half_up(value: float) -> int:
    """The one rounding rule for figures computed from rates (cents, hundredths of a point)."""
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


def helsinki_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(HELSINKI).date()


# --- Periods: whole Helsinki months --------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_month(value: str | None) -> dt.date | None:
    """``"2026-03"`` → 1 March 2026; anything else → None."""
    try:
        year, month = str(value or "").strip().split("-")[:2]
        return dt.date(int(year), int(month), 1)
    except (TypeError, ValueError):
        return None


def month_bounds_utc(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instant a Helsinki month starts and the instant the next one starts, in UTC."""
    start = dt.datetime.combine(month, dt.time(), tzinfo=HELSINKI).astimezone(UTC)
    end = dt.datetime.combine(add_months(month, 1), dt.time(), tzinfo=HELSINKI).astimezone(UTC)
    return start, end


def month_of(moment: dt.datetime) -> dt.date:
    return month_start(helsinki_date(moment))


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """Whole months, first and last included."""

    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        out, month = [], self.first
        while month <= self.last:
            out.append(month)
            month = add_months(month, 1)
        return out

    @property
    def start_utc(self) -> dt.datetime:
        return month_bounds_utc(self.first)[0]

    @property
    def end_utc(self) -> dt.datetime:
        return month_bounds_utc(self.last)[1]

    @property
    def first_day(self) -> dt.date:
        return self.first

    @property
    def last_day(self) -> dt.date:
        return add_months(self.last, 1) - dt.timedelta(days=1)

    def label(self) -> str:
        if self.first == self.last:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m}–{self.last:%Y-%m}"


MAX_PERIOD_MONTHS = 36


def period_from(first: str | None, last: str | None, today: dt.date) -> Period:
    """The period a user asked for; missing or odd input → this year up to this month."""
    this_month = month_start(today)
    start = parse_month(first) or dt.date(today.year, 1, 1)
    end = parse_month(last) or this_month
    if end < start:
        start, end = end, start
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_PERIOD_MONTHS:
        start = add_months(end, -(MAX_PERIOD_MONTHS - 1))
    return Period(first=start, last=end)


# --- Burn-down of a budget line (its pace and forecast: voucher.pace) --------------------------------


def burn_down(
    granted_cents: int, start: dt.date, end: dt.date, movements: Iterable[tuple[dt.date, int]], today: dt.date
) -> list[tuple[dt.date, int]]:
    """What was left of a line at the end of each day from its start to today (or its end).

    ``movements`` are (day, cents) with spending positive and refunds negative; holds are not
    history (they may still be voided), so the burn-down is drawn from captures and refunds.
    """
    per_day: dict[dt.date, int] = {}
    for day, cents in movements:
        per_day[day] = per_day.get(day, 0) + cents
    last = min(end, today)
    out: list[tuple[dt.date, int]] = []
    left = granted_cents
    day = start
    # Money spent before the period (should not happen) still counts from the first day.
    left -= sum(c for d, c in per_day.items() if d < start)
    while day <= last:
        left -= per_day.get(day, 0)
        out.append((day, left))
        day += dt.timedelta(days=1)
    return out


def thin(points: list, most: int) -> list:
    """At most ``most`` points, evenly picked, always keeping the first and the last."""
    if len(points) <= most or most < 2:
        return list(points)
    step = (len(points) - 1) / (most - 1)
    picked = sorted({round_half_up(i * step) for i in range(most)})
    return [points[i] for i in picked]


# --- Outcomes: NPS and GAS -------------------------------------------------------------------------


class Nps(msgspec.Struct, frozen=True, kw_only=True):
    responses: int
    promoters: int
    detractors: int

    @property
    def score(self) -> int | None:
        """Net Promoter Score, −100…100: % promoters (9–10) − % detractors (0–6), rounded."""
        if not self.responses:
            return None
        return round_half_up(100 * (self.promoters - self.detractors) / self.responses)


def nps(scores: Iterable[int]) -> Nps:
    values = [int(s) for s in scores if s is not None and 0 <= int(s) <= 10]
    return Nps(
        responses=len(values),
        promoters=sum(1 for s in values if s >= 9),
        detractors=sum(1 for s in values if s <= 6),
    )


def gas_change_x100(goal_scores: dict[str, list[tuple[dt.datetime, int]]]) -> tuple[int, int] | None:
    """A client's GAS change in hundredths of a point: the mean over goals scored at least twice of
    (latest score − first score). Returns (change, goals counted) or None when no goal has two.
    """
    changes = []
    for scores in goal_scores.values():
        if len(scores) < 2:
            continue
        ordered = sorted(scores, key=lambda item: item[0])
        changes.append(ordered[-1][1] - ordered[0][1])
    if not changes:
        return None
    return round_half_up(100 * sum(changes) / len(changes)), len(changes)


def mean_x100(values: list[int]) -> int | None:
    return round_half_up(sum(values) / len(values)) if values else None


def share_permille(part: int, whole: int) -> int | None:
    """A share in tenths of a per cent (permille), rounded; None when there is no whole."""
    return round_half_up(1000 * part / whole) if whole else None


def per_client_cents(total_cents: int, clients: int) -> int | None:
    return round_half_up(total_cents / clients) if clients else None
