"""Issue 16, points 2 and 5, as pure rules (no database): the price ceiling with quantity and
tolerance and its rounding, open-amount categories and their caps, a booking's ceiling, repeated
just-under-exemption payments, and a county's card rules as a form and an import check them."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voucher import domain as d

TODAY = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 10, tzinfo=dt.timezone.utc)


def line(id="day", category="day-activities", granted=10_000_000, **kw) -> d.LineState:
    return d.LineState(id=id, category=category, granted_cents=granted, **kw)


def facts(**kw) -> d.AuthorisationFacts:
    base = dict(amount_cents=7_500, today=TODAY, card_status="active", decision_start=dt.date(2026, 1, 1),
                decision_end=dt.date(2026, 12, 31), provider_approved=True, listing_approved=True,
                listing_price_cents=7_500, purchase_categories=("day-activities",), lines=(line(),))
    base.update(kw)
    return d.AuthorisationFacts(**base)


def code(**kw) -> str | None:
    got = d.decide(facts(**kw))
    return got.code if isinstance(got, d.Decline) else None


@pytest.mark.parametrize("quantity, tolerance_bp, limit", [
    (1, 0, 7_500),
    (3, 0, 22_500),
    (1, 1_000, 8_250),      # 10 %
    (3, 250, 23_062),       # 2,5 % of 225,00 € is 5,625 €: rounded down to 5,62 €
    (1000, 0, 7_500_000),
])
def test_a_listing_payment_may_be_its_price_times_quantity_plus_the_tolerance_and_not_a_cent_more(quantity, tolerance_bp, limit):
    rules = d.CardRules(tolerance_bp=tolerance_bp)
    assert d.listing_ceiling_cents(7_500, quantity, tolerance_bp) == limit
    assert code(amount_cents=limit, quantity=quantity, rules=rules) is None
    assert code(amount_cents=limit + 1, quantity=quantity, rules=rules) == d.OVER_LISTING_PRICE


def test_the_tolerance_is_rounded_down_to_the_cent():
    # 2 % of 19,99 € is 0,3998 €: the tolerance is 39 cents, never 40.
    assert d.with_tolerance(1_999, 200) == 2_038
    assert d.with_tolerance(1_999, 0) == 1_999
    assert d.with_tolerance(1, 4_999) == 1  # under a cent of tolerance is none


@given(price=st.integers(1, 10_000_000), quantity=st.integers(1, 1000), tolerance=st.integers(0, d.MAX_TOLERANCE_BP))
def test_the_ceiling_never_exceeds_the_exact_tolerance_and_misses_it_by_less_than_a_cent(price, quantity, tolerance):
    base = price * quantity
    ceiling = d.listing_ceiling_cents(price, quantity, tolerance)
    # In whole numbers: base ≤ ceiling ≤ base × (1 + tolerance) < ceiling + 1.
    assert base <= ceiling
    assert ceiling * d.BASIS_POINTS <= base * (d.BASIS_POINTS + tolerance) < (ceiling + 1) * d.BASIS_POINTS


def test_a_live_listing_without_a_price_is_refused_rather_than_unbounded():
    assert code(listing_price_cents=None) == d.OVER_LISTING_PRICE


def test_without_listing_or_booking_only_open_amount_categories_the_plan_pays_are_allowed_up_to_their_caps():
    lines = (line("day"), line("tr", "transport"))
    taxi = d.CardRules(open_amount={"transport": 8_000})
    common = dict(listing_approved=None, listing_price_cents=None, lines=lines,
                  purchase_categories=("transport", "day-activities"))
    # No open-amount category at all: a listing (or a booking) is needed.
    assert code(**common) == d.LISTING_REQUIRED
    got = d.decide(facts(amount_cents=8_000, rules=taxi, **common))
    # The purchase is in the open-amount category only: its own line pays, not the day line.
    assert got == d.Approve([d.Candidate("tr", False)], ("transport",))
    assert code(amount_cents=8_001, rules=taxi, **common) == d.OVER_LISTING_PRICE
    # Open amount, but no line of the plan pays for it: still a listing is needed.
    only_day = dict(common, lines=(line("day"),))
    assert code(rules=taxi, **only_day) == d.LISTING_REQUIRED
    # A category the provider is not approved for does not open anything.
    assert code(rules=d.CardRules(open_amount={"culture-art": 9_000}), **common) == d.LISTING_REQUIRED


def test_with_several_open_amount_categories_the_amount_picks_those_whose_cap_it_fits():
    lines = (line("tr", "transport"), line("day", "day-activities"))
    rules = d.CardRules(open_amount={"transport": 8_000, "day-activities": 3_000})
    common = dict(listing_approved=None, listing_price_cents=None, lines=lines, rules=rules,
                  purchase_categories=("transport", "day-activities"))
    assert d.decide(facts(amount_cents=3_000, **common)).categories == ("transport", "day-activities")
    assert d.decide(facts(amount_cents=5_000, **common)) == d.Approve([d.Candidate("tr", False)], ("transport",))


def test_a_booking_binds_the_payment_to_what_is_left_of_its_amount():
    booking = d.BookingTerms(amount_cents=7_500, taken_cents=7_500)
    # Its hold holds all of it: nothing more, unless the county's tolerance leaves some.
    assert code(amount_cents=1, booking=booking) == d.OVER_LISTING_PRICE
    tolerant = d.CardRules(tolerance_bp=1_000)
    assert code(amount_cents=750, booking=booking, rules=tolerant) is None
    assert code(amount_cents=751, booking=booking, rules=tolerant) == d.OVER_LISTING_PRICE
    # A hold that was released (and nothing captured): the booking's amount itself, to the cent.
    free = d.BookingTerms(amount_cents=7_500, taken_cents=0)
    assert code(amount_cents=7_500, booking=free) is None
    assert code(amount_cents=7_501, booking=free) == d.OVER_LISTING_PRICE
    # Never below zero, whatever was taken.
    assert d.booking_ceiling_cents(d.BookingTerms(amount_cents=100, taken_cents=500), 0) == 0


def test_what_an_authorisation_holds_or_took():
    later = NOW + dt.timedelta(days=1)
    assert d.held_or_taken_cents(d.APPROVED, 7_500, 0, later, NOW) == 7_500
    assert d.held_or_taken_cents(d.APPROVED, 7_500, 0, NOW, NOW) == 0  # expired at this instant
    assert d.held_or_taken_cents(d.PARTIALLY_CAPTURED, 7_500, 5_000, later, NOW) == 5_000
    assert d.held_or_taken_cents(d.CAPTURED, 7_500, 7_500, None, NOW) == 7_500
    for status in (d.DECLINED, d.VOIDED, d.EXPIRED):
        assert d.held_or_taken_cents(status, 7_500, 0, later, NOW) == 0


def test_the_third_just_under_exemption_payment_needs_consent():
    rules = d.CardRules(single_cents=5_000)
    assert d.near_exemption_floor_cents(5_000) == 4_500
    assert d.near_exemption_floor_cents(4_999) == 4_500  # 4 499,1 rounded up
    assert not d.is_near_exemption(4_499, 5_000) and d.is_near_exemption(4_500, 5_000)
    assert d.is_near_exemption(5_000, 5_000) and not d.is_near_exemption(5_001, 5_000)
    assert not d.is_near_exemption(0, 0)  # a county that exempts nothing has no "just under"
    cheap = dict(listing_price_cents=10_000, rules=rules, consent=d.ConsentFacts(code_given=False))
    assert code(amount_cents=4_900, earlier_near_exemption=1, **cheap) is None
    assert code(amount_cents=4_900, earlier_near_exemption=2, **cheap) == d.CLIENT_CONSENT_REQUIRED
    # Not just under: a smaller payment passes however many came before.
    assert code(amount_cents=4_499, earlier_near_exemption=5, **cheap) is None
    # A payment naming the client's booking is the client's own choice: no consent rule.
    booking = d.BookingTerms(amount_cents=9_000, taken_cents=0)
    assert code(amount_cents=4_900, earlier_near_exemption=5, booking=booking, **cheap) is None
    # With the client's PIN or one-time code (checked by the service) the rule asks nothing more.
    assert code(amount_cents=4_900, earlier_near_exemption=5, **{**cheap, "consent": d.ConsentFacts(code_given=True)}) is None


def test_percent_and_euros_as_typed():
    assert d.parse_percent("2,5 %") == 250
    assert d.parse_percent("0") == 0
    assert d.parse_percent("12.75") == 1_275
    assert d.percent_text(250) == "2,5" and d.percent_text(0) == "0" and d.percent_text(1_000) == "10"
    for bad in ("", "-1", "2,555", "kaksi", "1e3"):
        with pytest.raises(ValueError):
            d.parse_percent(bad)


def test_card_rules_are_checked_field_by_field():
    assert d.card_rules_errors(d.CardRules()) == []
    bad = d.CardRules(single_cents=-1, cumulative_cents=None, tolerance_bp=5_001,
                      open_amount={"taxi": 0, "transport": d.MAX_CENTS + 1})
    assert d.card_rules_errors(bad, {"transport"}) == [
        ("card_consent.single_cents", "card_rules_amount"),
        ("price_tolerance_bp", "tolerance_range"),
        ("open_amount[0].category", "unknown_category"),
        ("open_amount[0].cap_cents", "open_amount_cap"),
        ("open_amount[1].cap_cents", "open_amount_cap"),
    ]
    assert d.card_rules_errors(d.CardRules(single_cents=6_000, cumulative_cents=5_000)) == [
        ("card_consent.cumulative_cents", "cumulative_below_single")]
    assert d.card_rules_errors(d.CardRules(single_cents=6_000, cumulative_cents=None, tolerance_bp=5_000)) == []
