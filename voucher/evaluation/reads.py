"""Every read the evaluation dashboard, the pilot report and the research export make of the
voucher's tables, in one place: these are the queries to point at a reporting replica. Each takes
the organiser and returns plain rows (ids as text, days as dates, money as integer cents); none
writes. The questionnaire answers and consents come through ``voucher.evaluation.outcomes``.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from piccolo.querystring import QueryString

from core import db
from core.clock import HELSINKI
from core.ids import as_uuid
from voucher.evaluation import outcomes

UTC = dt.timezone.utc


async def select(sql: str, *args: Any) -> list[dict]:
    """The one way this module reads: plain SQL through the bound engine (a replica's, later)."""
    return list(await db.engine().run_querystring(QueryString(sql, *args)) or [])


def _in(values: list) -> str:
    return "(" + ", ".join("{}" for _ in values) + ")" if values else "(NULL)"


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def helsinki_month(moment: dt.datetime) -> dt.date:
    return moment.astimezone(HELSINKI).date().replace(day=1)


# --- HB clients -------------------------------------------------------------------------------------


async def hb_clients(organiser_id: str) -> dict[str, dict]:
    """The county's clients: id → client group, municipality, age band ("" when not recorded)."""
    rows = await select(
        """SELECT cl.id AS id, cl.client_group AS client_group, cl.municipality AS municipality,
       COALESCE(ab.age_band, '') AS age_band
FROM vc_client cl LEFT JOIN vc_client_age_band ab ON ab.client_id = cl.id
WHERE cl.organiser_id = {}""", as_uuid(organiser_id))
    return {str(r["id"]): {"client_group": r["client_group"], "municipality": r["municipality"] or "",
                           "age_band": r["age_band"] or ""} for r in rows}


async def decisions(organiser_id: str) -> list[dict]:
    """The county's active budget decisions: client, period and the whole granted amount."""
    rows = await select(
        """SELECT d.id AS id, d.client AS client_id, d.start AS start, d."end" AS "end",
       COALESCE(SUM(l.granted_cents), 0) AS granted_cents
FROM vc_budget_decision d LEFT JOIN vc_budget_line l ON l.decision = d.id
WHERE d.organiser_id = {} AND d.status = 'active'
GROUP BY d.id, d.client, d.start, d."end\"""", as_uuid(organiser_id))
    return [{"id": str(r["id"]), "client_id": str(r["client_id"]), "start": _day(r["start"]), "end": _day(r["end"]),
             "granted_cents": int(r["granted_cents"])} for r in rows]


async def spending(organiser_id: str, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """What the budgets paid in [start, end): each capture (+) and refund (−) with its client, the
    category bought and its Helsinki month (a refund in the month it was made)."""
    captures = await select(
        """SELECT c.client_id AS client_id, c.amount_cents AS cents, c.created_at AS at, COALESCE(a.category, '') AS category
FROM vc_capture c LEFT JOIN vc_authorization a ON a.id = c.authorization_id
WHERE c.organiser_id = {} AND c.client_id IS NOT NULL AND c.created_at >= {} AND c.created_at < {}""",
        as_uuid(organiser_id), start, end)
    refunds = await select(
        """SELECT c.client_id AS client_id, r.amount_cents AS cents, r.created_at AS at, COALESCE(a.category, '') AS category
FROM vc_refund r JOIN vc_capture c ON c.id = r.capture LEFT JOIN vc_authorization a ON a.id = c.authorization_id
WHERE r.organiser_id = {} AND c.client_id IS NOT NULL AND r.created_at >= {} AND r.created_at < {}""",
        as_uuid(organiser_id), start, end)
    return [{"client_id": str(r["client_id"]), "category": r["category"], "month": helsinki_month(_instant(r["at"])),
             "cents": sign * int(r["cents"])} for sign, rows in ((1, captures), (-1, refunds)) for r in rows]


async def goal_scores(organiser_id: str, client_ids: Iterable[str] | None = None) -> list[dict]:
    """Every GAS score of the county's clients' goals (client, goal, score, when scored)."""
    ids = [as_uuid(c) for c in client_ids] if client_ids is not None else None
    where = f" AND cl.id IN {_in(ids)}" if ids is not None else ""
    rows = await select(
        f"""SELECT cl.id AS client_id, g.id AS goal_id, s.score AS score, s.scored_at AS scored_at
FROM vc_goal_score s JOIN vc_plan_goal g ON g.id = s.goal JOIN vc_client_plan p ON p.id = g.plan
JOIN vc_client cl ON cl.id = p.client
WHERE cl.organiser_id = {{}}{where}""", as_uuid(organiser_id), *(ids or []))
    return [{"client_id": str(r["client_id"]), "goal_id": str(r["goal_id"]), "score": int(r["score"]),
             "scored_at": _instant(r["scored_at"])} for r in rows]


# --- Administrative time ----------------------------------------------------------------------------


async def time_entries(organiser_id: str, first_day: dt.date, last_day: dt.date) -> list[dict]:
    """Minutes logged on the days: client ("" for a task without one), day, kind, minutes."""
    rows = await select(
        """SELECT client_id, worked_on, kind, minutes FROM vc_time_entry
WHERE organiser_id = {} AND worked_on >= {} AND worked_on <= {}""", as_uuid(organiser_id), first_day, last_day)
    return [{"client_id": str(r["client_id"]) if r["client_id"] else "", "worked_on": _day(r["worked_on"]),
             "kind": r["kind"], "minutes": int(r["minutes"])} for r in rows]


# --- The comparison group -------------------------------------------------------------------------


async def comparison(organiser_id: str, first_day: dt.date, last_day: dt.date) -> list[dict]:
    """The comparison clients with their months in the period: per client its facts and outcomes,
    and ``months`` [(month, service cost cents, admin minutes)]. Clients without a month in the
    period are left out."""
    organiser = as_uuid(organiser_id)
    months = await select(
        """SELECT comparison_client_id AS client_id, month, service_cost_cents, admin_minutes FROM vc_comparison_month
WHERE organiser_id = {} AND month >= {} AND month <= {}""", organiser, first_day.replace(day=1), last_day)
    by_client: dict[str, list] = {}
    for r in months:
        by_client.setdefault(str(r["client_id"]), []).append(
            (_day(r["month"]), int(r["service_cost_cents"]), int(r["admin_minutes"])))
    clients = await select(
        """SELECT id, pseudonym, client_group, municipality, age_band, who5_start, who5_end, satisfaction_x100, gas_change_x100
FROM vc_comparison_client WHERE organiser_id = {}""", organiser)
    return [{**{k: r[k] for k in ("pseudonym", "client_group", "municipality", "age_band", "who5_start", "who5_end",
                                  "satisfaction_x100", "gas_change_x100")},
             "id": str(r["id"]), "months": sorted(by_client[str(r["id"])])}
            for r in clients if str(r["id"]) in by_client]


async def comparison_size(organiser_id: str) -> tuple[int, int]:
    """How many comparison clients and client-months the county has imported."""
    rows = await select(
        """SELECT (SELECT COUNT(*) FROM vc_comparison_client WHERE organiser_id = {}) AS clients,
       (SELECT COUNT(*) FROM vc_comparison_month WHERE organiser_id = {}) AS months""",
        as_uuid(organiser_id), as_uuid(organiser_id))
    return int(rows[0]["clients"]), int(rows[0]["months"])


# --- Consent and questionnaire answers (voucher.evaluation.outcomes) -----------------------------------


async def consenting(organiser_id: str) -> set[str]:
    """The county's clients whose research consent is in force now."""
    return {str(c) for c in await outcomes.consenting_client_ids(organiser_id)}


async def answers(organiser_id: str) -> list:
    """Every scored questionnaire answer of the county's clients (``outcomes.OutcomeAnswer``)."""
    return list(await outcomes.outcome_answers(organiser_id))
