"""Disputing a captured payment, and the organiser's resolution.

Who may dispute: the client themself, or a proxy whose grant holds ``pay`` — the right under which
money moves for the client (it confirms or disputes a booking's delivery too); a proxy with ``view``
only sees the payment. Anyone else is not told the capture exists (404). A capture is disputed at
most once, within its window: a second dispute, or one after ``dispute_until``, is a 409 that says
why (the first dispute stands with its reason; the organiser decides on it).

Each step is one write transaction that claims its rows by conditional updates, as the ledger does:

* a dispute claims the capture (``dispute_state`` '' → open, only while ``dispute_until > now``),
  then makes sure no settlement batch took it a moment before (on PostgreSQL settlement locks the
  captures it takes; the check after the claim sees its commit), writes the dispute, the audit entry
  and the notices to the organiser's admins and the client's counsellor;
* a resolution claims the dispute (open → its outcome) and the capture (open → resolved), refunds
  what it returns to the client's line (``voucher.authorisation.refund_capture``: the refund nets
  in the provider's next settlement batch, as any refund does), and tells the client's side and the
  provider's staff.

Settlement (voucher.settlement.run) takes a capture once its window passed undisputed or its dispute
is resolved.
"""

import datetime as dt
from typing import Any

from core import audit
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.i18n import local_datetime
from core.identity import Actor
from core.ids import require_uuid
from voucher import proxies
from voucher.domain import euros_text
from voucher.authorisation.resolve import refund_capture
from voucher.disputes import domain, notice
from voucher.disputes.schemas import DisputeRead
from voucher.tables import Authorization, Capture, CaptureDispute, Client, SettlementItem

# The proxy right a dispute needs (voucher.proxies: ``pay`` confirms or disputes a delivery).
DISPUTE_RIGHT = "pay"


def dispute_read(row: dict) -> DisputeRead:
    return DisputeRead(id=str(row["id"]), capture_id=str(row["capture_id"]), status=row["status"], reason=row["reason"],
                       created_at=row["created_at"], refund_cents=row["refund_cents"],
                       resolution_reason=row["resolution_reason"], resolved_at=row["resolved_at"])


def _reason(reason: str | None, field: str = "reason") -> str:
    text = (reason or "").strip()
    if key := domain.reason_error(text):
        raise Invalid("error.validation", field=field, errors=[FieldError(field=field, key=key)])
    return text


async def client_side_role(actor: Actor, client_id: Any) -> str:
    """How ``actor`` stands to the client's payments for a dispute: ``client`` or ``proxy``.
    A proxy without ``pay`` is refused (403); anyone else is not told the payment exists (404)."""
    if actor.is_anonymous:
        raise Unauthenticated()
    side = await proxies.acting_for(actor, client_id, DISPUTE_RIGHT)
    if side in ("client", "proxy"):
        return side
    if side == "no_right":
        raise Forbidden("voucher.dispute.error.proxy_right")
    raise NotFound()


async def _listing_of(capture: dict) -> Any:
    if not capture["authorization_id"]:
        return None
    row = await Authorization.select(Authorization.listing_id).where(
        Authorization.id == capture["authorization_id"]).first().run()
    return row["listing_id"] if row else None


async def dispute(actor: Actor, capture_id: Any, reason: str | None, *, now: dt.datetime, lang: str = "fi") -> DisputeRead:
    """The client (or a proxy with ``pay``) disputes a capture within its window; audited, and the
    organiser's admins and the client's counsellor are told."""
    text = _reason(reason)

    async def op() -> DisputeRead:
        cap = await Capture.select().where(Capture.id == require_uuid(capture_id)).first().run()
        if not cap or not cap["client_id"]:
            raise NotFound()
        raised_as = await client_side_role(actor, cap["client_id"])
        if refusal := domain.dispute_refusal(cap["dispute_until"], cap["dispute_state"], now):
            raise Conflict(refusal, until=local_datetime(cap["dispute_until"], lang))
        # The claim: only one dispute, and only while the window is open.
        claimed = await Capture.update({Capture.dispute_state: domain.OPEN}).where(
            (Capture.id == cap["id"]) & (Capture.dispute_state == domain.NOT_DISPUTED) & (Capture.dispute_until > now)
        ).returning(Capture.id).run()
        if not claimed:
            raise Conflict("voucher.dispute.error.already_disputed")
        if await SettlementItem.exists().where(SettlementItem.capture_id == cap["id"]).run():
            raise Conflict("voucher.dispute.error.already_settled")  # rolls the claim back
        row = CaptureDispute(capture_id=cap["id"], client_id=cap["client_id"], organiser_id=cap["organiser_id"],
                             provider_id=cap["provider_id"], raised_by=actor.user_id, raised_as=raised_as, reason=text,
                             status=domain.OPEN, created_at=now)
        await CaptureDispute.insert(row).run()
        await audit.record(actor, "voucher.capture.disputed", "capture", cap["id"], organiser_id=cap["organiser_id"],
                           on_behalf_of=cap["client_id"] if raised_as == "proxy" else None,
                           details={"dispute_id": str(row.id), "amount_cents": cap["amount_cents"]})
        client = await Client.select(Client.counsellor_id).where(Client.id == cap["client_id"]).first().run()
        stored = await CaptureDispute.select().where(CaptureDispute.id == row.id).first().run()
        await notice.disputed(stored, cap, await _listing_of(cap), client["counsellor_id"] if client else None, now)
        return dispute_read(stored)

    return await in_write_transaction(op)


def _part_error(problem: str, refundable: int) -> Invalid:
    key = "voucher.dispute.error.part_missing" if problem == "part_missing" else "voucher.dispute.error.part_range"
    return Invalid("error.validation", field="refund", errors=[FieldError(field="refund", key=key,
                                                                          params={"max": euros_text(max(refundable - 1, 0))})])


async def resolve(actor: Actor, dispute_id: Any, *, action: str, reason: str | None, part_cents: int | None,
                  now: dt.datetime) -> DisputeRead:
    """The organiser's decision on an open dispute: ``refund`` (all that is left of the capture),
    ``partial`` (``part_cents``, more than nothing and less than all) or ``release`` (to the
    provider); the reason is required and kept. Audited; the client's side and the provider hear."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "organiser_admin" or not actor.organiser_id:
        raise Forbidden()
    outcome = domain.ACTIONS.get(action or "")
    errors = [] if outcome else [FieldError(field="action", key="voucher.dispute.error.action")]
    try:
        text = _reason(reason, "resolution_reason")
    except Invalid as exc:
        errors += exc.errors
    if errors:
        raise Invalid("error.validation", field=errors[0].field, errors=errors)

    async def op() -> DisputeRead:
        row = await CaptureDispute.select().where(
            (CaptureDispute.id == require_uuid(dispute_id)) & (CaptureDispute.organiser_id == actor.organiser_id)
        ).first().run()
        if not row:
            raise NotFound()
        if row["status"] != domain.OPEN:
            raise Conflict("voucher.dispute.error.resolved_already")
        cap = await Capture.select().where(Capture.id == row["capture_id"]).first().run()
        refundable = cap["amount_cents"] - cap["refunded_cents"]
        try:
            amount = domain.refund_for(outcome, refundable, part_cents)
        except ValueError as exc:
            raise _part_error(str(exc), refundable) from None
        claimed = await CaptureDispute.update({
            CaptureDispute.status: outcome, CaptureDispute.refund_cents: amount,
            CaptureDispute.resolution_reason: text, CaptureDispute.resolved_by: actor.user_id,
            CaptureDispute.resolved_at: now,
        }).where((CaptureDispute.id == row["id"]) & (CaptureDispute.status == domain.OPEN)).returning(
            CaptureDispute.id).run()
        if not claimed:
            raise Conflict("voucher.dispute.error.resolved_already")
        await Capture.update({Capture.dispute_state: domain.RESOLVED}).where(
            (Capture.id == cap["id"]) & (Capture.dispute_state == domain.OPEN)).run()
        if amount:
            await refund_capture(actor, cap, amount, now)
        await audit.record(actor, "voucher.capture.dispute_resolved", "capture", cap["id"],
                           organiser_id=row["organiser_id"], reason=text,
                           details={"dispute_id": str(row["id"]), "outcome": outcome, "refund_cents": amount})
        stored = await CaptureDispute.select().where(CaptureDispute.id == row["id"]).first().run()
        await notice.resolved(stored, cap, await _listing_of(cap), now)
        return dispute_read(stored)

    return await in_write_transaction(op)
