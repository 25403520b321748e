"""Read-only reporting SQL over the voucher's and the marketplace's tables — the one place the
organiser console reads them.

The follow-up needs aggregates over many rows (every capture of a county in a year) that no
service of theirs offers, so they are read here in plain SQL through the bound engine, the same on
SQLite and PostgreSQL. Nothing here writes; nothing else in ``admin`` touches another package's
tables. When the voucher or the marketplace offer these reads (docs/decisions/0020), a
function here becomes a delegation and its callers do not change.

Definitions the figures rest on (the same as the ledger's, see voucher.ledger):

* spending = captured − refunded, each counted when it happened (``created_at``); a refund belongs
  to the category, client group, provider and municipalities of the capture it returns;
* the category of a capture is the category bought (its authorisation's, i.e. the listing's), else
  its budget line's; "municipality" is where the service is (the listing's), "client
  municipality" where the client lives (the client's); '' when unknown;
* a line's held money excludes holds that expired but were not swept yet (voucher.ledger).
"""

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any

from piccolo.querystring import QueryString

from admin.domain import UNUSED_AFTER_PARTS, UNUSED_MIN_DAYS
from core import db
from core.ids import as_uuid

UTC = dt.timezone.utc


async def _rows(sql: str, *args: Any) -> list[dict]:
    return list(await db.engine().run_querystring(QueryString(sql, *args)) or [])


def as_datetime(value: Any) -> dt.datetime | None:
    """Timestamps come back as datetimes, or (SQLite, computed columns) as ISO text."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def in_list(values: Iterable[Any]) -> tuple[str, list]:
    """``IN (…)`` placeholders for a list of values (never empty: an impossible NULL instead)."""
    items = list(values)
    if not items:
        return "(NULL)", []
    return "(" + ", ".join("{}" for _ in items) + ")", items


# --- Spending: captures and refunds grouped by the dashboard's dimensions --------------------------

_CATEGORY = "COALESCE(NULLIF(a.category, ''), l.category, '')"
_DIMENSIONS = f"""
       c.organiser_id AS organiser_id, {_CATEGORY} AS category,
       COALESCE(cl.client_group, '') AS client_group, c.provider_id AS provider_id,
       COALESCE(li.municipality, '') AS municipality, COALESCE(cl.municipality, '') AS client_municipality"""
_CAPTURE_JOINS = """
LEFT JOIN vc_authorization a ON a.id = c.authorization_id
LEFT JOIN vc_budget_line l ON l.id = c.line_id
LEFT JOIN vc_client cl ON cl.id = c.client_id
LEFT JOIN mp_listing li ON li.id = a.listing_id"""


def _organiser_filter(column: str, organiser_id: Any) -> tuple[str, list]:
    if organiser_id is None:
        return "", []
    return f" AND {column} = {{}}", [as_uuid(organiser_id)]


async def spend_groups(since: dt.datetime, until: dt.datetime | None, organiser_id: Any = None) -> list[dict]:
    """Captured and refunded cents per (organiser, category, client group, provider, municipality)
    for rows created in [since, until) (``until`` None: no end)."""
    until_sql, until_args = (" AND {}.created_at < {{}}", [until]) if until else ("", [])
    org_c, org_c_args = _organiser_filter("c.organiser_id", organiser_id)
    org_r, org_r_args = _organiser_filter("r.organiser_id", organiser_id)
    captures = await _rows(
        f"""SELECT {_DIMENSIONS}, CAST(SUM(c.amount_cents) AS BIGINT) AS cents, COUNT(*) AS n
FROM vc_capture c {_CAPTURE_JOINS}
WHERE c.created_at >= {{}}{until_sql.format('c')}{org_c}
GROUP BY 1, 2, 3, 4, 5, 6""",
        since, *until_args, *org_c_args,
    )
    refunds = await _rows(
        f"""SELECT {_DIMENSIONS}, CAST(SUM(r.amount_cents) AS BIGINT) AS cents, COUNT(*) AS n
FROM vc_refund r JOIN vc_capture c ON c.id = r.capture {_CAPTURE_JOINS}
WHERE r.created_at >= {{}}{until_sql.format('r')}{org_r}
GROUP BY 1, 2, 3, 4, 5, 6""",
        since, *until_args, *org_r_args,
    )
    out: dict[tuple, dict] = {}
    for kind, rows in (("captured", captures), ("refunded", refunds)):
        for row in rows:
            key = (str(row["organiser_id"]), row["category"], row["client_group"],
                   str(row["provider_id"]) if row["provider_id"] else "", row["municipality"], row["client_municipality"])
            entry = out.setdefault(key, {"captured_cents": 0, "refunded_cents": 0, "captures": 0, "refunds": 0})
            entry[f"{kind}_cents"] += int(row["cents"] or 0)
            entry["captures" if kind == "captured" else "refunds"] += int(row["n"] or 0)
    return [
        {"organiser_id": k[0], "category": k[1], "client_group": k[2], "provider_id": k[3], "municipality": k[4],
         "client_municipality": k[5], **v}
        for k, v in out.items()
    ]


async def client_spend_groups(since: dt.datetime, until: dt.datetime | None, organiser_id: Any = None) -> list[dict]:
    """Net cents per (organiser, client, provider, category) for rows created in [since, until)."""
    until_sql, until_args = (" AND {}.created_at < {{}}", [until]) if until else ("", [])
    org_c, org_c_args = _organiser_filter("c.organiser_id", organiser_id)
    org_r, org_r_args = _organiser_filter("r.organiser_id", organiser_id)
    select = f"c.organiser_id AS organiser_id, c.client_id AS client_id, c.provider_id AS provider_id, {_CATEGORY} AS category"
    joins = """
LEFT JOIN vc_authorization a ON a.id = c.authorization_id
LEFT JOIN vc_budget_line l ON l.id = c.line_id"""
    captures = await _rows(
        f"""SELECT {select}, CAST(SUM(c.amount_cents) AS BIGINT) AS cents FROM vc_capture c {joins}
WHERE c.client_id IS NOT NULL AND c.created_at >= {{}}{until_sql.format('c')}{org_c} GROUP BY 1, 2, 3, 4""",
        since, *until_args, *org_c_args,
    )
    refunds = await _rows(
        f"""SELECT {select}, CAST(SUM(r.amount_cents) AS BIGINT) AS cents
FROM vc_refund r JOIN vc_capture c ON c.id = r.capture {joins}
WHERE c.client_id IS NOT NULL AND r.created_at >= {{}}{until_sql.format('r')}{org_r} GROUP BY 1, 2, 3, 4""",
        since, *until_args, *org_r_args,
    )
    out: dict[tuple, int] = {}
    for sign, rows in ((1, captures), (-1, refunds)):
        for row in rows:
            key = (str(row["organiser_id"]), str(row["client_id"]), str(row["provider_id"]), row["category"])
            out[key] = out.get(key, 0) + sign * int(row["cents"] or 0)
    return [
        {"organiser_id": k[0], "client_id": k[1], "provider_id": k[2], "category": k[3], "net_cents": v}
        for k, v in out.items()
    ]


async def first_money_movement() -> dt.datetime | None:
    """When the earliest capture or refund happened (where a first rollup starts)."""
    found = []
    for table in ("vc_capture", "vc_refund"):
        rows = await _rows(f"SELECT created_at FROM {table} ORDER BY created_at LIMIT 1")
        if rows:
            found.append(as_datetime(rows[0]["created_at"]))
    return min(found) if found else None


async def last_money_movement(since: dt.datetime) -> dt.datetime | None:
    found = []
    for table in ("vc_capture", "vc_refund"):
        rows = await _rows(f"SELECT created_at FROM {table} WHERE created_at >= {{}} ORDER BY created_at DESC LIMIT 1", since)
        if rows:
            found.append(as_datetime(rows[0]["created_at"]))
    return max(found) if found else None


# --- Goals (GAS) ---------------------------------------------------------------------------------

_SCORES = """
SELECT cl.id AS client_id, cl.organiser_id AS organiser_id, cl.client_group AS client_group,
       s.goal AS goal_id, s.score AS score, s.scored_at AS scored_at
FROM vc_goal_score s
JOIN vc_plan_goal g ON g.id = s.goal
JOIN vc_client_plan p ON p.id = g.plan
JOIN vc_client cl ON cl.id = p.client
"""


async def scores_of_clients_scored_between(since: dt.datetime | None, until: dt.datetime) -> list[dict]:
    """Every score of every client who got a score recorded in [since, until) (all clients when no
    since). Scores are read by when they were written down (``recorded_at``), not by the day of
    the assessment they record, which may lie in the past."""
    if since is None:
        return await _rows(_SCORES + "WHERE s.recorded_at < {}", until)
    return await _rows(
        _SCORES
        + """WHERE cl.id IN (SELECT p2.client FROM vc_goal_score s2 JOIN vc_plan_goal g2 ON g2.id = s2.goal
               JOIN vc_client_plan p2 ON p2.id = g2.plan WHERE s2.recorded_at >= {} AND s2.recorded_at < {})""",
        since, until,
    )


async def scores_of_clients(client_ids: list[Any]) -> list[dict]:
    placeholders, ids = in_list(reporting_ids(client_ids))
    return await _rows(_SCORES + f"WHERE cl.id IN {placeholders}", *ids)


async def client_goals(client_id: Any) -> list[dict]:
    """The client's goals with their scores, oldest score first."""
    return await _rows(
        """SELECT g.id AS goal_id, g.title AS title, g.levels AS levels, g.position AS position,
       s.score AS score, s.scored_at AS scored_at, s.note AS note
FROM vc_client_plan p JOIN vc_plan_goal g ON g.plan = p.id LEFT JOIN vc_goal_score s ON s.goal = g.id
WHERE p.client = {} ORDER BY g.position, g.created_at, s.scored_at""",
        as_uuid(client_id),
    )


# --- Budget lines ----------------------------------------------------------------------------------

_EXPIRED = """LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
           WHERE status = 'approved' AND expires_at <= {} GROUP BY line_id) x ON x.line_id = l.id"""
_LINE_COLUMNS = """l.id AS line_id, l.client_id AS client_id, l.category AS category, l.position AS position,
       l.granted_cents AS granted_cents, l.held_cents - COALESCE(x.expired, 0) AS held_cents,
       l.spent_cents AS spent_cents, d.id AS decision_id, d.start AS d_start, d."end" AS d_end"""


async def organiser_lines(organiser_id: Any, now: dt.datetime, *, valid_on: dt.date | None = None,
                          ended_from: dt.date | None = None, ended_to: dt.date | None = None) -> list[dict]:
    """Lines of the organiser's active decisions valid on ``valid_on``, or of those whose period
    ended between ``ended_from`` and ``ended_to`` (both days included)."""
    where = "d.organiser_id = {} AND d.status = 'active'"
    args: list = [now, as_uuid(organiser_id)]
    if valid_on is not None:
        where += ' AND d.start <= {} AND d."end" >= {}'
        args += [valid_on, valid_on]
    if ended_from is not None and ended_to is not None:
        where += ' AND d."end" >= {} AND d."end" <= {}'
        args += [ended_from, ended_to]
    return await _rows(
        f"""SELECT {_LINE_COLUMNS}, cl.client_group AS client_group
FROM vc_budget_line l JOIN vc_budget_decision d ON d.id = l.decision JOIN vc_client cl ON cl.id = l.client_id
{_EXPIRED}
WHERE {where}""",
        *args,
    )


def _days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from ``earlier`` to ``later`` (two date expressions; ``{}`` may stand
    for a date parameter). The one place the two databases need different words."""
    if db.is_sqlite():
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


_PROJECTED = """CASE WHEN el = 0 THEN u
                WHEN (2 * u * total + el) / (2 * el) > g THEN CASE WHEN g > u THEN g ELSE u END
                WHEN (2 * u * total + el) / (2 * el) > u THEN (2 * u * total + el) / (2 * el)
                ELSE u END"""
# The alerts of admin.domain.forecast, over the columns of ``_pace`` (the ``{}`` are the unused
# rule's days and parts of the period).
_RUNS_OUT = "total > el AND g > 0 AND (g - u <= 0 OR (u > 0 AND (g - u) * el < u * (total - el)))"
_UNUSED = "el > 0 AND g > 0 AND total > el AND u = 0 AND el >= {} AND {} * el >= total"
_UNDERUSED = f"el > 0 AND g > 0 AND total > el AND u > 0 AND {{}} * el >= total AND 2 * (g - ({_PROJECTED})) > g"


def _pace(organiser_id: Any, now: dt.datetime, today: dt.date) -> tuple[str, list]:
    """``WITH dd, x``: the organiser's decisions valid today with their day counts (once per
    decision), and each of their lines as x(client_id, g granted, h held, s spent, u used, total days,
    el elapsed days) — what admin.domain.forecast reads, materialised so no sum recomputes it."""
    total = _days_between('d."end"', "d.start") + " + 1"
    elapsed = _days_between("{}", "d.start") + " + 1"
    sql = f"""WITH dd AS MATERIALIZED (
    SELECT id, client, total, CASE WHEN el_raw < 0 THEN 0 WHEN el_raw > total THEN total ELSE el_raw END AS el
    FROM (SELECT d.id AS id, d.client AS client, {total} AS total, {elapsed} AS el_raw
          FROM vc_budget_decision d
          WHERE d.organiser_id = {{}} AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}) v
), x AS MATERIALIZED (
    SELECT dd.client AS client_id, l.granted_cents AS g, l.held_cents - COALESCE(e.expired, 0) AS h,
           l.spent_cents AS s, l.held_cents - COALESCE(e.expired, 0) + l.spent_cents AS u, dd.total AS total, dd.el AS el
    FROM dd JOIN vc_budget_line l ON l.decision = dd.id
    LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
               WHERE status = 'approved' AND expires_at <= {{}} GROUP BY line_id) e ON e.line_id = l.id
)
"""
    return sql, [today, as_uuid(organiser_id), today, today, now]


async def forecast_totals(organiser_id: Any, now: dt.datetime, today: dt.date) -> dict:
    """Sums over the lines of the organiser's decisions valid today of what admin.domain.forecast
    says of each line (the same integer rules, computed in the database so that a county's tens of
    thousands of lines are not carried to Python): granted, held, spent, available, used by the end
    at this pace, left unused, and how many lines run out, lie unused or are underused."""
    pace, args = _pace(organiser_id, now, today)
    rows = await _rows(
        pace + f"""SELECT COUNT(*) AS lines, (SELECT COUNT(DISTINCT client) FROM dd) AS clients,
       CAST(COALESCE(SUM(g), 0) AS BIGINT) AS granted_cents, CAST(COALESCE(SUM(h), 0) AS BIGINT) AS held_cents,
       CAST(COALESCE(SUM(s), 0) AS BIGINT) AS spent_cents, CAST(COALESCE(SUM(g - u), 0) AS BIGINT) AS available_cents,
       CAST(COALESCE(SUM({_PROJECTED}), 0) AS BIGINT) AS forecast_used_cents,
       CAST(COALESCE(SUM(CASE WHEN {_RUNS_OUT} THEN 1 ELSE 0 END), 0) AS BIGINT) AS runs_out,
       CAST(COALESCE(SUM(CASE WHEN {_UNUSED} THEN 1 ELSE 0 END), 0) AS BIGINT) AS unused,
       CAST(COALESCE(SUM(CASE WHEN {_UNDERUSED} THEN 1 ELSE 0 END), 0) AS BIGINT) AS underused
FROM x""",
        *args, UNUSED_MIN_DAYS, UNUSED_AFTER_PARTS, UNUSED_AFTER_PARTS,
    )
    totals = {k: int(v or 0) for k, v in rows[0].items()}
    # Σ(g − projected) = Σg − Σprojected: one evaluation of the projection per line fewer.
    totals["forecast_unused_cents"] = totals["granted_cents"] - totals["forecast_used_cents"]
    return totals


async def clients_per_group(organiser_id: Any, first_day: dt.date, last_day: dt.date) -> dict[str, int]:
    """Budget holders per client group: clients with an active decision overlapping the days."""
    rows = await _rows(
        """SELECT cl.client_group AS client_group, COUNT(*) AS n FROM vc_client cl
WHERE cl.organiser_id = {} AND EXISTS (
    SELECT 1 FROM vc_budget_decision d
    WHERE d.client = cl.id AND d.status = 'active' AND d.start <= {} AND d."end" >= {})
GROUP BY 1""",
        as_uuid(organiser_id), last_day, first_day,
    )
    return {row["client_group"]: int(row["n"]) for row in rows}


async def ended_decisions(organiser_id: Any, now: dt.datetime, first_day: dt.date, last_day: dt.date) -> dict:
    """The organiser's decisions whose period ended between the days: granted, used, left unused."""
    rows = await _rows(
        """SELECT COUNT(DISTINCT d.id) AS decisions, CAST(COALESCE(SUM(l.granted_cents), 0) AS BIGINT) AS granted_cents,
       CAST(COALESCE(SUM(l.spent_cents + l.held_cents - COALESCE(e.expired, 0)), 0) AS BIGINT) AS used_cents
FROM vc_budget_decision d JOIN vc_budget_line l ON l.decision = d.id
LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
           WHERE status = 'approved' AND expires_at <= {} GROUP BY line_id) e ON e.line_id = l.id
WHERE d.organiser_id = {} AND d.status = 'active' AND d."end" >= {} AND d."end" <= {}""",
        now, as_uuid(organiser_id), first_day, last_day,
    )
    row = {k: int(v or 0) for k, v in rows[0].items()}
    return {**row, "unused_cents": row["granted_cents"] - row["used_cents"]}


async def caseload_clients(organiser_id: Any, now: dt.datetime, today: dt.date, *, counsellor_id: Any = None,
                           client_group: str | None = None, name_like: str | None = None, alerts_only: bool = False,
                           limit: int = 20, offset: int = 0) -> tuple[int, list[str]]:
    """One page of the caseload's clients (by pseudonym) and how many match in all. With
    ``alerts_only``, only clients a line of whose decision valid today has an alert."""
    pace, args = _pace(organiser_id, now, today) if alerts_only else ("", [])
    where = "cl.organiser_id = {}"
    args.append(as_uuid(organiser_id))
    if counsellor_id is not None:
        where += " AND cl.counsellor_id = {}"
        args.append(as_uuid(counsellor_id))
    if client_group:
        where += " AND cl.client_group = {}"
        args.append(client_group)
    if name_like:
        where += " AND LOWER(cl.display_name) LIKE {}"
        args.append("%" + name_like.lower().replace("%", "").replace("_", "") + "%")
    if alerts_only:
        where += f" AND cl.id IN (SELECT client_id FROM x WHERE ({_RUNS_OUT}) OR ({_UNUSED}) OR ({_UNDERUSED}))"
        args += [UNUSED_MIN_DAYS, UNUSED_AFTER_PARTS, UNUSED_AFTER_PARTS]
    rows = await _rows(
        pace + f"""SELECT cl.id AS id, COUNT(*) OVER () AS total FROM vc_client cl WHERE {where}
ORDER BY cl.display_name, cl.id LIMIT {{}} OFFSET {{}}""",
        *args, limit, offset,
    )
    if not rows and offset:
        count = await _rows(pace + f"SELECT COUNT(*) AS total FROM vc_client cl WHERE {where}", *args)
        return int(count[0]["total"]), []
    return (int(rows[0]["total"]) if rows else 0), [str(r["id"]) for r in rows]


async def caseload(client_ids: list[Any], now: dt.datetime, today: dt.date) -> list[dict]:
    """These clients with the lines of their decision valid today (a client without one has a
    single row with no line), by pseudonym."""
    placeholders, ids = in_list(reporting_ids(client_ids))
    return await _rows(
        f"""SELECT cl.id AS cid, cl.display_name AS display_name, cl.client_group AS client_group,
       cl.counsellor_id AS counsellor_id, {_LINE_COLUMNS}
FROM vc_client cl
LEFT JOIN vc_budget_decision d ON d.client = cl.id AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}
LEFT JOIN vc_budget_line l ON l.decision = d.id
{_EXPIRED}
WHERE cl.id IN {placeholders}
ORDER BY cl.display_name, cl.id, d.start, l.position""",
        today, today, now, *ids,
    )


async def client_row(client_id: Any) -> dict | None:
    rows = await _rows(
        "SELECT id, organiser_id, display_name, client_group, counsellor_id, language FROM vc_client WHERE id = {}",
        as_uuid(client_id),
    )
    return rows[0] if rows else None


async def client_movements(client_id: Any, since: dt.datetime) -> list[dict]:
    """The client's captures (positive) and refunds (negative) since ``since``, oldest first."""
    base = f"""SELECT c.id AS capture_id, c.line_id AS line_id, c.provider_id AS provider_id,
       {_CATEGORY} AS category, COALESCE(li.title_fi, '') AS listing_title, p.name AS provider_name"""
    joins = """LEFT JOIN vc_authorization a ON a.id = c.authorization_id
LEFT JOIN vc_budget_line l ON l.id = c.line_id
LEFT JOIN mp_listing li ON li.id = a.listing_id
LEFT JOIN mp_provider p ON p.id = c.provider_id"""
    captures = await _rows(
        f"""{base}, c.created_at AS at, c.amount_cents AS amount_cents FROM vc_capture c {joins}
WHERE c.client_id = {{}} AND c.created_at >= {{}}""",
        as_uuid(client_id), since,
    )
    refunds = await _rows(
        f"""{base}, r.created_at AS at, r.amount_cents AS amount_cents FROM vc_refund r
JOIN vc_capture c ON c.id = r.capture {joins}
WHERE c.client_id = {{}} AND r.created_at >= {{}}""",
        as_uuid(client_id), since,
    )
    out = [{**row, "kind": "capture", "at": as_datetime(row["at"])} for row in captures]
    out += [{**row, "kind": "refund", "at": as_datetime(row["at"]), "amount_cents": -row["amount_cents"]} for row in refunds]
    out.sort(key=lambda row: row["at"])
    return out


async def budget_holders(client_ids: list[Any], first_day: dt.date, last_day: dt.date) -> dict[str, str]:
    """Of these clients, those with an active decision overlapping the days: id → client group."""
    placeholders, ids = in_list(reporting_ids(client_ids))
    rows = await _rows(
        f"""SELECT DISTINCT cl.id AS id, cl.client_group AS client_group
FROM vc_client cl JOIN vc_budget_decision d ON d.client = cl.id
WHERE cl.id IN {placeholders} AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}""",
        *ids, last_day, first_day,
    )
    return {str(r["id"]): r["client_group"] for r in rows}


async def gas_of_budget_holders(organiser_id: Any, first_day: dt.date, last_day: dt.date,
                                exclude: list[Any]) -> dict[str, list[int]]:
    """[clients, sum of GAS change (hundredths)] per client group over the budget holders of the
    days who have a GAS change rolled up (admin.rollup), leaving out ``exclude``."""
    placeholders, excluded = in_list(reporting_ids(exclude))
    not_in = f" AND g.id NOT IN {placeholders}" if exclude else ""
    rows = await _rows(
        f"""SELECT g.client_group AS client_group, COUNT(*) AS n, CAST(SUM(g.change_x100) AS BIGINT) AS change_sum
FROM ad_client_gas g
WHERE g.organiser_id = {{}} AND g.goals > 0{not_in} AND g.id IN (
    SELECT d.client FROM vc_budget_decision d
    WHERE d.organiser_id = {{}} AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}})
GROUP BY 1""",
        as_uuid(organiser_id), *(excluded if exclude else []), as_uuid(organiser_id), last_day, first_day,
    )
    return {r["client_group"]: [int(r["n"]), int(r["change_sum"] or 0)] for r in rows}


def reporting_ids(values: Iterable[Any]) -> list[uuid.UUID]:
    return [i for i in (as_uuid(v) for v in values) if i]


# --- Names -----------------------------------------------------------------------------------------


async def provider_names(provider_ids: Iterable[Any] | None = None) -> dict[str, str]:
    ids = [i for i in (as_uuid(x) for x in (provider_ids or [])) if i]
    if provider_ids is not None and not ids:
        return {}
    if provider_ids is None:
        rows = await _rows("SELECT id, name FROM mp_provider")
    else:
        placeholders, args = in_list(ids)
        rows = await _rows(f"SELECT id, name FROM mp_provider WHERE id IN {placeholders}", *args)
    return {str(row["id"]): row["name"] for row in rows}


async def organiser_names() -> dict[str, str]:
    return {str(row["id"]): row["name"] for row in await _rows("SELECT id, name FROM mp_organiser")}


# --- What the anomaly rules look at ------------------------------------------------------------------


async def captured_authorisations(organiser_id: Any, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Authorisations naming a listing that got a capture in [since, until), with everything
    captured on them so far and the listing's price as the organiser approved it."""
    rows = await _rows(
        """SELECT a.id AS authorization_id, a.client_id AS client_id, a.provider_id AS provider_id,
       a.listing_id AS listing_id, a.amount_cents AS authorised_cents, a.organiser_id AS organiser_id,
       li.title_fi AS title, li.unit AS unit, li.price_cents AS listing_price_cents, rev.content AS content,
       c.id AS capture_id, c.amount_cents AS amount_cents, c.created_at AS at
FROM vc_authorization a
JOIN vc_capture c ON c.authorization_id = a.id
JOIN mp_listing li ON li.id = a.listing_id
LEFT JOIN mp_listing_approval ap ON ap.listing = a.listing_id AND ap.organiser = a.organiser_id
LEFT JOIN mp_listing_revision rev ON rev.id = ap.live_revision
WHERE a.organiser_id = {} AND a.listing_id IS NOT NULL AND a.id IN (
    SELECT c2.authorization_id FROM vc_capture c2
    WHERE c2.organiser_id = {} AND c2.created_at >= {} AND c2.created_at < {} AND c2.authorization_id IS NOT NULL)
ORDER BY a.id, c.created_at""",
        as_uuid(organiser_id), as_uuid(organiser_id), since, until,
    )
    grouped: dict[str, dict] = {}
    for row in rows:
        entry = grouped.get(str(row["authorization_id"]))
        if entry is None:
            content = _json(row["content"]) or {}
            price = content.get("price_cents", row["listing_price_cents"])
            entry = grouped[str(row["authorization_id"])] = {
                "authorization_id": str(row["authorization_id"]), "client_id": str(row["client_id"]),
                "provider_id": str(row["provider_id"]), "listing_id": str(row["listing_id"]),
                "title": (content.get("title") or {}).get("fi") or row["title"],
                "unit": content.get("unit", row["unit"]), "price_cents": int(price),
                "authorised_cents": row["authorised_cents"], "captures": [],
            }
        entry["captures"].append({"id": str(row["capture_id"]), "amount_cents": row["amount_cents"],
                                  "at": as_datetime(row["at"])})
    return list(grouped.values())


async def captures_between(organiser_id: Any, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """The organiser's captures in [since, until), with the source of their authorisation."""
    rows = await _rows(
        """SELECT c.id AS capture_id, c.client_id AS client_id, c.provider_id AS provider_id, c.amount_cents AS amount_cents,
       c.created_at AS at, c.authorization_id AS authorization_id, a.source AS source, a.listing_id AS listing_id,
       c.flag AS flag
FROM vc_capture c LEFT JOIN vc_authorization a ON a.id = c.authorization_id
WHERE c.organiser_id = {} AND c.created_at >= {} AND c.created_at < {}
ORDER BY c.created_at""",
        as_uuid(organiser_id), since, until,
    )
    return [{**row, "at": as_datetime(row["at"])} for row in rows]


async def proxies_who_are_provider_staff(organiser_id: Any, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Captures in [since, until) paid to a provider where an active proxy of the client works
    (the proxy's account is scoped to that provider, or its e-mail is the provider's own)."""
    rows = await _rows(
        """SELECT c.id AS capture_id, c.client_id AS client_id, c.provider_id AS provider_id,
       c.amount_cents AS amount_cents, c.created_at AS at, g.id AS grant_id, g.granted_at AS granted_at,
       u.id AS proxy_user_id, u.display_name AS proxy_name, u.provider_id AS proxy_provider_id,
       LOWER(u.email) = LOWER(p.email) AS same_email
FROM vc_capture c
JOIN vc_proxy_grant g ON g.client = c.client_id AND g.revoked_at IS NULL
JOIN hb_user u ON u.id = g.proxy_user_id
JOIN mp_provider p ON p.id = c.provider_id
WHERE c.organiser_id = {} AND c.created_at >= {} AND c.created_at < {}
  AND (u.provider_id = c.provider_id OR LOWER(u.email) = LOWER(p.email))
ORDER BY c.created_at""",
        as_uuid(organiser_id), since, until,
    )
    return [{**row, "at": as_datetime(row["at"]), "granted_at": as_datetime(row["granted_at"])} for row in rows]


async def batches_to_changed_accounts(organiser_id: Any, since: dt.datetime) -> list[dict]:
    """Settlement batches created since ``since`` to providers that have ever changed their IBAN."""
    placeholder = "" if organiser_id is None else " AND b.organiser_id = {}"
    args = [since] + ([] if organiser_id is None else [as_uuid(organiser_id)])
    rows = await _rows(
        f"""SELECT b.id AS batch_id, b.organiser_id AS organiser_id, b.provider_id AS provider_id,
       b.total_cents AS total_cents, b.reference AS reference, b.status AS status, b.method AS method,
       b.created_at AS created_at, b.period_start AS period_start, b.period_end AS period_end,
       p.name AS provider_name, p.iban AS iban, p.iban_changed_at AS iban_changed_at
FROM vc_settlement_batch b JOIN mp_provider p ON p.id = b.provider_id
WHERE p.iban_changed_at IS NOT NULL AND b.created_at >= {{}}{placeholder}
ORDER BY b.created_at""",
        *args,
    )
    return [{**row, "created_at": as_datetime(row["created_at"]),
             "iban_changed_at": as_datetime(row["iban_changed_at"])} for row in rows]


async def batches(batch_ids: Iterable[Any]) -> list[dict]:
    placeholders, args = in_list(i for i in (as_uuid(x) for x in batch_ids) if i)
    rows = await _rows(
        f"""SELECT b.id AS batch_id, b.organiser_id AS organiser_id, b.provider_id AS provider_id,
       b.total_cents AS total_cents, b.reference AS reference, b.status AS status, b.created_at AS created_at,
       p.name AS provider_name, p.iban AS iban, p.iban_changed_at AS iban_changed_at
FROM vc_settlement_batch b JOIN mp_provider p ON p.id = b.provider_id WHERE b.id IN {placeholders}""",
        *args,
    )
    return [{**row, "created_at": as_datetime(row["created_at"]),
             "iban_changed_at": as_datetime(row["iban_changed_at"])} for row in rows]
