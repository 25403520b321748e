"""The console's reads of budgets by HB class and of overrides (issue 17, docs/decisions/0032).

A budget counts when its decision is active and its period meets the period asked for (the whole
decision's lines count, as granted). A line is *computed* when it was made from a class
(``computed_cents`` not null) and *overridden* when its granted amount differs from that. The
deviation is granted − computed (more granted is positive); its per cent is the overridden lines'
deviation over what they were computed as. The figures are summed here from one query so the page
and its CSV show the same numbers; ``summarise`` is the rule, without I/O.
"""

import datetime as dt
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import audit, db
from core.identity import Actor
from core.ids import as_uuid

_LINES_SQL = """
SELECT l.id AS line_id, l.category, l.hb_class, l.granted_cents, l.computed_cents, l.override_reason,
       d.id AS decision_id, d.start AS d_start, d."end" AS d_end, c.id AS client_id, c.display_name, c.client_group
FROM vc_budget_line l
JOIN vc_budget_decision d ON d.id = l.decision
JOIN vc_client c ON c.id = d.client
WHERE d.organiser_id = {} AND d.status = 'active' AND d.start <= {} AND d."end" >= {}
"""


class ClassRow(msgspec.Struct, kw_only=True):
    category: str
    hb_class: str  # "" = lines not computed from a class
    clients: int
    lines: int
    granted_cents: int
    average_cents: int  # per client, rounded half up to the cent
    overridden_lines: int
    deviation_cents: int


class OverrideTotals(msgspec.Struct, kw_only=True):
    computed_lines: int
    overridden_lines: int
    computed_budgets: int
    overridden_budgets: int
    computed_cents: int  # what the overridden lines were computed as
    deviation_cents: int  # granted − computed over the overridden lines
    average_deviation_cents: int  # per overridden line
    deviation_permille: int | None  # of computed_cents, tenths of a per cent (None: no override)


class OverrideLine(msgspec.Struct, kw_only=True):
    client_id: str
    client: str  # the pseudonym, as every console list shows it
    client_group: str
    start: dt.date
    end: dt.date
    category: str
    hb_class: str
    computed_cents: int
    granted_cents: int
    deviation_cents: int
    reason: str


class ClassReport(msgspec.Struct, kw_only=True):
    rows: list[ClassRow]
    totals: OverrideTotals
    overrides: list[OverrideLine]  # every overridden line, newest decision first


def half_up(numerator: int, denominator: int) -> int:
    if denominator == 0:
        return 0
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))


def summarise(lines: list[dict]) -> ClassReport:
    """The figures of the lines (dicts as ``_LINES_SQL`` gives them)."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    overrides: list[OverrideLine] = []
    computed_budgets: set[str] = set()
    overridden_budgets: set[str] = set()
    computed_lines = 0
    for line in lines:
        key = (line["category"], line["hb_class"] or "")
        g = groups.setdefault(key, {"clients": set(), "lines": 0, "granted": 0, "overridden": 0, "deviation": 0})
        g["clients"].add(str(line["client_id"]))
        g["lines"] += 1
        g["granted"] += int(line["granted_cents"])
        if line["computed_cents"] is None:
            continue
        computed_lines += 1
        computed_budgets.add(str(line["decision_id"]))
        deviation = int(line["granted_cents"]) - int(line["computed_cents"])
        if deviation:
            g["overridden"] += 1
            g["deviation"] += deviation
            overridden_budgets.add(str(line["decision_id"]))
            overrides.append(OverrideLine(
                client_id=str(line["client_id"]), client=line["display_name"], client_group=line["client_group"],
                start=_date(line["d_start"]), end=_date(line["d_end"]), category=line["category"],
                hb_class=line["hb_class"] or "", computed_cents=int(line["computed_cents"]),
                granted_cents=int(line["granted_cents"]), deviation_cents=deviation, reason=line["override_reason"] or ""))
    rows = [ClassRow(category=cat, hb_class=code, clients=len(g["clients"]), lines=g["lines"], granted_cents=g["granted"],
                     average_cents=half_up(g["granted"], len(g["clients"])), overridden_lines=g["overridden"],
                     deviation_cents=g["deviation"]) for (cat, code), g in sorted(groups.items())]
    deviation = sum(o.deviation_cents for o in overrides)
    computed_of_overridden = sum(o.computed_cents for o in overrides)
    overrides.sort(key=lambda o: (o.start, o.client, o.category), reverse=True)
    return ClassReport(rows=rows, overrides=overrides, totals=OverrideTotals(
        computed_lines=computed_lines, overridden_lines=len(overrides), computed_budgets=len(computed_budgets),
        overridden_budgets=len(overridden_budgets), computed_cents=computed_of_overridden, deviation_cents=deviation,
        average_deviation_cents=half_up(deviation, len(overrides)),
        deviation_permille=half_up(deviation * 1000, computed_of_overridden) if computed_of_overridden else None))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


async def report(actor: Actor, organiser_id: Any, first_day: dt.date, last_day: dt.date,
                 client_group: str | None = None) -> ClassReport:
    """The county's budgets by service and class and its overrides, for decisions meeting the period
    (``client_group``: only that group's clients). The caller has checked that ``actor`` may read the
    county's console; the read is audited (``voucher.class_report.read``)."""
    sql = _LINES_SQL + (" AND c.client_group = {}" if client_group else "") + " ORDER BY l.position"
    args = [as_uuid(organiser_id), last_day, first_day] + ([client_group] if client_group else [])
    rows = await db.engine().run_querystring(QueryString(sql, *args))
    await audit.record(actor, "voucher.class_report.read", "organiser", organiser_id, organiser_id=organiser_id,
                       details={"from": first_day.isoformat(), "to": last_day.isoformat(), "client_group": client_group})
    return summarise(rows)


async def shown_overrides(actor: Actor, organiser_id: Any, lines: list[OverrideLine]) -> None:
    """Each client whose overridden line a page or file shows is a read of their data: one entry each."""
    for client_id in dict.fromkeys(o.client_id for o in lines):
        await audit.client_data_read(actor, client_id, "class_report", organiser_id=organiser_id)
