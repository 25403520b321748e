"""HB classes and tariffs: how a budget line is computed from a client's class (pure rules, no I/O).

An organiser defines classes per service (a service category): a class has a code, names, the
criteria for belonging to it, and *units per month* of a unit (day, hour, trip, km, session). A
tariff is cents per unit from a date (``valid_from``), for one class or for the whole service (a
class without its own tariff uses the service's). A tariff never changes: a new price is a new
tariff from a later date.

A line for a period [start, end] (both days included) is the sum over the calendar months the
period touches of::

    units_per_month × tariff in force on the month's first day in the period
                    × days of the month in the period / days in the month

each month rounded half up to whole cents on its own (a full month needs no rounding). The first
month's tariff is the one in force on the period's start; each later month's is the one in force on
its 1st. docs/decisions/0032 and docs/architecture.md ("How a budget is computed") say the same
for people checking a line by hand.
"""

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence

import msgspec

UNITS = ("day", "hour", "trip", "km", "session", "visit")
MAX_UNITS_PER_MONTH = 10_000
MAX_CENTS_PER_UNIT = 10_000_000  # 100 000 € a unit: beyond it a typing error
CLASS_CODE_MAX = 16
SERVICE_WIDE = ""  # a tariff's class_code for the whole service
MAX_PERIOD_DAYS = 3_660  # a computed period of at most ten years (a decision is at most a few)


class HbClass(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    code: str
    units_per_month: int
    unit: str


class Tariff(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    class_code: str  # SERVICE_WIDE for the service's own tariff
    valid_from: dt.date
    cents_per_unit: int


class MonthPart(msgspec.Struct, frozen=True, kw_only=True):
    """One calendar month of a period: which days of it count, the tariff used, the amount."""

    month: dt.date  # the 1st of the month
    days: int  # days of the month inside the period
    days_in_month: int
    cents_per_unit: int
    cents: int

    @property
    def whole(self) -> bool:
        return self.days == self.days_in_month


class Computed(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    class_code: str
    units_per_month: int
    unit: str
    months: tuple[MonthPart, ...]
    cents: int


class NoTariff(msgspec.Struct, frozen=True, kw_only=True):
    """No tariff was in force on ``on`` for the class (nor for its service)."""

    category: str
    class_code: str
    on: dt.date


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up (both non-negative), in integers only."""
    return (2 * numerator + denominator) // (2 * denominator)


def month_parts(start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, int]]:
    """(first day in the period, the 1st of the month, days in the period) for each month touched."""
    out = []
    day = start
    while day <= end:
        days_in_month = calendar.monthrange(day.year, day.month)[1]
        last = min(end, day.replace(day=days_in_month))
        out.append((day, day.replace(day=1), (last - day).days + 1))
        if last == end:
            break
        day = last + dt.timedelta(days=1)
    return out


def tariff_on(tariffs: Iterable[Tariff], category: str, class_code: str, day: dt.date) -> Tariff | None:
    """The tariff in force on ``day``: the class's own latest from on or before it, else the service's."""
    for code in (class_code, SERVICE_WIDE):
        found = [t for t in tariffs if t.category == category and t.class_code == code and t.valid_from <= day]
        if found:
            return max(found, key=lambda t: t.valid_from)
    return None


def compute(hb_class: HbClass, tariffs: Sequence[Tariff], start: dt.date, end: dt.date) -> Computed | NoTariff:
    """The line of ``hb_class`` for the period (see the module's docstring)."""
    months = []
    for first_day, month, days in month_parts(start, end):
        tariff = tariff_on(tariffs, hb_class.category, hb_class.code, first_day)
        if tariff is None:
            return NoTariff(category=hb_class.category, class_code=hb_class.code, on=first_day)
        days_in_month = calendar.monthrange(month.year, month.month)[1]
        cents = round_half_up_div(hb_class.units_per_month * tariff.cents_per_unit * days, days_in_month)
        months.append(MonthPart(month=month, days=days, days_in_month=days_in_month,
                                cents_per_unit=tariff.cents_per_unit, cents=cents))
    return Computed(category=hb_class.category, class_code=hb_class.code, units_per_month=hb_class.units_per_month,
                    unit=hb_class.unit, months=tuple(months), cents=sum(m.cents for m in months))


class Segment(msgspec.Struct, frozen=True, kw_only=True):
    """Consecutive months with the same tariff, all whole (``months`` counted) or one partial month
    (``days`` / ``days_in_month``): one term of the computation a person reads."""

    cents_per_unit: int
    months: int = 0
    days: int = 0
    days_in_month: int = 0
    cents: int


def segments(computed: Computed) -> list[Segment]:
    out: list[Segment] = []
    for m in computed.months:
        last = out[-1] if out else None
        if m.whole and last is not None and last.months and last.cents_per_unit == m.cents_per_unit:
            out[-1] = Segment(cents_per_unit=m.cents_per_unit, months=last.months + 1, cents=last.cents + m.cents)
        elif m.whole:
            out.append(Segment(cents_per_unit=m.cents_per_unit, months=1, cents=m.cents))
        else:
            out.append(Segment(cents_per_unit=m.cents_per_unit, days=m.days, days_in_month=m.days_in_month, cents=m.cents))
    return out


def is_override(amount_cents: int, computed_cents: int | None) -> bool:
    return computed_cents is not None and amount_cents != computed_cents


def class_errors(code: str, names: dict[str, str], units_per_month: int, unit: str) -> list[tuple[str, str]]:
    """(field, message key) for each problem with a class's own fields."""
    errors = []
    if not code.strip() or len(code) > CLASS_CODE_MAX or code != code.strip():
        errors.append(("code", "hb_class_code"))
    if not (names.get("fi") or "").strip():
        errors.append(("names.fi", "hb_class_name"))
    if not 1 <= units_per_month <= MAX_UNITS_PER_MONTH:
        errors.append(("units_per_month", "hb_units_range"))
    if unit not in UNITS:
        errors.append(("unit", "hb_unit"))
    return errors


def tariff_error(cents_per_unit: int, valid_from: dt.date, existing: Sequence[dt.date], today: dt.date | None) -> str | None:
    """The message key of the problem with a new tariff, or None. ``existing``: the valid_from dates
    the class (or service) already has. The first may have any date; a later one is after the
    latest and not before ``today`` (None: an import bringing in a new class's history in order)."""
    if not 0 < cents_per_unit <= MAX_CENTS_PER_UNIT:
        return "hb_tariff_range"
    if valid_from in existing:
        return "hb_tariff_exists"
    if existing and valid_from < max(existing):
        return "hb_tariff_backdated"
    if today is not None and existing and valid_from < today:
        return "hb_tariff_backdated"
    return None
