"""Free listings (issue 18, docs/decisions/0037) on SQLite and PostgreSQL: a provider lists an
activity at price 0, the organiser approves it, it is found with the "Maksuton" facet, booked with
its places taken, reminded of, delivered and accepted — and no money moves: no authorisation,
capture, ledger transfer or settlement item is written. The console counts the free use."""

import asyncio
import datetime as dt
import re
import time

import pytest

from admin import dashboard
from admin import domain as admin_domain
from admin.figures import to_csv
from core import identity
from core.errors import Conflict, Invalid
from marketplace import approvals, import_validation, listings
from marketplace import domain as mdomain
from marketplace.booking import services as bookings
from marketplace.booking.schemas import BookingCreate
from marketplace.booking.tables import Booking, Slot
from marketplace.schemas import ListingInput, LocalisedText
from tests import world
from tests.helpers import form_post
from tests.marketplace.booking_world import DOCUMENT, NOW, SLOT, build
from voucher import budgets
from voucher import domain as vdomain
from voucher.schemas import ClientCreate, LineInput
from voucher.tables import Authorization, Capture, SettlementItem, Transfer

NEXT_WEEK = SLOT + dt.timedelta(days=7)


async def as_user(client, actor) -> None:
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))


def _free_input(**changes) -> ListingInput:
    values = dict(category="sport-riding", title=LocalisedText(fi="Tallin avoin hoitoilta", sv="Stallets öppna skötselkväll"),
                  description=LocalisedText(fi="Hevosten hoitoa yhdessä, kaikki tervetulleita. Ei ratsastusta."),
                  price_cents=0, unit="session", delivery_mode="at_provider", municipality="Nurmijärvi",
                  languages=["fi"], capacity=1)
    values.update(changes)
    return ListingInput(**values)


async def _money_rows() -> tuple[int, ...]:
    return tuple([await Authorization.count().run(), await Capture.count().run(), await Transfer.count().run(),
                  await SettlementItem.count().run()])


async def _approved_free_listing(w) -> str:
    """Created by the provider at price 0, submitted and approved by the organiser."""
    created = await listings.create(w.provider, _free_input())
    assert created.price_cents == 0
    await listings.submit(w.provider, created.id)
    queue = await approvals.queue(w.organiser, w.organiser_id, kind="listing", page=1, per_page=50)
    item = next(i for i in queue.items if str(i.listing_id) == str(created.id))
    assert await approvals.decide_listing_review(w.organiser, item.id, "approve", "") == "approved"
    await world.weekly_time(w.provider, created.id, 1, "10:00", capacity=1)
    return str(created.id)


async def _search(client, **params) -> dict:
    started = time.monotonic()
    while True:
        r = await client.get("/api/v1/search/listings", params=params)
        assert r.status_code == 200, r.text
        if r.json()["total"] or time.monotonic() - started > 2:
            return r.json()
        await asyncio.sleep(0.05)


async def test_a_free_activity_is_listed_found_booked_delivered_and_counted_without_moving_money(app, client, db):
    s = db.settings
    w = await build(s, clients=2)
    listing_id = await _approved_free_listing(w)

    # Found with the facet, and it says so on its page and in the hits.
    found = await _search(client, free="true")
    assert [h["id"] for h in found["hits"]] == [listing_id] and found["facets"]["cost"] == {"free": 1}
    assert found["hits"][0]["price_cents"] == 0
    everything = await _search(client)
    assert everything["facets"]["cost"] == {"free": 1} and everything["total"] == 2
    page = await client.get("/search", params={"free": "true"})
    assert page.status_code == 200 and "Maksuton" in page.text and "Tallin avoin hoitoilta" in page.text
    assert 'id="free" name="free" value="true" checked' in page.text
    listing_page = await client.get(f"/listings/{listing_id}")
    assert listing_page.status_code == 200 and "Maksuton" in listing_page.text

    # A client whose decision has no line for the category books it (docs/decisions/0037).
    culture_only = await world.voucher_client(w.counsellor, s.secret_key, [LineInput(category="culture-art", amount_cents=5000)],
                                             name="Asiakas 0100")
    booker = world.client_actor(culture_only.id)
    before = await _money_rows()
    booking = await bookings.book(booker, BookingCreate(listing_id=listing_id, starts_at=SLOT), settings=s, now=NOW)
    assert (booking.status, booking.amount_cents, booking.authorization_id) == ("requested", 0, None)
    assert (await Slot.select(Slot.booked).where(Slot.listing == listing_id).first().run())["booked"] == 1
    # The place is taken: a full slot still refuses, and nothing is held for anyone.
    with pytest.raises(Conflict) as full:
        await bookings.book(w.clients[1], BookingCreate(listing_id=listing_id, starts_at=SLOT), settings=s, now=NOW)
    assert full.value.key == "booking.error.slot_full"

    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    after = SLOT + dt.timedelta(minutes=50)
    delivered = await bookings.act(w.provider, booking.id, "deliver", settings=s, now=after)
    assert delivered.dispute_until is not None
    done = await bookings.act(booker, booking.id, "accept", settings=s, now=after)
    assert (done.status, done.captured_cents) == ("completed", 0)
    history = await bookings.read_for(booker, booking.id)
    assert [e.action for e in history.events] == ["request", "confirm", "deliver", "accept"]

    # A second one: reminded before its window closes, then completed by the clock; a third cancelled.
    second = await bookings.book(w.client, BookingCreate(listing_id=listing_id, starts_at=NEXT_WEEK), settings=s, now=NOW)
    await bookings.act(w.provider, second.id, "confirm", settings=s, now=NOW)
    await bookings.act(w.provider, second.id, "deliver", settings=s, now=NEXT_WEEK + dt.timedelta(minutes=50))
    deadline = (await Booking.select(Booking.dispute_until).where(Booking.id == second.id).first().run())["dispute_until"]
    assert await bookings.complete_due(s, deadline - dt.timedelta(hours=2)) == 0
    reminded = await Booking.select(Booking.reminder_sent_at).where(Booking.id == second.id).first().run()
    assert reminded["reminder_sent_at"] is not None
    assert await bookings.complete_due(s, deadline) == 1
    third = await bookings.book(w.client, BookingCreate(listing_id=listing_id, starts_at=NEXT_WEEK + dt.timedelta(days=7)),
                                settings=s, now=NOW)
    cancelled = await bookings.act(w.client, third.id, "cancel", settings=s, now=NOW)
    assert (cancelled.status, cancelled.captured_cents) == ("cancelled", 0)

    # No money moved: no hold, capture, ledger transfer or settlement item.
    assert await _money_rows() == before

    # The console counts the use: two delivered in March, one place each, in its figure and CSV.
    period = admin_domain.period_from("2026-03", "2026-03", NOW.date())
    board = await dashboard.build(w.organiser_id, period, NEXT_WEEK + dt.timedelta(days=30), "fi")
    figure = board.figures["free_use"]
    assert [(r["key"], r["bookings"], r["places"]) for r in figure.rows] == [("sport-riding", 2, 2)]
    csv_text = to_csv(figure, "fi")
    assert "sport-riding" in csv_text
    # The same on the console's page and in its CSV download.
    app.state.clock = lambda: NEXT_WEEK + dt.timedelta(days=30)
    await as_user(client, w.organiser)
    shown = await client.get("/organiser/dashboard", params={"from": "2026-03", "to": "2026-03"})
    assert shown.status_code == 200 and "Maksuttomien palvelujen käyttö palveluluokittain" in shown.text
    csv_file = await client.get("/organiser/dashboard/export/free_use", params={"from": "2026-03", "to": "2026-03"})
    assert csv_file.status_code == 200 and "sport-riding" in csv_file.text and "Toteutuneet varaukset" in csv_file.text


async def test_someone_without_a_budget_decision_cannot_book_a_free_activity(db):
    s = db.settings
    w = await build(s)
    listing_id = await _approved_free_listing(w)
    made = await budgets.create_client(w.counsellor, ClientCreate(display_name="Asiakas 0200", client_group="disability_services",
                                                                  language="fi"), s.secret_key)
    with pytest.raises(Conflict) as refused:
        await bookings.book(world.client_actor(made.id), BookingCreate(listing_id=listing_id, starts_at=SLOT), settings=s,
                            now=NOW)
    assert refused.value.key == "booking.error.free_needs_decision"
    assert (await Slot.select(Slot.booked).where(Slot.listing == listing_id).first().run() or {"booked": 0})["booked"] == 0


async def test_price_zero_is_explicit_and_an_empty_price_is_still_an_error(db):
    w = await build(db.settings)
    # The form: "0" is free; an empty price is an error on its field, never silently free.
    form = {"category": "sport-riding", "title.fi": "Kuoro", "description.fi": "Avoin kuoroilta.", "unit": "session",
            "delivery_mode": "at_provider", "municipality": "Nurmijärvi", "capacity": "1"}
    assert listings.input_from_form({**form, "price_euros": "0"}, lambda v: [])["price_cents"] == 0
    with pytest.raises(Invalid) as empty:
        await listings.save_from_form(w.provider, None, listings.input_from_form({**form, "price_euros": ""}, lambda v: []),
                                      and_submit=False)
    assert empty.value.errors[0].field == "price_euros"
    with pytest.raises(Invalid) as negative:
        await listings.create(w.provider, _free_input(price_cents=-1))
    assert negative.value.errors[0].field == "price_cents"
    # The import takes 0 too, and still refuses a missing price.
    free = world.listing("lst-free", "prov-a", "sport-riding", price_cents=0)
    missing = {k: v for k, v in world.listing("lst-nothing", "prov-a", "sport-riding").items() if k != "price_cents"}
    errors, _ = await import_validation.validate(dict(DOCUMENT, listings=[free, missing]))
    assert [(e.field, e.key) for e in errors if "price" in e.field] == [("listings[lst-nothing].price_cents", "listing.price_invalid")] \
        or [e.key for e in errors if "price" in e.field] == ["listing.price_invalid"]
    refs = (await world.load(dict(DOCUMENT, listings=[free]), db.settings))["refs"]
    assert (await listings.read(w.provider, refs["lst-free"])).price_cents == 0


@pytest.mark.parametrize("price, valid", [(0, True), (1, True), (10_000_000, True), (-1, False), (10_000_001, False),
                                          (None, False), ("", False), (False, False), (0.0, False), ("0", False)])
def test_the_price_rule(price, valid):
    assert mdomain.price_valid(price) is valid
    assert mdomain.is_free(price) is (price == 0 and valid)


def test_a_card_payment_against_a_free_listing_or_booking_has_no_room():
    assert vdomain.listing_ceiling_cents(0, 3, 5_000) == 0
    assert vdomain.booking_ceiling_cents(vdomain.BookingTerms(amount_cents=0), 5_000) == 0


async def test_the_client_books_a_free_activity_from_its_page_and_is_told_nothing_is_held(db, app, client):
    w = await build(db.settings)
    listing_id = await _approved_free_listing(w)
    app.state.clock = lambda: NOW
    await as_user(client, w.client)
    page = await client.get(f"/listings/{listing_id}")
    assert page.status_code == 200
    text = page.text
    assert "Maksuton – ei veloiteta budjetista" in text and "varaus ei vie budjetistasi mitään" in text
    assert "hinta varataan heti budjetistasi" not in text
    form_key = re.search(r'name="form_key" value="([^"]+)"', text).group(1)
    response = await form_post(client, "/bookings", {"listing_id": listing_id, "form_key": form_key, "quantity": "1",
                                                     "client_id": w.client_id, "starts_at": SLOT.isoformat(), "note": ""})
    assert response.status_code == 303 and response.headers["location"].endswith("done=booking.done.requested_free")
    booked = await client.get(response.headers["location"])
    assert "budjetistasi ei varata mitään" in booked.text and "maksuton, ei budjettivarausta" in booked.text
    assert await Authorization.count().where(Authorization.client_id == w.client_id).run() == 0
