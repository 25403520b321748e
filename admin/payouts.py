"""Payouts to a bank account that changed lately wait for two organiser admins.

The Dutch fraud cases began with someone changing a provider's account number. So when a
provider's IBAN changed within ``CHANGED_ACCOUNT_DAYS`` before a settlement batch, the batch is paid
only after two different organiser admins of the batch's organiser have confirmed it. The voucher's
settlement asks ``unconfirmed`` before it pays (docs/decisions/0014); the confirmations are audited.

Batches are the voucher's and bank accounts the marketplace's: both are read live, through their
read functions (voucher.reporting, marketplace.directory), since settlement must not pay on a
stale answer.
"""

import datetime as dt
from typing import Any

from admin import access
from admin.tables import PayoutConfirmation
from core import audit, db
from core.errors import Conflict, NotFound
from core.identity import Actor
from core.ids import as_uuid, as_uuids
from marketplace import directory
from voucher import reporting as voucher_reporting

CHANGED_ACCOUNT_DAYS = 30


def needs_confirmation(iban_changed_at: dt.datetime | None, batch_closed_at: dt.datetime) -> bool:
    """Whether a batch goes to an account that changed in the 30 days before the batch was closed
    — or at any time since (the payout goes to the account as it is when paid)."""
    if iban_changed_at is None:
        return False
    return iban_changed_at >= batch_closed_at - dt.timedelta(days=CHANGED_ACCOUNT_DAYS)


async def confirmations(batch_ids: list[Any]) -> dict[str, dict]:
    found = as_uuids(batch_ids)
    if not found:
        return {}
    rows = await PayoutConfirmation.select().where(PayoutConfirmation.batch_id.is_in(found)).run()
    return {str(r["batch_id"]): r for r in rows}


async def _with_accounts(found: list[voucher_reporting.BatchBrief]) -> list[dict]:
    """Batches with their provider's name and bank account as they are now."""
    accounts = await directory.provider_accounts({b.provider_id for b in found})
    out = []
    for b in found:
        account = accounts.get(b.provider_id)
        if account is None:
            continue
        out.append({
            "batch_id": as_uuid(b.id), "organiser_id": as_uuid(b.organiser_id), "provider_id": as_uuid(b.provider_id),
            "total_cents": b.total_cents, "reference": b.reference, "status": b.status, "method": b.method,
            "created_at": b.created_at, "period_start": b.period_start, "period_end": b.period_end,
            "provider_name": account.name, "iban": account.iban, "iban_changed_at": account.iban_changed_at,
        })
    return out


async def batches(batch_ids: list[Any]) -> list[dict]:
    return await _with_accounts(await voucher_reporting.batches(batch_ids))


async def batches_to_changed_accounts(organiser_id: Any, since: dt.datetime) -> list[dict]:
    """Settlement batches created since ``since`` (of ``organiser_id``, or all) to providers that
    have ever changed their bank account, oldest first."""
    changed = await directory.providers_with_changed_account()
    return await _with_accounts(await voucher_reporting.batches_since(since, changed, organiser_id))


def confirmed(row: dict | None, iban_changed_at: dt.datetime | None) -> bool:
    """Two admins confirmed the payout to the account as it is now (a later change voids it)."""
    return bool(row and row["second_by"] and _same(row["iban_changed_at"], iban_changed_at))


def _same(a: dt.datetime | None, b: dt.datetime | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs((a - b).total_seconds()) < 0.001)


async def unconfirmed(batch_ids: list[Any], now: dt.datetime) -> set[str]:
    """For the voucher's settlement: which of these batches must not be paid yet, because their
    provider's account changed in the 30 days before the batch closed (or since), and two admins
    have not confirmed the payout to the account as it is now."""
    found = await batches(batch_ids)
    done = await confirmations([b["batch_id"] for b in found])
    return {
        str(b["batch_id"]) for b in found
        if needs_confirmation(b["iban_changed_at"], min(b["created_at"], now))
        and not confirmed(done.get(str(b["batch_id"])), b["iban_changed_at"])
    }


async def waiting(actor: Actor, now: dt.datetime) -> list[dict]:
    """The organiser's batches to changed accounts (last 90 days) with their confirmations."""
    organiser_id = access.organiser_of_admin(actor)
    batches = [
        b for b in await batches_to_changed_accounts(organiser_id, now - dt.timedelta(days=90))
        if needs_confirmation(b["iban_changed_at"], b["created_at"])
    ]
    done = await confirmations([b["batch_id"] for b in batches])
    out = []
    for b in batches:
        row = done.get(str(b["batch_id"]))
        current = row if row and _same(row["iban_changed_at"], b["iban_changed_at"]) else None
        out.append({**b, "batch_id": str(b["batch_id"]), "confirmation": current})
    return out


async def confirm(actor: Actor, batch_id: Any, now: dt.datetime) -> dict:
    """Record this admin's confirmation: the first, or the second by another admin."""
    organiser_id = access.organiser_of_admin(actor)
    found = [b for b in await batches([batch_id]) if str(b["organiser_id"]) == organiser_id]
    if not found:
        raise NotFound()
    batch = found[0]
    if not needs_confirmation(batch["iban_changed_at"], batch["created_at"]):
        raise Conflict("admin.payout.not_needed")
    async with db.write_transaction():
        # A confirmation given before the account changed again is for another account: start over.
        await PayoutConfirmation.delete().where(
            (PayoutConfirmation.batch_id == batch["batch_id"])
            & (PayoutConfirmation.iban_changed_at != batch["iban_changed_at"])
        ).run()
        inserted = await PayoutConfirmation.insert(PayoutConfirmation(
            organiser_id=organiser_id, batch_id=batch["batch_id"], provider_id=batch["provider_id"],
            iban_changed_at=batch["iban_changed_at"], first_by=actor.user_id, first_label=actor.display_name, first_at=now,
        )).on_conflict(action="DO NOTHING").returning(PayoutConfirmation.id).run()
        step = "first"
        if not inserted:
            second = await PayoutConfirmation.update({
                PayoutConfirmation.second_by: actor.user_id, PayoutConfirmation.second_label: actor.display_name,
                PayoutConfirmation.second_at: now,
            }).where(
                (PayoutConfirmation.batch_id == batch["batch_id"]) & PayoutConfirmation.second_by.is_null()
                & (PayoutConfirmation.first_by != actor.user_id)
            ).returning(PayoutConfirmation.id).run()
            if not second:
                done = (await confirmations([batch["batch_id"]])).get(str(batch["batch_id"]))
                raise Conflict("admin.payout.already_confirmed" if done and done["second_by"] else
                               "admin.payout.second_admin_needed")
            step = "second"
        await audit.record(actor, f"admin.payout.confirmed_{step}", "settlement_batch", batch["batch_id"],
                           organiser_id=organiser_id,
                           details={"provider_id": str(batch["provider_id"]), "total_cents": batch["total_cents"],
                                    "iban_changed_at": batch["iban_changed_at"].isoformat()})
    return (await confirmations([batch["batch_id"]]))[str(batch["batch_id"])]
