"""The pure booking rules, without a database: slots from weekly rules and exceptions (across a
daylight-saving change), the transition table, fees, the dispute window, rating summaries."""

import datetime as dt

from core.clock import HELSINKI
from marketplace.booking import domain

UTC = dt.timezone.utc
TUESDAY_10 = domain.Rule(weekday=1, start_minute=600, duration_minutes=60, capacity=3)


def test_weekly_rule_gives_helsinki_wall_clock_times_across_daylight_saving():
    offers = domain.offers([TUESDAY_10], [], dt.date(2026, 3, 23), dt.date(2026, 4, 5))
    # Helsinki moves to summer time on 29 March 2026: 10.00 is 08:00 UTC before, 07:00 UTC after.
    assert [o.starts_at for o in offers] == [dt.datetime(2026, 3, 24, 8, tzinfo=UTC), dt.datetime(2026, 3, 31, 7, tzinfo=UTC)]
    assert all(o.ends_at - o.starts_at == dt.timedelta(hours=1) and o.capacity == 3 for o in offers)


def test_exceptions_close_a_day_close_a_slot_or_resize_it():
    rules = [TUESDAY_10, domain.Rule(weekday=1, start_minute=780, duration_minutes=45, capacity=2)]
    closed_day = domain.Exception_(day=dt.date(2026, 3, 10), start_minute=None, capacity=0)
    one_slot = domain.Exception_(day=dt.date(2026, 3, 17), start_minute=600, capacity=0)
    bigger = domain.Exception_(day=dt.date(2026, 3, 24), start_minute=780, capacity=5)
    offers = domain.offers(rules, [closed_day, one_slot, bigger], dt.date(2026, 3, 9), dt.date(2026, 3, 25))
    by_day = {}
    for o in offers:
        by_day.setdefault(o.starts_at.astimezone(HELSINKI).date(), []).append((domain.hhmm(
            o.starts_at.astimezone(HELSINKI).hour * 60 + o.starts_at.astimezone(HELSINKI).minute), o.capacity))
    assert dt.date(2026, 3, 10) not in by_day
    assert by_day[dt.date(2026, 3, 17)] == [("13.00", 2)]
    assert by_day[dt.date(2026, 3, 24)] == [("10.00", 3), ("13.00", 5)]


def test_rule_validity_and_offer_at():
    rule = domain.Rule(weekday=1, start_minute=600, duration_minutes=60, capacity=1, valid_from=dt.date(2026, 3, 17))
    assert domain.offer_at([rule], [], dt.datetime(2026, 3, 10, 8, tzinfo=UTC)) is None
    assert domain.offer_at([rule], [], dt.datetime(2026, 3, 17, 8, tzinfo=UTC)) is not None
    assert domain.offer_at([rule], [], dt.datetime(2026, 3, 17, 8, 30, tzinfo=UTC)) is None
    assert domain.rule_errors(domain.Rule(weekday=7, start_minute=1440, duration_minutes=1, capacity=0)) == [
        ("weekday", "booking.error.weekday"), ("start_time", "booking.error.time"),
        ("duration_minutes", "booking.error.duration"), ("capacity", "booking.error.capacity")]


def test_times_people_type():
    assert [domain.parse_hhmm(t) for t in ("9.30", "09:30", "930", "23.59", "24.00", "9.60", "x", "")] == [
        570, 570, 570, 1439, None, None, None, None]
    assert domain.hhmm(570) == "09.30"


def test_each_transition_belongs_to_one_side():
    t = domain.TRANSITIONS
    assert {n for n, tr in t.items() if tr.side == domain.PROVIDER} == {"confirm", "decline", "deliver", "no_show"}
    assert {n for n, tr in t.items() if tr.side == domain.CLIENT} == {"cancel", "accept", "dispute"}
    assert {n for n, tr in t.items() if tr.side == domain.ORGANISER} == {"resolve_capture", "resolve_void"}
    assert "auto_complete" not in domain.ACTIONS
    assert domain.actions_for("delivered", domain.CLIENT) == ["accept", "dispute"]
    assert domain.actions_for("delivered", domain.PROVIDER) == []
    assert domain.actions_for("disputed", domain.ORGANISER) == ["resolve_capture", "resolve_void"]


def test_cancellation_fee_and_dispute_deadline():
    start = dt.datetime(2026, 3, 10, 8, tzinfo=UTC)
    early, late = start - dt.timedelta(hours=25), start - dt.timedelta(hours=2)
    assert domain.cancellation_fee("confirmed", 7500, start, early, 24, 50) == 0
    assert domain.cancellation_fee("confirmed", 7500, start, late, 24, 50) == 3750
    assert domain.cancellation_fee("requested", 7500, start, late, 24, 50) == 0  # not confirmed yet: free
    assert domain.fee_cents(7501, 50) == 3751  # half up
    ends = start + dt.timedelta(hours=1)
    assert domain.dispute_deadline(start - dt.timedelta(days=1), ends, 3) == ends + dt.timedelta(days=3)
    assert domain.dispute_deadline(ends + dt.timedelta(hours=5), ends, 3) == ends + dt.timedelta(days=3, hours=5)


def test_rating_summary():
    assert domain.summarise([]).count == 0
    s = domain.summarise([(5, 10), (4, 9), (2, 3), (4, 7)])
    assert (s.count, s.average_stars, s.nps) == (4, 3.8, 25)
    assert domain.review_errors(0, 11, "x" * 2001) == [("stars", "booking.error.stars"),
                                                       ("recommend", "booking.error.recommend"),
                                                       ("text", "booking.error.review_text")]
