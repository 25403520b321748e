"""Acceptance 4: every state transition by the wrong role is refused with 403 (or 409) over the HTTP
API and changes nothing — the booking, its history, its hold, its slot, the captures — tested per
transition; the right role then succeeds through the same endpoint. A right role in the wrong state
gets 409, also changing nothing."""

import datetime as dt

import pytest

from core import identity
from marketplace.booking import domain
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking, BookingEvent, Slot
from tests.marketplace.booking_world import NOW, SLOT, build, grant_proxy, request
from voucher.tables import Authorization, Capture

AFTER_START = SLOT + dt.timedelta(minutes=30)
ROLES = ("client", "other_client", "proxy", "provider", "other_provider", "organiser", "counsellor")
SIDE_ROLES = {domain.CLIENT: {"client", "proxy"}, domain.PROVIDER: {"provider"}, domain.ORGANISER: {"organiser"}}

# The state each transition starts from, and the steps (with who takes them) that lead there.
PATHS = {
    "confirm": [],
    "decline": [],
    "cancel": [("provider", "confirm")],
    "deliver": [("provider", "confirm")],
    "no_show": [("provider", "confirm")],
    "accept": [("provider", "confirm"), ("provider", "deliver")],
    "dispute": [("provider", "confirm"), ("provider", "deliver")],
    "resolve_capture": [("provider", "confirm"), ("provider", "deliver"), ("client", "dispute")],
    "resolve_void": [("provider", "confirm"), ("provider", "deliver"), ("client", "dispute")],
}


async def snapshot(booking_id: str) -> dict:
    booking = await Booking.select().where(Booking.id == booking_id).first().output(load_json=True).run()
    auth = await Authorization.select(Authorization.status, Authorization.captured_cents).where(
        Authorization.id == booking["authorization_id"]).first().run()
    return {
        "booking": booking,
        "events": await BookingEvent.count().where(BookingEvent.booking == booking_id).run(),
        "auth": auth,
        "booked": (await Slot.select(Slot.booked).where(Slot.id == booking["slot"]).first().run())["booked"],
        "captures": await Capture.count().run(),
    }


@pytest.fixture
async def world(db, app):
    w = await build(db.settings, clients=2, capacity=20)
    await grant_proxy(w, ["view", "book", "pay"])
    actors = {"client": w.clients[0], "other_client": w.clients[1], "proxy": w.proxy, "provider": w.provider,
              "other_provider": w.other_provider, "organiser": w.organiser, "counsellor": w.counsellor}
    clock = {"now": NOW}
    app.state.clock = lambda: clock["now"]
    return w, actors, clock


async def as_role(client, actor) -> None:
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))


async def prepared(w, actors, action: str, settings) -> str:
    booking = await bookings.book(w.client, request(w), settings=settings, now=NOW)
    for who, step in PATHS[action]:
        now = AFTER_START if step in ("deliver", "dispute") else NOW
        await bookings.act(actors[who], booking.id, step, settings=settings, now=now,
                           reason="syy" if step == "dispute" else "")
    return booking.id


async def test_wrong_roles_are_refused_and_change_nothing(db, client, world):
    w, actors, clock = world
    for action in PATHS:
        clock["now"] = NOW
        await _check_transition(db, client, w, actors, clock, action)


async def _check_transition(db, client, w, actors, clock, action: str) -> None:
    booking_id = await prepared(w, actors, action, db.settings)
    clock["now"] = AFTER_START
    transition = domain.TRANSITIONS[action]
    allowed = SIDE_ROLES[transition.side]
    before = await snapshot(booking_id)
    url = f"/api/v1/bookings/{booking_id}/actions/{action}"

    client.cookies.clear()
    response = await client.post(url, json={"reason": "matriisi"})
    assert response.status_code == 401, response.text
    for role in ROLES:
        if role in allowed:
            continue
        await as_role(client, actors[role])
        response = await client.post(url, json={"reason": "matriisi"})
        assert response.status_code in (403, 409), (action, role, response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert await snapshot(booking_id) == before, (action, role)

    role = sorted(allowed)[0]
    await as_role(client, actors[role])
    response = await client.post(url, json={"reason": "matriisi"})
    assert response.status_code == 200, (action, role, response.text)
    assert response.json()["status"] == transition.target
    after = await snapshot(booking_id)
    assert after["events"] == before["events"] + 1
    # A repeat is a clean 409 that changes nothing more.
    response = await client.post(url, json={"reason": "matriisi"})
    assert response.status_code == 409
    assert await snapshot(booking_id) == after


async def test_right_role_in_the_wrong_state_is_a_409(db, client, world):
    w, actors, clock = world
    booking_id = await prepared(w, actors, "confirm", db.settings)  # requested
    before = await snapshot(booking_id)
    for role, action in (("client", "accept"), ("client", "dispute"), ("provider", "deliver"),
                         ("provider", "no_show"), ("organiser", "resolve_capture"), ("organiser", "resolve_void")):
        await as_role(client, actors[role])
        response = await client.post(f"/api/v1/bookings/{booking_id}/actions/{action}", json={"reason": "x"})
        assert response.status_code == 409, (role, action, response.text)
        assert await snapshot(booking_id) == before


async def test_a_proxy_without_the_right_is_refused(db, client, world):
    w, actors, clock = world
    booking_id = await prepared(w, actors, "accept", db.settings)  # delivered
    await grant_proxy(w, ["view"])  # replaces the full grant
    before = await snapshot(booking_id)
    await as_role(client, w.proxy)
    for action in ("accept", "dispute"):
        response = await client.post(f"/api/v1/bookings/{booking_id}/actions/{action}", json={"reason": "x"})
        assert response.status_code == 403
    assert await snapshot(booking_id) == before
    # Seeing the booking is still allowed.
    assert (await client.get(f"/api/v1/bookings/{booking_id}")).status_code == 200


async def test_reading_a_booking(db, client, world):
    w, actors, clock = world
    booking_id = await prepared(w, actors, "confirm", db.settings)
    for role in ROLES:
        await as_role(client, actors[role])
        response = await client.get(f"/api/v1/bookings/{booking_id}")
        expected = 403 if role in ("other_client", "other_provider") else 200
        assert response.status_code == expected, (role, response.text)
    assert (await client.post(f"/api/v1/bookings/{booking_id}/actions/auto_complete", json={})).status_code == 404


async def test_a_booking_body_is_read_strictly_once_and_a_number_as_text_holds_nothing(db, client, world):
    """POST /api/v1/bookings holds money, so its body is decoded as the card API's is: once, strictly
    (core.web.StrictBody). A quantity sent as text is a 400 naming the field, and nothing is held."""
    w, actors, _clock = world
    await as_role(client, actors["client"])
    body = {"listing_id": w.listing_id, "starts_at": SLOT.isoformat(), "quantity": "1"}
    refused = await client.post("/api/v1/bookings", json=body)
    assert refused.status_code == 400 and refused.json()["field"] == "quantity", refused.text
    assert await Booking.count().run() == 0 and await Authorization.count().run() == 0
    booked = await client.post("/api/v1/bookings", json={**body, "quantity": 1})
    assert booked.status_code == 201, booked.text
