"""Issue 12, findings 6, 8 and 10: rate limits under parallel requests, the national identity number
oracle, and the low-severity inputs and limits an outside attack found (each test is named after
its finding)."""

import asyncio
import contextlib
import logging
import uuid

import httpx
import pytest

from core import i18n
from core.errors import Conflict, Invalid
from core.ratelimit import MAX_PER_ACCOUNT, RESET_PER_ACCOUNT
from core.tables import PasswordReset
from marketplace import importer
from marketplace.booking.tables import Booking
from marketplace.tables import Provider
from tests.hardening import world
from tests.hardening.world import Server
from tests.helpers import form_post, login
from tests.marketplace import booking_world
from tests.voucher.test_voucher_stripe_webhook import event, held, hook, issuing_auth  # noqa: F401 - hook is a fixture
from tests.world import make_user
from voucher import domain
from voucher import importer as voucher_importer
from voucher.domain import MAX_CENTS
from voucher.tables import Authorization, BudgetDecision, Capture, Card, Client, Refund, StripeEvent

# --- Finding 6: rate limits hold under parallel requests ------------------------------------------


async def _parallel(clients: list[httpx.AsyncClient], n: int, path: str, form: dict) -> list[int]:
    """``n`` form posts at once, spread over ``clients`` (one per server process)."""
    start = asyncio.Event()

    async def one(i: int) -> int:
        client = clients[i % len(clients)]
        await start.wait()
        return (await client.post(path, data=form)).status_code

    tasks = [asyncio.create_task(one(i)) for i in range(n)]
    await asyncio.sleep(0.05)
    start.set()
    return await asyncio.gather(*tasks)


async def test_finding6_login_and_reset_limits_hold_under_parallel_requests_to_two_server_processes(db):
    """25 wrong passwords at once for one account (limit 10) and 12 reset requests at once for one
    address (limit 3), sent to two server processes on the same database: the limits hold, because
    each attempt is counted and claimed atomically in the database."""
    user = await make_user("client", email="kohde@test.example")
    async with contextlib.AsyncExitStack() as stack:
        servers = [await stack.enter_async_context(Server(db.settings)) for _ in range(2)]
        limits = httpx.Limits(max_connections=50)
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=s.url, timeout=60, limits=limits))
                   for s in servers]
        await clients[0].get("/login")
        token = clients[0].cookies["hb_csrf"]  # signed with the shared secret: good on both servers
        for client in clients[1:]:
            client.cookies.set("hb_csrf", token)

        logins = await _parallel(clients, 25, "/login", {"email": user["email"], "password": "väärä salasana",
                                                           "_csrf_token": token})
        assert sorted(logins) == [400] * MAX_PER_ACCOUNT + [429] * (25 - MAX_PER_ACCOUNT), logins

        # The account's window is full: the right password waits too.
        right = await clients[1].post("/login", data={"email": user["email"], "password": user["password"],
                                                      "_csrf_token": token})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0

        resets = await _parallel(clients, 12, "/password/forgot", {"email": user["email"], "_csrf_token": token})
        assert sorted(resets) == [200] * RESET_PER_ACCOUNT + [429] * (12 - RESET_PER_ACCOUNT), resets
    assert await PasswordReset.count().where(PasswordReset.user_id == user["id"]).run() == RESET_PER_ACCOUNT


# --- Finding 8: the national identity number is scoped to the county ---------------------------


async def test_finding8_national_id_is_unique_per_county_and_reveals_nothing_about_others(make_client, db):
    """Each county keeps its own client record: another county's counsellor registering the same
    person gets a new record of their own (201, as for anyone), not a 500 that says the person is a
    client elsewhere; the same county registering them twice is a clean 409 naming the field."""
    county_a, county_b = uuid.uuid4(), uuid.uuid4()
    counsellors = [await make_user("counsellor", email=f"ohjaaja{i}@test.example", organiser_id=org)
                   for i, org in enumerate((county_a, county_b))]
    clients = [await make_client() for _ in counsellors]
    for client, user in zip(clients, counsellors):
        await login(client, user)
    body = {"display_name": "Asiakas 0001", "client_group": "older_people", "national_id": "131052-308T"}

    first = await clients[0].post("/api/v1/clients", json=body)
    elsewhere = await clients[1].post("/api/v1/clients", json={**body, "national_id": " 131052-308t "})
    unused = await clients[1].post("/api/v1/clients", json={**body, "national_id": "010101A123N"})
    assert (first.status_code, elsewhere.status_code, unused.status_code) == (201, 201, 201), elsewhere.text
    assert elsewhere.json()["organiser_id"] == str(county_b) and elsewhere.json()["id"] != first.json()["id"]
    # One record per county, and their keyed hashes differ: nothing links them across counties.
    rows = await Client.select(Client.organiser_id, Client.national_id_hash).where(
        Client.id.is_in([first.json()["id"], elsewhere.json()["id"]])).run()
    assert {r["organiser_id"] for r in rows} == {county_a, county_b}
    assert len({r["national_id_hash"] for r in rows}) == 2

    again = await clients[0].post("/api/v1/clients", json={**body, "display_name": "Asiakas 0002"})
    assert again.status_code == 409, again.text
    assert again.json()["field"] == "national_id" and again.json()["code"] == "voucher.error.national_id_in_use"
    assert await Client.count().where(Client.organiser_id == county_a).run() == 1


async def test_finding8_an_import_refuses_the_same_person_twice_in_one_county(db):
    """The import holds the same rule as the API: one record of a person per county. A second ref for
    the same identity number — in the file or already on the platform — is a 409 naming national_id
    (it was the database's unique constraint, a 500), and nothing of the file is written; the other
    county may hold its own record."""
    doc = world.document()
    doc["clients"][0]["national_id"] = "131052-308T"
    doc["clients"][2]["national_id"] = "131052-308T"  # the other county: its own record
    await importer.import_document(doc, actor=world.ADMIN, settings=db.settings, clients=voucher_importer)
    assert await Client.count().where(Client.national_id_hash.is_not_null()).run() == 2

    twice = world.document()
    twice["clients"][1]["national_id"] = " 131052-308t "  # another ref of the first county, same person
    twice["clients"][1]["display_name"] = "Asiakas uusi nimi"
    person = {k: v for k, v in world.document()["clients"][1].items() if k not in ("decision", "card")}
    in_one_file = {**world.document(), "clients": [dict(person, ref=f"cli-new-{n}", national_id="010101A123N")
                                                   for n in (1, 2)]}
    for candidate in (twice, in_one_file):
        before = await Client.select().order_by(Client.ref).run()
        with pytest.raises(Conflict) as refused:
            await importer.import_document(candidate, actor=world.ADMIN, settings=db.settings, clients=voucher_importer)
        assert refused.value.field == "national_id"
        assert await Client.select().order_by(Client.ref).run() == before


# --- Finding 10 (a): the JSON API's CSRF check reads the media type exactly ------------------------


async def test_finding10_a_session_write_needs_exactly_application_json(client, db):
    """A cross-site form can send ``text/plain; application/json`` without a preflight: the media type
    (parameters aside) must be exactly application/json for a session cookie to count."""
    counsellor = await make_user("counsellor", email="csrf-json@test.example", organiser_id=uuid.uuid4())
    await login(client, counsellor)
    body = b'{"display_name": "Asiakas 0001", "client_group": "older_people"}'
    for forged in ("text/plain; application/json", "text/plain;charset=application/json",
                   "application/jsonx", "application/json-patch+json"):
        r = await client.post("/api/v1/clients", content=body, headers={"content-type": forged})
        assert r.status_code == 403 and r.json()["code"] == "error.csrf", (forged, r.text)
    assert await Client.count().run() == 0
    ok = await client.post("/api/v1/clients", content=body, headers={"content-type": "Application/JSON; charset=utf-8"})
    assert ok.status_code == 201, ok.text


# --- Finding 10 (g): a refused CSRF token is answered like every other response -------------------

SECURITY_HEADERS = ("x-request-id", "x-content-type-options", "x-frame-options", "referrer-policy",
                    "content-security-policy", "permissions-policy")


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_finding10_g_csrf_refusal_carries_the_security_headers_and_is_logged_as_403(client, db):
    """The headers and the log line come from around the whole app, so Litestar's own refusals
    (CSRF, unknown path, wrong method), answered outside any route, get them too."""
    lines = _Lines()
    logging.getLogger("hb").addHandler(lines)
    try:
        await client.get("/login")
        page = await client.post("/login", data={"email": "x@test.example", "password": "x"})
        api = await client.post("/logout", data={}, headers={"accept": "application/json"})
        # Litestar's own answers outside any route are answered the same way.
        unknown = await client.get("/ei/tallaista/sivua")
        wrong_method = await client.delete("/login")
    finally:
        logging.getLogger("hb").removeHandler(lines)
    assert [r.status_code for r in (page, api, unknown, wrong_method)] == [403, 403, 404, 405]
    for answer in (page, api, unknown, wrong_method):
        assert all(name in answer.headers for name in SECURITY_HEADERS), dict(answer.headers)
    assert api.headers["content-type"].startswith("application/problem+json") and api.json()["code"] == "error.csrf"
    logged = [(r.method, r.status) for r in lines.records if r.getMessage() == "request"]
    assert logged == [("GET", 200), ("POST", 403), ("POST", 403), ("GET", 404), ("DELETE", 405)], logged
    assert not [r for r in lines.records if r.levelno >= logging.ERROR]


# --- Finding 10 (b, c): deep JSON and NUL characters, screened once for every request -------------


async def _counsellor(client) -> dict:
    user = await make_user("counsellor", email=f"ohjaaja-{uuid.uuid4().hex[:6]}@test.example", organiser_id=uuid.uuid4())
    await login(client, user)
    return user


async def test_finding10_b_deeply_nested_json_is_a_400_not_a_500(client, db):
    await _counsellor(client)
    for depth in (40, 1_000, 100_000):
        nested = b"[" * depth + b"]" * depth
        for body in (nested, b'{"display_name": ' + nested + b', "client_group": "older_people"}'):
            r = await client.post("/api/v1/clients", content=body, headers={"content-type": "application/json"})
            assert r.status_code == 400, (depth, r.text)
            assert r.json()["code"] == "error.too_deep" and r.json()["field"] == "body"
    # A made-up API key does not get further (the screen comes before any lookup).
    r = await client.post("/api/v1/authorizations", content=b"[" * 5000 + b"]" * 5000,
                          headers={"content-type": "application/json", "authorization": "Bearer hbk_made_up"})
    assert r.status_code == 400 and r.json()["code"] == "error.too_deep"


async def test_finding10_c_nul_characters_are_refused_naming_the_field_in_bodies_forms_and_queries(client, db):
    """PostgreSQL cannot store NUL in text (it answered 500); one screen refuses it in every JSON
    body, form and query string, on both databases alike."""
    await _counsellor(client)
    r = await client.post("/api/v1/clients", json={"display_name": "Asiakas\x000001", "client_group": "older_people"})
    assert r.status_code == 400 and r.json()["field"] == "display_name" and r.json()["code"] == "field.nul_character"
    created = await client.post("/api/v1/clients", json={"display_name": "Asiakas 0001", "client_group": "older_people"})
    decision = {"start": "2026-01-01", "end": "2026-12-31", "reason": "ok",
                "lines": [{"category": "sport-riding", "amount_cents": 100, "may_fund": ["culture\x00art"]}]}
    r = await client.post(f"/api/v1/clients/{created.json()['id']}/decisions", json=decision)
    assert r.status_code == 400 and r.json()["field"] == "lines[0].may_fund[0]", r.text
    r = await client.post("/api/v1/clients", json={"display_name": "x", "client_group": "older_people", "a\x00": 1})
    assert r.status_code == 400 and r.json()["field"] == "a\x00"
    r = await client.get("/api/v1/clients", params={"q": "Asiakas\x00"})
    assert r.status_code == 400 and r.json()["field"] == "q"
    page = await form_post(client, "/counsellor/clients", {"display_name": "Asiakas\x00", "client_group": "older_people"})
    assert page.status_code == 400 and "display_name" in page.text
    assert await Client.count().run() == 1


# --- Finding 10 (d): money beyond any sane amount is a 400 naming the field ------------------------


async def test_finding10_d_a_budget_amount_beyond_the_column_is_a_400_naming_the_field(client, db):
    w = await booking_world.build(db.settings, passwords=True)
    await login(client, w.users["counsellor"])
    decisions_before = await BudgetDecision.count().run()
    path = f"/api/v1/clients/{w.client_id}/decisions"
    for amount in (2**63, 2**64 + 5, MAX_CENTS + 1):
        for field in ("amount_cents", "swap_cap_cents"):
            line = {"category": "sport-riding", "amount_cents": 100, "may_fund": [], field: amount}
            r = await client.post(path, json={"start": "2026-01-01", "end": "2026-12-31", "reason": "x", "lines": [line]})
            assert r.status_code == 400 and r.json()["field"] == f"lines[0].{field}", (amount, r.text)
    # The rule itself is the domain's, so the forms and the import meet it too.
    spec = domain.LineSpec(category="sport-riding", amount_cents=2**63, may_fund=(), swap_cap_cents=None)
    assert ("amount_cents", "amount_too_large") in domain.line_spec_errors(spec)
    assert await BudgetDecision.count().run() == decisions_before


# --- Finding 10 (e): one Stripe transaction sent again under a new event id -----------------------


async def test_finding10_e_a_stripe_transaction_under_a_new_event_id_is_200_and_booked_once(hook):  # noqa: F811 - the fixture
    """Stripe may send the same issuing transaction in a second event (a new event id): the event
    is answered 200 and the transaction — capture, capture beyond the hold, refund — is booked once."""
    w, post = hook
    await post(event("evt_e1", "issuing_authorization.request", issuing_auth("iauth_e", 1000)))
    over = {"id": "ipi_e", "object": "issuing.transaction", "type": "capture", "amount": -1200,
            "authorization": "iauth_e", "card": "ic_test_1", "merchant_data": {"network_id": "acct_merchant_tuulenpesa"}}
    refund = {"id": "ipi_e_ref", "object": "issuing.transaction", "type": "refund", "amount": 300,
              "authorization": "iauth_e", "card": "ic_test_1"}
    force = {"id": "ipi_e_force", "object": "issuing.transaction", "type": "capture", "amount": -400,
             "authorization": None, "card": "ic_test_1", "merchant_data": {"network_id": "acct_merchant_tuulenpesa"}}
    for transaction in (over, refund, force):
        for n in range(3):
            r = await post(event(f"evt_e_{transaction['id']}_{n}", "issuing_transaction.created", transaction))
            assert r.status_code == 200, r.text
    caps = {c["stripe_transaction_id"]: c["amount_cents"] for c in await Capture.select().run()}
    assert caps == {"ipi_e": 1000, "ipi_e:over": 200, "ipi_e_force": 400}
    assert [r["amount_cents"] for r in await Refund.select().run()] == [300]
    assert await StripeEvent.count().where(StripeEvent.type == "issuing_transaction.created").run() == 9
    assert await held(w) == 0

    # Two events of one transaction at the same moment.
    await post(event("evt_e2", "issuing_authorization.request", issuing_auth("iauth_e2", 1000)))
    capture = {**over, "id": "ipi_e2", "authorization": "iauth_e2", "amount": -900}
    answers = await asyncio.gather(*(post(event(f"evt_e2_{n}", "issuing_transaction.created", capture)) for n in range(4)))
    assert [a.status_code for a in answers] == [200] * 4, [a.text for a in answers]
    assert [c["amount_cents"] for c in await Capture.select().where(Capture.stripe_transaction_id.like("ipi_e2%")).run()] == [900]


# --- Finding 10 (f): one Idempotency-Key sent 16 times at once is one booking ---------------------


async def test_finding10_f_parallel_bookings_with_one_idempotency_key_all_get_the_first_booking(app, client, db):
    """The card allows one booking's price a day. 16 requests with one key at once: before, the
    key was looked at only before the slot's lock, so 15 went on to the card's daily limit and got
    409 over_daily_limit; now the key is looked at again under the slot's lock, and every one
    gets the first booking back."""
    w = await booking_world.build(db.settings, capacity=20, passwords=True)
    card = await Card.select(Card.id).where(Card.client == w.client_id).first().run()
    await Card.update({Card.daily_limit_cents: booking_world.PRICE}).where(Card.id == card["id"]).run()
    app.state.clock = lambda: booking_world.NOW
    await login(client, w.users["client1"])
    body = {"listing_id": w.listing_id, "starts_at": booking_world.SLOT.isoformat(), "quantity": 1}
    answers = await asyncio.gather(*(client.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": "kerran"})
                                     for _ in range(16)))
    assert {a.status_code for a in answers} == {201}, {a.text for a in answers if a.status_code != 201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert await Booking.count().run() == 1 and await Authorization.count().run() == 1
    # Another key is a new booking, which the card's daily limit refuses.
    other = await client.post("/api/v1/bookings", json=body, headers={"Idempotency-Key": "toinen"})
    assert other.status_code == 409 and other.json()["code"] == "voucher.decline.over_daily_limit"


# --- Finding 10 (h): a provider's contact e-mail cannot be someone else's account ------------------


async def test_finding10_h_provider_contact_email_cannot_be_a_clients_or_proxys_address(client, db):
    """Notices to the provider would reach a client, a proxy or another organisation; one generic
    refusal whatever account the address belongs to, so it says nothing about which."""
    w = await booking_world.build(db.settings, passwords=True)
    await login(client, w.users["provider"])
    path = f"/api/v1/providers/{w.provider_id}"
    refusals = []
    for taken in (w.users["client1"]["email"], "OMAINEN@booking.example", w.users["other_provider"]["email"],
                  w.users["counsellor"]["email"]):
        r = await client.patch(path, json={"email": taken})
        assert r.status_code == 400 and r.json()["field"] == "email", (taken, r.text)
        refusals.append(r.json()["errors"][0]["message"])
    assert len(set(refusals)) == 1
    assert (await Provider.select(Provider.email).where(Provider.id == w.provider_id).first().run())["email"] == \
        "talli@tuulenpesa.example"
    # The organisation's own staff address, or one nobody uses, is fine.
    for fine in (w.users["provider"]["email"], "toimisto@tuulenpesa.example"):
        r = await client.patch(path, json={"email": fine})
        assert r.status_code == 200 and r.json()["email"] == fine, r.text


# --- Finding 10 (i): no bidirectional controls in names and titles ----------------------------------

RLO = "\u202e"  # right-to-left override: "Talli ‮exe.txt" shows as "Talli txt.exe"


async def test_finding10_i_bidi_controls_are_refused_in_names_and_titles(make_client, db):
    w = await booking_world.build(db.settings, passwords=True)
    staff, counsellor = await make_client(), await make_client()
    await login(staff, w.users["provider"])
    await login(counsellor, w.users["counsellor"])
    listing = {"category": "sport-riding", "title": {"fi": "Ratsastus"}, "description": {"fi": "Tunti tallilla."},
               "price_cents": 5000, "unit": "session", "delivery_mode": "at_provider", "municipality": "Nurmijärvi",
               "languages": ["fi"]}
    attempts = [
        (staff.patch(f"/api/v1/providers/{w.provider_id}", json={"name": f"Talli {RLO}yO"}), "name"),
        (staff.post("/api/v1/listings", json={**listing, "title": {"fi": f"Ratsastus{RLO}"}}), "title.fi"),
        (staff.post("/api/v1/listings", json={**listing, "title": {"fi": "Ratsastus", "sv": "Rid\u2067ning"}}), "title.sv"),
        (staff.post(f"/api/v1/providers/{w.provider_id}/api-keys", json={"label": "Kassa\u202a1"}), "label"),
        (counsellor.post("/api/v1/clients", json={"display_name": "Asiakas\u200f 9", "client_group": "older_people"}),
         "display_name"),
        (counsellor.post(f"/api/v1/clients/{w.client_id}/plan/goals", json={"title": "Käy kaupassa\u061c"}), "title"),
    ]
    for request, field in attempts:
        r = await request
        assert r.status_code == 400, (field, r.text)
        assert r.json()["field"] == field and r.json()["errors"][0]["message"] == i18n.t("field.bidi_control", "fi")
    assert (await Provider.select(Provider.name).where(Provider.id == w.provider_id).first().run())["name"] == \
        "Talli Tuulenpesä Oy"
    assert await Client.count().run() == 1
    # The same texts without the controls are fine.
    assert (await staff.post("/api/v1/listings", json=listing)).status_code == 201
    assert (await counsellor.post(f"/api/v1/clients/{w.client_id}/plan/goals", json={"title": "Käy kaupassa"})).status_code == 201


async def test_finding10_i_the_import_refuses_bidi_controls_as_the_forms_do(db):
    """The import writes the same names and titles as the forms and the API: a bidi control in a
    category name, a listing title or description, or a client's pseudonym refuses the file."""
    cases = [
        (lambda d: d["categories"][0]["names"].update(sv=f"Ridning{RLO}"), "names.sv"),
        (lambda d: d["listings"][0]["title"].update(fi=f"Ratsastus{RLO}"), "title.fi"),
        (lambda d: d["listings"][0].update(description={"fi": "Tunti\u2066 tallilla."}), "description.fi"),
        (lambda d: d["clients"][0].update(display_name="Asiakas\u200f 01"), "display_name"),
    ]
    for spoil, field in cases:
        doc = world.document()
        spoil(doc)
        with pytest.raises(Invalid) as refused:
            await importer.import_document(doc, actor=world.ADMIN, settings=db.settings, clients=voucher_importer)
        assert [(e.field, e.key) for e in refused.value.errors] == [(field, "field.bidi_control")]
    assert await Client.count().run() == 0
