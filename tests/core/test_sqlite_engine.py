"""The embedded default's SQLite engine (core.sqlite_engine): connections are reused, but never one
with a transaction left open, never one whose file is no longer at the database's path, and never
in a way that keeps a process from exiting; writers of one process take turns."""

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from piccolo.engine.sqlite import TransactionType
from piccolo.querystring import QueryString

from core.sqlite_engine import PooledSQLiteEngine

ROOT = Path(__file__).resolve().parents[2]


async def _engine(tmp_path: Path) -> PooledSQLiteEngine:
    (tmp_path / "db").mkdir()
    engine = PooledSQLiteEngine(path=str(tmp_path / "db" / "hb.sqlite3"), timeout=5)
    await engine.run_ddl("PRAGMA journal_mode=WAL")
    await engine.run_ddl("CREATE TABLE line (id INTEGER PRIMARY KEY, held INTEGER NOT NULL CHECK (held <= 100))")
    await engine.run_ddl("INSERT INTO line (id, held) VALUES (1, 0)")
    return engine


async def _held(engine) -> int:
    return (await engine.run_querystring(QueryString("SELECT held FROM line WHERE id = 1")))[0]["held"]


async def test_a_failed_transaction_leaves_nothing_behind_on_a_reused_connection(tmp_path):
    engine = await _engine(tmp_path)
    try:
        try:
            async with engine.transaction(TransactionType.immediate):
                await engine.run_querystring(QueryString("UPDATE line SET held = held + 60 WHERE id = 1"))
                await engine.run_querystring(QueryString("UPDATE line SET held = held + 60 WHERE id = 1"))
        except Exception as exc:  # noqa: BLE001 - the CHECK refuses the second hold
            assert "CHECK" in str(exc)
        assert await _held(engine) == 0  # rolled back, and the next caller is outside any transaction
        async with engine.transaction(TransactionType.immediate):
            await engine.run_querystring(QueryString("UPDATE line SET held = held + 40 WHERE id = 1"))
        assert await _held(engine) == 40
        assert engine._idle and not any(conn.in_transaction for conn, _ in engine._idle)
    finally:
        await engine.close_pool()


async def test_a_database_file_moved_away_is_not_read_through_an_old_connection(tmp_path):
    engine = await _engine(tmp_path)
    try:
        assert await _held(engine) == 0 and engine._idle  # a connection waits in the pool
        os.rename(tmp_path / "db", tmp_path / "away")
        try:
            await _held(engine)
            raise AssertionError("read through a connection to a file that is no longer there")
        except Exception as exc:  # noqa: BLE001
            assert "unable to open database file" in str(exc)
        os.rename(tmp_path / "away", tmp_path / "db")
        assert await _held(engine) == 0
    finally:
        await engine.close_pool()


async def test_writers_of_one_process_take_turns_and_all_get_through(tmp_path):
    engine = await _engine(tmp_path)
    await engine.run_ddl("CREATE TABLE hold (id INTEGER PRIMARY KEY, writer INTEGER)")
    order: list[int] = []

    async def writer(n: int) -> None:
        async with engine.transaction(TransactionType.immediate):
            order.append(n)
            await engine.run_querystring(QueryString("INSERT INTO hold (writer) VALUES ({})", n))
            await asyncio.sleep(0.001)  # others wait here for the lock, not in SQLite's busy handler
            order.append(n)

    try:
        await asyncio.gather(*(writer(n) for n in range(24)))
        rows = await engine.run_querystring(QueryString("SELECT COUNT(*) AS n FROM hold"))
        assert rows[0]["n"] == 24
        # Each writer's two marks are next to each other: no two were ever inside at once.
        assert all(order[i] == order[i + 1] for i in range(0, len(order), 2))
    finally:
        await engine.close_pool()


def test_idle_pooled_connections_never_keep_a_process_alive(tmp_path):
    script = textwrap.dedent(f"""
        import asyncio
        from piccolo.querystring import QueryString
        from core.sqlite_engine import PooledSQLiteEngine

        # Bound for the whole process, as core.db binds it to every table.
        ENGINE = PooledSQLiteEngine(path={str(tmp_path / "x.sqlite3")!r}, timeout=5)

        async def main():
            await ENGINE.run_querystring(QueryString("SELECT 1 AS one"))
            assert ENGINE._idle  # left open on purpose
            print("done", flush=True)

        asyncio.run(main())
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr
