"""Issue 21, deliverable 2: the platform behind pgbouncer in transaction pooling mode.

Debian's pgbouncer 1.18 keeps no prepared statements across transactions, so with
``HB_DATABASE_POOLER=pgbouncer`` asyncpg keeps none (``core.db.postgres_config``). A local
pgbouncer (transaction mode, fewer server connections than the app's pool) stands in front of the
suite's PostgreSQL, and the ledger's concurrency tests run through it unchanged: the parallel
authorisations against a server process, the race for a slot's last place and the same booking
sent at once, and the random money movements with the ledger's invariants checked after every step.
"""

import asyncio

import pytest
import pytest_asyncio

from core import db as core_db
from tests.conftest import DB, PG_ADMIN_URL, PG_OK, _empty_pg, _settings
from tests.marketplace.test_booking_concurrency import test_32_clients_race_for_the_last_place as slot_race
from tests.marketplace.test_booking_concurrency import test_the_same_request_sent_at_once_is_one_booking as same_booking
from tests.ops.pg import Bouncer, need_pgbouncer
from tests.voucher.test_voucher_concurrency import (
    test_parallel_authorisations_never_overspend_and_replay_exactly as parallel_authorisations,
)
from tests.voucher.test_voucher_ledger_stateful import _drive as drive_ledger_machine


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def bouncer():
    need_pgbouncer()
    if not PG_OK:
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}")
    from urllib.parse import urlparse

    target = urlparse(PG_ADMIN_URL)
    async with Bouncer(target.hostname or "127.0.0.1", target.port or 5432) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def pooled(bouncer, pg_holder, tmp_path, monkeypatch):
    """The worker's PostgreSQL test database, emptied, reached only through pgbouncer: the app's
    settings, the engine the test binds, and the environment the server processes the tests start
    inherit (HB_DATABASE_POOLER; their HB_DATABASE_URL comes from the settings)."""
    monkeypatch.setenv("HB_DATABASE_POOLER", "pgbouncer")
    if "engine" not in pg_holder:
        await pg_holder["create"]()
    await _empty_pg(pg_holder["url"], pg_holder["tables"])
    settings = _settings(tmp_path, bouncer.url_of(pg_holder["name"]), database_pooler="pgbouncer")
    engine = core_db.bind(core_db.make_engine(settings))
    await core_db.start(engine)
    try:
        yield DB("postgres", settings, engine)
    finally:
        await core_db.stop(engine)
        core_db.bind(pg_holder["engine"])


async def test_through_pgbouncer_the_pool_keeps_no_prepared_statements(pooled):
    # Many queries and short transactions at once from the app's pool over few server connections:
    # with asyncpg's statement cache a connection's named statement would be missing ("does not
    # exist") or clash ("already exists") on the server connection its next query is given.
    from voucher.tables import BudgetLine

    async def worker(n: int) -> int:
        for i in range(8):
            await BudgetLine.count().where(BudgetLine.granted_cents > n * i).run()
            async with core_db.write_transaction():
                await BudgetLine.select(BudgetLine.id).where(BudgetLine.granted_cents > i).run()
        return n

    assert sorted(await asyncio.gather(*(worker(n) for n in range(30)))) == list(range(30))


async def test_parallel_authorisations_through_pgbouncer(pooled):
    await parallel_authorisations(pooled)


async def test_the_race_for_a_slot_through_pgbouncer(pooled):
    await slot_race(pooled)


async def test_the_same_booking_at_once_through_pgbouncer(pooled):
    await same_booking(pooled)


async def test_random_money_movements_through_pgbouncer(pooled):
    # The state machine of tests/voucher/test_voucher_ledger_stateful.py on its own engine from the
    # pooled settings; fewer examples than there (it is the pooler under test here, not the ledger).
    await asyncio.to_thread(drive_ledger_machine, pooled, 4, 25)


def test_the_pooler_setting_is_read_checked_and_given_to_the_driver(tmp_path):
    from core.backup import describe
    from core.settings import Settings

    base = {"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "k" * 40}
    url = "postgresql://hb@db-a:5432,db-b:6432/hb?target_session_attrs=read-write"
    direct = Settings.from_env({**base, "HB_DATABASE_URL": url})
    assert core_db.postgres_config(direct) == {"dsn": url, "timeout": core_db.CONNECT_TIMEOUT_PER_HOST_S}
    assert describe(direct) == "PostgreSQL database hb on db-a:5432,db-b:6432"
    pooled = Settings.from_env({**base, "HB_DATABASE_URL": url + "&connect_timeout=2",
                                "HB_DATABASE_POOLER": "PgBouncer"})
    assert core_db.postgres_config(pooled) == {"dsn": url, "timeout": 2.0, "statement_cache_size": 0}
    single = Settings.from_env({**base, "HB_DATABASE_URL": "postgresql://hb@db-a/hb"})
    assert core_db.postgres_config(single) == {"dsn": "postgresql://hb@db-a/hb"}
    with pytest.raises(ValueError, match="HB_DATABASE_POOLER"):
        Settings.from_env({**base, "HB_DATABASE_POOLER": "pgpool"})
