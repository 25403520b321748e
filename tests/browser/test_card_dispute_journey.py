"""Issue 16's journey in Debian Chromium (axe-core on every page, at 390 px and 1280 px): the client
sets the card's PIN and shows a one-time code on /client/pay; the stable's terminal takes 55 € with
that code (over the 50 € code-less limit, so the code is what lets it through); the payment appears
in the client's notifications at once; the client opens it and disputes it with the form; the provider sees the payout wait for the organiser; ``hb settle`` leaves
it out; the organiser refunds a part with a reason; the next ``hb settle`` pays the rest and the
provider sees it arrive; the client sees the outcome.

SQLite only: the pages do not depend on the database, and the HTTP tests of the same flow
(tests/voucher/test_voucher_dispute_pages.py) run on both.
"""

import datetime as dt
import json
import os
import re
import subprocess
import sys

import httpx
import pytest
import pytest_asyncio

from tests import world
from tests.browser.conftest import CHROMIUM, _seed, assert_accessible
from tests.browser.test_client_journey import DOCUMENT, PASSWORD, ROOT, InProcessServer, _signed_in, plain

pytestmark = pytest.mark.browser

UTC = dt.timezone.utc
PAID = dt.datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # Monday 10.00 in Helsinki
WIDTHS = (390, 1280)


async def _seed_world(settings, seeded: dict) -> None:
    from core import identity

    refs = (await world.load(DOCUMENT, settings))["refs"]
    org, stable = refs["org-keusote"], refs["prov-tuulenpesa"]
    await world.person("client", "asiakas@riita.example", name="Asiakas 0001", password=PASSWORD,
                       client_id=refs["cli-0001"], organiser_id=org)
    await world.person("provider_staff", "tuottaja@riita.example", name="Kaisa Talli", password=PASSWORD,
                       provider_id=stable)
    await world.person("organiser_admin", "jarjestaja@riita.example", name="Aino Järjestäjä", password=PASSWORD,
                       organiser_id=org)
    seeded["key"] = (await identity.create_api_key(provider_id=stable, label="kassa"))[1]
    seeded["listing"] = refs["lst-ratsastusterapia"]


@pytest_asyncio.fixture(loop_scope="session")
async def dispute_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "dispute-journey-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings, seeded))
    server = InProcessServer(settings, PAID)
    server.start()
    yield server, env, seeded
    server.stop()


def _hb_settle(env: dict, at: dt.datetime) -> dict:
    proc = subprocess.run([sys.executable, "-m", "hb.cli", "settle", "--now", at.isoformat(), "--no-stripe"],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


async def _checked(page, visited: list) -> None:
    """axe at both widths, and the page never scrolls sideways on the phone."""
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url
        await assert_accessible(page, visited)


async def test_a_disputed_card_payment_waits_for_the_organiser_and_then_arrives(dispute_server, browser):
    server, env, seeded = dispute_server
    url, visited = server.url, []
    # The client sets the card's PIN and makes a one-time code for at most 60 € on the pay page.
    client_ctx, client = await _signed_in(browser, url, "asiakas@riita.example")
    await client.goto(url + "/client/pay")
    await client.get_by_label("Uusi PIN-koodi").fill("4729")
    await client.get_by_label("PIN-koodi uudelleen").fill("4729")
    await client.locator("form[action='/client/pay/pin'] button").click()
    await client.get_by_text("PIN-koodi on tallennettu").wait_for()
    await _checked(client, visited)
    await client.locator("#f-ceiling").fill("60")
    await client.locator("form[action='/client/pay/codes'] button").click()
    shown = plain(await client.inner_text(".one-time-code"))
    assert "Maksu enintään 60,00 €" in shown, shown
    code = re.sub(r"\D", "", await client.inner_text(".one-time-code .code"))
    assert len(code) == 6
    await _checked(client, visited)

    # The stable's terminal takes 55 € from the client's card against the listing: refused without
    # the client's say, approved with the code the client showed.
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {seeded['key']}"}) as terminal:
        body = {"card_token": "hbc_journey_0001_token", "amount_cents": 5500, "listing_id": seeded["listing"]}
        refused = (await terminal.post("/api/v1/authorizations", json=body)).json()
        assert refused["decline_code"] == "client_consent_required", refused
        held = (await terminal.post("/api/v1/authorizations", json={**body, "client_code": code})).json()
        assert held["status"] == "approved", held
        captured = await terminal.post(f"/api/v1/authorizations/{held['id']}/capture", json={"amount_cents": 5500})
        assert captured.status_code == 200, captured.text

    # The client hears of it at once and disputes it from the message's link.
    await client.goto(url + "/notifications")
    note = client.get_by_role("listitem").filter(has_text="Korttimaksu 55,00")
    assert "riitauttaa 12.3.2026 10.00 asti" in plain(await note.inner_text())
    await _checked(client, visited)
    await note.get_by_role("link", name="Avaa").click()
    await client.get_by_role("heading", name="Maksu").wait_for()
    await _checked(client, visited)
    await client.get_by_label("Miksi maksu ei ole oikein?").fill("Tunti jäi puoleen, koska hevonen ontui.")
    await client.get_by_role("button", name="Lähetä riitautus").click()
    await client.get_by_text("Riitautus on lähetetty.").wait_for()
    assert "järjestäjä ratkaisee" in await client.inner_text("main")
    await _checked(client, visited)

    # The provider sees why the payout waits; settlement after the window leaves it out.
    provider_ctx, provider = await _signed_in(browser, url, "tuottaja@riita.example")
    await provider.goto(url + "/provider/settlements")
    await provider.get_by_text("asiakas riitautti maksun — järjestäjä ratkaisee").wait_for()
    await _checked(provider, visited)
    assert _hb_settle(env, PAID + dt.timedelta(days=4))["batches_closed"] == 0

    # The organiser refunds 15 € of it, with the reason kept.
    server.now = PAID + dt.timedelta(days=4)
    admin_ctx, admin = await _signed_in(browser, url, "jarjestaja@riita.example")
    await admin.goto(url + "/organiser/disputes")
    await admin.get_by_role("link", name="Korttimaksut").click()
    dispute = admin.get_by_role("listitem").filter(has_text="Tunti jäi puoleen")
    assert "Asiakas 0001" in await dispute.inner_text()
    await _checked(admin, visited)
    await dispute.get_by_label("Palauta osa, loppu palveluntuottajalle").check()
    await dispute.get_by_label("Palautettava osa (€)").fill("15,00")
    await dispute.get_by_label("Perustelu").fill("Puolet tunnista jäi pitämättä.")
    await dispute.get_by_role("button", name="Tallenna ratkaisu").click()
    await admin.get_by_text("Ratkaisu on tallennettu.").wait_for()
    await _checked(admin, visited)

    # The next settlement pays the rest; the provider sees it arrive, the client the outcome.
    summary = _hb_settle(env, PAID + dt.timedelta(days=5))
    assert (summary["batches_closed"], summary["total_cents"], summary["batches_paid"]) == (1, 4000, 1)
    server.now = PAID + dt.timedelta(days=5)
    await provider.reload()
    row = provider.get_by_role("row").filter(has_text="Ratsastusterapia").first
    assert "maksettu 14.3.2026, viite RF" in plain(await row.inner_text())
    await _checked(provider, visited)
    await client.goto(url + "/budget")
    payments = plain(await client.inner_text("main"))
    assert "Maksettu palveluntuottajalle." in payments and "palautettu 15,00 €" in payments
    assert "Puolet tunnista jäi pitämättä." in payments
    await _checked(client, visited)

    for context in (client_ctx, provider_ctx, admin_ctx):
        await context.close()
    assert len(visited) >= 18
