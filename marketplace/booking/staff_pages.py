"""Booking pages for provider staff (incoming requests, today's bookings, availability, captures
and settlements) and for the organiser (disputes, review moderation)."""

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n, identity
from core.errors import Conflict, Invalid, NotFound, from_validation
from core.identity import Actor
from core.web import Pager, form_errors, paging, redirect, request_lang
from marketplace import listings
from marketplace.booking import availability, domain, reviews
from marketplace.booking import services as bookings
from marketplace.booking.pages import STATUS_FILTERS, WHEN_FILTERS, _filters, bpage, category_names, shown_message
from marketplace.booking.ports import voucher
from marketplace.booking.schemas import ExceptionInput, PolicyInput, RuleInput

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
WEEKDAYS = range(7)


# --- Provider: bookings ----------------------------------------------------------------------------


@get("/provider/bookings", include_in_schema=False)
async def provider_bookings(request: Request, actor: Actor, now: dt.datetime) -> Any:
    identity.require(actor, "provider_staff")
    filters = _filters(request)
    incoming = await bookings.list_for(actor, bookings.Filters(statuses=[domain.REQUESTED], when="upcoming",
                                                               per_page=50), now)
    today = await bookings.list_for(actor, bookings.Filters(when="today", per_page=50,
                                                            statuses=[domain.CONFIRMED, domain.DELIVERED,
                                                                      domain.COMPLETED, domain.NO_SHOW]), now)
    result = await bookings.list_for(actor, filters, now)
    own, _total = await listings.list_for_provider(actor, actor.provider_id, None, 1, 100)
    return bpage(request, "provider_bookings.html", incoming=incoming, today=today, result=result, filters=filters,
                pager=Pager(page=filters.page, per_page=filters.per_page, total=result.total),
                statuses=STATUS_FILTERS, whens=WHEN_FILTERS, listings=own, now=now)


# --- Provider: availability ------------------------------------------------------------------------


async def _availability_page(request: Request, actor: Actor, listing_id: str, now: dt.datetime, *,
                             errors: dict | None = None, form: dict | None = None, status_code: int = 200) -> Any:
    await availability.own_listing(actor, listing_id)
    listing = await listings.read(actor, listing_id)
    return bpage(request, "provider_bookings_availability.html", status_code=status_code, listing=listing,
                a=await availability.read(listing_id, now, with_rules=True), errors=errors or {}, form=form or {},
                weekdays=WEEKDAYS, done=shown_message(request.query_params.get("done")))


@get("/provider/listings/{listing_id:str}/availability", include_in_schema=False)
async def availability_page(request: Request, actor: Actor, listing_id: str, now: dt.datetime) -> Any:
    return await _availability_page(request, actor, listing_id, now)


def _decode(struct_type, values: dict, fields: dict[str, str]):
    """A form's strings → a Struct; a bad value becomes a field error named as on the form."""
    try:
        return msgspec.convert(values, struct_type, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        field = next((form_name for key, form_name in fields.items() if f"$.{key}" in message), next(iter(fields.values())))
        raise Invalid("error.validation", field=field, errors=[from_validation(message, field=field)]) from None


def _blank_none(value: Any) -> Any:
    return None if value in (None, "") else value


@post("/provider/listings/{listing_id:str}/availability/{what:str}", include_in_schema=False)
async def availability_change(request: Request, actor: Actor, listing_id: str, what: str, data: Form,
                              now: dt.datetime) -> Any:
    """One form per change: ``rules`` and ``exceptions`` add, ``policy`` sets, ``remove-rule`` and
    ``remove-exception`` take away (the id in the form)."""
    await availability.own_listing(actor, listing_id)
    try:
        if what == "rules":
            rule = _decode(RuleInput, {
                "weekday": data.get("weekday"), "start_time": str(data.get("start_time") or ""),
                "duration_minutes": data.get("duration_minutes") or 60, "capacity": data.get("capacity") or 1,
                "valid_from": _blank_none(data.get("valid_from")), "valid_until": _blank_none(data.get("valid_until")),
            }, {"weekday": "weekday", "start_time": "start_time", "duration_minutes": "duration_minutes",
                "capacity": "capacity", "valid_from": "valid_from", "valid_until": "valid_until"})
            await availability.add_rule(actor, listing_id, rule)
        elif what == "exceptions":
            exc_in = _decode(ExceptionInput, {
                "day": data.get("day"), "start_time": _blank_none(data.get("exception_time")),
                "capacity": data.get("exception_capacity") or 0, "reason": str(data.get("reason") or "")[:500],
            }, {"day": "day", "start_time": "exception_time", "capacity": "exception_capacity", "reason": "reason"})
            await availability.add_exception(actor, listing_id, exc_in)
        elif what == "policy":
            await availability.set_policy(actor, listing_id, now=now, data=_decode(PolicyInput, {
                "cancellation_hours": data.get("cancellation_hours") or 0,
                "late_cancellation_fee_percent": data.get("late_cancellation_fee_percent") or 0,
                "no_show_fee_percent": data.get("no_show_fee_percent") or 0,
            }, {"cancellation_hours": "cancellation_hours",
                "late_cancellation_fee_percent": "late_cancellation_fee_percent",
                "no_show_fee_percent": "no_show_fee_percent"}))
        elif what == "remove-rule":
            await availability.remove_rule(actor, listing_id, str(data.get("id") or ""))
        elif what == "remove-exception":
            await availability.remove_exception(actor, listing_id, str(data.get("id") or ""))
        else:
            raise NotFound()
    except Invalid as exc:
        return await _availability_page(request, actor, listing_id, now, errors=form_errors(exc, request_lang(request)),
                                        form=data, status_code=400)
    return redirect(f"/provider/listings/{listing_id}/availability?done=booking.done.availability_saved")


# --- Provider: captures and settlements ------------------------------------------------------------


@get("/provider/settlements", include_in_schema=False)
async def provider_settlements(request: Request, actor: Actor, now: dt.datetime) -> Any:
    """What the provider has been paid for and what waits: every capture with why it is not paid yet
    (its dispute window, a dispute the organiser decides, the next settlement) or the batch that paid
    it; captured bookings; and the settlement batches (remittance), each item traced to its booking."""
    identity.require(actor, "provider_staff")
    number, per_page = paging(request.query_params.get("page"), 20)
    batches = await voucher().remittance(actor, page=number, per_page=per_page)
    captured = await bookings.captured_for_provider(actor)
    by_capture = {str(b["capture_id"]): b for b in captured}
    settled = {item.capture_id for batch in batches for item in batch.items if item.capture_id}
    unpaid_only = request.query_params.get("unpaid") == "1"
    payments_page, _ = paging(request.query_params.get("payments_page"), 20)
    payments, payments_total = await voucher().provider_payments(actor, now, unpaid_only=unpaid_only,
                                                                 page=payments_page, per_page=20)
    return bpage(request, "provider_bookings_settlements.html", batches=batches, captured=captured,
                by_capture=by_capture, settled=settled, number=number, has_next=len(batches) == per_page,
                payments=payments, unpaid_only=unpaid_only,
                payments_pager=Pager(page=payments_page, per_page=20, total=payments_total))


# --- Organiser: disputes and review moderation --------------------------------------------------------


CARD_DISPUTE_FILTERS = ("open", "resolved", "all")


async def _card_disputes_page(request: Request, actor: Actor, *, errors: dict | None = None, form: dict | None = None,
                              failed: str | None = None, status_code: int = 200) -> Any:
    """The card payments clients disputed (voucher.disputes, through the port), with a resolve form
    on each open one; each client shown is a logged read."""
    status = request.query_params.get("status")
    status = status if status in CARD_DISPUTE_FILTERS else "open"
    number, per_page = paging(request.query_params.get("page"), 20)
    items, total = await voucher().card_disputes(actor, status=status, page=number, per_page=per_page)
    return bpage(request, "booking_disputes.html", status_code=status_code, kind="cards", cards=items,
                 card_status=status, card_statuses=CARD_DISPUTE_FILTERS, errors=errors or {}, form=form or {},
                 failed=failed, done=shown_message(request.query_params.get("done")),
                 pager=Pager(page=number, per_page=per_page, total=total))


@get("/organiser/disputes", include_in_schema=False)
async def disputes_page(request: Request, actor: Actor, now: dt.datetime) -> Any:
    """Disputed bookings, or (``kind=cards``) disputed card payments."""
    identity.require(actor, "organiser_admin")
    if request.query_params.get("kind") == "cards":
        return await _card_disputes_page(request, actor)
    filters = _filters(request)
    if not filters.statuses:
        filters.statuses = [domain.DISPUTED]
    result = await bookings.list_for(actor, filters, now)
    return bpage(request, "booking_disputes.html", kind="bookings", result=result, filters=filters,
                 statuses=STATUS_FILTERS, whens=WHEN_FILTERS,
                 pager=Pager(page=filters.page, per_page=filters.per_page, total=result.total))


@post("/organiser/disputes/cards/{dispute_id:str}", include_in_schema=False)
async def card_dispute_resolve(request: Request, actor: Actor, dispute_id: str, data: Form, now: dt.datetime) -> Any:
    """Refund all, refund a part (euros) or release a disputed card payment, with the reason kept."""
    identity.require(actor, "organiser_admin")
    try:
        await voucher().resolve_card_dispute(actor, dispute_id, action=str(data.get("action") or ""),
                                             reason=str(data.get("resolution_reason") or "")[:2001],
                                             part=str(data.get("refund") or "")[:40], now=now)
    except (Invalid, Conflict) as exc:
        lang = request_lang(request)
        errors = form_errors(exc, lang) or {"action": i18n.t(exc.key, lang, **exc.params)}
        return await _card_disputes_page(request, actor, errors=errors, form=data, failed=dispute_id,
                                         status_code=409 if isinstance(exc, Conflict) else 400)
    return redirect("/organiser/disputes?kind=cards&done=booking.done.card_dispute_resolved")


@get("/organiser/ratings", include_in_schema=False)
async def ratings_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "organiser_admin")
    number, per_page = paging(request.query_params.get("page"), 20)
    shown = request.query_params.get("hidden")
    hidden = {"1": True, "0": False}.get(shown or "")
    rows, total = await reviews.for_organiser(actor, hidden=hidden, page=number, per_page=per_page)
    return bpage(request, "booking_ratings.html", rows=rows, hidden=shown, errors={},
                pager=Pager(page=number, per_page=per_page, total=total),
                done=shown_message(request.query_params.get("done")),
                category_names=await category_names(request_lang(request)))


@post("/organiser/ratings/{review_id:str}", include_in_schema=False)
async def ratings_decide(request: Request, actor: Actor, review_id: str, data: Form, now: dt.datetime) -> Any:
    hidden = data.get("action") != "show"
    try:
        await reviews.set_hidden(actor, review_id, hidden, str(data.get("reason") or ""), now)
    except Invalid:
        return redirect("/organiser/ratings?done=booking.error.reason")
    return redirect(f"/organiser/ratings?done=booking.done.{'hidden' if hidden else 'shown'}")


route_handlers = [
    provider_bookings, availability_page, availability_change, provider_settlements, disputes_page,
    card_dispute_resolve, ratings_page, ratings_decide,
]
