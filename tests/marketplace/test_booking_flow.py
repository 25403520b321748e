"""Bookings through their services on SQLite and PostgreSQL: the hold on the budget, the happy path
to a paid booking, declines and cancellations, idempotency, the voucher's decline codes, proxies."""

import datetime as dt

import pytest

from core.errors import Conflict, Forbidden, Invalid
from core.tables import AuditEvent
from marketplace import catalogue
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking, BookingEvent, Slot
from tests.marketplace.booking_world import NOW, PRICE, RIDING_GRANT, SLOT, build, grant_proxy, request
from voucher import budgets
from voucher.tables import Authorization, Capture


async def riding_line(client_id, now=NOW):
    budget = await budgets.budget_for(client_id, now)
    return next(line for line in budget.lines if line.category == "sport-riding")


async def test_booking_holds_the_price_and_the_client_confirmation_pays_it(db):
    w = await build(db.settings)
    s = db.settings
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    assert booking.status == "requested" and booking.amount_cents == PRICE
    line = await riding_line(w.client_id)
    assert (line.held_cents, line.available_cents) == (PRICE, RIDING_GRANT - PRICE)
    auth = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert auth["status"] == "approved" and auth["source"] == "booking_hold"
    assert auth["expires_at"] > SLOT + dt.timedelta(days=s.dispute_window_days)  # lives past the dispute window

    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    with pytest.raises(Conflict):  # not before the service starts
        await bookings.act(w.provider, booking.id, "deliver", settings=s, now=NOW)
    after = SLOT + dt.timedelta(minutes=50)
    delivered = await bookings.act(w.provider, booking.id, "deliver", settings=s, now=after)
    assert delivered.dispute_until == SLOT + dt.timedelta(hours=1, days=s.dispute_window_days)
    done = await bookings.act(w.client, booking.id, "accept", settings=s, now=after)
    assert done.status == "completed" and done.captured_cents == PRICE
    line = await riding_line(w.client_id, after)
    assert (line.held_cents, line.spent_cents, line.available_cents) == (0, PRICE, RIDING_GRANT - PRICE)
    capture = await Capture.select().where(Capture.authorization_id == booking.authorization_id).first().run()
    assert capture["amount_cents"] == PRICE and str(capture["provider_id"]) == w.provider_id
    history = await bookings.read_for(w.client, booking.id)
    assert [e.action for e in history.events] == ["request", "confirm", "deliver", "accept"]


async def test_decline_and_free_cancellation_give_the_money_and_the_place_back(db):
    w = await build(db.settings, capacity=1)
    s = db.settings
    first = await bookings.book(w.client, request(w), settings=s, now=NOW)
    with pytest.raises(Invalid):
        await bookings.act(w.provider, first.id, "decline", settings=s, now=NOW)  # a reason is required
    await bookings.act(w.provider, first.id, "decline", settings=s, now=NOW, reason="Hevonen on sairaana")
    assert (await riding_line(w.client_id)).held_cents == 0
    slot = await Slot.select().first().run()
    assert slot["booked"] == 0
    again = await bookings.book(w.client, request(w), settings=s, now=NOW)  # the place is free again
    await bookings.act(w.provider, again.id, "confirm", settings=s, now=NOW)
    cancelled = await bookings.act(w.client, again.id, "cancel", settings=s, now=NOW)  # 24 h before: free
    assert cancelled.status == "cancelled" and cancelled.captured_cents == 0
    assert (await riding_line(w.client_id)).held_cents == 0
    assert (await Slot.select().first().run())["booked"] == 0


async def test_late_cancellation_follows_the_listing_rule(db):
    w = await build(db.settings, late_fee=50)
    s = db.settings
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    late = SLOT - dt.timedelta(hours=2)
    cancelled = await bookings.act(w.client, booking.id, "cancel", settings=s, now=late)
    assert cancelled.captured_cents == PRICE // 2
    line = await riding_line(w.client_id, late)
    assert (line.held_cents, line.spent_cents) == (0, PRICE // 2)


async def test_no_show_per_policy(db):
    w = await build(db.settings, no_show_fee=100)
    s = db.settings
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    marked = await bookings.act(w.provider, booking.id, "no_show", settings=s, now=SLOT + dt.timedelta(minutes=20))
    assert marked.status == "no_show" and marked.captured_cents == PRICE


async def test_a_repeated_request_is_one_booking_and_a_changed_one_is_refused(db):
    w = await build(db.settings)
    s = db.settings
    first = await bookings.book(w.client, request(w), settings=s, now=NOW, idempotency_key="k-1")
    again = await bookings.book(w.client, request(w), settings=s, now=NOW, idempotency_key="k-1")
    assert again.id == first.id
    with pytest.raises(Conflict):
        await bookings.book(w.client, request(w, quantity=2), settings=s, now=NOW, idempotency_key="k-1")
    assert await Booking.count().run() == 1
    assert await Authorization.count().run() == 1
    assert (await riding_line(w.client_id)).held_cents == PRICE


async def test_the_voucher_declines_with_the_card_codes_and_nothing_is_held(db):
    w = await build(db.settings, riding_cents=PRICE - 1)
    with pytest.raises(Conflict) as refused:
        await bookings.book(w.client, request(w), settings=db.settings, now=NOW)
    assert refused.value.key == "voucher.decline.insufficient_funds"
    assert await Booking.count().run() == 0
    assert await Authorization.count().run() == 0
    assert not await Slot.exists().where(Slot.booked > 0).run()  # the place was rolled back with the hold
    refusal = await AuditEvent.select().where(AuditEvent.action == "booking.refused").first().output(load_json=True).run()
    assert refusal["details"]["reason"] == "voucher.decline.insufficient_funds"


async def test_slots_that_are_not_offered_or_past_are_refused(db):
    w = await build(db.settings)
    with pytest.raises(Invalid):
        await bookings.book(w.client, request(w, starts_at=SLOT + dt.timedelta(minutes=30)), settings=db.settings, now=NOW)
    with pytest.raises(Invalid):
        await bookings.book(w.client, request(w), settings=db.settings, now=SLOT + dt.timedelta(minutes=1))
    with pytest.raises(Invalid):
        await bookings.book(w.client, request(w, quantity=3), settings=db.settings, now=NOW)


async def test_a_proxy_books_for_the_client_and_every_step_says_for_whom(db):
    w = await build(db.settings)
    s = db.settings
    with pytest.raises(Forbidden):  # no grant yet
        await bookings.book(w.proxy, request(w, client_id=w.client_id), settings=s, now=NOW)
    await grant_proxy(w, ["view"])
    with pytest.raises(Forbidden):  # may look, may not book
        await bookings.book(w.proxy, request(w, client_id=w.client_id), settings=s, now=NOW)
    await grant_proxy(w, ["view", "book", "pay"])
    booking = await bookings.book(w.proxy, request(w, client_id=w.client_id), settings=s, now=NOW)
    assert booking.booked_by_proxy
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    after = SLOT + dt.timedelta(hours=1)
    await bookings.act(w.provider, booking.id, "deliver", settings=s, now=after)
    await bookings.act(w.proxy, booking.id, "accept", settings=s, now=after)
    events = await BookingEvent.select().where(BookingEvent.booking == booking.id).order_by(BookingEvent.at).run()
    by_proxy = [e for e in events if e["actor_role"] == "proxy"]
    assert [e["action"] for e in by_proxy] == ["request", "accept"]
    assert all(str(e["on_behalf_of"]) == w.client_id for e in by_proxy)
    audited = await AuditEvent.select().where(
        (AuditEvent.subject_id == str(booking.id)) & (AuditEvent.actor_role == "proxy")).run()
    assert {a["action"] for a in audited} == {"booking.request", "booking.accept"}
    assert all(str(a["on_behalf_of"]) == w.client_id for a in audited)


async def test_a_proxy_who_works_for_the_provider_is_refused(db):
    w = await build(db.settings)
    s = db.settings
    await grant_proxy(w, ["view", "book", "pay"])
    from core.tables import User

    # The proxy's e-mail is the provider's own: they work there.
    await User.update({User.email: "talli@tuulenpesa.example"}).where(User.id == w.proxy.user_id).run()
    assert await catalogue.works_for_provider(w.proxy.user_id, w.provider_id)
    with pytest.raises(Forbidden) as refused:
        await bookings.book(w.proxy, request(w, client_id=w.client_id), settings=s, now=NOW)
    assert refused.value.key == "booking.error.proxy_is_staff"
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    with pytest.raises(Forbidden):
        await bookings.act(w.proxy, booking.id, "cancel", settings=s, now=NOW)
    assert await Booking.count().where(Booking.status == "requested").run() == 1


async def test_what_bookings_hold_about_a_client_is_exported_and_pseudonymised(db):
    from marketplace.booking import privacy, reviews
    from marketplace.booking.schemas import BookingCreate, ReviewCreate

    w = await build(db.settings)
    s = db.settings
    booking = await bookings.book(w.client, BookingCreate(listing_id=w.listing_id, starts_at=SLOT,
                                                          note="Minulla on selkäkipuja"), settings=s, now=NOW)
    after = SLOT + dt.timedelta(hours=1)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "deliver", settings=s, now=after)
    await bookings.act(w.client, booking.id, "accept", settings=s, now=after)
    await reviews.write(w.client, booking.id, ReviewCreate(stars=5, recommend=10, text="Matti kiittää"), after)
    exported = await privacy.records(w.client_id)
    assert exported["bookings"][0]["note"] == "Minulla on selkäkipuja" and len(exported["booking_events"]) == 4
    assert exported["reviews"][0]["text"] == "Matti kiittää"
    await privacy.pseudonymise(w.client_id, "Poistettu 1", after)
    again = await privacy.records(w.client_id)
    assert again["bookings"][0]["note"] == "" and again["bookings"][0]["client_label"] == "Poistettu 1"
    assert again["reviews"][0]["text"] == "" and again["reviews"][0]["stars"] == 5
    assert again["bookings"][0]["captured_cents"] == PRICE
