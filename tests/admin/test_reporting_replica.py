"""Issue 21, deliverable 3: the reports read the reporting replica (``HB_DATABASE_REPLICA_URL``), say
how far behind it is, and money decisions never read it.

The replica is a real one: a local primary and a ``pg_basebackup -R`` streaming replica of it
(tests/streaming_replica.py). With the replica's replay paused, a payment made on the primary is
missing from the dashboard, its CSV, budgets page and caseload (they read the replica, and the
page says how far behind it is) while an authorisation made at the same moment — even inside a
report's reads — counts it (the primary). When replay resumes, the page has it and says
"ajantasainen"; with the replica down, the reports read the primary and say so.
"""

import asyncio
import json
import subprocess
import uuid

import asyncpg
import httpx
import pytest

from admin import dashboard, domain
from admin import facts as console_facts
from core import db as core_db
from core import i18n, identity, metrics, reporting_db
from tests.admin.builders import organiser_admin
from tests.conftest import Lifespan, _settings
from tests.streaming_replica import Clusters, caught_up
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher.schemas import AuthorizationRequest

PERIOD = domain.period_from("2026-01", "2026-03", domain.helsinki_date(NOW))


@pytest.fixture(scope="module")
def clusters():
    made = Clusters()
    try:
        yield made.start()
    finally:
        made.stop()


async def _pay(w, settings, cents: int, *, capture: bool = True) -> dict:
    req = AuthorizationRequest(card_token=w.token, amount_cents=cents, listing_id=w.listing_riding)
    got = json.loads((await auth.authorise(w.provider, req, settings=settings, now=NOW)).body)
    assert got["status"] == "approved", got
    if capture:
        await auth.capture(w.provider, got["id"], cents, now=NOW)
    return got


async def _spent_on_replica(organiser_id: str) -> tuple[reporting_db.Source, int]:
    async with reporting_db.reads() as source:
        board = await dashboard.build(organiser_id, PERIOD, NOW, "fi", refresh=False)
    return source, board.summary["total_net_cents"]


async def test_reports_read_the_replica_and_show_its_lag(clusters, tmp_path):
    settings = _settings(tmp_path, clusters.primary_url, database_replica_url=clusters.replica_url)
    eng = core_db.bind(core_db.make_engine(settings))
    assert isinstance(eng, reporting_db.RoutedEngine)
    await core_db.start(eng)
    try:
        await core_db.migrate(quiet=True)
        w = await make_world(settings.secret_key)
        admin = await organiser_admin(w.organiser_id)
        await _pay(w, settings, 1000)
        await console_facts.drain()  # what the console's background work does on the primary
        await caught_up(clusters.primary_url, clusters.replica_url)

        source, spent = await _spent_on_replica(w.organiser_id)
        assert source.replica and source.used and spent == 1000

        # Replay paused: the primary goes on, the replica stays where it is.
        replica = await asyncpg.connect(clusters.replica_url)
        await replica.execute("SELECT pg_wal_replay_pause()")
        await asyncio.sleep(1.5)
        await _pay(w, settings, 2500)
        await console_facts.drain()

        source, spent = await _spent_on_replica(w.organiser_id)
        assert spent == 1000 and source.used and source.lag_s is not None and source.lag_s >= 1
        gauges = {s.name: s.value for s in await metrics._read_all(settings)}  # what /metrics reports of it
        assert gauges["hb_reporting_replica_up"] == 1 and gauges["hb_reporting_replica_lag_seconds"] >= 1
        primary_board = await dashboard.build(w.organiser_id, PERIOD, NOW, "fi", refresh=False)
        assert primary_board.summary["total_net_cents"] == 3500  # the same query on the primary

        # A money decision inside a report's reads still reads the primary: the line has lost
        # 1 000 + 2 500 and now holds 500 more.
        async with reporting_db.reads():
            decided = await _pay(w, settings, 500, capture=False)
        assert decided["line_available_cents"] == 540000 - 1000 - 2500 - 500

        # The pages and the CSV read the replica and say how far behind it is.
        from hb.app import create_app

        app = create_app(settings, engine=eng, run_workers=False)
        app.state.clock = lambda: NOW
        token = await identity.start_session(admin.user_id, 1)
        async with Lifespan(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t", cookies={"hb_session": token}) as client:
                page = await client.get("/organiser/dashboard?from=2026-01&to=2026-03")
                assert page.status_code == 200, page.text
                assert "Tietojen viive:" in page.text and "(raportointikopio): sitä uudemmat maksut eivät vielä näy" in page.text
                assert i18n.money(1000, "fi") in page.text and i18n.money(3500, "fi") not in page.text
                data = (await client.get("/organiser/dashboard/export/by_category?from=2026-01&to=2026-03&format=data")).text
                assert "10.00" in data and "35.00" not in data
                # The caseload's CSV: the line has spent 10 € on the replica (35 € and 5 € held on the primary).
                rows = (await client.get("/follow-up/caseload.csv?scope=county&format=data")).text
                assert ",10.00," in rows and "35.00" not in rows and ",5.00," not in rows
                for path in ("/organiser/budgets?from=2026-01&to=2026-03", "/follow-up/caseload?scope=county"):
                    other = await client.get(path)
                    assert other.status_code == 200 and "(raportointikopio)" in other.text, path

                await replica.execute("SELECT pg_wal_replay_resume()")
                await caught_up(clusters.primary_url, clusters.replica_url)
                page = await client.get("/organiser/dashboard?from=2026-01&to=2026-03")
                assert "Tietojen viive: ajantasainen (raportointikopio)." in page.text
                assert i18n.money(3500, "fi") in page.text

                # The replica stops: the reports read the primary, and say so.
                await replica.close()
                subprocess.run([*clusters.as_postgres, str(clusters.bin / "pg_ctl"), "-D", str(clusters.base / "replica"),
                                "-m", "immediate", "-w", "stop"], check=True, capture_output=True, cwd=clusters.base)
                clusters.started.remove(clusters.base / "replica")
                page = await client.get("/organiser/dashboard?from=2026-01&to=2026-03")
                assert page.status_code == 200
                assert "Raportointikopio ei vastannut, joten tiedot luettiin päätietokannasta." in page.text
                assert i18n.money(3500, "fi") in page.text
        assert {s.name: s.value for s in await metrics._read_all(settings)}["hb_reporting_replica_up"] == 0
    finally:
        await core_db.stop(eng)


async def test_without_a_replica_the_pages_are_up_to_date(db, client, app):
    """No replica (SQLite, or PostgreSQL without one): reports read the bound engine and say
    "ajantasainen"; ``read_only_query`` reads it too and refuses anything that writes."""
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    admin = await organiser_admin(w.organiser_id)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(admin.user_id, 1))
    for path in ("/organiser/dashboard", "/organiser/budgets", "/follow-up/caseload"):
        page = await client.get(path)
        assert page.status_code == 200 and "Tietojen viive: ajantasainen." in page.text, path
    assert reporting_db.reporting_engine() is db.engine
    rows = await reporting_db.read_only_query("SELECT COUNT(*) AS n FROM vc_client WHERE organiser_id = {}",
                                              uuid.UUID(w.organiser_id))
    assert rows[0]["n"] == 1
    for sql in ("DELETE FROM vc_client", "WITH x AS (DELETE FROM vc_client RETURNING id) SELECT * FROM x",
                "UPDATE vc_client SET display_name = 'x'"):
        with pytest.raises(ValueError):
            await reporting_db.read_only_query(sql)
    assert (await reporting_db.lag()) == reporting_db.PRIMARY


def test_a_replica_needs_postgresql(tmp_path):
    settings = _settings(tmp_path, None, database_replica_url="postgresql://postgres@127.0.0.1:5432/replica")
    with pytest.raises(ValueError, match="HB_DATABASE_REPLICA_URL"):
        core_db.make_engine(settings)


def test_lag_is_written_plainly():
    assert reporting_db.Source(replica=True, used=True, lag_s=4.2).lag_text == "4 s"
    assert reporting_db.Source(replica=True, used=True, lag_s=125).lag_text == "2 min 5 s"
    assert reporting_db.Source(replica=True, used=True, lag_s=3 * 3600 + 600).lag_text == "3 h 10 min"
    assert reporting_db.Source(replica=True, used=True, lag_s=0.4).current
    assert not reporting_db.Source(replica=True, used=True, lag_s=2).current
