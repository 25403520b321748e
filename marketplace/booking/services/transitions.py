"""A booking's transitions after it is requested: the provider confirms or declines, delivers or
marks a no-show; the client cancels, accepts or disputes; the organiser resolves a dispute; the
platform completes a booking whose dispute window closed.

Each transition is allowed to one side only (marketplace.booking.domain.TRANSITIONS), runs in one
write transaction with its money movement, its history event, its audit entry (with the client a
proxy acted for) and its notifications, and claims the booking by a conditional update on its
current status — so two racing transitions never both happen.
"""

import datetime as dt
from typing import Any

from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Invalid, NotFound
from core.identity import Actor
from core.settings import Settings
from marketplace import notifications
from marketplace.booking import domain, people
from marketplace.booking.ports import voucher
from marketplace.booking.schemas import BookingRead
from marketplace.booking.services.access import SYSTEM, require, side_of
from marketplace.booking.services.records import load, record, to_read
from marketplace.booking.tables import Booking, Slot


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
        booking = await load(booking_id)
        side = await side_of(actor, booking)
        if actor is not SYSTEM:
            require(side, transition)
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
        updated = await load(booking["id"])
        await record(actor, updated, transition.name, booking["status"], transition.target, side.on_behalf_of, now,
                     amount_cents=amount, note=reason)
        await _notify(transition.name, updated, settings, now, fee_cents=amount)
        return updated

    return to_read(await in_write_transaction(op))


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
    if hold is None:  # a free booking (docs/decisions/0037): there is no hold to capture or release
        return 0
    if amount > 0:
        capture_id = await voucher().capture(money_actor, hold, amount, now)
        await Booking.update({Booking.captured_cents: amount, Booking.capture_id: capture_id}).where(
            Booking.id == booking["id"]).run()
        return amount
    await voucher().release(money_actor, hold, now)
    return 0


async def _free_place(booking: dict, target: str) -> None:
    """A declined or cancelled booking gives its place back to the slot."""
    if target in domain.HOLDS_PLACE:
        return
    await Slot.raw("UPDATE mp_slot SET booked = booked - {} WHERE id = {} AND booked >= {}",
                   booking["quantity"], booking["slot"], booking["quantity"]).run()


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
        users += await people.client_side_users(booking["client_id"])
    if "provider" in audience:
        users += await people.provider_staff(booking["provider_id"])
    if "organiser" in audience:
        users += await people.organiser_admins(booking["organiser_id"])
    if name == "deliver":
        extra["until"] = booking["dispute_until"].isoformat()
    if name.startswith("resolve_"):
        extra["outcome"] = "paid" if name == "resolve_capture" else "voided"
    await notifications.enqueue(kind, booking, users, base_url=settings.base_url, now=now, **extra)
