"""Bookings: a client (or their proxy) books a slot of a listing; the price is held on the client's
budget at once; the provider confirms and delivers; the client's say-so — or the end of the dispute
window — releases the payment; a dispute waits for the organiser.

    requested ─confirm→ confirmed ─deliver→ delivered ─accept / auto_complete→ completed
        │                  │                    └─dispute→ disputed ─resolve_capture→ completed
        ├─decline→ declined ├─no_show→ no_show                     └─resolve_void→ voided
        └─cancel→ cancelled └─cancel→ cancelled

Each transition is allowed to one side only (marketplace.booking.domain.TRANSITIONS), runs in one
write transaction with its money movement, its history event, its audit entry (with the client a
proxy acted for) and its notifications, and claims the booking by a conditional update on its
current status — so two racing transitions never both happen.

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
order (slot, then the voucher's card and budget line), so bookings wait for each other instead of
deadlocking.
"""

import datetime as dt
import hashlib
import uuid
from typing import Any

import msgspec

from core import audit
from core.clock import HELSINKI, utcnow
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from core.settings import Settings
from marketplace import catalogue, notifications
from marketplace.booking import availability, domain
from marketplace.booking import voucher_port as port
from marketplace.booking.schemas import BookingCreate, BookingEventRead, BookingPage, BookingRead
from marketplace.booking.tables import Booking, BookingEvent, Review, Slot

SYSTEM = Actor(role="system", display_name="HB platform")


class Side(msgspec.Struct, frozen=True, kw_only=True):
    """How an actor stands to a booking."""

    side: str | None
    # The client a proxy acts for (None otherwise).
    on_behalf_of: str | None = None
    proxy_rights: frozenset[str] = frozenset()
    # A proxy who works for the booked provider may not act for the client there.
    proxy_is_staff: bool = False
    # Counsellors of the client's organiser may read bookings (never act on them).
    may_read: bool = False


async def side_of(actor: Actor, booking: dict) -> Side:
    if actor.is_anonymous:
        return Side(side=None)
    if actor.role == "client" and actor.client_id and str(actor.client_id) == str(booking["client_id"]):
        return Side(side=domain.CLIENT, may_read=True)
    if actor.role == "proxy" and actor.user_id:
        rights = await port.proxy_rights(actor.user_id, booking["client_id"])
        if rights:
            return Side(side=domain.CLIENT, on_behalf_of=str(booking["client_id"]), proxy_rights=frozenset(rights),
                        proxy_is_staff=await port.works_for_provider(actor.user_id, booking["provider_id"]),
                        may_read=True)
    if actor.role == "provider_staff" and actor.provider_id and str(actor.provider_id) == str(booking["provider_id"]):
        return Side(side=domain.PROVIDER, may_read=True)
    if actor.organiser_id and str(actor.organiser_id) == str(booking["organiser_id"]):
        if actor.role == "organiser_admin":
            return Side(side=domain.ORGANISER, may_read=True)
        if actor.role == "counsellor":
            return Side(side=None, may_read=True)
    if actor.role == "system":
        return Side(side=domain.SYSTEM, may_read=True)
    return Side(side=None)


def _require(side: Side, transition: domain.Transition) -> None:
    """Refuse (403) an actor whose side may not make ``transition``."""
    if side.side != transition.side:
        raise Forbidden("booking.error.not_your_action")
    if side.on_behalf_of:
        if transition.proxy_right and transition.proxy_right not in side.proxy_rights:
            raise Forbidden("booking.error.proxy_right")
        if side.proxy_is_staff:
            raise Forbidden("booking.error.proxy_is_staff")


# A review speaks for the client (its score counts in the organiser's follow-up): a proxy writes
# one only with the right to confirm or dispute the delivery.
REVIEW_PROXY_RIGHT = "pay"


def may_review(side: Side) -> bool:
    """May this side rate the booking: its client, or their proxy holding ``pay`` who does not
    work for the provider (the booking's state is the caller's to check)."""
    if side.side != domain.CLIENT or side.proxy_is_staff:
        return False
    return not side.on_behalf_of or REVIEW_PROXY_RIGHT in side.proxy_rights


async def require_review_right(actor: Actor, booking_id: Any) -> None:
    """Refuse (403) a proxy without ``pay`` before a page validates its review form (``reviews.write``
    checks the same itself)."""
    side = await side_of(actor, await _load(booking_id))
    if side.on_behalf_of and not may_review(side):
        raise Forbidden("booking.error.proxy_right")


async def _load(booking_id: Any) -> dict:
    bid = as_uuid(booking_id)
    row = await Booking.select().where(Booking.id == bid).output(load_json=True).first().run() if bid else None
    if not row:
        raise NotFound()
    return row


# --- Book ------------------------------------------------------------------------------------


class Requester(msgspec.Struct, frozen=True, kw_only=True):
    client: dict
    on_behalf_of: str | None


async def _requester(actor: Actor, client_id: str | None) -> Requester:
    """Whom the booking is for: the client themself, or the client a proxy with the right to book
    names. Anyone else is refused."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "client" and actor.client_id:
        if client_id and str(client_id) != str(actor.client_id):
            raise Forbidden()
        return Requester(client=await port.client_to_read(actor, actor.client_id, "booking"), on_behalf_of=None)
    if actor.role == "proxy" and actor.user_id:
        if not client_id or as_uuid(client_id) is None:
            raise Invalid("error.validation", field="client_id",
                          errors=[FieldError(field="client_id", key="booking.error.choose_client")])
        if "book" not in await port.proxy_rights(actor.user_id, client_id):
            raise Forbidden("booking.error.proxy_right")
        client = await port.client_to_read(actor, client_id, "booking")
        return Requester(client=client, on_behalf_of=str(client["id"]))
    raise Forbidden("booking.error.clients_only")


def _request_hash(data: BookingCreate, client_id: str) -> str:
    body = msgspec.json.encode({"listing_id": data.listing_id, "starts_at": data.starts_at.astimezone(dt.timezone.utc),
                                "quantity": data.quantity, "client_id": client_id, "note": data.note})
    return hashlib.sha256(body).hexdigest()


def _scope_key(actor: Actor, key: str | None) -> str | None:
    if not key:
        return None
    who = f"key:{actor.api_key_id}" if actor.api_key_id else f"user:{actor.user_id}"
    return f"{who}:{key[:255]}"


async def book(actor: Actor, data: BookingCreate, *, settings: Settings, now: dt.datetime | None = None,
               lang: str = "fi", idempotency_key: str | None = None) -> BookingRead:
    """Request a booking and hold its price on the client's budget, or refuse it cleanly: a full
    slot is a 409 ``booking.error.slot_full``; a voucher decline is a 409 whose code is the decline
    (``voucher.decline.insufficient_funds`` …). A repeated Idempotency-Key returns the first booking."""
    now = now or utcnow()
    who = await _requester(actor, data.client_id)
    client = who.client
    client_id = str(client["id"])
    scoped_key = _scope_key(actor, idempotency_key)
    request_hash = _request_hash(data, client_id)
    if scoped_key:
        prior = await _replay(scoped_key, request_hash)
        if prior is not None:
            return prior
    listing = await catalogue.live_listing(data.listing_id, client["organiser_id"])
    if listing is None:
        raise NotFound("booking.error.listing_unavailable")
    if who.on_behalf_of and await port.works_for_provider(actor.user_id, listing["provider_id"]):
        raise Forbidden("booking.error.proxy_is_staff")
    starts_at = data.starts_at if data.starts_at.tzinfo else data.starts_at.replace(tzinfo=dt.timezone.utc)
    if starts_at <= now or starts_at > now + dt.timedelta(days=domain.HORIZON_DAYS):
        raise Invalid("error.validation", field="starts_at", errors=[FieldError(field="starts_at", key="booking.error.slot_time")])
    offer = await availability.offer_at(listing["id"], starts_at)
    if offer is None:
        raise Invalid("error.validation", field="starts_at", errors=[FieldError(field="starts_at", key="booking.error.no_slot")])
    if data.quantity > offer.capacity:
        raise Invalid("error.validation", field="quantity",
                      errors=[FieldError(field="quantity", key="booking.error.quantity", params={"max": offer.capacity})])
    policy = await availability.policy(listing["id"])
    amount = int(listing["price_cents"]) * data.quantity
    booking_id = uuid.uuid4()
    key = domain.slot_key(listing["id"], offer.starts_at)

    async def op() -> dict:
        await Slot.insert(Slot(listing=listing["id"], slot_key=key, starts_at=offer.starts_at, ends_at=offer.ends_at,
                               capacity=offer.capacity)).on_conflict(action="DO NOTHING").run()
        # The published capacity now (never below what is already booked), then the place itself:
        # one conditional atomic update — see the module docstring.
        await Slot.raw("UPDATE mp_slot SET capacity = CASE WHEN booked > {} THEN booked ELSE {} END WHERE slot_key = {}",
                       offer.capacity, offer.capacity, key).run()
        # The key is looked at here, holding the slot's row (the same request is for the same slot)
        # and before any limit: the same request sent at once waited for the first one's commit and
        # now sees its booking, so it gets that booking back instead of meeting the card's daily
        # limit (or the slot's places) that the first one used.
        if scoped_key and await Booking.exists().where(Booking.idempotency_key == scoped_key).run():
            return {}  # answered from the stored booking below
        taken = await Slot.raw(
            "UPDATE mp_slot SET booked = booked + {} WHERE slot_key = {} AND booked + {} <= capacity RETURNING id",
            data.quantity, key, data.quantity).run()
        if not taken:
            raise Conflict("booking.error.slot_full")
        held = await port.hold(
            actor, client_id=client_id, listing_id=listing["id"], amount_cents=amount,
            expires_at=domain.hold_until(offer.ends_at, now, settings.hold_expiry_days, settings.dispute_window_days),
            description=f"booking {booking_id}", now=now, lang=lang, on_behalf_of=who.on_behalf_of,
        )
        if not held.approved:
            raise Conflict(f"voucher.decline.{held.decline_code}")
        row = Booking(
            id=booking_id, listing=listing["id"], slot=taken[0]["id"], provider_id=listing["provider_id"],
            organiser_id=client["organiser_id"], client_id=client_id, client_label=client["display_name"],
            client_lang=client.get("language") or "fi", category=listing["category"], title=listing.get("title") or {},
            unit=listing.get("unit") or "session", starts_at=offer.starts_at, ends_at=offer.ends_at,
            quantity=data.quantity, unit_price_cents=int(listing["price_cents"]), amount_cents=amount,
            status=domain.REQUESTED, authorization_id=held.authorization_id, booked_by=actor.user_id,
            booked_by_proxy=bool(who.on_behalf_of), cancellation_hours=policy.cancellation_hours,
            late_cancellation_fee_percent=policy.late_cancellation_fee_percent,
            no_show_fee_percent=policy.no_show_fee_percent, note=data.note.strip(), idempotency_key=scoped_key,
            request_hash=request_hash, created_at=now, updated_at=now,
        )
        await Booking.insert(row).run()
        booking = await _load(booking_id)
        await _record(actor, booking, "request", "", domain.REQUESTED, who.on_behalf_of, now, amount_cents=amount)
        await notifications.enqueue("requested", booking, await port.provider_staff(booking["provider_id"]),
                                    base_url=settings.base_url, now=now)
        return booking

    try:
        await in_write_transaction(op)
    except Conflict as exc:
        await _record_refusal(actor, client, data.listing_id, exc.key, who.on_behalf_of)
        raise
    except Exception as exc:
        # The same key sent at once for another slot on PostgreSQL (no slot lock in common): the
        # second INSERT meets the first one's unique key when it commits, and its whole
        # transaction (place and hold) rolls back; the replay below refuses the reused key.
        if not (scoped_key and _unique_violation(exc)):
            raise
    if scoped_key:
        prior = await _replay(scoped_key, request_hash)
        if prior is not None:
            return prior
    return await read_for(actor, booking_id, with_events=False, audit_read=False)


def _unique_violation(exc: BaseException) -> bool:
    name = type(exc).__name__
    return name == "UniqueViolationError" or (name == "IntegrityError" and "UNIQUE" in str(exc))


async def _replay(scoped_key: str, request_hash: str) -> BookingRead | None:
    row = await Booking.select().where(Booking.idempotency_key == scoped_key).output(load_json=True).first().run()
    if row is None:
        return None
    if row["request_hash"] != request_hash:
        raise Conflict("booking.error.idempotency_key_reused")
    return _to_read(row)


async def _record_refusal(actor: Actor, client: dict, listing_id: Any, key: str, on_behalf_of: str | None) -> None:
    """A refused booking changed nothing, but the organiser sees why clients were turned away."""
    await audit.record(actor, "booking.refused", "listing", listing_id, organiser_id=client["organiser_id"],
                       on_behalf_of=on_behalf_of, details={"client_id": str(client["id"]), "reason": key})


# --- Transitions ---------------------------------------------------------------------------


async def act(actor: Actor, booking_id: Any, action: str, *, settings: Settings, now: dt.datetime | None = None,
              reason: str = "") -> BookingRead:
    """Make one transition, if ``actor`` is on the side that may (403 otherwise) and the booking is
    in a state it starts from (409 otherwise). Refused transitions change nothing."""
    now = now or utcnow()
    transition = domain.transition(action)
    if transition is None or transition.side == domain.SYSTEM and actor is not SYSTEM:
        raise NotFound()
    reason = (reason or "").strip()

    async def op() -> dict:
        booking = await _load(booking_id)
        side = await side_of(actor, booking)
        if actor is not SYSTEM:
            _require(side, transition)
        if booking["status"] not in transition.sources:
            raise Conflict("booking.error.wrong_state", status=booking["status"])
        _check_time(transition.name, booking, now)
        if transition.name in ("dispute", "decline", "resolve_void") and not reason:
            raise Invalid("error.validation", field="reason", errors=[FieldError(field="reason", key="booking.error.reason")])
        values = {Booking.status: transition.target, Booking.updated_at: now}
        if transition.name == "deliver":
            values[Booking.delivered_at] = now
            values[Booking.dispute_until] = domain.dispute_deadline(now, booking["ends_at"], settings.dispute_window_days)
        if transition.name == "dispute":
            values[Booking.dispute_reason] = reason
        if transition.target in (domain.COMPLETED, domain.VOIDED, domain.DECLINED, domain.CANCELLED, domain.NO_SHOW):
            values[Booking.closed_at] = now
        # The claim: only one of racing transitions finds the booking still in its state.
        claimed = await Booking.update(values).where(
            (Booking.id == booking["id"]) & (Booking.status == booking["status"])
        ).returning(Booking.id).run()
        if not claimed:
            raise Conflict("booking.error.wrong_state", status=booking["status"])
        amount = await _move_money(actor, booking, transition.name, now)
        await _free_place(booking, transition.target)
        updated = await _load(booking["id"])
        await _record(actor, updated, transition.name, booking["status"], transition.target, side.on_behalf_of, now,
                      amount_cents=amount, note=reason)
        await _notify(transition.name, updated, settings, now, fee_cents=amount)
        return updated

    booking = await in_write_transaction(op)
    return _to_read(booking)


def _check_time(name: str, booking: dict, now: dt.datetime) -> None:
    if name in ("deliver", "no_show") and not domain.may_mark_delivered(booking["starts_at"], now):
        raise Conflict("booking.error.not_started")
    if name == "dispute" and booking["dispute_until"] and now > booking["dispute_until"]:
        raise Conflict("booking.error.window_closed")


async def _move_money(actor: Actor, booking: dict, name: str, now: dt.datetime) -> int | None:
    """Capture or release the booking's hold as the transition says; the amount captured, if any."""
    hold = booking["authorization_id"]
    money_actor = None if actor is SYSTEM else actor
    if name in ("accept", "resolve_capture", "auto_complete"):
        amount = booking["amount_cents"]
    elif name == "cancel":
        amount = domain.cancellation_fee(booking["status"], booking["amount_cents"], booking["starts_at"], now,
                                         booking["cancellation_hours"], booking["late_cancellation_fee_percent"])
    elif name == "no_show":
        amount = domain.fee_cents(booking["amount_cents"], booking["no_show_fee_percent"])
    elif name in ("decline", "resolve_void"):
        amount = 0
    else:
        return None
    if amount > 0:
        capture_id = await port.capture(money_actor, hold, amount, now)
        await Booking.update({Booking.captured_cents: amount, Booking.capture_id: capture_id}).where(
            Booking.id == booking["id"]).run()
        return amount
    await port.release(money_actor, hold, now)
    return 0


async def _free_place(booking: dict, target: str) -> None:
    """A declined or cancelled booking gives its place back to the slot."""
    if target in domain.HOLDS_PLACE:
        return
    await Slot.raw("UPDATE mp_slot SET booked = booked - {} WHERE id = {} AND booked >= {}",
                   booking["quantity"], booking["slot"], booking["quantity"]).run()


async def _record(actor: Actor, booking: dict, action: str, from_status: str, to_status: str, on_behalf_of: str | None,
                  now: dt.datetime, *, amount_cents: int | None = None, note: str = "") -> None:
    """The booking's history (shown to its people) and the audit log (for the organiser)."""
    await BookingEvent.insert(BookingEvent(
        booking=booking["id"], at=now, action=action, from_status=from_status, to_status=to_status,
        actor_user_id=actor.user_id, actor_role=actor.role, actor_label=actor.display_name[:200],
        on_behalf_of=on_behalf_of, amount_cents=amount_cents, note=note,
    )).run()
    # The note (a dispute's or a decline's reason, in the writer's own words) stays in the booking's
    # history, which pseudonymisation can clear; the append-only audit log only says there was one.
    await audit.record(actor, f"booking.{action}", "booking", booking["id"], organiser_id=booking["organiser_id"],
                       on_behalf_of=on_behalf_of,
                       details={"from": from_status, "to": to_status, "client_id": str(booking["client_id"]),
                                "provider_id": str(booking["provider_id"]), "amount_cents": amount_cents,
                                "with_note": bool(note)})


# Who hears of what: the client's side, the provider's staff, the organiser's admins.
_AUDIENCE = {
    "confirm": ("confirmed", "client"), "decline": ("declined", "client"), "deliver": ("delivered", "client"),
    "accept": ("completed", "provider"), "auto_complete": ("completed", "provider"),
    "dispute": ("disputed", "provider organiser"), "resolve_capture": ("resolved", "client provider"),
    "resolve_void": ("resolved", "client provider"), "cancel": ("cancelled", "provider"), "no_show": ("no_show", "client"),
}


async def _notify(name: str, booking: dict, settings: Settings, now: dt.datetime, **extra: Any) -> None:
    kind, audience = _AUDIENCE[name]
    users: list = []
    if "client" in audience:
        users += await port.client_side_users(booking["client_id"])
    if "provider" in audience:
        users += await port.provider_staff(booking["provider_id"])
    if "organiser" in audience:
        users += await port.organiser_admins(booking["organiser_id"])
    if name == "deliver":
        extra["until"] = booking["dispute_until"].isoformat()
    if name.startswith("resolve_"):
        extra["outcome"] = "paid" if name == "resolve_capture" else "voided"
    await notifications.enqueue(kind, booking, users, base_url=settings.base_url, now=now, **extra)


# --- The dispute window ------------------------------------------------------------------------


async def complete_due(settings: Settings, now: dt.datetime | None = None) -> int:
    """Release the payment of every delivered booking whose dispute window has closed (a disputed
    one waits for the organiser); send the "awaiting your confirmation" reminder once to those
    whose window closes within a day. Safe to run in several workers at once."""
    now = now or utcnow()
    due = await Booking.select(Booking.id).where(
        (Booking.status == domain.DELIVERED) & (Booking.dispute_until <= now)).run()
    done = 0
    for row in due:
        try:
            await act(SYSTEM, row["id"], "auto_complete", settings=settings, now=now)
            done += 1
        except Conflict:
            continue  # the client confirmed or disputed a moment ago
    await _remind(settings, now)
    return done


async def _remind(settings: Settings, now: dt.datetime) -> None:
    soon = await Booking.select(Booking.id).where(
        (Booking.status == domain.DELIVERED) & Booking.reminder_sent_at.is_null()
        & (Booking.dispute_until > now) & (Booking.dispute_until <= now + domain.REMINDER_BEFORE)
    ).run()
    for row in soon:
        async def op(booking_id=row["id"]) -> None:
            claimed = await Booking.update({Booking.reminder_sent_at: now}).where(
                (Booking.id == booking_id) & Booking.reminder_sent_at.is_null() & (Booking.status == domain.DELIVERED)
            ).returning(Booking.id).run()
            if claimed:
                booking = await _load(booking_id)
                await notifications.enqueue("awaiting_confirmation", booking,
                                            await port.client_side_users(booking["client_id"]),
                                            base_url=settings.base_url, now=now,
                                            until=booking["dispute_until"].isoformat())

        await in_write_transaction(op)


# --- Reading -------------------------------------------------------------------------------


def _to_read(row: dict, events: list[dict] | None = None, reviewed: bool = False) -> BookingRead:
    return BookingRead(
        id=str(row["id"]), listing_id=str(row["listing"]), provider_id=str(row["provider_id"]),
        organiser_id=str(row["organiser_id"]), client_id=str(row["client_id"]), client_label=row["client_label"],
        title=row["title"] or {}, category=row["category"], unit=row["unit"], starts_at=row["starts_at"],
        ends_at=row["ends_at"], quantity=row["quantity"], unit_price_cents=row["unit_price_cents"],
        amount_cents=row["amount_cents"], status=row["status"],
        authorization_id=str(row["authorization_id"]) if row["authorization_id"] else None,
        captured_cents=row["captured_cents"], booked_by_proxy=row["booked_by_proxy"],
        cancellation_hours=row["cancellation_hours"], late_cancellation_fee_percent=row["late_cancellation_fee_percent"],
        no_show_fee_percent=row["no_show_fee_percent"], note=row["note"], delivered_at=row["delivered_at"],
        dispute_until=row["dispute_until"], dispute_reason=row["dispute_reason"], created_at=row["created_at"],
        reviewed=reviewed,
        events=[
            BookingEventRead(at=e["at"], action=e["action"], from_status=e["from_status"], to_status=e["to_status"],
                             actor_role=e["actor_role"], actor_label=e["actor_label"],
                             on_behalf_of=str(e["on_behalf_of"]) if e["on_behalf_of"] else None,
                             amount_cents=e["amount_cents"], note=e["note"])
            for e in events or []
        ],
    )


async def read_for(actor: Actor, booking_id: Any, *, with_events: bool = True, audit_read: bool = True) -> BookingRead:
    """A booking as one of its people sees it; anyone else is refused (403). Every read is written
    to the access log (Finnish law asks for a log of each access to a client's data)."""
    booking = await _load(booking_id)
    side = await side_of(actor, booking)
    if not side.may_read:
        raise Forbidden()
    if audit_read:
        await audit.client_data_read(actor, booking["client_id"], "booking", organiser_id=booking["organiser_id"])
    events = await BookingEvent.select().where(BookingEvent.booking == booking["id"]).order_by(BookingEvent.at).run() \
        if with_events else []
    reviewed = await Review.exists().where(Review.booking == booking["id"]).run()
    return _to_read(booking, events, reviewed)


async def actions_for(actor: Actor, booking: BookingRead, now: dt.datetime) -> list[str]:
    """The transitions the page offers ``actor`` now (the service still checks each)."""
    side = await side_of(actor, {"client_id": booking.client_id, "provider_id": booking.provider_id,
                                 "organiser_id": booking.organiser_id})
    if side.proxy_is_staff:
        return []
    names = domain.actions_for(booking.status, side.side)
    if side.on_behalf_of:
        names = [n for n in names if domain.TRANSITIONS[n].proxy_right in side.proxy_rights]
    if booking.dispute_until and now > booking.dispute_until:
        names = [n for n in names if n != "dispute"]
    if now < booking.starts_at:
        names = [n for n in names if n not in ("deliver", "no_show")]
    return names


def cancellation_terms(booking: BookingRead, now: dt.datetime) -> dict:
    """What cancelling would cost now, and until when it is free."""
    return {
        "free_until": domain.free_cancellation_until(booking.starts_at, booking.cancellation_hours),
        "fee_cents": domain.cancellation_fee(booking.status, booking.amount_cents, booking.starts_at, now,
                                             booking.cancellation_hours, booking.late_cancellation_fee_percent),
    }


class Filters(msgspec.Struct, kw_only=True):
    statuses: list[str] = []
    # upcoming: not yet started; today: starting today (Helsinki); past: already started
    when: str | None = None
    listing_id: str | None = None
    page: int = 1
    per_page: int = 20


async def list_for(actor: Actor, filters: Filters, now: dt.datetime, *, client_id: str | None = None) -> BookingPage:
    """The bookings the actor may list: a provider's own, an organiser's clients', a client's own (a
    proxy's for the client named), filtered by status and time and paged."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "provider_staff" and actor.provider_id:
        where = Booking.provider_id == actor.provider_id
    elif actor.role == "organiser_admin" and actor.organiser_id:
        where = Booking.organiser_id == actor.organiser_id
    elif actor.role == "client" and actor.client_id:
        where = Booking.client_id == actor.client_id
    elif actor.role == "proxy" and actor.user_id and client_id:
        if not await port.proxy_rights(actor.user_id, client_id):
            raise Forbidden()
        where = Booking.client_id == require_uuid(client_id)
    else:
        raise Forbidden()
    statuses = [s for s in filters.statuses if s in domain.STATUSES]
    if statuses:
        where &= Booking.status.is_in(statuses)
    if filters.listing_id and as_uuid(filters.listing_id):
        where &= Booking.listing == as_uuid(filters.listing_id)
    ascending = True
    if filters.when == "upcoming":
        where &= Booking.starts_at > now
    elif filters.when == "today":
        day = now.astimezone(HELSINKI).date()
        where &= (Booking.starts_at >= domain.local_instant(day, 0)) & (
            Booking.starts_at < domain.local_instant(day + dt.timedelta(days=1), 0))
    elif filters.when == "past":
        where &= Booking.starts_at <= now
        ascending = False
    total = await Booking.count().where(where).run()
    rows = await Booking.select().where(where).order_by(Booking.starts_at, ascending=ascending).limit(
        filters.per_page).offset((filters.page - 1) * filters.per_page).output(load_json=True).run()
    await log_reads(actor, rows, "bookings")
    return BookingPage(items=[_to_read(r) for r in rows], total=total, page=filters.page, per_page=filters.per_page)


async def log_reads(actor: Actor, rows: list[dict], purpose: str) -> None:
    """One access-log entry per client whose bookings a list shows."""
    seen: dict[str, Any] = {}
    for row in rows:
        seen.setdefault(str(row["client_id"]), row["organiser_id"])
    for client_id, organiser_id in seen.items():
        await audit.client_data_read(actor, client_id, purpose, organiser_id=organiser_id)


# --- What the organiser's follow-up asks (admin.ports) ------------------------------------------


async def captures_with_booking(capture_ids: list[Any]) -> set[str]:
    """Which of these captures a booking stands behind."""
    ids = [i for i in (as_uuid(c) for c in capture_ids) if i]
    if not ids:
        return set()
    rows = await Booking.select(Booking.capture_id).where(Booking.capture_id.is_in(ids)).run()
    return {str(r["capture_id"]) for r in rows}


async def quantities(authorization_ids: list[Any]) -> dict[str, int]:
    """How many units the booking behind each authorisation is for."""
    ids = [i for i in (as_uuid(a) for a in authorization_ids) if i]
    if not ids:
        return {}
    rows = await Booking.select(Booking.authorization_id, Booking.quantity).where(Booking.authorization_id.is_in(ids)).run()
    return {str(r["authorization_id"]): r["quantity"] for r in rows}


COMPLETE_EVERY_S = 60
FIRST_RUN_AFTER_S = 20


async def dispute_window_worker(app, settings: Settings) -> None:
    """Background work: release payments whose dispute window closed, and send the reminders."""
    import asyncio
    import logging

    log = logging.getLogger("hb.bookings")
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            await complete_due(settings, app.state.clock())
        except Exception:  # noqa: BLE001 - keep the clock running; the next round retries
            log.exception("dispute-window round failed")
        await asyncio.sleep(COMPLETE_EVERY_S)
