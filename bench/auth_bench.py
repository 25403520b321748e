"""Benchmark of the card authorisation API (issue 3, acceptance 5). Not a test: it prints figures.

    .venv/bin/python bench/auth_bench.py [--seconds 15] [--concurrency 16] [--workers 1]

For PostgreSQL it creates a scratch database, migrates it, loads one organiser / provider /
listing and ``--cards`` clients with a decision and a card each (200 by default) through `hb
import`'s importer, starts the server (uvicorn, its own process), drives
``POST /api/v1/authorizations`` (each with its own Idempotency-Key) from another process over
loopback for a fixed time, and prints authorisations/s and p50/p99 latency: at full load spread
over the cards, with two clients (latency below saturation), and at full load on one card — the
worst case, where every authorisation waits for the one before it to commit (the card's day total
and the budget line are rows that must change one payment at a time).
Then, in the same run and on the same database, it runs pgbench's built-in TPC-B script and
prints its tps and the ratio. Then the same API figures on the embedded SQLite default.
"""

import argparse
import asyncio
import json
import os
import re
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
SECRET = "bench-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
def token(n: int) -> str:
    return f"hbc_bench_card_{n:04d}"


def document(cards: int) -> dict:
    return {
        "format": "hb-import/1",
        "organisers": [{"ref": "org-bench", "name": "Benchmark County", "business_id": "5908301-5",
                        "municipalities": ["Tuusula"]}],
        "categories": [{"ref": "sport-riding", "names": {"fi": "Liikunta ja ratsastus"}, "traditional": False,
                        "requirements": []}],
        "providers": [{"ref": "prov-bench", "business_id": "9603082-8", "name": "Talli Bench Oy",
                       "iban": "FI3317877893287921", "email": "bench@example.test", "languages": ["fi"],
                       "municipalities": ["Tuusula"], "evidence": {},
                       "approvals": [{"organiser": "org-bench", "status": "approved"}], "issue_api_key": True}],
        "listings": [{"ref": "lst-bench", "provider": "prov-bench", "category": "sport-riding",
                      "title": {"fi": "Ratsastusterapia"}, "description": {"fi": "45 min"}, "price_cents": 7500,
                      "unit": "session", "delivery_mode": "at_provider", "municipality": "Tuusula",
                      "languages": ["fi"], "accessibility": [],
                      "approvals": [{"organiser": "org-bench", "status": "approved"}]}],
        "clients": [{"ref": f"cli-{n}", "organiser": "org-bench", "display_name": f"Asiakas {n:04d}",
                     "client_group": "disability_services", "language": "fi",
                     "decision": {"ref": f"dec-{n}", "start": "2000-01-01", "end": "2999-12-31",
                                  "lines": [{"category": "sport-riding", "amount_cents": 10**12, "may_fund": []}]},
                     "card": {"ref": f"card-{n}", "token": token(n)}} for n in range(cards)],
    }


def env_for(data_dir: Path, database_url: str | None) -> dict:
    # The API rate limit is off: the benchmark measures capacity, not the limiter.
    env = {**os.environ, "HB_DATA_DIR": str(data_dir), "HB_SECRET_KEY": SECRET, "HB_LOG_LEVEL": "WARNING",
           "HB_API_RATE_PER_KEY": "0", "HB_API_RATE_PER_ADDRESS": "0"}
    env.pop("HB_DATABASE_URL", None)
    if database_url:
        env["HB_DATABASE_URL"] = database_url
    return env


def seed(env: dict, cards: int) -> dict:
    """Migrate and load the benchmark data in a child process (as `hb import` would)."""
    code = (
        "import asyncio, json, sys\n"
        "from core import db\nfrom core.settings import Settings\nfrom hb import wiring\n"
        "async def main():\n"
        "    s = Settings.from_env()\n"
        "    e = db.bind(db.make_engine(s)); await db.start(e); await db.migrate(quiet=True)\n"
        "    r = await wiring.import_document(json.loads(sys.argv[1]), settings=s)\n"
        "    await db.stop(e)\n"
        "    print(json.dumps({'key': r['api_keys']['prov-bench'], 'listing': r['refs']['lst-bench']}))\n"
        "asyncio.run(main())\n"
    )
    out = subprocess.run([sys.executable, "-c", code, json.dumps(document(cards))], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "hb.app:create_app", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def drive_in_child(url: str, key: str, listing: str, seconds: float, concurrency: int, cards: int) -> dict:
    """The load comes from a separate process, over loopback."""
    args = [sys.executable, __file__, "--drive", url, "--key", key, "--listing", listing,
            "--seconds", str(seconds), "--concurrency", str(concurrency), "--cards", str(cards)]
    out = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


async def drive(url: str, key: str, listing: str, seconds: float, concurrency: int, cards: int) -> dict:
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    bodies = [json.dumps({"card_token": token(n), "amount_cents": 1, "listing_id": listing}).encode() for n in range(cards)]
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def worker(n: int, until: float, record: bool) -> None:
            i = 0
            while time.perf_counter() < until:
                i += 1
                headers = {"Authorization": f"Bearer {key}", "Idempotency-Key": f"{run}-{record}-{n}-{i}",
                           "content-type": "application/json"}
                t0 = time.perf_counter()
                r = await client.post("/api/v1/authorizations", content=bodies[(n * 7919 + i) % cards], headers=headers)
                if record:
                    latencies.append(time.perf_counter() - t0)
                    status = r.json().get("status", str(r.status_code)) if r.status_code == 201 else str(r.status_code)
                    statuses[status] = statuses.get(status, 0) + 1

        warm = time.perf_counter() + min(2.0, seconds / 5)
        await asyncio.gather(*(worker(n, warm, False) for n in range(concurrency)))
        start = time.perf_counter()
        await asyncio.gather(*(worker(n, start + seconds, True) for n in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {"requests": len(latencies), "seconds": elapsed, "per_s": len(latencies) / elapsed,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "statuses": statuses}


def pgbench_tps(db_url: str, seconds: int, clients: int) -> float:
    exe = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    subprocess.run([exe, "-i", "-q", "-s", "1", db_url], check=True, capture_output=True)
    out = subprocess.run([exe, "-c", str(clients), "-j", "2", "-T", str(seconds), db_url], check=True,
                         capture_output=True, text=True).stdout
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(r"tps = ([\d.]+)", out)
    return float(match.group(1))


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def report(name: str, r: dict) -> None:
    print(f"{name}: {r['per_s']:.0f} authorisations/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms "
          f"({r['requests']} requests in {r['seconds']:.1f} s; {r['statuses']})", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    p.add_argument("--pgbench-clients", type=int, default=8)
    p.add_argument("--cards", type=int, default=200, help="clients with a card each; the load is spread over them")
    p.add_argument("--skip-sqlite", action="store_true")
    p.add_argument("--drive")
    p.add_argument("--key")
    p.add_argument("--listing")
    args = p.parse_args()
    if args.drive:
        print(json.dumps(asyncio.run(drive(args.drive, args.key, args.listing, args.seconds, args.concurrency, args.cards))))
        return

    print(f"HB authorisation benchmark: {os.cpu_count()} CPU(s), {args.seconds:.0f} s per run, "
          f"{args.concurrency} concurrent clients, {args.workers} server worker(s), {args.cards} cards", flush=True)
    name = f"hb_bench_{os.getpid()}"
    db_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    tmp = Path(tempfile.mkdtemp(prefix="hb-bench-"))
    try:
        env = env_for(tmp / "pg", db_url)
        ids = seed(env, args.cards)
        proc, url = start_server(env, args.workers)
        try:
            pg = drive_in_child(url, ids["key"], ids["listing"], args.seconds, args.concurrency, args.cards)
            light = drive_in_child(url, ids["key"], ids["listing"], args.seconds / 2, 2, args.cards)
            hot = drive_in_child(url, ids["key"], ids["listing"], args.seconds / 2, args.concurrency, 1)
        finally:
            stop(proc)
        report(f"PostgreSQL, {args.concurrency} clients over {args.cards} cards (throughput)", pg)
        report("PostgreSQL, 2 clients (latency below saturation)", light)
        report(f"PostgreSQL, {args.concurrency} clients on one card (worst case: one payment at a time)", hot)
        tps = pgbench_tps(db_url, int(args.seconds), args.pgbench_clients)
        print(f"pgbench TPC-B (built-in, {args.pgbench_clients} clients, same database): {tps:.0f} tps", flush=True)
        print(f"ratio authorisations/s ÷ pgbench tps: {pg['per_s'] / tps:.2f} (target ≥ 0.5); "
              f"p99 {pg['p99_ms']:.1f} ms (target ≤ 50 ms)", flush=True)
        if not args.skip_sqlite:
            env = env_for(tmp / "sqlite", None)
            ids = seed(env, args.cards)
            proc, url = start_server(env, 1)
            try:
                lite = drive_in_child(url, ids["key"], ids["listing"], args.seconds, args.concurrency, args.cards)
            finally:
                stop(proc)
            report(f"SQLite, {args.concurrency} clients over {args.cards} cards", lite)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
