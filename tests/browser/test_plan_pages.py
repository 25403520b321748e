"""The plan's pages in Debian Chromium (axe-core at 390 px and 1280 px): the client proposes a goal
and a close person's task on /plan; the counsellor accepts the goal, declines the other with a
reason, sets a follow-up date and finds the task in the caseload; the client sees both outcomes.

SQLite only: the HTTP tests of the same flow (tests/voucher/test_plan_working_document.py) run on
both databases. ``HB_SHOTS`` names a folder to keep screenshots of the pages in.
"""

import datetime as dt
import os
from pathlib import Path

import pytest
import pytest_asyncio

from tests import world
from tests.browser.conftest import CHROMIUM, _seed, assert_accessible
from tests.browser.test_client_journey import DOCUMENT, PASSWORD, InProcessServer, _signed_in

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 3, 10, 8, 0, tzinfo=dt.timezone.utc)
WIDTHS = (390, 1280)


async def _seed_world(settings, seeded: dict) -> None:
    refs = (await world.load(DOCUMENT, settings))["refs"]
    org = refs["org-keusote"]
    await world.person("client", "asiakas@plan.example", name="Asiakas 0001", password=PASSWORD,
                       client_id=refs["cli-0001"], organiser_id=org)
    await world.person("counsellor", "ohjaaja@plan.example", name="Olli Ohjaaja", password=PASSWORD, organiser_id=org)
    seeded["client_id"] = refs["cli-0001"]


@pytest_asyncio.fixture(loop_scope="session")
async def plan_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "plan-pages-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings, seeded))
    server = InProcessServer(settings, NOW)
    server.start()
    yield server, seeded
    server.stop()


async def _checked(page, visited: list, name: str = "") -> None:
    """axe at both widths, no sideways scrolling on the phone, and a screenshot when asked."""
    shots = os.environ.get("HB_SHOTS")
    for width in WIDTHS:
        await page.set_viewport_size({"width": width, "height": 900})
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, page.url
        await assert_accessible(page, visited)
        if shots and name:
            Path(shots).mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)


async def test_the_client_proposes_and_the_counsellor_decides_on_the_plan_pages(plan_server, browser):
    server, seeded = plan_server
    url, visited = server.url, []
    client_ctx, client = await _signed_in(browser, url, "asiakas@plan.example")
    await client.goto(url + "/plan")
    await client.get_by_role("heading", name="Suunnitelmasi").wait_for()
    await client.get_by_label("Kirjoita ehdotuksesi").fill("Käyn ratsastamassa joka viikko")
    await client.get_by_role("button", name="Lähetä ohjaajalle").click()
    await client.get_by_text("Ehdotuksesi lähetettiin").wait_for()
    await client.get_by_label("Läheisen tehtävä").check()
    await client.get_by_label("Kirjoita ehdotuksesi").fill("Vie minut tallille lauantaisin")
    await client.get_by_label("Läheisen nimi tai rooli").fill("Veli")
    await client.get_by_role("button", name="Lähetä ohjaajalle").click()
    await client.get_by_text("Ehdotuksesi lähetettiin").wait_for()
    await _checked(client, visited)

    counsellor_ctx, counsellor = await _signed_in(browser, url, "ohjaaja@plan.example")
    await counsellor.goto(f"{url}/counsellor/clients/{seeded['client_id']}")
    await counsellor.get_by_role("link", name="Avaa asiakassuunnitelma").click()
    await counsellor.get_by_role("heading", name="Asiakassuunnitelma: Asiakas 0001").wait_for()
    proposals = counsellor.locator("section[aria-labelledby='proposals-h'] li.card")
    await proposals.filter(has_text="Käyn ratsastamassa").get_by_role("button", name="Hyväksy suunnitelmaan").click()
    await counsellor.get_by_text("Muutos tallennettiin suunnitelmaan.").wait_for()
    other = proposals.filter(has_text="Vie minut tallille")
    await other.get_by_label("Perustelu asiakkaalle").fill("Kuljetuspalvelu hoitaa matkat tallille.")
    await other.get_by_role("button", name="Hylkää").click()
    await counsellor.get_by_text("Muutos tallennettiin suunnitelmaan.").wait_for()
    await counsellor.get_by_label("Vastuutyöntekijä", exact=True).select_option(label="Olli Ohjaaja")
    await counsellor.get_by_label("Seurantapäivä 1").fill("2026-03-16")
    await counsellor.get_by_role("button", name="Tallenna", exact=True).click()
    await counsellor.locator("#tasks-h").wait_for()
    assert "16.3.2026" in await counsellor.inner_text("section[aria-labelledby='tasks-h']")
    await counsellor.get_by_label("Uusi keino").fill("Ratsastusterapia kerran viikossa")
    await counsellor.get_by_label("Palveluluokka").select_option("sport-riding")
    await counsellor.locator("form:has(#f-means_text) button").click()
    await counsellor.get_by_text("Ratsastusterapia kerran viikossa").first.wait_for()
    history = await counsellor.inner_text("section[aria-labelledby='history-h']")
    assert "Ehdotus hyväksyttiin" in history and "Ehdotus hylättiin" in history and "Ehdotus tehtiin" in history
    await _checked(counsellor, visited, "counsellor-plan")

    await counsellor.goto(url + "/follow-up/caseload")
    tasks = await counsellor.inner_text("section[aria-labelledby='tasks-h']")
    assert "16.3.2026" in tasks and "Asiakas 0001" in tasks
    await _checked(counsellor, visited)

    await client.goto(url + "/plan")
    main = await client.inner_text("main")
    assert "Käyn ratsastamassa joka viikko" in main and "Miksi ei: Kuljetuspalvelu hoitaa matkat tallille." in main
    assert "Vastuutyöntekijäsi on Olli Ohjaaja." in main and "16.3.2026" in main
    await _checked(client, visited, "client-plan")
    await client.goto(url + "/budget")
    assert "Seuraava suunnitelman läpikäynti on 16.3.2026." in await client.inner_text("main")
    await client_ctx.close()
    await counsellor_ctx.close()
