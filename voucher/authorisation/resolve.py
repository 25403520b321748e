"""Resolve holds and move captured money: read, capture (partial releases the rest), void, refund,
expiry. Each hold resolves at most once (conditional updates on its status; see voucher.ledger)."""

import datetime as dt
from typing import Any

from piccolo.columns.combination import WhereRaw

from core import audit, metrics
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Conflict, Invalid, NotFound
from core.idempotency import Stored, fingerprint
from core.identity import Actor
from core.ids import require_uuid
from core.settings import Settings
from voucher import domain, facts, ledger, own_share
from voucher.disputes import domain as disputes_domain
from voucher.disputes import notice
from voucher.authorisation.common import (
    encode,
    load_authorization,
    load_for_resolution,
    once,
    require_payer,
    scoped,
    to_read,
)
from voucher.schemas import AuthorizationRead, CaptureRead, CaptureRequest, RefundRead, RefundRequest
from voucher.tables import Authorization, Capture, Refund


async def get_authorization(actor: Actor, authorization_id: Any, now: dt.datetime | None = None) -> AuthorizationRead:
    return to_read(await load_authorization(actor, authorization_id), now or utcnow())


async def capture(
    actor: Actor,
    authorization_id: Any,
    amount_cents: int,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> Stored:
    """Capture a terminal's (or an organiser's API) hold; the capture may be disputed for
    ``settings.dispute_window_days`` (without settings: the default window)."""
    now = now or utcnow()
    window_days = (settings or Settings()).dispute_window_days
    path = f"/api/v1/authorizations/{authorization_id}/capture"

    async def op() -> Stored:
        auth = await load_authorization(actor, authorization_id, to_resolve=True)
        if amount_cents > auth["amount_cents"]:
            raise Invalid("voucher.error.capture_over_authorised", field="amount_cents", max=auth["amount_cents"])
        cap = await capture_hold(actor, auth, amount_cents, now, window_days=window_days)
        return encode(200, cap)

    return await once(actor, idempotency_key, fingerprint("POST", path, CaptureRequest(amount_cents=amount_cents)), op)


async def capture_hold(actor: Actor | None, auth: dict, amount_cents: int, now: dt.datetime, *, window_days: int,
                       client_cents: int | None = None, **capture_fields) -> CaptureRead:
    """Post a live hold for ``amount_cents`` (≤ the hold); the rest of the hold is released. The
    capture may be disputed for ``window_days`` (a booking's own hold: not at all — its booking had
    the window, voucher.disputes.domain.dispute_until), and the client's side is told at once, in
    this transaction (voucher.disputes.notice).

    ``amount_cents`` is the budget's part (what the hold holds is the budget's part, docs/decisions/
    0033); the client part that goes with it is in proportion (``domain.client_part_of_budget``), and
    what the capture leaves of the hold's client part goes back to the client's month."""
    split = domain.split_capture(auth["amount_cents"], amount_cents)
    whole = domain.Share(auth["amount_cents"], auth.get("client_share_cents") or 0)
    client_part = domain.client_part_of_budget(whole, amount_cents) if client_cents is None else client_cents
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
    await own_share.give_back(auth["client_id"], auth.get("fee_rule") or "", auth.get("fee_month") or "",
                              whole.client_cents - client_part)
    cap = Capture(
        authorization_id=auth["id"],
        provider_id=auth["provider_id"],
        organiser_id=auth["organiser_id"],
        client_id=auth["client_id"],
        line_id=auth["line_id"],
        amount_cents=amount_cents,
        swap=swap,
        settled_by=domain.settled_by(auth["source"]),
        created_at=now,
        dispute_until=disputes_domain.dispute_until(auth["source"], now, window_days),
        client_share_cents=client_part,
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
    if cap.settled_by == domain.SETTLED_BY_CARD_NETWORK:
        await ledger.paid_by_card_network(cap, now=now)
    await Capture.insert(cap).run()
    await facts.capture_booked(cap, auth)
    await notice.captured(cap, auth["listing_id"], now)
    metrics.capture(cap.settled_by, amount_cents)
    await audit.record(
        actor,
        "voucher.capture",
        "capture",
        cap.id,
        organiser_id=auth["organiser_id"],
        details={"authorization_id": str(auth["id"]), "amount_cents": amount_cents, "released_cents": split.released_cents,
                 **({"client_share_cents": client_part} if client_part else {})},
    )
    return CaptureRead(id=str(cap.id), authorization_id=str(auth["id"]), amount_cents=amount_cents,
                       **({"client_share_cents": client_part} if whole.client_cents else {}))


async def void(
    actor: Actor, authorization_id: Any, *, idempotency_key: str | None = None, now: dt.datetime | None = None
) -> Stored:
    now = now or utcnow()
    path = f"/api/v1/authorizations/{authorization_id}/void"

    async def op() -> Stored:
        auth = await load_authorization(actor, authorization_id, to_resolve=True)
        await release_hold(actor, auth, domain.VOIDED, now)
        auth = await Authorization.select().where(Authorization.id == auth["id"]).first().run()
        return encode(200, to_read(auth, now))

    return await once(actor, idempotency_key, fingerprint("POST", path, None), op)


async def release_hold(actor: Actor | None, auth: dict, status: str, now: dt.datetime) -> None:
    """End a live hold without payment (void); its money returns to the line."""
    claimed = await Authorization.update({Authorization.status: status, Authorization.resolved_at: now}).where(
        (Authorization.id == auth["id"]) & (Authorization.status == domain.APPROVED) & (Authorization.expires_at > now)
    ).returning(Authorization.id).run()
    if not claimed:
        raise Conflict("voucher.error.not_voidable")
    await ledger.release_line(auth["line_id"], auth["amount_cents"], domain.swap_part(auth["amount_cents"], auth["swap"]))
    await ledger.resolve_hold([auth["hold_transfer_id"]], status, now)
    await own_share.give_back(auth["client_id"], auth.get("fee_rule") or "", auth.get("fee_month") or "",
                              auth.get("client_share_cents") or 0)
    metrics.hold("voided" if status == domain.VOIDED else "expired")
    await audit.record(
        actor,
        f"voucher.authorization.{status}",
        "authorization",
        auth["id"],
        organiser_id=auth["organiser_id"],
        details={"amount_cents": auth["amount_cents"]},
    )


async def capture_booking_hold(actor: Actor | None, authorization_id: Any, amount_cents: int, now: dt.datetime) -> CaptureRead:
    """Capture ``amount_cents`` of a booking's price (its whole amount, or a fee: gross, as the booking
    counts it) from its hold (the rest returns to the line), inside the caller's write transaction;
    ``actor`` is None when the dispute-window clock pays. The client had the booking's dispute window
    already: this capture's window ends as it is made.

    The budget is charged only its part: the price's split is the hold's, in proportion
    (``domain.proportional_share``: the client part rounded half up, the budget the rest)."""
    auth = await load_for_resolution(authorization_id)
    whole = domain.Share(auth["amount_cents"], auth["client_share_cents"] or 0)
    part = domain.proportional_share(whole, amount_cents)
    return await capture_hold(actor, auth, part.budget_cents, now, window_days=0, client_cents=part.client_cents)


async def release_booking_hold(actor: Actor | None, authorization_id: Any, now: dt.datetime) -> None:
    """Void a booking's hold, inside the caller's write transaction. A hold that expired or was
    voided already has returned its money: nothing to do."""
    auth = await load_for_resolution(authorization_id)
    if auth["status"] in (domain.VOIDED, domain.EXPIRED):
        return
    if auth["status"] == domain.APPROVED and auth["expires_at"] <= now:
        return
    await release_hold(actor, auth, domain.VOIDED, now)


# --- Refund ---------------------------------------------------------------------------------


async def refund(
    actor: Actor,
    capture_id: Any,
    amount_cents: int,
    *,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Stored:
    require_payer(actor)
    now = now or utcnow()
    path = f"/api/v1/captures/{capture_id}/refunds"

    async def op() -> Stored:
        cap = await Capture.select().where(
            (Capture.id == require_uuid(capture_id)) & scoped(actor, Capture.provider_id, Capture.organiser_id)
        ).first().run()
        if not cap:
            raise NotFound()
        return encode(201, await refund_capture(actor, cap, amount_cents, now))

    return await once(actor, idempotency_key, fingerprint("POST", path, RefundRequest(amount_cents=amount_cents)), op)


async def refund_capture(actor: Actor | None, cap: dict, amount_cents: int, now: dt.datetime, **refund_fields) -> RefundRead:
    """Return money from a capture to the client's line (or, for an unbacked capture, the overrun).

    ``amount_cents`` is the budget's part; the client part that goes with it (what the provider
    returns to the client) is in proportion to the capture's, counted cumulatively so that refunding
    the whole capture returns exactly its whole client part; it goes back to the client's month."""
    claimed = await Capture.update({Capture.refunded_cents: Capture.refunded_cents + amount_cents}).where(
        (Capture.id == cap["id"]) & WhereRaw("refunded_cents + {} <= amount_cents", amount_cents)
    ).returning(Capture.refunded_cents).run()
    if not claimed:
        raise Invalid(
            "voucher.error.refund_over_captured",
            field="amount_cents",
            max=domain.refundable_cents(cap["amount_cents"], cap["refunded_cents"]),
        )
    client_part = 0
    if cap.get("client_share_cents"):
        whole = domain.Share(cap["amount_cents"], cap["client_share_cents"])
        after = claimed[0]["refunded_cents"]
        client_part = (domain.client_part_of_budget(whole, after)
                       - domain.client_part_of_budget(whole, after - amount_cents))
        auth = await Authorization.select(Authorization.client_id, Authorization.fee_rule, Authorization.fee_month).where(
            Authorization.id == cap["authorization_id"]).first().run()
        if auth:
            await own_share.give_back(auth["client_id"], auth["fee_rule"], auth["fee_month"], client_part)
    if cap["line_id"]:
        await ledger.refund_line(cap["line_id"], amount_cents, domain.swap_part(amount_cents, cap["swap"]))
        credit = ledger.line_account(cap["line_id"])
    else:
        credit = ledger.overrun_account(cap["organiser_id"])
    row = Refund(
        capture=cap["id"], provider_id=cap["provider_id"], organiser_id=cap["organiser_id"], amount_cents=amount_cents,
        created_at=now, client_share_cents=client_part, **refund_fields,
    )
    row.transfer_id = await ledger.record(
        ledger.REFUND, ledger.payable_account(cap["provider_id"]), credit, amount_cents, now=now, capture_id=cap["id"]
    )
    if row.settled_by == domain.SETTLED_BY_CARD_NETWORK:
        await ledger.refunded_by_card_network(row, now=now)
    await Refund.insert(row).run()
    await facts.refund_booked(row)
    metrics.refund(amount_cents)
    await audit.record(
        actor,
        "voucher.refund",
        "capture",
        cap["id"],
        organiser_id=cap["organiser_id"],
        details={"refund_id": str(row.id), "amount_cents": amount_cents,
                 **({"client_share_cents": client_part} if client_part else {})},
    )
    return RefundRead(id=str(row.id), capture_id=str(cap["id"]), amount_cents=amount_cents,
                      **({"client_share_cents": client_part} if cap.get("client_share_cents") else {}))


async def sweep_expired(now: dt.datetime | None = None) -> int:
    """The scheduled sweeper: release every expired hold (balances never waited for it)."""
    now = now or utcnow()

    async def op() -> int:
        return await ledger.expire_holds(now)

    return await in_write_transaction(op)
