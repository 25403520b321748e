"""Authorise, capture, void, refund and expiry through the services, on SQLite and PostgreSQL."""

import datetime as dt
import json
import uuid

import pytest

from core import idempotency
from core.clock import utcnow
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.tables import IdempotencyRecord
from tests import world
from tests.voucher.vhelpers import NOW, make_world, set_listing_status, set_provider_status
from tests.world import card_pin
from voucher import authorisation as auth
from voucher import budgets, cards
from voucher.schemas import AuthorizationRequest, CardIssue, CardUpdate, LineInput
from voucher.tables import Authorization, BudgetLine


def body(stored) -> dict:
    return json.loads(stored.body)


# The client's card PIN, for payments over the 50 € exemption (voucher.card_consent).
PIN = "4729"


async def authorise(w, settings, amount, listing=None, actor=None, key=None, now=NOW, token=None, lang="fi", quantity=None,
                    code=None):
    req = AuthorizationRequest(card_token=token or w.token, amount_cents=amount, listing_id=listing, quantity=quantity,
                               client_code=code)
    return await auth.authorise(actor or w.provider, req, settings=settings, idempotency_key=key, now=now, lang=lang)


async def line(w, category):
    return await BudgetLine.select().where(
        (BudgetLine.client_id == w.client_id) & (BudgetLine.category == category)
    ).first().run()


async def test_approve_holds_on_the_swap_line_and_capture_spends(db):
    w = await make_world(db.settings.secret_key)
    await card_pin(w.client_id, PIN, db.settings)
    stored = await authorise(w, db.settings, 7500, w.listing_riding, code=PIN)
    assert stored.status_code == 201
    got = body(stored)
    assert got["status"] == "approved" and got["decline_code"] is None and got["message"] is None
    assert got["line_available_cents"] == 540000 - 7500
    assert got["expires_at"].startswith("2026-03-17T10:00:00")
    day = await line(w, "day-activities")
    assert (day["held_cents"], day["swap_used_cents"]) == (7500, 7500)

    cap = body(await auth.capture(w.provider, got["id"], 5000, now=NOW))
    assert cap["status"] == "captured" and cap["amount_cents"] == 5000 and cap["authorization_id"] == got["id"]
    day = await line(w, "day-activities")
    # Partial capture: 5 000 spent, the other 2 500 released (and off the swap counter too).
    assert (day["held_cents"], day["spent_cents"], day["swap_used_cents"]) == (0, 5000, 5000)
    read = await auth.get_authorization(w.provider, got["id"], now=NOW)
    assert read.status == "partially_captured" and read.captured_cents == 5000

    with pytest.raises(Conflict):
        await auth.capture(w.provider, got["id"], 100, now=NOW)

    refund = body(await auth.refund(w.provider, cap["id"], 2000, now=NOW))
    assert refund["amount_cents"] == 2000 and refund["capture_id"] == cap["id"]
    day = await line(w, "day-activities")
    assert (day["spent_cents"], day["swap_used_cents"]) == (3000, 3000)
    with pytest.raises(Invalid):
        await auth.refund(w.provider, cap["id"], 3001, now=NOW)

    budget = await budgets.budget(w.counsellor, w.client_id, now=NOW)
    day_line = next(l for l in budget.lines if l.category == "day-activities")
    assert (day_line.granted_cents, day_line.held_cents, day_line.spent_cents, day_line.available_cents) == (
        540000, 0, 3000, 537000,
    )
    assert budget.total_available_cents == 537000 + 120000
    assert budget.period.start == "2026-01-01" and budget.period.end == "2026-12-31"


async def test_declines_carry_code_and_message_in_the_clients_language(db):
    w = await make_world(db.settings.secret_key, card=CardIssue(per_transaction_limit_cents=20000, daily_limit_cents=40000))
    await card_pin(w.client_id, PIN, db.settings)
    # Three riding sessions at 75 € a time (225 €), with the client's PIN: the card's caps are what stop them.
    got = body(await authorise(w, db.settings, 20001, w.listing_riding, quantity=3, code=PIN))
    assert got["status"] == "declined" and got["decline_code"] == "over_transaction_limit"
    assert "kertaostorajan" in got["message"]
    assert got["expires_at"] is None

    await budgets.Client.update({budgets.Client.language: "sv"}).where(budgets.Client.id == w.client_id).run()
    assert body(await authorise(w, db.settings, 20000, w.listing_riding, quantity=3, code=PIN))["status"] == "approved"
    assert body(await authorise(w, db.settings, 20000, w.listing_riding, quantity=3, code=PIN))["status"] == "approved"
    third = body(await authorise(w, db.settings, 1, w.listing_riding))
    assert third["decline_code"] == "over_daily_limit" and "dagsgräns" in third["message"]
    # The next Helsinki day has its own cap.
    tomorrow = NOW + dt.timedelta(days=1)
    assert body(await authorise(w, db.settings, 20000, w.listing_riding, now=tomorrow, quantity=3, code=PIN))["status"] == "approved"

    unknown = body(await authorise(w, db.settings, 100, w.listing_riding, token="hbc_nope", lang="en"))
    assert unknown["decline_code"] == "card_inactive" and unknown["message"].startswith("The card")


async def test_changes_decline_from_the_moment_they_are_saved(db):
    w = await make_world(db.settings.secret_key)
    s = db.settings
    assert body(await authorise(w, s, 100, w.listing_pending))["decline_code"] == "listing_not_approved"
    assert body(await authorise(w, s, 100, w.listing_art))["decline_code"] == "listing_not_approved"  # other provider's

    await set_listing_status(w, w.listing_riding, "rejected")
    assert body(await authorise(w, s, 100, w.listing_riding))["decline_code"] == "listing_not_approved"
    await set_listing_status(w, w.listing_riding, "approved")

    await set_provider_status(w, w.provider_id, "suspended")
    assert body(await authorise(w, s, 100, w.listing_riding))["decline_code"] == "provider_not_approved"
    assert body(await authorise(w, s, 100))["decline_code"] == "provider_not_approved"
    await set_provider_status(w, w.provider_id, "approved")

    await cards.update(w.counsellor, w.card_id, CardUpdate(status="frozen", reason="kadonnut"))
    assert body(await authorise(w, s, 100, w.listing_riding))["decline_code"] == "card_inactive"
    await cards.update(w.counsellor, w.card_id, CardUpdate(status="active"))
    assert body(await authorise(w, s, 100, w.listing_riding))["status"] == "approved"

    replaced = await cards.replace(w.counsellor, w.card_id, s.secret_key, reason="rikki")
    assert body(await authorise(w, s, 100, w.listing_riding))["decline_code"] == "card_inactive"
    assert body(await authorise(w, s, 100, w.listing_riding, token=replaced.token))["status"] == "approved"
    assert replaced.qr_svg.startswith("<svg")

    later = dt.datetime(2027, 1, 1, 12, tzinfo=dt.timezone.utc)
    assert body(await authorise(w, s, 100, w.listing_riding, now=later, token=replaced.token))["decline_code"] == (
        "outside_validity_period"
    )


async def test_line_selection_follows_the_decision(db):
    lines = [
        LineInput(category="day-activities", amount_cents=10000, may_fund=["sport-riding"], swap_cap_cents=3000),
        LineInput(category="transport", amount_cents=5000),
    ]
    # The county lets riding be paid with no listing (an open amount, up to 100 € at a time).
    w = await make_world(db.settings.secret_key, lines=lines,
                         card_rules={"open_amount": world.open_amount(**{"sport-riding": 10_000})})
    s = db.settings
    # sport-riding has no own line: the day-activities line pays, within its swap cap.
    assert body(await authorise(w, s, 3000, w.listing_riding))["status"] == "approved"
    assert body(await authorise(w, s, 1, w.listing_riding))["decline_code"] == "insufficient_funds"
    # culture-art is neither a line nor in may_fund.
    assert body(await authorise(w, s, 1, w.listing_art, actor=w.other_provider))["decline_code"] == "category_not_in_plan"
    # No listing: the provider's approved open-amount categories decide (the riding stable → sport-riding → swap line).
    assert body(await authorise(w, s, 1))["decline_code"] == "insufficient_funds"


async def test_void_and_lazy_expiry_return_money_to_the_line(db):
    lines = [LineInput(category="sport-riding", amount_cents=10000)]
    w = await make_world(db.settings.secret_key, lines=lines)
    s = db.settings
    await card_pin(w.client_id, PIN, s)
    first = body(await authorise(w, s, 6000, w.listing_riding, code=PIN))
    assert body(await authorise(w, s, 6000, w.listing_riding, code=PIN))["decline_code"] == "insufficient_funds"
    voided = body(await auth.void(w.provider, first["id"], now=NOW))
    assert voided["status"] == "voided"
    with pytest.raises(Conflict):
        await auth.void(w.provider, first["id"], now=NOW)

    second = body(await authorise(w, s, 6000, w.listing_riding, code=PIN))
    assert second["status"] == "approved"
    after = NOW + dt.timedelta(days=7)
    # Expired but not swept: it no longer counts, in the budget and for a new authorisation.
    budget = await budgets.budget(w.counsellor, w.client_id, now=after)
    assert budget.lines[0].held_cents == 0 and budget.lines[0].available_cents == 10000
    assert (await auth.get_authorization(w.provider, second["id"], now=after)).status == "expired"
    with pytest.raises(Conflict):
        await auth.capture(w.provider, second["id"], 6000, now=after)
    third = body(await authorise(w, s, 10000, w.listing_riding, now=after, quantity=2, code=PIN))
    assert third["status"] == "approved" and third["line_available_cents"] == 0
    row = await Authorization.select(Authorization.status).where(Authorization.id == second["id"]).first().run()
    assert row["status"] == "expired"  # swept lazily by the authorisation that needed the money
    assert await auth.sweep_expired(NOW + dt.timedelta(days=30)) == 1


async def test_idempotency_replays_and_refuses_a_different_body(db):
    w = await make_world(db.settings.secret_key)
    s = db.settings
    first = await authorise(w, s, 1000, w.listing_riding, key="k-1")
    again = await authorise(w, s, 1000, w.listing_riding, key="k-1")
    assert (again.status_code, again.body) == (first.status_code, first.body)
    with pytest.raises(Conflict):
        await authorise(w, s, 1001, w.listing_riding, key="k-1")
    # Keys are per caller: another provider's same key is its own.
    other = await authorise(w, s, 1000, w.listing_art, actor=w.other_provider, key="k-1")
    assert body(other)["id"] != body(first)["id"]
    assert await Authorization.count().where(Authorization.card_id == w.card_id).run() == 2
    cap1 = await auth.capture(w.provider, body(first)["id"], 500, idempotency_key="c-1", now=NOW)
    cap2 = await auth.capture(w.provider, body(first)["id"], 500, idempotency_key="c-1", now=NOW)
    assert cap1.body == cap2.body


async def test_providers_only_see_their_own(db):
    w = await make_world(db.settings.secret_key)
    got = body(await authorise(w, db.settings, 1000, w.listing_riding))
    with pytest.raises(NotFound):
        await auth.get_authorization(w.other_provider, got["id"])
    with pytest.raises(NotFound):
        await auth.capture(w.other_provider, got["id"], 1000, now=NOW)


async def test_an_organiser_resolves_only_its_own_booking_holds(db):
    from core.identity import Actor

    w = await make_world(db.settings.secret_key)
    organiser = Actor(role="organiser_admin", organiser_id=w.organiser_id, api_key_id=str(uuid.uuid4()), display_name="k")
    req = AuthorizationRequest(card_token=w.token, amount_cents=1000, listing_id=w.listing_riding)
    booked = body(await auth.authorise(organiser, req, settings=db.settings, now=NOW))
    assert booked["status"] == "approved"
    assert (await Authorization.select(Authorization.source).where(Authorization.id == booked["id"]).first().run())[
        "source"] == "booking"
    assert body(await auth.capture(organiser, booked["id"], 1000, now=NOW))["status"] == "captured"

    terminal = body(await authorise(w, db.settings, 500, w.listing_riding))
    assert (await auth.get_authorization(organiser, terminal["id"], now=NOW)).status == "approved"
    with pytest.raises(Forbidden):
        await auth.capture(organiser, terminal["id"], 500, now=NOW)
    with pytest.raises(Forbidden):
        await auth.void(organiser, terminal["id"], now=NOW)
    cap = body(await auth.capture(w.provider, terminal["id"], 500, now=NOW))
    # The organiser may claw back any of its clients' captures to the budget.
    assert body(await auth.refund(organiser, cap["id"], 200, now=NOW))["amount_cents"] == 200
    # An organiser booking with no listing must name the provider.
    with pytest.raises(Invalid):
        await auth.authorise(organiser, AuthorizationRequest(card_token=w.token, amount_cents=1), settings=db.settings, now=NOW)


async def test_old_idempotency_keys_are_forgotten(db):
    w = await make_world(db.settings.secret_key)
    await authorise(w, db.settings, 100, w.listing_riding, key="old")
    assert await idempotency.prune(utcnow() - dt.timedelta(hours=1)) == 0
    assert await idempotency.prune(utcnow() + dt.timedelta(seconds=1)) == 1
    assert await IdempotencyRecord.count().run() == 0
