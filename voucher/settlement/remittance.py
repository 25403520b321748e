"""Remittance: which captures (and refunds) each settlement batch and payout covers."""

import msgspec

from core.errors import Forbidden, Unauthenticated
from core.identity import Actor
from voucher.schemas import RemittanceItem, SettlementRead
from voucher.tables import Capture, Payout, Refund, SettlementBatch, SettlementItem


async def remittance(actor: Actor, *, page: int = 1, per_page: int = 20) -> list[SettlementRead]:
    """A provider sees its own batches; an organiser admin sees its organiser's."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "provider_staff" and actor.provider_id:
        where = SettlementBatch.provider_id == actor.provider_id
    elif actor.role == "organiser_admin" and actor.organiser_id:
        where = SettlementBatch.organiser_id == actor.organiser_id
    else:
        raise Forbidden()
    batches = await SettlementBatch.select().where(where).order_by(SettlementBatch.period_start, ascending=False).limit(
        per_page
    ).offset((page - 1) * per_page).run()
    ids = [b["id"] for b in batches]
    items = await SettlementItem.select().where(SettlementItem.batch.is_in(ids)).run() if ids else []
    payout_ids = [b["payout_id"] for b in batches if b["payout_id"]]
    payouts = {
        p["id"]: p
        for p in (
            await Payout.select(Payout.id, Payout.stripe_transfer_id, Payout.file_name).where(Payout.id.is_in(payout_ids)).run()
            if payout_ids
            else []
        )
    }
    # The client's own share beside each capture and refund (the payout is the budget's part only).
    capture_ids = [i["capture_id"] for i in items if i["capture_id"]]
    refund_ids = [i["refund_id"] for i in items if i["refund_id"]]
    shares = {c["id"]: c["client_share_cents"] for c in (await Capture.select(Capture.id, Capture.client_share_cents).where(
        Capture.id.is_in(capture_ids)).run() if capture_ids else [])}
    shares.update({r["id"]: -r["client_share_cents"] for r in (await Refund.select(Refund.id, Refund.client_share_cents).where(
        Refund.id.is_in(refund_ids)).run() if refund_ids else [])})
    by_batch: dict = {}
    for item in items:
        by_batch.setdefault(item["batch"], []).append(
            RemittanceItem(
                capture_id=str(item["capture_id"]) if item["capture_id"] else None,
                refund_id=str(item["refund_id"]) if item["refund_id"] else None,
                amount_cents=item["amount_cents"],
                client_share_cents=shares.get(item["refund_id"] or item["capture_id"]) or msgspec.UNSET,
            )
        )
    out = []
    for b in batches:
        payout = payouts.get(b["payout_id"])
        out.append(
            SettlementRead(
                id=str(b["id"]),
                provider_id=str(b["provider_id"]),
                organiser_id=str(b["organiser_id"]),
                period_start=b["period_start"],
                period_end=b["period_end"],
                total_cents=b["total_cents"],
                status=b["status"],
                method=b["method"],
                reference=b["reference"],
                payout_reference=(payout["stripe_transfer_id"] or payout["file_name"]) if payout else None,
                items=by_batch.get(b["id"], []),
                closed_at=b.get("created_at"),
                paid_at=b.get("paid_at"),
            )
        )
    return out
