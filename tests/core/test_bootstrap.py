"""The first account of a fresh install (issue 14): `hb admin create EMAIL` reads the password from
standard input, refuses a weak one and an address that has an account (changing nothing), prints
{"user_id"} — and that account signs in; `hb serve` says what to run while no platform admin exists.
On SQLite and PostgreSQL."""

import asyncio
import json
import subprocess
import sys

from core import bootstrap, identity
from core.tables import AuditEvent, User
from tests.hardening.world import ROOT, hb_env

PASSWORD = "ensimmainen-yllapitaja-2026"


def _create(settings, email: str, stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hb.cli", "admin", "create", email], cwd=ROOT, check=False,
                          env=hb_env(settings), input=stdin, capture_output=True, text=True, timeout=120)


async def test_hb_admin_create_makes_the_first_platform_admin_and_nothing_else(db):
    assert await bootstrap.first_run_notice("http://127.0.0.1:8000/") is not None
    weak = await asyncio.to_thread(_create, db.settings, "root@county.example", "short\n")
    assert weak.returncode == 1 and "at least 12 characters" in weak.stderr and weak.stdout == ""
    bad = await asyncio.to_thread(_create, db.settings, "not-an-address", PASSWORD + "\n")
    assert bad.returncode == 1 and "email" in bad.stderr
    assert await User.count().run() == 0

    made = await asyncio.to_thread(_create, db.settings, "Root@County.example", PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    user_id = json.loads(made.stdout)["user_id"]
    assert await identity.password_login("root@county.example", PASSWORD) == user_id
    row = await User.select().where(User.id == user_id).first().run()
    assert row["role"] == "platform_admin" and row["password_hash"].startswith("$argon2id$")
    assert await AuditEvent.count().where(AuditEvent.action == "user.platform_admin_created").run() == 1
    assert await bootstrap.first_run_notice("http://127.0.0.1:8000/") is None

    again = await asyncio.to_thread(_create, db.settings, "root@county.example", "toinen-salasana-2026\n")
    assert again.returncode == 1 and "exists already" in again.stderr and again.stdout == ""
    assert await identity.password_login("root@county.example", PASSWORD) == user_id
    assert await User.count().run() == 1


def test_hb_serve_says_what_to_run_on_a_fresh_install(db, tmp_path):
    """The embedded default on an empty data directory: the notice names the command."""
    env = hb_env(db.settings, HB_DATA_DIR=str(tmp_path))
    env.pop("HB_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "hb.cli", "serve", "--port", "0"], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        lines = []
        for line in proc.stderr:
            lines.append(line)
            if line.startswith("Open "):
                break
    finally:
        proc.kill()
        proc.wait(timeout=10)
    text = "".join(lines)
    assert "No platform admin exists yet" in text and "hb admin create" in text, text
