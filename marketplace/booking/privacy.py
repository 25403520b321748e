"""Data-subject rights for what bookings hold about a client, in the shape core.privacy asks of
each package (``records`` for the export, ``pseudonymise`` after the retention period). Amounts,
times, statuses and ratings stay (they are the organiser's accounts and statistics); what could name
the person — their label, messages, dispute reasons, review texts — goes, and so does their label in
the notifications of their card payments (voucher.disputes.notice marks those with the client's id)."""

import datetime as dt
import json
from typing import Any

from piccolo.columns.combination import WhereRaw

from core.ids import require_uuid
from marketplace.booking.tables import Booking, BookingEvent, Notification, Review


async def records(client_id: Any) -> dict:
    cid = require_uuid(client_id)
    bookings = await Booking.select().where(Booking.client_id == cid).order_by(Booking.created_at).output(
        load_json=True).run()
    ids = [b["id"] for b in bookings]
    events = await BookingEvent.select().where(BookingEvent.booking.is_in(ids)).order_by(BookingEvent.at).run() \
        if ids else []
    reviews = await Review.select().where(Review.client_id == cid).run()
    return {"bookings": bookings, "booking_events": events, "reviews": reviews}


async def last_activity(client_id: Any) -> list[dt.datetime]:
    row = await Booking.select(Booking.updated_at).where(Booking.client_id == require_uuid(client_id)).order_by(
        Booking.updated_at, ascending=False).first().run()
    return [row["updated_at"]] if row else []


async def pseudonymise(client_id: Any, pseudonym: str, at: dt.datetime) -> None:
    """Strip what names the client, in the caller's transaction."""
    cid = require_uuid(client_id)
    ids = [r["id"] for r in await Booking.select(Booking.id).where(Booking.client_id == cid).run()]
    await Booking.update({Booking.client_label: pseudonym, Booking.note: "", Booking.dispute_reason: "",
                          Booking.updated_at: at}).where(Booking.client_id == cid).run()
    await Review.update({Review.text: "", Review.hidden_reason: ""}).where(Review.client_id == cid).run()
    await _relabel(await Notification.select(Notification.id, Notification.params).where(
        Notification.booking_id.is_null() & WhereRaw("CAST(params AS TEXT) LIKE {}", f'%"client_id"%{cid}%')).run(),
        pseudonym, cid)
    if not ids:
        return
    await BookingEvent.update({BookingEvent.note: ""}).where(BookingEvent.booking.is_in(ids)).run()
    await BookingEvent.update({BookingEvent.actor_label: pseudonym}).where(
        BookingEvent.booking.is_in(ids) & (BookingEvent.actor_role == "client")).run()
    await _relabel(await Notification.select(Notification.id, Notification.params).where(
        Notification.booking_id.is_in(ids)).run(), pseudonym)


async def _relabel(rows: list[dict], pseudonym: str, client_id: Any = None) -> None:
    """The client's label in these messages becomes the pseudonym (with ``client_id``: only in the
    messages that say they are about that client — a card payment's, voucher.disputes.notice)."""
    for row in rows:
        params = json.loads(row["params"]) if isinstance(row["params"], str) else dict(row["params"] or {})
        if client_id is not None and params.get("client_id") != str(client_id):
            continue
        params["client"] = pseudonym
        await Notification.update({Notification.params: params}).where(Notification.id == row["id"]).run()
