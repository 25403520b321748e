"""What the authorisation use cases share: who may call, ids and times, the stored response."""

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from core import idempotency
from core.errors import Conflict, Forbidden, NotFound, Unauthenticated
from core.idempotency import Stored, caller_scope
from core.identity import Actor
from core.ids import require_uuid
from voucher import domain
from voucher.schemas import AuthorizationRead
from voucher.tables import Authorization

PAYING_ROLES = ("provider_staff", "organiser_admin")
# Authorisations an organiser makes through the API for its booking flow (it may capture and void these).
ORGANISER_SOURCE = "booking"
# A hold a booking on this platform made (marketplace.booking.services): it moves only through the booking's
# own transitions, so the booking's state and its money never part. The public capture and void
# refuse it; the booking flow resolves it through ``load_for_resolution``.
BOOKING_HOLD_SOURCE = "booking_hold"


async def once(actor: Actor, idempotency_key: str | None, request_hash: str, op: Callable[[], Awaitable[Stored]]) -> Stored:
    """Run a money-moving use case once per (caller, Idempotency-Key) (core.idempotency)."""
    return await idempotency.run(caller_scope(actor), idempotency_key, request_hash, op,
                                 reused="voucher.error.idempotency_key_reused")


def require_payer(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role not in PAYING_ROLES or not (actor.provider_id or actor.organiser_id):
        raise Forbidden()


def as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def rfc3339(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value else None


def encode(status_code: int, body: msgspec.Struct) -> Stored:
    return Stored(status_code, msgspec.json.encode(body))


def to_read(row: Authorization | dict, now: dt.datetime) -> AuthorizationRead:
    get = row.get if isinstance(row, dict) else (lambda k: getattr(row, k))
    status = get("status")
    expires_at = get("expires_at")
    if status == domain.APPROVED and expires_at and domain.is_expired(expires_at, now):
        status = domain.EXPIRED  # lazily: an expired hold is expired before any sweeper runs
    return AuthorizationRead(
        id=str(get("id")),
        status=status,
        decline_code=get("decline_code"),
        message=get("message"),
        amount_cents=get("amount_cents"),
        expires_at=rfc3339(expires_at),
        line_available_cents=get("line_available_cents"),
        captured_cents=get("captured_cents") or 0,
        **share_fields(get("amount_cents"), get("client_share_cents") or 0),
    )


def share_fields(budget_cents: int, client_share_cents: int) -> dict:
    """The own-share fields of a read, only when a client-fee rule split the price (docs/decisions/0033)."""
    if not client_share_cents:
        return {}
    return {"gross_cents": budget_cents + client_share_cents, "budget_cents": budget_cents,
            "client_share_cents": client_share_cents}


def scoped(actor: Actor, column_provider, column_organiser):
    if actor.provider_id:
        return column_provider == actor.provider_id
    return column_organiser == actor.organiser_id


async def load_authorization(actor: Actor, authorization_id: Any, *, to_resolve: bool = False) -> dict:
    """The authorisation, if the caller may see it (a provider its own, an organiser its clients').

    Capturing or voiding a hold is for whoever made it: a provider its own, an organiser only the
    holds of its own booking flow — not a provider's terminal payment — and nobody a hold a booking
    made (409 ``voucher.error.booking_hold``: the booking's transitions move it) or a card payment
    through Stripe Issuing (409 ``voucher.error.card_network_hold``: Stripe's events move it). (An organiser may
    refund any capture of its clients, a provider its own, a booking's too: a refund only returns
    money to the client's budget.)
    """
    require_payer(actor)
    auth_id = require_uuid(authorization_id)
    row = await Authorization.select().where(
        (Authorization.id == auth_id) & scoped(actor, Authorization.provider_id, Authorization.organiser_id)
    ).first().run()
    if not row:
        raise NotFound()
    if to_resolve and row["source"] == BOOKING_HOLD_SOURCE:
        raise Conflict("voucher.error.booking_hold")
    if to_resolve and row["source"] == domain.STRIPE_SOURCE:
        # A card payment through Stripe Issuing is captured or released by Stripe's own events
        # (stripe_issuing.py); a capture here would be booked a second time when Stripe's arrives.
        raise Conflict("voucher.error.card_network_hold")
    if to_resolve and not actor.provider_id and row["source"] != ORGANISER_SOURCE:
        raise Forbidden()
    return row


async def load_for_resolution(authorization_id: Any) -> dict:
    """A booking's hold (``source = 'booking_hold'``), with no payer actor: for the booking flow,
    which resolves it on the client's confirmation, the dispute-window clock or the organiser's
    decision (it checked who may act). Any other authorisation, or none: NotFound."""
    row = await Authorization.select().where(Authorization.id == require_uuid(authorization_id)).first().run()
    if not row or row["source"] != BOOKING_HOLD_SOURCE:
        raise NotFound()
    return row
