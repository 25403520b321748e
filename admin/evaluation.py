"""The pilot's evaluation on the organiser's dashboard (issue 19, deliverables 3 and 4): per client
group, the HB clients beside the comparison group of usual care — cost per client-month, change in
WHO-5 and GAS, satisfaction, administrative minutes per client-month and per budget euro — each with
its 95 % bootstrap interval and number of clients, suppressed below the county's minimum group size.

Who counts:

* **HB, cost and administrative time**: every client with an active budget decision in a month of
  the period; a client-month is a calendar month of the period that one of the client's decisions
  touches. Their cost is what the budget paid in the period (captures less refunds, Helsinki months),
  their minutes those logged for them on the period's days.
* **HB, outcomes** (WHO-5, GAS, satisfaction): the same clients, only those whose research consent is
  in force now. WHO-5 change = latest follow-up or end answer − first start answer; satisfaction = the
  latest answer (1–5); GAS change = the mean over goals of latest − first score (admin.domain);
  answers and scores up to the period's end.
* **Comparison**: the imported clients with a month in the period: their months' costs and minutes;
  their outcomes as the CSV gave them.

Every read is in ``voucher.evaluation.reads``; the statistics are pure (``voucher.evaluation.stats``),
seeded per figure and group, so the same data gives the same intervals.
"""

import datetime as dt
from collections import defaultdict

import msgspec

from admin import domain
from core import i18n
from voucher.budgets import CLIENT_GROUPS
from voucher.evaluation import comparison as comparison_store
from voucher.evaluation import reads, stats

SEED = 19
ALL = "all"
MEASURES = ("cost", "who5", "gas", "satisfaction", "admin_minutes", "admin_per_euro")
# How each measure is written: decimals, and money (cents) or a plain number.
DECIMALS = {"cost": 0, "who5": 1, "gas": 2, "satisfaction": 2, "admin_minutes": 1, "admin_per_euro": 2}
RATIOS = ("cost", "admin_minutes", "admin_per_euro")


class GroupRow(msgspec.Struct, kw_only=True):
    group: str  # a client group, or "all"
    hb: dict[str, stats.Estimate]
    comparison: dict[str, stats.Estimate]


class Evaluation(msgspec.Struct, kw_only=True):
    organiser_id: str
    period: domain.Period
    min_size: int
    rows: list[GroupRow]
    hb_clients: int
    consenting: int
    comparison_clients: int
    # Minutes logged in the period for no one client (tasks), and for clients without a decision then.
    task_minutes: int
    seed: int


def client_months(decisions: list[dict], months: list[dt.date]) -> dict[str, int]:
    """Client → how many of ``months`` (first days) one of the client's decisions touches."""
    touched: dict[str, set] = defaultdict(set)
    for d in decisions:
        for month in months:
            if d["start"] <= domain.add_months(month, 1) - dt.timedelta(days=1) and d["end"] >= month:
                touched[d["client_id"]].add(month)
    return {c: len(m) for c, m in touched.items()}




def _hb_samples(clients: dict[str, dict], months: dict[str, int], spent: dict[str, int], minutes: dict[str, int],
                consenting: set[str], who5: dict[str, float], gas: dict[str, float],
                satisfaction: dict[str, float]) -> dict[str, dict[str, list]]:
    """Group → measure → samples (clients with a client-month in the period)."""
    out: dict[str, dict[str, list]] = defaultdict(lambda: {m: [] for m in MEASURES})
    for client_id, count in months.items():
        if client_id not in clients or not count:
            continue
        for group in (clients[client_id]["client_group"], ALL):
            entry = out[group]
            entry["cost"].append((spent.get(client_id, 0), count))
            entry["admin_minutes"].append((minutes.get(client_id, 0), count))
            entry["admin_per_euro"].append((minutes.get(client_id, 0), spent.get(client_id, 0) / 100))
            if client_id in consenting:
                for measure, values in (("who5", who5), ("gas", gas), ("satisfaction", satisfaction)):
                    if client_id in values:
                        entry[measure].append(values[client_id])
    return out


def _comparison_samples(rows: list[dict]) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = defaultdict(lambda: {m: [] for m in MEASURES})
    for row in rows:
        cost = sum(m[1] for m in row["months"])
        minutes = sum(m[2] for m in row["months"])
        for group in (row["client_group"], ALL):
            entry = out[group]
            entry["cost"].append((cost, len(row["months"])))
            entry["admin_minutes"].append((minutes, len(row["months"])))
            entry["admin_per_euro"].append((minutes, cost / 100))
            if row["who5_start"] is not None and row["who5_end"] is not None:
                entry["who5"].append(float(row["who5_end"] - row["who5_start"]))
            if row["gas_change_x100"] is not None:
                entry["gas"].append(row["gas_change_x100"] / 100)
            if row["satisfaction_x100"] is not None:
                entry["satisfaction"].append(row["satisfaction_x100"] / 100)
    return out


def estimates(samples: dict[str, list], side: str, group: str, min_size: int, seed: int,
              resamples: int = stats.RESAMPLES) -> dict[str, stats.Estimate]:
    return {m: stats.estimate(samples[m], stats.ratio if m in RATIOS else stats.mean,
                              seed=stats.group_seed(seed, m, side, group), min_size=min_size, resamples=resamples)
            for m in MEASURES}


async def build(organiser_id: str, period: domain.Period, *, seed: int = SEED,
                resamples: int = stats.RESAMPLES) -> Evaluation:
    min_size = await comparison_store.min_group_size(organiser_id)
    clients = await reads.hb_clients(organiser_id)
    consenting = await reads.consenting(organiser_id) & set(clients)
    months = client_months(await reads.decisions(organiser_id), period.months)
    spent: dict[str, int] = defaultdict(int)
    for s in await reads.spending(organiser_id, period.start_utc, period.end_utc):
        spent[s["client_id"]] += s["cents"]
    minutes: dict[str, int] = defaultdict(int)
    task_minutes = 0
    for e in await reads.time_entries(organiser_id, period.first_day, period.last_day):
        if e["client_id"] and months.get(e["client_id"]):
            minutes[e["client_id"]] += e["minutes"]
        else:
            task_minutes += e["minutes"]
    holders = {c for c, n in months.items() if n}
    counted = consenting & holders
    # Outcomes up to the period's end, of consenting clients only.
    answered: dict[str, list] = defaultdict(list)
    satisfied: dict[str, list] = defaultdict(list)
    for a in await reads.answers(organiser_id):
        client_id = str(a.client_id)
        if client_id not in counted or a.answered_on > period.last_day or a.score is None:
            continue
        if a.questionnaire_key == "who5":
            answered[client_id].append((a.occasion, a.answered_on, float(a.score)))
        elif a.questionnaire_key == "satisfaction":
            satisfied[client_id].append((a.answered_on, float(a.score)))
    who5 = {c: v for c, rows in answered.items() if (v := stats.who5_change(rows)) is not None}
    satisfaction = {c: v for c, rows in satisfied.items() if (v := stats.latest(rows)) is not None}
    goal_scores: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for g in await reads.goal_scores(organiser_id, counted):
        if g["scored_at"] < period.end_utc:
            goal_scores[g["client_id"]][g["goal_id"]].append((g["scored_at"], g["score"]))
    gas = {c: found[0] / 100 for c, goals in goal_scores.items() if (found := domain.gas_change_x100(goals))}

    hb = _hb_samples(clients, months, spent, minutes, consenting, who5, gas, satisfaction)
    compared_rows = await reads.comparison(organiser_id, period.first_day, period.last_day)
    compared = _comparison_samples(compared_rows)
    groups = [g for g in CLIENT_GROUPS if g in hb or g in compared] + [ALL]
    rows = [GroupRow(group=g, hb=estimates(hb[g], "hb", g, min_size, seed, resamples),
                     comparison=estimates(compared[g], "comparison", g, min_size, seed, resamples)) for g in groups]
    return Evaluation(organiser_id=organiser_id, period=period, min_size=min_size, rows=rows,
                      hb_clients=len(holders), consenting=len(counted), comparison_clients=len(compared_rows),
                      task_minutes=task_minutes, seed=seed)


# --- Showing a figure ------------------------------------------------------------------------------


def number(measure: str, value: float | None, lang: str) -> str:
    """A measure's value as a person reads it: money for the cost, else a number with its decimals."""
    if value is None:
        return "–"
    if measure == "cost":
        return i18n.money(domain.round_half_up(value), lang)
    decimals = DECIMALS[measure]
    scaled = domain.round_half_up(abs(value) * 10**decimals)
    sign = "−" if value < 0 and scaled else ""
    whole, part = divmod(scaled, 10**decimals)
    text = f"{whole:,}".replace(",", "\u00a0") if lang in ("fi", "sv") else f"{whole:,}"
    if decimals:
        text += ("," if lang in ("fi", "sv") else ".") + f"{part:0{decimals}d}"
    return sign + text


def interval(measure: str, estimate: stats.Estimate, lang: str) -> str:
    if estimate.low is None or estimate.high is None:
        return "–"
    return f"{number(measure, estimate.low, lang)} – {number(measure, estimate.high, lang)}"


def group_label(group: str, lang: str) -> str:
    return i18n.t("evaluation.group.all", lang) if group == ALL else i18n.t(f"voucher.group.{group}", lang)
