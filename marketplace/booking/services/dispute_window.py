"""The dispute window: a delivered booking's payment is released when its window closes, unless
the client confirmed or disputed it before; the client is reminded once a day before it closes."""

import asyncio
import datetime as dt
import logging

from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Conflict
from core.settings import Settings
from marketplace import notifications
from marketplace.booking import domain, people
from marketplace.booking.services.access import SYSTEM
from marketplace.booking.services.records import load
from marketplace.booking.services.transitions import act
from marketplace.booking.tables import Booking

log = logging.getLogger("hb.bookings")
COMPLETE_EVERY_S = 60
FIRST_RUN_AFTER_S = 20


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
                booking = await load(booking_id)
                await notifications.enqueue("awaiting_confirmation", booking,
                                            await people.client_side_users(booking["client_id"]),
                                            base_url=settings.base_url, now=now,
                                            until=booking["dispute_until"].isoformat())

        await in_write_transaction(op)


async def dispute_window_worker(app, settings: Settings) -> None:
    """Background work: release payments whose dispute window closed, and send the reminders (by
    the app's clock)."""
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            await complete_due(settings, app.state.clock())
        except Exception:  # noqa: BLE001 - keep the clock running; the next round retries
            log.exception("dispute-window round failed")
        await asyncio.sleep(COMPLETE_EVERY_S)
