"""Data-subject rights: an organiser admin exports everything held about one client as JSON (and the
export is itself an audited read), and pseudonymises the client once the retention period is over —
no name, national-ID hash, free text or working card left, every balance exactly as before."""

import datetime as dt
import json

import pytest

from core import identity
from core.errors import Conflict
from core.identity import Actor
from core.privacy import pseudonymise_client
from core.tables import AuditEvent, User
from tests import world as world_helpers
from tests.hardening.world import CARDS, load_world
from marketplace.booking.tables import Notification
from voucher import authorisation, budgets
from voucher.disputes import services as disputes
from voucher.ledger import check_books
from voucher.schemas import AuthorizationRequest
from voucher.tables import Card, Client, ProxyGrant


async def _setup(db, make_client):
    world = await load_world(db.settings)
    refs = world["refs"]
    client_id = refs["cli-a1"]
    provider = Actor(role="provider_staff", provider_id=refs["prov-a"], display_name="terminal",
                     api_key_id="00000000-0000-0000-0000-000000000002")
    now = dt.datetime.now(dt.timezone.utc)
    req = AuthorizationRequest(card_token=CARDS["cli-a1"], amount_cents=7500, listing_id=refs["lst-riding"],
                               description="Ratsastustunti Maija Meikäläiselle",
                               client_code=await world_helpers.consent_code(client_id, 7500, db.settings, now=now))
    auth = json.loads((await authorisation.authorise(provider, req, settings=db.settings, now=now)).body)
    client_user = await identity.create_user(email="maija@test.example", display_name="Maija Meikäläinen",
                                             role="client", client_id=client_id, password="salasana-pitka-2026")
    proxy_user = await identity.create_user(email="omainen@test.example", display_name="Matti Meikäläinen", role="proxy")
    await ProxyGrant.insert(ProxyGrant(client=client_id, proxy_user_id=proxy_user, reason="Tytär")).run()
    # The capture is told to the client and the proxy (whose message names the client), and disputed.
    now = dt.datetime.now(dt.timezone.utc)
    capture = json.loads((await authorisation.capture(provider, auth["id"], 7000, now=now)).body)
    await disputes.dispute(Actor(user_id=client_user, role="client", client_id=client_id, display_name="Maija"),
                           capture["id"], "Maija ei ollut tunnilla", now=now)
    admin_id = await identity.create_user(email="admin-a@test.example", display_name="Admin A", role="organiser_admin",
                                          organiser_id=refs["org-a"])
    other_id = await identity.create_user(email="admin-b@test.example", display_name="Admin B", role="organiser_admin",
                                          organiser_id=refs["org-b"])
    http = await make_client()
    http.cookies.set(identity.SESSION_COOKIE, await identity.start_session(admin_id, 1))
    other = await make_client(app=http.app)
    other.cookies.set(identity.SESSION_COOKIE, await identity.start_session(other_id, 1))
    admin = Actor(user_id=admin_id, role="organiser_admin", display_name="Admin A", organiser_id=refs["org-a"])
    return refs, client_id, auth, client_user, http, other, admin


async def test_export_has_everything_about_the_client_and_is_audited(db, make_client):
    refs, client_id, auth, client_user, http, other, _ = await _setup(db, make_client)
    r = await http.get(f"/api/v1/clients/{client_id}/data-export")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    doc = r.json()
    assert doc["format"] == "hb-client-export/1" and doc["client"]["id"] == client_id
    assert [u["email"] for u in doc["user_accounts"]] == ["maija@test.example"]
    assert [p["display_name"] for p in doc["proxy_users"]] == ["Matti Meikäläinen"]
    assert {d["ref"] for d in doc["decisions"]} == {"dec-cli-a1"} and len(doc["budget_lines"]) == 2
    assert [a["id"] for a in doc["authorisations"]] == [auth["id"]] and doc["captures"][0]["amount_cents"] == 7000
    assert [d["reason"] for d in doc["capture_disputes"]] == ["Maija ei ollut tunnilla"]
    assert len(doc["cards"]) == 1 and "token_hash" not in doc["cards"][0] and "national_id_hash" not in doc["client"]
    assert "pin_hash" not in doc["cards"][0]
    assert [c["ceiling_cents"] for c in doc["payment_codes"]] == [7500] and "code_hash" not in doc["payment_codes"][0]
    # The access log is part of it: at least this export's own read.
    assert any(e["purpose"] == "data_subject_export" for e in doc["access_log"])
    # Another county's admin cannot see the client at all.
    assert (await other.get(f"/api/v1/clients/{client_id}/data-export")).status_code == 404


async def test_pseudonymise_after_retention_keeps_every_balance(db, make_client):
    refs, client_id, auth, client_user, http, other, admin = await _setup(db, make_client)
    counsellor = Actor(user_id="00000000-0000-4000-8000-000000000009", role="counsellor", organiser_id=refs["org-a"], display_name="x")
    before_budget = await budgets.budget(counsellor, client_id)
    before_books = await check_books()

    # Within the retention period: refused, with the date it ends.
    r = await http.post(f"/api/v1/clients/{client_id}/pseudonymise", json={"reason": "Säilytysaika"})
    assert r.status_code == 409 and r.json()["status"] == 409
    assert (await other.post(f"/api/v1/clients/{client_id}/pseudonymise", json={"reason": "x"})).status_code == 404
    try:
        await pseudonymise_client(admin, client_id, "x", at=dt.datetime(2999, 1, 1, tzinfo=dt.timezone.utc))
    except Conflict:
        pass  # the world's decision runs to 2999-12-31
    later = dt.datetime(3012, 1, 1, tzinfo=dt.timezone.utc)
    done = await pseudonymise_client(admin, client_id, "Säilytysaika päättynyt", at=later)
    assert done["display_name"].startswith("Pseudonymisoitu ")

    client = await Client.select().where(Client.id == client_id).first().run()
    assert client["display_name"] == done["display_name"] and client["ref"] is None and client["national_id_hash"] is None
    card = await Card.select().where(Card.client == client_id).first().run()
    assert card["status"] == "closed" and card["token_hash"] != identity.keyed_hash(db.settings.secret_key, CARDS["cli-a1"])
    user = await User.select().where(User.id == client_user).first().run()
    assert not user["active"] and user["password_hash"] is None and "maija" not in user["email"]
    assert await identity.password_login("maija@test.example", "salasana-pitka-2026") is None
    grant = await ProxyGrant.select().where(ProxyGrant.client == client_id).first().run()
    assert grant["revoked_at"] is not None and grant["reason"] == ""
    # The export now holds nothing that names the person; the money is exactly where it was.
    dump = json.dumps((await http.get(f"/api/v1/clients/{client_id}/data-export")).json(), ensure_ascii=False)
    for personal in ("Maija", "maija@", "Tytär", "Meikäläiselle", "Asiakas a1"):
        assert personal not in dump, personal
    # The proxy's message about the card payment names the client by the new pseudonym only.
    told = await Notification.select(Notification.params).where(Notification.kind == "card_captured").output(
        load_json=True).run()
    assert [n["params"].get("client") for n in told if "client" in n["params"]] == [done["display_name"]]
    after_budget = await budgets.budget(counsellor, client_id)
    assert after_budget.lines == before_budget.lines
    after_books = await check_books()
    assert {k: after_books[k] for k in ("transfers", "held_cents", "spent_cents")} == \
        {k: before_books[k] for k in ("transfers", "held_cents", "spent_cents")}
    assert await AuditEvent.count().where(AuditEvent.action == "client.pseudonymised").run() == 1


async def test_export_and_pseudonymisation_reach_bookings_reviews_and_the_console(db):
    """core.privacy asks every package that holds rows about the client, not only the voucher."""
    from core.privacy import export_client
    from marketplace.booking import reviews
    from marketplace.booking import services as bookings
    from marketplace.booking.schemas import BookingCreate, ReviewCreate
    from tests.marketplace.booking_world import NOW, SLOT, build

    w = await build(db.settings)
    booking = await bookings.book(w.client, BookingCreate(listing_id=w.listing_id, starts_at=SLOT,
                                                          note="Tarvitsen apua satulaan nousemisessa"),
                                  settings=db.settings, now=NOW)
    after = SLOT + dt.timedelta(hours=1)
    for actor, action in ((w.provider, "confirm"), (w.provider, "deliver"), (w.client, "accept")):
        await bookings.act(actor, booking.id, action, settings=db.settings, now=after if action != "confirm" else NOW)
    await reviews.write(w.client, booking.id, ReviewCreate(stars=4, recommend=8, text="Hevonen oli ihana"), after)

    doc = await export_client(w.organiser, w.client_id)
    assert [b["id"] for b in doc["bookings"]] == [str(booking.id)]
    assert doc["bookings"][0]["note"] == "Tarvitsen apua satulaan nousemisessa"
    assert [r["text"] for r in doc["reviews"]] == ["Hevonen oli ihana"] and len(doc["booking_events"]) == 4
    assert doc["anomaly_flags"] == [] and "monthly_spending" in doc

    # The decision ends 2026-12-31: twelve years on, not before.
    with pytest.raises(Conflict):
        await pseudonymise_client(w.organiser, w.client_id, "liian aikaisin", at=dt.datetime(2038, 1, 1, tzinfo=dt.timezone.utc))
    await pseudonymise_client(w.organiser, w.client_id, "Säilytysaika päättynyt",
                              at=dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))
    dump = json.dumps(await export_client(w.organiser, w.client_id), ensure_ascii=False, default=str)
    for personal in ("satulaan", "Hevonen oli ihana", "Asiakas 0001"):
        assert personal not in dump, personal
    again = await export_client(w.organiser, w.client_id)
    assert again["bookings"][0]["captured_cents"] == doc["bookings"][0]["captured_cents"] > 0
    assert again["reviews"][0]["stars"] == 4
