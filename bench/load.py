"""Load script (issue 7, acceptance 4). Not a test: it prints figures and checks the books.

    .venv/bin/python bench/load.py [--seconds 20] [--concurrency 16] [--database both|sqlite|postgres]

For each database it loads a two-county world through `hb import`'s importer (providers with API
keys, approved listings, 24 clients with decisions and cards, an organiser API key), starts the
server (uvicorn, its own process), and drives a mixed workload from another process over loopback
for a fixed time:

    search      anonymous GET /api/v1/search/listings with Finnish queries and facets
    authorise   POST /api/v1/authorizations (own Idempotency-Key), then
    capture     POST …/capture of most of it when approved
    budget      GET /api/v1/clients/{id}/budget with the organiser's key
    book        POST /api/v1/bookings as a signed-in client (the price is held on the budget), then
    confirm     POST …/actions/confirm with the provider's key, then
    cancel      POST …/actions/cancel as the client (the hold is voided, the place freed)

It prints throughput, p50/p99 per operation and overall, and the error rate (anything but the
expected 2xx), then stops the server and checks the ledger invariants of issue 3 over the whole
database (voucher.ledger.check_books), that every acknowledged authorisation and capture is stored,
and that every slot's booked places are exactly its bookings' and every booking's hold is open
exactly while the booking holds its place. The exit code is 1 when an invariant fails or the error
rate is not 0.

The authorisation API's rate limit is turned off for the run: the load comes from one loopback
address and a handful of keys, far above the per-key production default.
"""

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN = os.environ.get("HB_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "load-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
CLIENTS = 24
# Bookings that give their place back, and those whose price is still held (not yet captured).
RELEASED = ("declined", "cancelled", "voided")
HELD = ("requested", "confirmed", "delivered", "disputed")
QUERIES = ["ratsastus", "taide", "kuljetus", "ratsastusterapia", "maalaus", "", "tali", "kotona"]


LOAD_PIN = "4729"


def document() -> dict:
    orgs = [("org-a", "Keski-Uudenmaan hyvinvointialue", "5908301-5", ["Tuusula", "Nurmijärvi"]),
            ("org-b", "Vantaan ja Keravan hyvinvointialue", "2093778-1", ["Vantaa", "Kerava"])]
    providers = [("prov-riding", "9603082-8", "Talli Tuulenpesä Oy", "sport-riding", "Ratsastusterapia", "Tuusula"),
                 ("prov-art", "1819093-0", "Taidepaja Sivellin", "culture-art", "Taideopetus kotona", "Vantaa"),
                 ("prov-taxi", "1572860-0", "Kuljetus Kaarna Oy", "transport", "Kuljetus asiointiin", "Kerava")]
    both = [{"organiser": ref, "status": "approved"} for ref, *_ in orgs]
    return {
        "format": "hb-import/1",
        "organisers": [{"ref": r, "name": n, "business_id": b, "municipalities": m} for r, n, b, m in orgs],
        "categories": [{"ref": c, "names": {"fi": c}, "traditional": c == "transport", "requirements": []}
                       for c in ("sport-riding", "culture-art", "transport")],
        "providers": [{"ref": r, "business_id": b, "name": n, "iban": "FI3317877893287921", "email": f"{r}@load.example",
                       "languages": ["fi"], "municipalities": [m], "evidence": {}, "approvals": both,
                       "issue_api_key": True} for r, b, n, _c, _t, m in providers],
        "listings": [{"ref": f"lst-{r}-{i}", "provider": r, "category": c, "title": {"fi": f"{t} {i}"},
                      "description": {"fi": f"{t}, {45 + i} min. Esteetön."}, "price_cents": 4000 + 500 * i,
                      "unit": "session", "delivery_mode": "at_provider", "municipality": m, "languages": ["fi"],
                      "accessibility": [], "approvals": both}
                     for r, _b, _n, c, t, m in providers for i in range(4)],
        "clients": [{"ref": f"cli-{i:03}", "organiser": orgs[i % 2][0], "display_name": f"Asiakas {i:03}",
                     "client_group": "disability_services", "language": "fi",
                     "decision": {"ref": f"dec-{i:03}", "start": "2000-01-01", "end": "2999-12-31",
                                  "lines": [{"category": c, "amount_cents": 10**11, "may_fund": []}
                                            for c in ("sport-riding", "culture-art", "transport")]},
                     "card": {"ref": f"card-{i:03}", "token": f"hbc_load_{i:03}_card"}} for i in range(CLIENTS)],
    }


def env_for(data_dir: Path, database_url: str | None) -> dict:
    env = {**os.environ, "HB_DATA_DIR": str(data_dir), "HB_SECRET_KEY": SECRET, "HB_LOG_LEVEL": "WARNING",
           "HB_API_RATE_PER_KEY": "0", "HB_API_RATE_PER_ADDRESS": "0"}
    env.pop("HB_DATABASE_URL", None)
    if database_url:
        env["HB_DATABASE_URL"] = database_url
    return env


async def _seed() -> dict:
    from core import db, identity
    from core.settings import Settings
    from hb import wiring
    from marketplace.booking import availability
    from core.clock import utcnow
    from marketplace.booking.schemas import RuleInput
    from voucher import card_consent

    settings = Settings.from_env()
    engine = db.bind(db.make_engine(settings))
    await db.start(engine)
    try:
        await db.migrate(quiet=True)
        result = await wiring.import_document(document(), settings=settings)
        refs = result["refs"]
        # The organisers' admins read budgets signed in (an API key is for the card payment API only).
        org_sessions = {}
        for ref in ("org-a", "org-b"):
            admin_id = await identity.create_user(email=f"{ref}@admin.load.example", display_name="Load admin",
                                                  role="organiser_admin", organiser_id=refs[ref])
            org_sessions[ref] = await identity.start_session(admin_id, 4)
        # Every day, every hour 8–19 (Helsinki), a thousand places: bookings never run out of room.
        staff, staff_sessions = {}, {}
        for ref in result["api_keys"]:
            user_id = await identity.create_user(email=f"{ref}@staff.load.example", display_name="Load staff",
                                                 role="provider_staff", provider_id=refs[ref])
            staff[ref] = identity.Actor(user_id=user_id, role="provider_staff", provider_id=refs[ref], display_name="Load")
            # Staff confirm bookings signed in (a terminal's key may not).
            staff_sessions[ref] = await identity.start_session(user_id, 4)
        for ref, listing_id in refs.items():
            if ref.startswith("lst-"):
                for weekday in range(7):
                    for hour in range(8, 20):
                        await availability.add_rule(staff[ref.split("-", 1)[1].rsplit("-", 1)[0]], listing_id, RuleInput(
                            weekday=weekday, start_time=f"{hour:02d}:00", duration_minutes=60, capacity=1000))
        sessions = []
        for i in range(CLIENTS):
            user_id = await identity.create_user(email=f"asiakas{i:03}@load.example", display_name=f"Asiakas {i:03}",
                                                 role="client", client_id=refs[f"cli-{i:03}"],
                                                 organiser_id=refs[("org-a", "org-b")[i % 2]])
            sessions.append(await identity.start_session(user_id, 4))
            # The client set the card's PIN at /client/pay: a terminal payment over the code-less
            # limit carries it, as the client would type it at the till (issue 16).
            await card_consent.set_pin(identity.Actor(user_id=user_id, role="client", client_id=refs[f"cli-{i:03}"],
                                                      display_name="Load"),
                                       refs[f"cli-{i:03}"], LOAD_PIN, settings=settings, now=utcnow())
    finally:
        await db.stop(engine)
    return {
        "provider_keys": result["api_keys"],
        "sessions": sessions,
        "listings": {ref: refs[ref] for ref in refs if ref.startswith("lst-")},
        "clients": [{"id": refs[f"cli-{i:03}"], "card": f"hbc_load_{i:03}_card", "org": ("org-a", "org-b")[i % 2]}
                    for i in range(CLIENTS)],
        "org_sessions": org_sessions,
        "staff_sessions": staff_sessions,
    }


async def _check() -> dict:
    from core import db
    from core.settings import Settings
    from marketplace.booking.tables import Booking, Slot
    from voucher.ledger import check_books
    from voucher.tables import Authorization, Capture

    acknowledged = json.loads(sys.stdin.read())
    engine = db.bind(db.make_engine(Settings.from_env()))
    await db.start(engine)
    try:
        books = await check_books()
        auths = {str(r["id"]): r["status"] for r in await Authorization.select(Authorization.id, Authorization.status).run()}
        capture_ids = {str(r["id"]) for r in await Capture.select(Capture.id).run()}
        bookings = await Booking.select(Booking.slot, Booking.quantity, Booking.status, Booking.authorization_id).run()
        slots = {str(r["id"]): r["booked"] for r in await Slot.select(Slot.id, Slot.booked).run()}
    finally:
        await db.stop(engine)
    auth_ids = set(auths)
    holding: dict = {}
    wrong_holds = 0
    for b in bookings:
        in_place = b["status"] not in RELEASED
        if in_place:
            holding[str(b["slot"])] = holding.get(str(b["slot"]), 0) + b["quantity"]
        if (auths.get(str(b["authorization_id"])) == "approved") != (b["status"] in HELD):
            wrong_holds += 1
    books["bookings"] = len(bookings)
    books["slots_off"] = sum(1 for sid, booked in slots.items() if booked != holding.get(sid, 0))
    books["wrong_holds"] = wrong_holds
    books["missing_authorisations"] = len(set(acknowledged["authorisations"]) - auth_ids)
    books["missing_captures"] = len(set(acknowledged["captures"]) - capture_ids)
    return books


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def in_child(mode: str, env: dict, *args: str, stdin: str | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, mode, *args], env=env, cwd=ROOT, input=stdin,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


class ServerProcess:
    def __init__(self, env: dict) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "hb.app:create_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log)
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise SystemExit("server died: " + self.log.read().decode(errors="replace")[-3000:])
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- The workload (runs in its own process) -------------------------------------------------------


async def drive(url: str, world: dict, seconds: float, concurrency: int) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    samples: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    counts: dict[str, int] = {}
    acknowledged: dict[str, list[str]] = {"authorisations": [], "captures": []}
    run = uuid.uuid4().hex[:8]
    listings = list(world["listings"].items())
    by_provider = {p: [lid for ref, lid in listings if ref.startswith(f"lst-{p}-")] for p in world["provider_keys"]}
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        cookie = {"hb_session": world["sessions"][0]}
        slots = {}
        for _ref, lid in listings:
            free = (await client.get(f"/api/v1/listings/{lid}/availability", cookies=cookie)).json()["slots"]
            slots[lid] = [slot["starts_at"] for slot in free if slot["free"] > 0]

        async def timed(op: str, expect: tuple[int, ...], call):
            t0 = time.perf_counter()
            try:
                r = await call
                ok = r.status_code in expect
            except httpx.TransportError:
                r, ok = None, False
            samples.setdefault(op, []).append(time.perf_counter() - t0)
            counts[op] = counts.get(op, 0) + 1
            if not ok:
                key = f"{op}:{r.status_code if r is not None else 'transport'}"
                errors[key] = errors.get(key, 0) + 1
            return r if ok else None

        async def worker(n: int, until: float, phase: str) -> None:
            # Keys are unique per phase: a measured request must never be the replay of a warm-up one.
            rnd = random.Random(f"{phase}-{n}")
            for i in itertools.count():
                if time.perf_counter() >= until:
                    return
                roll = rnd.random()
                if roll < 0.3:
                    params = {"q": rnd.choice(QUERIES), "per_page": 10}
                    if rnd.random() < 0.3:
                        params["municipality"] = rnd.choice(["Tuusula", "Vantaa", "Kerava"])
                    await timed("search", (200,), client.get("/api/v1/search/listings", params=params))
                elif roll < 0.4:
                    who = rnd.randrange(len(world["clients"]))
                    cookie = {"hb_session": world["sessions"][who]}
                    ref, lid = rnd.choice(listings)
                    provider = ref.split("-", 1)[1].rsplit("-", 1)[0]
                    b = await timed("book", (201,), client.post("/api/v1/bookings", cookies=cookie, headers={
                        "Idempotency-Key": f"{run}-{phase}-{n}-{i}-b"}, json={"listing_id": lid, "starts_at": rnd.choice(slots[lid])}))
                    if b is None:
                        continue
                    booking = b.json()["id"]
                    await timed("confirm", (200,), client.post(
                        f"/api/v1/bookings/{booking}/actions/confirm", json={},
                        cookies={"hb_session": world["staff_sessions"][provider]}))
                    await timed("cancel", (200,), client.post(
                        f"/api/v1/bookings/{booking}/actions/cancel", json={}, cookies=cookie))
                elif roll < 0.6:
                    c = rnd.choice(world["clients"])
                    await timed("budget", (200,), client.get(
                        f"/api/v1/clients/{c['id']}/budget", cookies={"hb_session": world["org_sessions"][c["org"]]}))
                else:
                    provider = rnd.choice(list(world["provider_keys"]))
                    headers = {"Authorization": f"Bearer {world['provider_keys'][provider]}",
                               "Idempotency-Key": f"{run}-{phase}-{n}-{i}"}
                    amount = rnd.randrange(1000, 9000)
                    # Up to three sessions of a listing (40–55 € each): within its price ceiling (issue 16).
                    body = {"card_token": rnd.choice(world["clients"])["card"], "amount_cents": amount,
                            "listing_id": rnd.choice(by_provider[provider]), "quantity": 3,
                            "client_code": LOAD_PIN if amount > 5000 else None}
                    r = await timed("authorise", (201,), client.post("/api/v1/authorizations", json=body, headers=headers))
                    if r is not None and r.json()["status"] == "approved":
                        acknowledged["authorisations"].append(r.json()["id"])
                        headers["Idempotency-Key"] += "-c"
                        cap = await timed("capture", (200,), client.post(
                            f"/api/v1/authorizations/{r.json()['id']}/capture", json={"amount_cents": amount - 500},
                            headers=headers))
                        if cap is not None:
                            acknowledged["captures"].append(cap.json()["id"])

        warm = time.perf_counter() + min(2.0, seconds / 5)
        await asyncio.gather(*(worker(n, warm, "warm") for n in range(concurrency)))
        samples.clear(), errors.clear(), counts.clear()
        start = time.perf_counter()
        await asyncio.gather(*(worker(n, start + seconds, "run") for n in range(concurrency)))
        elapsed = time.perf_counter() - start

    def pct(values: list[float], p: float) -> float:
        values = sorted(values)
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")

    every = [v for vs in samples.values() for v in vs]
    return {
        "seconds": elapsed, "requests": len(every), "per_s": len(every) / elapsed,
        "p50_ms": pct(every, 0.5), "p99_ms": pct(every, 0.99), "errors": errors,
        "error_rate": sum(errors.values()) / max(1, len(every)),
        "ops": {op: {"n": counts[op], "per_s": counts[op] / elapsed, "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)}
                for op, v in samples.items()},
        "acknowledged": acknowledged,
    }


def one_database(name: str, env: dict, seconds: float, concurrency: int) -> bool:
    world = in_child("--seed", env)
    server = ServerProcess(env)
    try:
        result = in_child("--drive", env, server.url, json.dumps(world), str(seconds), str(concurrency))
    finally:
        server.stop()
    print(f"{name}: {result['per_s']:.0f} requests/s over {result['seconds']:.0f} s ({result['requests']} requests, "
          f"{concurrency} concurrent), p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
          f"error rate {result['error_rate']:.4%} {result['errors'] or ''}", flush=True)
    for op, f in sorted(result["ops"].items()):
        print(f"    {op:<10} {f['per_s']:7.1f}/s  p50 {f['p50_ms']:6.1f} ms  p99 {f['p99_ms']:6.1f} ms  (n={f['n']})")
    try:
        books = in_child("--check", env, stdin=json.dumps(result["acknowledged"]))
    except SystemExit as exc:
        print(f"    ledger invariants: FAILED\n{exc}", flush=True)
        return False
    kept = books["missing_authorisations"] == 0 and books["missing_captures"] == 0
    slots_right = books["slots_off"] == 0 and books["wrong_holds"] == 0
    print(f"    ledger invariants hold over {books['transfers']} transfers, {books['authorisations']} authorisations, "
          f"{books['captures']} captures, {books['lines']} lines; acknowledged all stored: {'yes' if kept else 'NO'}",
          flush=True)
    print(f"    {books['bookings']} bookings: slots whose places are not their bookings' {books['slots_off']}, "
          f"bookings whose hold is wrong {books['wrong_holds']}", flush=True)
    return kept and slots_right and result["error_rate"] == 0


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] in ("--seed", "--drive", "--check"):
        mode = sys.argv[1]
        if mode == "--seed":
            print(json.dumps(asyncio.run(_seed())))
        elif mode == "--check":
            print(json.dumps(asyncio.run(_check())))
        else:
            url, world, seconds, concurrency = sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
            print(json.dumps(asyncio.run(drive(url, world, seconds, concurrency))))
        return 0
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--database", choices=["both", "sqlite", "postgres"], default="both")
    args = p.parse_args()
    print(f"HB mixed load: {os.cpu_count()} CPU(s), {args.seconds:.0f} s per database, {args.concurrency} concurrent "
          "clients over loopback, one server process", flush=True)
    ok = True
    tmp = Path(tempfile.mkdtemp(prefix="hb-load-"))
    try:
        if args.database in ("both", "postgres"):
            name = f"hb_load_{os.getpid()}"
            asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
            try:
                ok &= one_database("PostgreSQL", env_for(tmp / "pg", PG_ADMIN.rsplit("/", 1)[0] + "/" + name),
                                   args.seconds, args.concurrency)
            finally:
                asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if args.database in ("both", "sqlite"):
            ok &= one_database("SQLite", env_for(tmp / "sqlite", None), args.seconds, args.concurrency)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("OK: error rate 0 and the books balance" if ok else "FAILED", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
