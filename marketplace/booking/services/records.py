"""A booking's row, its read, and what each change writes beside it: the booking's history (shown
to its people) and the audit log (for the organiser)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec

from core import audit
from core.errors import NotFound
from core.identity import Actor
from core.ids import as_uuid
from marketplace.booking.schemas import BookingRead
from marketplace.booking.tables import Booking, BookingEvent


async def load(booking_id: Any) -> dict:
    """The booking's row (its JSON decoded); NotFound for anything else."""
    bid = as_uuid(booking_id)
    row = await Booking.select().where(Booking.id == bid).output(load_json=True).first().run() if bid else None
    if not row:
        raise NotFound()
    return row


def to_read(row: dict, events: Iterable[dict] = (), reviewed: bool = False, *, for_provider: bool = False) -> BookingRead:
    """The booking as its API and pages show it (the row's own columns, its history if given). The
    provider learns that a counsellor booked, not who."""
    shown = {**row, "booked_by_label": ""} if for_provider else row
    return msgspec.convert({**shown, "listing_id": row["listing"], "events": list(events), "reviewed": reviewed},
                           BookingRead, strict=False)


async def record(actor: Actor, booking: dict, action: str, from_status: str, to_status: str, on_behalf_of: str | None,
                 now: dt.datetime, *, amount_cents: int | None = None, note: str = "") -> None:
    """One step of the booking's history, and its audit entry (with the client a proxy acted for)."""
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


async def log_reads(actor: Actor, rows: list[dict], purpose: str) -> None:
    """One access-log entry per client whose bookings a list shows (Finnish law asks for a log of
    each access to a client's data)."""
    seen: dict[str, Any] = {}
    for row in rows:
        seen.setdefault(str(row["client_id"]), row["organiser_id"])
    for client_id, organiser_id in seen.items():
        await audit.client_data_read(actor, client_id, purpose, organiser_id=organiser_id)
