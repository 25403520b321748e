"""Acceptance 2: 32 clients race for the last place in a slot → exactly one booking, 31 clean
refusals (409 ``booking.error.slot_full``), no stray holds — on SQLite and PostgreSQL.

Each client has their own budget and card, so nothing but the slot stops them; they start together
(one barrier) and go through the same service the HTTP handler calls."""

import asyncio

from core.errors import Conflict
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking, Slot
from tests.marketplace.booking_world import NOW, PRICE, SLOT, build, request
from voucher import budgets
from voucher.tables import Authorization, BudgetLine, Transfer

RACERS = 32


async def test_32_clients_race_for_the_last_place(db):
    w = await build(db.settings, clients=RACERS + 1, capacity=2)
    # One place is taken already: the race is for the last one.
    await bookings.book(w.clients[RACERS], request(w), settings=db.settings, now=NOW)
    start = asyncio.Event()

    async def racer(actor):
        await start.wait()
        try:
            return await bookings.book(actor, request(w), settings=db.settings, now=NOW)
        except Conflict as exc:
            return exc

    tasks = [asyncio.create_task(racer(actor)) for actor in w.clients[:RACERS]]
    await asyncio.sleep(0)
    start.set()
    outcomes = await asyncio.gather(*tasks)

    won = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1, outcomes
    assert len(refused) == RACERS - 1
    assert {r.key for r in refused} == {"booking.error.slot_full"}

    slot = await Slot.select().where(Slot.starts_at == SLOT).first().run()
    assert (slot["booked"], slot["capacity"]) == (2, 2)
    assert await Booking.count().run() == 2
    # Exactly two holds exist and each belongs to a booking; the losers' budgets are untouched.
    holds = await Authorization.select(Authorization.id, Authorization.client_id).run()
    booked = {str(r["authorization_id"]) for r in await Booking.select(Booking.authorization_id).run()}
    assert {str(h["id"]) for h in holds} == booked
    assert await Transfer.count().where(Transfer.kind == "hold").run() == 2
    winner = str(won[0].client_id)
    for client_id in w.client_ids[:RACERS]:
        line = next(l for l in (await budgets.budget_for(client_id, NOW)).lines if l.category == "sport-riding")
        assert line.held_cents == (PRICE if client_id == winner else 0)
    assert await BudgetLine.count().where(BudgetLine.held_cents > 0).run() == 2


async def test_the_same_request_sent_at_once_is_one_booking(db):
    w = await build(db.settings, capacity=5)
    start = asyncio.Event()

    async def again():
        await start.wait()
        return await bookings.book(w.client, request(w), settings=db.settings, now=NOW, idempotency_key="double-click")

    tasks = [asyncio.create_task(again()) for _ in range(6)]
    await asyncio.sleep(0)
    start.set()
    answers = await asyncio.gather(*tasks)
    assert len({a.id for a in answers}) == 1
    assert await Booking.count().run() == 1 and await Authorization.count().run() == 1
    assert (await Slot.select().first().run())["booked"] == 1
