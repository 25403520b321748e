"""The reporting replica: reports read a streaming replica of the PostgreSQL database, so that a
county's year of figures does not load the primary that decides payments (docs/decisions/0051).

``HB_DATABASE_REPLICA_URL`` names the replica. The engine every table is bound to is then a
``RoutedEngine``: the primary, with the replica as its Piccolo *extra node* ``reporting``. A
report runs its reads inside ``reads()``; there a read (a ``SELECT``) made outside a transaction
goes to the replica, and everything else — any write, any statement in a transaction, and so every
money decision, which runs in a write transaction — goes to the primary as always. Outside
``reads()`` nothing changes: the routing is one context variable, looked at only by this engine
(without a replica the engine is Piccolo's own and nothing is looked at).

``reads()`` asks the replica how far behind it is (``lag``) and hands the answer to the page,
which shows it. A replica that does not answer within ``LAG_TIMEOUT_S`` is passed over: the report
reads the primary, and says so.

Other code that reads for reports (a research export) uses ``reporting_engine()`` or
``read_only_query(sql, *args)``: the replica when there is one, else the primary.
"""

import asyncio
import contextlib
import contextvars
import logging
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import msgspec
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.querystring import QueryString

from core import db

log = logging.getLogger("hb")
NODE = "reporting"
LAG_TIMEOUT_S = 2.0
_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_reading: contextvars.ContextVar[bool] = contextvars.ContextVar("hb_reporting_reads", default=False)

# How far the replica's replay is behind what it has received: none when it has replayed all it
# received (an idle primary sends nothing, and the last replayed commit may be old), else the age
# of the last replayed commit. A server that is not a standby is no replica: no lag.
LAG_SQL = """SELECT pg_is_in_recovery() AS standby,
  CASE WHEN NOT pg_is_in_recovery() THEN 0
       WHEN pg_last_wal_receive_lsn() IS NOT NULL AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
       ELSE EXTRACT(EPOCH FROM (clock_timestamp() - pg_last_xact_replay_timestamp())) END AS lag_s"""


class RoutedEngine(PostgresEngine):
    """The primary's engine with the replica as its extra node ``reporting``: inside ``reads()``,
    a ``SELECT`` outside a transaction runs on the replica."""

    def __init__(self, *, config: dict[str, Any], replica: PostgresEngine, **kwargs: Any) -> None:
        super().__init__(config=config, extra_nodes={NODE: replica}, **kwargs)

    async def run_querystring(self, querystring: QueryString, in_pool: bool = True):
        if _reading.get() and self.current_transaction.get() is None and _is_read(querystring):
            return await self.extra_nodes[NODE].run_querystring(querystring, in_pool=in_pool)
        return await super().run_querystring(querystring, in_pool=in_pool)


def _is_read(querystring: QueryString) -> bool:
    """A statement that only reads: it begins with SELECT (Piccolo's selects, counts and exists do;
    its updates and inserts begin otherwise), or WITH and names no writing statement (the console's
    and the voucher's report queries). Anything else is the primary's."""
    head = querystring.template.lstrip()[:6].upper()
    if head == "SELECT":
        return True
    return head.startswith("WITH") and not _WRITES.search(querystring.template)


def replica_of(eng: Engine | None = None) -> PostgresEngine | None:
    eng = eng or db.engine()
    return eng.extra_nodes.get(NODE) if isinstance(eng, RoutedEngine) else None


async def start(eng: Engine) -> None:
    """Open the replica's pool beside the primary's (``core.db.start``). Its sessions are
    read-only, so a write sent there by mistake fails instead of landing on a second database."""
    replica = replica_of(eng)
    if replica is not None:
        await replica.start_connection_pool(
            min_size=1, max_size=10, server_settings={"default_transaction_read_only": "on"})


async def stop(eng: Engine) -> None:
    replica = replica_of(eng)
    if replica is not None:
        with contextlib.suppress(Exception):
            await replica.close_connection_pool()


# --- For reports ---------------------------------------------------------------------------------


class Source(msgspec.Struct, frozen=True, kw_only=True):
    """Where a report read from, for the page to say: ``replica`` (a replica is configured),
    ``used`` (it answered and was read), ``lag_s`` (seconds behind the primary; None: unknown)."""

    replica: bool = False
    used: bool = False
    lag_s: float | None = None

    @property
    def current(self) -> bool:
        """Nothing to wait for: no replica read, or one that has replayed everything (within 1 s)."""
        return not self.used or (self.lag_s is not None and self.lag_s < 1)

    @property
    def lag_text(self) -> str:
        """The lag in the units every language here writes alike: "4 s", "2 min 5 s", "3 h 10 min"."""
        seconds = int(self.lag_s or 0)
        if seconds < 60:
            return f"{seconds} s"
        if seconds < 3600:
            return f"{seconds // 60} min {seconds % 60} s"
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"


PRIMARY = Source()


async def lag(eng: Engine | None = None) -> Source:
    """The replica's state now (``PRIMARY`` when there is none)."""
    replica = replica_of(eng)
    if replica is None:
        return PRIMARY
    try:
        rows = await asyncio.wait_for(replica.run_querystring(QueryString(LAG_SQL)), LAG_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - an unreachable replica is passed over, not an error page
        log.warning("reporting replica unavailable", extra={"error": type(exc).__name__})
        return Source(replica=True, used=False)
    value = rows[0]["lag_s"] if rows else None
    return Source(replica=True, used=True, lag_s=None if value is None else max(0.0, float(value)))


@contextlib.asynccontextmanager
async def reads() -> AsyncIterator[Source]:
    """A report's reads: on the replica while inside (when it answers), and where they came from."""
    source = await lag()
    if not source.used:
        yield source
        return
    token = _reading.set(True)
    try:
        yield source
    finally:
        _reading.reset(token)


@contextlib.contextmanager
def on_primary() -> Iterator[None]:
    """Reads that decide a write (draining an outbox, claiming a rollup's range) are the primary's,
    also when a report calls them."""
    token = _reading.set(False)
    try:
        yield
    finally:
        _reading.reset(token)


def reporting_engine() -> Engine:
    """The engine reports read with: the replica when there is one, else the bound engine."""
    return replica_of() or db.engine()


async def read_only_query(sql: str, *args: Any) -> list[dict]:
    """Rows of one read-only statement (Piccolo's ``{}`` placeholders) on ``reporting_engine()``.
    A statement that is not a SELECT (or a WITH … SELECT that writes nothing) is refused rather than
    sent to a replica or the primary."""
    querystring = QueryString(sql, *args)
    if not _is_read(querystring) or _WRITES.search(sql):
        raise ValueError("read_only_query runs SELECT statements only")
    return list(await reporting_engine().run_querystring(querystring) or [])
