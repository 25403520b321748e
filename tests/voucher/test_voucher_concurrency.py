"""Acceptance 2: parallel authorisations against a running server, on SQLite and PostgreSQL.

More than 64 authorisations at once (some repeating an idempotency key) ask for more than a
budget line holds. The server (uvicorn, its own process) must approve no more than the line,
replay the first response to every repeat, and the budget API must agree with the ledger.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx

from core import identity
from tests.voucher.vhelpers import make_world
from voucher.schemas import LineInput
from voucher.tables import Authorization, BudgetLine, Transfer

ROOT = Path(__file__).resolve().parents[2]
LINE = 10_000
AMOUNT = 700  # 14 fit (9 800); a 15th would overspend


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`uvicorn hb.app:create_app` in its own process, configured only through the environment."""

    def __init__(self, settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "HB_DATA_DIR": str(settings.data_dir), "HB_SECRET_KEY": settings.secret_key,
               "HB_LOG_LEVEL": "WARNING"}
        env.pop("HB_DATABASE_URL", None)
        if settings.database_url:
            env["HB_DATABASE_URL"] = settings.database_url
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "hb.app:create_app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    async def __aenter__(self) -> "Server":
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError("server died: " + self.proc.stderr.read().decode())
                try:
                    if (await client.get(self.url + "/health")).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("server did not start")

    async def __aexit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def test_parallel_authorisations_never_overspend_and_replay_exactly(db):
    w = await make_world(db.settings.secret_key, lines=[LineInput(category="sport-riding", amount_cents=LINE)])
    headers = {"Authorization": f"Bearer {w.provider_key}"}
    # The client's counsellor reads the budget afterwards (an API key is for the card payment API only).
    counsellor_session = await identity.start_session(w.counsellor.user_id, 1)
    body = {"card_token": w.token, "amount_cents": AMOUNT, "listing_id": w.listing_riding}
    # 80 requests: 16 keys sent 3 times each, and 32 without a key.
    keys = [f"key-{i % 16}" if i < 48 else None for i in range(80)]

    async with Server(db.settings) as server:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as client:
            start = asyncio.Event()

            async def fire(key):
                await start.wait()
                h = {**headers, **({"Idempotency-Key": key} if key else {})}
                r = await client.post("/api/v1/authorizations", json=body, headers=h)
                return key, r.status_code, r.content

            tasks = [asyncio.create_task(fire(k)) for k in keys]
            await asyncio.sleep(0.05)
            start.set()
            results = await asyncio.gather(*tasks)
            org_budget = await client.get(f"/api/v1/clients/{w.client_id}/budget",
                                          cookies={identity.SESSION_COOKIE: counsellor_session})

    assert all(status == 201 for _, status, _ in results), {s for _, s, _ in results}
    by_key = defaultdict(set)
    for key, _, content in results:
        if key:
            by_key[key].add(content)
    # Every repeat of a key got exactly the first response (same bytes, so the same id and decision).
    assert len(by_key) == 16 and all(len(v) == 1 for v in by_key.values())

    decisions = {json.loads(c)["id"]: json.loads(c) for _, _, c in results}
    assert len(decisions) == 16 + 32  # one effect per key
    approved = [d for d in decisions.values() if d["status"] == "approved"]
    declined = [d for d in decisions.values() if d["status"] == "declined"]
    assert len(approved) * AMOUNT <= LINE and len(approved) == LINE // AMOUNT
    assert {d["decline_code"] for d in declined} == {"insufficient_funds"}

    # The budget API and the ledger agree with what was approved.
    line = await BudgetLine.select().where(BudgetLine.client_id == w.client_id).first().run()
    holds = await Transfer.select().where((Transfer.kind == "hold") & (Transfer.status == "pending")).run()
    budget = org_budget.json()
    assert budget["lines"][0]["held_cents"] == line["held_cents"] == sum(t["amount_cents"] for t in holds) == len(approved) * AMOUNT
    assert budget["lines"][0]["available_cents"] == LINE - len(approved) * AMOUNT
    assert await Authorization.count().where(Authorization.client_id == w.client_id).run() == 48

