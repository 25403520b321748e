"""Issue 16, points 2 and 5, on SQLite and PostgreSQL: a card payment is refused above the listing's
price × quantity plus the county's tolerance (at the edge, to the cent), paid with no listing only in
an open-amount category up to its cap, bound to the booking it names, refused as the third
just-under-exemption payment in a day (also when the payments race each other against a running
server), and a proxy who works for the provider cannot book there."""

import asyncio
import datetime as dt
import json
import uuid

import httpx
import pytest

from core import db as core_db
from core.errors import Invalid
from core.identity import Actor
from core.tables import AuditEvent
from marketplace.booking import services as bookings
from tests import world
from tests.marketplace import booking_world
from tests.voucher.test_voucher_concurrency import Server
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher.schemas import AuthorizationRequest, LineInput
from voucher.tables import Authorization


# The client's card PIN: payments over the 50 € exemption carry it (docs/decisions/0028).
PIN = "4729"


async def pay(w, settings, amount: int, *, listing=None, quantity=None, actor=None, booking_id=None, token=None,
              now=NOW, code=None) -> dict:
    req = AuthorizationRequest(card_token=token or w.token, amount_cents=amount, listing_id=listing, quantity=quantity,
                               booking_id=booking_id, client_code=code)
    return json.loads((await auth.authorise(actor or w.provider, req, settings=settings, now=now)).body)


async def test_a_listing_payment_is_refused_a_cent_over_price_times_quantity_plus_the_tolerance(db):
    # The county lets a payment go 2,5 % over the listing's price (riding: 75,00 € a session).
    w = await make_world(db.settings.secret_key, card_rules={"price_tolerance_bp": 250})
    s = db.settings
    await world.card_pin(w.client_id, PIN, s)
    # One session: 75,00 € + 1,87 € (2,5 % is 1,875 €, rounded down to the cent).
    assert (await pay(w, s, 7_687, listing=w.listing_riding, code=PIN))["status"] == "approved"
    over = await pay(w, s, 7_688, listing=w.listing_riding, code=PIN)
    assert (over["status"], over["decline_code"]) == ("declined", "over_listing_price")
    assert over["message"].startswith("Summa on suurempi kuin palvelun hinta")
    # Three sessions: 225,00 € + 5,62 €.
    assert (await pay(w, s, 23_062, listing=w.listing_riding, quantity=3, code=PIN))["status"] == "approved"
    assert (await pay(w, s, 23_063, listing=w.listing_riding, quantity=3, code=PIN))["decline_code"] == "over_listing_price"
    rows = await Authorization.select(Authorization.amount_cents, Authorization.quantity, Authorization.status).where(
        Authorization.card_id == w.card_id).order_by(Authorization.created_at).run()
    assert [(r["amount_cents"], r["quantity"], r["status"]) for r in rows] == [
        (7_687, 1, "approved"), (7_688, 1, "declined"), (23_062, 3, "approved"), (23_063, 3, "declined")]


async def test_without_a_tolerance_exactly_the_price_passes(db):
    w = await make_world(db.settings.secret_key)
    s = db.settings
    await world.card_pin(w.client_id, PIN, s)
    assert (await pay(w, s, 7_500, listing=w.listing_riding, code=PIN))["status"] == "approved"
    assert (await pay(w, s, 7_501, listing=w.listing_riding, code=PIN))["decline_code"] == "over_listing_price"
    assert (await pay(w, s, 15_000, listing=w.listing_riding, quantity=2, code=PIN))["status"] == "approved"
    assert (await pay(w, s, 15_001, listing=w.listing_riding, quantity=2, code=PIN))["decline_code"] == "over_listing_price"


async def test_with_no_listing_only_an_open_amount_category_up_to_its_cap(db):
    # Riding (the stable's only category) is open amount up to 40,00 € a time; art is not.
    w = await make_world(db.settings.secret_key, card_rules={"open_amount": world.open_amount(**{"sport-riding": 4_000})})
    s = db.settings
    ok = await pay(w, s, 4_000)
    assert ok["status"] == "approved"
    row = await Authorization.select().where(Authorization.id == ok["id"]).first().run()
    assert row["category"] == "sport-riding" and row["listing_id"] is None
    assert (await pay(w, s, 4_001))["decline_code"] == "over_listing_price"
    art = await pay(w, s, 100, actor=w.other_provider)
    assert (art["decline_code"], art["message"]) == (
        "listing_required", "Maksulle tarvitaan palvelu tai varaus: tämän palveluluokan maksua ei voi tehdä vapaalla summalla.")
    # With its listing the art studio is paid as usual (the client's one-time code: it is over 50 €).
    code = await world.consent_code(w.client_id, 5_500, s, now=NOW)
    assert (await pay(w, s, 5_500, actor=w.other_provider, listing=w.listing_art, code=code))["status"] == "approved"


async def test_an_open_amount_category_the_plan_cannot_pay_opens_nothing(db):
    # Transport is open amount, but the riding stable is not approved for it and the client's only
    # line is riding: a payment without a listing needs one.
    w = await make_world(db.settings.secret_key, lines=[LineInput(category="sport-riding", amount_cents=50_000)],
                         card_rules={"open_amount": world.open_amount(transport=9_000)})
    assert (await pay(w, db.settings, 100))["decline_code"] == "listing_required"


# --- A payment naming a booking ----------------------------------------------------------------------


async def _booking_world(settings, tolerance_bp: int = 0):
    w = await booking_world.build(settings, clients=2)
    if tolerance_bp:
        await world.load(world.document(counties=[world.county("org-a", price_tolerance_bp=tolerance_bp)]))
    terminal, _ = await world.terminal(w.provider_id)
    return w, terminal


async def _pay_booking(w, settings, terminal, amount: int, booking_id, *, client: int = 1, listing=None) -> dict:
    req = AuthorizationRequest(card_token=f"hbc_booking_{client:03d}_token", amount_cents=amount,
                               booking_id=str(booking_id), listing_id=listing)
    return json.loads((await auth.authorise(terminal, req, settings=settings, now=booking_world.NOW)).body)


async def test_a_booking_holds_its_whole_price_so_nothing_more_is_charged_on_it(db):
    s = db.settings
    w, terminal = await _booking_world(s)
    booking = await bookings.book(w.client, booking_world.request(w, quantity=2), settings=s, now=booking_world.NOW)
    # The booking's own hold is at the listing's price × 2 (it passed the ceiling).
    hold = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert (hold["status"], hold["amount_cents"], hold["quantity"]) == ("approved", 2 * booking_world.PRICE, 2)
    got = await _pay_booking(w, s, terminal, 1, booking.id)
    assert (got["status"], got["decline_code"]) == ("declined", "over_listing_price")
    row = await Authorization.select().where(Authorization.id == got["id"]).first().run()
    assert str(row["booking_id"]) == str(booking.id) and str(row["listing_id"]) == w.listing_id


async def test_a_booking_payment_may_take_the_tolerance_once_and_not_a_cent_more(db):
    s = db.settings
    w, terminal = await _booking_world(s, tolerance_bp=1_000)  # 10 %: 7,50 € on a 75,00 € booking
    booking = await bookings.book(w.client, booking_world.request(w), settings=s, now=booking_world.NOW)
    assert (await _pay_booking(w, s, terminal, 751, booking.id))["decline_code"] == "over_listing_price"
    assert (await _pay_booking(w, s, terminal, 750, booking.id))["status"] == "approved"
    assert (await _pay_booking(w, s, terminal, 1, booking.id))["decline_code"] == "over_listing_price"
    # Naming the booking's own listing is the same payment; no consent rule applies to it.
    assert (await _pay_booking(w, s, terminal, 1, booking.id, listing=w.listing_id))["decline_code"] == "over_listing_price"


async def test_a_booking_whose_hold_was_released_binds_a_payment_to_its_price(db):
    s = db.settings
    w, terminal = await _booking_world(s)
    booking = await bookings.book(w.client, booking_world.request(w), settings=s, now=booking_world.NOW)
    # The hold is released by the booking's own path (as the voucher's side of a booking does it);
    # the booking itself is still requested.
    async with core_db.write_transaction():
        await auth.release_booking_hold(None, booking.authorization_id, booking_world.NOW)
    assert (await _pay_booking(w, s, terminal, booking_world.PRICE + 1, booking.id))["decline_code"] == "over_listing_price"
    assert (await _pay_booking(w, s, terminal, booking_world.PRICE, booking.id))["status"] == "approved"
    assert (await _pay_booking(w, s, terminal, 1, booking.id))["decline_code"] == "over_listing_price"


async def test_a_wrong_or_foreign_booking_is_a_400_naming_booking_id_and_writes_nothing(db):
    s = db.settings
    w, terminal = await _booking_world(s, tolerance_bp=1_000)
    mine = await bookings.book(w.client, booking_world.request(w), settings=s, now=booking_world.NOW)
    theirs = await bookings.book(w.clients[1], booking_world.request(w), settings=s, now=booking_world.NOW)
    other_provider = Actor(role="provider_staff", provider_id=w.other_provider.provider_id, api_key_id=str(uuid.uuid4()),
                           display_name="muu")
    before = await Authorization.count().run()
    cases = [
        (terminal, theirs.id, 1, None),            # another client's booking, on my card
        (terminal, uuid.uuid4(), 1, None),         # no such booking
        (other_provider, mine.id, 1, None),        # another provider's terminal
        (terminal, mine.id, 1, str(uuid.uuid4())),  # another listing than the booking's
    ]
    for actor, booking_id, client, listing in cases:
        with pytest.raises(Invalid) as refused:
            await _pay_booking(w, s, actor, 100, booking_id, client=client, listing=listing)
        assert (refused.value.key, refused.value.field) == ("voucher.error.booking_not_payable", "booking_id")
    assert await Authorization.count().run() == before
    # A cancelled booking takes no payment either.
    await bookings.act(w.client, mine.id, "cancel", settings=s, now=booking_world.NOW)
    with pytest.raises(Invalid):
        await _pay_booking(w, s, terminal, 100, mine.id)


# --- Repeated just-under-exemption payments ------------------------------------------------------


async def test_the_third_just_under_exemption_payment_in_a_day_needs_consent(db):
    # 50 € a payment, and (to see this rule alone) no cumulative limit.
    w = await make_world(db.settings.secret_key, card_rules={"card_consent": {"single_cents": 5_000,
                                                                              "cumulative_cents": None}})
    s = db.settings
    for minutes in (0, 10):
        assert (await pay(w, s, 4_900, listing=w.listing_riding, now=NOW + dt.timedelta(minutes=minutes)))["status"] == "approved"
    third = await pay(w, s, 4_900, listing=w.listing_riding, now=NOW + dt.timedelta(minutes=20))
    assert (third["status"], third["decline_code"]) == ("declined", "client_consent_required")
    assert "hyväksynnän" in third["message"]
    # With the client's one-time code it is a consented payment, and it does not count as one more.
    code = await world.consent_code(w.client_id, 4_900, s, now=NOW + dt.timedelta(minutes=21))
    assert (await pay(w, s, 4_900, listing=w.listing_riding, now=NOW + dt.timedelta(minutes=22), code=code))[
        "status"] == "approved"
    # A smaller payment is not "just under"; another provider's is its own count.
    assert (await pay(w, s, 4_400, listing=w.listing_riding, now=NOW + dt.timedelta(minutes=30)))["status"] == "approved"
    assert (await pay(w, s, 4_900, listing=w.listing_art, actor=w.other_provider,
                      now=NOW + dt.timedelta(minutes=40)))["status"] == "approved"
    # 24 hours after the first two the count starts again.
    assert (await pay(w, s, 4_900, listing=w.listing_riding, now=NOW + dt.timedelta(hours=24, minutes=11)))[
        "status"] == "approved"


async def test_a_county_with_a_higher_exemption_moves_the_band_with_it(db):
    w = await make_world(db.settings.secret_key, card_rules={"card_consent": {"single_cents": 10_000,
                                                                              "cumulative_cents": None}})
    s = db.settings
    # 49,00 € is far under 100 €: never "just under".
    for minutes in (0, 1, 2):
        assert (await pay(w, s, 4_900, listing=w.listing_riding, now=NOW + dt.timedelta(minutes=minutes)))[
            "status"] == "approved"
    for minutes in (3, 4):
        assert (await pay(w, s, 9_000, listing=w.listing_riding, quantity=2,
                          now=NOW + dt.timedelta(minutes=minutes)))["status"] == "approved"
    assert (await pay(w, s, 10_000, listing=w.listing_riding, quantity=2, now=NOW + dt.timedelta(minutes=5)))[
        "decline_code"] == "client_consent_required"


async def test_just_under_exemption_payments_at_the_same_moment_get_no_third_through(db):
    """Eight such payments at once against a running server: two are approved, six need consent —
    the count is read again once the card's row is locked."""
    w = await make_world(db.settings.secret_key)
    headers = {"Authorization": f"Bearer {w.provider_key}"}
    body = {"card_token": w.token, "amount_cents": 4_900, "listing_id": w.listing_riding}
    async with Server(db.settings) as server, httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        answers = await asyncio.gather(*[client.post("/api/v1/authorizations", json=body, headers=headers)
                                         for _ in range(8)])
    got = sorted((r.status_code, r.json()["status"], r.json()["decline_code"]) for r in answers)
    assert got == [(201, "approved", None)] * 2 + [(201, "declined", "client_consent_required")] * 6


# --- A proxy who works for the provider ---------------------------------------------------------


async def test_a_proxy_who_works_for_the_provider_cannot_book_there(db):
    s = db.settings
    w = await booking_world.build(s)
    await booking_world.grant_proxy(w, ["view", "book", "pay"])

    async def hold(actor: Actor, lang: str = "fi"):
        async def op():
            return await auth.authorise_for_client(
                actor, client_id=w.client_id, listing_id=w.listing_id, amount_cents=booking_world.PRICE,
                expires_at=booking_world.SLOT + dt.timedelta(days=10), description="booking x", now=booking_world.NOW,
                lang=lang, on_behalf_of=w.client_id)
        return await core_db.in_write_transaction(op)

    assert (await hold(w.proxy)).status == "approved"  # a relative who works elsewhere may book
    from core.tables import User

    # The proxy's e-mail is the stable's own: they work there (core.identity.staff_match, as the anomaly rule asks).
    await User.update({User.email: "talli@tuulenpesa.example"}).where(User.id == w.proxy.user_id).run()
    before = await Authorization.count().run()
    for lang, words in (("fi", "palveluksessa"), ("sv", "arbetar för"), ("en", "you work for")):
        refused = await hold(w.proxy, lang)
        assert (refused.status, refused.id, refused.decline_code) == ("declined", "", "proxy_is_provider_staff")
        assert words in refused.message
    assert await Authorization.count().run() == before  # nothing written
    # The client themself still may.
    client_hold = await hold(w.client)
    assert client_hold.status == "approved"
    approved = await AuditEvent.count().where(AuditEvent.action == "voucher.authorization.approved").run()
    assert approved == 2


async def test_a_one_time_code_made_by_a_proxy_who_works_for_the_provider_does_not_pay_that_provider(db):
    """The terminal side of the same rule: a proxy with ``pay`` who works for the stable makes a code
    at /client/pay; the stable's terminal cannot take the client's money with it. The client's own
    code pays the stable."""
    from core.tables import User
    from voucher import card_consent

    s = db.settings
    w = await booking_world.build(s)
    await booking_world.grant_proxy(w, ["view", "book", "pay"])
    await User.update({User.email: "talli@tuulenpesa.example"}).where(User.id == w.proxy.user_id).run()
    client_id = w.client_ids[0]
    token = "hbc_booking_001_token"
    stable_terminal, _key = await world.terminal(w.provider_id)

    async def code_by(actor: Actor) -> str:
        return (await card_consent.make_code(actor, client_id, 7_000, settings=s, now=booking_world.NOW)).code

    async def pay_stable(code: str) -> dict:
        req = AuthorizationRequest(card_token=token, amount_cents=6_000, listing_id=w.listing_id, client_code=code)
        return json.loads((await auth.authorise(stable_terminal, req, settings=s, now=booking_world.NOW)).body)

    refused = await pay_stable(await code_by(w.proxy))
    assert (refused["status"], refused["decline_code"]) == ("declined", "proxy_is_provider_staff")
    approved = await pay_stable(await code_by(w.clients[0]))
    assert approved["status"] == "approved", approved
