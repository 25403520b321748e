"""Disposable PostgreSQL clusters for the operations tests: a primary with a streaming standby, a
cluster archiving its WAL, a pgbouncer in front of a server. All are local processes on free ports
in temporary directories, run as the ``postgres`` user when the tests run as root (initdb and
pgbouncer refuse root); the machine's own cluster is only ever a client's target."""

import asyncio
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.hardening.world import Cluster, _pg_bin, end, free_port

IN_CI = os.environ.get("CI", "").lower() == "true"
PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def missing(what: str) -> None:
    """Skip, saying what is missing, or fail under CI=true (where nothing may silently skip)."""
    if IN_CI:
        pytest.fail(f"CI=true but {what}: install it (scripts/test does) — these tests must run in CI")
    pytest.skip(what)


def as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def give_to_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


class Node(Cluster):
    """A cluster whose postgresql.conf can be added to, and which can be a standby or be promoted."""

    def __init__(self) -> None:
        super().__init__()
        give_to_postgres(self.dir)

    def run(self, *args: str, timeout: float = 120) -> str:
        try:
            done = subprocess.run(as_postgres([str(self.bin / args[0]), *args[1:]]), check=True,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.CalledProcessError as exc:
            log = (self.dir / "log").read_text(errors="replace")[-2000:] if (self.dir / "log").exists() else ""
            raise AssertionError(f"{' '.join(args[:2])} failed: {exc.stderr}\n{log}") from None
        return done.stdout

    def configure(self, **settings: str) -> None:
        """Lines added to postgresql.conf (read when the server starts)."""
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            for key, value in settings.items():
                conf.write(f"{key} = '{value}'\n")

    def start(self) -> None:
        try:
            super().start()
        except subprocess.CalledProcessError:
            raise AssertionError("pg_ctl start failed:\n" + (self.dir / "log").read_text(errors="replace")[-2000:]) from None

    def url_of(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def base_backup_of(self, primary: "Node", *, standby: str | None = None) -> None:
        """This node's data directory becomes a base backup of ``primary`` (WAL streamed with it);
        with ``standby`` it starts as a streaming standby of it under that application name."""
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(self.data),
                 "-X", "stream", "--no-sync", "--checkpoint=fast")
        if standby:
            (self.data / "standby.signal").touch()
            give_to_postgres(self.data / "standby.signal")
            self.configure(primary_conninfo=f"host=127.0.0.1 port={primary.port} user=postgres application_name={standby}")

    def promote(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "30", "promote")


async def sql(url: str, query: str, *args):
    import asyncpg

    conn = await asyncpg.connect(url, timeout=10)
    try:
        return await conn.fetch(query, *args)
    finally:
        await conn.close()


async def wait_for(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def need_pgbouncer() -> None:
    if PGBOUNCER is None:
        missing("pgbouncer is not installed (Debian: apt-get install pgbouncer)")


def need_server_binaries() -> None:
    if _pg_bin() is None:
        missing("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed")


class Bouncer:
    """pgbouncer in transaction pooling mode in front of ``host:port``, on a free port, with fewer
    server connections than the app's pool has clients — so the clients' transactions really are
    multiplexed over shared server connections."""

    def __init__(self, host: str, port: int, *, pool_size: int = 6) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="hb-pgbouncer-"))
        self.port = free_port()
        (self.dir / "users.txt").write_text('"postgres" ""\n')
        (self.dir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={host} port={port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            "auth_type = trust\n"
            f"auth_file = {self.dir / 'users.txt'}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {pool_size}\nmax_client_conn = 500\n"
            f"logfile = {self.dir / 'pgbouncer.log'}\n"
            "admin_users = postgres\n"
            # asyncpg sends these at startup; pgbouncer would otherwise refuse them.
            "ignore_startup_parameters = extra_float_digits\n")
        for path in (self.dir, *self.dir.iterdir()):
            give_to_postgres(path)
        self.proc: subprocess.Popen | None = None

    def url_of(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    async def __aenter__(self) -> "Bouncer":
        # pgbouncer refuses to run as root; -u makes it switch to the postgres user itself.
        user = ["-u", "postgres"] if os.geteuid() == 0 else []
        self.proc = subprocess.Popen([PGBOUNCER, *user, str(self.dir / "pgbouncer.ini")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        async def up() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError("pgbouncer exited: " + self.proc.stderr.read().decode(errors="replace")
                                     + self.log_tail())
            try:
                await sql(self.url_of("postgres"), "SELECT 1")
                return True
            except Exception:  # noqa: BLE001 - not listening yet
                return False

        await wait_for(up, "pgbouncer to accept connections", 15)
        return self

    def log_tail(self) -> str:
        path = self.dir / "pgbouncer.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    async def __aexit__(self, *exc) -> None:
        end(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)
