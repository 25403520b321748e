"""Supported purchasing and the message thread over HTTP (issue 17, part E): the counsellor books for
a client from the client's page with the consent recorded on the form; the client's side sees who
booked; the standing consent on /budget; the thread between the client and the counsellors, its
e-mail notice without the text, its audited reads, and who is told nothing."""

import re
import uuid

from core import identity
from core.tables import AuditEvent
from marketplace.booking.tables import Booking, Notification
from tests import world as tw
from tests.helpers import form_post
from tests.marketplace.booking_world import NOW, PRICE, SLOT, build, grant_proxy
from voucher import caseload
from voucher.tables import Authorization, ClientMessage

SECRET = "Tarvitsen apua ratsastusterapian varaamisessa, soitatteko?"


async def as_user(client, actor) -> None:
    client.cookies.clear()
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))


async def test_the_counsellor_books_for_the_client_from_the_client_page(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: NOW
    await as_user(client, w.counsellor)
    home = await client.get(f"/counsellor/clients/{w.client_id}")
    assert f'href="/search?client_id={w.client_id}"' in home.text and "Varaa asiakkaalle" in home.text
    found = await client.get(f"/search?client_id={w.client_id}")
    assert "Varaat asiakkaalle Asiakas 0001" in found.text
    assert f'href="/listings/{w.listing_id}?client_id={w.client_id}"' in found.text
    listing = await client.get(f"/listings/{w.listing_id}?client_id={w.client_id}")
    assert listing.status_code == 200
    text = listing.text
    assert "Asiakkaan suostumus" in text and "Asiakas suostui puhelimessa" in text
    assert "ei ole antanut sinulle pysyvää lupaa" in text  # no standing consent: the way must be recorded
    form_key = re.search(r'name="form_key" value="([^"]+)"', text).group(1)
    body = {"listing_id": w.listing_id, "form_key": form_key, "quantity": "1", "client_id": w.client_id,
            "starts_at": SLOT.isoformat()}
    # Without a consent: 403 with the reason in Finnish; nothing is held.
    refused = await form_post(client, "/bookings", body)
    assert refused.status_code == 403 and "Asiakas ei ole antanut suostumusta" in refused.text
    assert await Authorization.count().run() == 0
    # A way without when: the form again with the error.
    again = await form_post(client, "/bookings", {**body, "consent": "phone", "consent_given_at": ""})
    assert again.status_code == 303 and f"client_id={w.client_id}" in again.headers["location"]
    assert "voucher.support.error.consent_when" in again.headers["location"]
    booked = await form_post(client, "/bookings", {**body, "consent": "phone", "consent_given_at": "2026-03-09T09:30"})
    assert booked.status_code == 303 and booked.headers["location"].startswith("/bookings/")
    row = await Booking.select().first().run()
    assert row["booked_by_role"] == "counsellor" and row["amount_cents"] == PRICE
    # The client sees who booked, in the list and on the booking.
    await as_user(client, w.client)
    listed = await client.get("/client/bookings")
    assert "Varannut: Olli Ohjaaja, asiakasohjaaja" in listed.text
    detail = await client.get(f"/bookings/{row['id']}")
    assert "Varannut: Olli Ohjaaja, asiakasohjaaja" in detail.text
    assert "Asiakas suostui puhelimessa 9.3.2026 9.30" in detail.text
    # The provider sees that a counsellor booked, not who.
    await as_user(client, w.provider)
    provider = await client.get("/provider/bookings")
    assert "Varannut asiakasohjaaja" in provider.text and "Olli Ohjaaja" not in provider.text
    provider_detail = await client.get(f"/bookings/{row['id']}")
    assert "Varannut asiakasohjaaja" in provider_detail.text and "suostui" not in provider_detail.text
    # Another county's counsellor: the client is not found.
    elsewhere = (await tw.person("counsellor", "ohjaaja@muualla.example", password=None,
                                 organiser_id=str(uuid.uuid4()))).actor
    await as_user(client, elsewhere)
    assert (await client.get(f"/listings/{w.listing_id}?client_id={w.client_id}")).status_code == 404
    response = await client.post("/api/v1/bookings", json={"listing_id": w.listing_id, "client_id": w.client_id,
                                                           "starts_at": SLOT.isoformat(), "consent": "in_person",
                                                           "consent_given_at": NOW.isoformat()})
    assert response.status_code == 404


async def test_the_standing_consent_is_given_and_taken_back_on_the_budget_page(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: NOW
    await as_user(client, w.client)
    page = await client.get("/budget")
    assert "Asiakasohjaajani saa varata palveluja puolestani" in page.text and "Anna lupa" in page.text
    # The client's page names their counsellor once they have one, with the way to write to them.
    assert "Asiakasohjaajaa ei ole vielä nimetty." in page.text and 'href="/messages"' in page.text
    await caseload.assign(w.counsellor, w.client_id, caseload.CounsellorAssign(counsellor_id=w.counsellor.user_id))
    assert f"Asiakasohjaajasi on {w.counsellor.display_name}." in (await client.get("/budget")).text
    given = await form_post(client, "/budget/purchase-consent", {"action": "give"})
    assert given.status_code == 303
    assert "Lupa on voimassa" in (await client.get(given.headers["location"])).text
    revoked = await form_post(client, "/budget/purchase-consent", {"action": "revoke"})
    assert "Lupa peruttiin" in (await client.get(revoked.headers["location"])).text
    # A proxy with only "view" sees it but may not change it.
    await grant_proxy(w, ["view"])
    await as_user(client, w.proxy)
    seen = await client.get(f"/budget?client={w.client_id}")
    assert "Et ole antanut lupaa" in seen.text and "Anna lupa" not in seen.text
    assert f"Asiakasohjaaja on {w.counsellor.display_name}." in seen.text
    assert (await form_post(client, "/budget/purchase-consent", {"action": "give", "client": w.client_id})).status_code == 403


async def test_a_message_from_the_client_reaches_the_counsellor_with_a_notice_without_its_text(db, app, client):
    w = await build(db.settings)
    app.state.clock = lambda: NOW
    await as_user(client, w.client)
    assert (await client.get("/messages")).status_code == 200
    empty = await form_post(client, "/messages", {"body": "   "})
    assert empty.status_code == 400 and 'aria-describedby="f-body-hint f-body-error"' in empty.text
    sent = await form_post(client, "/messages", {"body": SECRET})
    assert sent.status_code == 303
    # The client has no counsellor of their own: the county's counsellors hear, without the text.
    notices = await Notification.select().where(Notification.kind == "client_message").output(load_json=True).run()
    assert [str(n["user_id"]) for n in notices] == [w.counsellor.user_id]
    assert notices[0]["email_status"] == "pending" and SECRET not in str(notices[0]["params"])
    from marketplace import notifications
    subject, text = notifications.render("client_message", "fi", notices[0]["params"], "https://hb.example")
    assert subject == "Sinulle on uusi viesti HB-palvelussa" and SECRET not in text
    assert f"https://hb.example/counsellor/clients/{w.client_id}/messages" in text
    # Nothing of the body in the audit log.
    assert SECRET not in str(await AuditEvent.select(AuditEvent.details, AuditEvent.reason).run())
    await as_user(client, w.counsellor)
    home = await client.get(f"/counsellor/clients/{w.client_id}")
    assert "1 uutta" in home.text
    thread = await client.get(f"/counsellor/clients/{w.client_id}/messages")
    assert thread.status_code == 200 and SECRET in thread.text and "asiakas" in thread.text
    assert await AuditEvent.exists().where((AuditEvent.action == "client_data.read") & (AuditEvent.purpose == "messages")
                                           & (AuditEvent.actor_user_id == w.counsellor.user_id)).run()
    # Read now: the badge is gone (the word alone would match "muuttaa" elsewhere on the page).
    assert not re.search(r"\b\d+ uutta\b", (await client.get(f"/counsellor/clients/{w.client_id}")).text)
    reply = await form_post(client, f"/counsellor/clients/{w.client_id}/messages", {"body": "Soitan huomenna."})
    assert reply.status_code == 303
    assert await Notification.count().where((Notification.kind == "client_message")
                                            & (Notification.user_id == w.client.user_id)).run() == 1
    # The JSON API: the same thread; a too long body is a 400 naming it.
    api = await client.get(f"/api/v1/clients/{w.client_id}/messages")
    assert [m["body"] for m in api.json()["items"]] == ["Soitan huomenna.", SECRET]
    too_long = await client.post(f"/api/v1/clients/{w.client_id}/messages", json={"body": "x" * 4001})
    assert too_long.status_code == 400 and too_long.json()["field"] == "body"
    missing = await client.post(f"/api/v1/clients/{w.client_id}/messages", json={})
    assert missing.status_code == 400 and missing.json()["field"] == "body"
    assert (await client.post(f"/api/v1/clients/{w.client_id}/messages", json={"body": "Hei"})).status_code == 201


async def test_others_are_told_nothing_about_the_thread(db, app, client):
    w = await build(db.settings, clients=2)
    app.state.clock = lambda: NOW
    await grant_proxy(w, ["view"], client_index=1)  # the proxy acts for the other client only
    elsewhere = (await tw.person("counsellor", "ohjaaja@muualla.example", password=None,
                                 organiser_id=str(uuid.uuid4()))).actor
    for outsider in (elsewhere, w.proxy, w.provider, w.clients[1]):
        await as_user(client, outsider)
        assert (await client.get(f"/api/v1/clients/{w.client_id}/messages")).status_code == 404, outsider.role
        posted = await client.post(f"/api/v1/clients/{w.client_id}/messages", json={"body": "Hei"})
        assert posted.status_code == 404, outsider.role
    await as_user(client, w.proxy)
    assert (await client.get(f"/counsellor/clients/{w.client_id}/messages")).status_code in (403, 404)
    assert await ClientMessage.count().run() == 0
