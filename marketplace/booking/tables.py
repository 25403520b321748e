"""Booking tables: availability, slots, bookings and their history, reviews, the notification
outbox. Columns only; rules live in marketplace.booking.domain, use cases in
marketplace.booking.services and the slice's other modules.

Ids of other packages' rows (client, organiser, provider, user, authorisation, capture) are plain
UUID columns: the marketplace never depends on another package's tables. Money is integer cents.
Constraints over several columns and the checks that keep a slot from being overbooked are added
by the hand-written migration ``marketplace_2026_11_28t05_30_00_000000``.
"""

import uuid

from piccolo.columns import JSON, UUID, BigInt, Boolean, Date, ForeignKey, Integer, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from marketplace.tables import Listing


class AvailabilityRule(Table, tablename="mp_availability_rule"):
    """A recurring weekly time a listing is offered at (Helsinki wall-clock time)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    # 0 = Monday … 6 = Sunday
    weekday = SmallInt()
    # Minutes after local midnight, and the length of one session.
    start_minute = Integer()
    duration_minutes = Integer()
    # How many clients (or units) one slot takes.
    capacity = Integer(default=1)
    valid_from = Date(null=True, default=None)
    valid_until = Date(null=True, default=None)
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AvailabilityException(Table, tablename="mp_availability_exception"):
    """A day (or one slot of it) that differs from the weekly rules: closed, or another capacity."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    day = Date(index=True)
    # None: the whole day.
    start_minute = Integer(null=True, default=None)
    # 0: closed; otherwise the slot's capacity that day.
    capacity = Integer(default=0)
    reason = Text(default="")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class BookingPolicy(Table, tablename="mp_booking_policy"):
    """A listing's cancellation rule (a listing without a row has the defaults)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, unique=True)
    # Free cancellation until this many hours before the start.
    cancellation_hours = Integer(default=24)
    # Share of the price paid to the provider on a later cancellation / a no-show (0–100).
    late_cancellation_fee_percent = SmallInt(default=0)
    no_show_fee_percent = SmallInt(default=0)
    updated_by = UUID(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class Slot(Table, tablename="mp_slot"):
    """One bookable time of a listing, written when it is first booked.

    ``booked`` changes only by conditional atomic updates (marketplace.booking.services); a CHECK (a
    trigger on SQLite) keeps ``0 <= booked <= capacity`` whatever code runs.
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    # "<listing id>|<start in UTC, ISO 8601>": one row per listing and start time.
    slot_key = Varchar(length=100, unique=True)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    capacity = Integer(default=1)
    booked = Integer(default=0)


class Booking(Table, tablename="mp_booking"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    slot = ForeignKey(references=Slot, index=True)
    provider_id = UUID(index=True)
    organiser_id = UUID(index=True)
    client_id = UUID(index=True)
    # The client's pseudonym (never a name) and language, for the provider's lists and messages.
    client_label = Varchar(length=200, default="")
    client_lang = Varchar(length=2, default="fi")
    category = Varchar(length=64)
    title = JSON(default="{}")
    unit = Varchar(length=16, default="session")
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    quantity = Integer(default=1)
    unit_price_cents = BigInt()
    amount_cents = BigInt()
    # requested | confirmed | declined | cancelled | delivered | disputed | completed | voided | no_show
    status = Varchar(length=16, index=True)
    authorization_id = UUID(null=True, default=None, index=True)
    captured_cents = BigInt(default=0)
    # Own share (docs/decisions/0033): of amount_cents, the budget holds and pays budget_cents and the
    # client pays client_share_cents to the provider (budget + client = amount).
    budget_cents = BigInt(default=0)
    client_share_cents = BigInt(default=0)
    capture_id = UUID(null=True, default=None, index=True)
    booked_by = UUID(null=True, default=None)
    booked_by_proxy = Boolean(default=False)
    # Who booked, as which role (client | proxy | counsellor), by name as it was (a counsellor's;
    # docs/decisions/0035), and the client's consent a counsellor booked with (the voucher's record).
    booked_by_role = Varchar(length=16, default="client")
    booked_by_label = Varchar(length=200, default="")
    purchase_consent_id = UUID(null=True, default=None)
    # The listing's cancellation rule as it was when the booking was made.
    cancellation_hours = Integer(default=24)
    late_cancellation_fee_percent = SmallInt(default=0)
    no_show_fee_percent = SmallInt(default=0)
    note = Text(default="")
    delivered_at = Timestamptz(null=True, default=None)
    # Delivered and not disputed by then: the payment is released automatically.
    dispute_until = Timestamptz(null=True, default=None, index=True)
    reminder_sent_at = Timestamptz(null=True, default=None)
    dispute_reason = Text(default="")
    closed_at = Timestamptz(null=True, default=None)
    # Idempotency-Keys are core.idempotency's now (hb_idempotency); these two columns held them
    # before and are left empty by new bookings (a later migration may drop them).
    idempotency_key = Varchar(length=400, unique=True, null=True, default=None)
    request_hash = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class BookingEvent(Table, tablename="mp_booking_event"):
    """A booking's history as its people see it: who did what, for whom, and when."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    booking = ForeignKey(references=Booking, index=True)
    at = Timestamptz(default=TimestamptzNow())
    action = Varchar(length=32)
    from_status = Varchar(length=16, default="")
    to_status = Varchar(length=16)
    actor_user_id = UUID(null=True, default=None)
    actor_role = Varchar(length=32, default="")
    actor_label = Varchar(length=200, default="")
    # The client a proxy acted for (None when the client acted, or staff did).
    on_behalf_of = UUID(null=True, default=None)
    amount_cents = BigInt(null=True, default=None)
    note = Text(default="")


class Review(Table, tablename="mp_review"):
    """A client's rating of a completed booking: 1–5 stars, 0–10 recommend score, optional text."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    booking = ForeignKey(references=Booking, unique=True)
    listing = ForeignKey(references=Listing, index=True)
    provider_id = UUID(index=True)
    organiser_id = UUID(index=True)
    client_id = UUID(index=True)
    stars = SmallInt()
    recommend = SmallInt()
    text = Text(default="")
    # The organiser may hide an abusive text (the rating still counts); audited.
    text_hidden = Boolean(default=False)
    hidden_reason = Text(default="")
    hidden_by = UUID(null=True, default=None)
    hidden_at = Timestamptz(null=True, default=None)
    written_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Notification(Table, tablename="mp_notification"):
    """The outbox: one row per message to one user, written with the change it tells about.

    The in-app list reads these rows; the sender worker e-mails those with ``email_status =
    'pending'`` and marks each sent (or failed, after retries).
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    user_id = UUID(index=True)
    email = Varchar(length=254, default="")
    lang = Varchar(length=2, default="fi")
    # requested | confirmed | declined | delivered | awaiting_confirmation | completed | disputed |
    # resolved | cancelled | no_show; not about a booking (marketplace.notifications.USER_KINDS):
    # account_exists | approval_decided | card_captured | booking_captured | card_disputed |
    # card_dispute_resolved
    kind = Varchar(length=32)
    booking_id = UUID(null=True, default=None, index=True)
    params = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    read_at = Timestamptz(null=True, default=None)
    # pending | sending | sent | failed | none (no address or no SMTP server configured)
    email_status = Varchar(length=16, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
