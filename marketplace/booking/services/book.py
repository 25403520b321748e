"""Booking a slot: a client (or their proxy with ``book``, or a counsellor of the client's county
with the client's consent) books a slot of a listing, and its price is held on the client's budget
at once — or the booking is refused and nothing is held.

No overbooking, on SQLite and PostgreSQL
----------------------------------------
A slot's places are counted in one row (``mp_slot.booked``) and taken only by one conditional
atomic statement::

    UPDATE mp_slot SET booked = booked + :q WHERE slot_key = :k AND booked + :q <= capacity RETURNING id

No row back means "full": the booking is refused before any money is held. Nothing reads the count
and writes a number computed in Python.

* PostgreSQL (READ COMMITTED): the UPDATE locks the slot row. A concurrent booking's UPDATE waits
  for that lock and then re-evaluates its WHERE against the row as committed (EvalPlanQual), so it
  sees the first booking's place taken. The row is created first with ``INSERT … ON CONFLICT DO
  NOTHING`` on the unique ``slot_key``; a concurrent insert of the same key waits for the first
  and then does nothing, so there is only ever one row to count in.
* SQLite: every write transaction starts with ``BEGIN IMMEDIATE`` (core.db.write_transaction), so
  bookings run one after another, each seeing every earlier commit.
* Behind both, the database checks ``0 <= booked <= capacity`` itself (CHECK constraint on
  PostgreSQL, triggers on SQLite; migration ``marketplace_2026_11_28t06_19_04_000000``).

The place and the hold are taken in the same transaction: a hold the voucher declines rolls the
place back, and a full slot never reaches the voucher — no stray holds. Locks are taken in one
order (the Idempotency-Key, the slot, then the voucher's card and budget line), so bookings wait
for each other instead of deadlocking.

A repeated Idempotency-Key (a double click, a retry) is core.idempotency's: the key is claimed
first in the booking's transaction, so the same request sent again — even at the same moment —
waits for the first and gets its booking back, never meeting the card's daily limit or the slot's
last place that the first one used; the same key with another request is a 409.
"""

import datetime as dt
import uuid

import msgspec

from core import audit, idempotency
from core.clock import UTC, utcnow
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.idempotency import Stored, caller_scope
from core.identity import Actor
from core.ids import as_uuid
from core.settings import Settings
import marketplace.booking.support_messages  # noqa: F401 - the consent's and its refusal's texts
from marketplace import catalogue, notifications
from marketplace import domain as mdomain
from marketplace.booking import availability, domain, people
from marketplace.booking.ports import ClientRef, Hold, voucher
from marketplace.booking.schemas import BookingCreate, BookingRead
from marketplace.booking.services.records import load, record, to_read
from marketplace.booking.tables import Booking, Slot

# Bookings' Idempotency-Keys are the caller's, as on the card API; a key is for one request.
PATH = "/api/v1/bookings"
KEY_REUSED = "booking.error.idempotency_key_reused"


# Who may book: the client, their proxy holding ``book``, and a counsellor of the client's county
# with the client's consent (docs/decisions/0035; the voucher keeps the consents).
CLIENT, PROXY, COUNSELLOR = "client", "proxy", "counsellor"


class Requester(msgspec.Struct, frozen=True, kw_only=True):
    client: ClientRef
    on_behalf_of: str | None
    role: str = CLIENT


def _named_client(client_id: str | None) -> str:
    if not client_id or as_uuid(client_id) is None:
        raise Invalid("error.validation", field="client_id",
                      errors=[FieldError(field="client_id", key="booking.error.choose_client")])
    return client_id


async def _requester(actor: Actor, client_id: str | None) -> Requester:
    """Whom the booking is for: the client themself, the client a proxy with the right to book
    names, or the client a counsellor of their county names (whose consent the booking then asks
    for; another county's counsellor is told nothing: 404). Anyone else is refused."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "client" and actor.client_id:
        if client_id and str(client_id) != str(actor.client_id):
            raise Forbidden()
        return Requester(client=await voucher().client_to_read(actor, actor.client_id, "booking"), on_behalf_of=None)
    if actor.role == PROXY and actor.user_id:
        if "book" not in await voucher().proxy_rights(actor.user_id, _named_client(client_id)):
            raise Forbidden("booking.error.proxy_right")
        client = await voucher().client_to_read(actor, client_id, "booking")
        return Requester(client=client, on_behalf_of=str(client.id), role=PROXY)
    if actor.role == COUNSELLOR and actor.user_id:
        client = await voucher().client_to_read(actor, _named_client(client_id), "booking")
        return Requester(client=client, on_behalf_of=str(client.id), role=COUNSELLOR)
    raise Forbidden("booking.error.clients_only")


async def book(actor: Actor, data: BookingCreate, *, settings: Settings, now: dt.datetime | None = None,
               lang: str = "fi", idempotency_key: str | None = None) -> BookingRead:
    """Request a booking and hold its price on the client's budget, or refuse it cleanly: a full
    slot is a 409 ``booking.error.slot_full``; a voucher decline is a 409 whose code is the decline
    (``voucher.decline.insufficient_funds`` …). A repeated Idempotency-Key returns the first booking."""
    now = now or utcnow()
    who = await _requester(actor, data.client_id)
    starts_at = data.starts_at if data.starts_at.tzinfo else data.starts_at.replace(tzinfo=UTC)
    # Two requests are the same when they ask the same of the same client.
    same = msgspec.structs.replace(data, client_id=str(who.client.id), starts_at=starts_at.astimezone(UTC))

    async def op() -> Stored:
        booking = await _request(actor, who, data, starts_at, settings=settings, now=now, lang=lang)
        return Stored(201, msgspec.json.encode(to_read(booking)))

    try:
        stored = await idempotency.run(caller_scope(actor), idempotency_key, idempotency.fingerprint("POST", PATH, same),
                                       op, reused=KEY_REUSED)
    except (Conflict, Forbidden) as exc:
        if exc.key != KEY_REUSED:
            await _record_refusal(actor, who, data.listing_id, exc.key)
        raise
    return msgspec.json.decode(stored.body, type=BookingRead)


async def _request(actor: Actor, who: Requester, data: BookingCreate, starts_at: dt.datetime, *, settings: Settings,
                   now: dt.datetime, lang: str) -> dict:
    """The booking itself, inside its write transaction: the listing and the slot checked, the place
    taken, the price held, the booking, its history and the provider's notification written."""
    client = who.client
    listing = await catalogue.live_listing(data.listing_id, client.organiser_id)
    if listing is None:
        raise NotFound("booking.error.listing_unavailable")
    if who.on_behalf_of and await catalogue.works_for_provider(actor.user_id, listing["provider_id"]):
        raise Forbidden("booking.error.proxy_is_staff")
    if starts_at <= now or starts_at > now + dt.timedelta(days=domain.HORIZON_DAYS):
        raise Invalid("error.validation", field="starts_at", errors=[FieldError(field="starts_at", key="booking.error.slot_time")])
    offer = await availability.offer_at(listing["id"], starts_at)
    if offer is None:
        raise Invalid("error.validation", field="starts_at", errors=[FieldError(field="starts_at", key="booking.error.no_slot")])
    if data.quantity > offer.capacity:
        raise Invalid("error.validation", field="quantity",
                      errors=[FieldError(field="quantity", key="booking.error.quantity", params={"max": offer.capacity})])
    booking_id = uuid.uuid4()
    consent = None
    if who.role == COUNSELLOR:
        # The client's consent, asked before any place or money is taken (a consent to this booking
        # is recorded here, in the booking's transaction: it exists exactly when the booking does).
        consent = await voucher().purchase_consent(actor, client.id, how=data.consent, given_at=data.consent_given_at,
                                                   booking_id=booking_id, now=now)
        if consent is None:
            raise Forbidden("booking.error.no_purchase_consent")
    policy = await availability.policy(listing["id"])
    amount = int(listing["price_cents"]) * data.quantity
    free = mdomain.is_free(int(listing["price_cents"]))
    if free:
        # A free activity (docs/decisions/0037): any client with a budget decision in force may book
        # it, in any category; someone without an HB decision cannot book through HB.
        if not await voucher().has_decision(client.id, now):
            raise Conflict("booking.error.free_needs_decision")
    key = domain.slot_key(listing["id"], offer.starts_at)

    await Slot.insert(Slot(listing=listing["id"], slot_key=key, starts_at=offer.starts_at, ends_at=offer.ends_at,
                           capacity=offer.capacity)).on_conflict(action="DO NOTHING").run()
    # The published capacity now (never below what is already booked), then the place itself:
    # one conditional atomic update — see the module docstring.
    await Slot.raw("UPDATE mp_slot SET capacity = CASE WHEN booked > {} THEN booked ELSE {} END WHERE slot_key = {}",
                   offer.capacity, offer.capacity, key).run()
    taken = await Slot.raw(
        "UPDATE mp_slot SET booked = booked + {} WHERE slot_key = {} AND booked + {} <= capacity RETURNING id",
        data.quantity, key, data.quantity).run()
    if not taken:
        raise Conflict("booking.error.slot_full")
    # A free booking moves no money: no hold, so no authorisation row (and later no capture).
    held = Hold(approved=True, authorization_id=None, budget_cents=0) if free else await voucher().hold(
        actor, client_id=client.id, listing_id=listing["id"], amount_cents=amount,
        expires_at=domain.hold_until(offer.ends_at, now, settings.hold_expiry_days, settings.dispute_window_days),
        description=f"booking {booking_id}", now=now, lang=lang, on_behalf_of=who.on_behalf_of, quantity=data.quantity,
    )
    if not held.approved:
        if who.role == COUNSELLOR and held.decline_code == "card_inactive":
            # The client's words ("contact your counsellor") would send the counsellor to themself.
            raise Conflict("booking.error.client_card_inactive")
        raise Conflict(f"voucher.decline.{held.decline_code}")
    await Booking.insert(Booking(
        id=booking_id, listing=listing["id"], slot=taken[0]["id"], provider_id=listing["provider_id"],
        organiser_id=client.organiser_id, client_id=client.id, client_label=client.display_name,
        client_lang=client.language or "fi", category=listing["category"], title=listing.get("title") or {},
        unit=listing.get("unit") or "session", starts_at=offer.starts_at, ends_at=offer.ends_at,
        quantity=data.quantity, unit_price_cents=int(listing["price_cents"]), amount_cents=amount,
        budget_cents=0 if free else held.budget_cents or amount, client_share_cents=held.client_share_cents,
        status=domain.REQUESTED, authorization_id=held.authorization_id, booked_by=actor.user_id,
        booked_by_proxy=who.role == PROXY, booked_by_role=who.role,
        booked_by_label=actor.display_name[:200] if who.role == COUNSELLOR else "",
        purchase_consent_id=consent.id if consent else None, cancellation_hours=policy.cancellation_hours,
        late_cancellation_fee_percent=policy.late_cancellation_fee_percent,
        no_show_fee_percent=policy.no_show_fee_percent, note=data.note.strip(), created_at=now, updated_at=now,
    )).run()
    booking = await load(booking_id)
    # The history says what the budget holds (the client's own share is not held: docs/decisions/0033).
    await record(actor, booking, "request", "", domain.REQUESTED, who.on_behalf_of, now,
                 amount_cents=0 if free else held.budget_cents or amount)
    await notifications.enqueue("requested", booking, await people.provider_staff(booking["provider_id"]),
                                base_url=settings.base_url, now=now)
    return booking


async def _record_refusal(actor: Actor, who: Requester, listing_id: str, key: str) -> None:
    """A refused booking changed nothing, but the organiser sees why clients were turned away."""
    await audit.record(actor, "booking.refused", "listing", listing_id, organiser_id=who.client.organiser_id,
                       on_behalf_of=who.on_behalf_of, details={"client_id": str(who.client.id), "reason": key})
