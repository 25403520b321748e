"""Browser tests: a real server process on loopback and Debian's Chromium through Playwright.

The server runs `hb serve` in a subprocess on a fresh database (SQLite and PostgreSQL); pages are
checked with axe-core for WCAG 2.1 AA violations.
"""

import asyncio
import functools
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import pytest_asyncio

from tests.conftest import PG_ADMIN_URL, PG_OK

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _seed(env: dict, seed) -> None:
    from core import db as core_db
    from core.settings import Settings

    settings = Settings.from_env(env)
    engine = core_db.bind(core_db.make_engine(settings))
    await core_db.start(engine)
    try:
        await core_db.migrate(quiet=True)
        await seed()
    finally:
        await core_db.stop(engine)


@pytest_asyncio.fixture(params=["sqlite", "postgres"], loop_scope="session")
async def live_server(request, tmp_path):
    """Start `hb serve` on a fresh database; the test passes a seeding coroutine via indirect use."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {**os.environ, "HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "browser-test-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    env.pop("HB_DATABASE_URL", None)
    dbname = None
    if request.param == "postgres":
        if not PG_OK:
            pytest.skip("PostgreSQL unreachable")
        import asyncpg

        dbname = f"hb_live_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'CREATE DATABASE "{dbname}"')
        await admin.close()
        env["HB_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname
    port = _free_port()
    state = {"env": env, "url": f"http://127.0.0.1:{port}", "proc": None, "kind": request.param}

    async def start(seed=None):
        async def nothing():
            return None

        await _seed(env, seed or nothing)
        Path(env["HB_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        log = open(Path(env["HB_DATA_DIR"]) / "server.log", "w")
        state["proc"] = subprocess.Popen([sys.executable, "-m", "hb.cli", "serve", "--port", str(port)], env=env,
                                         stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return state["url"]
            except OSError:
                await asyncio.sleep(0.2)
        raise RuntimeError("server did not start: " + (Path(env["HB_DATA_DIR"]) / "server.log").read_text())

    state["start"] = start
    yield state
    if state["proc"]:
        state["proc"].terminate()
        try:
            state["proc"].wait(timeout=10)
        except subprocess.TimeoutExpired:
            state["proc"].kill()
    if dbname:
        import asyncpg

        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        await admin.close()


@pytest_asyncio.fixture(loop_scope="session")
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        await b.close()


@functools.cache
def _axe_script() -> str:
    from axe_playwright_python.async_playwright import Axe

    return Axe().axe_script


async def assert_accessible(page, visited: list | None = None) -> None:
    """axe-core on the current page: no WCAG 2.1 A/AA violation."""
    await page.wait_for_load_state("load")
    # axe-core is put into the page once per page load (a second check at another width reuses it),
    # and only its WCAG 2.1 A/AA rules run: the verdict below counts nothing else.
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(_axe_script())
    response = await page.evaluate("(options) => axe.run(document, options)", {
        "runOnly": {"type": "tag", "values": sorted(WCAG_TAGS)}, "resultTypes": ["violations"]})
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] if n.get("target") else "?" for n in v["nodes"][:3])
        for v in response["violations"]
        if WCAG_TAGS & set(v.get("tags", []))
    ]
    if visited is not None:
        visited.append(page.url)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


async def fits_and_passes_axe(page, shots: Path, name: str, widths: tuple[int, ...] = (390, 1280)) -> None:
    """At each width (a phone's, a desktop's): the page never scrolls sideways, axe-core finds no
    violation, and a full-page screenshot ``<name>-<width>.png`` goes to ``shots``; then back to
    the first width."""
    for width in widths:
        await page.set_viewport_size({"width": width, "height": 900})
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
        await assert_accessible(page)
        await page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    await page.set_viewport_size({"width": widths[0], "height": 900})


async def sign_in(page, url: str, email: str, password: str) -> None:
    """Sign in on /login in Finnish and wait for the person's own start page."""
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(password)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)
