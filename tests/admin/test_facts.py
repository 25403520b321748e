"""The console's copies of the voucher's payments and goal scores: each fact the voucher publishes is
applied exactly once however many drains race, a fact exists only with the change it reports, and
the migration that starts the copies from the rows already booked makes what the facts would."""

import asyncio
import uuid

import pytest

import admin.piccolo_migrations.admin_2026_12_07t13_10_01_000000 as backfill
from admin import facts
from admin.tables import GoalScoreRecord, Movement
from core import db as core_db
from core import facts as outbox
from core.tables import Fact
from tests.admin.builders import add_client, add_goal, at, pay, refund, world
from voucher import facts as published


async def _payments(db, w) -> None:
    c = await add_client(w, db.settings.secret_key, "Asiakas Fakta", "families", municipality="Kerava")
    d = await add_client(w, db.settings.secret_key, "Asiakas Toinen", "older_people")
    for i, (who, listing) in enumerate(((c, w.listing_riding), (d, None), (c, w.listing_riding), (d, None))):
        got = await pay(db.settings, w.provider, who.token, 5000 + i, at(2026, 3, 2 + i), listing=listing)
        if i % 2 == 0:
            await refund(w.provider, got["capture_id"], 1000 + i, at(2026, 3, 10 + i))
    await pay(db.settings, w.other_provider, c.token, 5500, at(2026, 3, 4), listing=w.listing_art, capture=0)  # a hold
    await add_goal(w, c.id, "Liikun", [(at(2026, 1, 5), -1), (at(2026, 3, 1), 1)])


async def _copies() -> tuple[list[dict], list[dict]]:
    moves = await Movement.select().order_by(Movement.id).run()
    scores = await GoalScoreRecord.select().order_by(GoalScoreRecord.id).run()
    return moves, scores


async def test_racing_drains_apply_each_fact_once(db):
    w = await world(db.settings.secret_key)
    await _payments(db, w)
    kinds = [r["kind"] for r in await Fact.select(Fact.kind).order_by(Fact.id).run()]
    assert kinds.count(published.CAPTURE) == 4 and kinds.count(published.REFUND) == 2
    assert kinds.count(published.GOAL_SCORE) == 2
    applied = await asyncio.gather(*(facts.drain() for _ in range(4)))
    assert sum(applied) == len(kinds) and await Fact.count().run() == 0
    moves, scores = await _copies()
    assert sorted(m["kind"] for m in moves) == ["capture"] * 4 + ["refund"] * 2 and len(scores) == 2
    refunds = [m for m in moves if m["kind"] == "refund"]
    origin = {m["id"]: m for m in moves if m["kind"] == "capture"}
    for r in refunds:  # a refund belongs to the dimensions of the capture it returns
        capture = origin[r["capture_id"]]
        assert (r["client_id"], r["category"], r["client_group"], r["municipality"], r["client_municipality"]) == (
            capture["client_id"], capture["category"], capture["client_group"], capture["municipality"],
            capture["client_municipality"])
    assert await facts.drain() == 0


def _score() -> published.GoalScoreFact:
    return published.GoalScoreFact(score_id=uuid.uuid4(), goal_id=uuid.uuid4(), client_id=uuid.uuid4(),
                                   organiser_id=uuid.uuid4(), score=0, scored_at=at(2026, 1, 1), recorded_at=at(2026, 1, 1))


async def test_a_fact_exists_only_with_the_change_it_reports(db):
    with pytest.raises(RuntimeError):  # outside a transaction it could outlive a change rolled back
        await outbox.publish(published.GOAL_SCORE, _score())
    with pytest.raises(ZeroDivisionError):
        async with core_db.write_transaction():
            await outbox.publish(published.GOAL_SCORE, _score())
            1 / 0
    assert await Fact.count().run() == 0


async def test_the_copies_start_from_the_booked_rows_as_the_facts_would_make_them(db):
    w = await world(db.settings.secret_key)
    await _payments(db, w)
    await facts.drain()
    drained = await _copies()
    await Movement.delete(force=True).run()
    await GoalScoreRecord.delete(force=True).run()
    for sql in (backfill.CAPTURES, backfill.REFUNDS, backfill.SCORES):
        await core_db.engine().run_ddl(sql)
    assert await _copies() == drained
