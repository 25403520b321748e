"""A PostgreSQL primary and its streaming replica as two throwaway local clusters, for the tests of
the reporting replica: ``initdb`` in a temporary directory, ``pg_basebackup -R`` for the replica,
free ports, both run as the ``postgres`` user (the suite runs as root). Where the server binaries
are missing the test is skipped — and fails under CI=true, where they must be there."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.hardening.world import free_port

IN_CI = os.environ.get("CI", "").lower() == "true"


def server_bin() -> Path | None:
    """The newest installed PostgreSQL's bin directory (Debian's /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("pg_basebackup")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def require_server() -> Path:
    binaries = server_bin()
    if binaries is None or not (binaries / "initdb").exists():
        message = "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed"
        if IN_CI:
            pytest.fail(message + " — CI must run the reporting replica test")
        pytest.skip(message)
    return binaries


class Clusters:
    """``primary_url`` / ``replica_url`` for database ``hb``; ``stop()`` ends both and removes them."""

    def __init__(self) -> None:
        self.bin = require_server()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.base = Path(tempfile.mkdtemp(prefix="hb-replica-"))
        if self.as_postgres:
            shutil.chown(self.base, "postgres", "postgres")
        self.primary_port, self.replica_port = free_port(), free_port()
        self.started: list[Path] = []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_postgres, *args], check=True, capture_output=True, cwd=self.base, timeout=120)

    def _start(self, data: Path, port: int) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.base / f"{data.name}.log"), "-w", "-t", "60",
                  "-o", f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.base}", "start")
        self.started.append(data)

    def start(self) -> "Clusters":
        primary, replica = self.base / "primary", self.base / "replica"
        self._run(str(self.bin / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8" if Path("/usr/lib/locale/C.utf8").exists() else "--locale=C")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                       "full_page_writes = off\nshared_buffers = 32MB\n")
        self._start(primary, self.primary_port)
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres", "-d", "postgres",
                  "-c", "CREATE DATABASE hb")
        self._run(str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
                  "-D", str(replica), "-R", "-X", "stream", "-c", "fast")
        self._start(replica, self.replica_port)
        return self

    @property
    def primary_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.primary_port}/hb"

    @property
    def replica_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.replica_port}/hb"

    def stop(self) -> None:
        for data in reversed(self.started):
            subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, cwd=self.base, timeout=60)
        shutil.rmtree(self.base, ignore_errors=True)


async def caught_up(primary_url: str, replica_url: str, timeout: float = 30.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    import asyncio

    import asyncpg

    primary = await asyncpg.connect(primary_url)
    replica = await asyncpg.connect(replica_url)
    try:
        target = await primary.fetchval("SELECT pg_current_wal_lsn()::text")
        deadline = time.monotonic() + timeout
        while not await replica.fetchval("SELECT coalesce(pg_last_wal_replay_lsn() >= $1::text::pg_lsn, false)", target):
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not catch up to {target}")
            await asyncio.sleep(0.05)
    finally:
        await primary.close()
        await replica.close()
