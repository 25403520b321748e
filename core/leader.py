"""One job runner among several server processes (``hb serve --workers N``; docs/decisions/0048).

The background jobs (the settlement schedule, the outbox and fact drains, hold expiry, the evidence
sweep, reminders…) run in exactly one process. On PostgreSQL that is the process holding a
session-level advisory lock (``JOBS_LOCK``) on a connection of its own, outside the pool; the
others try again every ``RETRY_S`` seconds, so when the runner's process ends (its connection and
the lock with it) another one takes over. The runner checks its connection every ``RETRY_S``
seconds and stops its jobs if it is lost. On SQLite there is only one process: it runs them.

The lock's connection must reach PostgreSQL itself: a transaction-pooling proxy (pgbouncer) would
hand the session, and the lock, to someone else.
"""

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from core.settings import Settings

log = logging.getLogger("hb.jobs")

# pg_try_advisory_lock's key: "HBJOBS" as a number.
JOBS_LOCK = 0x4842_4A4F_4253
RETRY_S = 5.0


async def lead(settings: Settings, start: Callable[[], list[asyncio.Task]]) -> None:
    """Run the jobs ``start`` starts while this process is the runner; until cancelled."""
    if not settings.is_postgres:
        tasks = start()
        try:
            await asyncio.Event().wait()
        finally:
            await _stop(tasks)
    import asyncpg

    while True:
        conn = None
        tasks: list[asyncio.Task] = []
        try:
            conn = await asyncpg.connect(settings.database_url, server_settings={"application_name": "hb-jobs"})
            while not await conn.fetchval("SELECT pg_try_advisory_lock($1)", JOBS_LOCK):
                await asyncio.sleep(RETRY_S)
            log.info("this process runs the background jobs", extra={"status": os.getpid()})
            tasks = start()
            while True:
                await asyncio.sleep(RETRY_S)
                await conn.fetchval("SELECT 1")  # the lock lives as long as this connection
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - lost the database: stop the jobs, try to lead again
            log.warning("background jobs: lost the runner's database connection; trying again", exc_info=True)
        finally:
            await _stop(tasks)
            if conn is not None:
                with contextlib.suppress(Exception):
                    await conn.close(timeout=2)
        await asyncio.sleep(RETRY_S)


async def _stop(tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
