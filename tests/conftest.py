"""Shared fixtures: a real database per test (SQLite and PostgreSQL), the app and an HTTP client.

Every database is built by running the real Piccolo migrations: once per session into a SQLite
template file (copied for each test) and once per session into a fresh PostgreSQL database
(truncated between tests). When CI=true, an unreachable PostgreSQL fails the run instead of
skipping it.
"""

import asyncio
import os
import shutil
import socket
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest
import pytest_asyncio

from core import db as core_db
from core.settings import Settings
from hb import wiring

# Password hashes stay argon2id, at a cost a test can afford (RFC 9106's minimum memory is far
# above this; production keeps argon2-cffi's default, asserted in tests/hardening). Child processes
# (servers, `hb`) inherit it through the environment.
ARGON2_MEMORY_KIB, ARGON2_TIME_COST = 1024, 1
TEST_ARGON2 = {"HB_ARGON2_MEMORY_KIB": str(ARGON2_MEMORY_KIB), "HB_ARGON2_TIME_COST": str(ARGON2_TIME_COST)}
os.environ.update(TEST_ARGON2)

PG_ADMIN_URL = os.environ.get("HB_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_reachable() -> bool:
    parsed = urlparse(PG_ADMIN_URL)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=2):
            pass
    except OSError:
        return False

    async def probe() -> bool:
        import asyncpg

        try:
            conn = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        except Exception:  # noqa: BLE001
            return False
        await conn.close()
        return True

    return asyncio.run(probe())


PG_OK = _pg_reachable()


def pytest_configure(config):
    from core import identity

    identity.configure_passwords(Settings(argon2_memory_kib=ARGON2_MEMORY_KIB, argon2_time_cost=ARGON2_TIME_COST))
    # Tests call services directly too (core.privacy's export, bookings holding money): wire the
    # packages as the app and the `hb` command do.
    wiring.wire()
    if IN_CI and not PG_OK:
        raise pytest.UsageError(
            f"CI=true but PostgreSQL is unreachable at {PG_ADMIN_URL}: start it "
            "(pg_ctlcluster --skip-systemctl-redirect 15 main start) — database tests must not be skipped in CI."
        )


def pytest_terminal_summary(terminalreporter):
    """Figures a test records (``record_property("figures", text)``, e.g. the failover test's closing
    counts and recovery time) are printed at the end of the run, from every xdist worker too."""
    figures = [(report.nodeid, value) for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", None) == "call"
               for name, value in getattr(report, "user_properties", ()) if name == "figures"]
    if figures:
        terminalreporter.section("figures")
        for nodeid, value in figures:
            terminalreporter.write_line(f"{nodeid.split('::')[-1]}: {value}")


def _settings(tmp: Path, database_url: str | None = None, **overrides) -> Settings:
    env = {"HB_DATA_DIR": str(tmp), "HB_SECRET_KEY": "test-secret-key-for-hb-platform-0123456789", **TEST_ARGON2}
    if database_url:
        env["HB_DATABASE_URL"] = database_url
    return Settings.from_env(env, **overrides)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sqlite_template(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sqlite-template")
    settings = _settings(tmp)
    engine = core_db.bind(core_db.make_engine(settings))
    await core_db.start(engine)
    await core_db.migrate(quiet=True)
    # Closing the last connection checkpoints the WAL into the file, so a copy of the file is whole.
    await core_db.stop(engine)
    return settings.sqlite_path


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pg_holder(tmp_path_factory):
    """Created on first use by a PostgreSQL test: one fresh database for the session."""
    holder: dict = {}

    async def create():
        import asyncpg

        name = f"hb_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        settings = _settings(tmp_path_factory.mktemp("pg"), url)
        engine = core_db.bind(core_db.make_engine(settings))
        await core_db.start(engine)
        await core_db.migrate(quiet=True)
        tables = [t._meta.tablename for t in core_db.all_tables() if t._meta.tablename != "migration"]
        holder.update(name=name, engine=engine, url=url, tables=tables)

    holder["create"] = create
    yield holder
    if "engine" in holder:
        import asyncpg

        await core_db.stop(holder["engine"])
        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'DROP DATABASE IF EXISTS "{holder["name"]}" WITH (FORCE)')
        await admin.close()


async def _empty_pg(url: str, tables: list[str]) -> None:
    """Empty the session's PostgreSQL database between tests, as fresh as after the migrations.

    TRUNCATE of every table costs ~0.9 s here (it rewrites each table's files); deleting the rows of
    the few tables a test filled costs milliseconds. The deletes run with triggers off
    (``session_replication_role = replica``: no foreign-key order to follow, and the audit log's
    append-only trigger, which application code cannot pass, does not stop the test harness)."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        filled = await conn.fetch(" UNION ALL ".join(
            f"SELECT '{t}' AS name WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables))
        statements = [f'DELETE FROM "{row["name"]}";' for row in filled]
        sequences = [row["seq"] for row in await conn.fetch(
            "SELECT schemaname || '.' || sequencename AS seq FROM pg_sequences WHERE sequencename <> 'migration_id_seq'")]
        statements += [f"SELECT setval('{seq}', 1, false);" for seq in sequences]
        await conn.execute("BEGIN; SET LOCAL session_replication_role = replica; " + " ".join(statements) + " COMMIT;")
    finally:
        await conn.close()


class DB:
    """What a test gets: the kind of database, its settings and engine. The settings are the same
    for every test of a kind in one worker (one data directory, emptied before each test), so the
    app built on them can be reused (see ``app``)."""

    def __init__(self, kind: str, settings: Settings, engine):
        self.kind = kind
        self.settings = settings
        self.engine = engine

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgres"


def _empty_dir(path: Path) -> None:
    """What the last test left in the data directory (search index, payout files…) goes."""
    for child in path.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()


@pytest.fixture(scope="session")
def worker_state(tmp_path_factory) -> dict:
    """Per worker: a data directory per database kind, the SQLite engine, the apps built."""
    return {"dirs": {kind: tmp_path_factory.mktemp(f"data-{kind}") for kind in ("sqlite", "postgres")}, "apps": {}}


@pytest_asyncio.fixture(params=["sqlite", "postgres"], loop_scope="session")
async def db(request, sqlite_template, pg_holder, worker_state):
    data_dir = worker_state["dirs"][request.param]
    if request.param == "sqlite":
        engine = worker_state.get("sqlite_engine")
        if engine is not None:
            await core_db.stop(engine)  # no connection stays open on the file about to be replaced
        _empty_dir(data_dir)
        shutil.copyfile(sqlite_template, data_dir / "hb.sqlite3")
        settings = worker_state.setdefault("sqlite_settings", _settings(data_dir))
        if engine is None:
            engine = worker_state["sqlite_engine"] = core_db.make_engine(settings)
        core_db.bind(engine)
        await core_db.start(engine)
        yield DB("sqlite", settings, engine)
        await core_db.stop(engine)
        return
    if not PG_OK:
        pytest.skip(f"PostgreSQL unreachable at {PG_ADMIN_URL}")
    if "engine" not in pg_holder:
        await pg_holder["create"]()
    engine, url, tables = pg_holder["engine"], pg_holder["url"], pg_holder["tables"]
    core_db.bind(engine)
    await _empty_pg(url, tables)
    _empty_dir(data_dir)
    yield DB("postgres", worker_state.setdefault("pg_settings", _settings(data_dir, url)), engine)


@pytest_asyncio.fixture(loop_scope="session")
async def app(db, worker_state):
    """The app for the test's database. Building one costs ~0.35 s (Litestar registers ~200
    routes), so each worker builds one per database kind and reuses it; what a test changes in its
    state (clocks, limiters, backends) is put back afterwards, and every test's requests still run
    the app's whole lifespan (see ``client``)."""
    from hb.app import create_app
    from core.ratelimit import ApiRateLimiter

    cached = worker_state["apps"].get(db.kind)
    if cached is None or cached[1] is not db.engine:
        built = create_app(db.settings, engine=db.engine)
        cached = worker_state["apps"][db.kind] = (built, db.engine, dict(built.state))
    built, _engine, initial = cached
    yield built
    for key in [k for k in built.state if k not in initial]:
        del built.state[key]
    for key, value in initial.items():
        built.state[key] = value
    built.state.api_rate_limiter = ApiRateLimiter.from_settings(db.settings)


class Lifespan:
    """Runs an ASGI app's lifespan in the test's own event loop (the database pool lives there)."""

    def __init__(self, app):
        self.app = app
        self.to_app: asyncio.Queue = asyncio.Queue()
        self.from_app: asyncio.Queue = asyncio.Queue()
        self.task = None

    async def __aenter__(self):
        self.task = asyncio.create_task(self.app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, self.to_app.get, self.from_app.put))
        await self.to_app.put({"type": "lifespan.startup"})
        message = await self.from_app.get()
        if message["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"app failed to start: {message}")
        return self

    async def __aexit__(self, *exc):
        await self.to_app.put({"type": "lifespan.shutdown"})
        await self.from_app.get()
        await self.task


@pytest_asyncio.fixture(loop_scope="session")
async def client(app):
    import httpx

    async with Lifespan(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as test_client:
            yield test_client
