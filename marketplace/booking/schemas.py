"""HTTP bodies of bookings, availability, reviews, notifications and proxy grants."""

import datetime as dt
import uuid
from typing import Annotated

import msgspec

Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class BookingCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    listing_id: str
    # The slot's start (RFC 3339 with offset), as the availability lists it.
    starts_at: dt.datetime
    quantity: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    # A proxy names the client it books for; a client may leave it out.
    client_id: str | None = None
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""
    # A counsellor booking for the client names the client's consent (docs/decisions/0035):
    # "standing" (given in the app; also when left out), or how the client agreed to this booking —
    # "in_person", "phone" or "message" — with when (``consent_given_at``, RFC 3339 with offset).
    consent: Annotated[str, msgspec.Meta(max_length=16)] | None = None
    consent_given_at: dt.datetime | None = None


class TransitionRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Reason = ""


class BookingEventRead(msgspec.Struct, kw_only=True):
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    actor_role: str
    actor_label: str
    on_behalf_of: uuid.UUID | None
    amount_cents: int | None
    note: str


class BookingRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    listing_id: uuid.UUID
    provider_id: uuid.UUID
    organiser_id: uuid.UUID
    client_id: uuid.UUID
    client_label: str
    title: dict[str, str]
    category: str
    unit: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    quantity: int
    unit_price_cents: int
    amount_cents: int
    status: str
    authorization_id: uuid.UUID | None
    captured_cents: int
    booked_by_proxy: bool
    # Own share (docs/decisions/0033): of amount_cents, the budget's part and what the client pays the
    # provider themself (budget + client = amount).
    budget_cents: int = 0
    client_share_cents: int = 0
    cancellation_hours: int
    late_cancellation_fee_percent: int
    no_show_fee_percent: int
    note: str
    delivered_at: dt.datetime | None
    dispute_until: dt.datetime | None
    dispute_reason: str
    created_at: dt.datetime
    reviewed: bool = False
    events: list[BookingEventRead] = []
    # Who booked: client | proxy | counsellor; a counsellor's name (not shown to the provider), and
    # the client's consent the counsellor booked with (the voucher's record).
    booked_by_role: str = "client"
    booked_by_label: str = ""
    purchase_consent_id: uuid.UUID | None = None


class BookingPage(msgspec.Struct, kw_only=True):
    items: list[BookingRead]
    total: int
    page: int
    per_page: int


# --- Availability ---------------------------------------------------------------------------


class RuleInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    # "HH:MM", Helsinki time
    start_time: Annotated[str, msgspec.Meta(max_length=5)]
    duration_minutes: Annotated[int, msgspec.Meta(ge=5, le=1440)] = 60
    capacity: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class RuleRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    weekday: int
    start_time: str
    duration_minutes: int
    capacity: int
    valid_from: dt.date | None
    valid_until: dt.date | None


class ExceptionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    day: dt.date
    # None: the whole day.
    start_time: Annotated[str, msgspec.Meta(max_length=5)] | None = None
    # 0: closed; otherwise the capacity that day (or of that slot).
    capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] = 0
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ExceptionRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    day: dt.date
    start_time: str | None
    capacity: int
    reason: str


class PolicyInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    cancellation_hours: Annotated[int, msgspec.Meta(ge=0, le=24 * 30)] = 24
    late_cancellation_fee_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0
    no_show_fee_percent: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0


class PolicyRead(msgspec.Struct, kw_only=True):
    cancellation_hours: int = 24
    late_cancellation_fee_percent: int = 0
    no_show_fee_percent: int = 0


class SlotRead(msgspec.Struct, kw_only=True):
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    booked: int
    free: int


class AvailabilityRead(msgspec.Struct, kw_only=True):
    listing_id: str
    policy: PolicyRead
    slots: list[SlotRead]
    rules: list[RuleRead] = []
    exceptions: list[ExceptionRead] = []


# --- Reviews ------------------------------------------------------------------------------


class ReviewCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    stars: Annotated[int, msgspec.Meta(ge=1, le=5)]
    recommend: Annotated[int, msgspec.Meta(ge=0, le=10)]
    text: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ReviewRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    listing_id: uuid.UUID
    stars: int
    recommend: int
    # Empty when the organiser hid it (``text_hidden``).
    text: str
    text_hidden: bool
    created_at: dt.datetime


class ReviewSummaryRead(msgspec.Struct, kw_only=True):
    count: int
    average_stars: float | None
    nps: int | None


class ReviewPage(msgspec.Struct, kw_only=True):
    summary: ReviewSummaryRead
    items: list[ReviewRead]
    total: int
    page: int
    per_page: int


class HideRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    hidden: bool = True
    reason: Reason = ""


# --- Notifications and proxies ---------------------------------------------------------------


class NotificationRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    kind: str
    booking_id: uuid.UUID | None
    subject: str
    body: str
    created_at: dt.datetime
    read: bool
    email_status: str
    # The page the message is about, on this platform (messages not about a booking; e.g. a card payment's).
    path: str | None = None


class NotificationPage(msgspec.Struct, kw_only=True):
    items: list[NotificationRead]
    total: int
    unread: int
    page: int
    per_page: int


class ProxyGrantInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    proxy_email: Annotated[str, msgspec.Meta(max_length=254)]
    rights: list[str] = msgspec.field(default_factory=lambda: ["view", "book", "pay"])
