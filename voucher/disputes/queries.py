"""Reading payments and disputes: the client's payments (``/budget``), one payment's page, the
organiser's card disputes, the provider's captures and why each waits, and the counsellor's counts.

Every read that shows a client's data logs it (core.audit.client_data_read) unless the caller's
page did already; the provider's list carries no client data.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from piccolo.columns.combination import WhereRaw

from core import audit
from core.errors import Forbidden, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import as_uuids, require_uuid
from voucher import access, marketplace_port
from voucher.disputes import domain
from voucher.disputes.schemas import DisputeView, PaymentRead, ProviderPayment
from voucher.disputes.services import dispute_read
from voucher.domain import SETTLED_BY_CARD_NETWORK
from voucher.tables import (
    Authorization,
    Capture,
    CaptureDispute,
    Client,
    SettlementBatch,
    SettlementItem,
)

# A client's list is built from their newest payments, at most this many (a budget period holds far
# fewer); the filter and the pages apply to them.
MAX_PAYMENTS = 2000


async def _names(provider_ids: Iterable[Any], listing_ids: Iterable[Any]) -> tuple[dict, dict]:
    providers = await marketplace_port.provider_names(list({str(p) for p in provider_ids if p}))
    titles = await marketplace_port.listing_titles(list({str(x) for x in listing_ids if x}))
    return providers, titles


async def _listings(authorization_ids: Iterable[Any]) -> dict[str, Any]:
    ids = as_uuids([a for a in authorization_ids if a])
    if not ids:
        return {}
    rows = await Authorization.select(Authorization.id, Authorization.listing_id).where(Authorization.id.is_in(ids)).run()
    return {str(r["id"]): r["listing_id"] for r in rows}


async def _batches(capture_ids: list[Any]) -> dict[str, dict]:
    """Capture id → the settlement batch it is in (reference, status, paid_at)."""
    if not capture_ids:
        return {}
    items = await SettlementItem.select(SettlementItem.capture_id, SettlementItem.batch).where(
        SettlementItem.capture_id.is_in(capture_ids)).run()
    batch_ids = list({i["batch"] for i in items})
    batches = {b["id"]: b for b in await SettlementBatch.select(
        SettlementBatch.id, SettlementBatch.reference, SettlementBatch.status, SettlementBatch.paid_at).where(
        SettlementBatch.id.is_in(batch_ids)).run()} if batch_ids else {}
    return {str(i["capture_id"]): batches[i["batch"]] for i in items if i["batch"] in batches}


async def _disputes(capture_ids: list[Any]) -> dict[str, dict]:
    if not capture_ids:
        return {}
    rows = await CaptureDispute.select().where(CaptureDispute.capture_id.is_in(capture_ids)).run()
    return {str(r["capture_id"]): r for r in rows}


def _state(cap: dict, settled: bool, now: dt.datetime) -> str:
    return domain.payment_state(now=now, amount_cents=cap["amount_cents"], refunded_cents=cap["refunded_cents"],
                                until=cap["dispute_until"], dispute_state=cap["dispute_state"], settled=settled,
                                card_network=cap["settled_by"] == SETTLED_BY_CARD_NETWORK)


async def _capture_reads(captures: list[dict], now: dt.datetime) -> list[PaymentRead]:
    ids = [c["id"] for c in captures]
    listings = await _listings(c["authorization_id"] for c in captures)
    providers, titles = await _names((c["provider_id"] for c in captures), listings.values())
    batches, disputes = await _batches(ids), await _disputes(ids)
    out = []
    for c in captures:
        key = str(c["id"])
        state = _state(c, key in batches, now)
        listing = listings.get(str(c["authorization_id"]))
        out.append(PaymentRead(
            id=key, kind="capture", state=state, created_at=c["created_at"], amount_cents=c["amount_cents"],
            refunded_cents=c["refunded_cents"], provider_name=providers.get(str(c["provider_id"]), ""),
            listing_title=titles.get(str(listing), {}) if listing else {}, dispute_until=c["dispute_until"],
            dispute=dispute_read(disputes[key]) if key in disputes else None, disputable=state == domain.DISPUTABLE,
            client_share_cents=c.get("client_share_cents") or 0))
    return out


async def _hold_reads(holds: list[dict]) -> list[PaymentRead]:
    providers, titles = await _names((h["provider_id"] for h in holds), (h["listing_id"] for h in holds))
    return [PaymentRead(id=str(h["id"]), kind="hold", state=domain.HELD, created_at=h["created_at"],
                        amount_cents=h["amount_cents"], provider_name=providers.get(str(h["provider_id"]), ""),
                        listing_title=titles.get(str(h["listing_id"]), {}) if h["listing_id"] else {},
                        expires_at=h["expires_at"], client_share_cents=h.get("client_share_cents") or 0)
            for h in holds]


async def client_payments(client_id: Any, now: dt.datetime, *, state: str | None = None, page: int = 1,
                          per_page: int = 20) -> tuple[list[PaymentRead], int]:
    """The client's payments, newest first: live holds and captures with their state (``state``
    narrows to one of ``domain.STATES``); one page of them, and how many match. The caller checked
    who may read them and logged the read."""
    cid = require_uuid(client_id)
    holds = await Authorization.select(
        Authorization.id, Authorization.created_at, Authorization.amount_cents, Authorization.provider_id,
        Authorization.listing_id, Authorization.expires_at, Authorization.client_share_cents,
    ).where((Authorization.client_id == cid) & (Authorization.status == "approved") & (Authorization.expires_at > now)
            ).order_by(Authorization.created_at, ascending=False).limit(MAX_PAYMENTS).run()
    captures = await Capture.select().where(Capture.client_id == cid).order_by(
        Capture.created_at, ascending=False).limit(MAX_PAYMENTS).run()
    rows = (await _hold_reads(holds) if state in (None, domain.HELD) else []) + (
        await _capture_reads(captures, now) if state != domain.HELD else [])
    rows = [r for r in rows if state is None or r.state == state]
    rows.sort(key=lambda r: r.created_at, reverse=True)
    start = (page - 1) * per_page
    return rows[start:start + per_page], len(rows)


async def payment(actor: Actor, capture_id: Any, now: dt.datetime) -> tuple[PaymentRead, dict]:
    """One capture for the client's side (the client, or a proxy acting for them), with the client
    row; the read is audited. Anyone else: 404."""
    if actor.is_anonymous:
        raise Unauthenticated()
    cap = await Capture.select().where(Capture.id == require_uuid(capture_id)).first().run()
    if not cap or not cap["client_id"] or actor.role not in ("client", "proxy"):
        raise NotFound()
    try:
        client = await access.client_to_read(actor, cap["client_id"], "payment")
    except Forbidden:
        raise NotFound() from None  # another client's payment: not told it exists
    [read] = await _capture_reads([cap], now)
    return read, client


# --- The organiser's card disputes ------------------------------------------------------------------


async def _views(rows: list[dict]) -> list[DisputeView]:
    caps = {c["id"]: c for c in await Capture.select().where(
        Capture.id.is_in([r["capture_id"] for r in rows])).run()} if rows else {}
    listings = await _listings(c["authorization_id"] for c in caps.values())
    providers, titles = await _names((r["provider_id"] for r in rows), listings.values())
    labels = {c["id"]: c["display_name"] for c in await Client.select(Client.id, Client.display_name).where(
        Client.id.is_in(list({r["client_id"] for r in rows}))).run()} if rows else {}
    out = []
    for r in rows:
        cap = caps[r["capture_id"]]
        listing = listings.get(str(cap["authorization_id"]))
        out.append(DisputeView(
            id=str(r["id"]), capture_id=str(r["capture_id"]), client_id=str(r["client_id"]),
            client_label=labels.get(r["client_id"], ""), provider_name=providers.get(str(r["provider_id"]), ""),
            listing_title=titles.get(str(listing), {}) if listing else {}, amount_cents=cap["amount_cents"],
            refunded_cents=cap["refunded_cents"], refundable_cents=cap["amount_cents"] - cap["refunded_cents"],
            reason=r["reason"], raised_as=r["raised_as"], status=r["status"], created_at=r["created_at"],
            captured_at=cap["created_at"], refund_cents=r["refund_cents"], resolution_reason=r["resolution_reason"],
            resolved_at=r["resolved_at"]))
    return out


def _status_where(status: str):
    if status == "open":
        return CaptureDispute.status == domain.OPEN
    if status == "resolved":
        return CaptureDispute.status != domain.OPEN
    return None


async def organiser_disputes(actor: Actor, *, status: str = "open", page: int = 1,
                             per_page: int = 20) -> tuple[list[DisputeView], int]:
    """The organiser's card-payment disputes (``open``, ``resolved`` or ``all``), open ones oldest
    first (they wait longest), resolved ones newest first; each client shown is a logged read."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "organiser_admin" or not actor.organiser_id:
        raise Forbidden()
    where = CaptureDispute.organiser_id == require_uuid(actor.organiser_id)
    if (narrow := _status_where(status)) is not None:
        where &= narrow
    total = await CaptureDispute.count().where(where).run()
    rows = await CaptureDispute.select().where(where).order_by(
        CaptureDispute.created_at, ascending=status == "open").limit(per_page).offset((page - 1) * per_page).run()
    for client_id in dict.fromkeys(r["client_id"] for r in rows):
        await audit.client_data_read(actor, client_id, "card_disputes", organiser_id=actor.organiser_id)
    return await _views(rows), total


async def client_disputes(client_id: Any) -> list[DisputeView]:
    """Every dispute of the client's payments, open ones first (the caller checked and logged the read)."""
    rows = await CaptureDispute.select().where(CaptureDispute.client_id == require_uuid(client_id)).order_by(
        CaptureDispute.created_at, ascending=False).run()
    rows.sort(key=lambda r: r["status"] != domain.OPEN)
    return await _views(rows)


async def open_dispute_counts(client_ids: Iterable[Any]) -> dict[str, int]:
    """Client id → how many of their payments are disputed and wait for the organiser."""
    ids = as_uuids(list(client_ids))
    if not ids:
        return {}
    rows = await CaptureDispute.select(CaptureDispute.client_id).where(
        CaptureDispute.client_id.is_in(ids) & (CaptureDispute.status == domain.OPEN)).run()
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r["client_id"])] = counts.get(str(r["client_id"]), 0) + 1
    return counts


# --- The provider's captures ----------------------------------------------------------------------


async def provider_payments(actor: Actor, now: dt.datetime, *, unpaid_only: bool = False, page: int = 1,
                            per_page: int = 20) -> tuple[list[ProviderPayment], int]:
    """The provider's captures, newest first, each with why it is not paid yet or the batch that
    paid it (``unpaid_only``: those the platform has still to pay). No client data."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "provider_staff" or not actor.provider_id:
        raise Forbidden()
    where = Capture.provider_id == require_uuid(actor.provider_id)
    if unpaid_only:
        where &= (Capture.settled_by != SETTLED_BY_CARD_NETWORK) & WhereRaw(
            "refunded_cents < amount_cents AND NOT EXISTS "
            "(SELECT 1 FROM vc_settlement_item i WHERE i.capture_id = vc_capture.id)")
    total = await Capture.count().where(where).run()
    captures = await Capture.select().where(where).order_by(Capture.created_at, ascending=False).limit(
        per_page).offset((page - 1) * per_page).run()
    listings = await _listings(c["authorization_id"] for c in captures)
    _providers, titles = await _names((), listings.values())
    batches = await _batches([c["id"] for c in captures])
    out = []
    for c in captures:
        batch = batches.get(str(c["id"]))
        listing = listings.get(str(c["authorization_id"]))
        out.append(ProviderPayment(
            capture_id=str(c["id"]), created_at=c["created_at"], amount_cents=c["amount_cents"],
            refunded_cents=c["refunded_cents"], state=_state(c, batch is not None, now),
            listing_title=titles.get(str(listing), {}) if listing else {}, dispute_until=c["dispute_until"],
            card_network=c["settled_by"] == SETTLED_BY_CARD_NETWORK,
            batch_reference=batch["reference"] if batch else None, batch_status=batch["status"] if batch else None,
            paid_at=batch["paid_at"] if batch else None))
    return out, total
