"""Pure voucher rules: no database."""

import datetime as dt
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import iso11649

from voucher import domain as d

TODAY = dt.date(2026, 3, 10)


def line(id="day", category="day-activities", granted=10_000, **kw) -> d.LineState:
    return d.LineState(id=id, category=category, granted_cents=granted, **kw)


def facts(**kw) -> d.AuthorisationFacts:
    base = dict(
        amount_cents=1_000,
        today=TODAY,
        card_status="active",
        decision_start=dt.date(2026, 1, 1),
        decision_end=dt.date(2026, 12, 31),
        provider_approved=True,
        listing_approved=True,
        # The listing's price is above every amount here unless a test is about the price ceiling.
        listing_price_cents=100_000,
        purchase_categories=("day-activities",),
        lines=(line(),),
    )
    base.update(kw)
    return d.AuthorisationFacts(**base)


def test_approves_on_the_listing_category_line():
    assert d.decide(facts()) == d.Approve([d.Candidate("day", False)], ("day-activities",))


@pytest.mark.parametrize(
    "change, code",
    [
        (dict(card_status="frozen"), d.CARD_INACTIVE),
        (dict(card_status="closed"), d.CARD_INACTIVE),
        (dict(card_status=None), d.CARD_INACTIVE),
        (dict(decision_start=None, decision_end=None), d.OUTSIDE_VALIDITY_PERIOD),
        (dict(decision_end=dt.date(2026, 3, 9)), d.OUTSIDE_VALIDITY_PERIOD),
        (dict(decision_start=dt.date(2026, 3, 11)), d.OUTSIDE_VALIDITY_PERIOD),
        (dict(provider_approved=False), d.PROVIDER_NOT_APPROVED),
        (dict(payer_is_provider_staff=True), d.PROXY_IS_PROVIDER_STAFF),
        (dict(listing_approved=False), d.LISTING_NOT_APPROVED),
        (dict(purchase_categories=("transport",)), d.CATEGORY_NOT_IN_PLAN),
        (dict(listing_approved=None), d.LISTING_REQUIRED),
        (dict(listing_price_cents=999), d.OVER_LISTING_PRICE),
        (dict(per_transaction_limit_cents=999), d.OVER_TRANSACTION_LIMIT),
        (dict(daily_limit_cents=5_000, day_used_cents=4_001), d.OVER_DAILY_LIMIT),
        (dict(amount_cents=10_001), d.INSUFFICIENT_FUNDS),
        (dict(amount_cents=4_500, rules=d.CardRules(single_cents=5_000), earlier_near_exemption=2,
              consent=d.ConsentFacts(code_given=False)), d.CLIENT_CONSENT_REQUIRED),
        (dict(amount_cents=5_001, consent=d.ConsentFacts(code_given=False)), d.CLIENT_CONSENT_REQUIRED),
        (dict(amount_cents=1_001, consent=d.ConsentFacts(code_given=False, codeless_cents=14_000)),
         d.CLIENT_CONSENT_REQUIRED),
    ],
)
def test_each_decline_code(change, code):
    assert d.decide(facts(**change)) == d.Decline(code)


def test_checks_run_in_design_order():
    # Everything is wrong at once: the first check of decide() names the decline.
    everything_wrong = dict(
        card_status="frozen",
        decision_end=dt.date(2026, 1, 2),
        provider_approved=False,
        payer_is_provider_staff=True,
        listing_approved=False,
        purchase_categories=("transport",),
        listing_price_cents=1,
        per_transaction_limit_cents=1,
        rules=d.CardRules(single_cents=99_999, cumulative_cents=None),
        earlier_near_exemption=2,
        consent=d.ConsentFacts(code_given=False),
        amount_cents=99_999,
    )
    order = [
        ("card_status", "active"),
        ("decision_end", dt.date(2026, 12, 31)),
        ("provider_approved", True),
        ("payer_is_provider_staff", False),
        ("listing_approved", True),
        ("purchase_categories", ("day-activities",)),
        ("listing_price_cents", 100_000),
        ("per_transaction_limit_cents", None),
        ("earlier_near_exemption", 0),
    ]
    expected = [
        d.CARD_INACTIVE,
        d.OUTSIDE_VALIDITY_PERIOD,
        d.PROVIDER_NOT_APPROVED,
        d.PROXY_IS_PROVIDER_STAFF,
        d.LISTING_NOT_APPROVED,
        d.CATEGORY_NOT_IN_PLAN,
        d.OVER_LISTING_PRICE,
        d.OVER_TRANSACTION_LIMIT,
        d.CLIENT_CONSENT_REQUIRED,
        d.INSUFFICIENT_FUNDS,
    ]
    state = dict(everything_wrong)
    for (field, fixed), code in zip(order + [(None, None)], expected):
        assert d.decide(facts(**state)) == d.Decline(code)
        if field:
            state[field] = fixed


def test_decision_validity_days_are_inclusive():
    assert isinstance(d.decide(facts(decision_start=TODAY, decision_end=TODAY)), d.Approve)


def test_no_listing_lets_the_provider_categories_decide_among_the_open_amount_ones():
    lines = (line("day"), line("tr", "transport", may_fund=("culture-art",)))
    rules = d.CardRules(open_amount={"transport": 5_000, "culture-art": 5_000})
    got = d.decide(facts(listing_approved=None, purchase_categories=("culture-art", "transport"), lines=lines,
                         rules=rules))
    assert got == d.Approve([d.Candidate("tr", False)], ("culture-art", "transport"))


def test_own_line_first_then_may_fund_lines():
    lines = (
        line("day", "day-activities", may_fund=("culture-art",)),
        line("art", "culture-art", granted=500),
    )
    got = d.candidate_lines(lines, ["culture-art"])
    assert got == [d.Candidate("art", False), d.Candidate("day", True)]
    # The own line is too small for 1 000, so the swap line pays.
    assert d.decide(facts(lines=lines, purchase_categories=("culture-art",))).candidates == [d.Candidate("day", True)]


def test_swap_cap_limits_what_may_go_to_other_categories():
    day = line(may_fund=("culture-art",), swap_cap_cents=2_700, swap_used_cents=2_000)
    assert day.swap_room_cents == 700
    assert d.decide(facts(lines=(day,), purchase_categories=("culture-art",), amount_cents=701)) == d.Decline(
        d.INSUFFICIENT_FUNDS
    )
    assert isinstance(d.decide(facts(lines=(day,), purchase_categories=("culture-art",), amount_cents=700)), d.Approve)
    # The cap never lets more go than the line has.
    poor = line(granted=100, may_fund=("culture-art",), swap_cap_cents=2_700)
    assert poor.swap_room_cents == 100
    # No cap: the whole line may be swapped.
    assert line(may_fund=("culture-art",)).swap_room_cents == 10_000


def test_expired_holds_never_count_even_before_the_sweeper():
    l = line(held_cents=6_000, spent_cents=1_000, expired_held_cents=5_000)
    assert l.effective_held_cents == 1_000
    assert l.available_cents == 10_000 - 1_000 - 1_000
    swap = line(may_fund=("x",), swap_cap_cents=3_000, swap_used_cents=3_000, expired_swap_cents=1_000)
    assert swap.swap_room_cents == 1_000


def test_available_is_granted_minus_held_minus_spent():
    assert d.available_cents(10_000, 2_500, 1_500) == 6_000


def test_daily_cap_counts_what_was_approved_today():
    assert d.cap_decline(100, None, 1_000, 900) is None
    assert d.cap_decline(101, None, 1_000, 900) == d.OVER_DAILY_LIMIT
    assert d.cap_decline(101, 100, None, 0) == d.OVER_TRANSACTION_LIMIT


def test_split_capture():
    assert d.split_capture(1_000, 1_000) == d.CaptureSplit(1_000, 0, d.CAPTURED)
    assert d.split_capture(1_000, 400) == d.CaptureSplit(400, 600, d.PARTIALLY_CAPTURED)
    for bad in (0, -1, 1_001):
        with pytest.raises(ValueError):
            d.split_capture(1_000, bad)


def test_line_spec_and_decision_errors():
    ok = d.LineSpec(category="a", amount_cents=100, may_fund=("b",), swap_cap_cents=50)
    assert d.line_spec_errors(ok, {"a", "b"}) == []
    bad = d.LineSpec(category="z", amount_cents=-1, may_fund=("z", "q"), swap_cap_cents=5)
    fields = {f for f, _ in d.line_spec_errors(bad, {"a", "b"})}
    assert fields == {"amount_cents", "category", "may_fund", "swap_cap_cents"}
    errs = d.decision_errors(dt.date(2026, 2, 1), dt.date(2026, 1, 1), [ok, ok])
    assert ("end", "end_before_start") in errs and ("lines[1].category", "duplicate_line") in errs
    assert d.regrant_error(99, 50, 50) == "grant_below_used"
    assert d.regrant_error(100, 50, 50) is None


@given(st.uuids())
def test_rf_reference_is_valid_and_stable(batch_id):
    ref = d.rf_reference(batch_id)
    assert iso11649.is_valid(ref)
    assert ref.startswith("RF") and len(ref) <= 25
    assert ref == d.rf_reference(str(batch_id))
    body = ref[4:]
    assert d.national_reference_check_digit(body[:-1]) == body[-1]


def test_national_reference_check_digit():
    # Known Finnish reference numbers.
    assert d.national_reference_check_digit("123") == "2"
    assert d.national_reference_check_digit("100") == "9"


def test_rf_references_differ_between_batches():
    refs = {d.rf_reference(uuid.uuid4()) for _ in range(200)}
    assert len(refs) == 200


def test_settlement_periods_follow_the_helsinki_calendar():
    # 23:30 UTC on 31 March is already 1 April in Helsinki (UTC+3 in summer time).
    late = dt.datetime(2026, 3, 31, 23, 30, tzinfo=d.UTC)
    assert d.helsinki_date(late) == dt.date(2026, 4, 1)
    assert d.period_containing("daily", dt.date(2026, 4, 1)) == d.Period("daily", dt.date(2026, 4, 1), dt.date(2026, 4, 2))
    week = d.period_containing("weekly", dt.date(2026, 4, 1))  # a Wednesday
    assert (week.start, week.end) == (dt.date(2026, 3, 30), dt.date(2026, 4, 6))
    month = d.period_containing("monthly", dt.date(2026, 12, 15))
    assert (month.start, month.end) == (dt.date(2026, 12, 1), dt.date(2027, 1, 1))
    assert d.last_completed_period("daily", late) == d.Period("daily", dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    assert d.last_completed_period("monthly", late).start == dt.date(2026, 3, 1)
    assert d.last_completed_period("weekly", late).start == dt.date(2026, 3, 23)
    # Boundaries are Helsinki midnights, in UTC: 22:00 in winter, 21:00 in summer.
    assert d.Period("daily", dt.date(2026, 1, 5), dt.date(2026, 1, 6)).start_utc == dt.datetime(2026, 1, 4, 22, tzinfo=d.UTC)
    assert d.Period("daily", dt.date(2026, 7, 5), dt.date(2026, 7, 6)).end_utc == dt.datetime(2026, 7, 5, 21, tzinfo=d.UTC)
    with pytest.raises(ValueError):
        d.period_containing("yearly", TODAY)


def test_gas_scores():
    assert all(d.gas_score_valid(s) for s in (-2, -1, 0, 1, 2))
    assert not d.gas_score_valid(3) and not d.gas_score_valid(-3)


def test_euros_typed_in_forms():
    assert d.parse_euros("1 234,50") == 123450
    assert d.parse_euros("1234.5") == 123450
    assert d.parse_euros("80") == 8000
    assert d.parse_euros("0,07 €") == 7
    for bad in ("", "-5", "1,234", "abc", "1.2.3"):
        with pytest.raises(ValueError):
            d.parse_euros(bad)
    assert d.euros_text(123450) == "1234,50" and d.euros_text(None) == ""


def test_consent_routes_a_code_or_the_exemption():
    rules = d.CardRules(single_cents=5_000, cumulative_cents=15_000)
    none, code = d.ConsentFacts(code_given=False), d.ConsentFacts(code_given=True)
    assert d.consent_route(5_000, rules, none) == d.CONSENT_EXEMPT
    assert d.consent_route(5_001, rules, none) is None
    assert d.consent_route(1_000, rules, d.ConsentFacts(code_given=False, codeless_cents=14_000)) == d.CONSENT_EXEMPT
    assert d.consent_route(1_001, rules, d.ConsentFacts(code_given=False, codeless_cents=14_000)) is None
    assert d.consent_route(1_001, d.CardRules(cumulative_cents=None), d.ConsentFacts(code_given=False, codeless_cents=10**9)) == (
        d.CONSENT_EXEMPT)
    # A code is always checked, under the exemption too; a third "just under" payment is never exempt.
    assert d.consent_route(100, rules, code) == d.CONSENT_CODE
    assert d.consent_route(4_900, rules, none, earlier_near_exemption=2) is None
    # With a code the budget is judged after it: no funds is no decline yet.
    got = d.decide(facts(amount_cents=10_001, consent=code))
    assert got == d.Approve([], ("day-activities",), consent=d.CONSENT_CODE)
    assert d.decide(facts(amount_cents=10_001, consent=none)) == d.Decline(d.CLIENT_CONSENT_REQUIRED)


@pytest.mark.parametrize("pin, problem", [
    ("4729", None), ("730519", None), ("1004", None), ("2583", None),
    ("472", "voucher.error.pin_format"), ("1234567", "voucher.error.pin_format"), ("47a9", "voucher.error.pin_format"),
    ("0000", "voucher.error.pin_obvious"), ("1234", "voucher.error.pin_obvious"), ("9876", "voucher.error.pin_obvious"),
    ("2468", "voucher.error.pin_obvious"), ("8901", "voucher.error.pin_obvious"), ("1212", "voucher.error.pin_obvious"),
    ("123123", "voucher.error.pin_obvious"), ("112233", "voucher.error.pin_obvious"), ("2580", "voucher.error.pin_obvious"),
])
def test_a_pin_is_4_to_6_digits_and_not_an_obvious_one(pin, problem):
    assert d.pin_error(pin) == problem
