"""The organiser's dashboard: where the county's money went over a period, what is left and where
it is heading, and what it bought in outcomes (GAS change, NPS) — each figure a table (admin.figures)
that the page draws and the CSV export writes.

Money figures = rolled-up months + a live read of what came after the rollup (admin.rollup), so
they equal the ledger at the moment of the request.
"""

import asyncio
import datetime as dt
from collections import defaultdict
from typing import Any

import msgspec

from admin import domain, movements, ports, rollup
from admin.figures import Column, Figure
from admin.rows import in_list, select
from admin.tables import ClientGas, SpendMonth
from core import i18n
from core.ids import as_uuid
from marketplace import catalogue, directory
from voucher import pace
from voucher import reporting as voucher_reporting
from voucher.budgets import CLIENT_GROUPS

FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc)
# With more live (not yet rolled-up) clients than this, outcomes are computed in Python for all.
LIVE_CLIENTS_IN_SQL = 500


class Dashboard(msgspec.Struct, kw_only=True):
    organiser_id: str
    period: domain.Period
    today: dt.date
    figures: dict[str, Figure]
    summary: dict[str, Any]


# --- Money over the period -----------------------------------------------------------------------


async def spend_rows(organiser_id: str, period: domain.Period, now: dt.datetime, refreshed: bool = False) -> list[dict]:
    """Per month and dimension: captured and refunded cents (rolled up + live)."""
    if not refreshed:
        await rollup.refresh(now, unless_within=rollup.READ_REFRESH_AFTER)
    upto = await rollup.state(rollup.SPEND)
    # Plain SQL with the ids and months as text: a county's year is thousands of rollup rows, and
    # the drivers' per-value conversions (UUID, date) were most of the time of reading them.
    rows = [
        {**row, "provider_id": row["provider_id"] or "", "month": dt.date.fromisoformat(row["month"][:10])}
        for row in await select(
            "SELECT CAST(month AS TEXT) AS month, category, client_group, CAST(provider_id AS TEXT) AS provider_id,"
            " municipality, client_municipality, captured_cents, refunded_cents, captures, refunds"
            f" FROM {SpendMonth._meta.tablename} WHERE organiser_id = {{}} AND month >= {{}} AND month <= {{}}",
            as_uuid(organiser_id), period.first, period.last,
        )
    ]
    for month in period.months:
        start, end = domain.month_bounds_utc(month)
        since = max(start, upto) if upto else start
        if since < end:
            rows += [{**g, "month": month} for g in await movements.spend_groups(since, end, organiser_id)]
    return rows


def _net(row: dict) -> int:
    return int(row["captured_cents"]) - int(row["refunded_cents"])


def _breakdown(rows: list[dict], dim: str) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: {"captured_cents": 0, "refunded_cents": 0, "captures": 0})
    for row in rows:
        entry = out[row[dim] or ""]
        entry["captured_cents"] += int(row["captured_cents"])
        entry["refunded_cents"] += int(row["refunded_cents"])
        entry["captures"] += int(row["captures"])
    for entry in out.values():
        entry["net_cents"] = entry["captured_cents"] - entry["refunded_cents"]
    return out


KEY = Column("key", "admin.col.key", csv_only=True)
MONEY_COLUMNS = [
    Column("net_cents", "admin.col.net", "money"),
    Column("captured_cents", "admin.col.captured", "money"),
    Column("refunded_cents", "admin.col.refunded", "money"),
    Column("captures", "admin.col.captures", "int"),
    Column("share_permille", "admin.col.share", "permille"),
]


def _money_figure(fid: str, title: str, label: str, groups: dict[str, dict], names: dict[str, str],
                  total_net: int, lang: str) -> Figure:
    rows = [
        {"key": key, "label": names.get(key) or i18n.t("admin.unknown", lang), **entry,
         "share_permille": domain.share_permille(entry["net_cents"], total_net)}
        for key, entry in groups.items()
    ]
    rows.sort(key=lambda r: (-r["net_cents"], r["label"]))
    total = {"label": i18n.t("admin.total", lang),
             **{k: sum(r[k] for r in rows) for k in ("net_cents", "captured_cents", "refunded_cents", "captures")},
             "share_permille": 1000 if total_net else None}
    return Figure(id=fid, title=title, columns=[KEY, Column("label", label), *MONEY_COLUMNS], rows=rows, total=total)


# --- Budget: now, forecast, unused ------------------------------------------------------------------


async def budget_now(organiser_id: str, now: dt.datetime, today: dt.date) -> pace.PaceTotals:
    """The decisions valid today: money now, where it is heading at each line's pace, and how
    many lines run out, lie unused or are underused (voucher.pace, summed in the database)."""
    return await pace.totals(organiser_id, now, today)


async def unused_in_period(organiser_id: str, period: domain.Period, now: dt.datetime,
                           today: dt.date) -> voucher_reporting.EndedDecisions:
    """Decisions whose period ended within the chosen period (and before today): what was left."""
    last = min(period.last_day, today - dt.timedelta(days=1))
    if last < period.first_day:
        return voucher_reporting.EndedDecisions(decisions=0, granted_cents=0, used_cents=0, unused_cents=0)
    return await voucher_reporting.ended_decisions(organiser_id, now, period.first_day, last)


# --- Outcomes: GAS and NPS per category, provider and client group ---------------------------------


async def _rolled_gas_by(organiser_id: str, period: domain.Period, dim: str, exclude: list[str]) -> dict[str, list[int]]:
    """[clients, sum of GAS change] per provider or category, over clients (not in ``exclude``)
    whose net spending with it in the period's rolled-up months is positive."""
    placeholders, excluded = in_list(as_uuid(c) for c in exclude)
    not_in = f" AND client_id NOT IN {placeholders}" if exclude else ""
    rows = await select(
        f"""SELECT t.k AS k, COUNT(*) AS clients, CAST(SUM(g.change_x100) AS BIGINT) AS change_sum
FROM (SELECT client_id, {dim} AS k FROM ad_client_month
      WHERE organiser_id = {{}} AND month >= {{}} AND month <= {{}}{not_in}
      GROUP BY client_id, {dim} HAVING SUM(net_cents) > 0) t
JOIN ad_client_gas g ON g.id = t.client_id AND g.goals > 0
GROUP BY t.k""",
        as_uuid(organiser_id), period.first, period.last, *(excluded if exclude else []),
    )
    return {str(r["k"]) if r["k"] is not None else "": [int(r["clients"]), int(r["change_sum"] or 0)] for r in rows}


async def _client_month_rows(organiser_id: str, period: domain.Period, clients: list[str]) -> list[dict]:
    placeholders, ids = in_list(as_uuid(c) for c in clients)
    return await select(
        f"""SELECT client_id, provider_id, category, net_cents FROM ad_client_month
WHERE organiser_id = {{}} AND month >= {{}} AND month <= {{}} AND client_id IN {placeholders}""",
        as_uuid(organiser_id), period.first, period.last, *ids,
    )


# Outcome figures (GAS, NPS) per organiser and period are kept this long: they follow goal scores
# and reviews that change monthly, and computing them reads every client-month of the period.
OUTCOMES_MAX_AGE = dt.timedelta(minutes=10)
_outcomes_cache: dict[tuple, tuple[dt.datetime, dict[str, Any]]] = {}


async def outcomes_as_of(organiser_id: str, period: domain.Period, now: dt.datetime) -> tuple[dt.datetime, dict[str, Any]]:
    """``outcomes`` computed at most ``OUTCOMES_MAX_AGE`` ago (and when)."""
    key = (organiser_id, period.first, period.last)
    cached = _outcomes_cache.get(key)
    if cached and now - OUTCOMES_MAX_AGE <= cached[0] <= now:
        return cached
    found = (now, await outcomes(organiser_id, period, now))
    if len(_outcomes_cache) > 200:
        _outcomes_cache.clear()
    _outcomes_cache[key] = found
    return found


async def outcomes(organiser_id: str, period: domain.Period, now: dt.datetime) -> dict[str, Any]:
    """GAS change per provider, category and client group, and NPS per provider and category.

    A client counts for a provider (category) when their net spending with it in the period is
    positive; their GAS change is the mean over goals of latest − first score (admin.domain).
    Clients with money or scores newer than the rollups are computed here from live rows.
    """
    spend_upto = await rollup.state(rollup.SPEND) or period.start_utc
    gas_upto = await rollup.state(rollup.GAS)
    live_pairs = await movements.client_spend_groups(max(spend_upto, period.start_utc), period.end_utc, organiser_id) \
        if spend_upto < period.end_utc else []
    live_scores = [r for r in await movements.scores_of_clients_scored_between(gas_upto, FAR_FUTURE)
                   if str(r["organiser_id"]) == organiser_id] if gas_upto else []
    live = sorted({p["client_id"] for p in live_pairs} | {str(r["client_id"]) for r in live_scores})
    everyone = len(live) > LIVE_CLIENTS_IN_SQL
    if everyone:
        live = [str(r["id"]) for r in await ClientGas.select(ClientGas.id).where(
            ClientGas.organiser_id == as_uuid(organiser_id)).run()] + live
        live = sorted(set(live))

    # GAS of the live clients: stored, unless they have new scores.
    gas: dict[str, tuple[int, str]] = {}
    if live:
        placeholders, ids = in_list(as_uuid(c) for c in live)
        stored = await select(
            f"SELECT id, change_x100, goals, client_group FROM ad_client_gas WHERE goals > 0 AND id IN {placeholders}", *ids)
        gas = {str(r["id"]): (int(r["change_x100"]), r["client_group"]) for r in stored}
        for client_id, entry in rollup.gas_by_client(
            await movements.scores_of_clients_scored_between(None, FAR_FUTURE) if everyone else
            await movements.scores_of_clients(live)
        ).items():
            if entry["goals"]:
                gas[str(client_id)] = (entry["change_x100"], entry["client_group"])
            else:
                gas.pop(str(client_id), None)

    result: dict[str, Any] = {}
    for dim in ("provider_id", "category"):
        totals = {} if everyone else await _rolled_gas_by(organiser_id, period, dim, live)
        if live:
            net: dict[tuple[str, str], int] = defaultdict(int)
            for r in await _client_month_rows(organiser_id, period, live):
                net[(str(r["client_id"]), str(r[dim] or ""))] += int(r["net_cents"])
            for p in live_pairs:
                net[(p["client_id"], str(p[dim] or ""))] += int(p["net_cents"])
            for (client_id, key), cents in net.items():
                if cents > 0 and client_id in gas:
                    entry = totals.setdefault(key, [0, 0])
                    entry[0] += 1
                    entry[1] += gas[client_id][0]
        result[dim] = totals

    result["client_group"] = await _gas_of_budget_holders(organiser_id, period, live, gas)

    recommend = await ports.recommend_scores(organiser_id, period.start_utc, period.end_utc)
    for dim in ("provider_id", "category"):
        scores: dict[str, list[int]] = defaultdict(list)
        for review in recommend:
            scores[str(review[dim] or "")].append(int(review["score"]))
        result["nps_" + dim] = {key: domain.nps(values) for key, values in scores.items()}
    return result


async def _gas_of_budget_holders(organiser_id: str, period: domain.Period, live: list[str],
                                 gas: dict[str, tuple[int, str]]) -> dict[str, list[int]]:
    """[clients, sum of GAS change (hundredths)] per client group over the clients with a budget
    decision in the period who have a GAS change: rolled up (admin.rollup) for all but the
    ``live`` clients, whose change ``gas`` holds."""
    holders = await voucher_reporting.budget_holders(organiser_id, period.first_day, period.last_day)
    out: dict[str, list[int]] = {}
    excluded = set(live)
    for row in await select("SELECT id, client_group, change_x100 FROM ad_client_gas WHERE organiser_id = {} AND goals > 0",
                            as_uuid(organiser_id)):
        client_id = str(row["id"])
        if client_id in holders and client_id not in excluded:
            entry = out.setdefault(row["client_group"], [0, 0])
            entry[0] += 1
            entry[1] += int(row["change_x100"] or 0)
    for client_id in live:
        if client_id in holders and client_id in gas:
            entry = out.setdefault(holders[client_id], [0, 0])
            entry[0] += 1
            entry[1] += gas[client_id][0]
    return out


# --- The dashboard --------------------------------------------------------------------------------


async def build(organiser_id: str, period: domain.Period, now: dt.datetime, lang: str, *, refresh: bool = True) -> Dashboard:
    """The dashboard as the ledger stands. ``refresh=False`` (read from the reporting replica, which
    the primary's refresh would reach only later anyway): the background work keeps the rollups
    and the console's copies near the clock, and the page reads what the replica has."""
    today = domain.helsinki_date(now)
    # The reads are independent: run them side by side (SQLite readers run in parallel in WAL mode,
    # PostgreSQL on separate pool connections). The rollup refresh (a write) comes first.
    if refresh:
        await rollup.refresh(now, unless_within=rollup.READ_REFRESH_AFTER)
    rows, cats, now_budget, unused, (outcomes_at, found), clients, free = await asyncio.gather(
        spend_rows(organiser_id, period, now, refreshed=True), catalogue.category_map(),
        budget_now(organiser_id, now, today), unused_in_period(organiser_id, period, now, today),
        outcomes_as_of(organiser_id, period, now),
        voucher_reporting.clients_per_group(organiser_id, period.first_day, period.last_day),
        ports.free_use(organiser_id, period.start_utc, period.end_utc),
    )
    total_net = sum(_net(r) for r in rows)
    cat_names = {code: i18n.pick(catalogue.category_names(c), lang) for code, c in cats.items()}
    group_names = {g: i18n.t(f"voucher.group.{g}", lang) for g in {r["client_group"] for r in rows} | set(GROUPS)}
    providers = await directory.provider_names({r["provider_id"] for r in rows if r["provider_id"]})

    by_category = _breakdown(rows, "category")
    by_group = _breakdown(rows, "client_group")
    by_provider = _breakdown(rows, "provider_id")
    by_municipality = _breakdown(rows, "client_municipality")
    by_service_municipality = _breakdown(rows, "municipality")
    by_month = _breakdown([{**r, "month": r["month"].isoformat()} for r in rows], "month")

    figures: dict[str, Figure] = {
        "by_category": _money_figure("by_category", "admin.fig.by_category", "admin.col.category", by_category,
                                     cat_names, total_net, lang),
        "by_group": _money_figure("by_group", "admin.fig.by_group", "admin.col.client_group", by_group,
                                  group_names, total_net, lang),
        "by_provider": _money_figure("by_provider", "admin.fig.by_provider", "admin.col.provider", by_provider,
                                     providers, total_net, lang),
        "by_municipality": _money_figure("by_municipality", "admin.fig.by_municipality", "admin.col.client_municipality",
                                         by_municipality, {m: m for m in by_municipality if m}, total_net, lang),
        "by_service_municipality": _money_figure(
            "by_service_municipality", "admin.fig.by_service_municipality", "admin.col.municipality",
            by_service_municipality, {m: m for m in by_service_municipality if m}, total_net, lang),
    }
    months = [
        {"month": month, **{k: by_month.get(month.isoformat(), {}).get(k, 0)
                            for k in ("net_cents", "captured_cents", "refunded_cents", "captures")}}
        for month in period.months
    ]
    figures["over_time"] = Figure(
        id="over_time", title="admin.fig.over_time",
        columns=[Column("month", "admin.col.month", "month"), *MONEY_COLUMNS[:4]],
        rows=months,
        total={"month": None, **{k: sum(m[k] for m in months) for k in ("net_cents", "captured_cents", "refunded_cents", "captures")}},
    )

    non_traditional = sum(e["net_cents"] for code, e in by_category.items() if code in cats and not cats[code]["traditional"])
    traditional = sum(e["net_cents"] for code, e in by_category.items() if code in cats and cats[code]["traditional"])
    figures["kinds"] = Figure(
        id="kinds", title="admin.fig.kinds",
        columns=[KEY, Column("label", "admin.col.kind"), Column("net_cents", "admin.col.net", "money"),
                 Column("share_permille", "admin.col.share", "permille")],
        rows=[
            {"key": "non_traditional", "label": i18n.t("admin.kind.non_traditional", lang), "net_cents": non_traditional,
             "share_permille": domain.share_permille(non_traditional, total_net)},
            {"key": "traditional", "label": i18n.t("admin.kind.traditional", lang), "net_cents": traditional,
             "share_permille": domain.share_permille(traditional, total_net)},
        ] + ([{"key": "unknown", "label": i18n.t("admin.unknown", lang),
               "net_cents": total_net - traditional - non_traditional,
               "share_permille": domain.share_permille(total_net - traditional - non_traditional, total_net)}]
             if total_net - traditional - non_traditional else []),
    )

    figures["budget"] = Figure(
        id="budget", title="admin.fig.budget",
        columns=[KEY, Column("label", "admin.col.item"), Column("value", "admin.col.amount", "money")],
        rows=[{"key": k, "label": i18n.t(f"admin.budget.{k}", lang), "value": getattr(now_budget, k)}
              for k in ("granted_cents", "held_cents", "spent_cents", "available_cents", "forecast_used_cents",
                        "forecast_unused_cents")]
        + [{"key": f"ended_{k}", "label": i18n.t(f"admin.budget.ended_{k}", lang), "value": getattr(unused, k)}
           for k in ("granted_cents", "used_cents", "unused_cents")],
    )

    figures["outcomes_category"] = _outcome_figure(
        "outcomes_category", "admin.fig.outcomes_category", "admin.col.category", found["category"],
        found["nps_category"], cat_names, by_category, lang)
    figures["outcomes_provider"] = _outcome_figure(
        "outcomes_provider", "admin.fig.outcomes_provider", "admin.col.provider", found["provider_id"],
        found["nps_provider_id"], {**providers, **await directory.provider_names(
            [k for k in found["provider_id"] if k and k not in providers])}, by_provider, lang)

    group_rows = []
    for group in sorted(set(clients) | set(by_group) | set(found["client_group"])):
        net = by_group.get(group, {}).get("net_cents", 0)
        count, change_sum = found["client_group"].get(group, [0, 0])
        group_rows.append({
            "key": group,
            "label": (group_names.get(group) or i18n.t(f"voucher.group.{group}", lang)) if group else i18n.t("admin.unknown", lang),
            "clients": clients.get(group, 0), "net_cents": net,
            "per_client_cents": domain.per_client_cents(net, clients.get(group, 0)),
            "gas_clients": count, "gas_change_x100": domain.round_half_up(change_sum / count) if count else None,
        })
    figures["cost_effectiveness"] = Figure(
        id="cost_effectiveness", title="admin.fig.cost_effectiveness",
        columns=[KEY, Column("label", "admin.col.client_group"), Column("clients", "admin.col.clients", "int"),
                 Column("net_cents", "admin.col.net", "money"), Column("per_client_cents", "admin.col.per_client", "money"),
                 Column("gas_clients", "admin.col.gas_clients", "int"), Column("gas_change_x100", "admin.col.gas_change", "gas")],
        rows=group_rows,
    )
    figures["free_use"] = free_use_figure(free, cat_names, lang)
    summary = {"total_net_cents": total_net, "non_traditional_permille": domain.share_permille(non_traditional, total_net),
               "budget": now_budget, "unused": unused, "reviews": sum(n.responses for n in found["nps_category"].values()),
               "outcomes_at": outcomes_at}
    return Dashboard(organiser_id=organiser_id, period=period, today=today, figures=figures, summary=summary)


GROUPS = CLIENT_GROUPS


def free_use_figure(free: dict[str, dict[str, int]], names: dict[str, str], lang: str) -> Figure:
    """Free activities delivered in the period, per category: bookings and places (docs/decisions/0037)."""
    rows = [{"key": code, "label": names.get(code) or code, "bookings": entry["bookings"], "places": entry["places"]}
            for code, entry in free.items()]
    rows.sort(key=lambda r: (-r["bookings"], r["label"]))
    return Figure(
        id="free_use", title="admin.fig.free_use",
        columns=[KEY, Column("label", "admin.col.category"), Column("bookings", "admin.col.free_bookings", "int"),
                 Column("places", "admin.col.free_places", "int")],
        rows=rows,
        total={"label": i18n.t("admin.total", lang), "bookings": sum(r["bookings"] for r in rows),
               "places": sum(r["places"] for r in rows)} if rows else None,
        empty="admin.free_use.empty",
    )


def _outcome_figure(fid: str, title: str, label: str, gas: dict[str, list[int]], nps: dict[str, domain.Nps],
                    names: dict[str, str], money: dict[str, dict], lang: str) -> Figure:
    rows = []
    for key in sorted(set(gas) | set(nps) | {k for k, v in money.items() if v["net_cents"]}):
        count, change_sum = gas.get(key, [0, 0])
        score = nps.get(key)
        rows.append({
            "key": key, "label": names.get(key) or i18n.t("admin.unknown", lang),
            "net_cents": money.get(key, {}).get("net_cents", 0),
            "gas_clients": count, "gas_change_x100": domain.round_half_up(change_sum / count) if count else None,
            "responses": score.responses if score else 0, "nps": score.score if score else None,
        })
    rows.sort(key=lambda r: (-r["net_cents"], r["label"]))
    return Figure(
        id=fid, title=title,
        columns=[KEY, Column("label", label), Column("net_cents", "admin.col.net", "money"),
                 Column("gas_clients", "admin.col.gas_clients", "int"), Column("gas_change_x100", "admin.col.gas_change", "gas"),
                 Column("responses", "admin.col.responses", "int"), Column("nps", "admin.col.nps", "nps")],
        rows=rows,
    )
