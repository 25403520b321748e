"""Follow-up benchmark: 10k clients and 1M ledger rows, then the organiser dashboard and one client's
page, on SQLite and PostgreSQL.

    .venv/bin/python bench/dashboard_bench.py [--clients 10000] [--ledger 1000000] \
        [--db sqlite,postgres] [--runs 15] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

What it builds (deterministic, seed fixed): two counties (80 % and 20 % of the clients), the eleven
seed categories, 40 providers with 80 approved listings; per client a one-year decision (started
300 days ago) with three budget lines, an HB card, a plan with two goals scored three times; then
payments until the ledger has the asked number of transfers: each payment is an authorisation, a
hold transfer and a capture transfer (about 2 % refunded later, a few holds still live), every
line's counters equal to its transfers. Rows go in with the drivers' bulk paths (executemany,
COPY), after the real migrations, together with the fact the voucher publishes for each capture,
refund and goal score (voucher.facts); the console then applies the facts into its own tables
(admin.facts.drain, timed and printed: on a running server this happens a batch at a time as
payments come in); then ANALYZE.

What it measures, through the whole app in-process (routing, guard, services, SQL, templates):
the organiser dashboard of the big county over the whole past year, and one client's page (a client
of that county with the most payments). "cpu" is this process's CPU time per request (all of the
work on SQLite, which runs in-process; without the server's on PostgreSQL): on a shared machine
the wall-clock figures also carry other processes' load, which is printed. The first dashboard request builds the monthly rollups
(admin.rollup), so it is reported apart; then ``--runs`` requests of each, reported as median, p90
and max. It also prints the caseload page of all the county's clients (paged, 20 a page), which
computes every client's pace to filter and page them.
"""

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import msgspec  # noqa: E402

from admin import facts as admin_facts  # noqa: E402
from core import db as core_db  # noqa: E402
from core import identity  # noqa: E402
from core.tables import Fact  # noqa: E402
from core.settings import Settings  # noqa: E402
from marketplace.tables import (  # noqa: E402
    Listing, ListingApproval, ListingRevision, Organiser, Provider, ProviderApproval, ProviderCategoryApproval, ServiceCategory,
)
from voucher import facts, ledger  # noqa: E402
from voucher.tables import (  # noqa: E402
    Account, Authorization, BudgetDecision, BudgetLine, Capture, Card, Client, ClientPlan, GoalScore, PlanGoal,
    Refund, Transfer,
)

SEED = 6
UTC = dt.timezone.utc
SECRET = "dashboard-bench-secret-" + "x" * 30
PASSWORD = "bench-salasana-2026"
CATEGORIES = (
    ("day-activities", "Päiväaikainen toiminta", True), ("carer-respite", "Omaishoitajan vapaat", True),
    ("transport", "Kuljetuspalvelut", True), ("home-help", "Kotiapu", True),
    ("coaching", "Henkilökohtainen valmennus", False), ("therapy", "Terapia ja kuntoutus", True),
    ("culture-art", "Kulttuuri ja taide", False), ("sport-riding", "Liikunta ja ratsastus", False),
    ("social-farming", "Sosiaalinen maatila ja green care", False), ("peer-support", "Vertaistuki", False),
    ("digital", "Digitaaliset palvelut", False),
)
GROUPS = ("disability_services", "family_carers", "older_people", "families", "young_adults")
# Each group's usual three lines (category, grant in cents for the year).
GROUP_LINES = {
    "disability_services": (("day-activities", 600000), ("transport", 240000), ("sport-riding", 180000)),
    "family_carers": (("carer-respite", 450000), ("home-help", 200000), ("culture-art", 90000)),
    "older_people": (("home-help", 360000), ("transport", 150000), ("peer-support", 60000)),
    "families": (("coaching", 300000), ("therapy", 240000), ("digital", 60000)),
    "young_adults": (("coaching", 360000), ("social-farming", 200000), ("sport-riding", 120000)),
}
MUNICIPALITIES = ("Hyvinkää", "Järvenpää", "Kerava", "Mäntsälä", "Nurmijärvi", "Tuusula", "Vantaa")
CHUNK = 500  # clients per bulk insert


def cols(table) -> list[str]:
    return [c._meta.db_column_name for c in table._meta.columns]


class Loader:
    """Bulk inserts through the database driver (executemany on SQLite, COPY on PostgreSQL)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sqlite: sqlite3.Connection | None = None
        self.pg = None

    async def open(self) -> None:
        if self.settings.is_postgres:
            import asyncpg

            self.pg = await asyncpg.connect(self.settings.database_url)
        else:
            self.sqlite = sqlite3.connect(str(self.settings.sqlite_path), timeout=60)
            self.sqlite.execute("PRAGMA synchronous=OFF")

    async def insert(self, table, rows: list[dict], names: list[str] | None = None) -> None:
        if not rows:
            return
        names = names or cols(table)
        tuples = [tuple(row[n] for n in names) for row in rows]
        if self.pg is not None:
            await self.pg.copy_records_to_table(table._meta.tablename, records=tuples, columns=names)
        else:
            marks = ", ".join("?" for _ in names)
            self.sqlite.executemany(f'INSERT INTO {table._meta.tablename} ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) '
                                    f"VALUES ({marks})", tuples)

    async def commit(self) -> None:
        if self.sqlite is not None:
            self.sqlite.commit()

    async def analyze(self) -> None:
        if self.pg is not None:
            await self.pg.execute("ANALYZE")
        else:
            self.sqlite.execute("ANALYZE")
            self.sqlite.commit()

    async def close(self) -> None:
        if self.pg is not None:
            await self.pg.close()
        if self.sqlite is not None:
            self.sqlite.close()


def js(value) -> str:
    return json.dumps(value)


async def seed_marketplace(rng: random.Random) -> dict:
    orgs = []
    for name, bid in (("Keski-Uudenmaan hyvinvointialue", "3221311-6"), ("Vantaan ja Keravan hyvinvointialue", "3221318-3")):
        org = Organiser(name=name, business_id=bid, municipalities=list(MUNICIPALITIES), iban="FI2112345600000785",
                        bic="NDEAFIHH")
        await Organiser.insert(org).run()
        orgs.append(str(org.id))
    for code, name, traditional in CATEGORIES:
        await ServiceCategory.insert(ServiceCategory(code=code, name_fi=name, traditional=traditional)).run()
    listings: dict[str, list[dict]] = {code: [] for code, _, _ in CATEGORIES}
    for p in range(40):
        category = CATEGORIES[p % len(CATEGORIES)][0]
        provider = Provider(business_id=f"{1000000 + p:07d}-0", name=f"Palvelu {p:02d} Oy", iban="FI3317877893287921",
                            email=f"p{p}@bench.example", categories=[category])
        await Provider.insert(provider).run()
        for org in orgs:
            approval = ProviderApproval(provider=provider.id, organiser=org, status="approved")
            await ProviderApproval.insert(approval).run()
            await ProviderCategoryApproval.insert(
                ProviderCategoryApproval(approval=approval.id, category=category, status="approved")).run()
        for k in range(2):
            price = rng.choice((2500, 3500, 4500, 6000, 7500, 9000))
            municipality = rng.choice(MUNICIPALITIES)
            listing = Listing(provider=provider.id, category=category, title_fi=f"Palvelu {p}-{k}", price_cents=price,
                              unit="session", delivery_mode="at_provider", municipality=municipality, status="approved")
            await Listing.insert(listing).run()
            revision = ListingRevision(listing=listing.id, number=1, content={"category": category, "price_cents": price,
                                                                             "title": {"fi": listing.title_fi}, "unit": "session",
                                                                             "municipality": municipality})
            await ListingRevision.insert(revision).run()
            for org in orgs:
                await ListingApproval.insert(ListingApproval(listing=listing.id, organiser=org, status="approved",
                                                             live_revision=revision.id)).run()
            listings[category].append({"id": listing.id, "provider": provider.id, "price": price})
    return {"organisers": orgs, "listings": listings}


async def seed_people(market: dict, clients: int, transfers_wanted: int, loader: Loader, now: dt.datetime) -> dict:
    rng = random.Random(SEED)
    orgs = market["organisers"]
    counsellor = await identity.create_user(email="ohjaaja@bench.example", display_name="Olli Ohjaaja", role="counsellor",
                                            organiser_id=orgs[0], password=PASSWORD)
    await identity.create_user(email="jarjestaja@bench.example", display_name="Jaana Järjestäjä", role="organiser_admin",
                               organiser_id=orgs[0], password=PASSWORD)
    # Payments per client so that grants + holds + captures + refunds reach transfers_wanted.
    per_client = max(1, math.ceil((transfers_wanted / clients - 3) / 2.02))
    quota = math.ceil(transfers_wanted / clients)
    start = (now - dt.timedelta(days=300)).date()
    end = start + dt.timedelta(days=364)
    totals = {"transfers": 0, "captures": 0, "refunds": 0, "authorisations": 0, "clients": 0, "live_holds": 0}
    busiest: tuple[int, str] = (0, "")
    for first in range(0, clients, CHUNK):
        batch: dict = {t: [] for t in ("client", "decision", "line", "account", "card", "plan", "goal", "score",
                                       "auth", "capture", "refund", "transfer", "fact")}
        for i in range(first, min(clients, first + CHUNK)):
            org = orgs[0] if i % 5 else orgs[1]
            group = GROUPS[i % len(GROUPS)]
            cid, did = uuid.uuid4(), uuid.uuid4()
            created = dt.datetime.combine(start, dt.time(8), tzinfo=UTC)
            batch["client"].append({"id": cid, "ref": None, "organiser_id": uuid.UUID(org), "display_name": f"Asiakas {i:05d}",
                                    "client_group": group, "counsellor_id": uuid.UUID(counsellor) if i % 50 == 0 else None,
                                    "language": "fi", "national_id_hash": None, "created_at": created, "updated_at": created,
                                    "municipality": MUNICIPALITIES[i % len(MUNICIPALITIES)]})
            batch["decision"].append({"id": did, "ref": None, "client": cid, "organiser_id": uuid.UUID(org), "start": start,
                                      "end": end, "status": "active", "carry_over": True, "co_payment_rule": "",
                                      "decided_by": None, "reason": "bench", "created_at": created, "updated_at": created})
            card_id = uuid.uuid4()
            batch["card"].append({"id": card_id, "ref": None, "client": cid, "token_hash": uuid.uuid4().hex + uuid.uuid4().hex,
                                  "token_hint": "0000", "status": "active", "per_transaction_limit_cents": None,
                                  "daily_limit_cents": None, "spend_day": None, "spend_day_cents": 0, "stripe_card_id": None,
                                  "replaced_by": None, "created_at": created, "closed_at": None})
            plan = uuid.uuid4()
            batch["plan"].append({"id": plan, "client": cid, "needs": "", "responsible_user_id": None,
                                  "follow_up_dates": js([]), "created_at": created, "updated_at": created})
            for g in range(2):
                goal = uuid.uuid4()
                batch["goal"].append({"id": goal, "plan": plan, "title": f"Tavoite {g + 1}", "levels": js({}), "position": g,
                                      "created_at": created})
                score = rng.choice((-2, -1, -1, 0))
                for k, days in enumerate((5, 120, 250)):
                    sid, when = uuid.uuid4(), created + dt.timedelta(days=days)
                    batch["score"].append({"id": sid, "goal": goal, "score": score, "scored_by": None, "note": "",
                                           "scored_at": when, "recorded_at": when})
                    batch["fact"].append(_fact(facts.GOAL_SCORE, facts.GoalScoreFact(
                        score_id=sid, goal_id=goal, client_id=cid, organiser_id=uuid.UUID(org), score=score, scored_at=when,
                        recorded_at=when)))
                    score = max(-2, min(2, score + rng.choice((0, 1, 1, 2, -1))))
            lines = []
            for position, (category, granted) in enumerate(GROUP_LINES[group]):
                lid = uuid.uuid4()
                line = {"id": lid, "decision": did, "client_id": cid, "category": category, "position": position,
                        "granted_cents": granted, "held_cents": 0, "spent_cents": 0, "may_fund": js([]),
                        "swap_cap_cents": None, "swap_used_cents": 0}
                lines.append(line)
                batch["account"].append({"id": ledger.line_account(lid), "code": f"line:{lid}", "kind": "line",
                                         "organiser_id": uuid.UUID(org), "created_at": created})
                batch["transfer"].append(_transfer("grant", ledger.funding_account(org), ledger.line_account(lid), granted,
                                                   created))
            count = 0
            made = 3  # the grants
            for k in range(3 * per_client):
                if made >= quota:
                    break
                line = lines[k % 3] if rng.random() < 0.85 else lines[0]
                options = market["listings"][line["category"]]
                listing = rng.choice(options)
                room = line["granted_cents"] - line["spent_cents"] - line["held_cents"]
                amount = min(listing["price"] * rng.choice((1, 1, 1, 2)), room)
                if amount <= 0:
                    continue
                at = created + dt.timedelta(days=rng.uniform(0, 299.5))
                live = made + 2 >= quota and i % 10 == 0
                aid, hold, cap_t, cap = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
                if live:  # a hold from the last hours, not yet captured
                    at = now - dt.timedelta(hours=rng.uniform(0.1, 20))
                    line["held_cents"] += amount
                    totals["live_holds"] += 1
                else:
                    line["spent_cents"] += amount
                batch["auth"].append({
                    "id": aid, "card_id": card_id, "client_id": cid, "organiser_id": uuid.UUID(org), "line_id": line["id"],
                    "provider_id": listing["provider"], "listing_id": listing["id"], "category": line["category"],
                    "amount_cents": amount, "captured_cents": 0 if live else amount, "swap": False,
                    "status": "approved" if live else "captured", "decline_code": None, "message": None,
                    "description": None, "line_available_cents": None, "expires_at": at + dt.timedelta(days=7),
                    "hold_transfer_id": hold, "source": "api", "stripe_authorization_id": None, "api_key_id": None,
                    "actor_user_id": None, "created_at": at, "resolved_at": None if live else at})
                batch["transfer"].append(_transfer("hold", ledger.line_account(line["id"]), ledger.payable_account(listing["provider"]),
                                                   amount, at, status="pending" if live else "posted", authorization_id=aid,
                                                   expires_at=at + dt.timedelta(days=7), id=hold))
                made += 1
                if live:
                    continue
                made += 1
                batch["transfer"].append(_transfer("capture", ledger.line_account(line["id"]), ledger.payable_account(listing["provider"]),
                                                   amount, at, pending_id=hold, authorization_id=aid, capture_id=cap, id=cap_t))
                refunded = 0
                if rng.random() < 0.02:
                    refunded = amount // 2
                    rat = min(at + dt.timedelta(days=rng.uniform(1, 20)), now - dt.timedelta(hours=2))
                    rid, rt = uuid.uuid4(), uuid.uuid4()
                    batch["refund"].append({"id": rid, "capture": cap, "provider_id": listing["provider"],
                                            "organiser_id": uuid.UUID(org), "amount_cents": refunded, "transfer_id": rt,
                                            "stripe_transaction_id": None, "settled_by": "platform", "created_at": rat})
                    batch["transfer"].append(_transfer("refund", ledger.payable_account(listing["provider"]),
                                                       ledger.line_account(line["id"]), refunded, rat, capture_id=cap, id=rt))
                    line["spent_cents"] -= refunded
                    made += 1
                batch["fact"].append(_fact(facts.CAPTURE, facts.CaptureFact(
                    capture_id=cap, authorization_id=aid, organiser_id=uuid.UUID(org), client_id=cid,
                    provider_id=listing["provider"], line_id=line["id"], listing_id=listing["id"], category=line["category"],
                    source="api", flag="", authorised_cents=amount, amount_cents=amount, at=at)))
                if refunded:
                    batch["fact"].append(_fact(facts.REFUND, facts.RefundFact(
                        refund_id=rid, capture_id=cap, organiser_id=uuid.UUID(org), provider_id=listing["provider"],
                        amount_cents=refunded, at=rat)))
                batch["capture"].append({"id": cap, "authorization_id": aid, "provider_id": listing["provider"],
                                         "organiser_id": uuid.UUID(org), "client_id": cid, "line_id": line["id"],
                                         "amount_cents": amount, "refunded_cents": refunded, "swap": False, "transfer_id": cap_t,
                                         "stripe_transaction_id": None, "flag": "", "settled_by": "platform", "created_at": at})
                count += 1
            batch["line"].extend(lines)
            if org == orgs[0] and count > busiest[0]:
                busiest = (count, str(cid))
        for key, table in (("client", Client), ("decision", BudgetDecision), ("line", BudgetLine), ("account", Account),
                           ("card", Card), ("plan", ClientPlan), ("goal", PlanGoal), ("score", GoalScore),
                           ("auth", Authorization), ("capture", Capture), ("refund", Refund), ("transfer", Transfer)):
            await loader.insert(table, batch[key])
        await loader.insert(Fact, batch["fact"], ["kind", "payload", "at"])
        await loader.commit()
        totals["transfers"] += len(batch["transfer"])
        totals["captures"] += len(batch["capture"])
        totals["refunds"] += len(batch["refund"])
        totals["authorisations"] += len(batch["auth"])
        totals["clients"] += len(batch["client"])
        print(f"  … {totals['clients']} clients, {totals['transfers']} transfers", end="\r", flush=True)
    print()
    return {**totals, "client_page": busiest[1]}


def _fact(kind: str, payload) -> dict:
    """A fact as the voucher publishes it in the transaction that books the row (voucher.facts)."""
    return {"kind": kind, "payload": msgspec.json.encode(payload).decode(), "at": payload.at if hasattr(payload, "at")
            else payload.recorded_at}


def _transfer(kind, debit, credit, amount, at, *, status="posted", pending_id=None, authorization_id=None,
              capture_id=None, expires_at=None, id=None) -> dict:
    return {"id": id or uuid.uuid4(), "kind": kind, "debit_account_id": debit, "credit_account_id": credit,
            "amount_cents": amount, "status": status, "pending_id": pending_id, "expires_at": expires_at,
            "authorization_id": authorization_id, "capture_id": capture_id, "batch_id": None, "created_at": at,
            "resolved_at": None if status == "pending" else at}


async def measure(settings: Settings, client_id: str, runs: int, now: dt.datetime) -> dict:
    from litestar.testing import AsyncTestClient

    from hb.app import create_app

    app = create_app(settings, run_workers=False)
    out: dict = {}
    async with AsyncTestClient(app=app) as http:
        await http.get("/login")
        token = http.cookies.get("hb_csrf")
        response = await http.post("/login", data={"email": "jarjestaja@bench.example", "password": PASSWORD, "next": "/",
                                                   "_csrf_token": token}, follow_redirects=False)
        assert response.status_code in (302, 303), response.text[:300]
        first_month = (now - dt.timedelta(days=330)).strftime("%Y-%m")
        dashboard = f"/organiser/dashboard?from={first_month}&to={now:%Y-%m}"
        started = time.perf_counter()
        response = await http.get(dashboard)
        assert response.status_code == 200, response.text[:500]
        out["first dashboard (builds the rollups)"] = [(time.perf_counter() - started, float("nan"))]
        for name, url in (("organiser dashboard (12 months)", dashboard),
                          ("one client's page", f"/follow-up/clients/{client_id}"),
                          ("caseload, all county clients, page 1", "/follow-up/caseload?all=1")):
            times = []
            for _ in range(runs if "caseload" not in name else max(3, runs // 3)):
                started, cpu = time.perf_counter(), time.process_time()
                response = await http.get(url)
                times.append((time.perf_counter() - started, time.process_time() - cpu))
                assert response.status_code == 200, (url, response.status_code)
            out[name] = times
        out["_dashboard_bytes"] = len(response.content)
    return out


async def run_one(kind: str, args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="hb-dashboard-bench-"))
    env = {"HB_DATA_DIR": str(tmp), "HB_SECRET_KEY": SECRET, "HB_LOG_LEVEL": "WARNING"}
    dbname = None
    if kind == "postgres":
        import asyncpg

        dbname = f"hb_dashboard_bench_{os.getpid()}"
        admin = await asyncpg.connect(args.pg)
        await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        await admin.execute(f'CREATE DATABASE "{dbname}"')
        await admin.close()
        env["HB_DATABASE_URL"] = args.pg.rsplit("/", 1)[0] + "/" + dbname
    settings = Settings.from_env(env)
    now = dt.datetime.now(UTC)
    print(f"\n== {kind} ==")
    try:
        engine = core_db.bind(core_db.make_engine(settings))
        await core_db.start(engine)
        await core_db.migrate(quiet=True)
        started = time.perf_counter()
        market = await seed_marketplace(random.Random(SEED))
        loader = Loader(settings)
        await loader.open()
        totals = await seed_people(market, args.clients, args.ledger, loader, now)
        await loader.close()
        drained_at = time.perf_counter()
        drained = await admin_facts.drain()
        print(f"the console applied {drained} facts (payments and goal scores) into its own tables in "
              f"{time.perf_counter() - drained_at:.0f} s")
        await loader.open()
        await loader.analyze()
        await loader.close()
        await core_db.stop(engine)
        print(f"loaded in {time.perf_counter() - started:.0f} s: {totals['clients']} clients, {totals['transfers']} ledger "
              f"transfers ({totals['authorisations']} authorisations, {totals['captures']} captures, {totals['refunds']} "
              f"refunds, {totals['live_holds']} live holds)")
        results = await measure(settings, totals["client_page"], args.runs, now)
        size = results.pop("_dashboard_bytes")
        print(f"{'page (wall-clock ms)':44} {'median':>9} {'p90':>9} {'max':>9} {'cpu med':>9}  ({args.runs} runs; load "
              f"{os.getloadavg()[0]:.1f})")
        for name, times in results.items():
            ms = sorted(t * 1000 for t, _ in times)
            cpu = statistics.median(c * 1000 for _, c in times)
            p90 = ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]
            print(f"{name:44} {statistics.median(ms):9.1f} {p90:9.1f} {max(ms):9.1f} {cpu:9.1f}")
        print(f"(last caseload page: {size} bytes)")
    finally:
        if dbname:
            import asyncpg

            admin = await asyncpg.connect(args.pg)
            await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--ledger", type=int, default=1_000_000, help="ledger transfers to generate")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pg", default=os.environ.get("HB_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    for kind in args.db.split(","):
        asyncio.run(run_one(kind.strip(), args))


if __name__ == "__main__":
    main()
