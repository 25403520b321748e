"""Rollups that keep the organiser dashboard fast on a year of a county's payments — and exact.

A county's year is hundreds of thousands of captures; summing them on every page view would take
seconds. So money is rolled up per Helsinki month (``SpendMonth``: per category, client group,
provider and municipality; ``ClientMonth``: per client, provider and category) and GAS changes per
client (``ClientGas``). Figures stay exact because every read is

    rolled-up rows (everything created before the rollup's ``upto``)
  + a live read of what was created since ``upto`` (see admin.figures)

and a rollup step moves ``upto`` forward over a range once: the step and the new ``upto`` are written
in one transaction that first claims the range with a compare-and-set on the old ``upto`` (so two
app workers refreshing at once cannot both add the same range). ``upto`` trails the clock by
``SETTLE_LAG`` so that a payment committed a moment after its timestamp is still read live rather
than missed; voucher rows are stamped with the time of their own transaction, so nothing older than
that appears later.

What is rolled up is the console's own copy of the voucher's payments and goal scores
(admin.movements over ``ad_movement`` and ``ad_goal_score``), kept from the voucher's facts
(admin.facts); every refresh applies the facts that wait before it reads.
"""

import datetime as dt
import hashlib
import logging
import uuid
from collections import defaultdict
from typing import Any

from admin import domain, facts, movements
from admin.rows import as_datetime, select, upsert
from admin.tables import ClientGas, RollupState
from core import db, reporting_db
from core.ids import as_uuid

log = logging.getLogger("hb.admin")

SPEND = "spend"
GAS = "gas"
SETTLE_LAG = dt.timedelta(hours=1)
# A page view rolls up only when the rollup is further behind than this (the worker does the rest).
READ_REFRESH_AFTER = dt.timedelta(minutes=15)


def row_key(*parts: Any) -> str:
    return hashlib.sha256("|".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:40]


async def state(name: str) -> dt.datetime | None:
    row = await RollupState.select(RollupState.upto).where(RollupState.name == name).first().run()
    return as_datetime(row["upto"]) if row else None


async def _claim(name: str, old: dt.datetime | None, new: dt.datetime) -> bool:
    """Move ``upto`` from ``old`` to ``new`` inside the caller's transaction, if nobody else has."""
    if old is None:
        inserted = await RollupState.insert(RollupState(name=name, upto=new)).on_conflict(
            action="DO NOTHING"
        ).returning(RollupState.name).run()
        return bool(inserted)
    claimed = await RollupState.update({RollupState.upto: new}).where(
        (RollupState.name == name) & (RollupState.upto == old)
    ).returning(RollupState.name).run()
    return bool(claimed)


def month_windows(since: dt.datetime, until: dt.datetime) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """[since, until) cut at Helsinki month boundaries: (month, start, end) pieces."""
    out = []
    month = domain.month_of(since)
    while True:
        start, end = domain.month_bounds_utc(month)
        lo, hi = max(start, since), min(end, until)
        if lo >= until:
            break
        if lo < hi:
            out.append((month, lo, hi))
        month = domain.add_months(month, 1)
    return out


async def refresh(now: dt.datetime, *, unless_within: dt.timedelta = dt.timedelta(0)) -> None:
    """Bring every rollup up to ``now − SETTLE_LAG`` (one month per transaction) — unless it is
    already less than ``unless_within`` behind that: readers read the rest live anyway, so a page
    view need not write. The voucher's facts that wait are applied first (admin.facts): the
    rollups and the live reads after them read the console's copies."""
    with reporting_db.on_primary():  # the ranges it claims are read where it writes them
        await facts.drain()
        upto = now - SETTLE_LAG
        await _refresh_spend(upto, unless_within)
        await _refresh_gas(upto, unless_within)


async def _refresh_spend(upto: dt.datetime, unless_within: dt.timedelta = dt.timedelta(0)) -> None:
    since = await state(SPEND)
    if since is not None and since >= upto - unless_within:
        return
    if since is None:
        first = await movements.first_money_movement()
        start = min(first, upto) if first else upto
        await _in_transaction(lambda: _claim(SPEND, None, start))
        since = await state(SPEND)
    while since is not None and since < upto:
        month, lo, hi = month_windows(since, upto)[0]

        async def step(month=month, lo=lo, hi=hi) -> bool:
            if not await _claim(SPEND, lo, hi):
                return False
            await _add_spend(month, lo, hi)
            return True

        if not await _in_transaction(step):
            return  # another worker is rolling up the same range
        since = hi


async def _add_spend(month: dt.date, lo: dt.datetime, hi: dt.datetime) -> None:
    groups = await movements.spend_groups(lo, hi)
    await upsert(
        "ad_spend_month",
        ("id", "key", "organiser_id", "month", "category", "client_group", "provider_id", "municipality",
         "client_municipality", "captured_cents", "refunded_cents", "captures", "refunds"),
        [
            (uuid.uuid4(), row_key(g["organiser_id"], month, g["category"], g["client_group"], g["provider_id"],
                                   g["municipality"], g["client_municipality"]),
             as_uuid(g["organiser_id"]), month, g["category"], g["client_group"],
             as_uuid(g["provider_id"]), g["municipality"], g["client_municipality"], g["captured_cents"],
             g["refunded_cents"],
             g["captures"], g["refunds"])
            for g in groups
        ],
        conflict="key", add=("captured_cents", "refunded_cents", "captures", "refunds"),
    )
    pairs = await movements.client_spend_groups(lo, hi)
    await upsert(
        "ad_client_month",
        ("id", "key", "organiser_id", "month", "client_id", "provider_id", "category", "net_cents"),
        [
            (uuid.uuid4(), row_key(p["client_id"], month, p["provider_id"], p["category"]),
             as_uuid(p["organiser_id"]), month, as_uuid(p["client_id"]),
             as_uuid(p["provider_id"]), p["category"], p["net_cents"])
            for p in pairs
        ],
        conflict="key", add=("net_cents",),
    )


async def _refresh_gas(upto: dt.datetime, unless_within: dt.timedelta = dt.timedelta(0)) -> None:
    since = await state(GAS)
    if since is not None and since >= upto - unless_within:
        return

    async def step() -> None:
        if not await _claim(GAS, since, upto):
            return
        changes = gas_by_client(await movements.scores_of_clients_scored_between(since, upto))
        for client_id, entry in changes.items():
            values = {
                ClientGas.organiser_id: entry["organiser_id"], ClientGas.client_group: entry["client_group"],
                ClientGas.goals: entry["goals"], ClientGas.change_x100: entry["change_x100"],
                ClientGas.first_at: entry["first_at"], ClientGas.last_at: entry["last_at"],
            }
            updated = await ClientGas.update(values).where(ClientGas.id == client_id).returning(ClientGas.id).run()
            if not updated:
                await ClientGas.insert(ClientGas(id=client_id, **{c._meta.name: v for c, v in values.items()})).run()

    await _in_transaction(step)


def gas_by_client(rows: list[dict]) -> dict[uuid.UUID, dict]:
    """Score rows (client, goal, score, scored_at) → each client's GAS change (admin.domain)."""
    per_client: dict[uuid.UUID, dict] = {}
    scores: dict[uuid.UUID, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        client_id = as_uuid(row["client_id"])
        at = as_datetime(row["scored_at"])
        scores[client_id][str(row["goal_id"])].append((at, int(row["score"])))
        entry = per_client.setdefault(client_id, {
            "organiser_id": as_uuid(row["organiser_id"]), "client_group": row["client_group"],
            "first_at": at, "last_at": at,
        })
        entry["first_at"], entry["last_at"] = min(entry["first_at"], at), max(entry["last_at"], at)
    for client_id, entry in per_client.items():
        found = domain.gas_change_x100(scores[client_id])
        entry["change_x100"], entry["goals"] = found if found else (0, 0)
    return per_client


async def _in_transaction(op):
    async with db.write_transaction():
        return await op()


async def rebuild() -> None:
    """Start every rollup again from nothing (after a repair of old rows, or in a benchmark)."""
    async with db.write_transaction():
        for table in ("ad_spend_month", "ad_client_month", "ad_client_gas", "ad_rollup_state"):
            await select(f"DELETE FROM {table}")
