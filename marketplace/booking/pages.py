"""Server-rendered booking pages for clients and proxies: booking from a listing page, a booking
and its history, the client's home (upcoming, awaiting confirmation, budget), their bookings,
proxies and notifications. Every form works without JavaScript."""

import datetime as dt
import secrets
from typing import Annotated, Any

from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n
from core.clock import HELSINKI
from core.errors import DomainError, FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import as_uuid
from core.settings import Settings
from core.web import Pager, as_list, current_time, form_errors, page, paging, redirect, request_lang
from marketplace import catalogue, notifications
from marketplace.booking import availability, domain, proxies, reviews
from marketplace.booking import services as bookings
from marketplace.booking.ports import voucher
from marketplace.booking.schemas import BookingCreate, ProxyGrantInput, ReviewCreate

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
# Messages a redirect may carry to the page it lands on (nothing else is shown from a URL).
_SHOWN_PREFIXES = ("booking.error.", "voucher.decline.", "booking.done.", "error.", "voucher.support.error.")


def time_labels(lang: str) -> dict:
    """Template helpers: a day with its weekday ("su 29.11.2026"), a Helsinki time ("10.00"), a decimal ("3,7")."""
    locale = i18n.LOCALES.get(lang, "fi_FI")
    return {
        "decimal": lambda value: format_decimal(value, format="0.0", locale=locale),
        "day_label": lambda day: format_date(day, format="EEE d.M.yyyy", locale=locale),
        # The language's own way of writing a time ("11.20" in Finnish and Swedish in Finland, "11:20" in English),
        # the same as time_range uses, so a page never mixes the two.
        "time_label": lambda instant: format_skeleton("Hm", instant, tzinfo=HELSINKI, locale=locale),
    }


def bpage(request: Request, template: str, **context: Any) -> Any:
    """A booking page: ``core.web.page`` with the day and time helpers."""
    return page(request, template, **time_labels(request_lang(request)), **context)


def shown_message(value: str | None) -> str | None:
    return value if value and value.startswith(_SHOWN_PREFIXES) and i18n.has(value) else None


async def category_names(lang: str) -> dict[str, str]:
    return {code: i18n.pick(catalogue.category_names(row), lang) for code, row in (await catalogue.category_map()).items()}


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        return min(high, max(low, int(str(value))))
    except (TypeError, ValueError):
        return default


def _instant(value: Any) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else None


# --- The booking part of a listing page (search.pages.listing_page renders it) ----------------


async def acting_client(actor: Actor, requested: str | None, right: str = "view") -> tuple[str | None, list]:
    """The client a page is about: the client themself, or the one a proxy picked among those who
    gave them ``right``. Returns (client id or None, the proxy's choices)."""
    if actor.role == "client" and actor.client_id:
        return str(actor.client_id), []
    if actor.role == "proxy" and actor.user_id:
        choices = [c for c in await proxies.clients_for(actor) if right in c.rights]
        ids = [c.client_id for c in choices]
        if requested in ids:
            return requested, choices
        return (ids[0] if len(ids) == 1 else None), choices
    return None, []


async def listing_context(request: Request, actor: Actor, listing: dict) -> dict:
    """What the listing page shows about booking: free places, price, the client's line before and
    after, the cancellation rule, ratings, and the form."""
    now = current_time(request)
    params = request.query_params
    content = listing["content"]
    slots = await availability.slots(listing["id"], now)
    quantity = _int(params.get("quantity"), 1, 1, 100)
    picked = _instant(params.get("starts_at"))
    ctx: dict[str, Any] = {
        "slots": slots,
        "slot_days": _by_day(slots),
        "policy": await availability.policy(listing["id"]),
        "rating": await reviews.summary(listing["id"]),
        "recent_reviews": (await reviews.for_listing(listing["id"], per_page=5)).items,
        "quantity": quantity,
        "picked": picked,
        "total_cents": int(content["price_cents"]) * quantity,
        "booking_error": shown_message(params.get("booking_error")),
        "form_key": secrets.token_urlsafe(16),
        "can_book": False,
        "line": None,
        "client_id": None,
        "client_choices": [],
        "proxy_is_staff": False,
        "is_own_provider": actor.role == "provider_staff" and str(actor.provider_id) == listing["provider_id"],
        # A counsellor booking for a client (``?client_id=``, from the client's page): whose, and the
        # client's standing consent if any (docs/decisions/0035).
        "for_client": None,
        "standing_consent": None,
        "consent_ways": CONSENT_WAYS,
        "consent_now": now.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M"),
    }
    if actor.role == "counsellor" and as_uuid(params.get("client_id")):
        client_id, choices = str(as_uuid(params.get("client_id"))), []
    elif actor.role in ("client", "proxy"):
        client_id, choices = await acting_client(actor, params.get("client_id"), "book")
    else:
        return ctx
    ctx["client_choices"] = choices
    ctx["client_id"] = client_id
    if actor.role in ("proxy", "counsellor") and await catalogue.works_for_provider(actor.user_id, listing["provider_id"]):
        ctx["proxy_is_staff"] = True
        return ctx
    ctx["can_book"] = bool(client_id or choices)
    if client_id:
        client = await voucher().client_to_read(actor, client_id, "booking.preview")
        if actor.role == "counsellor":
            ctx["for_client"] = client.display_name
            ctx["standing_consent"] = await voucher().standing_consent(actor, client_id)
        line = await voucher().paying_line(client_id, content["category"], now, gross_cents=ctx["total_cents"],
                                           units=quantity)
        if line is not None:
            # Own share (docs/decisions/0033): the budget pays its part, the client the rest.
            budget_part = line.budget_cents if line.client_share_cents else ctx["total_cents"]
            ctx["line"] = {"category": line.category, "before": line.available_cents,
                           "after": line.available_cents - budget_part, "budget_cents": budget_part,
                           "client_share_cents": line.client_share_cents,
                           "fee_rule": i18n.pick(line.fee_rule_name, request_lang(request)) if line.fee_rule_name else ""}
        ctx["category_names"] = await category_names(request_lang(request))
    return ctx


# How a counsellor may record the client's consent to one booking (voucher.support.domain.GIVEN_WAYS).
CONSENT_WAYS = ("in_person", "phone", "message")


def _local_instant(value: Any) -> dt.datetime | None:
    """A ``datetime-local`` field ("2026-12-08T10:30", Helsinki wall-clock time) as an instant."""
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=HELSINKI)


def _by_day(slots: list) -> list[tuple[dt.date, list]]:
    days: dict[dt.date, list] = {}
    for slot in slots:
        days.setdefault(slot.starts_at.astimezone(HELSINKI).date(), []).append(slot)
    return list(days.items())


@post("/bookings", include_in_schema=False)
async def book_submit(request: Request, data: Form, actor: Actor, settings: Settings, now: dt.datetime) -> Any:
    if actor.is_anonymous:
        raise Unauthenticated()
    listing_id = str(data.get("listing_id") or "")
    back = f"/listings/{as_uuid(listing_id) or ''}"
    if actor.role == "counsellor" and as_uuid(data.get("client_id")):
        back += f"?client_id={as_uuid(data.get('client_id'))}&"  # the form again, for the same client
    else:
        back += "?"
    starts_at = _instant(data.get("starts_at"))
    if starts_at is None:
        return redirect(f"{back}booking_error=booking.error.pick_slot#booking")
    consent = str(data.get("consent") or "")[:16] or None
    body = BookingCreate(listing_id=listing_id, starts_at=starts_at, quantity=_int(data.get("quantity"), 1, 1, 100),
                         client_id=str(data.get("client_id") or "") or None, note=str(data.get("note") or "")[:1000],
                         consent=consent if actor.role == "counsellor" else None,
                         consent_given_at=_local_instant(data.get("consent_given_at")) if actor.role == "counsellor" else None)
    try:
        booking = await bookings.book(actor, body, settings=settings, now=now, lang=request_lang(request),
                                      idempotency_key="form:" + str(data.get("form_key") or secrets.token_urlsafe(8)))
    except (Forbidden, Unauthenticated):
        raise  # who may book is not a form error: the error page says it with its 403
    except DomainError as exc:
        key = exc.errors[0].key if exc.errors else exc.key
        return redirect(f"{back}booking_error={key}&quantity={body.quantity}#booking")
    done = "requested_free" if booking.amount_cents == 0 else "requested"  # a free one holds nothing (0037)
    return redirect(f"/bookings/{booking.id}?done=booking.done.{done}")


# --- One booking ---------------------------------------------------------------------------------


async def _booking_page(request: Request, actor: Actor, booking_id: str, now: dt.datetime, *, errors: dict | None = None,
                        form: dict | None = None, status_code: int = 200) -> Any:
    booking = await bookings.read_for(actor, booking_id)
    side = await bookings.side_of(actor, bookings.parties(booking))
    actions = await bookings.actions_for(actor, booking, now)
    may_review = booking.status == domain.COMPLETED and not booking.reviewed and bookings.may_review(side)
    # The client's side (and the county) see the consent a counsellor booked with; the provider does not.
    consent = await voucher().consent_of_booking(booking.purchase_consent_id) \
        if booking.purchase_consent_id and side.side in (domain.CLIENT, domain.ORGANISER) else None
    return bpage(request, "booking_detail.html", status_code=status_code, b=booking, actions=actions,
                terms=bookings.cancellation_terms(booking, now), may_review=may_review, errors=errors or {},
                form=form or {}, done=shown_message(request.query_params.get("done")), now=now,
                side=side.side, consent=consent, authorization_status=await voucher().authorization_status(booking.authorization_id, now),
                category_names=await category_names(request_lang(request)))


@get("/bookings/{booking_id:str}", include_in_schema=False)
async def booking_page(request: Request, actor: Actor, booking_id: str, now: dt.datetime) -> Any:
    return await _booking_page(request, actor, booking_id, now)


@post("/bookings/{booking_id:str}/actions/{action:str}", include_in_schema=False)
async def booking_action(request: Request, actor: Actor, booking_id: str, action: str, data: Form,
                         settings: Settings, now: dt.datetime) -> Any:
    if action not in domain.ACTIONS:
        raise NotFound()
    try:
        await bookings.act(actor, booking_id, action, settings=settings, now=now, reason=str(data.get("reason") or ""))
    except Invalid as exc:
        return await _booking_page(request, actor, booking_id, now, errors=form_errors(exc, request_lang(request)),
                                   form={"action": action, **data}, status_code=400)
    return redirect(f"/bookings/{booking_id}?done=booking.done.{action}")


@post("/bookings/{booking_id:str}/review", include_in_schema=False)
async def review_submit(request: Request, actor: Actor, booking_id: str, data: Form, now: dt.datetime) -> Any:
    lang = request_lang(request)
    await bookings.require_review_right(actor, booking_id)
    try:
        stars = int(str(data.get("stars") or ""))
        recommend = int(str(data.get("recommend") or ""))
    except ValueError:
        stars = recommend = -1
    try:
        if not 1 <= stars <= 5 or not 0 <= recommend <= 10:
            errors = []
            if not 1 <= stars <= 5:
                errors.append(FieldError(field="stars", key="booking.error.stars"))
            if not 0 <= recommend <= 10:
                errors.append(FieldError(field="recommend", key="booking.error.recommend"))
            raise Invalid("error.validation", errors=errors, field=errors[0].field)
        await reviews.write(actor, booking_id, ReviewCreate(stars=stars, recommend=recommend,
                                                            text=str(data.get("text") or "")[:2000]), now)
    except Invalid as exc:
        return await _booking_page(request, actor, booking_id, now, errors=form_errors(exc, lang), form=data,
                                   status_code=400)
    return redirect(f"/bookings/{booking_id}?done=booking.done.reviewed")


# --- The client's home and lists -----------------------------------------------------------------


async def _client_or_choice(request: Request, actor: Actor, right: str = "view") -> tuple[str | None, list]:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role not in ("client", "proxy"):
        raise Forbidden()
    return await acting_client(actor, request.query_params.get("client"), right)


@get("/client", include_in_schema=False)
async def client_home(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client_id, choices = await _client_or_choice(request, actor)
    lang = request_lang(request)
    ctx: dict[str, Any] = {"client_id": client_id, "choices": choices, "client": None}
    if client_id:
        client = await voucher().client_to_read(actor, client_id, "client_home")
        base = bookings.Filters(per_page=5)
        upcoming = await bookings.list_for(actor, bookings.Filters(statuses=[domain.REQUESTED, domain.CONFIRMED],
                                                                   when="upcoming", per_page=10), now, client_id=client_id)
        awaiting = await bookings.list_for(actor, bookings.Filters(statuses=[domain.DELIVERED], per_page=20), now,
                                           client_id=client_id)
        ctx.update(client=client, upcoming=upcoming, awaiting=awaiting, budget=await voucher().budget(client_id, now),
                   category_names=await category_names(lang), filters=base)
    inbox = await notifications.inbox(actor, lang, per_page=5, unread_only=True)
    return bpage(request, "client_home.html", inbox=inbox, **ctx)


STATUS_FILTERS = domain.STATUSES
WHEN_FILTERS = ("upcoming", "today", "past")


def _filters(request: Request) -> bookings.Filters:
    number, per_page = paging(request.query_params.get("page"), 20)
    statuses = [s for s in request.query_params.getall("status", []) if s in STATUS_FILTERS]
    when = request.query_params.get("when")
    return bookings.Filters(statuses=statuses, when=when if when in WHEN_FILTERS else None, page=number,
                            per_page=per_page, listing_id=request.query_params.get("listing") or None)


@get("/client/bookings", include_in_schema=False)
async def client_bookings(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client_id, choices = await _client_or_choice(request, actor)
    filters = _filters(request)
    result = None
    if client_id:
        await voucher().client_to_read(actor, client_id, "client_bookings")
        result = await bookings.list_for(actor, filters, now, client_id=client_id)
    return bpage(request, "client_bookings.html", result=result, filters=filters, client_id=client_id, choices=choices,
                pager=Pager(page=filters.page, per_page=filters.per_page, total=result.total if result else 0),
                statuses=STATUS_FILTERS, whens=WHEN_FILTERS)


@get("/client/proxies", include_in_schema=False)
async def proxies_page(request: Request, actor: Actor) -> Any:
    return bpage(request, "client_proxies.html", grants=await proxies.grants(actor), errors={}, form={},
                rights=domain.PROXY_RIGHTS, done=shown_message(request.query_params.get("done")))


@post("/client/proxies", include_in_schema=False)
async def proxies_grant(request: Request, actor: Actor, data: Form, now: dt.datetime) -> Any:
    try:
        await proxies.grant(actor, ProxyGrantInput(proxy_email=str(data.get("proxy_email") or "")[:254],
                                                   rights=as_list(data.get("rights"))), now)
    except Invalid as exc:
        return bpage(request, "client_proxies.html", status_code=400, grants=await proxies.grants(actor),
                    errors=form_errors(exc, request_lang(request)), form=data, rights=domain.PROXY_RIGHTS, done=None)
    return redirect("/client/proxies?done=booking.done.proxy_granted")


@post("/client/proxies/{grant_id:str}/revoke", include_in_schema=False)
async def proxies_revoke(actor: Actor, grant_id: str, now: dt.datetime) -> Any:
    await proxies.revoke(actor, grant_id, now)
    return redirect("/client/proxies?done=booking.done.proxy_revoked")


# --- Notifications -----------------------------------------------------------------------------


@get("/notifications", include_in_schema=False)
async def notifications_page(request: Request, actor: Actor) -> Any:
    number, per_page = paging(request.query_params.get("page"), 20)
    unread = request.query_params.get("unread") == "1"
    inbox = await notifications.inbox(actor, request_lang(request), page=number, per_page=per_page, unread_only=unread)
    return bpage(request, "booking_notifications.html", inbox=inbox, unread=unread,
                pager=Pager(page=number, per_page=per_page, total=inbox.total))


@post("/notifications/read", include_in_schema=False)
async def notifications_read(actor: Actor, data: Form, now: dt.datetime) -> Any:
    await notifications.mark_read(actor, str(data.get("id")) if data.get("id") else None, now)
    return redirect("/notifications")


route_handlers = [
    book_submit, booking_page, booking_action, review_submit, client_home, client_bookings, proxies_page,
    proxies_grant, proxies_revoke, notifications_page, notifications_read,
]
