"""Acceptance 3: a delivered but unconfirmed booking is captured only after the dispute window (the
clock is injected, nothing sleeps); a disputed one is not captured until the organiser decides."""

import datetime as dt

import pytest

from core.errors import Conflict, Forbidden
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking
from tests.marketplace.booking_world import NOW, PRICE, SLOT, SLOT_END, build, request
from voucher.tables import Authorization, Capture

DAY = dt.timedelta(days=1)


async def _delivered(w, settings):
    booking = await bookings.book(w.client, request(w), settings=settings, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=settings, now=NOW)
    delivered_at = SLOT + dt.timedelta(minutes=45)
    return await bookings.act(w.provider, booking.id, "deliver", settings=settings, now=delivered_at)


async def _captures(booking) -> int:
    return await Capture.count().where(Capture.authorization_id == booking.authorization_id).run()


async def test_unconfirmed_delivery_is_captured_only_after_the_window(db):
    s = db.settings
    assert s.dispute_window_days == 3
    w = await build(s)
    booking = await _delivered(w, s)
    deadline = SLOT_END + 3 * DAY
    assert booking.dispute_until == deadline

    for moment in (SLOT_END, SLOT_END + DAY, deadline - dt.timedelta(seconds=1)):
        assert await bookings.complete_due(s, moment) == 0
        assert (await Booking.select(Booking.status).where(Booking.id == booking.id).first().run())["status"] == "delivered"
        assert await _captures(booking) == 0

    assert await bookings.complete_due(s, deadline) == 1
    row = await Booking.select().where(Booking.id == booking.id).first().run()
    assert (row["status"], row["captured_cents"]) == ("completed", PRICE)
    assert await _captures(booking) == 1
    assert await bookings.complete_due(s, deadline + DAY) == 0  # once only
    assert await _captures(booking) == 1
    history = await bookings.read_for(w.client, booking.id)
    assert history.events[-1].action == "auto_complete" and history.events[-1].actor_role == "system"


async def test_the_window_length_comes_from_settings(db):
    import msgspec

    s = msgspec.structs.replace(db.settings, dispute_window_days=7)
    w = await build(s)
    booking = await _delivered(w, s)
    assert booking.dispute_until == SLOT_END + 7 * DAY
    assert await bookings.complete_due(s, SLOT_END + 6 * DAY) == 0
    assert await bookings.complete_due(s, SLOT_END + 7 * DAY) == 1


async def test_a_disputed_booking_waits_for_the_organiser(db):
    s = db.settings
    w = await build(s)
    booking = await _delivered(w, s)
    disputed = await bookings.act(w.client, booking.id, "dispute", settings=s, now=SLOT_END + DAY,
                                  reason="Tunti jäi pitämättä")
    assert disputed.status == "disputed" and disputed.dispute_reason == "Tunti jäi pitämättä"
    # The client's own words stay with the booking (which pseudonymisation can clear), never in the
    # append-only audit log, which only says that a reason was given.
    from core.tables import AuditEvent

    entry = await AuditEvent.select().where(AuditEvent.action == "booking.dispute").output(load_json=True).first().run()
    assert entry["reason"] == "" and entry["details"]["with_note"] is True
    assert not await AuditEvent.count().where(AuditEvent.reason.like("%pitämättä%")).run()
    # Long after the window nothing is captured, and the provider cannot resolve it.
    assert await bookings.complete_due(s, SLOT_END + 10 * DAY) == 0
    assert await _captures(booking) == 0
    with pytest.raises(Forbidden):
        await bookings.act(w.provider, booking.id, "resolve_capture", settings=s, now=SLOT_END + 10 * DAY)
    with pytest.raises(Conflict):  # the client's say-so is no longer what decides
        await bookings.act(w.client, booking.id, "accept", settings=s, now=SLOT_END + 10 * DAY)
    assert await _captures(booking) == 0
    auth = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert auth["status"] == "approved" and auth["expires_at"] > SLOT_END + 10 * DAY  # still held

    decided = await bookings.act(w.organiser, booking.id, "resolve_capture", settings=s, now=SLOT_END + 11 * DAY)
    assert decided.status == "completed" and decided.captured_cents == PRICE
    assert await _captures(booking) == 1


async def test_the_organiser_may_decide_not_to_pay(db):
    s = db.settings
    w = await build(s)
    booking = await _delivered(w, s)
    await bookings.act(w.client, booking.id, "dispute", settings=s, now=SLOT_END, reason="Ei toteutunut")
    voided = await bookings.act(w.organiser, booking.id, "resolve_void", settings=s, now=SLOT_END + DAY,
                                reason="Tuottaja ei osoittanut toteutumista")
    assert voided.status == "voided" and voided.captured_cents == 0
    assert await _captures(booking) == 0
    auth = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert auth["status"] == "voided"


async def test_no_dispute_after_the_window(db):
    s = db.settings
    w = await build(s)
    booking = await _delivered(w, s)
    with pytest.raises(Conflict):
        await bookings.act(w.client, booking.id, "dispute", settings=s, now=SLOT_END + 3 * DAY + dt.timedelta(seconds=1),
                           reason="myöhässä")
