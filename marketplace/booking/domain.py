"""Pure booking rules: who may move a booking from which state to which, the slots a listing's
weekly rules and exceptions offer, the cancellation rule, the dispute window, ratings.

No I/O, no Piccolo, no Litestar: unit-tested without a database.
"""

import datetime as dt
from collections.abc import Iterable

import msgspec

from core.clock import HELSINKI, UTC

# --- States and transitions ---------------------------------------------------------------------

REQUESTED = "requested"
CONFIRMED = "confirmed"
DECLINED = "declined"
CANCELLED = "cancelled"
DELIVERED = "delivered"
DISPUTED = "disputed"
COMPLETED = "completed"
VOIDED = "voided"
NO_SHOW = "no_show"
STATUSES = (REQUESTED, CONFIRMED, DECLINED, CANCELLED, DELIVERED, DISPUTED, COMPLETED, VOIDED, NO_SHOW)
# A booking in one of these still holds a place in its slot.
HOLDS_PLACE = (REQUESTED, CONFIRMED, DELIVERED, DISPUTED, COMPLETED, NO_SHOW)
OPEN = (REQUESTED, CONFIRMED, DELIVERED, DISPUTED)
# A booking in one of these may take a card payment that names it (bound to its price: the voucher's
# price ceiling); not once it is disputed (the organiser decides about its money) or closed.
TAKES_PAYMENT = (REQUESTED, CONFIRMED, DELIVERED)

# Who acts: the client (or their proxy), staff of the booked provider, the client's organiser, the
# platform itself (the dispute-window clock).
CLIENT = "client"
PROVIDER = "provider"
ORGANISER = "organiser"
SYSTEM = "system"


# What a client may let a proxy (a relative, an HB assistant) do for them: see their bookings and
# budget, book, and pay (confirm or dispute a delivery). The voucher keeps the grants (voucher.proxies)
# in these words.
PROXY_RIGHTS = ("view", "book", "pay")


class Transition(msgspec.Struct, frozen=True):
    name: str
    sources: tuple[str, ...]
    target: str
    side: str
    # The right a proxy needs for it (one of PROXY_RIGHTS).
    proxy_right: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition("confirm", (REQUESTED,), CONFIRMED, PROVIDER),
        Transition("decline", (REQUESTED,), DECLINED, PROVIDER),
        Transition("cancel", (REQUESTED, CONFIRMED), CANCELLED, CLIENT, "book"),
        Transition("deliver", (CONFIRMED,), DELIVERED, PROVIDER),
        Transition("no_show", (CONFIRMED,), NO_SHOW, PROVIDER),
        # The client's say-so releases the payment.
        Transition("accept", (DELIVERED,), COMPLETED, CLIENT, "pay"),
        Transition("dispute", (DELIVERED,), DISPUTED, CLIENT, "pay"),
        Transition("resolve_capture", (DISPUTED,), COMPLETED, ORGANISER),
        Transition("resolve_void", (DISPUTED,), VOIDED, ORGANISER),
        Transition("auto_complete", (DELIVERED,), COMPLETED, SYSTEM),
    )
}
# The transitions a person asks for over HTTP (auto_complete is the platform's own).
ACTIONS = tuple(name for name, t in TRANSITIONS.items() if t.side != SYSTEM)


def transition(name: str) -> Transition | None:
    return TRANSITIONS.get(name)


def actions_for(status: str, side: str | None) -> list[str]:
    """What ``side`` may do to a booking in ``status`` (for the buttons a page shows)."""
    return [t.name for t in TRANSITIONS.values() if t.side == side and t.side != SYSTEM and status in t.sources]


# --- Money and time rules -----------------------------------------------------------------------


def fee_cents(amount_cents: int, percent: int) -> int:
    """A share of the price, rounded half up to a whole cent (the one rounding rule of bookings)."""
    return (amount_cents * max(0, min(100, percent)) + 50) // 100


def free_cancellation_until(starts_at: dt.datetime, cancellation_hours: int) -> dt.datetime:
    return starts_at - dt.timedelta(hours=cancellation_hours)


def cancellation_fee(status: str, amount_cents: int, starts_at: dt.datetime, now: dt.datetime,
                     cancellation_hours: int, late_fee_percent: int) -> int:
    """What a client's cancellation costs: nothing before the deadline (or before the provider has
    confirmed), otherwise the listing's late-cancellation share of the price."""
    if status == REQUESTED or now <= free_cancellation_until(starts_at, cancellation_hours):
        return 0
    return fee_cents(amount_cents, late_fee_percent)


def dispute_deadline(delivered_at: dt.datetime, ends_at: dt.datetime, window_days: int) -> dt.datetime:
    """The payment is released automatically this long after the service ended (never counted from
    an early "delivered" mark), unless the client confirms or disputes before."""
    return max(delivered_at, ends_at) + dt.timedelta(days=window_days)


def may_mark_delivered(starts_at: dt.datetime, now: dt.datetime) -> bool:
    """A service cannot be delivered before it starts."""
    return now >= starts_at


def hold_until(ends_at: dt.datetime, now: dt.datetime, default_days: int, window_days: int) -> dt.datetime:
    """How long a booking's hold must live: past the service and its dispute window, with room for
    an organiser's decision on a dispute (the card's default expiry is for terminal payments)."""
    return max(now + dt.timedelta(days=default_days), ends_at + dt.timedelta(days=window_days + DISPUTE_DECISION_DAYS))


DISPUTE_DECISION_DAYS = 30
# How far ahead a client may book.
HORIZON_DAYS = 180
# Reminder "awaiting your confirmation" when this little of the dispute window is left.
REMINDER_BEFORE = dt.timedelta(days=1)


# --- Availability: weekly rules and exceptions → slots ------------------------------------------


class Rule(msgspec.Struct, frozen=True, kw_only=True):
    weekday: int  # 0 = Monday
    start_minute: int
    duration_minutes: int
    capacity: int
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class Exception_(msgspec.Struct, frozen=True, kw_only=True):
    day: dt.date
    start_minute: int | None  # None: the whole day
    capacity: int  # 0: closed


class SlotOffer(msgspec.Struct, frozen=True, kw_only=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


def local_instant(day: dt.date, minute: int) -> dt.datetime:
    """Helsinki wall-clock time on ``day`` as an aware UTC instant."""
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=HELSINKI)
    return local.astimezone(UTC)


def rule_errors(rule: Rule) -> list[tuple[str, str]]:
    errors = []
    if not 0 <= rule.weekday <= 6:
        errors.append(("weekday", "booking.error.weekday"))
    if not 0 <= rule.start_minute < 24 * 60:
        errors.append(("start_time", "booking.error.time"))
    if not 5 <= rule.duration_minutes <= 24 * 60:
        errors.append(("duration_minutes", "booking.error.duration"))
    if not 1 <= rule.capacity <= 1000:
        errors.append(("capacity", "booking.error.capacity"))
    if rule.valid_from and rule.valid_until and rule.valid_until < rule.valid_from:
        errors.append(("valid_until", "booking.error.valid_until"))
    return errors


def offers(rules: Iterable[Rule], exceptions: Iterable[Exception_], first: dt.date, last: dt.date) -> list[SlotOffer]:
    """Every slot the rules offer on the days ``first``…``last`` (Helsinki), after the exceptions:
    a whole-day exception with capacity 0 closes the day, one with a start time closes or resizes
    that slot. Slots are sorted by start; two rules starting at the same time keep the larger."""
    rules = list(rules)
    by_day: dict[dt.date, list[Exception_]] = {}
    for exc in exceptions:
        by_day.setdefault(exc.day, []).append(exc)
    found: dict[dt.datetime, SlotOffer] = {}
    day = first
    while day <= last:
        day_exceptions = by_day.get(day, [])
        closed = any(e.start_minute is None and e.capacity == 0 for e in day_exceptions)
        whole_day_capacity = next((e.capacity for e in day_exceptions if e.start_minute is None and e.capacity), None)
        if not closed:
            for rule in rules:
                if rule.weekday != day.weekday():
                    continue
                if (rule.valid_from and day < rule.valid_from) or (rule.valid_until and day > rule.valid_until):
                    continue
                capacity = whole_day_capacity or rule.capacity
                override = next((e for e in day_exceptions if e.start_minute == rule.start_minute), None)
                if override is not None:
                    capacity = override.capacity
                if capacity <= 0:
                    continue
                starts = local_instant(day, rule.start_minute)
                offer = SlotOffer(starts_at=starts, ends_at=starts + dt.timedelta(minutes=rule.duration_minutes),
                                  capacity=capacity)
                if starts not in found or found[starts].capacity < capacity:
                    found[starts] = offer
        day += dt.timedelta(days=1)
    return sorted(found.values(), key=lambda o: o.starts_at)


def offer_at(rules: Iterable[Rule], exceptions: Iterable[Exception_], starts_at: dt.datetime) -> SlotOffer | None:
    """The slot offered at exactly ``starts_at``, if any."""
    day = starts_at.astimezone(HELSINKI).date()
    for offer in offers(rules, exceptions, day, day):
        if offer.starts_at == starts_at.astimezone(UTC):
            return offer
    return None


def slot_key(listing_id: str, starts_at: dt.datetime) -> str:
    return f"{listing_id}|{starts_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M')}"


def parse_hhmm(text: str) -> int | None:
    """"9.30", "09:30" or "930" → minutes after midnight; None when it is no time of day."""
    raw = (text or "").strip().replace(".", ":")
    if ":" not in raw and raw.isdigit() and len(raw) in (3, 4):
        raw = raw[:-2] + ":" + raw[-2:]
    hours, _, minutes = raw.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        return None
    h, m = int(hours), int(minutes or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        return None
    return h * 60 + m


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}.{minute % 60:02d}"


# --- Reviews ------------------------------------------------------------------------------------

MAX_REVIEW_TEXT = 2000


def review_errors(stars: int, recommend: int, text: str) -> list[tuple[str, str]]:
    errors = []
    if not 1 <= stars <= 5:
        errors.append(("stars", "booking.error.stars"))
    if not 0 <= recommend <= 10:
        errors.append(("recommend", "booking.error.recommend"))
    if len(text) > MAX_REVIEW_TEXT:
        errors.append(("text", "booking.error.review_text"))
    return errors


class RatingSummary(msgspec.Struct, frozen=True, kw_only=True):
    count: int
    average_stars: float | None
    # Net Promoter Score: % promoters (9–10) − % detractors (0–6), −100…100.
    nps: int | None


def summarise(ratings: Iterable[tuple[int, int]]) -> RatingSummary:
    """(stars, recommend) pairs → count, average stars (one decimal) and NPS."""
    pairs = list(ratings)
    if not pairs:
        return RatingSummary(count=0, average_stars=None, nps=None)
    n = len(pairs)
    promoters = sum(1 for _, r in pairs if r >= 9)
    detractors = sum(1 for _, r in pairs if r <= 6)
    average = round(sum(s for s, _ in pairs) / n + 1e-9, 1)
    return RatingSummary(count=n, average_stars=average, nps=round(100 * (promoters - detractors) / n))
