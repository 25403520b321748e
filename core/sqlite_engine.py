"""Piccolo's SQLite engine with reused connections and a fair queue for writers.

Piccolo's ``SQLiteEngine`` opens a new aiosqlite connection — a new thread and a new file handle —
for every query outside a transaction and for every transaction, and closes it afterwards. Here
that costs ~4.5 ms a query against ~0.2 ms on an open connection, so a page of twenty queries
spent most of its time opening files. ``PooledSQLiteEngine`` keeps a few idle connections and
hands them out one caller at a time:

* a connection goes back to the pool only when it is outside any transaction (the engine runs
  with ``isolation_level=None``, so a connection is clean after COMMIT or ROLLBACK); a connection
  whose query or COMMIT failed is closed instead;
* before a pooled connection is handed out, the database file at the engine's path must still be
  the file the connection opened (same device and inode): a file moved away, deleted or replaced
  by another is never read through an old handle — the caller gets a new connection, or the
  error of opening one (which the app answers with 503);
* pooled connections run on daemon threads: Python waits for non-daemon threads before it runs
  ``atexit``, so an idle connection must never keep a process alive. ``close_pool`` (called by
  ``core.db.stop``) closes them properly.

Writers: a write transaction (``BEGIN IMMEDIATE``) first takes the engine's in-process lock, so
writers of one process queue in order instead of polling in SQLite's busy handler, whose growing
sleeps let late arrivals overtake early ones (p99 2.6 s → 0.39 s in ``bench/auth_bench.py`` with
16 writers). Writers in other processes still meet SQLite's own lock and busy timeout, and a
writer that waited the whole busy timeout for the in-process lock goes on to SQLite's anyway.
"""

import asyncio
import contextlib
import os
import weakref

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

MAX_IDLE = 8


class _PooledTransaction(SQLiteTransaction):
    __slots__ = ("_holds_write_lock",)

    async def __aenter__(self) -> SQLiteTransaction:
        self._holds_write_lock = False
        if self._parent is not None:
            return self._parent
        if self.transaction_type != TransactionType.deferred:
            self._holds_write_lock = await self.engine._acquire_write()
        try:
            self.connection = await self.engine.get_connection()
            try:
                await self.begin()
            except BaseException:
                await self.engine._discard(self.connection)
                raise
        except BaseException:
            self._release_write_lock()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        clean = True
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            clean = False
            raise
        finally:
            if clean:
                await self.engine._release(self.connection)
            else:
                await self.engine._discard(self.connection)
            self.engine.current_transaction.reset(self.context)
            self._release_write_lock()
        return exception is None

    def _release_write_lock(self) -> None:
        if self._holds_write_lock:
            self._holds_write_lock = False
            self.engine._write_lock().release()


class PooledSQLiteEngine(SQLiteEngine):
    __slots__ = ("_idle", "_write_locks", "_write_timeout")

    def __init__(self, path: str, *, timeout: float, **kwargs) -> None:
        super().__init__(path=path, timeout=timeout, **kwargs)
        self._idle: list[tuple[aiosqlite.Connection, tuple[int, int] | None]] = []
        # One lock per event loop (an asyncio.Lock belongs to the loop it first waits in).
        self._write_locks: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._write_timeout = timeout

    # --- connections ------------------------------------------------------------------------

    def _file_id(self) -> tuple[int, int] | None:
        st = os.stat(self.path)
        return st.st_dev, st.st_ino

    async def _open(self) -> aiosqlite.Connection:
        connection = aiosqlite.connect(**self.connection_kwargs)
        # aiosqlite ≥ 0.21 keeps its thread in ``_thread``; older releases are the thread.
        getattr(connection, "_thread", connection).daemon = True
        await connection
        connection.row_factory = dict_factory
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def get_connection(self) -> aiosqlite.Connection:
        while self._idle:
            connection, opened = self._idle.pop()
            try:
                current = self._file_id()
            except OSError:
                current = None
            if current is not None and current == opened:
                return connection
            await self._close(connection)
        connection = await self._open()
        connection._hb_file_id = self._file_id()
        return connection

    async def _release(self, connection: aiosqlite.Connection) -> None:
        if len(self._idle) >= MAX_IDLE or connection.in_transaction:
            await self._close(connection)
            return
        self._idle.append((connection, getattr(connection, "_hb_file_id", None)))

    async def _discard(self, connection: aiosqlite.Connection) -> None:
        await self._close(connection)

    @staticmethod
    async def _close(connection: aiosqlite.Connection) -> None:
        with contextlib.suppress(Exception):
            await connection.close()

    async def close_pool(self) -> None:
        idle, self._idle = self._idle, []
        for connection, _ in idle:
            await self._close(connection)

    # --- writers ----------------------------------------------------------------------------

    def _write_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        lock = self._write_locks.get(loop)
        if lock is None:
            lock = self._write_locks[loop] = asyncio.Lock()
        return lock

    async def _acquire_write(self) -> bool:
        """True when the lock is held; False after waiting the busy timeout (SQLite's own lock
        and busy timeout then decide)."""
        try:
            await asyncio.wait_for(self._write_lock().acquire(), self._write_timeout)
        except TimeoutError:
            return False
        return True

    # --- queries outside a transaction --------------------------------------------------------

    async def _run_in_new_connection(self, query: str, args=None, query_type: str = "generic", table=None):
        connection = await self.get_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                if query_type == "insert" and self.get_version_sync() < 3.35:
                    assert table is not None
                    pk = await self._get_inserted_pk(cursor, table)
                    rows = [{table._meta.primary_key._meta.db_column_name: pk}]
                else:
                    rows = await cursor.fetchall()
        except BaseException:
            await self._discard(connection)
            raise
        await self._release(connection)
        return rows

    async def _run_in_existing_connection(self, connection, query: str, args=None, query_type: str = "generic",
                                          table=None):
        # Piccolo sets the foreign-key pragma before every query in a transaction; the pooled
        # connection has it from the start.
        async with connection.execute(query, args or []) as cursor:
            response = await cursor.fetchall()
            if query_type == "insert" and self.get_version_sync() < 3.35:
                assert table is not None
                pk = await self._get_inserted_pk(cursor, table)
                return [{table._meta.primary_key._meta.db_column_name: pk}]
            return response

    def transaction(self, transaction_type: TransactionType = TransactionType.deferred,
                    allow_nested: bool = True) -> SQLiteTransaction:
        return _PooledTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

