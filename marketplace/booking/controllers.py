"""JSON API of bookings, availability, reviews and notifications: thin handlers that decode a
Struct and call one service."""

import datetime as dt

from litestar import Controller, Request, delete, get, post, put
from litestar.params import Parameter

from core.errors import NotFound
from core.identity import Actor
from core.settings import Settings
from core.web import IdempotencyKey, StrictBody, paging, request_lang
from marketplace import notifications
from marketplace.booking import availability, domain, reviews
from marketplace.booking import services as bookings
from marketplace.booking.schemas import (
    AvailabilityRead,
    BookingCreate,
    BookingPage,
    BookingRead,
    ExceptionInput,
    ExceptionRead,
    HideRequest,
    NotificationPage,
    PolicyInput,
    PolicyRead,
    ReviewCreate,
    ReviewPage,
    ReviewRead,
    RuleInput,
    RuleRead,
    TransitionRequest,
)

class AvailabilityController(Controller):
    path = "/api/v1/listings/{listing_id:str}"
    tags = ["availability"]

    @get("/availability", summary="Free places in the next two weeks and the cancellation rule")
    async def read(self, listing_id: str, now: dt.datetime) -> AvailabilityRead:
        return await availability.read(listing_id, now)

    @get("/availability/rules", summary="The weekly times and exceptions (the listing's provider)")
    async def rules(self, listing_id: str, actor: Actor, now: dt.datetime) -> AvailabilityRead:
        await availability.own_listing(actor, listing_id)
        return await availability.read(listing_id, now, with_rules=True)

    @post("/availability/rules", status_code=201, summary="Add a weekly time")
    async def add_rule(self, listing_id: str, data: RuleInput, actor: Actor) -> RuleRead:
        return await availability.add_rule(actor, listing_id, data)

    @delete("/availability/rules/{rule_id:str}", status_code=204, summary="Remove a weekly time")
    async def remove_rule(self, listing_id: str, rule_id: str, actor: Actor) -> None:
        await availability.remove_rule(actor, listing_id, rule_id)

    @post("/availability/exceptions", status_code=201, summary="Close or resize a day or one of its slots")
    async def add_exception(self, listing_id: str, data: ExceptionInput, actor: Actor) -> ExceptionRead:
        return await availability.add_exception(actor, listing_id, data)

    @delete("/availability/exceptions/{exception_id:str}", status_code=204, summary="Remove an exception")
    async def remove_exception(self, listing_id: str, exception_id: str, actor: Actor) -> None:
        await availability.remove_exception(actor, listing_id, exception_id)

    @put("/booking-policy", summary="The cancellation rule for new bookings")
    async def set_policy(self, listing_id: str, data: PolicyInput, actor: Actor, now: dt.datetime) -> PolicyRead:
        return await availability.set_policy(actor, listing_id, data, now)

    @get("/reviews", summary="Ratings of the listing: average, count, recommend score (NPS) and texts")
    async def list_reviews(
        self, listing_id: str, page: int = Parameter(default=1, ge=1, le=100000),
        per_page: int = Parameter(default=10, ge=1, le=100),
    ) -> ReviewPage:
        return await reviews.for_listing(listing_id, page=page, per_page=per_page)


class BookingController(Controller):
    path = "/api/v1/bookings"
    tags = ["bookings"]

    @post("/", status_code=201, summary="Book a slot: the price is held on the client's budget at once",
          dto=StrictBody[BookingCreate], return_dto=None)
    async def create(
        self, request: Request, data: BookingCreate, actor: Actor, settings: Settings, now: dt.datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> BookingRead:
        return await bookings.book(actor, data, settings=settings, now=now, lang=request_lang(request),
                                   idempotency_key=idempotency_key)

    @get("/", summary="Bookings the caller may see, filtered and paged")
    async def list_bookings(
        self, request: Request, actor: Actor, now: dt.datetime,
        status: list[str] | None = Parameter(query="status", default=None, description="repeatable"),
        when: str | None = Parameter(query="when", default=None, description="upcoming | today | past"),
        client_id: str | None = Parameter(query="client_id", default=None, description="a proxy names the client"),
        listing_id: str | None = Parameter(query="listing_id", default=None),
    ) -> BookingPage:
        number, per_page = paging(request.query_params.get("page"), request.query_params.get("per_page") or 20)
        filters = bookings.Filters(statuses=status or [], when=when, listing_id=listing_id, page=number, per_page=per_page)
        return await bookings.list_for(actor, filters, now, client_id=client_id)

    @get("/{booking_id:str}", summary="A booking with its history (who acted, for whom)")
    async def read(self, booking_id: str, actor: Actor) -> BookingRead:
        return await bookings.read_for(actor, booking_id)

    @post("/{booking_id:str}/actions/{action:str}", status_code=200,
          summary="confirm | decline | cancel | deliver | no_show | accept | dispute | resolve_capture | resolve_void")
    async def transition(
        self, booking_id: str, action: str, data: TransitionRequest, actor: Actor, settings: Settings, now: dt.datetime,
    ) -> BookingRead:
        if action not in domain.ACTIONS:
            raise NotFound()
        return await bookings.act(actor, booking_id, action, settings=settings, now=now, reason=data.reason)

    @post("/{booking_id:str}/review", status_code=201, summary="Rate a completed booking (once)")
    async def review(self, booking_id: str, data: ReviewCreate, actor: Actor, now: dt.datetime) -> ReviewRead:
        return await reviews.write(actor, booking_id, data, now)


class ReviewModerationController(Controller):
    path = "/api/v1/reviews"
    tags = ["reviews"]

    @post("/{review_id:str}/visibility", status_code=200, summary="Hide or show a review's text (organiser; audited)")
    async def visibility(self, review_id: str, data: HideRequest, actor: Actor, now: dt.datetime) -> ReviewRead:
        return await reviews.set_hidden(actor, review_id, data.hidden, data.reason, now)


class NotificationController(Controller):
    path = "/api/v1/notifications"
    tags = ["notifications"]

    @get("/", summary="The caller's in-app notifications, newest first")
    async def list_notifications(self, request: Request, actor: Actor, unread: bool = False) -> NotificationPage:
        number, per_page = paging(request.query_params.get("page"), request.query_params.get("per_page") or 20)
        return await notifications.inbox(actor, request_lang(request), page=number, per_page=per_page,
                                         unread_only=unread)

    @post("/{notification_id:str}/read", status_code=204, summary="Mark one notification read")
    async def mark_read(self, notification_id: str, actor: Actor, now: dt.datetime) -> None:
        await notifications.mark_read(actor, notification_id, now)


route_handlers = [AvailabilityController, BookingController, ReviewModerationController, NotificationController]
