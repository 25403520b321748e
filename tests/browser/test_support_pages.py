"""Issue 17, part E in Debian Chromium (axe-core at 390 px and 1280 px, no sideways scrolling): the
counsellor opens "Varaa asiakkaalle" on the client's page, searches, and books on the listing's form
with the client's consent recorded (by phone); the client sees who booked and writes to the
counsellor; the counsellor reads and answers on the client's message page.

SQLite only: the HTTP tests of the same pages (tests/voucher/test_support_pages.py) run on both.
Screenshots go to ``HB_SCREENSHOTS`` when it is set.
"""

import os
from pathlib import Path

import pytest
import pytest_asyncio

from tests import world
from tests.browser.conftest import CHROMIUM, _seed, assert_accessible
from tests.browser.test_client_journey import DOCUMENT, MONDAY, PASSWORD, InProcessServer, _signed_in

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)


async def _seed_world(settings, seeded: dict) -> None:
    refs = (await world.load(DOCUMENT, settings))["refs"]
    org = refs["org-keusote"]
    await world.person("client", "asiakas@tuki.example", name="Asiakas 0001", password=PASSWORD,
                       client_id=refs["cli-0001"], organiser_id=org)
    await world.person("counsellor", "ohjaaja@tuki.example", name="Olli Ohjaaja", password=PASSWORD, organiser_id=org)
    staff = (await world.person("provider_staff", "tuottaja@tuki.example", name="Kaisa Talli", password=None,
                                provider_id=refs["prov-tuulenpesa"])).actor
    await world.weekly_time(staff, refs["lst-ratsastusterapia"], 1, "10:00", duration_minutes=45, capacity=2)
    seeded.update(client=refs["cli-0001"], listing=refs["lst-ratsastusterapia"])


@pytest_asyncio.fixture(loop_scope="session")
async def support_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "support-pages-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings, seeded))
    server = InProcessServer(settings, MONDAY)
    server.start()
    yield server, seeded
    server.stop()


async def _checked(page, name: str) -> None:
    shots = os.environ.get("HB_SCREENSHOTS")
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url
        await assert_accessible(page)
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)


async def test_counsellor_books_with_consent_and_the_thread_works(support_server, browser):
    server, seeded = support_server
    client_id = seeded["client"]
    context, page = await _signed_in(browser, server.url, "ohjaaja@tuki.example")
    await page.goto(f"{server.url}/counsellor/clients/{client_id}")
    await page.get_by_role("link", name="Varaa asiakkaalle").click()
    await page.get_by_role("link", name="Ratsastusterapia").first.click()
    await page.wait_for_url(lambda u: "client_id=" in u)
    await page.locator("#booking").scroll_into_view_if_needed()
    await _checked(page, "counsellor-booking-form")
    await page.locator("input[name=starts_at]").first.check()
    await page.get_by_label("Asiakas suostui puhelimessa").check()
    await page.get_by_role("button", name="Varaa", exact=True).click()
    await page.wait_for_url(lambda u: "/bookings/" in u)
    assert "Varannut: Olli Ohjaaja, asiakasohjaaja" in await page.content()
    await context.close()

    context, page = await _signed_in(browser, server.url, "asiakas@tuki.example")
    await page.goto(f"{server.url}/client/bookings")
    assert "Varannut: Olli Ohjaaja, asiakasohjaaja" in await page.content()
    await page.goto(f"{server.url}/budget")
    await page.get_by_role("link", name="Viestit asiakasohjaajalle").click()
    await page.get_by_role("textbox", name="Viesti").fill("Kiitos varauksesta! Voinko ottaa avustajan mukaan?")
    await page.get_by_role("button", name="Lähetä").click()
    await page.wait_for_url(lambda u: "sent=1" in u)
    await _checked(page, "client-messages")
    await context.close()

    context, page = await _signed_in(browser, server.url, "ohjaaja@tuki.example")
    await page.goto(f"{server.url}/counsellor/clients/{client_id}")
    await page.get_by_role("link", name="Viestit asiakkaan kanssa").click()
    # The thread page, once it is there (reading right after the click could still read the last page).
    await page.wait_for_url(lambda u: "/messages" in u)
    await page.get_by_text("Voinko ottaa avustajan mukaan?").wait_for()
    await page.get_by_role("textbox", name="Viesti").fill("Totta kai, avustaja on tervetullut.")
    await page.get_by_role("button", name="Lähetä").click()
    await page.wait_for_url(lambda u: "sent=1" in u)
    await _checked(page, "counsellor-messages")
    await context.close()
