"""``hb serve --workers 2`` on PostgreSQL (issue 20, docs/decisions/0048), as real processes: the
background jobs run in exactly one of them (the one holding core.leader's advisory lock; the other
waits for it), and the card API's rate limit is shared through the database, so two processes
together pass no more requests than the limit. On SQLite the command refuses several workers."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from core.leader import JOBS_LOCK
from tests.voucher.vhelpers import make_world

ROOT = Path(__file__).resolve().parents[2]
RATE = 2  # per key and second: 8 requests per 4-second window, shared by both processes
WINDOW_S = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(settings, **extra) -> dict:
    env = {**os.environ, "HB_DATA_DIR": str(settings.data_dir), "HB_SECRET_KEY": settings.secret_key,
           "HB_LOG_LEVEL": "WARNING", **extra}
    env.pop("HB_DATABASE_URL", None)
    if settings.database_url:
        env["HB_DATABASE_URL"] = settings.database_url
    return env


async def _jobs_runners(url: str) -> tuple[int, int]:
    """(processes contending to run the jobs, of them holding the lock)."""
    conn = await asyncpg.connect(url)
    try:
        contending = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'hb-jobs' AND datname = current_database()")
        holding = await conn.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            JOBS_LOCK >> 32, JOBS_LOCK & 0xFFFFFFFF)
        return contending, holding
    finally:
        await conn.close()


async def test_two_workers_run_the_jobs_once_and_share_the_rate_limit(db):
    if not db.is_postgres:
        pytest.skip("several workers are PostgreSQL's (see the SQLite test below)")
    w = await make_world(db.settings.secret_key)
    port = free_port()
    env = env_for(db.settings, HB_API_RATE_PER_KEY=str(RATE), HB_API_RATE_PER_ADDRESS="0")
    proc = subprocess.Popen([sys.executable, "-m", "hb.cli", "serve", "--port", str(port), "--workers", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            deadline = time.monotonic() + 90
            runners = (0, 0)
            while time.monotonic() < deadline:
                assert proc.poll() is None, proc.stderr.read().decode()
                try:
                    healthy = (await client.get(url + "/health")).status_code == 200
                except httpx.TransportError:
                    healthy = False
                runners = await _jobs_runners(db.settings.database_url)
                if healthy and runners[0] == 2:
                    break
                await asyncio.sleep(0.3)
            # Both processes are up and want to run the jobs; exactly one holds the lock and runs them.
            assert runners == (2, 1), runners
            await asyncio.sleep(1.5)  # the other keeps waiting for the lock
            assert await _jobs_runners(db.settings.database_url) == (2, 1)

            # 40 payments at once on fresh connections (the kernel spreads them over both processes).
            body = {"card_token": w.token, "amount_cents": 100, "listing_id": w.listing_riding}
            headers = {"Authorization": f"Bearer {w.provider_key}"}
            started = time.monotonic()
            answers = await asyncio.gather(*(client.post(url + "/api/v1/authorizations", json=body, headers=headers)
                                             for _ in range(40)))
            elapsed = time.monotonic() - started
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
    statuses = [a.status_code for a in answers]
    assert set(statuses) <= {201, 429}, statuses
    passed = statuses.count(201)
    # One process alone would pass 8 per window; two, each counting on its own, 16. Shared: 8 per
    # window the burst spans.
    windows = 1 + int(elapsed // WINDOW_S)
    assert 1 <= passed <= RATE * WINDOW_S * windows, (passed, elapsed)
    assert statuses.count(429) >= 40 - RATE * WINDOW_S * windows


def test_several_workers_are_refused_on_sqlite(tmp_path):
    env = {**os.environ, "HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "k" * 48}
    env.pop("HB_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "hb.cli", "serve", "--workers", "2"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "needs PostgreSQL" in done.stdout + done.stderr


def _serve(settings, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "hb.cli", "serve", "--port", str(port)], cwd=ROOT,
                            env=env_for(settings), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


async def _wait_for(url: str, wanted: tuple[int, int], seconds: float) -> tuple[int, int]:
    deadline = time.monotonic() + seconds
    runners = await _jobs_runners(url)
    while runners != wanted and time.monotonic() < deadline:
        await asyncio.sleep(0.3)
        runners = await _jobs_runners(url)
    return runners


async def test_when_the_job_runner_stops_another_process_takes_over(db):
    if not db.is_postgres:
        pytest.skip("several server processes are PostgreSQL's")
    first = _serve(db.settings, free_port())
    second = None
    try:
        # The first server alone: it runs the jobs.
        assert await _wait_for(db.settings.database_url, (1, 1), 90) == (1, 1)
        second = _serve(db.settings, free_port())
        # The second waits for the lock while the first holds it.
        assert await _wait_for(db.settings.database_url, (2, 1), 90) == (2, 1)
        os.killpg(first.pid, 9)  # the runner dies without a goodbye: its connection, and the lock, go
        first.wait(timeout=15)
        # Within the retry interval (5 s) the second runs them.
        assert await _wait_for(db.settings.database_url, (1, 1), 20) == (1, 1)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, 15)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)
