"""Issue 12, findings 3 and 7, on SQLite and PostgreSQL, over HTTP as the outside attack made them.

3. A booking's hold moves only through the booking's own transitions: the public capture and void
   refuse it (409 ``voucher.error.booking_hold``) whoever asks — the provider's key or staff, the
   client's organiser — and the booking's decline still releases it. A refund of a booking's
   capture stays open to its provider and organiser: it only returns money to the client's budget.
7. A terminal API key may use the card payment API only (authorise, read its provider's
   authorisations, capture, void, refund); every other route refuses it with 403 — among them the
   bank account, e-mail, categories, new keys and the bookings. The access matrix
   (tests/hardening/access_table.py, role ``provider_key``) states it for every route.
"""

import datetime as dt

from litestar.routes import HTTPRoute

from core import identity
from hb.app import create_app
from core.settings import Settings
from core.tables import ApiKey
from marketplace.booking import services as bookings
from marketplace.booking.tables import Booking
from marketplace.tables import Provider
from tests.marketplace.booking_world import NOW, PRICE, RIDING_GRANT, SLOT, build, request
from voucher import budgets
from voucher.tables import Authorization, Capture

CARD = "hbc_booking_001_token"  # the booking world's first client's card
CARD_PAYMENT_API = {
    "POST /api/v1/authorizations",
    "GET /api/v1/authorizations/{authorization_id:str}",
    "POST /api/v1/authorizations/{authorization_id:str}/capture",
    "POST /api/v1/authorizations/{authorization_id:str}/void",
    "POST /api/v1/captures/{capture_id:str}/refunds",
}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


async def signed_in(actor) -> dict:
    return {"Cookie": f"{identity.SESSION_COOKIE}={await identity.start_session(actor.user_id, 1)}"}


async def riding_line(client_id, now=NOW):
    budget = await budgets.budget_for(client_id, now)
    return next(line for line in budget.lines if line.category == "sport-riding")


async def test_finding3_a_bookings_hold_is_captured_or_voided_only_through_the_booking(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings)
    booking = await bookings.book(w.client, request(w), settings=db.settings, now=NOW)
    assert booking.status == "requested" and booking.authorization_id
    key = (await identity.create_api_key(provider_id=w.provider_id, label="kassa"))[1]
    callers = {"provider's key": bearer(key), "provider's staff": await signed_in(w.provider),
               "client's organiser": await signed_in(w.organiser)}
    for who, headers in callers.items():
        for action, body in (("capture", {"amount_cents": PRICE}), ("void", {})):
            r = await client.post(f"/api/v1/authorizations/{booking.authorization_id}/{action}", json=body,
                                  headers=headers)
            assert r.status_code == 409, (who, action, r.status_code, r.text)
            assert r.json()["code"] == "voucher.error.booking_hold", (who, action, r.json())
    hold = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert (hold["status"], hold["captured_cents"]) == ("approved", 0)
    assert await Capture.count().run() == 0
    assert (await riding_line(w.client_id)).held_cents == PRICE

    # The booking's own transition still moves its hold: the provider declines, the money returns.
    r = await client.post(f"/api/v1/bookings/{booking.id}/actions/decline", json={"reason": "Hevonen ontuu"},
                          headers=callers["provider's staff"])
    assert r.status_code == 200 and r.json()["status"] == "declined", r.text
    hold = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert hold["status"] == "voided" and (await riding_line(w.client_id)).held_cents == 0

    # A paid booking's capture may be refunded by its provider's terminal: the money goes back to
    # the client's line and the booking stays as it was.
    paid = await bookings.book(w.client, request(w), settings=db.settings, now=NOW)
    after = SLOT + dt.timedelta(minutes=50)
    for actor, action, at in ((w.provider, "confirm", NOW), (w.provider, "deliver", after), (w.client, "accept", after)):
        await bookings.act(actor, paid.id, action, settings=db.settings, now=at)
    capture_id = (await Booking.select(Booking.capture_id).where(Booking.id == paid.id).first().run())["capture_id"]
    r = await client.post(f"/api/v1/captures/{capture_id}/refunds", json={"amount_cents": 2500}, headers=bearer(key))
    assert r.status_code == 201, r.text
    line = await riding_line(w.client_id, after)
    assert (line.held_cents, line.spent_cents, line.available_cents) == (0, PRICE - 2500, RIDING_GRANT - PRICE + 2500)
    assert (await Booking.select(Booking.status).where(Booking.id == paid.id).first().run())["status"] == "completed"


async def test_finding7_a_terminal_key_cannot_do_what_only_signed_in_staff_may(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings)
    booking = await bookings.book(w.client, request(w), settings=db.settings, now=NOW)
    key = (await identity.create_api_key(provider_id=w.provider_id, label="kassa"))[1]
    provider = f"/api/v1/providers/{w.provider_id}"
    before = await Provider.select(Provider.iban, Provider.email).where(Provider.id == w.provider_id).first().run()
    attempts = [
        ("PATCH", provider, {"iban": "FI2112345600000785"}),
        ("PATCH", provider, {"email": "hyokkaaja@example.com"}),
        ("PATCH", provider, {"categories": ["sport-riding", "culture-art"]}),
        ("GET", provider, None),
        ("POST", f"{provider}/api-keys", {"label": "toinen"}),
        ("GET", f"{provider}/api-keys", None),
        ("GET", "/api/v1/bookings", None),
        ("GET", f"/api/v1/bookings/{booking.id}", None),
        ("POST", f"/api/v1/bookings/{booking.id}/actions/confirm", {}),
        ("GET", "/api/v1/settlements", None),
        ("GET", f"/api/v1/clients/{w.client_id}/budget", None),
        ("GET", "/api/v1/categories", None),  # public to people; a key is still only a terminal's
    ]
    for method, url, body in attempts:
        r = await client.request(method, url, json=body, headers=bearer(key))
        assert r.status_code == 403, (method, url, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["code"] == "error.api_key_scope", (method, url, r.json())
    after = await Provider.select(Provider.iban, Provider.email).where(Provider.id == w.provider_id).first().run()
    assert after == before
    assert await ApiKey.count().where(ApiKey.provider_id == w.provider_id).run() == 1
    assert (await Booking.select(Booking.status).where(Booking.id == booking.id).first().run())["status"] == "requested"

    # What the key is for: the card payment API.
    payment = {"card_token": CARD, "amount_cents": 3000, "listing_id": w.listing_id}
    auth = (await client.post("/api/v1/authorizations", json=payment, headers=bearer(key))).json()
    assert auth["status"] == "approved", auth
    assert (await client.get(f"/api/v1/authorizations/{auth['id']}", headers=bearer(key))).status_code == 200
    r = await client.post(f"/api/v1/authorizations/{auth['id']}/capture", json={"amount_cents": 3000}, headers=bearer(key))
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/captures/{r.json()['id']}/refunds", json={"amount_cents": 1000}, headers=bearer(key))
    assert r.status_code == 201, r.text
    second = (await client.post("/api/v1/authorizations", json=payment, headers=bearer(key))).json()
    r = await client.post(f"/api/v1/authorizations/{second['id']}/void", json={}, headers=bearer(key))
    assert r.status_code == 200 and r.json()["status"] == "voided", r.text


def test_finding7_only_the_card_payment_api_accepts_a_terminal_key(tmp_path):
    """Read from the app itself, so a new route is covered: it accepts no key unless it says so."""
    app = create_app(Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "k" * 40}))
    open_to_keys = {
        f"{method} {route.path}"
        for route in app.routes if isinstance(route, HTTPRoute)
        for handler in route.route_handlers if identity.TERMINAL in handler.opt.get("api_key_scopes", ())
        for method in handler.http_methods if method not in ("HEAD", "OPTIONS")
    }
    assert open_to_keys == CARD_PAYMENT_API
