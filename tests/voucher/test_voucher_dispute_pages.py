"""The dispute over HTTP (API §8) and the pages around it: the client's /budget lists every payment
with its state and disputes one by a plain form; the organiser resolves on /organiser/disputes
(card payments); the provider's settlements page says why a payout waits; the counsellor sees the
open disputes in the caseload. Both databases."""

import datetime as dt
import re

from core import identity
from core.tables import AuditEvent
from tests.helpers import form_post
from tests.voucher.test_voucher_disputes import AFTER_WINDOW, WINDOW, pay, people
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher.disputes import services
from voucher.schemas import AuthorizationRequest
from voucher.tables import CaptureDispute, Refund

NBSP = "\u00a0"


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


async def sign_in(client, person) -> None:
    """Sign ``person`` (a world.Person, or an Actor) in by a session of their own."""
    actor = getattr(person, "actor", person)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))
    await client.get("/login")  # the CSRF cookie forms need


def text(html: str) -> str:
    """The page's words, one space between them (non-breaking spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


async def test_the_dispute_api(app, client, db):
    clock = app.state.clock = Clock(NOW)
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    capture_id = await pay(w, db.settings, 4000)
    late = await pay(w, db.settings, 2000, at=NOW - WINDOW - dt.timedelta(hours=1))
    url = f"/api/v1/captures/{capture_id}/dispute"

    # A terminal key may not dispute; neither may anyone but the client's side.
    key = await identity.create_api_key(provider_id=w.provider_id, label="kassa")
    assert (await client.post(url, json={"reason": "x"}, headers={"Authorization": f"Bearer {key[1]}"})).status_code == 403
    await sign_in(client, p.staff)
    assert (await client.post(url, json={"reason": "Ei ollut"})).status_code == 404
    await sign_in(client, p.proxy_view)
    refused = await client.post(url, json={"reason": "Väärin"})
    assert refused.status_code == 403 and "tarvitaan maksuoikeus" in refused.json()["detail"]

    await sign_in(client, p.client)
    for body, field in (({"reason": ""}, "reason"), ({}, "reason"), ({"reason": "   "}, "reason"),
                        ({"reason": "x" * 2001}, "reason"), ({"reason": "syy", "extra": 1}, "extra")):
        bad = await client.post(url, json=body)
        assert bad.status_code == 400 and bad.json()["field"] == field, (body, bad.text)
    made = await client.post(url, json={"reason": "Tuntia ei pidetty"})
    assert made.status_code == 201, made.text
    got = made.json()
    assert (got["status"], got["reason"], got["capture_id"]) == ("open", "Tuntia ei pidetty", capture_id)
    again = await client.post(url, json={"reason": "Uudestaan"})
    assert again.status_code == 409 and "jo riitautettu" in again.json()["detail"]
    closed = await client.post(f"/api/v1/captures/{late}/dispute", json={"reason": "Myöhään"})
    assert closed.status_code == 409 and "Riitautusaika päättyi" in closed.json()["detail"]
    clock.at = NOW + WINDOW
    assert (await client.post(f"/api/v1/captures/{capture_id}/dispute", json={"reason": "x"})).status_code == 409
    assert await CaptureDispute.count().run() == 1


async def test_the_client_sees_every_payment_and_disputes_one_by_the_form(app, client, db):
    clock = app.state.clock = Clock(NOW)
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    first = await pay(w, db.settings, 4000)
    refunded = await pay(w, db.settings, 1500, art=True)
    await auth.refund(w.other_provider, refunded, 1500, now=NOW)
    await auth.authorise(w.provider, AuthorizationRequest(card_token=w.token, amount_cents=1100,
                                                               listing_id=w.listing_riding), settings=db.settings, now=NOW)

    await sign_in(client, p.client)
    page = await client.get("/budget")
    words = text(page.text)
    assert page.status_code == 200 and "3 maksua" in words
    assert "Veloitettu — riitautettavissa 13.3.2026 12.00 asti." in words
    assert "Palautettu budjettiin." in words and "Varattu, ei vielä veloitettu." in words
    assert f"40,00{NBSP}€" in words and "Talli Tuulenpesä Oy" in words and "Palvelu sport-riding" in words
    assert page.text.count("<summary>Riitauta maksu") == 1  # the refunded one cannot be disputed
    only = await client.get("/budget?state=refunded")
    assert "1 maksu" in text(only.text) and "Taidepaja Sivellin" in only.text and "Talli Tuulenpesä Oy" not in only.text

    # The notification's link leads to the payment's page, where the form is open.
    notes = await client.get("/notifications")
    assert f'href="/budget/payments/{first}"' in notes.text
    one = await client.get(f"/budget/payments/{first}")
    assert one.status_code == 200 and "<details class=\"confirm\" open>" in one.text
    empty = await form_post(client, f"/budget/payments/{first}/dispute", {"reason": "  "})
    assert empty.status_code == 400 and "Kerro, miksi maksu ei ole oikein." in empty.text and 'aria-invalid="true"' in empty.text
    sent = await form_post(client, f"/budget/payments/{first}/dispute", {"reason": "Tuntia ei pidetty"})
    assert sent.status_code == 303 and sent.headers["location"] == f"/budget/payments/{first}?done=disputed"
    after = text((await client.get(sent.headers["location"])).text)
    assert "Riitautus on lähetetty." in after and "Riitautettu 10.3.2026 12.00 — järjestäjä ratkaisee." in after
    assert "Riitautuksen perustelu: Tuntia ei pidetty" in after
    twice = await form_post(client, f"/budget/payments/{first}/dispute", {"reason": "Uudestaan"})
    assert twice.status_code == 409 and "Maksu on jo riitautettu." in twice.text
    assert "1 maksu" in text((await client.get("/budget?state=disputed")).text)

    # A proxy with view sees the same list (for the person they act for) but may not dispute.
    other = await pay(w, db.settings, 1000)
    await sign_in(client, p.proxy_view)
    seen = await client.get(f"/budget?client={w.client_id}")
    assert seen.status_code == 200 and "4 maksua" in text(seen.text)
    assert "<summary>Riitauta maksu" not in seen.text and "maksuoikeuden saanut omainen" in seen.text
    assert (await form_post(client, f"/budget/payments/{other}/dispute", {"reason": "syy"})).status_code == 403
    # Another client's payment is not found.
    stranger = await make_world(db.settings.secret_key, tag="-x")
    theirs = await pay(stranger, db.settings, 1000)
    await sign_in(client, p.client)
    assert (await client.get(f"/budget/payments/{theirs}")).status_code == 404
    assert (await form_post(client, f"/budget/payments/{theirs}/dispute", {"reason": "syy"})).status_code == 404
    clock.at = AFTER_WINDOW
    assert "Veloitettu — maksetaan palveluntuottajalle seuraavassa tilityksessä." in text(
        (await client.get(f"/budget/payments/{other}")).text)


async def disputed(app, db, cents: int, reason: str, *, by: str = "client", at: dt.datetime = NOW):
    """The world with one payment of ``cents`` at NOW that ``by`` (client, proxy_pay) disputed;
    the app's clock at ``at``. (clock, world, people, capture id)"""
    clock = app.state.clock = Clock(at)
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    capture_id = await pay(w, db.settings, cents)
    await services.dispute(getattr(p, by).actor, capture_id, reason, now=NOW)
    return clock, w, p, capture_id


async def test_the_organiser_resolves_card_disputes_on_the_disputes_page(app, client, db):
    _clock, w, p, _capture = await disputed(app, db, 5000, "Tunti jäi puolitiehen", by="proxy_pay",
                                            at=NOW + dt.timedelta(days=1))
    await sign_in(client, p.admin)

    page = await client.get("/organiser/disputes?kind=cards")
    words = text(page.text)
    assert page.status_code == 200 and "1 riitautettu maksu" in words
    assert "Asiakas 0001" in words and "Talli Tuulenpesä Oy" in words and "Tunti jäi puolitiehen" in words
    assert "omainen tai avustaja" in words and f"50,00{NBSP}€" in words
    reads = await AuditEvent.select().where((AuditEvent.action == "client_data.read")
                                            & (AuditEvent.purpose == "card_disputes")).run()
    assert [r["subject_id"] for r in reads] == [w.client_id]
    # The bookings' disputes are still the page's default, with a link to the card payments.
    assert 'href="/organiser/disputes?kind=cards"' in (await client.get("/organiser/disputes")).text

    [dispute] = await CaptureDispute.select().run()
    url = f"/organiser/disputes/cards/{dispute['id']}"
    bad = await form_post(client, url, {"action": "partial", "refund": "80", "resolution_reason": ""})
    assert bad.status_code == 400 and 'id="f-resolution_reason-error"' in bad.text
    assert "Kerro, miksi maksu ei ole oikein." in bad.text and 'value="80"' in bad.text  # what was typed stays
    too_much = await form_post(client, url, {"action": "partial", "refund": "80", "resolution_reason": "Osa"})
    assert too_much.status_code == 400 and 'id="f-refund-error"' in too_much.text
    assert "enintään 49,99 €" in too_much.text
    no_choice = await form_post(client, url, {"resolution_reason": "Osa"})
    assert no_choice.status_code == 400 and "Valitse ratkaisu." in no_choice.text
    assert await Refund.count().run() == 0
    done = await form_post(client, url, {"action": "partial", "refund": "12,50", "resolution_reason": "Puolet käynnistä"})
    assert done.status_code == 303 and "done=booking.done.card_dispute_resolved" in done.headers["location"]
    assert "Ratkaisu on tallennettu." in (await client.get(done.headers["location"])).text
    [refund] = await Refund.select().run()
    assert refund["amount_cents"] == 1250
    resolved = text((await client.get("/organiser/disputes?kind=cards&status=resolved")).text)
    assert "12,50" in resolved and "palautettiin budjettiin" in resolved and "Puolet käynnistä" in resolved
    again = await form_post(client, url, {"action": "release", "resolution_reason": "uudestaan"})
    assert again.status_code == 409 and "on jo ratkaistu" in again.text
    other = await make_world(db.settings.secret_key, tag="-o")
    from tests import world
    other_admin = await world.person("organiser_admin", "muu@jarjestaja.example", password=None,
                                     organiser_id=other.organiser_id)
    await sign_in(client, other_admin)
    assert (await form_post(client, url, {"action": "release", "resolution_reason": "x"})).status_code == 404
    assert "0 riitautettua maksua" in text((await client.get("/organiser/disputes?kind=cards&status=all")).text)


async def test_the_provider_sees_why_each_payout_waits_and_then_the_batch(app, client, db):
    from admin import payouts
    from voucher.settlement import settle

    clock = app.state.clock = Clock(NOW + dt.timedelta(hours=1))
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    waiting = await pay(w, db.settings, 2000)
    disputed = await pay(w, db.settings, 3000)
    await services.dispute(p.client.actor, disputed, "Väärä summa", now=NOW)
    await sign_in(client, p.staff)
    words = text((await client.get("/provider/settlements")).text)
    assert "odottaa riitautusajan päättymistä (13.3.2026 12.00)" in words
    assert "asiakas riitautti maksun — järjestäjä ratkaisee" in words
    assert "Väärä summa" not in words  # the client's reason is the organiser's to read

    [dispute] = await CaptureDispute.select().run()
    await services.resolve(p.admin.actor, dispute["id"], action="release", reason="Summa oli oikein", part_cents=None,
                           now=NOW + dt.timedelta(days=1))
    clock.at = NOW + dt.timedelta(days=1, hours=1)
    words = text((await client.get("/provider/settlements")).text)
    assert "vapautettu, maksetaan seuraavassa tilityksessä" in words
    assert "odottaa riitautusajan päättymistä" in words  # the other one still waits for its window
    # Neither is paid yet: both are in the unpaid list (the filter must not drop a waiting payout).
    waiting_list = text((await client.get("/provider/settlements?unpaid=1")).text)
    assert "2 maksua" in waiting_list and "vapautettu, maksetaan seuraavassa tilityksessä" in waiting_list

    await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    clock.at = AFTER_WINDOW
    page = await client.get("/provider/settlements")
    words = text(page.text)
    assert words.count("maksettu 14.3.2026, viite RF") == 2, words
    unpaid = await client.get("/provider/settlements?unpaid=1")
    assert "0 maksua" in text(unpaid.text) and waiting not in unpaid.text
    # (No capture id is printed on the page; what says the list is empty is its count and its text.)
    assert " 0 maksua " in f" {text(unpaid.text)} " and "Ei maksuja." in unpaid.text


async def test_the_counsellor_sees_open_disputes_in_the_caseload(app, client, db):
    _clock, w, _p, _capture = await disputed(app, db, 2500, "En tilannut tätä")
    await sign_in(client, w.counsellor)
    listing = await client.get("/counsellor/clients")
    assert "1 riitautettu maksu" in text(listing.text)
    assert f'href="/counsellor/clients/{w.client_id}#disputes-h"' in listing.text
    page = text((await client.get(f"/counsellor/clients/{w.client_id}")).text)
    assert "Riitautetut korttimaksut" in page and "En tilannut tätä" in page and "Avoin — järjestäjä ratkaisee" in page
