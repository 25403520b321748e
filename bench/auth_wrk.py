"""Card authorisation against pgbench with a load driver that does not steal the CPU (issue 20).
Not a test: it prints figures.

    .venv/bin/python bench/auth_wrk.py [--seconds 10] [--connections 16] [--cards 200] [--workers 1,2]
                                      [--no-python-path]

It creates a scratch PostgreSQL database, loads one organiser / provider / listing and ``--cards``
clients with a card each (bench/auth_bench.py's data), and for each worker count starts
``hb serve``'s server (uvicorn, ``--workers N``). The load comes from ``wrk`` (C, one thread,
pinned with ``taskset`` to the last CPU, its own CPU time reported) running a Lua script that gives
every request its own Idempotency-Key and a card of its own (round robin over the cards). Three
runs per worker count: throughput (``--connections`` over all cards), latency below saturation
(2 connections) and the worst case (``--connections`` on one card: each payment waits for the
previous one's commit on the card's row). The same three runs with 1 worker on the Python path
(``HB_AUTHORISE_IN_DATABASE=0``, about 12 round trips) show what the one database call changed.
Then pgbench's TPC-B on the same database, pinned the
same way, and the ratio. CPU per authorisation is measured from /proc: the server's processes and
the database backends serving it (their user + system time over the run ÷ authorisations).
The load average before and after is printed: other work on the machine makes the figures noisy.
"""

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import auth_bench  # noqa: E402 - the same data, server start and pgbench as the Python-driven benchmark

TICK = os.sysconf("SC_CLK_TCK")

LUA = r"""
local cards = %(cards)d
local run = "%(run)s"
local listing = "%(listing)s"
local counter = 0
local thread_id = 0
local one_card = %(one_card)s

function setup(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end

function request()
  counter = counter + 1
  local card = one_card and 0 or (counter %% cards)
  local body = string.format('{"card_token":"hbc_bench_card_%%04d","amount_cents":1,"listing_id":"%%s"}', card, listing)
  local headers = {}
  headers["Authorization"] = "Bearer %(key)s"
  headers["Content-Type"] = "application/json"
  headers["Idempotency-Key"] = string.format("%%s-%%s-%%d", run, tostring(tid), counter)
  return wrk.format("POST", "/api/v1/authorizations", headers, body)
end

function done(summary, latency, requests)
  io.write(string.format('WRK {"requests":%%d,"duration_us":%%d,"non2xx":%%d,"socket_errors":%%d,"p50_us":%%d,"p99_us":%%d}\n',
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def tree(pid: int) -> list[int]:
    """The process and its descendants (uvicorn's worker processes)."""
    out = [pid]
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for c in child.read_text().split():
            out += tree(int(c))
    return out


def backends(db_url: str) -> list[int]:
    name = db_url.rsplit("/", 1)[1]
    sql = f"SELECT pid FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    out = subprocess.run(["psql", "-At", db_url, "-c", sql], capture_output=True, text=True, check=True).stdout
    return [int(p) for p in out.split()]


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wrk(url: str, ids: dict, seconds: float, connections: int, cards: int, one_card: bool, cpu: str) -> dict:
    run = f"r{time.time_ns()}"
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(LUA % {"cards": cards, "run": run, "listing": ids["listing"], "key": ids["key"],
                             "one_card": "true" if one_card else "false"})
    before = children_cpu()
    try:
        out = subprocess.run(["taskset", "-c", cpu, "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                              "-s", str(script), url], capture_output=True, text=True, check=True).stdout
    finally:
        script.unlink()
    line = next(x for x in out.splitlines() if x.startswith("WRK "))
    r = json.loads(line[4:])
    r["per_s"] = r["requests"] / (r["duration_us"] / 1e6)
    r["driver_cpu"] = (children_cpu() - before) / (r["duration_us"] / 1e6)
    return r


def measured(db_url: str, server_pid: int, run) -> dict:
    """Run ``run()`` and add the server's and its database backends' CPU per authorisation."""
    pids, db_pids = tree(server_pid), backends(db_url)
    app0, db0 = cpu_seconds(pids), cpu_seconds(db_pids)
    r = run()
    app1, db1 = cpu_seconds(pids), cpu_seconds(db_pids + [p for p in backends(db_url) if p not in db_pids])
    n = max(1, r["requests"])
    r["app_cpu_ms"] = (app1 - app0) * 1000 / n
    r["db_cpu_ms"] = (db1 - db0) * 1000 / n
    return r


def statuses(db_url: str) -> dict:
    out = subprocess.run(["psql", "-At", db_url, "-c",
                          "SELECT status || ':' || count(*) FROM vc_authorization GROUP BY status"],
                         capture_output=True, text=True, check=True).stdout
    return dict(x.split(":") for x in out.split())


def pgbench(db_url: str, seconds: int, clients: int, cpu: str) -> tuple[float, float, float]:
    """TPC-B's tps, pgbench's own CPU (cores) and its database backends' CPU per transaction (ms),
    the backends sampled from the second second to the last but one."""
    exe = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"
    subprocess.run([exe, "-i", "-q", "-s", "1", db_url], check=True, capture_output=True)
    before = children_cpu()
    proc = subprocess.Popen(["taskset", "-c", cpu, exe, "-c", str(clients), "-j", "1", "-T", str(seconds), db_url],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(1.5)
    pids = backends(db_url)
    t0, c0 = time.monotonic(), cpu_seconds(pids)
    time.sleep(max(0.5, seconds - 2.5))
    t1, c1 = time.monotonic(), cpu_seconds(pids)
    out = proc.communicate()[0]
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out) or re.search(r"tps = ([\d.]+)", out)
    tps = float(match.group(1))
    return tps, (children_cpu() - before) / seconds, (c1 - c0) / (t1 - t0) * 1000 / tps


def report(name: str, r: dict) -> None:
    print(f"  {name}: {r['per_s']:.0f} authorisations/s, p50 {r['p50_us'] / 1000:.1f} ms, p99 {r['p99_us'] / 1000:.1f} ms; "
          f"CPU per authorisation: app {r['app_cpu_ms']:.2f} ms, database {r['db_cpu_ms']:.2f} ms; "
          f"wrk {r['driver_cpu']:.2f} core ({r['requests']} requests, non-2xx {r['non2xx']}, socket errors "
          f"{r['socket_errors']})", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--cards", type=int, default=200)
    p.add_argument("--workers", default="1,2", help="server worker counts to run, comma-separated")
    p.add_argument("--pgbench-clients", type=int, default=8)
    p.add_argument("--no-python-path", dest="python_path", action="store_false",
                   help="skip the comparison run of 1 worker on the Python path (HB_AUTHORISE_IN_DATABASE=0)")
    p.add_argument("--driver-cpu", default=str(os.cpu_count() - 1), help="the CPU wrk and pgbench are pinned to")
    args = p.parse_args()
    counts: list = [int(x) for x in args.workers.split(",")] + (["python"] if args.python_path else [])

    print(f"HB authorisation vs pgbench, wrk-driven: {os.cpu_count()} CPU(s), {args.seconds:.0f} s per run, "
          f"{args.connections} connections, {args.cards} cards, drivers pinned to CPU {args.driver_cpu}; "
          f"load average before {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    name = f"hb_wrk_{os.getpid()}"
    db_url = auth_bench.PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    auth_bench.asyncio.run(auth_bench._pg_admin(f'CREATE DATABASE "{name}"'))
    tmp = Path(tempfile.mkdtemp(prefix="hb-wrk-"))
    results: dict[int, dict] = {}
    try:
        env = auth_bench.env_for(tmp, db_url)
        ids = auth_bench.seed(env, args.cards)
        for workers in counts:
            if workers == "python":
                proc, url = auth_bench.start_server({**env, "HB_AUTHORISE_IN_DATABASE": "0"}, 1)
            else:
                proc, url = auth_bench.start_server(env, workers)
            try:
                time.sleep(1.0)
                wrk(url, ids, 2, args.connections, args.cards, False, args.driver_cpu)  # warm-up
                full = measured(db_url, proc.pid, lambda: wrk(url, ids, args.seconds, args.connections, args.cards,
                                                              False, args.driver_cpu))
                light = measured(db_url, proc.pid, lambda: wrk(url, ids, args.seconds / 2, 2, args.cards, False,
                                                               args.driver_cpu))
                hot = measured(db_url, proc.pid, lambda: wrk(url, ids, args.seconds / 2, args.connections, 1, True,
                                                             args.driver_cpu))
            finally:
                auth_bench.stop(proc)
            results[workers] = full
            print("1 server worker, the Python path (HB_AUTHORISE_IN_DATABASE=0):" if workers == "python"
                  else f"{workers} server worker(s):", flush=True)
            report(f"{args.connections} connections over {args.cards} cards (throughput)", full)
            report("2 connections (latency below saturation)", light)
            report(f"{args.connections} connections on one card (worst case)", hot)
        print(f"authorisations written: {statuses(db_url)}", flush=True)
        tps, pg_cpu, pg_db_ms = pgbench(db_url, int(args.seconds), args.pgbench_clients, args.driver_cpu)
        print(f"pgbench TPC-B (built-in, {args.pgbench_clients} clients, same database, pinned like wrk): "
              f"{tps:.0f} tps; database CPU per transaction {pg_db_ms:.2f} ms; pgbench {pg_cpu:.2f} core", flush=True)
        for workers, r in results.items():
            name = "1 worker, Python path" if workers == "python" else f"{workers} worker(s)"
            print(f"ratio authorisations/s ÷ pgbench tps, {name}: {r['per_s'] / tps:.2f} (target ≥ 0.5); "
                  f"p99 {r['p99_us'] / 1000:.1f} ms (target ≤ 50 ms)", flush=True)
        print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        auth_bench.asyncio.run(auth_bench._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
