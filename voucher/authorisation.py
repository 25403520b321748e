"""Card authorisation, capture, void, refund — the money-moving use cases (API.md §2).

Each use case runs in one write transaction (voucher.idempotency) with its idempotency claim, its
conditional counter updates (voucher.ledger), its ledger transfers and its audit entry.
"""

import datetime as dt
import uuid
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from core import audit, db, i18n
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.settings import Settings
from voucher import domain, ledger, marketplace_port
from voucher.cards import token_hash
from voucher.idempotency import Stored, fingerprint, run
from voucher.messages import decline_key
from voucher.schemas import (
    AuthorizationRead,
    AuthorizationRequest,
    CaptureRead,
    CaptureRequest,
    RefundRead,
    RefundRequest,
)
from voucher.tables import Authorization, Capture, Card, Refund

PAYING_ROLES = ("provider_staff", "organiser_admin")
# Authorisations an organiser makes through the API for its booking flow (it may capture and void these).
ORGANISER_SOURCE = "booking"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def caller_scope(actor: Actor) -> str | None:
    """Whose idempotency keys these are: the API key, or the signed-in user."""
    if actor.api_key_id:
        return f"key:{actor.api_key_id}"
    if actor.user_id:
        return f"user:{actor.user_id}"
    return None


def _require_payer(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role not in PAYING_ROLES or not (actor.provider_id or actor.organiser_id):
        raise Forbidden()


def _uuid(value: Any, field: str | None = None) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        if field:
            raise Invalid("error.validation", field=field) from None
        raise NotFound() from None


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _rfc3339(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value else None


def encode(status_code: int, body: msgspec.Struct) -> Stored:
    return Stored(status_code, msgspec.json.encode(body))


# --- Authorise ---------------------------------------------------------------------------------

_SNAPSHOT_SQL = (
    """
SELECT c.id AS card_id, c.status AS card_status, c.per_transaction_limit_cents AS per_tx,
       c.daily_limit_cents AS daily, c.spend_day, c.spend_day_cents,
       cl.id AS client_id, cl.organiser_id, cl.language,
       d.id AS decision_id, d.start AS d_start, d."end" AS d_end,"""
    + ledger.LINE_STATE_SQL
    + """FROM vc_card c
JOIN vc_client cl ON cl.id = c.client
LEFT JOIN vc_budget_decision d
  ON d.client = cl.id AND d.status = 'active' AND d.start <= {} AND d."end" >= {}
LEFT JOIN vc_budget_line l ON l.decision = d.id
WHERE c.CARD_KEY = {}
ORDER BY d.start DESC, l.position
"""
)


class Snapshot(msgspec.Struct, kw_only=True):
    card_id: str | None = None
    card_status: str | None = None
    client_id: str | None = None
    organiser_id: str | None = None
    language: str | None = None
    per_tx: int | None = None
    daily: int | None = None
    day_used: int = 0
    decision_start: dt.date | None = None
    decision_end: dt.date | None = None
    lines: tuple[domain.LineState, ...] = ()


_BY_TOKEN = _SNAPSHOT_SQL.replace("CARD_KEY", "token_hash")
_BY_STRIPE_CARD = _SNAPSHOT_SQL.replace("CARD_KEY", "stripe_card_id")


async def _snapshot(today: dt.date, now: dt.datetime, *, card_hash: str | None = None, stripe_card_id: str | None = None) -> Snapshot:
    sql, key = (_BY_TOKEN, card_hash) if card_hash is not None else (_BY_STRIPE_CARD, stripe_card_id)
    rows = await db.engine().run_querystring(QueryString(sql, now, now, today, today, key))
    if not rows:
        return Snapshot()
    first = rows[0]
    decision_id = first["decision_id"]
    lines = tuple(ledger.line_state(r) for r in rows if r["line_id"] is not None and r["decision_id"] == decision_id)
    return Snapshot(
        card_id=str(first["card_id"]),
        card_status=first["card_status"],
        client_id=str(first["client_id"]),
        organiser_id=str(first["organiser_id"]),
        language=first["language"],
        per_tx=first["per_tx"],
        daily=first["daily"],
        day_used=first["spend_day_cents"] if _date(first["spend_day"]) == today else 0,
        decision_start=_date(first["d_start"]) if decision_id else None,
        decision_end=_date(first["d_end"]) if decision_id else None,
        lines=lines,
    )


async def _take_card_day(card_id: str, amount: int, today: dt.date) -> bool:
    """Count the amount on the card's day, if the card is still active and within its caps.

    The card row is locked by this UPDATE until commit, and its WHERE is re-checked against a
    concurrent freeze, so a card frozen a moment ago declines (see voucher.ledger on concurrency).
    """
    day_total = "CASE WHEN spend_day = {} THEN spend_day_cents ELSE 0 END + {}"
    rows = await Card.update(
        {Card.spend_day: today, Card.spend_day_cents: QueryString(day_total, today, amount)}
    ).where(
        (Card.id == card_id)
        & (Card.status == "active")
        & WhereRaw("(per_transaction_limit_cents IS NULL OR per_transaction_limit_cents >= {})", amount)
        & WhereRaw(f"(daily_limit_cents IS NULL OR {day_total} <= daily_limit_cents)", today, amount)
    ).returning(Card.id).run()
    return bool(rows)


async def _give_back_card_day(card_id: str, amount: int, today: dt.date) -> None:
    await Card.update({Card.spend_day_cents: Card.spend_day_cents - amount}).where(
        (Card.id == card_id) & (Card.spend_day == today) & (Card.spend_day_cents >= amount)
    ).run()


async def _card_decline_code(card_id: str, amount: int, today: dt.date) -> str:
    card = await Card.select(
        Card.status, Card.per_transaction_limit_cents, Card.daily_limit_cents, Card.spend_day, Card.spend_day_cents
    ).where(Card.id == card_id).first().run()
    if not card or card["status"] != "active":
        return domain.CARD_INACTIVE
    used = card["spend_day_cents"] if _date(card["spend_day"]) == today else 0
    return domain.cap_decline(amount, card["per_transaction_limit_cents"], card["daily_limit_cents"], used) or (
        domain.OVER_DAILY_LIMIT
    )


class Outcome(msgspec.Struct, kw_only=True):
    """What an authorisation decided, before it is written."""

    approved: bool
    code: str | None = None
    line_id: str | None = None
    swap: bool = False
    category: str = ""
    line_available_cents: int | None = None


async def decide_and_hold(
    snap: Snapshot, seller: marketplace_port.SellerFacts | None, amount: int, today: dt.date, now: dt.datetime
) -> Outcome:
    """The authorisation decision (voucher.domain.decide) made true by conditional updates."""
    categories: tuple[str, ...] = ()
    if seller is not None:
        if seller.listing_approved is None:
            categories = seller.provider_categories
        elif seller.listing_category:
            categories = (seller.listing_category,)
    facts = domain.AuthorisationFacts(
        amount_cents=amount,
        today=today,
        card_status=snap.card_status,
        decision_start=snap.decision_start,
        decision_end=snap.decision_end,
        provider_approved=bool(seller and seller.provider_approved),
        listing_approved=seller.listing_approved if seller else None,
        purchase_categories=categories,
        lines=snap.lines,
        per_transaction_limit_cents=snap.per_tx,
        daily_limit_cents=snap.daily,
        day_used_cents=snap.day_used,
    )
    decision = domain.decide(facts)
    by_id = {line.id: line for line in snap.lines}
    if isinstance(decision, domain.Decline):
        best = None
        if decision.code == domain.INSUFFICIENT_FUNDS:
            rooms = [domain.room_cents(by_id[c.line_id], c.swap) for c in domain.candidate_lines(snap.lines, categories)]
            best = max(rooms) if rooms else None
        return Outcome(approved=False, code=decision.code, line_available_cents=best)

    if not await _take_card_day(snap.card_id, amount, today):
        return Outcome(approved=False, code=await _card_decline_code(snap.card_id, amount, today))
    stale = [c.line_id for c in decision.candidates if by_id[c.line_id].expired_held_cents]
    if stale:
        # Expired holds still sit in these lines' counters: release them before holding.
        await ledger.expire_holds(now, line_ids=sorted(stale))
    for candidate in decision.candidates:
        line = by_id[candidate.line_id]
        available = await ledger.hold_line(line.id, amount, domain.swap_part(amount, candidate.swap))
        if available is not None:
            category = next(c for c in categories if c in line.may_fund) if candidate.swap else line.category
            return Outcome(
                approved=True, line_id=line.id, swap=candidate.swap, category=category, line_available_cents=available
            )
    await _give_back_card_day(snap.card_id, amount, today)
    return Outcome(approved=False, code=domain.INSUFFICIENT_FUNDS)


async def authorise_once(
    actor: Actor,
    req: AuthorizationRequest,
    settings: Settings,
    now: dt.datetime,
    lang: str,
    *,
    source: str = "api",
    stripe_authorization_id: str | None = None,
    stripe_card_id: str | None = None,
    provider_id: Any = None,
) -> Authorization:
    """Decide and write one authorisation inside the caller's write transaction.

    The card is found by the token in ``req`` or, for Stripe Issuing, by its Stripe card id.
    """
    today = domain.helsinki_date(now)
    listing_id = _uuid(req.listing_id, "listing_id")
    provider_id = _uuid(provider_id or actor.provider_id or req.provider_id, "provider_id")
    if provider_id is None and listing_id is None:
        raise Invalid("voucher.error.provider_required", field="provider_id")
    if stripe_card_id:
        snap = await _snapshot(today, now, stripe_card_id=stripe_card_id)
    else:
        snap = await _snapshot(today, now, card_hash=token_hash(settings.secret_key, req.card_token))
    if snap.card_id and actor.organiser_id and not actor.provider_id and snap.organiser_id != actor.organiser_id:
        snap = Snapshot()  # an organiser may not use another organiser's clients' cards
    seller = None
    if snap.card_status == "active" and domain.within_validity(today, snap.decision_start, snap.decision_end):
        seller = await marketplace_port.seller_facts(provider_id, snap.organiser_id, listing_id)
    outcome = await decide_and_hold(snap, seller, req.amount_cents, today, now)

    provider = _uuid(seller.provider_id) if seller and seller.provider_id else provider_id
    auth = Authorization(
        card_id=snap.card_id,
        client_id=snap.client_id,
        organiser_id=snap.organiser_id,
        provider_id=provider,
        listing_id=listing_id,
        amount_cents=req.amount_cents,
        description=req.description,
        source=source,
        stripe_authorization_id=stripe_authorization_id,
        api_key_id=actor.api_key_id,
        actor_user_id=actor.user_id,
        created_at=now,
        line_available_cents=outcome.line_available_cents,
    )
    if outcome.approved:
        auth.status = domain.APPROVED
        auth.line_id = outcome.line_id
        auth.swap = outcome.swap
        auth.category = outcome.category
        auth.expires_at = domain.hold_expiry(now, settings.hold_expiry_days)
        auth.hold_transfer_id = uuid.uuid4()
        await Authorization.insert(auth).run()
        await ledger.record(
            ledger.HOLD,
            ledger.line_account(outcome.line_id),
            ledger.payable_account(provider),
            req.amount_cents,
            status="pending",
            now=now,
            id=auth.hold_transfer_id,
            expires_at=auth.expires_at,
            authorization_id=auth.id,
        )
        await audit.record(
            actor,
            "voucher.authorization.approved",
            "authorization",
            auth.id,
            organiser_id=snap.organiser_id,
            details={"amount_cents": req.amount_cents, "line_id": outcome.line_id, "provider_id": str(provider)},
        )
    else:
        auth.status = domain.DECLINED
        auth.decline_code = outcome.code
        auth.message = i18n.t(decline_key(outcome.code), snap.language or lang)
        await Authorization.insert(auth).run()
    return auth


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
        expires_at=_rfc3339(expires_at),
        line_available_cents=get("line_available_cents"),
        captured_cents=get("captured_cents") or 0,
    )


async def authorise(
    actor: Actor,
    req: AuthorizationRequest,
    *,
    settings: Settings,
    idempotency_key: str | None = None,
    lang: str = "fi",
    now: dt.datetime | None = None,
) -> Stored:
    _require_payer(actor)
    now = now or utcnow()

    source = "api" if actor.provider_id else ORGANISER_SOURCE

    async def op() -> Stored:
        auth = await authorise_once(actor, req, settings, now, lang, source=source)
        return encode(201, to_read(auth, now))

    return await run(
        caller_scope(actor), idempotency_key, fingerprint("POST", "/api/v1/authorizations", req), op
    )


# --- Read, capture, void --------------------------------------------------------------------


def _scoped(actor: Actor, column_provider, column_organiser):
    if actor.provider_id:
        return column_provider == actor.provider_id
    return column_organiser == actor.organiser_id


async def _load_authorization(actor: Actor, authorization_id: Any, *, to_resolve: bool = False) -> dict:
    """The authorisation, if the caller may see it (a provider its own, an organiser its clients').

    Capturing or voiding a hold is for whoever made it: a provider its own, an organiser only the
    holds of its own booking flow — not a provider's terminal payment. (An organiser may refund
    any capture of its clients: a refund only returns money to the client's budget.)
    """
    _require_payer(actor)
    auth_id = _uuid(authorization_id)
    row = await Authorization.select().where(
        (Authorization.id == auth_id) & _scoped(actor, Authorization.provider_id, Authorization.organiser_id)
    ).first().run()
    if not row:
        raise NotFound()
    if to_resolve and not actor.provider_id and row["source"] != ORGANISER_SOURCE:
        raise Forbidden()
    return row


async def get_authorization(actor: Actor, authorization_id: Any, now: dt.datetime | None = None) -> AuthorizationRead:
    return to_read(await _load_authorization(actor, authorization_id), now or utcnow())


async def capture(
    actor: Actor,
    authorization_id: Any,
    amount_cents: int,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Stored:
    now = now or utcnow()
    path = f"/api/v1/authorizations/{authorization_id}/capture"

    async def op() -> Stored:
        auth = await _load_authorization(actor, authorization_id, to_resolve=True)
        if amount_cents > auth["amount_cents"]:
            raise Invalid("voucher.error.capture_over_authorised", field="amount_cents", max=auth["amount_cents"])
        cap = await capture_hold(actor, auth, amount_cents, now)
        return encode(200, cap)

    return await run(
        caller_scope(actor), idempotency_key, fingerprint("POST", path, CaptureRequest(amount_cents=amount_cents)), op
    )


async def capture_hold(actor: Actor | None, auth: dict, amount_cents: int, now: dt.datetime, **capture_fields) -> CaptureRead:
    """Post a live hold for ``amount_cents`` (≤ the hold); the rest of the hold is released."""
    split = domain.split_capture(auth["amount_cents"], amount_cents)
    claimed = await Authorization.update(
        {Authorization.status: split.status, Authorization.captured_cents: amount_cents, Authorization.resolved_at: now}
    ).where(
        (Authorization.id == auth["id"]) & (Authorization.status == domain.APPROVED) & (Authorization.expires_at > now)
    ).returning(Authorization.id).run()
    if not claimed:
        raise Conflict("voucher.error.not_capturable")
    swap = auth["swap"]
    await ledger.ensure_accounts(("payable", auth["provider_id"], None))
    await ledger.post_line(auth["line_id"], auth["amount_cents"], amount_cents, domain.swap_part(split.released_cents, swap))
    await ledger.resolve_hold([auth["hold_transfer_id"]], "posted", now)
    cap = Capture(
        authorization_id=auth["id"],
        provider_id=auth["provider_id"],
        organiser_id=auth["organiser_id"],
        client_id=auth["client_id"],
        line_id=auth["line_id"],
        amount_cents=amount_cents,
        swap=swap,
        created_at=now,
        **capture_fields,
    )
    cap.transfer_id = await ledger.record(
        ledger.CAPTURE,
        ledger.line_account(auth["line_id"]),
        ledger.payable_account(auth["provider_id"]),
        amount_cents,
        now=now,
        pending_id=auth["hold_transfer_id"],
        authorization_id=auth["id"],
        capture_id=cap.id,
    )
    await Capture.insert(cap).run()
    await audit.record(
        actor,
        "voucher.capture",
        "capture",
        cap.id,
        organiser_id=auth["organiser_id"],
        details={"authorization_id": str(auth["id"]), "amount_cents": amount_cents, "released_cents": split.released_cents},
    )
    return CaptureRead(id=str(cap.id), authorization_id=str(auth["id"]), amount_cents=amount_cents)


async def void(
    actor: Actor, authorization_id: Any, *, idempotency_key: str | None = None, now: dt.datetime | None = None
) -> Stored:
    now = now or utcnow()
    path = f"/api/v1/authorizations/{authorization_id}/void"

    async def op() -> Stored:
        auth = await _load_authorization(actor, authorization_id, to_resolve=True)
        await release_hold(actor, auth, domain.VOIDED, now)
        auth = await Authorization.select().where(Authorization.id == auth["id"]).first().run()
        return encode(200, to_read(auth, now))

    return await run(caller_scope(actor), idempotency_key, fingerprint("POST", path, None), op)


async def release_hold(actor: Actor | None, auth: dict, status: str, now: dt.datetime) -> None:
    """End a live hold without payment (void); its money returns to the line."""
    claimed = await Authorization.update({Authorization.status: status, Authorization.resolved_at: now}).where(
        (Authorization.id == auth["id"]) & (Authorization.status == domain.APPROVED) & (Authorization.expires_at > now)
    ).returning(Authorization.id).run()
    if not claimed:
        raise Conflict("voucher.error.not_voidable")
    await ledger.release_line(auth["line_id"], auth["amount_cents"], domain.swap_part(auth["amount_cents"], auth["swap"]))
    await ledger.resolve_hold([auth["hold_transfer_id"]], status, now)
    await audit.record(
        actor,
        f"voucher.authorization.{status}",
        "authorization",
        auth["id"],
        organiser_id=auth["organiser_id"],
        details={"amount_cents": auth["amount_cents"]},
    )


# --- Refund ---------------------------------------------------------------------------------


async def refund(
    actor: Actor,
    capture_id: Any,
    amount_cents: int,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Stored:
    _require_payer(actor)
    now = now or utcnow()
    path = f"/api/v1/captures/{capture_id}/refunds"

    async def op() -> Stored:
        cap = await Capture.select().where(
            (Capture.id == _uuid(capture_id)) & _scoped(actor, Capture.provider_id, Capture.organiser_id)
        ).first().run()
        if not cap:
            raise NotFound()
        return encode(201, await refund_capture(actor, cap, amount_cents, now))

    return await run(
        caller_scope(actor), idempotency_key, fingerprint("POST", path, RefundRequest(amount_cents=amount_cents)), op
    )


async def refund_capture(actor: Actor | None, cap: dict, amount_cents: int, now: dt.datetime, **refund_fields) -> RefundRead:
    """Return money from a capture to the client's line (or, for an unbacked capture, the overrun)."""
    claimed = await Capture.update({Capture.refunded_cents: Capture.refunded_cents + amount_cents}).where(
        (Capture.id == cap["id"]) & WhereRaw("refunded_cents + {} <= amount_cents", amount_cents)
    ).returning(Capture.refunded_cents).run()
    if not claimed:
        raise Invalid(
            "voucher.error.refund_over_captured",
            field="amount_cents",
            max=domain.refundable_cents(cap["amount_cents"], cap["refunded_cents"]),
        )
    if cap["line_id"]:
        await ledger.refund_line(cap["line_id"], amount_cents, domain.swap_part(amount_cents, cap["swap"]))
        credit = ledger.line_account(cap["line_id"])
    else:
        credit = ledger.overrun_account(cap["organiser_id"])
    row = Refund(
        capture=cap["id"], provider_id=cap["provider_id"], organiser_id=cap["organiser_id"], amount_cents=amount_cents,
        created_at=now, **refund_fields,
    )
    row.transfer_id = await ledger.record(
        ledger.REFUND, ledger.payable_account(cap["provider_id"]), credit, amount_cents, now=now, capture_id=cap["id"]
    )
    await Refund.insert(row).run()
    await audit.record(
        actor,
        "voucher.refund",
        "capture",
        cap["id"],
        organiser_id=cap["organiser_id"],
        details={"refund_id": str(row.id), "amount_cents": amount_cents},
    )
    return RefundRead(id=str(row.id), capture_id=str(cap["id"]), amount_cents=amount_cents)


async def sweep_expired(now: dt.datetime | None = None) -> int:
    """The scheduled sweeper: release every expired hold (balances never waited for it)."""
    now = now or utcnow()

    async def op() -> int:
        return await ledger.expire_holds(now)

    from voucher.idempotency import in_write_transaction

    return await in_write_transaction(op)
