"""Own share (asiakasmaksu, docs/decisions/0033): the pure split, and each kind of rule — none, fixed
per unit, percent with a monthly cap — through booking, capture (a partial one too), refund and
settlement, on SQLite and PostgreSQL. The budget part and the client part each add up: on the
booking, the authorisation, the capture and refund rows, the line's counters and ledger, the
month's counter and the settlement batch."""

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from admin import payouts
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking
from tests.marketplace.booking_world import NOW, PRICE, RIDING_GRANT, SLOT, build, request
from voucher import authorisation as auth
from voucher import domain, ledger, own_share
from voucher.domain import FeeRule, Share
from voucher.settlement import remittance, settle
from voucher.tables import Authorization, BudgetLine, Capture, FeeUsage, Refund, SettlementBatch

AFTER = SLOT + dt.timedelta(minutes=50)
SETTLE_AT = AFTER + dt.timedelta(days=2)
PER_TRIP = {"code": "kuljetus", "name": {"fi": "Kuljetus omavastuu"}, "kind": "per_unit", "value": 310,
            "decision_ref": "Ytla 12.11.2026 § 85"}
TENTH_CAPPED = {"code": "paivatoiminta", "name": {"fi": "Päivätoiminta 10 %"}, "kind": "percent", "value": 1000,
                "monthly_cap_cents": 1000}


# --- The pure split ------------------------------------------------------------------------------


def test_the_split_by_kind_rounding_half_up_and_the_cap():
    assert domain.split_share(7500, 1, None) == Share(7500, 0)
    assert domain.split_share(7500, 1, FeeRule(code="x")) == Share(7500, 0)
    assert domain.split_share(7500, 2, FeeRule(code="x", kind="per_unit", value=310)) == Share(6880, 620)
    assert domain.split_share(200, 1, FeeRule(code="x", kind="per_unit", value=310)) == Share(0, 200)  # never above the price
    assert domain.split_share(1005, 1, FeeRule(code="x", kind="percent", value=1000)) == Share(904, 101)  # 100,5 → 101
    assert domain.split_share(1004, 1, FeeRule(code="x", kind="percent", value=1000)) == Share(904, 100)  # 100,4 → 100
    capped = FeeRule(code="x", kind="percent", value=1000, monthly_cap_cents=1000)
    assert domain.split_share(7500, 1, capped, used_this_month_cents=750) == Share(7250, 250)
    assert domain.split_share(7500, 1, capped, used_this_month_cents=1000) == Share(7500, 0)
    # A part of a split (a late-cancellation fee, a partial capture) is split in proportion.
    assert domain.proportional_share(Share(6750, 750), 3750) == Share(3375, 375)
    assert domain.proportional_share(Share(1, 999), 1) == Share(1, 0)  # the budget's part of a part is never nothing


@given(gross=st.integers(0, 10**7), units=st.integers(0, 50), kind=st.sampled_from(domain.FEE_KINDS),
       value=st.integers(0, 10_000), cap=st.none() | st.integers(0, 10**6), used=st.integers(0, 10**6),
       part=st.integers(0, 10**7), refunded=st.integers(0, 10**7))
def test_the_parts_always_add_up(gross, units, kind, value, cap, used, part, refunded):
    rule = FeeRule(code="x", kind=kind, value=value, monthly_cap_cents=cap)
    share = domain.split_share(gross, units, rule, used)
    assert share.budget_cents + share.client_cents == gross
    assert 0 <= share.client_cents <= gross
    if cap is not None:
        assert share.client_cents <= max(0, cap - used)
    piece = domain.proportional_share(share, min(part, gross))
    assert piece.gross_cents == min(part, gross)
    assert 0 <= piece.budget_cents <= share.budget_cents and 0 <= piece.client_cents <= share.client_cents
    # Refunds in the budget's cents give back the client part cumulatively: all of it at the end.
    done = min(refunded, share.budget_cents)
    assert 0 <= domain.client_part_of_budget(share, done) <= share.client_cents
    assert domain.client_part_of_budget(share, share.budget_cents) == share.client_cents


# --- Through the money path ----------------------------------------------------------------------


async def _riding_line(client_id) -> dict:
    return await BudgetLine.select().where((BudgetLine.client_id == client_id)
                                           & (BudgetLine.category == "sport-riding")).first().run()


async def _books_hold(line: dict) -> None:
    """The line's counters are what its rows say, and its ledger balance is granted − held − spent."""
    await ledger.check_books()
    assert line["granted_cents"] == RIDING_GRANT


async def _complete(w, booking, s):
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "deliver", settings=s, now=AFTER)
    return await bookings.act(w.client, booking.id, "accept", settings=s, now=AFTER)


@pytest.mark.parametrize("fee, quantity, client_part", [
    (None, 1, 0),  # 0 %: no rule, the budget pays it all
    (PER_TRIP, 2, 620),  # 3,10 € a unit
])
async def test_own_share_through_booking_capture_refund_and_settlement(db, fee, quantity, client_part):
    s = db.settings
    w = await build(s, client_fee=fee)
    gross = PRICE * quantity
    budget_part = gross - client_part
    booking = await bookings.book(w.client, request(w, quantity=quantity), settings=s, now=NOW)
    assert (booking.amount_cents, booking.budget_cents, booking.client_share_cents) == (gross, budget_part, client_part)
    hold = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert (hold["amount_cents"], hold["client_share_cents"], hold["gross_cents"]) == (budget_part, client_part, gross)
    assert (await _riding_line(w.client_id))["held_cents"] == budget_part  # only the budget's part is held

    done = await _complete(w, booking, s)
    assert done.captured_cents == gross
    cap = await Capture.select().where(Capture.authorization_id == booking.authorization_id).first().run()
    assert (cap["amount_cents"], cap["client_share_cents"]) == (budget_part, client_part)
    line = await _riding_line(w.client_id)
    assert (line["held_cents"], line["spent_cents"]) == (0, budget_part)

    # The provider refunds half the budget's part: the client's part goes back in proportion.
    refund = json.loads((await auth.refund(w.provider, cap["id"], budget_part // 2, now=AFTER)).body)
    row = await Refund.select().where(Refund.id == refund["id"]).first().run()
    assert row["client_share_cents"] == client_part // 2 and refund.get("client_share_cents", 0) == client_part // 2
    line = await _riding_line(w.client_id)
    assert line["spent_cents"] == budget_part - budget_part // 2
    await _books_hold(line)

    summary = await settle(s, SETTLE_AT, confirmation=payouts.unconfirmed)
    assert summary.total_cents == budget_part - budget_part // 2  # the provider is paid the budget's part only
    [batch] = await remittance(w.organiser)
    assert sum(i.amount_cents for i in batch.items) == batch.total_cents
    assert sum(i.client_share_cents or 0 for i in batch.items) == client_part - client_part // 2
    totals = await own_share.totals(w.organiser_id, SLOT.date(), SETTLE_AT.date())
    assert [(t.category, t.gross_cents, t.budget_cents, t.client_cents) for t in totals] == [
        ("sport-riding", gross - budget_part // 2 - client_part // 2, budget_part - budget_part // 2,
         client_part - client_part // 2)]


async def _used(w) -> int:
    return await own_share.used_cents(w.client_id, TENTH_CAPPED["code"], domain.fee_month(NOW))


async def test_percent_with_a_monthly_cap_a_partial_capture_and_releases(db):
    s = db.settings
    w = await build(s, client_fee=TENTH_CAPPED, capacity=5, cancellation_hours=48, late_fee=50)
    first = await bookings.book(w.client, request(w), settings=s, now=NOW)
    second = await bookings.book(w.client, request(w), settings=s, now=NOW)
    third = await bookings.book(w.client, request(w), settings=s, now=NOW)
    assert [(b.budget_cents, b.client_share_cents) for b in (first, second, third)] == [
        (6750, 750), (7250, 250), (7500, 0)]  # 10 %, then what is left of the 10 € cap, then nothing
    assert await _used(w) == 1000

    # The provider declines the second: its client part goes back to the month.
    await bookings.act(w.provider, second.id, "decline", settings=s, now=NOW, reason="Hevonen on sairaana")
    assert await _used(w) == 750
    # A late cancellation of the first: 50 % of the price is a partial capture, split in proportion;
    # the rest of the client part goes back to the month.
    await bookings.act(w.provider, first.id, "confirm", settings=s, now=NOW)
    cancelled = await bookings.act(w.client, first.id, "cancel", settings=s, now=NOW + dt.timedelta(hours=1))
    assert cancelled.captured_cents == PRICE // 2
    cap = await Capture.select().where(Capture.authorization_id == first.authorization_id).first().run()
    assert (cap["amount_cents"], cap["client_share_cents"]) == (3375, 375)
    assert await _used(w) == 375
    line = await _riding_line(w.client_id)
    assert (line["held_cents"], line["spent_cents"]) == (7500, 3375)  # the third's hold, the fee's budget part

    # A refund of the whole fee gives the rest back; the next booking pays its 10 % again.
    await auth.refund(w.provider, cap["id"], 3375, now=NOW + dt.timedelta(hours=2))
    assert await _used(w) == 0
    fourth = await bookings.book(w.client, request(w), settings=s, now=NOW + dt.timedelta(hours=3))
    assert (fourth.budget_cents, fourth.client_share_cents) == (6750, 750)
    await _books_hold(await _riding_line(w.client_id))
    rows = await Booking.select(Booking.amount_cents, Booking.budget_cents, Booking.client_share_cents).run()
    assert all(r["budget_cents"] + r["client_share_cents"] == r["amount_cents"] for r in rows)


async def test_an_expired_hold_gives_its_client_part_back(db):
    s = db.settings
    w = await build(s, client_fee=TENTH_CAPPED)
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    assert await _used(w) == 750
    hold = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    await auth.sweep_expired(hold["expires_at"] + dt.timedelta(seconds=1))
    assert await _used(w) == 0
    await ledger.check_books()


async def test_a_terminal_payment_holds_only_the_budget_part_and_says_so(db):
    s = db.settings
    w = await build(s, client_fee=PER_TRIP)
    pin = "4729"
    from tests.world import card_pin

    await card_pin(w.client_id, pin, s)
    from voucher.schemas import AuthorizationRequest

    req = AuthorizationRequest(card_token="hbc_booking_001_token", amount_cents=7500, quantity=1, client_code=pin,
                               listing_id=w.listing_id)
    got = json.loads((await auth.authorise(w.provider, req, settings=s, now=NOW)).body)
    assert got["status"] == "approved"
    assert (got["amount_cents"], got["budget_cents"], got["client_share_cents"], got["gross_cents"]) == (7190, 7190, 310, 7500)
    cap = json.loads((await auth.capture(w.provider, got["id"], 7190, now=NOW, settings=s)).body)
    assert (cap["amount_cents"], cap["client_share_cents"]) == (7190, 310)
    await ledger.check_books()


async def test_the_cap_holds_under_concurrent_bookings_on_postgresql(db):
    if not db.is_postgres:
        pytest.skip("SQLite's writers take turns; the race is PostgreSQL's")
    import asyncio

    s = db.settings
    w = await build(s, client_fee=TENTH_CAPPED, capacity=10)
    made = await asyncio.gather(*(bookings.book(w.client, request(w), settings=s, now=NOW) for _ in range(8)),
                                return_exceptions=True)
    booked = [b for b in made if not isinstance(b, BaseException)]
    assert booked, made
    assert sum(b.client_share_cents for b in booked) == min(1000, 750 * len(booked))
    assert all(b.budget_cents + b.client_share_cents == PRICE for b in booked)
    assert await _used(w) == sum(b.client_share_cents for b in booked)
    usage = await FeeUsage.select().run()
    assert len(usage) == 1 and usage[0]["used_cents"] <= 1000
    await ledger.check_books()
    assert await SettlementBatch.count().run() == 0
