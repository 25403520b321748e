"""Database engines, binding of every Piccolo table to one engine, write transactions, migrations.

SQLite is the embedded default; PostgreSQL is used when ``HB_DATABASE_URL`` says so. One engine is
bound at a time (``bind``): the app factory, the CLI and the tests call it explicitly, so nothing
depends on environment variables read at import time.
"""

import asyncio
import contextlib
import contextvars
import io
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import msgspec
from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from core import reporting_db
from core.settings import Settings
from core.sqlite_engine import PooledSQLiteEngine

SQLITE_BUSY_TIMEOUT_S = 30
log = logging.getLogger("hb")


# With several hosts, how long one may take to connect before the next is tried (libpq's
# ``connect_timeout`` in the URL overrides it, as libpq's applies to each host).
CONNECT_TIMEOUT_PER_HOST_S = 5.0


def postgres_config(settings: Settings) -> dict[str, Any]:
    """What asyncpg is given to connect (Piccolo passes it on to ``asyncpg.create_pool``).

    The URL may name several hosts, libpq's way (``postgresql://h1:5432,h2:5432/hb?
    target_session_attrs=read-write``): the first that accepts writes is used, so a pool connection
    lost with a failed primary is replaced by one to the promoted standby (decision 0049). Behind
    pgbouncer in transaction mode a session's prepared statements may sit on another server
    connection, so none are kept (decision 0050)."""
    parsed = urlsplit(settings.database_url or "")
    query = [(k, v) for k, v in parse_qsl(parsed.query, keep_blank_values=True) if k != "connect_timeout"]
    given = dict(parse_qsl(parsed.query)).get("connect_timeout")
    config: dict[str, Any] = {"dsn": urlunsplit(parsed._replace(query=urlencode(query)))}
    if given:
        config["timeout"] = float(given)
    elif len(_hosts(config["dsn"])) > 1:
        config["timeout"] = CONNECT_TIMEOUT_PER_HOST_S
    if settings.database_pooler == "pgbouncer":
        config["statement_cache_size"] = 0
    return config


def _hosts(dsn: str) -> list[tuple[str, int]]:
    """The (host, port) pairs of a libpq-style URL, in order."""
    pairs = []
    for part in urlsplit(dsn).netloc.rpartition("@")[2].split(","):
        host, _, port = part.rpartition(":") if not part.endswith("]") else (part, "", "")
        host = host or part
        pairs.append((host.strip("[]"), int(port) if port.isdigit() else 5432))
    return pairs


async def _connect_host_by_host(dsn: str, **kwargs: Any):
    """The pool's way to connect when the URL names several hosts: each host in turn, each within
    the connect timeout. (asyncpg's own multi-host connect spends its one timeout on the whole
    list, so a host that silently drops packets — a dead machine — would keep it from ever reaching
    the next one.) A host that is down, silent, starting up or not taking writes is passed over."""
    import asyncpg

    last: BaseException | None = None
    for host, port in _hosts(dsn):
        try:
            return await asyncpg.connect(dsn, host=host, port=port, **kwargs)
        except (OSError, asyncpg.exceptions.TargetServerAttributeNotMatched,
                asyncpg.exceptions.CannotConnectNowError) as exc:
            last = exc
    assert last is not None
    raise last


def make_engine(settings: Settings) -> Engine:
    if settings.database_replica_url and not settings.is_postgres:
        raise ValueError("HB_DATABASE_REPLICA_URL needs a PostgreSQL HB_DATABASE_URL (a replica of it)")
    if settings.is_postgres and settings.database_replica_url:
        # Reports read the replica (core.reporting_db); everything else, and every transaction, the primary.
        replica = msgspec.structs.replace(settings, database_url=settings.database_replica_url)
        return reporting_db.RoutedEngine(config=postgres_config(settings),
                                         replica=PostgresEngine(config=postgres_config(replica)))
    if settings.is_postgres:
        return PostgresEngine(config=postgres_config(settings))
    if settings.database_url and settings.database_url.startswith("sqlite:///"):
        path = settings.database_url.removeprefix("sqlite:///")
    else:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = str(settings.sqlite_path)
    return PooledSQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_S)


def all_tables() -> list[type]:
    """Every app's tables, as Piccolo's configuration (piccolo_conf.py) lists the apps: found the
    way Piccolo's own migrations find it, so the kernel names no app itself."""
    tables: list[type] = [Migration]
    for app_config in Finder().get_app_registry().app_configs.values():
        tables.extend(app_config.table_classes)
    return tables


_current: dict[str, Engine] = {}


def bind(engine: Engine) -> Engine:
    """Make every table (and Piccolo's migration machinery) use ``engine``."""
    Finder().get_piccolo_conf_module().DB = engine
    for table in all_tables():
        table._meta.db = engine
    _current["engine"] = engine
    return engine


def engine() -> Engine:
    if "engine" not in _current:
        raise RuntimeError("No database engine is bound; call core.db.bind() first")
    return _current["engine"]


def is_sqlite() -> bool:
    return engine().engine_type == "sqlite"


def write_transaction():
    """Open a transaction for a use case that writes.

    On SQLite this is ``BEGIN IMMEDIATE``: the write lock is taken at the start, so a read followed
    by a write in the same transaction can never fail with "database is locked" half-way, and
    writers queue on the busy timeout instead. On PostgreSQL it is an ordinary transaction; rows
    that must not race are changed by conditional updates (see voucher.ledger).

    What ``on_commit`` was given inside it runs once the outermost one has committed.
    """
    eng = engine()
    if isinstance(eng, SQLiteEngine):
        return _Committing(eng.transaction(transaction_type=TransactionType.immediate))
    return _Committing(eng.transaction())


_on_commit: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar("hb_on_commit", default=None)


def on_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` (quick, synchronous: a metrics counter) when the write transaction it is
    called in commits — never for one that rolls back or is run again — or now, outside one."""
    pending = _on_commit.get()
    if pending is None:
        callback()
    else:
        pending.append(callback)


class _Committing:
    """The engine's transaction, and what waits for its commit (``on_commit``): the outermost one
    collects, a nested one (the engine's no-op) adds to it."""

    __slots__ = ("_inner", "_token")

    def __init__(self, inner) -> None:
        self._inner = inner
        self._token = None

    async def __aenter__(self):
        if _on_commit.get() is None:
            self._token = _on_commit.set([])
        try:
            return await self._inner.__aenter__()
        except BaseException:
            self._forget()
            raise

    async def __aexit__(self, exc_type, exc, tb):
        try:
            suppress = await self._inner.__aexit__(exc_type, exc, tb)
        except BaseException:
            self._forget()
            raise
        pending = self._forget()
        if exc_type is None and pending:
            for callback in pending:
                try:
                    callback()
                except Exception:  # noqa: BLE001 - what follows a commit never undoes it
                    log.exception("an after-commit callback failed")
        return suppress

    def _forget(self) -> list[Callable[[], None]]:
        if self._token is None:
            return []
        pending = _on_commit.get() or []
        _on_commit.reset(self._token)
        self._token = None
        return pending


def _retryable(exc: BaseException) -> bool:
    name = type(exc).__name__
    if name in {"DeadlockDetectedError", "SerializationError"}:
        return True
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


async def in_write_transaction(op: Callable[[], Awaitable], attempts: int = 5):
    """Run ``op`` in a write transaction (``write_transaction``), again from the start if the
    database asks for a retry.

    Lock order makes deadlocks unlikely; PostgreSQL may still report one (or SQLite a busy
    timeout) under heavy load, and the whole use case is then simply run again. Called inside a
    write transaction that is already open, ``op`` runs in it and the outer runner retries.
    """
    if engine().current_transaction.get() is not None:
        return await op()  # the caller's transaction: its runner retries the whole use case
    for attempt in range(attempts):
        try:
            async with write_transaction():
                return await op()
        except Exception as exc:  # noqa: BLE001 - re-raised unless retryable
            if attempt == attempts - 1 or not _retryable(exc):
                raise
            await asyncio.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


async def add_check(eng: Engine, table: str, name: str, condition: str) -> None:
    """A CHECK constraint added to an existing table, for a migration: PostgreSQL's own; on SQLite
    (which cannot add one to a table) triggers that abort an INSERT or UPDATE breaking it.
    ``condition`` names columns as ``{n}column`` (``NEW.`` on SQLite, nothing on PostgreSQL)."""
    if eng.engine_type == "sqlite":
        for op in ("INSERT", "UPDATE"):
            await eng.run_ddl(
                f"CREATE TRIGGER IF NOT EXISTS {name}_{op.lower()} BEFORE {op} ON {table} "
                f"FOR EACH ROW WHEN NOT ({condition.format(n='NEW.')}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
            )
    else:
        await eng.run_ddl(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition.format(n='')})")


async def _keep_session(connection) -> None:
    """What the pool runs on a connection given back to it, after asyncpg has ended any transaction
    left open. Nothing here changes a session (no SET, LISTEN, advisory locks or open cursors), so
    asyncpg's default reset query — a round trip on every release, several on each authorisation —
    has nothing to undo."""


async def start(eng: Engine) -> None:
    if isinstance(eng, PostgresEngine):
        several = len(_hosts(eng.config["dsn"])) > 1
        await eng.start_connection_pool(min_size=2, max_size=20, reset=_keep_session,
                                        connect=_connect_host_by_host if several else None)
        await reporting_db.start(eng)
    else:
        # WAL lets readers go on while one writer commits; it is a property of the file.
        await eng.run_ddl("PRAGMA journal_mode=WAL")


async def stop(eng: Engine) -> None:
    if isinstance(eng, PostgresEngine):
        await reporting_db.stop(eng)
        with contextlib.suppress(Exception):
            await eng.close_connection_pool()
    elif isinstance(eng, PooledSQLiteEngine):
        await eng.close_pool()


async def migrate(quiet: bool = False) -> list[str]:
    """Run every pending Piccolo migration of every app on the bound engine.

    Returns the names of the migrations that ran.
    """
    await Migration.create_table(if_not_exists=True).run()
    before = {row["name"] for row in await Migration.select(Migration.name).run()}
    out = io.StringIO()
    with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise RuntimeError(f"Migration failed: {result.message}\n{out.getvalue()}")
    after = [row["name"] for row in await Migration.select(Migration.name).order_by(Migration.id).run()]
    return [name for name in after if name not in before]


async def pending_migrations() -> bool:
    await Migration.create_table(if_not_exists=True).run()
    manager = BaseMigrationManager()
    done = {row["name"] for row in await Migration.select(Migration.name).run()}
    for app_name in manager.get_sorted_app_names():
        app_config = manager.get_app_config(app_name)
        ids = manager.get_migration_ids(manager.get_migration_modules(app_config.resolved_migrations_folder_path))
        if set(ids) - done:
            return True
    return False


@contextlib.asynccontextmanager
async def lifespan_engine(settings: Settings) -> AsyncIterator[Engine]:
    eng = bind(make_engine(settings))
    await start(eng)
    try:
        yield eng
    finally:
        await stop(eng)


async def ping() -> bool:
    try:
        await engine().run_ddl("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "unreachable" for /health
        return False


def rows(result: Any) -> list[dict]:
    return list(result or [])
