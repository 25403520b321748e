"""Issue 5, acceptance 1: the client's whole journey in Debian Chromium, on SQLite and PostgreSQL.

A client signs in, searches, books a riding-therapy session and sees the hold on their budget page;
the provider confirms and marks it delivered; the client confirms; ``hb settle`` (a child process on
the server's database) pays it; the provider sees it in the remittance; the client leaves a review.
axe-core finds no WCAG 2.1 AA violation on any page visited.

The server runs in this process (uvicorn in a thread) so that its clock can be injected: the
session is booked on Monday for Tuesday, and the clock moves to Tuesday after the start for the
delivery — nothing sleeps.
"""

import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import pytest_asyncio

from tests.browser.conftest import CHROMIUM, _seed, assert_accessible
from tests import world
from tests.conftest import PG_ADMIN_URL, PG_OK

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
UTC = dt.timezone.utc
MONDAY = dt.datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # 10.00 in Helsinki
AFTER_THE_SESSION = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # Tuesday 11.00 in Helsinki
SETTLE_AT = "2026-03-12T06:00:00+00:00"
PASSWORD = "hevoset-ovat-parhaita-2026"

DOCUMENT = world.document(
    counties=[world.county("org-keusote", iban="FI2112345600000785", bic="NDEAFIHH")],
    categories=[world.category("sport-riding")],
    providers=[world.provider("prov-tuulenpesa", "9603082-8", "Talli Tuulenpesä Oy", approved_by=("org-keusote",),
                              email="talli@tuulenpesa.example", languages=["fi", "sv"], municipalities=["Nurmijärvi"])],
    listings=[world.listing("lst-ratsastusterapia", "prov-tuulenpesa", "sport-riding", approved_by=("org-keusote",),
                            title={"fi": "Ratsastusterapia", "sv": "Ridterapi"},
                            description={"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min. Esteetön nousuramppi."},
                            municipality="Nurmijärvi", languages=["fi", "sv"], accessibility=["wheelchair_access"])],
    clients=[world.client("cli-0001", "org-keusote", display_name="Asiakas 0001", token="hbc_journey_0001_token",
                          lines=[world.line("sport-riding", 120000)])],
)


async def _seed_world(settings) -> None:
    refs = (await world.load(DOCUMENT, settings))["refs"]
    await world.person("client", "asiakas@journey.example", name="Asiakas 0001", password=PASSWORD,
                       client_id=refs["cli-0001"], organiser_id=refs["org-keusote"])
    staff = (await world.person("provider_staff", "tuottaja@journey.example", name="Kaisa Talli", password=PASSWORD,
                                provider_id=refs["prov-tuulenpesa"])).actor
    for weekday in range(7):
        await world.weekly_time(staff, refs["lst-ratsastusterapia"], weekday, "10:00", duration_minutes=45, capacity=2)


class InProcessServer:
    """The app under uvicorn in a thread of this process, with a clock the test moves."""

    def __init__(self, settings, now: dt.datetime) -> None:
        self.settings = settings
        self.now = now
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.thread = None

    def start(self) -> None:
        import uvicorn

        from hb.app import create_app

        # No background workers: here `hb settle` is what pays, and the clock is the test's.
        app = create_app(self.settings, run_workers=False)
        app.state.clock = lambda: self.now
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()), daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server:
            self.server.should_exit = True
            self.thread.join(timeout=15)


@pytest_asyncio.fixture(params=["sqlite", "postgres"], loop_scope="session")
async def journey_server(request, tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "journey-test-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    dbname = None
    if request.param == "postgres":
        if not PG_OK:
            pytest.skip("PostgreSQL unreachable")
        import asyncpg

        dbname = f"hb_journey_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'CREATE DATABASE "{dbname}"')
        await admin.close()
        env["HB_DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings))
    server = InProcessServer(settings, MONDAY)
    server.start()
    yield server, env
    server.stop()
    if dbname:
        import asyncpg

        admin = await asyncpg.connect(PG_ADMIN_URL)
        await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        await admin.close()


async def _signed_in(browser, url: str, email: str):
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()
    await page.goto(url + "/login")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)  # each role lands on its own start page
    return context, page


def plain(text: str) -> str:
    """Money is written with no-break spaces ("1 234,50 €"); compare it with plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _hb_settle(env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-m", "hb.cli", "settle", "--now", SETTLE_AT, "--no-stripe"],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("journey_server", ["postgres"], indirect=True)
async def test_client_books_provider_delivers_client_confirms_settled_and_reviewed(journey_server, browser):
    server, env = journey_server
    url = server.url
    visited: list[str] = []
    client_ctx, client = await _signed_in(browser, url, "asiakas@journey.example")
    await assert_accessible(client, visited)

    # The client searches and opens the riding therapy.
    await client.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Hae palveluita").click()
    await client.get_by_label("Mitä palvelua etsit?").fill("ratsastusterapia")
    await client.get_by_role("button", name="Hae", exact=True).click()
    await assert_accessible(client, visited)
    await client.get_by_role("link", name="Ratsastusterapia").first.click()
    await client.get_by_role("heading", name="Varaa aika").wait_for()
    await assert_accessible(client, visited)
    text = plain(await client.inner_text("main"))
    assert "1 200,00 €" in text and "1 125,00 €" in text  # the line before and after
    assert "Peruutusehto: peruminen on maksutonta milloin tahansa ennen alkua." in text

    # Tuesday 10.00, one place of two.
    tuesday = client.get_by_role("group", name="ti 10.3.2026")
    await tuesday.get_by_label("10.00–10.45, 2 paikkaa vapaana").check()
    await client.get_by_label("Viesti tuottajalle").fill("Tarvitsen nousurampin.")
    await client.get_by_role("button", name="Varaa", exact=True).click()
    await client.get_by_text("Varauspyyntö on lähetetty").wait_for()
    await assert_accessible(client, visited)
    booking_url = client.url

    # The hold is on the budget page (and on the client's own page).
    await client.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Oma budjetti").click()
    riding = client.get_by_role("row").filter(has_text="Liikunta ja ratsastus")
    row = plain(await riding.inner_text())
    assert "75,00 €" in row and "1 125,00 €" in row
    await assert_accessible(client, visited)
    await client.goto(url + "/client")
    await client.get_by_role("heading", name="Tulevat varaukset").wait_for()
    await assert_accessible(client, visited)

    # The provider confirms the request…
    provider_ctx, provider = await _signed_in(browser, url, "tuottaja@journey.example")
    await provider.goto(url + "/provider/bookings")
    await assert_accessible(provider, visited)
    requests = provider.get_by_role("row").filter(has_text="Asiakas 0001")
    await requests.first.get_by_role("button", name="Vahvista varaus").click()
    await provider.get_by_text("Varaus on vahvistettu.").wait_for()
    await assert_accessible(provider, visited)
    # …and after the session marks it delivered.
    server.now = AFTER_THE_SESSION
    await provider.goto(url + "/provider/bookings")
    today = provider.locator("section").filter(has=provider.get_by_role("heading", name="Tämän päivän varaukset"))
    await today.get_by_role("button", name="Merkitse toteutuneeksi").click()
    await provider.get_by_text("Toteutunut, odottaa vahvistusta").first.wait_for()
    await assert_accessible(provider, visited)

    # The client confirms: the payment is released.
    await client.goto(url + "/client")
    await client.get_by_role("heading", name="Odottaa vahvistustasi").wait_for()
    await assert_accessible(client, visited)
    await client.goto(booking_url)
    await client.get_by_role("button", name="Vahvistan, että palvelu toteutui").click()
    await client.get_by_text("Maksu on vapautettu tuottajalle").wait_for()
    await assert_accessible(client, visited)

    # hb settle pays it…
    summary = _hb_settle(env)
    assert summary["batches_closed"] == 1 and summary["total_cents"] == 7500 and summary["batches_paid"] == 1

    # …and the provider sees it in the remittance.
    await provider.get_by_role("link", name="Maksut ja tilitykset").click()
    remittance = provider.get_by_role("table").filter(has_text="Tilitys")
    body = plain(await remittance.inner_text())
    assert "maksettu" in body and "Ratsastusterapia" in body and "Asiakas 0001" in body and "75,00 €" in body
    await assert_accessible(provider, visited)

    # The client leaves a review; the listing shows it.
    await client.goto(booking_url)
    await client.get_by_label("5 / 5 tähteä").check()
    await client.get_by_label("Kuinka todennäköisesti suosittelisit tätä palvelua?").select_option("10")
    await client.get_by_label("Kerro kokemuksestasi").fill("Ohjaaja oli kärsivällinen ja hevonen rauhallinen.")
    await client.get_by_role("button", name="Lähetä arvio").click()
    await client.get_by_text("Kiitos arviostasi!").wait_for()
    await assert_accessible(client, visited)
    await client.get_by_role("link", name="Ratsastusterapia").first.click()
    await client.get_by_text("Keskiarvo 5,0 / 5 tähteä (1 arvio).").wait_for()
    await assert_accessible(client, visited)

    await client_ctx.close()
    await provider_ctx.close()
    assert len(visited) >= 12
