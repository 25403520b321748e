"""Settlement: close one batch per provider per period, pay it, mark it paid — crash-safe, and
safe with several runs at once (the server's schedule, a CLI run, several app workers).

The run is a state machine whose every state is written to the database before the next step:

    1. batches written   (one transaction per organiser: batch rows, their items — a capture or
                          refund can be in one batch only, by unique constraint — and the ledger
                          transfer payable → clearing)            batch.status = closed
    2. payout recorded   SEPA: the organiser's closed SEPA batches are claimed for a new payout
                          (closed → produced, a conditional update: the first write), and the
                          pain.001 document of exactly the claimed batches is stored in the Payout
                          row, in the same transaction             batch.status = produced
                         Stripe: the Connect transfer is created with the batch id as the
                          idempotency key, then the batch is claimed and the payout recorded
                                                                   batch.status = produced
    3. paid              one transaction per payout: claimed produced → paid (conditional), the
                          SEPA document written to ``<data_dir>/payouts/`` under a name fixed by the
                          payout id, the batches marked paid and the ledger transfer clearing → bank
                          booked                                   batch.status = paid

Who pays what, when runs overlap: a batch has one ``payout_id`` and leaves ``closed`` once, by a
conditional update, so it is in exactly one payout; a run that loses the claim records no payout
and writes no file. A payout is finished by the run whose update takes it from ``produced`` (on
PostgreSQL the row stays locked until that run commits; on SQLite writers take turns), so its file
is written by one run and its money booked once.

A crash anywhere leaves the database in one of these states, and a rerun continues from it: a
closed batch is never closed again, a recorded payout is never re-recorded, a document is always
the same document (a crash before step 3 commits may leave the file; the rerun writes the same
bytes under the same name) and a Stripe transfer with the same idempotency key is the same
transfer. So no capture is paid twice and none is lost.

Captures the card network paid (Stripe Issuing; ``settled_by = card_network``) and refunds that
came back through it are never settled here: the merchant's acquirer paid them from the
platform's Issuing balance (voucher.stripe_issuing books that).

A capture is paid on only when the client can no longer dispute it (voucher.disputes): its
``dispute_until`` has passed with no dispute, or its dispute is resolved (released, or refunded in
part — the refund nets in the same batch, as any refund does). A refund waits with its capture. The
capture rows a batch takes are locked on PostgreSQL (SQLite's writers take turns), and a dispute
claims the same row and then checks no batch took it: a dispute and a batch never both win.

Settlement never runs without the payout-confirmation rule (``confirmation``): the composition
that runs it (the console's ``hb settle`` and schedule) gives it, and ``settle`` refuses to start
without one, so the two-admin check on a changed bank account cannot be skipped by accident.
"""

import datetime as dt
import os
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from core import audit, db, metrics
from core.identity import Actor
from core.settings import Settings
from voucher import domain, ledger, marketplace_port
from voucher.disputes import domain as disputes
from core.db import in_write_transaction
from voucher.settlement.connect import PayoutGateway, StripeConnect
from voucher.settlement.sepa import Debtor, Payment, pain001
from voucher.tables import Capture, Payout, Refund, SettlementBatch, SettlementItem

SYSTEM = Actor(role="system", display_name="hb settle")
# A capture the client can no longer dispute: its window passed undisputed, or its dispute is
# resolved (voucher.disputes.domain). ``{c}`` is the capture table's name in the query.
_READY = "(({c}.dispute_state = '' AND {c}.dispute_until <= {{}}) OR {c}.dispute_state = {{}})"

# Points between the steps; a test kills the process at each of them.
AFTER_BATCHES = "after_batches"
AFTER_PAYOUT_RECORDED = "after_payout_recorded"
AFTER_TRANSFER_CREATED = "after_transfer_created"
AFTER_PRODUCED = "after_produced"


class PayoutConfirmation(Protocol):
    """The rule that holds payouts back until people confirm them (the organiser console's: two
    organiser admins for a bank account that changed lately, ``admin.payouts.unconfirmed``). Held
    batches stay ``closed`` and are paid by the first run after the confirmations."""

    async def __call__(self, batch_ids: list[Any], now: dt.datetime) -> set[str]:
        """The ids (as text) of those batches that must not be paid yet."""
        ...


class SettleSummary(msgspec.Struct, kw_only=True):
    batches_closed: int = 0
    items: int = 0
    total_cents: int = 0
    sepa_files: list[str] = []
    stripe_transfers: list[str] = []
    batches_paid: int = 0
    warnings: list[str] = []


def gateway_from(settings: Settings) -> PayoutGateway | None:
    return StripeConnect(settings.stripe_secret_key) if settings.stripe_secret_key else None


def payouts_dir(settings: Settings) -> Path:
    return settings.data_dir / "payouts"


async def settle(
    settings: Settings,
    now: dt.datetime,
    *,
    confirmation: PayoutConfirmation,
    gateway: PayoutGateway | None = None,
    progress: Callable[[str], None] | None = None,
    checkpoint: Callable[[str], None] | None = None,
) -> SettleSummary:
    """Run (or continue) settlement up to the last completed period of each organiser."""
    if not callable(confirmation):
        # Fail closed: without the rule a payout to a changed account would go out unconfirmed.
        raise TypeError("settle needs the payout-confirmation rule (confirmation=); it pays nothing without it")
    say = progress or (lambda _msg: None)
    mark = checkpoint or (lambda _step: None)
    summary = SettleSummary()
    organisers = await marketplace_port.organisers()
    for organiser in sorted(organisers.values(), key=lambda o: o.name):
        period = domain.last_completed_period(organiser.settlement_period, now)
        closed = await in_write_transaction(lambda o=organiser, p=period: _close_batches(o, p, gateway is not None, now))
        for batch in closed:
            summary.batches_closed += 1
            summary.items += batch["item_count"]
            summary.total_cents += batch["total_cents"]
        if closed:
            say(f"{organiser.name}: {len(closed)} batch(es) closed for {period.start}…{period.end}")
    mark(AFTER_BATCHES)

    for organiser in organisers.values():
        await _record_sepa_payout(organiser, now, summary, confirmation)
    if gateway is not None:
        await _stripe_transfers(gateway, now, summary, confirmation, say, mark)
    mark(AFTER_PAYOUT_RECORDED)

    produced = await Payout.select(Payout.id).where(Payout.status == "produced").order_by(Payout.created_at).run()
    for row in produced:
        paid = await in_write_transaction(lambda p=row["id"]: _pay(p, payouts_dir(settings), now, mark))
        if paid is None:
            continue  # another run finished this payout
        if paid["file"]:
            summary.sepa_files.append(paid["file"])
            say(f"SEPA file {payouts_dir(settings) / paid['file']}")
        summary.batches_paid += paid["batches"]
    say(
        f"Settled: {summary.batches_closed} new batch(es), {summary.items} item(s), "
        f"{summary.total_cents / 100:.2f} EUR; {summary.batches_paid} batch(es) paid"
    )
    for warning in summary.warnings:
        say("warning: " + warning)
    return summary


async def _close_batches(
    organiser: marketplace_port.OrganiserFacts, period: domain.Period, stripe_on: bool, now: dt.datetime
) -> list[dict]:
    unsettled = "NOT EXISTS (SELECT 1 FROM vc_settlement_item i WHERE i.{} = {}.id)"
    # Only what the platform pays (the card network has paid Stripe Issuing captures already), and
    # only what the client can no longer dispute.
    query = Capture.select(Capture.id, Capture.provider_id, Capture.amount_cents).where(
        (Capture.organiser_id == organiser.organiser_id)
        & (Capture.created_at < period.end_utc)
        & (Capture.settled_by == domain.SETTLED_BY_PLATFORM)
        & WhereRaw(_READY.format(c="vc_capture"), now, disputes.RESOLVED)
        & WhereRaw(unsettled.format("capture_id", "vc_capture"))
    )
    # A dispute arriving at the same moment waits for this lock, then finds the batch (and refuses);
    # one that came first has the row, and this query skips it once it commits.
    captures = await (query if db.is_sqlite() else query.lock_rows()).run()
    refunds = await Refund.select(Refund.id, Refund.provider_id, Refund.amount_cents).where(
        (Refund.organiser_id == organiser.organiser_id)
        & (Refund.created_at < period.end_utc)
        & (Refund.settled_by == domain.SETTLED_BY_PLATFORM)
        & WhereRaw(unsettled.format("refund_id", "vc_refund"))
        & WhereRaw(f"EXISTS (SELECT 1 FROM vc_capture c WHERE c.id = vc_refund.capture AND {_READY.format(c='c')})",
                   now, disputes.RESOLVED)
    ).run()
    per_provider: dict[str, list[tuple[str, Any, int]]] = defaultdict(list)
    for c in captures:
        per_provider[str(c["provider_id"])].append(("capture_id", c["id"], c["amount_cents"]))
    for r in refunds:
        per_provider[str(r["provider_id"])].append(("refund_id", r["id"], -r["amount_cents"]))
    payees = await marketplace_port.payees(list(per_provider))
    closed = []
    for provider_id in sorted(per_provider):
        items = per_provider[provider_id]
        total = sum(amount for _, _, amount in items)
        if total <= 0:
            continue  # refunds outweigh captures: they wait for the provider's next captures
        payee = payees.get(provider_id)
        method = "stripe" if stripe_on and payee and payee.stripe_account_id else "sepa"
        batch_id = uuid.uuid4()
        inserted = await SettlementBatch.insert(
            SettlementBatch(
                id=batch_id,
                organiser_id=organiser.organiser_id,
                provider_id=provider_id,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                total_cents=total,
                item_count=len(items),
                status="closed",
                method=method,
                reference=domain.rf_reference(batch_id),
                created_at=now,
            )
        ).on_conflict(action="DO NOTHING").returning(SettlementBatch.id).run()
        if not inserted:
            continue  # this period's batch exists: later captures go to the next period's
        await SettlementItem.insert(
            *[SettlementItem(batch=batch_id, amount_cents=amount, **{kind: item_id}) for kind, item_id, amount in items]
        ).run()
        await ledger.ensure_accounts(
            ("clearing", organiser.organiser_id, organiser.organiser_id), ("bank", organiser.organiser_id, organiser.organiser_id)
        )
        await ledger.record(
            ledger.SETTLE, ledger.payable_account(provider_id), ledger.clearing_account(organiser.organiser_id), total,
            batch_id=batch_id,
        )
        await audit.record(
            SYSTEM, "voucher.settlement.closed", "settlement_batch", batch_id, organiser_id=organiser.organiser_id,
            details={"provider_id": provider_id, "total_cents": total, "items": len(items), "period": str(period.start)},
        )
        closed.append({"id": batch_id, "total_cents": total, "item_count": len(items)})
    return closed


async def _record_sepa_payout(
    organiser: marketplace_port.OrganiserFacts, now: dt.datetime, summary: SettleSummary, confirmation: PayoutConfirmation
) -> None:
    async def op() -> None:
        closed = await SettlementBatch.select(SettlementBatch.id).where(
            (SettlementBatch.organiser_id == organiser.organiser_id)
            & (SettlementBatch.method == "sepa")
            & (SettlementBatch.status == "closed")
        ).run()
        held = await confirmation([b["id"] for b in closed], now) if closed else set()
        if held:
            summary.warnings.append(f"{organiser.name}: {len(held)} batch(es) wait for two admins to confirm a changed account")
        ids = [b["id"] for b in closed if str(b["id"]) not in held]
        if not ids:
            return
        if not organiser.iban:
            summary.warnings.append(f"{organiser.name}: no IBAN for payouts; {len(ids)} batch(es) wait")
            return
        # The claim is the first write: only the batches this update takes from closed go into this
        # payout's document. A run at the same time that read them closed too gets none of them
        # (PostgreSQL re-checks the status after the winner commits; SQLite writers take turns).
        payout_id = uuid.uuid4()
        batches = await SettlementBatch.update(
            {SettlementBatch.payout_id: payout_id, SettlementBatch.status: "produced"}
        ).where(SettlementBatch.id.is_in(ids) & (SettlementBatch.status == "closed")).returning(
            SettlementBatch.provider_id, SettlementBatch.total_cents, SettlementBatch.reference,
            SettlementBatch.period_start, SettlementBatch.created_at,
        ).run()
        if not batches:
            return
        batches.sort(key=lambda b: (b["created_at"], b["reference"]))
        payees = await marketplace_port.payees([b["provider_id"] for b in batches])
        payments = [
            Payment(
                creditor_name=payees[str(b["provider_id"])].name,
                creditor_iban=payees[str(b["provider_id"])].iban,
                amount_cents=b["total_cents"],
                reference=b["reference"],
                description=f"HB {b['period_start']}",
                remittance_reference=payees[str(b["provider_id"])].remittance_reference,
            )
            for b in batches
        ]
        document = pain001(
            Debtor(name=organiser.name, iban=organiser.iban, bic=organiser.bic), payments, domain.helsinki_date(now)
        )
        await Payout.insert(
            Payout(
                id=payout_id,
                organiser_id=organiser.organiser_id,
                method="sepa",
                status="produced",
                total_cents=sum(p.amount_cents for p in payments),
                document=document.decode(),
                file_name=f"pain001-{organiser.business_id}-{payout_id}.xml",
                created_at=now,
            )
        ).run()

    await in_write_transaction(op)


async def _stripe_transfers(
    gateway: PayoutGateway, now: dt.datetime, summary: SettleSummary, confirmation: PayoutConfirmation, say, mark
) -> None:
    """A run at the same time asks Stripe with the same idempotency key and gets the same transfer;
    the batch's conditional claim lets only one of them record it."""
    batches = await SettlementBatch.select().where(
        (SettlementBatch.method == "stripe") & (SettlementBatch.status == "closed")
    ).order_by(SettlementBatch.created_at).run()
    held = await confirmation([b["id"] for b in batches], now) if batches else set()
    if held:
        summary.warnings.append(f"{len(held)} Stripe batch(es) wait for two admins to confirm a changed account")
    batches = [b for b in batches if str(b["id"]) not in held]
    payees = await marketplace_port.payees([b["provider_id"] for b in batches])
    for batch in batches:
        payee = payees.get(str(batch["provider_id"]))
        if not payee or not payee.stripe_account_id:
            summary.warnings.append(f"batch {batch['reference']}: provider has no Stripe account")
            continue
        transfer_id = await gateway.transfer(
            amount_cents=batch["total_cents"],
            destination=payee.stripe_account_id,
            idempotency_key=str(batch["id"]),
            transfer_group=batch["reference"],
            metadata={"batch_id": str(batch["id"]), "reference": batch["reference"]},
        )
        say(f"Stripe transfer {transfer_id} for batch {batch['reference']}")
        mark(AFTER_TRANSFER_CREATED)

        async def record(batch=batch, transfer_id=transfer_id) -> bool:
            payout_id = uuid.uuid4()
            claimed = await SettlementBatch.update(
                {SettlementBatch.payout_id: payout_id, SettlementBatch.status: "produced"}
            ).where((SettlementBatch.id == batch["id"]) & (SettlementBatch.status == "closed")).returning(
                SettlementBatch.id
            ).run()
            if claimed:
                await Payout.insert(
                    Payout(id=payout_id, organiser_id=batch["organiser_id"], method="stripe", status="produced",
                           total_cents=batch["total_cents"], stripe_transfer_id=transfer_id, created_at=now)
                ).run()
            return bool(claimed)

        if await in_write_transaction(record):
            summary.stripe_transfers.append(transfer_id)


def _write_document(directory: Path, name: str, document: str) -> Path:
    """Write the file atomically; the same payout always gives the same file, so rewriting is safe."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    data = document.encode()
    if path.exists() and path.read_bytes() == data:
        return path
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


async def _pay(payout_id: Any, directory: Path, now: dt.datetime, mark: Callable[[str], None]) -> dict | None:
    """Finish one produced payout, in the caller's transaction: claim it (produced → paid), write
    its file, mark its batches paid and book clearing → bank. None: another run has it.

    The claim comes first, so the file is written only by the run that owns the payout; a crash
    before the commit leaves the payout produced (and maybe the file, which the next run writes
    again with the same bytes)."""
    claimed = await Payout.update({Payout.status: "paid", Payout.paid_at: now}).where(
        (Payout.id == payout_id) & (Payout.status == "produced")
    ).returning(
        Payout.id, Payout.organiser_id, Payout.method, Payout.total_cents, Payout.document, Payout.file_name,
        Payout.stripe_transfer_id,
    ).run()
    if not claimed:
        return None
    payout = claimed[0]
    file = _write_document(directory, payout["file_name"], payout["document"]).name if payout["method"] == "sepa" else None
    mark(AFTER_PRODUCED)
    batches = await SettlementBatch.update({SettlementBatch.status: "paid", SettlementBatch.paid_at: now}).where(
        (SettlementBatch.payout_id == payout["id"]) & (SettlementBatch.status == "produced")
    ).returning(SettlementBatch.id, SettlementBatch.total_cents, SettlementBatch.organiser_id).run()
    for batch in batches:
        await ledger.record(
            ledger.PAYOUT,
            ledger.clearing_account(batch["organiser_id"]),
            ledger.bank_account(batch["organiser_id"]),
            batch["total_cents"],
            batch_id=batch["id"],
        )
    await audit.record(
        SYSTEM, "voucher.settlement.paid", "payout", payout["id"], organiser_id=payout["organiser_id"],
        details={"method": payout["method"], "batches": len(batches), "total_cents": payout["total_cents"],
                 "stripe_transfer_id": payout["stripe_transfer_id"]},
    )
    return {"file": file, "batches": len(batches)}


BATCH_STATES = ("closed", "produced", "paid")


@metrics.reader
async def _batches(settings) -> list[metrics.Sample]:
    """For /metrics: settlement batches by state, and how long the oldest unpaid one has waited."""
    rows = await db.engine().run_querystring(QueryString(
        f"SELECT status, COUNT(*) AS n, MIN(created_at) AS oldest FROM {SettlementBatch._meta.tablename} GROUP BY status"))
    found = {r["status"]: r for r in rows or []}
    samples = [metrics.Sample("hb_settlement_batches", "Settlement batches by state (closed → produced → paid)",
                              {"state": state}, float(found[state]["n"]) if state in found else 0.0)
               for state in sorted(set(BATCH_STATES) | set(found))]
    waiting = [metrics.age_seconds(r["oldest"]) for state, r in found.items() if state != "paid"]
    samples.append(metrics.Sample("hb_settlement_batch_oldest_unpaid_age_seconds",
                                  "Age of the oldest settlement batch not yet paid (0: none)", {}, max(waiting, default=0.0)))
    return samples
