"""The card authorisation API and the budget API over HTTP, exactly as docs/api.md describes them."""

import datetime as dt

from core import identity
from tests.helpers import login
from tests.voucher.vhelpers import NOW, make_world
from tests.world import card_pin, make_user
from voucher.tables import GoalScore

AUTH_KEYS = {"id", "status", "decline_code", "message", "amount_cents", "expires_at", "line_available_cents"}


def bearer(key: str, **extra) -> dict:
    return {"Authorization": f"Bearer {key}", **extra}


async def test_authorise_capture_refund_void_over_http(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    pin = await card_pin(w.client_id, "4729", db.settings)
    h = bearer(w.provider_key)
    # Over the 50 € exemption: the client types their PIN on the terminal.
    r = await client.post("/api/v1/authorizations", json={"card_token": w.token, "amount_cents": 7500, "client_code": pin,
                                                          "listing_id": w.listing_riding, "description": "45 min"}, headers=h)
    assert r.status_code == 201, r.text
    auth = r.json()
    assert AUTH_KEYS <= set(auth)
    assert auth["status"] == "approved" and auth["amount_cents"] == 7500 and auth["line_available_cents"] == 532500

    r = await client.get(f"/api/v1/authorizations/{auth['id']}", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "approved"

    r = await client.post(f"/api/v1/authorizations/{auth['id']}/capture", json={"amount_cents": 7501}, headers=h)
    assert r.status_code == 400 and r.json()["field"] == "amount_cents"
    r = await client.post(f"/api/v1/authorizations/{auth['id']}/capture", json={"amount_cents": 7000}, headers=h)
    assert r.status_code == 200, r.text
    cap = r.json()
    assert cap == {"id": cap["id"], "authorization_id": auth["id"], "amount_cents": 7000, "status": "captured",
                   "refunded_cents": 0}
    assert (await client.get(f"/api/v1/authorizations/{auth['id']}", headers=h)).json()["status"] == "partially_captured"

    r = await client.post(f"/api/v1/captures/{cap['id']}/refunds", json={"amount_cents": 1000}, headers=h)
    assert r.status_code == 201 and r.json()["amount_cents"] == 1000 and r.json()["capture_id"] == cap["id"]

    second = (await client.post("/api/v1/authorizations", json={"card_token": w.token, "amount_cents": 100,
                                                                "listing_id": w.listing_riding}, headers=h)).json()
    r = await client.post(f"/api/v1/authorizations/{second['id']}/void", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "voided"
    assert (await client.post(f"/api/v1/authorizations/{second['id']}/void", headers=h)).status_code == 409

    # The budget API matches: 7 000 captured, 1 000 of it refunded, nothing held. (Read by the
    # client's counsellor: an API key is for the card payment API only.)
    counsellor = await identity.create_user(email="ohjaaja@api.example", display_name="Ohjaaja", role="counsellor",
                                            organiser_id=w.organiser_id)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(counsellor, 1))
    budget = (await client.get(f"/api/v1/clients/{w.client_id}/budget")).json()
    assert budget["client_id"] == w.client_id and budget["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    day = next(l for l in budget["lines"] if l["category"] == "day-activities")
    assert {k: day[k] for k in ("granted_cents", "held_cents", "spent_cents", "available_cents")} == {
        "granted_cents": 540000, "held_cents": 0, "spent_cents": 6000, "available_cents": 534000}
    assert budget["total_available_cents"] == 534000 + 120000


async def test_decline_is_201_and_malformed_input_is_400_naming_the_field(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    pin = await card_pin(w.client_id, "4729", db.settings)
    h = bearer(w.provider_key, **{"Accept-Language": "sv"})
    # A thousand riding sessions (75 000 €), with the client's PIN: within the listing's price, beyond the budget.
    r = await client.post("/api/v1/authorizations", json={"card_token": w.token, "amount_cents": 7_500_000, "client_code": pin,
                                                          "listing_id": w.listing_riding, "quantity": 1000}, headers=h)
    assert r.status_code == 201
    body = r.json()
    assert body["status"] == "declined" and body["decline_code"] == "insufficient_funds"
    assert body["message"] == "Budjetissasi ei ole tähän riittävästi rahaa."  # the client's language (fi)
    for bad, field in (({"card_token": w.token, "amount_cents": 0}, "amount_cents"),
                       ({"card_token": w.token, "amount_cents": "10"}, "amount_cents"),
                       ({"amount_cents": 10}, "card_token"),
                       ({"card_token": w.token, "amount_cents": 10, "tip": 1}, "tip"),
                       ({"card_token": w.token, "amount_cents": 10, "listing_id": "nope"}, "listing_id"),
                       ({"card_token": w.token, "amount_cents": 10, "client_code": "47a9"}, "client_code"),
                       ({"card_token": w.token, "amount_cents": 10, "client_code": "472"}, "client_code"),
                       ({"card_token": w.token, "amount_cents": 10, "client_code": 4729}, "client_code"),
                       ({"card_token": w.token, "amount_cents": 10, "client_code": "1234567"}, "client_code"),
                       ({"card_token": w.token, "amount_cents": 10, "listing_id": w.listing_riding, "quantity": 0}, "quantity"),
                       ({"card_token": w.token, "amount_cents": 10, "listing_id": w.listing_riding, "quantity": 1001},
                        "quantity"),
                       ({"card_token": w.token, "amount_cents": 10, "booking_id": "nope"}, "booking_id")):
        r = await client.post("/api/v1/authorizations", json=bad, headers=h)
        assert r.status_code == 400, (bad, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["field"] == field or any(e["field"] == field for e in r.json().get("errors", [])), r.json()


async def test_idempotency_over_http(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    h = bearer(w.provider_key, **{"Idempotency-Key": "terminal-42"})
    payload = {"card_token": w.token, "amount_cents": 2500, "listing_id": w.listing_riding}
    first = await client.post("/api/v1/authorizations", json=payload, headers=h)
    replay = await client.post("/api/v1/authorizations", content=b'{"amount_cents": 2500, "card_token": "%s", "listing_id": "%s"}'
                               % (w.token.encode(), w.listing_riding.encode()), headers={**h, "content-type": "application/json"})
    assert (replay.status_code, replay.content) == (first.status_code, first.content)
    other = await client.post("/api/v1/authorizations", json={**payload, "amount_cents": 2501}, headers=h)
    assert other.status_code == 409
    assert (await client.post("/api/v1/authorizations", json=payload, headers=bearer(w.provider_key))).json()["id"] != (
        first.json()["id"]
    )


async def test_who_may_call(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    payload = {"card_token": w.token, "amount_cents": 100}
    assert (await client.post("/api/v1/authorizations", json=payload)).status_code == 401
    assert (await client.get(f"/api/v1/clients/{w.client_id}/budget")).status_code == 401
    # A terminal's key is for the card payment API only.
    assert (await client.get(f"/api/v1/clients/{w.client_id}/budget", headers=bearer(w.provider_key))).status_code == 403

    # The client sees their own budget; another client does not.
    me = await make_user("client", email="asiakas0001@test.example", client_id=w.client_id)
    await login(client, me)
    r = await client.get(f"/api/v1/clients/{w.client_id}/budget")
    assert r.status_code == 200 and r.json()["total_available_cents"] == 660000
    other = await make_user("client", email="toinen@test.example", client_id="00000000-0000-0000-0000-000000000001")
    await login(client, other)
    assert (await client.get(f"/api/v1/clients/{w.client_id}/budget")).status_code == 403


async def test_openapi_documents_the_voucher_api(client, db):
    doc = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/v1/authorizations", "/api/v1/authorizations/{authorization_id}/capture",
                 "/api/v1/captures/{capture_id}/refunds", "/api/v1/clients/{client_id}/budget", "/webhooks/stripe"):
        assert path in doc["paths"], path


async def test_client_plan_goals_and_proxies(app, client, db):
    w = await make_world(db.settings.secret_key)
    counsellor = await make_user("counsellor", email="suunnitelma@test.example", organiser_id=w.organiser_id)
    await login(client, counsellor)
    r = await client.put(f"/api/v1/clients/{w.client_id}/plan",
                         json={"needs": "Liikkuminen kodin ulkopuolella", "follow_up_dates": ["2026-06-01"]})
    assert r.status_code == 200 and r.json()["needs"] == "Liikkuminen kodin ulkopuolella"
    r = await client.post(f"/api/v1/clients/{w.client_id}/plan/goals",
                          json={"title": "Käyn ratsastamassa kerran viikossa", "levels": {"0": "kerran viikossa"}})
    assert r.status_code == 201
    goal_id = r.json()["goals"][0]["id"]
    assert (await client.post(f"/api/v1/goals/{goal_id}/scores", json={"score": 3})).status_code == 400
    # A score from last month's follow-up meeting, written down today, and one from today.
    r = await client.post(f"/api/v1/goals/{goal_id}/scores", json={"score": -1, "scored_at": "2026-02-10T10:00:00+02:00"})
    assert r.status_code == 201
    assert (await client.post(f"/api/v1/goals/{goal_id}/scores", json={"score": 1})).status_code == 201
    plan = (await client.get(f"/api/v1/clients/{w.client_id}/plan")).json()
    assert [s["score"] for s in plan["goals"][0]["scores"]] == [-1, 1]
    assert plan["goals"][0]["scores"][0]["scored_at"].startswith("2026-02-10T08:00:00")
    recorded = await GoalScore.select(GoalScore.recorded_at).order_by(GoalScore.recorded_at).run()
    assert all(r["recorded_at"].year >= 2026 and r["recorded_at"].month > 2 for r in recorded)

    proxy = await make_user("proxy", email="omainen@test.example")
    r = await client.post(f"/api/v1/clients/{w.client_id}/proxies", json={"proxy_user_id": proxy["id"], "rights": ["view"],
                                                                          "reason": "tytär"})
    assert r.status_code == 201
    grant = r.json()
    await login(client, proxy)
    assert (await client.get(f"/api/v1/clients/{w.client_id}/budget")).status_code == 200
    assert (await client.get(f"/api/v1/clients/{w.client_id}/plan")).status_code == 200
    await login(client, counsellor)
    assert (await client.post(f"/api/v1/proxies/{grant['id']}/revoke", json={})).json()["revoked_at"]
    await login(client, proxy)
    assert (await client.get(f"/api/v1/clients/{w.client_id}/budget")).status_code == 403


async def test_providers_see_remittance_over_http(app, client, db):
    from admin import payouts
    from voucher.settlement import settle

    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    h = bearer(w.provider_key)
    auth = (await client.post("/api/v1/authorizations", json={"card_token": w.token, "amount_cents": 4000,
                                                              "listing_id": w.listing_riding}, headers=h)).json()
    cap = (await client.post(f"/api/v1/authorizations/{auth['id']}/capture", json={"amount_cents": 4000}, headers=h)).json()
    # The first settlement after the capture's dispute window (the client could dispute it until then).
    await settle(db.settings, NOW + dt.timedelta(days=db.settings.dispute_window_days + 1), confirmation=payouts.unconfirmed)
    # Remittance is for the provider's signed-in staff (a terminal's key may not read it).
    assert (await client.get("/api/v1/settlements", headers=h)).status_code == 403
    staff = await make_user("provider_staff", email="kaisa@tuulenpesa.example", provider_id=w.provider_id)
    await login(client, staff)
    [batch] = (await client.get("/api/v1/settlements")).json()
    assert batch["status"] == "paid" and batch["total_cents"] == 4000 and batch["reference"].startswith("RF")
    assert batch["items"] == [{"capture_id": cap["id"], "refund_id": None, "amount_cents": 4000}]
    assert batch["payout_reference"].startswith("pain001-")
    other = await make_user("provider_staff", email="muu@sivellin.example", provider_id=w.other_provider_id)
    await login(client, other)
    assert (await client.get("/api/v1/settlements")).json() == []
