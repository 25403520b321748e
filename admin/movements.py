"""Reads over the console's copies of the voucher's payments and goal scores (``ad_movement``,
``ad_goal_score``; admin.facts keeps them): money per dimension, a client's payments, captures for
the anomaly rules, goal scores for GAS.

Definitions the figures rest on (the same as the ledger's, see voucher.ledger): spending = captured
− refunded, each counted when it happened (``created_at``); a refund belongs to the dimensions of
the capture it returns (admin.tables.Movement). The copies are exact once the waiting facts are
applied: callers run ``admin.facts.drain`` first.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from admin.rows import as_datetime, in_list, select
from admin.tables import GoalScoreRecord, Movement
from core.ids import as_uuid, as_uuids

MOVEMENTS = Movement._meta.tablename
SCORES = GoalScoreRecord._meta.tablename
_SIGNED = "CASE WHEN kind = 'refund' THEN -amount_cents ELSE amount_cents END"


def _window(since: dt.datetime, until: dt.datetime | None, organiser_id: Any) -> tuple[str, list]:
    where, args = "created_at >= {}", [since]
    if until is not None:
        where += " AND created_at < {}"
        args.append(until)
    if organiser_id is not None:
        where += " AND organiser_id = {}"
        args.append(as_uuid(organiser_id))
    return where, args


async def spend_groups(since: dt.datetime, until: dt.datetime | None, organiser_id: Any = None) -> list[dict]:
    """Captured and refunded cents (and how many of each) per (organiser, category, client group,
    provider, municipality, client municipality) for movements in [since, until) (``until`` None:
    no end)."""
    where, args = _window(since, until, organiser_id)
    rows = await select(
        f"""SELECT organiser_id, category, client_group, provider_id, municipality, client_municipality,
       CAST(SUM(CASE WHEN kind = 'capture' THEN amount_cents ELSE 0 END) AS BIGINT) AS captured_cents,
       CAST(SUM(CASE WHEN kind = 'refund' THEN amount_cents ELSE 0 END) AS BIGINT) AS refunded_cents,
       SUM(CASE WHEN kind = 'capture' THEN 1 ELSE 0 END) AS captures,
       SUM(CASE WHEN kind = 'refund' THEN 1 ELSE 0 END) AS refunds
FROM {MOVEMENTS} WHERE {where}
GROUP BY organiser_id, category, client_group, provider_id, municipality, client_municipality""",
        *args,
    )
    return [
        {"organiser_id": str(r["organiser_id"]), "category": r["category"], "client_group": r["client_group"],
         "provider_id": str(r["provider_id"]) if r["provider_id"] else "", "municipality": r["municipality"],
         "client_municipality": r["client_municipality"], "captured_cents": int(r["captured_cents"] or 0),
         "refunded_cents": int(r["refunded_cents"] or 0), "captures": int(r["captures"] or 0),
         "refunds": int(r["refunds"] or 0)}
        for r in rows
    ]


async def client_spend_groups(since: dt.datetime, until: dt.datetime | None, organiser_id: Any = None) -> list[dict]:
    """Net cents per (organiser, client, provider, category) for movements in [since, until)."""
    where, args = _window(since, until, organiser_id)
    rows = await select(
        f"""SELECT organiser_id, client_id, provider_id, category, CAST(SUM({_SIGNED}) AS BIGINT) AS net_cents
FROM {MOVEMENTS} WHERE client_id IS NOT NULL AND {where}
GROUP BY organiser_id, client_id, provider_id, category""",
        *args,
    )
    return [{"organiser_id": str(r["organiser_id"]), "client_id": str(r["client_id"]), "provider_id": str(r["provider_id"]),
             "category": r["category"], "net_cents": int(r["net_cents"] or 0)} for r in rows]


async def first_money_movement() -> dt.datetime | None:
    """When the earliest capture or refund happened (where a first rollup starts)."""
    rows = await select(f"SELECT MIN(created_at) AS first FROM {MOVEMENTS}")
    return as_datetime(rows[0]["first"]) if rows and rows[0]["first"] is not None else None


async def client_movements(client_id: Any, since: dt.datetime) -> list[dict]:
    """The client's captures (positive) and refunds (negative) since ``since``, oldest first."""
    rows = await select(
        f"""SELECT capture_id, kind, line_id, provider_id, listing_id, category, created_at AS at, {_SIGNED} AS amount_cents
FROM {MOVEMENTS} WHERE client_id = {{}} AND created_at >= {{}} ORDER BY created_at""",
        as_uuid(client_id), since,
    )
    return [{**r, "at": as_datetime(r["at"]), "amount_cents": int(r["amount_cents"])} for r in rows]


async def captures_between(organiser_id: Any, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """The organiser's captures in [since, until), oldest first, with their authorisation's source."""
    rows = await select(
        f"""SELECT id AS capture_id, client_id, provider_id, amount_cents, created_at AS at, authorization_id, source,
       listing_id, flag
FROM {MOVEMENTS} WHERE kind = 'capture' AND organiser_id = {{}} AND created_at >= {{}} AND created_at < {{}}
ORDER BY created_at""",
        as_uuid(organiser_id), since, until,
    )
    return [{**r, "at": as_datetime(r["at"])} for r in rows]


async def captures_of_listed_authorisations(organiser_id: Any, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Every capture so far of the organiser's authorisations that name a listing and got a
    capture in [since, until), by authorisation and time."""
    rows = await select(
        f"""SELECT authorization_id, client_id, provider_id, listing_id, authorised_cents, id AS capture_id,
       amount_cents, created_at AS at
FROM {MOVEMENTS}
WHERE kind = 'capture' AND organiser_id = {{}} AND authorization_id IN (
    SELECT authorization_id FROM {MOVEMENTS}
    WHERE kind = 'capture' AND organiser_id = {{}} AND listing_id IS NOT NULL AND created_at >= {{}} AND created_at < {{}}
      AND authorization_id IS NOT NULL)
ORDER BY authorization_id, created_at""",
        as_uuid(organiser_id), as_uuid(organiser_id), since, until,
    )
    return [{**r, "at": as_datetime(r["at"])} for r in rows]


# --- Goal scores (GAS) -------------------------------------------------------------------------------

_SCORE_COLUMNS = "client_id, organiser_id, client_group, goal_id, score, scored_at"


async def scores_of_clients_scored_between(since: dt.datetime | None, until: dt.datetime) -> list[dict]:
    """Every score of every client who got a score recorded in [since, until) (all clients when no
    since). Scores are read by when they were written down (``recorded_at``), not by the day of
    the assessment they record, which may lie in the past."""
    if since is None:
        return await select(f"SELECT {_SCORE_COLUMNS} FROM {SCORES} WHERE recorded_at < {{}}", until)
    return await select(
        f"""SELECT {_SCORE_COLUMNS} FROM {SCORES} WHERE client_id IN (
    SELECT client_id FROM {SCORES} WHERE recorded_at >= {{}} AND recorded_at < {{}})""",
        since, until,
    )


async def scores_of_clients(client_ids: Iterable[Any]) -> list[dict]:
    placeholders, found = in_list(as_uuids(client_ids))
    return await select(f"SELECT {_SCORE_COLUMNS} FROM {SCORES} WHERE client_id IN {placeholders}", *found)
