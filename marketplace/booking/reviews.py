"""Reviews: after a completed booking only, one per booking, by the client or their proxy; the
organiser may hide an abusive text (the rating still counts), and that is audited."""

import datetime as dt
from typing import Any

import msgspec

from core import audit
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import require_uuid
from marketplace.booking import domain
from marketplace.booking.schemas import ReviewCreate, ReviewPage, ReviewRead, ReviewSummaryRead
from marketplace.booking.services.access import may_review, side_of
from marketplace.booking.tables import Booking, Review


def _read(row: dict) -> ReviewRead:
    """A review as anyone may read it: a hidden text is left out."""
    shown = {**row, "booking_id": row["booking"], "listing_id": row["listing"], "text": "" if row["text_hidden"] else row["text"]}
    return msgspec.convert(shown, ReviewRead, strict=False)


async def write(actor: Actor, booking_id: Any, data: ReviewCreate, now: dt.datetime) -> ReviewRead:
    text = data.text.strip()
    errors = [FieldError(field=f, key=k) for f, k in domain.review_errors(data.stars, data.recommend, text)]

    async def op() -> dict:
        booking = await Booking.select().where(Booking.id == require_uuid(booking_id)).first().run()
        if not booking:
            raise NotFound()
        side = await side_of(actor, booking)
        # Who may rate comes before what they wrote: the client, or their proxy holding ``pay``.
        if not may_review(side):
            raise Forbidden("booking.error.proxy_right" if side.side == domain.CLIENT and not side.proxy_is_staff
                            else "booking.error.not_your_action")
        if errors:
            raise Invalid("error.validation", errors=errors, field=errors[0].field)
        if booking["status"] != domain.COMPLETED:
            raise Conflict("booking.error.review_not_completed")
        inserted = await Review.insert(Review(
            booking=booking["id"], listing=booking["listing"], provider_id=booking["provider_id"],
            organiser_id=booking["organiser_id"], client_id=booking["client_id"], stars=data.stars,
            recommend=data.recommend, text=text, written_by=actor.user_id, created_at=now,
        )).on_conflict(action="DO NOTHING").returning(Review.id).run()
        if not inserted:
            raise Conflict("booking.error.already_reviewed")
        await audit.record(actor, "booking.reviewed", "booking", booking["id"], organiser_id=booking["organiser_id"],
                           on_behalf_of=side.on_behalf_of,
                           details={"stars": data.stars, "recommend": data.recommend, "has_text": bool(text)})
        return await Review.select().where(Review.id == inserted[0]["id"]).first().run()

    return _read(await in_write_transaction(op))


async def set_hidden(actor: Actor, review_id: Any, hidden: bool, reason: str, now: dt.datetime | None = None) -> ReviewRead:
    """The organiser of the reviewed booking's client hides (or shows again) a review's text."""
    now = now or utcnow()
    if actor.is_anonymous:
        raise Unauthenticated()
    reason = (reason or "").strip()
    if hidden and not reason:
        raise Invalid("error.validation", field="reason", errors=[FieldError(field="reason", key="booking.error.reason")])

    async def op() -> dict:
        row = await Review.select().where(Review.id == require_uuid(review_id)).first().run()
        if not row:
            raise NotFound()
        if actor.role != "organiser_admin" or str(actor.organiser_id) != str(row["organiser_id"]):
            raise Forbidden()
        await Review.update({Review.text_hidden: hidden, Review.hidden_reason: reason if hidden else "",
                             Review.hidden_by: actor.user_id if hidden else None,
                             Review.hidden_at: now if hidden else None}).where(
            Review.id == row["id"]).run()
        await audit.record(actor, "booking.review.hidden" if hidden else "booking.review.shown", "review", row["id"],
                           organiser_id=row["organiser_id"], reason=reason,
                           details={"booking_id": str(row["booking"]), "listing_id": str(row["listing"])})
        return await Review.select().where(Review.id == row["id"]).first().run()

    return _read(await in_write_transaction(op))


async def summary(listing_id: Any) -> ReviewSummaryRead:
    rows = await Review.select(Review.stars, Review.recommend).where(Review.listing == require_uuid(listing_id)).run()
    s = domain.summarise((r["stars"], r["recommend"]) for r in rows)
    return ReviewSummaryRead(count=s.count, average_stars=s.average_stars, nps=s.nps)


async def for_listing(listing_id: Any, *, page: int = 1, per_page: int = 10) -> ReviewPage:
    """A listing's reviews, newest first (hidden texts left out), with the average and count."""
    lid = require_uuid(listing_id)
    total = await Review.count().where(Review.listing == lid).run()
    rows = await Review.select().where(Review.listing == lid).order_by(Review.created_at, ascending=False).limit(
        per_page).offset((page - 1) * per_page).run()
    return ReviewPage(summary=await summary(lid), items=[_read(r) for r in rows], total=total, page=page,
                      per_page=per_page)


async def for_organiser(actor: Actor, *, hidden: bool | None = None, page: int = 1, per_page: int = 20) -> tuple[list[dict], int]:
    """Reviews of the organiser's clients, for moderation: the full text, hidden or not."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "organiser_admin" or not actor.organiser_id:
        raise Forbidden()
    where = Review.organiser_id == actor.organiser_id
    if hidden is not None:
        where &= Review.text_hidden == hidden
    total = await Review.count().where(where).run()
    rows = await Review.select(
        Review.all_columns(), Review.booking.title, Review.booking.starts_at,
    ).where(where).order_by(Review.created_at, ascending=False).limit(per_page).offset((page - 1) * per_page).output(
        load_json=True).run()
    return rows, total


async def recommend_scores(organiser_id: Any, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Clients' 0–10 recommend scores given in [start, end) for the organiser's clients
    (what admin.ports.recommend_scores asks for)."""
    rows = await Review.select(Review.provider_id, Review.booking.category, Review.recommend).where(
        (Review.organiser_id == require_uuid(organiser_id)) & (Review.created_at >= start)
        & (Review.created_at < end)
    ).run()
    return [{"provider_id": str(r["provider_id"]), "category": r["booking.category"], "score": r["recommend"]}
            for r in rows]
