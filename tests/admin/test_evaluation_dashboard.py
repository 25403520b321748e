"""Issue 19, acceptance: the evaluation's figures (admin.evaluation) equal sums computed
independently over generated data — HB clients in three groups with decisions starting and ending
in different months, card payments, a refund, time entries, WHO-5 and satisfaction answers, GAS
scores, consent given by some and withdrawn by one, and an imported comparison group. Groups under
the minimum size are suppressed; intervals come back the same for the same seed. Both databases.

The expected numbers come from the ORM's rows (vc_capture, vc_refund, vc_budget_decision, vc_client)
and from the generated lists, with plain Python — not from voucher.evaluation.reads.
"""

import datetime as dt
import random
from collections import defaultdict

import pytest

from admin import domain, evaluation
from tests.admin.builders import add_client, add_goal, at, pay, refund, world
from voucher.evaluation import admin_time, comparison, consent
from voucher.evaluation.answers import record_answers
from voucher.tables import BudgetDecision, Capture, Client, Refund

PERIOD = domain.Period(first=dt.date(2026, 1, 1), last=dt.date(2026, 6, 1))
HEADER = "pseudonym;client_group;municipality;age_band;month;service_cost_cents;admin_minutes;who5_start;who5_end;satisfaction;gas_change"
# (group, decision start, decision end, consents)
CLIENTS = [("older_people", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True)] * 4 + [
    ("older_people", dt.date(2026, 3, 15), dt.date(2026, 12, 31), True),
    ("older_people", dt.date(2025, 6, 1), dt.date(2026, 2, 28), False),
    ("families", dt.date(2026, 2, 1), dt.date(2026, 12, 31), True),
    ("families", dt.date(2026, 1, 1), dt.date(2026, 5, 31), True),
    ("families", dt.date(2026, 5, 1), dt.date(2026, 12, 31), True),
    ("families", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True),
    ("families", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True),
    ("young_adults", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True),
    ("young_adults", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True),
]


def _months(start: dt.date, end: dt.date) -> int:
    return sum(1 for m in PERIOD.months if start <= domain.add_months(m, 1) - dt.timedelta(days=1) and end >= m)


def _ratio(pairs):
    below = sum(d for _, d in pairs)
    return sum(n for n, _ in pairs) / below if below else None


def _mean(values):
    return sum(values) / len(values) if values else None


async def _generate(db) -> dict:
    rng = random.Random(19)
    secret = db.settings.secret_key
    w = await world(secret)
    made = {}
    minutes: dict[str, int] = defaultdict(int)
    who5: dict[str, list] = defaultdict(list)
    satisfaction: dict[str, list] = defaultdict(list)
    gas: dict[str, list] = defaultdict(list)
    consenting = set()
    for i, (group, start, end, consents) in enumerate(CLIENTS):
        client = await add_client(w, secret, f"Arvio {i:02d}", group, start=start, end=end,
                                  municipality=("Tuusula", "Kerava")[i % 2])
        made[client.id] = (group, start, end)
        first_day = max(start, dt.date(2026, 1, 1))
        for _ in range(rng.randint(1, 3)):
            day = first_day + dt.timedelta(days=rng.randint(0, 20))
            when = dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone.utc)
            paid = await pay(db.settings, w.provider, client.token, rng.choice((2500, 4000, 7500)), when)
            if rng.random() < 0.2:
                await refund(w.provider, paid["capture_id"], 1000, when + dt.timedelta(days=2))
        for _ in range(rng.randint(0, 3)):
            spent = rng.randint(5, 90)
            await admin_time.log(w.counsellor, admin_time.TimeInput(
                worked_on=(first_day + dt.timedelta(days=rng.randint(0, 25))).isoformat(), minutes=str(spent),
                kind="contact", client_id=client.id), dt.date(2026, 6, 30))
            minutes[client.id] += spent
        start_answers = [rng.randint(0, 5) for _ in range(5)]
        await record_answers(client.id, "who5", "start", start_answers, answered_on=first_day)
        end_answers = [rng.randint(0, 5) for _ in range(5)]
        await record_answers(client.id, "who5", "follow_up", end_answers, answered_on=dt.date(2026, 5, 20))
        who5[client.id] = [sum(start_answers) * 4, sum(end_answers) * 4]
        sat = [rng.randint(1, 5) for _ in range(5)]
        await record_answers(client.id, "satisfaction", "follow_up", sat, answered_on=dt.date(2026, 5, 20))
        satisfaction[client.id] = round(sum(sat) / 5, 2)
        if i % 2 == 0:
            scores = [rng.randint(-2, 0), rng.randint(-1, 2)]
            await add_goal(w, client.id, "Liikun viikoittain", [(at(2026, 1, 20), scores[0]), (at(2026, 5, 10), scores[1])])
            gas[client.id] = scores[1] - scores[0]
        if consents:
            await consent.append(client.id, "given", recorded_as="counsellor", how="paper")
            consenting.add(client.id)
    # One who gave and withdrew: their outcomes must not count.
    withdrawn = next(c for c in made if made[c][0] == "families")
    await consent.append(withdrawn, "withdrawn", recorded_as="client", how="in_app")
    consenting.discard(withdrawn)
    # A task for no one client.
    await admin_time.log(w.counsellor, admin_time.TimeInput(worked_on="2026-03-03", minutes="45", kind="meeting"),
                         dt.date(2026, 6, 30))
    # The comparison group: 6 older people and 5 families over Jan–Jun, 2 young adults, one month outside.
    rows = [HEADER]
    expected_cmp = defaultdict(list)
    for n in range(13):
        group = "older_people" if n < 6 else "families" if n < 11 else "young_adults"
        months = rng.sample(range(1, 7), rng.randint(1, 4))
        w5 = (rng.randrange(0, 26) * 4, rng.randrange(0, 26) * 4)
        sat_x = rng.randint(100, 500)
        gas_x = rng.randint(-200, 300)
        costs = [rng.randint(20000, 200000) for _ in months]
        mins = [rng.randint(0, 120) for _ in months]
        for j, m in enumerate(months):
            outcome = f"{w5[0]};{w5[1]};{sat_x // 100},{sat_x % 100:02d};{gas_x / 100:.2f}" if j == 0 else ";;;"
            rows.append(f"C{n:03d};{group};Tuusula;65-74;2026-{m:02d};{costs[j]};{mins[j]};{outcome}")
        expected_cmp[group].append({"cost": sum(costs), "months": len(months), "minutes": sum(mins),
                                    "who5": w5[1] - w5[0], "satisfaction": sat_x / 100, "gas": gas_x / 100})
    rows.append("C900;families;Kerava;65-74;2025-11;999999;999;0;100;5;4")  # outside the period
    await comparison.import_csv(w.counsellor, w.organiser_id, ("\n".join(rows) + "\n").encode())
    return {"w": w, "made": made, "minutes": minutes, "who5": who5, "satisfaction": satisfaction, "gas": gas,
            "consenting": consenting, "comparison": expected_cmp}


async def _expected_hb(data: dict) -> dict:
    """Per group: the samples each figure is over, from the ORM's rows and the generated lists."""
    w = data["w"]
    clients = {str(r["id"]): r["client_group"] for r in await Client.select(Client.id, Client.client_group).where(
        Client.organiser_id == w.organiser_id).run()}
    months: dict[str, int] = defaultdict(int)
    touched: dict[str, set] = defaultdict(set)
    for d in await BudgetDecision.select(BudgetDecision.client, BudgetDecision.start, BudgetDecision.end).where(
            (BudgetDecision.organiser_id == w.organiser_id) & (BudgetDecision.status == "active")).run():
        for m in PERIOD.months:
            if d["start"] <= domain.add_months(m, 1) - dt.timedelta(days=1) and d["end"] >= m:
                touched[str(d["client"])].add(m)
    months = {c: len(m) for c, m in touched.items()}
    start, end = PERIOD.start_utc, PERIOD.end_utc
    spent: dict[str, int] = defaultdict(int)
    captures = {str(c["id"]): c for c in await Capture.select().where(Capture.organiser_id == w.organiser_id).run()}
    for c in captures.values():
        if start <= c["created_at"] < end:
            spent[str(c["client_id"])] += c["amount_cents"]
    for r in await Refund.select().where(Refund.organiser_id == w.organiser_id).run():
        if start <= r["created_at"] < end:
            spent[str(captures[str(r["capture"])]["client_id"])] -= r["amount_cents"]
    out = defaultdict(lambda: defaultdict(list))
    for client_id, count in months.items():
        if not count:
            continue
        for group in (clients[client_id], "all"):
            out[group]["cost"].append((spent[client_id], count))
            out[group]["admin_minutes"].append((data["minutes"].get(client_id, 0), count))
            out[group]["admin_per_euro"].append((data["minutes"].get(client_id, 0), spent[client_id] / 100))
            if client_id in data["consenting"]:
                first, last = data["who5"][client_id]
                out[group]["who5"].append(last - first)
                out[group]["satisfaction"].append(data["satisfaction"][client_id])
                if client_id in data["gas"]:
                    out[group]["gas"].append(data["gas"][client_id])
    return out


async def test_the_evaluation_equals_independent_sums(db):
    data = await _generate(db)
    w = data["w"]
    board = await evaluation.build(w.organiser_id, PERIOD, resamples=300)
    expected = await _expected_hb(data)
    rows = {r.group: r for r in board.rows}
    assert set(rows) == {"older_people", "families", "young_adults", "disability_services", "all"}
    assert board.min_size == 5
    for group in ("older_people", "families", "all"):
        for measure in evaluation.MEASURES:
            samples = expected[group][measure]
            got = rows[group].hb[measure]
            assert got.clients == len(samples), (group, measure)
            if len(samples) < 5:
                assert got.suppressed and got.value is None, (group, measure)
                continue
            want = _ratio(samples) if measure in evaluation.RATIOS else _mean(samples)
            assert got.value == pytest.approx(want), (group, measure)
            assert got.low <= got.value <= got.high or measure in ("who5", "gas", "satisfaction")
    # Five families gave consent and one of them withdrew it: four count in the outcomes (suppressed).
    assert rows["families"].hb["who5"].clients == len(expected["families"]["who5"]) == 4
    assert rows["families"].hb["who5"].suppressed
    # The comparison side: the CSV's clients with a month in the period, by group.
    for group in ("older_people", "families"):
        cmp = data["comparison"][group]
        side = rows[group].comparison
        assert side["cost"].clients == len(cmp)
        assert side["cost"].value == pytest.approx(sum(c["cost"] for c in cmp) / sum(c["months"] for c in cmp))
        assert side["admin_minutes"].value == pytest.approx(sum(c["minutes"] for c in cmp) / sum(c["months"] for c in cmp))
        assert side["admin_per_euro"].value == pytest.approx(sum(c["minutes"] for c in cmp) / (sum(c["cost"] for c in cmp) / 100))
        assert side["who5"].value == pytest.approx(_mean([c["who5"] for c in cmp]))
        assert side["satisfaction"].value == pytest.approx(_mean([c["satisfaction"] for c in cmp]))
        assert side["gas"].value == pytest.approx(_mean([c["gas"] for c in cmp]))
    assert rows["young_adults"].comparison["cost"].suppressed and rows["young_adults"].comparison["cost"].clients == 2
    assert rows["young_adults"].hb["cost"].suppressed
    assert board.task_minutes == 45 + sum(m for c, m in data["minutes"].items() if c in data["made"] and not _months(*data["made"][c][1:]))
    # The same data and seed give the same intervals; a lower minimum shows the small groups.
    again = await evaluation.build(w.organiser_id, PERIOD, resamples=300)
    assert again.rows == board.rows
    await comparison.set_min_group_size(w.counsellor, w.organiser_id, "2")
    small = {r.group: r for r in (await evaluation.build(w.organiser_id, PERIOD, resamples=300)).rows}
    assert not small["young_adults"].comparison["cost"].suppressed
    assert small["families"].hb["who5"].value == pytest.approx(_mean(expected["families"]["who5"]))
