"""Shared pieces of the hardening tests: a small two-county world loaded through `hb import`'s
importer, the `hb` command in a child process, a uvicorn server process that can be killed and
restarted, and a disposable PostgreSQL cluster that can be stopped (never the machine's own)."""

import asyncio
import copy
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from core.identity import Actor
from tests import world

ROOT = Path(__file__).resolve().parents[2]
ADMIN = Actor(role="platform_admin", display_name="hardening setup")

CARDS = {"cli-a1": "hbc_hard_a1_0001", "cli-a2": "hbc_hard_a2_0002", "cli-b1": "hbc_hard_b1_0003"}

BOTH = ("org-a", "org-b")
NAMES = {"sport-riding": {"fi": "Liikunta ja ratsastus", "en": "Sport and riding"},
         "culture-art": {"fi": "Kulttuuri ja taide", "en": "Culture and art"}}
DOCUMENT = world.document(
    counties=[world.county("org-a"), world.county("org-b")],
    categories=[world.category(ref, names=names) for ref, names in NAMES.items()],
    providers=[
        world.provider("prov-a", "9603082-8", "Talli Tuulenpesä Oy", email="talli@tuulenpesa.example",
                       approved_by=BOTH, api_key=True),
        world.provider("prov-b", "1819093-0", "Taidepaja Sivellin", iban="FI2112345600000785",
                       email="paja@sivellin.example", municipalities=["Vantaa"], approved_by=BOTH, api_key=True),
    ],
    listings=[
        world.listing("lst-riding", "prov-a", "sport-riding", approved_by=BOTH, title={"fi": "Ratsastusterapia"},
                      description={"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min."}),
        world.listing("lst-art", "prov-b", "culture-art", approved_by=BOTH, price_cents=5500,
                      title={"fi": "Taideopetus kotona"}, description={"fi": "Maalausta ja piirtämistä kotona."},
                      delivery_mode="at_client_home", municipality="Vantaa"),
    ],
    clients=[
        world.client(ref, "org-b" if ref == "cli-b1" else "org-a", display_name=f"Asiakas {ref[-2:]}", token=token,
                     start="2000-01-01", end="2999-12-31",
                     lines=[world.line("sport-riding", 5_000_000, may_fund=["culture-art"]),
                            world.line("culture-art", 300_000)])
        for ref, token in CARDS.items()
    ],
)


def document() -> dict:
    return copy.deepcopy(DOCUMENT)


async def load_world(settings) -> dict:
    """Import the world; returns {"refs": {ref: id}, "api_keys": {provider ref: key}}."""
    return await world.load(document(), settings, actor=ADMIN)


def hb_env(settings, **extra) -> dict:
    env = {**os.environ, "HB_DATA_DIR": str(settings.data_dir), "HB_SECRET_KEY": settings.secret_key,
           "HB_LOG_LEVEL": "WARNING", **extra}
    env.pop("HB_DATABASE_URL", None)
    if settings.database_url:
        env["HB_DATABASE_URL"] = settings.database_url
    return env


def run_hb(settings, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The `hb` command in a child process, configured only through the environment."""
    proc = subprocess.run([sys.executable, "-m", "hb.cli", *args], cwd=ROOT, env=hb_env(settings),
                          capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"hb {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def end(proc: subprocess.Popen | None) -> None:
    """Stop a child process politely (SIGTERM), or after 10 s with SIGKILL."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


class Server:
    """`uvicorn hb.app:create_app` in its own process; ``kill()`` is a SIGKILL, ``start()`` again
    brings up a fresh process on the same port and database."""

    def __init__(self, settings, **env) -> None:
        self.settings = settings
        self.env = env
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        # A file, not a pipe: a pipe nobody reads fills up and blocks the server's logging.
        fd, name = tempfile.mkstemp(prefix="hb-server-", suffix=".log")
        os.close(fd)
        self.log = Path(name)

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def spawn(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", "hb.app:create_app", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
                cwd=ROOT, env=hb_env(self.settings, **self.env), stdout=subprocess.DEVNULL, stderr=log,
            )

    async def start(self, timeout: float = 60) -> "Server":
        self.spawn()
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError("server died: " + self.log_tail())
                try:
                    if (await client.get(self.url + "/health")).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        end(self.proc)
        self.log.unlink(missing_ok=True)

    async def __aenter__(self) -> "Server":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        self.stop()


PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _pg_bin() -> Path | None:
    if (PG_BIN / "initdb").exists():
        return PG_BIN
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class Cluster:
    """A throw-away PostgreSQL cluster (initdb in a temporary directory, a free port, owned by the
    postgres user when we are root). Stopping it is how a test takes the database away; the
    machine's own cluster is never touched."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hb-pgcluster-"))
        self.data = self.dir / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def available(self) -> bool:
        return self.bin is not None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def init(self) -> "Cluster":
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.dir / "log"), "-o",
                  f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off "
                  "-c synchronous_commit=on -c full_page_writes=off", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
