"""The console's copies of the voucher's payments and goal scores, kept from the facts the voucher
publishes (voucher.facts) through the outbox (core.facts).

``drain`` takes what is waiting and applies it in the same transaction (each fact exactly once):
a capture or a refund becomes a ``Movement`` with the dimensions the dashboard groups by, a goal
score a ``GoalScoreRecord``. What a fact does not say — the client's group and home municipality,
the listing's municipality — is asked of the voucher and the marketplace when it is applied; a
refund takes the dimensions of the capture it returns.

Every read of the copies drains first (admin.rollup.refresh, the client page, the anomaly scan), so
a page shows every payment committed before it was asked for; the background worker drains too, so
a read rarely finds much waiting.
"""

import logging
from collections.abc import Iterable

import msgspec

from admin.rows import ROWS_PER_INSERT, insert_new, select
from admin.tables import GoalScoreRecord, Movement
from core import db, reporting_db
from core import facts as outbox
from marketplace import directory
from voucher import facts as published
from voucher import reporting as voucher_reporting

log = logging.getLogger("hb.admin")
BATCH = 1000

_MOVEMENT_COLUMNS = (
    "id", "kind", "capture_id", "authorization_id", "organiser_id", "client_id", "provider_id", "line_id", "listing_id",
    "category", "client_group", "municipality", "client_municipality", "source", "flag", "authorised_cents",
    "amount_cents", "created_at",
)
_SCORE_COLUMNS = ("id", "goal_id", "client_id", "organiser_id", "client_group", "score", "scored_at", "recorded_at")


async def drain() -> int:
    """Apply every fact committed before this call; returns how many were applied here.

    It takes facts up to the newest one waiting at the start, until none of those is left: a fact
    another drain is applying at the same time stays visible here until that drain commits, so
    this one waits for it (its DELETE waits on the rows) rather than returning before it."""
    with reporting_db.on_primary():  # what it reads decides what it takes: the primary's, also under a report
        newest = await outbox.newest()
        done = 0
        while newest is not None and (oldest := await outbox.oldest()) is not None and oldest <= newest:
            async with db.write_transaction():
                taken = await outbox.take(BATCH, upto=newest)
                await apply(taken)
            done += len(taken)
        return done


async def apply(taken: Iterable[outbox.Published]) -> None:
    """Apply facts (oldest first) in the caller's transaction."""
    captures: list[published.CaptureFact] = []
    refunds: list[published.RefundFact] = []
    scores: list[published.GoalScoreFact] = []
    for fact in taken:
        if fact.kind == published.CAPTURE:
            captures.append(msgspec.json.decode(fact.payload, type=published.CaptureFact))
        elif fact.kind == published.REFUND:
            refunds.append(msgspec.json.decode(fact.payload, type=published.RefundFact))
        elif fact.kind == published.GOAL_SCORE:
            scores.append(msgspec.json.decode(fact.payload, type=published.GoalScoreFact))
        else:
            log.warning("a fact the console does not keep", extra={"status": fact.kind})
    # A refund's capture came in an earlier fact: captures first, then the refunds can find theirs.
    await _captures(captures)
    await _refunds(refunds)
    await _scores(scores)


async def _captures(captures: list[published.CaptureFact]) -> None:
    if not captures:
        return
    clients = await voucher_reporting.clients({c.client_id for c in captures if c.client_id})
    places = await directory.listing_places({c.listing_id for c in captures if c.listing_id})
    rows = []
    for c in captures:
        client = clients.get(str(c.client_id)) if c.client_id else None
        place = places.get(str(c.listing_id)) if c.listing_id else None
        rows.append((
            c.capture_id, "capture", c.capture_id, c.authorization_id, c.organiser_id, c.client_id, c.provider_id,
            c.line_id, c.listing_id, c.category, client.client_group if client else "", place.municipality if place else "",
            client.municipality if client else "", c.source, c.flag, c.authorised_cents, c.amount_cents, c.at,
        ))
    await insert_new(Movement._meta.tablename, _MOVEMENT_COLUMNS, rows)


async def _refunds(refunds: list[published.RefundFact]) -> None:
    if not refunds:
        return
    origin = {}
    for i in range(0, len(refunds), ROWS_PER_INSERT):
        chunk = list({r.capture_id for r in refunds[i: i + ROWS_PER_INSERT]})
        for row in await select(
            f"""SELECT id, authorization_id, client_id, line_id, listing_id, category, client_group, municipality,
       client_municipality, source, authorised_cents FROM {Movement._meta.tablename}
WHERE id IN ({", ".join("{}" for _ in chunk)})""", *chunk,
        ):
            origin[str(row["id"])] = row
    rows = []
    for r in refunds:
        c = origin.get(str(r.capture_id), {})
        rows.append((
            r.refund_id, "refund", r.capture_id, c.get("authorization_id"), r.organiser_id, c.get("client_id"),
            r.provider_id, c.get("line_id"), c.get("listing_id"), c.get("category", ""), c.get("client_group", ""),
            c.get("municipality", ""), c.get("client_municipality", ""), c.get("source", ""), "",
            c.get("authorised_cents", 0), r.amount_cents, r.at,
        ))
    await insert_new(Movement._meta.tablename, _MOVEMENT_COLUMNS, rows)


async def _scores(scores: list[published.GoalScoreFact]) -> None:
    if not scores:
        return
    clients = await voucher_reporting.clients({s.client_id for s in scores})
    rows = [
        (s.score_id, s.goal_id, s.client_id, s.organiser_id,
         clients[str(s.client_id)].client_group if str(s.client_id) in clients else "", s.score, s.scored_at,
         s.recorded_at)
        for s in scores
    ]
    await insert_new(GoalScoreRecord._meta.tablename, _SCORE_COLUMNS, rows)
