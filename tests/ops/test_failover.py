"""Issue 21, deliverable 1: the primary is lost, the synchronous standby is promoted, and no payment
a terminal was told was approved is lost.

A primary and a streaming standby (local clusters: initdb, pg_basebackup) with
``synchronous_commit = on`` and ``synchronous_standby_names`` naming the standby: a commit returns
only once the standby has the WAL. A server process (uvicorn, the app's factory) is given both as
one libpq-style URL, ``postgresql://…:P1,…:P2/hb?target_session_attrs=read-write``. Authorisations
and captures, each with its own Idempotency-Key, are driven at it concurrently; the primary is
stopped the hard way (``pg_ctl stop -m immediate``), the standby promoted, and the load goes on.

Checked: every authorisation answered ``approved`` is on the new primary (the counts are printed
and must be equal), the ledger's invariants hold (no line below zero, counters equal the rows), the
same server process answers again within a few seconds of the promotion, requests cut by the
failover answer 503 (retryable, with Retry-After), their retries with the same key give one effect, and
a retry of an answered request gives its first answer byte for byte.
"""

import asyncio
import itertools
import json
import time

import httpx
import pytest

from core.settings import Settings
from tests.hardening.drive import Call, Tally, money_load, replay_unanswered, send
from tests.hardening.test_faults import SECRET, UNLIMITED, assert_acknowledged_are_kept, bound
from tests.hardening.world import CARDS, Server, document, run_hb
from tests.ops.pg import Node, need_server_binaries, sql, wait_for

STANDBY = "hb_standby"


async def _synchronous(primary: Node) -> bool:
    rows = await sql(primary.url_of("postgres"),
                     "SELECT sync_state FROM pg_stat_replication WHERE application_name = $1", STANDBY)
    return bool(rows) and rows[0]["sync_state"] == "sync"


async def _answered(tally: Tally, count: int) -> bool:
    return len(tally.of("authorise", 201)) >= count


async def _first_approval(url: str, key: str, body: dict, tally: Tally, timeout: float = 30) -> float:
    """Send new authorisations (each with its own key, kept in ``tally`` like the load's) until one is
    approved; returns when it was (time.monotonic())."""
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        for n in itertools.count():
            if time.monotonic() > deadline:
                break
            call = await send(client, Call("authorise", f"probe-{n}", body, "/api/v1/authorizations"), key, tally)
            if call.status == 201 and call.answer["status"] == "approved":
                return time.monotonic()
            await asyncio.sleep(0.05)
    raise AssertionError(f"no approval within {timeout}s of the promotion")


async def test_failover_to_the_synchronous_standby_loses_no_acknowledged_authorisation(tmp_path, record_property):
    need_server_binaries()
    primary, standby = Node(), Node()
    try:
        primary.init()
        primary.start()
        await sql(primary.url_of("postgres"), "CREATE DATABASE hb")
        url = (f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}/hb"
               "?target_session_attrs=read-write")
        settings = Settings.from_env({"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": SECRET,
                                      "HB_DATABASE_URL": url})
        world_file = tmp_path / "world.json"
        world_file.write_text(json.dumps(document()))
        world = json.loads(run_hb(settings, "import", str(world_file)).stdout)
        key, listing = world["api_keys"]["prov-a"], world["refs"]["lst-riding"]

        standby.base_backup_of(primary, standby=STANDBY)
        standby.start()
        # From now on a commit on the primary returns only when the standby has flushed its WAL.
        await sql(primary.url_of("postgres"), f"ALTER SYSTEM SET synchronous_standby_names = '{STANDBY}'")
        await sql(primary.url_of("postgres"), "SELECT pg_reload_conf()")
        await wait_for(lambda: _synchronous(primary), "the standby to be synchronous")

        async with Server(settings, **UNLIMITED) as server:
            pid = server.proc.pid
            stop, tally = asyncio.Event(), Tally()
            load = asyncio.create_task(money_load(server.url, key, CARDS["cli-a1"], listing, stop=stop, tally=tally,
                                                  concurrency=6, pause=0.005))
            # Some history first (however busy the machine), with requests in flight at the kill.
            await wait_for(lambda: _answered(tally, 12), "a dozen authorisations before the failover", 30)
            answered_before = [c for c in tally.of("authorise", 201)]

            killed = time.monotonic()
            await asyncio.to_thread(primary.stop, "immediate")
            await asyncio.sleep(0.5)  # the operator (or Patroni) notices and promotes
            await asyncio.to_thread(standby.promote)
            promoted = time.monotonic()
            approved_again = await _first_approval(
                server.url, key, {"card_token": CARDS["cli-a2"], "amount_cents": 100, "listing_id": listing}, tally)
            await asyncio.sleep(1.5)  # and the load goes on against the new primary
            stop.set()
            await load

            # Every request the failover cut, sent again with its key; and some answered before it,
            # whose retry must give the first answer byte for byte.
            replays = await replay_unanswered(server.url, key, tally)
            async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
                for call in answered_before[:10]:
                    again = await client.post(call.path, json=call.body, headers={
                        "Authorization": f"Bearer {key}", "Idempotency-Key": call.key})
                    assert (again.status_code, again.json()) == (call.status, call.answer)
            assert server.proc.poll() is None and server.proc.pid == pid, "the server had to be restarted"

        # The server never went away: every request was answered, the cut ones with a 503.
        statuses = tally.statuses()
        assert set(statuses) <= {200, 201, 503}, statuses
        for call in tally.calls:
            if call.status == 503:
                assert call.answer["type"].endswith("/unavailable") and int(call.headers["retry-after"]) > 0
        assert {c.status for c in replays.calls} <= {200, 201}, replays.statuses()
        cut = [c for c in tally.calls if c.status == 503]

        async with bound(Settings.from_env({"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": SECRET,
                                            "HB_DATABASE_URL": standby.url_of("hb")})):
            await assert_acknowledged_are_kept(tally, replays)
            from voucher.tables import Authorization

            acknowledged = {a["id"] for a in tally.acknowledged_authorisations() + replays.acknowledged_authorisations()}
            found = {str(r["id"]) for r in await Authorization.select(Authorization.id).where(
                Authorization.id.is_in(list(acknowledged))).run()} if acknowledged else set()

        recovery, outage = approved_again - promoted, approved_again - killed
        figures = (f"authorisations acknowledged approved {len(acknowledged)}, found on the new primary "
              f"{len(found)}; requests answered 503 during the failover {len(cut)} (money calls retried with their "
              f"keys: {len(replays.calls)}); "
              f"first approval {recovery:.2f} s after the promotion ({outage:.2f} s after the primary was killed)")
        record_property("figures", figures)
        print("\nfailover: " + figures)
        assert len(found) == len(acknowledged)
        assert recovery < 5, f"the app took {recovery:.1f} s to write again after the promotion"
    finally:
        primary.destroy()
        standby.destroy()


async def test_a_silent_first_host_does_not_keep_the_app_from_the_next(tmp_path):
    """A dead machine often does not refuse: its packets are dropped. Here the first host accepts
    the TCP connection and never answers; the app's pool must give it up after the connect timeout
    and use the next host (the suite's PostgreSQL) — asyncpg alone would spend its one timeout on
    the first host and never try the second."""
    import socket
    from urllib.parse import urlparse

    from core import db as core_db
    from tests.conftest import PG_ADMIN_URL, PG_OK

    if not PG_OK:
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}")
    target = urlparse(PG_ADMIN_URL)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = (f"postgresql://{target.username}@127.0.0.1:{silent.getsockname()[1]},{target.hostname}:{target.port}"
               f"{target.path}?target_session_attrs=read-write&connect_timeout=1")
        settings = Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": SECRET, "HB_DATABASE_URL": url})
        previous = core_db._current.get("engine")
        started = time.monotonic()
        engine = core_db.make_engine(settings)
        try:
            await asyncio.wait_for(core_db.start(engine), 20)
            assert (await engine.run_ddl("SELECT 1 AS one"))[0]["one"] == 1
        finally:
            await core_db.stop(engine)
            if previous is not None:
                core_db.bind(previous)
        assert time.monotonic() - started < 10
