"""Issue 6, acceptance 1: every dashboard figure and its CSV equal sums computed independently from
the ledger, over generated data — two organisers, every client group, payments over six months at
three providers, partial captures, voids, expired holds and refunds in later months — for several
periods, read once mid-way (so the rollup and the live tail both carry part of the data) and again
at the end.

The expected numbers come from ``vc_transfer`` rows with plain Python: a capture transfer moves money
from a budget line to a provider, a refund moves it back; the authorisation the transfer names says
the category and listing, the line says the client.
"""

import csv
import datetime as dt
import io
import random
import uuid
from collections import defaultdict

from admin import dashboard, domain
from core import identity
from core.clock import HELSINKI
from core.identity import Actor
from marketplace.tables import Listing, Provider, ServiceCategory
from tests.admin.builders import add_client, add_goal, at, mark_traditional, organiser_admin, pay, refund, void, world
from tests.helpers import login
from tests.voucher.vhelpers import add_listing, add_provider
from voucher import ledger
from voucher.tables import Authorization, BudgetDecision, BudgetLine, Client, ClientPlan, GoalScore, PlanGoal, Transfer

GROUPS = ("disability_services", "family_carers", "older_people", "families", "young_adults")
MID = at(2026, 3, 31, 22)  # 1 April 01:00 in Helsinki: March is whole, April not yet
END = at(2026, 6, 20, 12)


async def _taxi(w) -> tuple[Actor, str]:
    await ServiceCategory.insert(ServiceCategory(code="transport", name_fi="Kuljetuspalvelut")).on_conflict(
        action="DO NOTHING").run()
    provider_id = await add_provider(w.organiser_id, "Taksi Tuulia", f"{uuid.uuid4().int % 10**7:07d}-7",
                                     "approved", ["transport"])
    listing = await add_listing(w.organiser_id, provider_id, "transport", "approved", price=3500)
    await Listing.update({Listing.municipality: "Kerava"}).where(Listing.id == listing).run()
    key_id, _ = await identity.create_api_key(provider_id=provider_id, label="taxi")
    return Actor(role="provider_staff", provider_id=provider_id, api_key_id=key_id, display_name="taxi"), listing


async def _generate(db) -> dict:
    """Plan every money movement first, then run them in time order (as they would happen)."""
    rng = random.Random(6)
    secret = db.settings.secret_key
    worlds = [await world(secret), await world(secret)]
    await mark_traditional()
    plan: list[tuple[dt.datetime, str, tuple]] = []
    # A terminal names how many units of a listing a payment is for (its price ceiling, issue 16).
    prices: dict[str, int] = {}
    out: dict = {"worlds": worlds, "clients": {}, "prices": prices}
    for wi, w in enumerate(worlds):
        taxi, taxi_listing = await _taxi(w)
        sellers = [(w.provider, w.listing_riding), (w.provider, None), (w.other_provider, w.listing_art), (taxi, taxi_listing)]
        prices.update({w.listing_riding: 7500, w.listing_art: 5500, taxi_listing: 3500})
        for ci in range(6):
            group = GROUPS[(ci + wi) % len(GROUPS)]
            client = await add_client(w, secret, f"Asiakas {wi}-{ci}", group,
                                      municipality=("Tuusula", "Kerava", "Järvenpää", "")[(ci + wi) % 4])
            out["clients"][client.id] = w.organiser_id
            for _ in range(9):
                month = rng.randint(1, 6)
                when = at(2026, month, rng.randint(1, 18 if month == 6 else 28), rng.randint(6, 18))
                provider, listing = rng.choice(sellers)
                amount = rng.choice((2500, 3500, 5500, 7500, 12000))
                fate = rng.choice(("capture", "capture", "capture", "partial", "void", "held", "refund"))
                plan.append((when, "pay", (provider, client.token, amount, listing, fate, rng.randint(20, 60))))
            if ci % 2 == 0:
                await add_goal(w, client.id, "Liikun viikoittain", [(at(2026, 1, 10), -1), (at(2026, 5, 10), ci % 3)])
    plan.sort(key=lambda item: item[0])
    out["plan"] = plan
    return out


async def _run(db, data: dict, until: dt.datetime | None, after: dt.datetime | None = None) -> None:
    for when, _, (provider, token, amount, listing, fate, later_days) in data["plan"]:
        if (until and when >= until) or (after and when < after):
            continue
        # As many units of the listing as the amount needs (a terminal says so; none without a listing).
        units = -(-amount // data["prices"][listing]) if listing else None
        if fate == "held":
            await pay(db.settings, provider, token, amount, when, listing=listing, capture=0, quantity=units)
        elif fate == "void":
            got = await pay(db.settings, provider, token, amount, when, listing=listing, capture=0, quantity=units)
            await void(provider, got["authorization_id"], when + dt.timedelta(hours=2))
        elif fate == "partial":
            await pay(db.settings, provider, token, amount, when, listing=listing, capture=amount - 1000, quantity=units)
        else:
            got = await pay(db.settings, provider, token, amount, when, listing=listing, quantity=units)
            if fate == "refund":
                # The refund comes later (possibly in the next month) and for part of it.
                refund_at = when + dt.timedelta(days=later_days % 35)
                await refund(provider, got["capture_id"], amount // 2, min(refund_at, END - dt.timedelta(hours=3)))


# --- Expected figures, from the ledger -----------------------------------------------------------


async def _ledger_view() -> dict:
    lines = {ledger.line_account(r["id"]): r for r in await BudgetLine.select().run()}
    decisions = {r["id"]: r for r in await BudgetDecision.select().run()}
    clients = {r["id"]: r for r in await Client.select().run()}
    auths = {r["id"]: r for r in await Authorization.select().run()}
    providers = {ledger.payable_account(r["id"]): str(r["id"]) for r in await Provider.select(Provider.id).run()}
    listings = {r["id"]: r["municipality"] for r in await Listing.select(Listing.id, Listing.municipality).run()}
    transfers = await Transfer.select().order_by(Transfer.created_at).run()
    return {"lines": lines, "decisions": decisions, "clients": clients, "auths": auths, "providers": providers,
            "listings": listings, "transfers": transfers}


def _movements(view: dict) -> list[dict]:
    """Every capture (+) and refund (−) transfer with what it was for."""
    by_capture = {t["capture_id"]: t for t in view["transfers"] if t["kind"] == "capture"}
    out = []
    for t in view["transfers"]:
        if t["kind"] == "capture":
            line, provider, sign, origin = view["lines"][t["debit_account_id"]], view["providers"][t["credit_account_id"]], 1, t
        elif t["kind"] == "refund":
            line, provider, sign = view["lines"][t["credit_account_id"]], view["providers"][t["debit_account_id"]], -1
            origin = by_capture[t["capture_id"]]
        else:
            continue
        a = view["auths"][origin["authorization_id"]]
        client = view["clients"][line["client_id"]]
        out.append({
            "organiser_id": str(view["decisions"][line["decision"]]["organiser_id"]),
            "month": t["created_at"].astimezone(HELSINKI).date().replace(day=1),
            "cents": sign * t["amount_cents"], "category": a["category"], "client_group": client["client_group"],
            "provider_id": provider, "municipality": view["listings"].get(a["listing_id"], "") if a["listing_id"] else "",
            "client_id": str(client["id"]), "client_municipality": client["municipality"],
        })
    return out


def _expected_spend(moves: list[dict], organiser_id: str, period: domain.Period) -> dict:
    dims = ("category", "client_group", "provider_id", "municipality", "client_municipality", "month")
    out: dict = {dim: defaultdict(int) for dim in dims}
    out["total"] = 0
    for m in moves:
        if m["organiser_id"] != organiser_id or not (period.first <= m["month"] <= period.last):
            continue
        for dim in dims:
            out[dim][m[dim]] += m["cents"]
        out["total"] += m["cents"]
    return out


def _expected_budget(view: dict, organiser_id: str, now: dt.datetime) -> dict:
    today = now.astimezone(HELSINKI).date()
    valid = {d_id for d_id, d in view["decisions"].items()
             if str(d["organiser_id"]) == organiser_id and d["start"] <= today <= d["end"] and d["status"] == "active"}
    out = defaultdict(int)
    for account, line in view["lines"].items():
        if line["decision"] not in valid:
            continue
        granted = held = spent = 0
        for t in view["transfers"]:
            if t["kind"] == "grant" and t["credit_account_id"] == account:
                granted += t["amount_cents"]
            elif t["kind"] == "grant_reduction" and t["debit_account_id"] == account:
                granted -= t["amount_cents"]
            elif t["kind"] == "capture" and t["debit_account_id"] == account:
                spent += t["amount_cents"]
            elif t["kind"] == "refund" and t["credit_account_id"] == account:
                spent -= t["amount_cents"]
            elif (t["kind"] == "hold" and t["debit_account_id"] == account and t["status"] == "pending"
                  and t["expires_at"] > now):
                held += t["amount_cents"]
        decision = view["decisions"][line["decision"]]
        days = (decision["end"] - decision["start"]).days + 1
        elapsed = min(days, (today - decision["start"]).days + 1)
        used = spent + held
        projected = max(used, min(granted, (2 * used * days + elapsed) // (2 * elapsed)))  # used × days / elapsed, half up
        out["granted_cents"] += granted
        out["held_cents"] += held
        out["spent_cents"] += spent
        out["available_cents"] += granted - held - spent
        out["forecast_used_cents"] += projected
        out["forecast_unused_cents"] += granted - projected
    return out


async def _expected_gas_by_group(organiser_id: str, clients: dict) -> dict[str, tuple[int, int]]:
    scores = await GoalScore.select(GoalScore.goal, GoalScore.score, GoalScore.scored_at).run()
    goals = {r["id"]: r["plan"] for r in await PlanGoal.select(PlanGoal.id, PlanGoal.plan).run()}
    plans = {r["id"]: r["client"] for r in await ClientPlan.select(ClientPlan.id, ClientPlan.client).run()}
    per_goal = defaultdict(list)
    for s in scores:
        per_goal[s["goal"]].append((s["scored_at"], s["score"]))
    per_client = defaultdict(list)
    for goal, values in per_goal.items():
        values.sort()
        if len(values) >= 2:
            per_client[plans[goals[goal]]].append(values[-1][1] - values[0][1])
    out = defaultdict(list)
    for client_id, changes in per_client.items():
        client = clients[client_id]
        if str(client["organiser_id"]) == organiser_id:
            out[client["client_group"]].append(100 * sum(changes) / len(changes))
    return {g: (len(v), half_up(sum(v) / len(v))) for g, v in out.items()}


# --- The test ------------------------------------------------------------------------------------------


def half_up(x: float) -> int:
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def _figure_map(figure, key="key", value="net_cents") -> dict:
    return {row[key]: row[value] for row in figure.rows if row[value]}


def _assert_spend(board, expected) -> None:
    f = board.figures
    assert _figure_map(f["by_category"]) == {k: v for k, v in expected["category"].items() if v}
    assert _figure_map(f["by_group"]) == {k: v for k, v in expected["client_group"].items() if v}
    assert _figure_map(f["by_provider"]) == {k: v for k, v in expected["provider_id"].items() if v}
    assert _figure_map(f["by_municipality"]) == {k: v for k, v in expected["client_municipality"].items() if v}
    assert _figure_map(f["by_service_municipality"]) == {k: v for k, v in expected["municipality"].items() if v}
    assert _figure_map(f["over_time"], "month") == {k: v for k, v in expected["month"].items() if v}
    assert board.summary["total_net_cents"] == expected["total"]
    for fid in ("by_category", "by_group", "by_provider", "by_municipality", "by_service_municipality", "over_time"):
        assert f[fid].total["net_cents"] == expected["total"]


PERIODS = [("2026-01", "2026-06"), ("2026-02", "2026-03"), ("2026-06", "2026-06"), ("2025-01", "2025-12")]


async def test_dashboard_and_csv_figures_equal_the_ledger(db, app, client):
    data = await _generate(db)
    w0, w1 = data["worlds"]
    # Half-way: the dashboard is read (and rolls up what is an hour old), then the rest happens.
    await _run(db, data, MID)
    view = await _ledger_view()
    moves = _movements(view)
    for first, last in PERIODS:
        period = domain.period_from(first, last, MID.date())
        board = await dashboard.build(w0.organiser_id, period, MID, "fi")
        _assert_spend(board, _expected_spend(moves, w0.organiser_id, period))
    await _run(db, data, None, MID)

    view = await _ledger_view()
    moves = _movements(view)
    categories = {r["code"]: r["traditional"] for r in await ServiceCategory.select().run()}
    admin = await organiser_admin(w1.organiser_id, "admin-1@test.example")
    await login(client, {"email": "admin-1@test.example", "password": "admin-salasana-2026"})
    app.state.clock = lambda: END
    for w in (w0, w1):
        budget = _expected_budget(view, w.organiser_id, END)
        gas = await _expected_gas_by_group(w.organiser_id, view["clients"])
        for first, last in PERIODS:
            period = domain.period_from(first, last, END.date())
            expected = _expected_spend(moves, w.organiser_id, period)
            board = await dashboard.build(w.organiser_id, period, END, "fi")
            _assert_spend(board, expected)
            non_traditional = sum(v for k, v in expected["category"].items() if categories.get(k) is False)
            assert _figure_map(board.figures["kinds"]).get("non_traditional", 0) == non_traditional
            assert board.summary["non_traditional_permille"] == (
                half_up(1000 * non_traditional / expected["total"]) if expected["total"] else None)
            assert {r["key"]: r["value"] for r in board.figures["budget"].rows if not r["key"].startswith("ended_")} == dict(budget)
            groups = {r["key"]: r for r in board.figures["cost_effectiveness"].rows}
            for group, net in expected["client_group"].items():
                assert groups[group]["net_cents"] == net
                assert groups[group]["per_client_cents"] == half_up(net / groups[group]["clients"])
            if period.first.year == 2026:
                assert {g: (r["gas_clients"], r["gas_change_x100"]) for g, r in groups.items() if r["gas_clients"]} == gas

        if w is w1:  # the CSV of each figure carries the same numbers, for the admin's own county
            period = domain.period_from("2026-01", "2026-06", END.date())
            expected = _expected_spend(moves, w1.organiser_id, period)
            for fid, dim in (("by_category", "category"), ("by_group", "client_group"),
                             ("by_provider", "provider_id"), ("by_municipality", "client_municipality"),
                             ("by_service_municipality", "municipality")):
                response = await client.get(f"/organiser/dashboard/export/{fid}?from=2026-01&to=2026-06&format=data")
                assert response.status_code == 200, response.text
                assert response.headers["content-type"].startswith("text/csv")
                rows = list(csv.reader(io.StringIO(response.text)))
                header, body, total = rows[0], rows[1:-1], rows[-1]
                net = header.index("Nettokäyttö")
                key = header.index("Tunniste")
                got = {r[key]: round(float(r[net]) * 100) for r in body if float(r[net])}
                assert got == {k: v for k, v in expected[dim].items() if v}
                assert round(float(total[net]) * 100) == expected["total"]
    assert admin.organiser_id == w1.organiser_id


async def test_outcomes_per_provider_and_category_gas_and_nps(db, monkeypatch):
    """GAS change counts each client for the providers and categories their money went to in the
    period; NPS comes from the clients' 0–10 recommend scores (the marketplace's reviews)."""
    from admin import ports

    secret = db.settings.secret_key
    w = await world(secret)
    await mark_traditional()
    rides_only = await add_client(w, secret, "Asiakas Ratsastaja", "young_adults")
    both = await add_client(w, secret, "Asiakas Molemmat", "young_adults")
    await pay(db.settings, w.provider, rides_only.token, 7500, at(2026, 3, 3), listing=w.listing_riding)
    await pay(db.settings, w.provider, both.token, 7500, at(2026, 3, 4), listing=w.listing_riding)
    await pay(db.settings, w.other_provider, both.token, 5500, at(2026, 3, 5), listing=w.listing_art)
    await add_goal(w, rides_only.id, "Tavoite", [(at(2026, 1, 5), -1), (at(2026, 3, 20), 1)])  # +2
    await add_goal(w, both.id, "Tavoite", [(at(2026, 1, 5), 0), (at(2026, 3, 20), 1)])  # +1

    async def reviews(organiser_id, start, end):
        assert organiser_id == w.organiser_id
        return [{"provider_id": w.provider_id, "category": "sport-riding", "score": s} for s in (10, 9, 3)] + [
            {"provider_id": w.other_provider_id, "category": "culture-art", "score": 8}]

    monkeypatch.setattr(ports, "recommend_scores", reviews)
    board = await dashboard.build(w.organiser_id, domain.period_from("2026-03", "2026-03", END.date()), END, "fi")
    providers = {r["key"]: r for r in board.figures["outcomes_provider"].rows}
    assert (providers[w.provider_id]["gas_clients"], providers[w.provider_id]["gas_change_x100"]) == (2, 150)
    assert (providers[w.provider_id]["responses"], providers[w.provider_id]["nps"]) == (3, 33)
    assert (providers[w.other_provider_id]["gas_clients"], providers[w.other_provider_id]["gas_change_x100"]) == (1, 100)
    assert (providers[w.other_provider_id]["responses"], providers[w.other_provider_id]["nps"]) == (1, 0)
    categories = {r["key"]: r for r in board.figures["outcomes_category"].rows}
    assert (categories["sport-riding"]["gas_change_x100"], categories["culture-art"]["gas_change_x100"]) == (150, 100)
    groups = {r["key"]: r for r in board.figures["cost_effectiveness"].rows}
    assert (groups["young_adults"]["clients"], groups["young_adults"]["gas_clients"],
            groups["young_adults"]["gas_change_x100"]) == (2, 2, 150)
