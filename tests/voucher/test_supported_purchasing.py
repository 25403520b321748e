"""Supported purchasing (issue 17, part E; docs/decisions/0035): a counsellor of the client's county
books for the client with the client's consent — recorded at booking time or a standing one the
client gave in the app — through the same booking service, holding the client's budget as the
client's own booking would. Without consent: 403 and nothing held. The client's side sees who booked."""

import datetime as dt
import uuid

import pytest

from core import i18n
from core.tables import AuditEvent
from core.errors import Conflict, Forbidden, Invalid, NotFound
from marketplace.booking import services as bookings
from marketplace.booking.schemas import BookingCreate
from marketplace.booking.tables import Booking, Slot
from tests import world as tw
from tests.marketplace.booking_world import NOW, PRICE, SLOT, build, grant_proxy
from voucher import cards, caseload
from voucher.schemas import CardUpdate
from voucher.support import consent as purchase_consent
from voucher.tables import Authorization, BudgetLine, Card, PurchaseConsent


def for_client(w, **consent) -> BookingCreate:
    return BookingCreate(listing_id=w.listing_id, starts_at=SLOT, client_id=w.client_id, **consent)


async def nothing_held(w) -> None:
    assert await Booking.count().run() == 0
    assert await Authorization.count().run() == 0
    assert await PurchaseConsent.count().where(PurchaseConsent.kind == "booking").run() == 0
    slot = await Slot.select(Slot.booked).first().run()
    assert slot is None or slot["booked"] == 0
    held = await BudgetLine.select(BudgetLine.held_cents).run()
    assert all(r["held_cents"] == 0 for r in held)


async def test_a_counsellor_books_with_the_consent_recorded_and_the_budget_is_held(db):
    w = await build(db.settings)
    given = NOW - dt.timedelta(hours=2)
    booking = await bookings.book(w.counsellor, for_client(w, consent="phone", consent_given_at=given),
                                  settings=db.settings, now=NOW)
    assert booking.booked_by_role == "counsellor" and booking.booked_by_label == "Olli Ohjaaja"
    assert not booking.booked_by_proxy and booking.purchase_consent_id is not None
    # The hold is the client's budget, exactly as the client's own booking.
    auth = await Authorization.select().where(Authorization.id == booking.authorization_id).first().run()
    assert auth["amount_cents"] == PRICE and auth["status"] == "approved" and str(auth["client_id"]) == w.client_id
    assert sum(r["held_cents"] for r in await BudgetLine.select(BudgetLine.held_cents).run()) == PRICE
    consent = await PurchaseConsent.select().where(PurchaseConsent.id == booking.purchase_consent_id).first().run()
    assert (consent["kind"], consent["given_how"], consent["given_at"], str(consent["booking_id"])) == (
        "booking", "phone", given, str(booking.id))
    assert str(consent["recorded_by"]) == w.counsellor.user_id
    # Audited on behalf of the client: the booking, its hold and the consent.
    actions = {r["action"]: r for r in await AuditEvent.select().where(AuditEvent.actor_user_id == w.counsellor.user_id).run()}
    for action in ("booking.request", "voucher.purchase_consent.recorded"):
        assert str(actions[action]["on_behalf_of"]) == w.client_id, action
    # The client reads who booked; the provider that a counsellor did, not who.
    assert (await bookings.read_for(w.client, booking.id)).booked_by_label == "Olli Ohjaaja"
    seen = await bookings.read_for(w.provider, booking.id)
    assert seen.booked_by_role == "counsellor" and seen.booked_by_label == ""
    listed = await bookings.list_for(w.provider, bookings.Filters(), NOW)
    assert [b.booked_by_label for b in listed.items] == [""]


async def test_without_consent_the_booking_is_refused_and_nothing_is_held(db):
    w = await build(db.settings)
    with pytest.raises(Forbidden) as refused:
        await bookings.book(w.counsellor, for_client(w), settings=db.settings, now=NOW)
    assert refused.value.key == "booking.error.no_purchase_consent"
    await nothing_held(w)
    # The refusal is in the organiser's log.
    assert await AuditEvent.exists().where(AuditEvent.action == "booking.refused").run()
    # A consent named but not well: 400 naming the field, nothing held.
    with pytest.raises(Invalid) as bad:
        await bookings.book(w.counsellor, for_client(w, consent="phone"), settings=db.settings, now=NOW)
    assert bad.value.field == "consent_given_at"
    with pytest.raises(Invalid) as late:
        await bookings.book(w.counsellor, for_client(w, consent="in_person", consent_given_at=NOW + dt.timedelta(hours=1)),
                            settings=db.settings, now=NOW)
    assert late.value.field == "consent_given_at"
    with pytest.raises(Invalid) as way:
        await bookings.book(w.counsellor, for_client(w, consent="telepathy", consent_given_at=NOW),
                            settings=db.settings, now=NOW)
    assert way.value.field == "consent"
    await nothing_held(w)


async def test_a_standing_consent_covers_the_clients_own_counsellor_until_revoked(db):
    w = await build(db.settings, capacity=5)
    await caseload.assign(w.counsellor, w.client_id, caseload.CounsellorAssign(counsellor_id=w.counsellor.user_id))
    await grant_proxy(w, ["view", "book"])
    # A proxy with "book" gives it in the client's name; giving it twice changes nothing.
    given = await purchase_consent.give_standing(w.proxy, w.client_id, NOW)
    assert (await purchase_consent.give_standing(w.client, w.client_id, NOW)).id == given.id
    booking = await bookings.book(w.counsellor, for_client(w), settings=db.settings, now=NOW)
    assert str(booking.purchase_consent_id) == given.id
    # Another counsellor of the county is not the client's own: they need the client's consent to the booking.
    other = (await tw.person("counsellor", "toinen@keusote.example", name="Toini Toinen", password=None,
                             organiser_id=w.organiser_id)).actor
    with pytest.raises(Forbidden):
        await bookings.book(other, for_client(w), settings=db.settings, now=NOW)
    # Revoked: refused at once, nothing more held.
    assert await purchase_consent.revoke_standing(w.client, w.client_id, NOW)
    with pytest.raises(Forbidden) as refused:
        await bookings.book(w.counsellor, for_client(w, consent="standing"), settings=db.settings, now=NOW)
    assert refused.value.key == "booking.error.no_purchase_consent"
    assert await Booking.count().run() == 1 and await Authorization.count().run() == 1


async def test_who_may_book_for_a_client(db):
    w = await build(db.settings)
    consent = {"consent": "in_person", "consent_given_at": NOW}
    elsewhere = (await tw.person("counsellor", "ohjaaja@muualla.example", password=None,
                                 organiser_id=str(uuid.uuid4()))).actor
    with pytest.raises(NotFound):
        await bookings.book(elsewhere, for_client(w, **consent), settings=db.settings, now=NOW)
    # The county's admin resolves the bookings' disputes: does not book them.
    with pytest.raises(Forbidden):
        await bookings.book(w.organiser, for_client(w, **consent), settings=db.settings, now=NOW)
    # A counsellor who works for the provider is refused like a proxy who does.
    staff = (await tw.person("counsellor", "talli@tuulenpesa.example", password=None,
                             organiser_id=w.organiser_id)).actor
    with pytest.raises(Forbidden) as refused:
        await bookings.book(staff, for_client(w, **consent), settings=db.settings, now=NOW)
    assert refused.value.key == "booking.error.proxy_is_staff"
    # A proxy without "book" cannot give the standing consent either.
    await grant_proxy(w, ["view"])
    with pytest.raises(Forbidden):
        await purchase_consent.give_standing(w.proxy, w.client_id, NOW)
    await nothing_held(w)


async def test_the_clients_export_has_the_consents_and_messages_and_pseudonymisation_clears_them(db):
    import json

    from core.privacy import export_client, pseudonymise_client
    from voucher.support import thread

    w = await build(db.settings)
    await purchase_consent.give_standing(w.client, w.client_id, NOW)
    await thread.send(w.client, w.client_id, thread.MessageCreate(body="Polveni on kipeä, tarvitsen kyydin"), now=NOW)
    doc = await export_client(w.organiser, w.client_id)
    assert [m["body"] for m in doc["messages"]] == ["Polveni on kipeä, tarvitsen kyydin"]
    assert [c["kind"] for c in doc["purchase_consents"]] == ["standing"]
    await pseudonymise_client(w.organiser, w.client_id, "Säilytysaika päättynyt",
                              at=dt.datetime(2040, 1, 1, tzinfo=dt.timezone.utc))
    after = await export_client(w.organiser, w.client_id)
    assert "Polveni" not in json.dumps(after, ensure_ascii=False, default=str)
    assert len(after["messages"]) == 1 and after["purchase_consents"][0]["revoked_at"] is not None
    assert await purchase_consent.standing(w.client_id) is None


async def test_a_counsellor_booking_for_a_client_without_a_card_in_use_says_what_to_do(db):
    """The client's decline ("contact your counsellor") would send the counsellor to themself: they
    are told the client has no card in use and where to issue one; nothing is held."""
    w = await build(db.settings)
    card = await Card.select(Card.id).where(Card.client == w.client_id).first().run()
    await cards.update(w.counsellor, card["id"], CardUpdate(status="frozen", reason="Kortti kadonnut"))
    with pytest.raises(Conflict) as refused:
        await bookings.book(w.counsellor, for_client(w, consent="phone", consent_given_at=NOW - dt.timedelta(hours=1)),
                            settings=db.settings, now=NOW)
    assert refused.value.key == "booking.error.client_card_inactive"
    assert "Myönnä kortti" in i18n.t(refused.value.key, "fi")
    await nothing_held(w)
    # The client booking themself still hears the client's words.
    with pytest.raises(Conflict) as own:
        await bookings.book(w.client, BookingCreate(listing_id=w.listing_id, starts_at=SLOT), settings=db.settings, now=NOW)
    assert own.value.key == "voucher.decline.card_inactive"
