"""Issue 16, point 1: the client's consent to a card payment without a booking — the card's PIN, a
one-time code, or the organiser's low-value exemption (defaults 50 € a payment, 150 € since the
last consented one) — on SQLite and PostgreSQL, through the services a terminal and /client/pay use."""

import asyncio
import datetime as dt
import json
import re

import pytest

from core import db as core_db
from core.errors import Conflict, Forbidden, Invalid
from core.tables import AuditEvent, IdempotencyRecord
from marketplace.booking import services as bookings
from tests import world
from tests.helpers import form_post, login, logout
from tests.marketplace import booking_world
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher import card_consent, card_rules, proxies
from voucher.domain import CardRules
from voucher.schemas import AuthorizationRequest, LineInput
from voucher.tables import Authorization, Card, ClientCode

PIN = "4729"


def body(stored) -> dict:
    return json.loads(stored.body)


RIDING_PRICE = 7500  # the riding listing's price per session (vhelpers)


async def pay(w, settings, amount, *, code=None, key=None, now=NOW, token=None, actor=None) -> dict:
    """A payment for riding sessions, as many as the amount needs (the price ceiling)."""
    req = AuthorizationRequest(card_token=token or w.token, amount_cents=amount, listing_id=w.listing_riding,
                               client_code=code, quantity=-(-amount // RIDING_PRICE))
    return body(await auth.authorise(actor or w.provider, req, settings=settings, idempotency_key=key, now=now))


async def card(w) -> dict:
    return await Card.select().where(Card.id == w.card_id).first().run()


async def test_a_payment_without_a_code_passes_only_under_the_exemption(db):
    w = await make_world(db.settings.secret_key)
    over = await pay(w, db.settings, 5001)
    assert over["status"] == "declined" and over["decline_code"] == "client_consent_required"
    assert "PIN" in over["message"] and over["line_available_cents"] is None  # nothing about the budget
    # Up to 50 € a payment, 150 € together since the last consented payment. (Not 50 € three times:
    # a third payment "just under" the exemption from one provider needs consent anyway.)
    assert [(await pay(w, db.settings, a))["status"] for a in (4000, 4000, 4000, 3000)] == ["approved"] * 4
    assert (await card(w))["codeless_cents"] == 15000
    fourth = await pay(w, db.settings, 1)
    assert fourth["decline_code"] == "client_consent_required"

    # A consented payment starts the code-less total again; a declined one did not.
    code = await world.consent_code(w.client_id, 2000, db.settings, now=NOW)
    assert (await pay(w, db.settings, 2000, code=code))["status"] == "approved"
    assert (await card(w))["codeless_cents"] == 0
    assert (await pay(w, db.settings, 4000))["status"] == "approved"
    assert (await card(w))["codeless_cents"] == 4000
    consents = sorted(r["consent"] for r in await Authorization.select(Authorization.consent).where(
        Authorization.status == "approved").run())
    assert consents == ["code"] + ["exempt"] * 5  # how each was consented to, never the code itself


async def test_the_exemption_counts_only_what_was_paid(db):
    """A code-less payment the budget cannot pay gives back what it took of the exemption."""
    w = await make_world(db.settings.secret_key, lines=[LineInput(category="sport-riding", amount_cents=6000)])
    assert (await pay(w, db.settings, 4000))["status"] == "approved"
    short = await pay(w, db.settings, 4000)
    assert short["decline_code"] == "insufficient_funds"
    assert (await card(w))["codeless_cents"] == 4000
    assert (await card(w))["spend_day_cents"] == 4000


async def test_a_one_time_code_pays_once_for_its_client_only_and_not_after_five_minutes(db):
    w = await make_world(db.settings.secret_key)
    other = await make_world(db.settings.secret_key, tag="-b")
    code = await world.consent_code(w.client_id, 9000, db.settings, now=NOW)

    elsewhere = await pay(other, db.settings, 8000, code=code)  # the code on another client's card
    assert elsewhere["decline_code"] == "wrong_client_code"
    over = await pay(w, db.settings, 9001, code=code)  # a real code, for less: not a guess
    assert over["decline_code"] == "client_consent_required"
    assert (await card(w))["consent_failures"] == 0

    first = await pay(w, db.settings, 9000, code=code)
    assert first["status"] == "approved"
    row = await ClientCode.select().where(ClientCode.client == w.client_id).first().run()
    assert row["used_at"] is not None and str(row["authorization_id"]) == first["id"]
    again = await pay(w, db.settings, 100, code=code)
    assert again["decline_code"] == "wrong_client_code"

    late = await world.consent_code(w.client_id, 9000, db.settings, now=NOW)
    at_expiry = NOW + dt.timedelta(minutes=card_consent.CODE_MINUTES)
    assert (await pay(w, db.settings, 8000, code=late, now=at_expiry))["decline_code"] == "wrong_client_code"
    assert (await card(w))["consent_failures"] == 2  # the used and the expired code; the other card's own try
    assert (await Card.select(Card.consent_failures).where(Card.id == other.card_id).first().run())["consent_failures"] == 1


async def test_a_code_the_budget_cannot_pay_stays_usable(db):
    w = await make_world(db.settings.secret_key, lines=[LineInput(category="sport-riding", amount_cents=7000)])
    code = await world.consent_code(w.client_id, 9000, db.settings, now=NOW)
    assert (await pay(w, db.settings, 8000, code=code))["decline_code"] == "insufficient_funds"
    assert (await ClientCode.select(ClientCode.used_at).first().run())["used_at"] is None
    assert (await pay(w, db.settings, 7000, code=code))["status"] == "approved"


async def test_a_wrong_code_declines_before_the_budget_says_anything(db):
    w = await make_world(db.settings.secret_key, lines=[LineInput(category="sport-riding", amount_cents=7000)])
    got = await pay(w, db.settings, 100_000, code="583920")
    assert got["decline_code"] == "wrong_client_code" and got["line_available_cents"] is None
    # Even under the exemption a code that comes with a payment is checked.
    assert (await pay(w, db.settings, 100, code="583920"))["decline_code"] == "wrong_client_code"


async def test_three_wrong_pins_block_the_card_until_a_new_pin(db):
    w = await make_world(db.settings.secret_key)
    await world.card_pin(w.client_id, PIN, db.settings)
    assert (await pay(w, db.settings, 8000, code=PIN))["status"] == "approved"
    wrong = [await pay(w, db.settings, 8000, code=pin) for pin in ("4728", "1357", "82731")]
    assert [d["decline_code"] for d in wrong] == ["wrong_client_code"] * 3
    assert (await card(w))["consent_failures"] == 3
    # Blocked: the right PIN and a fresh one-time code are refused too, and no more tries are counted.
    assert (await pay(w, db.settings, 8000, code=PIN))["decline_code"] == "wrong_client_code"
    with pytest.raises(Invalid):
        await world.consent_code(w.client_id, 9000, db.settings, now=NOW)
    assert (await card(w))["consent_failures"] == 3
    with pytest.raises(Exception, match="(?i)check"):  # the database's own last word: never past 3
        await Card.update({Card.consent_failures: 4}).where(Card.id == w.card_id).run()
    # Small payments still go under the exemption: the block is on codes.
    assert (await pay(w, db.settings, 1000))["status"] == "approved"

    await world.card_pin(w.client_id, "730519", db.settings)
    assert (await card(w))["consent_failures"] == 0
    assert (await pay(w, db.settings, 8000, code=PIN))["decline_code"] == "wrong_client_code"
    assert (await pay(w, db.settings, 8000, code="730519"))["status"] == "approved"
    assert (await card(w))["consent_failures"] == 0  # a right PIN clears the wrong tries

    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.subject_id == w.card_id).order_by(AuditEvent.at).run()]
    assert actions == ["voucher.card.pin_set", "voucher.card.consent_blocked", "voucher.card.pin_changed"]
    unblocked = await AuditEvent.select(AuditEvent.details).where(
        AuditEvent.action == "voucher.card.pin_changed").output(load_json=True).first().run()
    assert unblocked["details"]["unblocked"] is True


async def test_ten_parallel_wrong_tries_block_after_exactly_three(db):
    w = await make_world(db.settings.secret_key)
    await world.card_pin(w.client_id, PIN, db.settings)
    wrong = [f"{n:04d}" for n in range(5170, 5180)]
    got = await asyncio.gather(*(pay(w, db.settings, 8000, code=c) for c in wrong))
    assert {d["decline_code"] for d in got} == {"wrong_client_code"}
    assert (await card(w))["consent_failures"] == 3
    assert await AuditEvent.count().where(AuditEvent.action == "voucher.card.consent_blocked").run() == 1
    assert await Authorization.count().where(Authorization.status == "approved").run() == 0
    assert (await card(w))["spend_day_cents"] == 0  # every declined payment gave its day back


async def test_parallel_wrong_tries_run_at_once_on_postgresql(db):
    """On PostgreSQL the tries run on separate connections at the same moment: the card row's lock
    orders them, and the conditional UPDATE counts three."""
    if not db.is_postgres:
        pytest.skip("SQLite runs write transactions one at a time")
    w = await make_world(db.settings.secret_key)
    await world.card_pin(w.client_id, PIN, db.settings)
    start = asyncio.Event()

    async def one(code: str) -> dict:
        await start.wait()
        return await pay(w, db.settings, 8000, code=code)

    tasks = [asyncio.create_task(one(f"{n:06d}")) for n in range(901230, 901240)]
    await asyncio.sleep(0.05)
    start.set()
    got = await asyncio.gather(*tasks)
    assert {d["decline_code"] for d in got} == {"wrong_client_code"}
    assert (await card(w))["consent_failures"] == 3


async def test_a_replayed_request_tries_its_pin_once(db):
    w = await make_world(db.settings.secret_key)
    await world.card_pin(w.client_id, PIN, db.settings)
    first = await pay(w, db.settings, 8000, code="4720", key="k-wrong")
    again = await pay(w, db.settings, 8000, code="4720", key="k-wrong")
    assert first == again and first["decline_code"] == "wrong_client_code"
    assert (await card(w))["consent_failures"] == 1
    with pytest.raises(Conflict):
        await pay(w, db.settings, 8000, code=PIN, key="k-wrong")
    right = await pay(w, db.settings, 8000, code=PIN, key="k-right")
    assert right == await pay(w, db.settings, 8000, code=PIN, key="k-right") and right["status"] == "approved"
    assert await Authorization.count().run() == 2


async def test_neither_pin_nor_code_is_kept_anywhere(db):
    w = await make_world(db.settings.secret_key)
    pin = await world.card_pin(w.client_id, "830516", db.settings)
    code = await world.consent_code(w.client_id, 9000, db.settings, now=NOW)
    assert (await pay(w, db.settings, 9000, code=code, key="k1"))["status"] == "approved"
    assert (await pay(w, db.settings, 9000, code=pin, key="k2"))["status"] == "approved"
    assert (await pay(w, db.settings, 9000, code="294715", key="k3"))["decline_code"] == "wrong_client_code"
    secrets = {pin, code, "294715"}
    for table in core_db.all_tables():
        for row in await table.select().run():
            for value in row.values():
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                for secret in secrets:
                    assert not re.search(rf"(?<![0-9]){secret}(?![0-9])", text), (table._meta.tablename, secret)
    assert await IdempotencyRecord.count().run() == 3


async def test_the_client_and_a_proxy_with_pay_set_the_pin_others_may_not(db):
    w = await make_world(db.settings.secret_key)
    client = world.client_actor(w.client_id)
    payer = (await world.person("proxy", password=None)).actor
    viewer = (await world.person("proxy", password=None)).actor
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=payer.user_id, rights=["pay"]))
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=viewer.user_id,
                                                                          rights=["view", "book"]))
    state = await card_consent.set_pin(client, w.client_id, "4729", settings=db.settings, now=NOW)
    assert state.pin_set and not state.blocked and state.pin_set_at == NOW
    state = await card_consent.set_pin(payer, w.client_id, "6093", settings=db.settings, now=NOW)
    assert state.pin_set
    assert (await pay(w, db.settings, 8000, code="6093"))["status"] == "approved"
    code = (await card_consent.make_code(payer, w.client_id, 5000, settings=db.settings, now=NOW)).code
    assert (await pay(w, db.settings, 5000, code=code))["status"] == "approved"

    for refused in (viewer, w.counsellor, w.provider, world.client_actor(w.organiser_id)):
        with pytest.raises(Forbidden):
            await card_consent.set_pin(refused, w.client_id, "6093", settings=db.settings, now=NOW)
        with pytest.raises(Forbidden):
            await card_consent.make_code(refused, w.client_id, 5000, settings=db.settings, now=NOW)
    with pytest.raises(Invalid) as obvious:
        await card_consent.set_pin(client, w.client_id, "1234", settings=db.settings, now=NOW)
    assert obvious.value.errors[0].key == "voucher.error.pin_obvious"
    with pytest.raises(Invalid) as twice:
        await card_consent.set_pin(client, w.client_id, "4730", settings=db.settings, now=NOW, again="4731")
    assert twice.value.errors[0].field == "pin_again"

    audited = await AuditEvent.select(AuditEvent.action, AuditEvent.on_behalf_of).where(
        AuditEvent.action.is_in(["voucher.card.pin_set", "voucher.card.pin_changed", "voucher.client_code.made"])
    ).order_by(AuditEvent.at).run()
    assert [(a["action"], str(a["on_behalf_of"]) if a["on_behalf_of"] else None) for a in audited] == [
        ("voucher.card.pin_set", None), ("voucher.card.pin_changed", w.client_id),
        ("voucher.client_code.made", w.client_id)]


async def test_a_payment_bound_to_the_clients_booking_needs_no_code(db):
    bw = await booking_world.build(db.settings)
    # The county lets a payment go 10 % over the booked price, and lets only 5 € go without a code.
    async with core_db.write_transaction():
        await card_rules.save(world.ADMIN, bw.organiser_id, CardRules(single_cents=500, cumulative_cents=1000,
                                                                      tolerance_bp=1000))
    booking = await bookings.book(bw.client, booking_world.request(bw), settings=db.settings, now=booking_world.NOW)
    terminal, _ = await world.terminal(bw.provider_id)

    async def pay_for(booking_id: str | None) -> dict:
        req = AuthorizationRequest(card_token="hbc_booking_001_token", amount_cents=750, listing_id=bw.listing_id,
                                   booking_id=booking_id)
        return body(await auth.authorise(terminal, req, settings=db.settings, now=booking_world.NOW))

    # 7,50 € on top of the booking's own hold of 75 €: the client booked it, no code is asked.
    bound = await pay_for(booking.id)
    assert bound["status"] == "approved"
    assert (await Authorization.select(Authorization.consent).where(Authorization.id == bound["id"]).first().run())[
        "consent"] == ""
    # The same 7,50 € bound to no booking is over the county's 5 €: the client's code is needed.
    assert (await pay_for(None))["decline_code"] == "client_consent_required"


# --- /client/pay and its JSON API ------------------------------------------------------------------

CODE_SHOWN = re.compile(r'<p class="code"[^>]*>(\d{3})&nbsp;(\d{3})</p>')


def words(response) -> str:
    """The page as read: money and times keep their no-break spaces ("50,00 €")."""
    return response.text.replace("\xa0", " ")


async def test_the_client_sets_a_pin_and_makes_a_code_on_the_pay_page(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await world.make_user("client", client_id=w.client_id))
    page = await client.get("/client/pay")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert "Kortilla ei ole vielä PIN-koodia" in page.text and "yli 50,00 € maksut" in words(page)
    assert 'action="/client/pay/pin"' in page.text and 'name="_csrf_token"' in page.text

    mismatch = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": "4729", "pin_again": "4720"})
    assert mismatch.status_code == 400 and "PIN-koodit eivät ole samat" in mismatch.text
    assert "4729" not in mismatch.text and "4720" not in mismatch.text  # what was typed is not shown again
    obvious = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": "1234", "pin_again": "1234"})
    assert obvious.status_code == 400 and "vaikea arvata" in obvious.text
    saved = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": "4729", "pin_again": "4729"})
    assert saved.status_code == 303 and saved.headers["location"] == "/client/pay?done=pin#pin-h"
    page = await client.get("/client/pay?done=pin")
    assert "PIN-koodi on tallennettu" in page.text and "PIN-koodi on asetettu 10.3.2026" in page.text
    assert (await pay(w, db.settings, 8000, code="4729"))["status"] == "approved"

    wrong = await form_post(client, "/client/pay/codes", {"client_id": w.client_id, "ceiling": "seitsemän"})
    assert wrong.status_code == 400 and "Kirjoita summa euroina" in wrong.text
    made = await form_post(client, "/client/pay/codes", {"client_id": w.client_id, "ceiling": "75"})
    assert made.status_code == 200 and "no-store" in made.headers["cache-control"]
    code = "".join(CODE_SHOWN.search(made.text).groups())
    assert "Maksu enintään 75,00 €" in words(made) and "Voimassa klo 12.05 asti" in words(made)  # Helsinki time
    assert "Näytä koodi palveluntuottajalle maksun yhteydessä" in made.text
    assert (await pay(w, db.settings, 7500, code=code))["status"] == "approved"

    swedish = await client.get("/client/pay?lang=sv")
    assert "Engångskod" in swedish.text and "PIN-koden valdes" in swedish.text
    no_token = await client.post("/client/pay/codes", data={"client_id": w.client_id, "ceiling": "75"})
    assert no_token.status_code == 403


async def test_a_proxy_with_pay_acts_for_the_client_and_one_without_is_refused(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    payer, viewer = await world.make_user("proxy"), await world.make_user("proxy")
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=payer["id"], rights=["pay"]))
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=viewer["id"], rights=["view"]))

    await login(client, payer)
    page = await client.get("/client/pay")
    assert page.status_code == 200 and "Asiakkaan maksut HB-kortilla: Asiakas 0001" in page.text
    saved = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": "6093", "pin_again": "6093"})
    assert saved.status_code == 303 and saved.headers["location"] == f"/client/pay?done=pin&client={w.client_id}#pin-h"
    made = await form_post(client, "/client/pay/codes", {"client_id": w.client_id, "ceiling": "42,50"})
    assert "Anna koodi asiakkaalle tai palveluntuottajalle" in made.text
    assert (await pay(w, db.settings, 4250, code="".join(CODE_SHOWN.search(made.text).groups())))["status"] == "approved"

    await logout(client)
    await login(client, viewer)
    assert "Kukaan asiakas ei ole antanut sinulle oikeutta" in (await client.get("/client/pay")).text
    assert (await client.get(f"/client/pay?client={w.client_id}")).status_code == 403
    refused = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": "6093", "pin_again": "6093"})
    assert refused.status_code == 403


async def test_the_json_api_sets_the_pin_makes_codes_and_is_rate_limited(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await world.make_user("client", client_id=w.client_id))
    base = f"/api/v1/clients/{w.client_id}"
    state = (await client.get(base + "/card-consent")).json()
    assert state["pin_set"] is False and state["blocked"] is False and state["card_id"] == w.card_id
    assert (state["single_cents"], state["cumulative_cents"], state["codeless_used_cents"]) == (5000, 15000, 0)
    weak = await client.put(base + "/card-pin", json={"pin": "0000"})
    assert weak.status_code == 400 and weak.json()["field"] == "pin"
    assert (await client.put(base + "/card-pin", json={"pin": "4729"})).json()["pin_set"] is True
    made = await client.post(base + "/codes", json={"ceiling_cents": 7500})
    assert made.status_code == 201 and "no-store" in made.headers["cache-control"]
    assert re.fullmatch(r"\d{6}", made.json()["code"]) and made.json()["ceiling_cents"] == 7500
    assert [c["ceiling_cents"] for c in (await client.get(base + "/card-consent")).json()["live_codes"]] == [7500]
    assert (await client.post(base + "/codes", json={"ceiling_cents": 0})).status_code == 400
    # Sensitive writes are counted per account: 20 in 15 minutes.
    statuses = [(await client.post(base + "/codes", json={"ceiling_cents": 100})).status_code for _ in range(18)]
    assert statuses[:17] == [201] * 17 and statuses[17] == 429


async def test_the_pay_pages_forms_count_against_the_same_limit_as_the_json_api(app, client, db):
    """The page and the JSON API are one action: a form cannot go round the API's rate limit."""
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await world.make_user("client", client_id=w.client_id))
    base = f"/api/v1/clients/{w.client_id}"
    statuses = []
    for _ in range(10):
        statuses.append((await form_post(client, "/client/pay/codes", {"client_id": w.client_id, "ceiling": "1"})).status_code)
        statuses.append((await client.post(base + "/codes", json={"ceiling_cents": 100})).status_code)
    assert statuses == [200, 201] * 10
    # 20 in 15 minutes, whichever way they came: the page's forms are refused too, and so is the API.
    refused = await form_post(client, "/client/pay/pin", {"client_id": w.client_id, "pin": PIN, "pin_again": PIN})
    assert refused.status_code == 429
    assert (await client.post(base + "/codes", json={"ceiling_cents": 100})).status_code == 429
    assert (await card(w))["pin_hash"] is None
