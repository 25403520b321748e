"""What the voucher tells the organiser console live, as typed rows: the caseload (a page of an
organiser's clients and the lines of their decision valid today), budget holders per client group,
decisions that ended, clients' names and groups, settlement batches, and the quantity each card
payment was for.

The console keeps the history it sums (payments, goal scores) in tables of its own, filled from the
voucher's facts (voucher.facts); what must be exact *now* — money held and left on each line, who
holds a decision today, which batch awaits payment — it asks here. Nothing here checks who may see
what or writes the access log: the console does, for the clients it shows.

Held money excludes holds that expired but were not swept yet (voucher.ledger).
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import db
from core.ids import as_uuids, require_uuid
from voucher import pace
from voucher.caseload import CaseloadScope
from voucher.tables import Authorization, Client, SettlementBatch


def _in(values: list) -> str:
    return "(" + ", ".join("{}" for _ in values) + ")" if values else "(NULL)"


async def _rows(sql: str, *args: Any) -> list[dict]:
    return list(await db.engine().run_querystring(QueryString(sql, *args)) or [])


# --- Clients ----------------------------------------------------------------------------------------


class ClientBrief(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    organiser_id: str
    display_name: str  # a pseudonym, never the person's name
    client_group: str
    municipality: str
    counsellor_id: str | None


async def clients(client_ids: Iterable[Any]) -> dict[str, ClientBrief]:
    """These clients by id (unknown ids are left out)."""
    ids = as_uuids(client_ids)
    if not ids:
        return {}
    rows = await Client.select(Client.id, Client.organiser_id, Client.display_name, Client.client_group,
                               Client.municipality, Client.counsellor_id).where(Client.id.is_in(ids)).run()
    return {str(r["id"]): ClientBrief(id=str(r["id"]), organiser_id=str(r["organiser_id"]), display_name=r["display_name"],
                                      client_group=r["client_group"], municipality=r["municipality"] or "",
                                      counsellor_id=str(r["counsellor_id"]) if r["counsellor_id"] else None)
            for r in rows}


async def client_ids_of(organiser_id: Any) -> list[str]:
    """Every client of the organiser, by id."""
    rows = await Client.select(Client.id).where(Client.organiser_id == require_uuid(organiser_id)).run()
    return [str(r["id"]) for r in rows]


class CaseloadPage(msgspec.Struct, frozen=True, kw_only=True):
    total: int  # how many clients match in all
    client_ids: list[str]  # this page, by pseudonym


async def caseload_page(organiser_id: Any, now: dt.datetime, today: dt.date, *, scope: CaseloadScope,
                        client_group: str | None = None, name_like: str | None = None, alerts_only: bool = False,
                        limit: int = 20, offset: int = 0) -> CaseloadPage:
    """One page of the organiser's clients in ``scope`` (voucher.caseload.scope_for, as the
    counsellor's client list) by pseudonym, and how many match in all. With ``alerts_only``, only
    clients a line of whose decision valid today has an alert (voucher.pace)."""
    lines, args = pace.lines_sql(organiser_id, now, today) if alerts_only else ("", [])
    where = "cl.organiser_id = {}"
    args.append(require_uuid(organiser_id))
    if scope.counsellor_id is not None:
        where += " AND cl.counsellor_id = {}"
        args.append(require_uuid(scope.counsellor_id))
    elif scope.unassigned:
        where += " AND cl.counsellor_id IS NULL"
    if client_group:
        where += " AND cl.client_group = {}"
        args.append(client_group)
    if name_like:
        where += " AND LOWER(cl.display_name) LIKE {}"
        args.append("%" + name_like.lower().replace("%", "").replace("_", "") + "%")
    if alerts_only:
        alert, alert_args = pace.with_alert_sql()
        where += f" AND cl.id IN (SELECT client_id FROM x WHERE {alert})"
        args += alert_args
    rows = await _rows(
        lines + f"""SELECT cl.id AS id, COUNT(*) OVER () AS total FROM vc_client cl WHERE {where}
ORDER BY cl.display_name, cl.id LIMIT {{}} OFFSET {{}}""",
        *args, limit, offset,
    )
    if not rows and offset:
        count = await _rows(lines + f"SELECT COUNT(*) AS total FROM vc_client cl WHERE {where}", *args)
        return CaseloadPage(total=int(count[0]["total"]), client_ids=[])
    return CaseloadPage(total=int(rows[0]["total"]) if rows else 0, client_ids=[str(r["id"]) for r in rows])


class CaseloadLine(msgspec.Struct, frozen=True, kw_only=True):
    """A client with one line of their decision valid today; a client without one has a single
    row with no line (``line_id`` None and zeros)."""

    client_id: str
    display_name: str
    client_group: str
    counsellor_id: str | None
    decision_id: str | None
    start: dt.date | None
    end: dt.date | None
    line_id: str | None
    category: str
    granted_cents: int
    held_cents: int  # expired holds left out
    spent_cents: int


_EXPIRED = """LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
           WHERE status = 'approved' AND expires_at <= {} GROUP BY line_id) x ON x.line_id = l.id"""


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    return dt.date.fromisoformat(str(value)[:10])


async def caseload_lines(client_ids: Iterable[Any], now: dt.datetime, today: dt.date) -> list[CaseloadLine]:
    """These clients with the lines of their decisions valid today, by pseudonym, each client's
    decisions by start and their lines by position (with two valid decisions, the later one is the
    client's budget, as ``voucher.budgets.current_lines`` says)."""
    ids = as_uuids(client_ids)
    rows = await _rows(
        f"""SELECT cl.id AS cid, cl.display_name AS display_name, cl.client_group AS client_group,
       cl.counsellor_id AS counsellor_id, d.id AS decision_id, d.start AS d_start, d."end" AS d_end,
       l.id AS line_id, l.category AS category, l.granted_cents AS granted_cents,
       l.held_cents - COALESCE(x.expired, 0) AS held_cents, l.spent_cents AS spent_cents
FROM vc_client cl
LEFT JOIN vc_budget_decision d ON d.client = cl.id AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}
LEFT JOIN vc_budget_line l ON l.decision = d.id
{_EXPIRED}
WHERE cl.id IN {_in(ids)}
ORDER BY cl.display_name, cl.id, d.start, l.position""",
        today, today, now, *ids,
    ) if ids else []
    return [CaseloadLine(
        client_id=str(r["cid"]), display_name=r["display_name"], client_group=r["client_group"],
        counsellor_id=str(r["counsellor_id"]) if r["counsellor_id"] else None,
        decision_id=str(r["decision_id"]) if r["decision_id"] else None, start=_date(r["d_start"]), end=_date(r["d_end"]),
        line_id=str(r["line_id"]) if r["line_id"] else None, category=r["category"] or "",
        granted_cents=int(r["granted_cents"] or 0), held_cents=int(r["held_cents"] or 0),
        spent_cents=int(r["spent_cents"] or 0),
    ) for r in rows]


# --- Decisions over a period ---------------------------------------------------------------------------


async def clients_per_group(organiser_id: Any, first_day: dt.date, last_day: dt.date) -> dict[str, int]:
    """Budget holders per client group: clients with an active decision overlapping the days."""
    rows = await _rows(
        """SELECT cl.client_group AS client_group, COUNT(*) AS n FROM vc_client cl
WHERE cl.organiser_id = {} AND EXISTS (
    SELECT 1 FROM vc_budget_decision d
    WHERE d.client = cl.id AND d.status = 'active' AND d.start <= {} AND d."end" >= {})
GROUP BY 1""",
        require_uuid(organiser_id), last_day, first_day,
    )
    return {row["client_group"]: int(row["n"]) for row in rows}


async def budget_holders(organiser_id: Any, first_day: dt.date, last_day: dt.date,
                         client_ids: Iterable[Any] | None = None) -> dict[str, str]:
    """The organiser's clients (of ``client_ids``, if given) with an active decision overlapping
    the days: client id → client group."""
    where, args = "", []
    if client_ids is not None:
        ids = as_uuids(client_ids)
        if not ids:
            return {}
        where, args = f" AND cl.id IN {_in(ids)}", ids
    rows = await _rows(
        f"""SELECT DISTINCT cl.id AS id, cl.client_group AS client_group
FROM vc_client cl JOIN vc_budget_decision d ON d.client = cl.id
WHERE cl.organiser_id = {{}}{where} AND d.status = 'active' AND d.start <= {{}} AND d."end" >= {{}}""",
        require_uuid(organiser_id), *args, last_day, first_day,
    )
    return {str(r["id"]): r["client_group"] for r in rows}


class EndedDecisions(msgspec.Struct, frozen=True, kw_only=True):
    decisions: int
    granted_cents: int
    used_cents: int  # spent, and still held
    unused_cents: int


async def ended_decisions(organiser_id: Any, now: dt.datetime, first_day: dt.date, last_day: dt.date) -> EndedDecisions:
    """The organiser's decisions whose period ended between the days: granted, used, left unused."""
    rows = await _rows(
        """SELECT COUNT(DISTINCT d.id) AS decisions, CAST(COALESCE(SUM(l.granted_cents), 0) AS BIGINT) AS granted_cents,
       CAST(COALESCE(SUM(l.spent_cents + l.held_cents - COALESCE(e.expired, 0)), 0) AS BIGINT) AS used_cents
FROM vc_budget_decision d JOIN vc_budget_line l ON l.decision = d.id
LEFT JOIN (SELECT line_id, CAST(SUM(amount_cents) AS BIGINT) AS expired FROM vc_authorization
           WHERE status = 'approved' AND expires_at <= {} GROUP BY line_id) e ON e.line_id = l.id
WHERE d.organiser_id = {} AND d.status = 'active' AND d."end" >= {} AND d."end" <= {}""",
        now, require_uuid(organiser_id), first_day, last_day,
    )
    found = {k: int(v or 0) for k, v in rows[0].items()}
    return EndedDecisions(**found, unused_cents=found["granted_cents"] - found["used_cents"])


# --- Settlement batches ----------------------------------------------------------------------------------


class BatchBrief(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    organiser_id: str
    provider_id: str
    total_cents: int
    reference: str
    # closed → produced → paid
    status: str
    method: str
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime


def _batch(row: dict) -> BatchBrief:
    return BatchBrief(id=str(row["id"]), organiser_id=str(row["organiser_id"]), provider_id=str(row["provider_id"]),
                      total_cents=int(row["total_cents"]), reference=row["reference"], status=row["status"],
                      method=row["method"], period_start=_date(row["period_start"]), period_end=_date(row["period_end"]),
                      created_at=row["created_at"])


async def batches(batch_ids: Iterable[Any]) -> list[BatchBrief]:
    """These settlement batches (unknown ids are left out)."""
    ids = as_uuids(batch_ids)
    if not ids:
        return []
    return [_batch(r) for r in await SettlementBatch.select().where(SettlementBatch.id.is_in(ids)).run()]


async def batches_since(since: dt.datetime, provider_ids: Iterable[Any], organiser_id: Any = None) -> list[BatchBrief]:
    """The batches created since ``since`` to these providers (of ``organiser_id``, if given), oldest first."""
    ids = as_uuids(provider_ids)
    if not ids:
        return []
    where = (SettlementBatch.created_at >= since) & SettlementBatch.provider_id.is_in(ids)
    if organiser_id is not None:
        where &= SettlementBatch.organiser_id == require_uuid(organiser_id)
    return [_batch(r) for r in await SettlementBatch.select().where(where).order_by(SettlementBatch.created_at).run()]


# --- Payments -------------------------------------------------------------------------------------


async def quantities(authorization_ids: Iterable[Any]) -> dict[str, int]:
    """How many units of its listing each authorisation was for (the request's ``quantity``, 1 when
    it named none; the price ceiling's factor)."""
    ids = as_uuids(authorization_ids)
    if not ids:
        return {}
    rows = await Authorization.select(Authorization.id, Authorization.quantity).where(Authorization.id.is_in(ids)).run()
    return {str(r["id"]): int(r["quantity"]) for r in rows}
