"""Reading bookings: one booking as its people see it, the lists each role may page through, what a
page offers an actor now, the few questions the organiser's follow-up asks (admin.ports), and the
terms a card payment naming a booking is bound to (the voucher's ``marketplace_port``)."""

import datetime as dt
from typing import Any

import msgspec

from core import audit
from core.clock import HELSINKI
from core.errors import Forbidden, Unauthenticated
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from marketplace.booking import domain
from marketplace.booking.ports import voucher
from marketplace.booking.schemas import BookingPage, BookingRead
from marketplace.booking.services.access import side_of
from marketplace.booking.services.records import load, log_reads, to_read
from marketplace.booking.tables import Booking, BookingEvent, Review


async def read_for(actor: Actor, booking_id: Any, *, with_events: bool = True, audit_read: bool = True) -> BookingRead:
    """A booking as one of its people sees it; anyone else is refused (403). Every read is written
    to the access log (Finnish law asks for a log of each access to a client's data)."""
    booking = await load(booking_id)
    side = await side_of(actor, booking)
    if not side.may_read:
        raise Forbidden()
    if audit_read:
        await audit.client_data_read(actor, booking["client_id"], "booking", organiser_id=booking["organiser_id"])
    events = await BookingEvent.select().where(BookingEvent.booking == booking["id"]).order_by(BookingEvent.at).run() \
        if with_events else []
    reviewed = await Review.exists().where(Review.booking == booking["id"]).run()
    return to_read(booking, events, reviewed, for_provider=side.side == domain.PROVIDER)


def parties(booking: BookingRead) -> dict:
    """The booking's client, provider and organiser, as ``side_of`` asks for them."""
    return {"client_id": booking.client_id, "provider_id": booking.provider_id, "organiser_id": booking.organiser_id}


async def actions_for(actor: Actor, booking: BookingRead, now: dt.datetime) -> list[str]:
    """The transitions the page offers ``actor`` now (the service still checks each)."""
    side = await side_of(actor, parties(booking))
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
        if not await voucher().proxy_rights(actor.user_id, client_id):
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
    for_provider = actor.role == "provider_staff"
    return BookingPage(items=[to_read(r, for_provider=for_provider) for r in rows], total=total, page=filters.page, per_page=filters.per_page)


async def captured_for_provider(actor: Actor, *, limit: int = 50) -> list[dict]:
    """The provider's bookings that have a capture, newest first (what its settlements page traces
    each payout item to); each client's read is logged."""
    rows = await Booking.select(
        Booking.id, Booking.client_id, Booking.organiser_id, Booking.capture_id, Booking.title, Booking.starts_at,
        Booking.client_label, Booking.captured_cents, Booking.status,
    ).where((Booking.provider_id == actor.provider_id) & Booking.capture_id.is_not_null()).order_by(
        Booking.starts_at, ascending=False).limit(limit).output(load_json=True).run()
    await log_reads(actor, rows, "settlements")
    return rows


# --- What the organiser's follow-up asks (admin.ports) ------------------------------------------


async def captures_with_booking(capture_ids: list[Any]) -> set[str]:
    """Which of these captures a booking stands behind."""
    ids = [i for i in (as_uuid(c) for c in capture_ids) if i]
    if not ids:
        return set()
    rows = await Booking.select(Booking.capture_id).where(Booking.capture_id.is_in(ids)).run()
    return {str(r["capture_id"]) for r in rows}


async def free_delivered_by_category(organiser_id: Any, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """The county's free bookings (price 0, docs/decisions/0037) delivered in [start, end), per
    category: ``{category: {"bookings": n, "places": q}}``. No client data."""
    rows = await Booking.select(Booking.category, Booking.quantity).where(
        (Booking.organiser_id == as_uuid(organiser_id)) & (Booking.amount_cents == 0)
        & Booking.authorization_id.is_null() & Booking.delivered_at.is_not_null()
        & (Booking.delivered_at >= start) & (Booking.delivered_at < end)).run()
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        entry = out.setdefault(row["category"], {"bookings": 0, "places": 0})
        entry["bookings"] += 1
        entry["places"] += int(row["quantity"])
    return out


async def quantities(authorization_ids: list[Any]) -> dict[str, int]:
    """How many units the booking behind each authorisation is for."""
    ids = [i for i in (as_uuid(a) for a in authorization_ids) if i]
    if not ids:
        return {}
    rows = await Booking.select(Booking.authorization_id, Booking.quantity).where(Booking.authorization_id.is_in(ids)).run()
    return {str(r["authorization_id"]): r["quantity"] for r in rows}


# --- What a card payment naming a booking is bound to (voucher.marketplace_port) ----------------


async def payment_terms(booking_id: Any) -> dict | None:
    """The booking's parties, listing, amount and hold, and whether it may still take a payment
    (``domain.TAKES_PAYMENT``); None when there is no such booking. The caller checks that the
    payment is the booking's (its client's card, its provider)."""
    bid = as_uuid(booking_id)
    row = await Booking.select(
        Booking.id, Booking.client_id, Booking.provider_id, Booking.organiser_id, Booking.listing, Booking.quantity,
        Booking.amount_cents, Booking.status, Booking.authorization_id,
    ).where(Booking.id == bid).first().run() if bid else None
    if row is None:
        return None
    return {"booking_id": str(row["id"]), "client_id": str(row["client_id"]), "provider_id": str(row["provider_id"]),
            "organiser_id": str(row["organiser_id"]), "listing_id": str(row["listing"]), "quantity": row["quantity"],
            "amount_cents": int(row["amount_cents"]), "status": row["status"],
            "takes_payment": row["status"] in domain.TAKES_PAYMENT,
            "authorization_id": str(row["authorization_id"]) if row["authorization_id"] else None}
