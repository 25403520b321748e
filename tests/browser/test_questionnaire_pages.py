"""Issue 19 (questionnaires and research consent) in Debian Chromium, axe-core at 390 px and 1280 px
with no sideways scrolling: a client switches the pages to Swedish, fills the start questionnaire
(WHO-5) — first with a question left out, which the form names — and agrees to research on the budget
page; the counsellor sees the answer and the consent on the client's page; the organiser admin opens
the county's questionnaires and the satisfaction set's form.

SQLite only: the HTTP tests of the same pages (tests/voucher/test_evaluation_pages.py) run on both
databases. ``HB_SHOTS`` names a folder to keep screenshots of the pages in.
"""

import datetime as dt
import os

import pytest
import pytest_asyncio

from tests import world
from tests.browser.conftest import CHROMIUM, _seed
from tests.browser.test_client_journey import DOCUMENT, PASSWORD, InProcessServer, _signed_in
from tests.browser.test_plan_pages import _checked

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 1, 12, 8, 0, tzinfo=dt.timezone.utc)  # the client's decision started on 1 January


async def _seed_world(settings, seeded: dict) -> None:
    refs = (await world.load(DOCUMENT, settings))["refs"]
    org = refs["org-keusote"]
    await world.person("client", "asiakas@kysely.example", name="Asiakas 0001", password=PASSWORD,
                       client_id=refs["cli-0001"], organiser_id=org)
    await world.person("counsellor", "ohjaaja@kysely.example", name="Olli Ohjaaja", password=PASSWORD, organiser_id=org)
    await world.person("organiser_admin", "admin@kysely.example", name="Anna Admin", password=PASSWORD, organiser_id=org)
    seeded["client_id"] = refs["cli-0001"]


@pytest_asyncio.fixture(loop_scope="session")
async def questionnaire_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "questionnaire-pages-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings, seeded))
    server = InProcessServer(settings, NOW)
    server.start()
    yield server, seeded
    server.stop()


async def test_a_client_fills_the_start_questionnaire_in_swedish(questionnaire_server, browser):
    server, seeded = questionnaire_server
    url, visited = server.url, []
    ctx, client = await _signed_in(browser, url, "asiakas@kysely.example")
    await client.goto(url + "/budget")
    await client.get_by_role("link", name="På svenska").click()
    await client.get_by_text("Du har en enkät att besvara.").wait_for()
    await client.get_by_role("link", name="Enkäter", exact=True).click()
    await client.get_by_role("heading", name="Enkäter", exact=True).wait_for()
    await _checked(client, visited, "questionnaires-sv")
    await client.get_by_role("link", name="Svara: Välbefinnande (WHO-5)").click()
    await client.get_by_role("heading", name="Välbefinnande (WHO-5)").wait_for()
    await _checked(client, visited, "questionnaire-form-sv")

    answers = {"Jag har känt mig glad och på gott humör.": "Större delen av tiden (4)",
               "Jag har känt mig lugn och avslappnad.": "Mer än hälften av tiden (3)",
               "Jag har känt mig aktiv och energisk.": "Hela tiden (5)",
               "Jag har vaknat upp och känt mig pigg och utvilad.": "Lite av tiden (1)"}
    for question, option in answers.items():
        await client.get_by_role("group", name=question).get_by_label(option).check()
    await client.get_by_role("button", name="Skicka svaren").click()
    # The question left out is named, in Swedish, in the summary and at the question.
    await client.get_by_role("alert").get_by_text("Välj ett alternativ.").wait_for()
    group = client.get_by_role("group", name="Min vardag har varit fylld av saker som intresserar mig.")
    await group.get_by_text("Välj ett alternativ.").wait_for()
    assert await client.get_by_role("group", name="Jag har känt mig aktiv och energisk.").get_by_label(
        "Hela tiden (5)").is_checked()
    await _checked(client, visited, "questionnaire-form-error-sv")
    await client.get_by_role("link", name="Välj ett alternativ.").click()
    await group.get_by_label("Inte någon gång (0)").check()
    await client.get_by_role("button", name="Skicka svaren").click()
    await client.get_by_text("Tack! Dina svar sparades.").wait_for()
    assert "Du har ingen enkät just nu." in await client.inner_text("main")
    await _checked(client, visited)

    # Research consent on the budget page, in Swedish.
    await client.goto(url + "/budget")
    await client.get_by_role("button", name="Jag ger tillstånd").click()
    await client.get_by_text("Tack, tillståndet har sparats.").wait_for()
    await _checked(client, visited, "budget-research-sv")
    await ctx.close()

    staff_ctx, counsellor = await _signed_in(browser, url, "ohjaaja@kysely.example")
    await counsellor.goto(f"{url}/counsellor/clients/{seeded['client_id']}")
    research = await counsellor.inner_text("section[aria-labelledby='research-h']")
    assert "Annettu" in research and "asiakas itse (palvelussa)" in research
    assert "Alkukysely" in research and "52" in research  # (4 + 3 + 5 + 1 + 0) × 4
    await _checked(counsellor, visited, "counsellor-research")
    await staff_ctx.close()

    admin_ctx, admin = await _signed_in(browser, url, "admin@kysely.example")
    await admin.goto(url + "/organiser/questionnaires")
    await admin.get_by_role("heading", name="Kyselyt ja niiden kysymykset").wait_for()
    await _checked(admin, visited, "organiser-questionnaires")
    await admin.get_by_role("link", name="Muokkaa: Tyytyväisyys henkilökohtaiseen budjettiin").click()
    await admin.get_by_label("Kysymys 1 suomeksi", exact=True).wait_for()
    await _checked(admin, visited, "organiser-questionnaire-edit")
    await admin_ctx.close()
    assert len(visited) >= 16
