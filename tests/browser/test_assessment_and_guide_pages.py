"""Issue 17, parts 1 and 6, in Debian Chromium at 390 px and 1280 px: anyone reads the guidance for
clients and providers in Finnish, Swedish and English from the footer; a counsellor records a
suitability assessment with JavaScript's help nowhere (an error first, then a saved version). Each
page never scrolls sideways and axe-core finds no WCAG 2.1 AA violation."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import fits_and_passes_axe

pytestmark = pytest.mark.browser

PASSWORD = "arviointi-salasana-2026"
WIDTHS = (390, 1280)
SEEDED: dict[str, str] = {}


async def _seed() -> None:
    from core import identity
    from core.identity import Actor
    from core.settings import Settings
    from tests import world
    from voucher import budgets
    from voucher.schemas import ClientCreate

    doc = world.document(counties=[world.county("org-a")],
                         categories=[world.category(c) for c in ("transport", "sport-riding", "day-activities")])
    refs = (await world.load(doc))["refs"]
    user_id = await identity.create_user(email="ohjaaja@arvio.example", display_name="Olli Ohjaaja", role="counsellor",
                                         organiser_id=refs["org-a"], password=PASSWORD)
    counsellor = Actor(user_id=user_id, role="counsellor", organiser_id=refs["org-a"], display_name="Olli Ohjaaja")
    made = await budgets.create_client(counsellor, ClientCreate(display_name="Asiakas Aino", client_group="family_carers",
                                                                language="fi"), Settings.from_env(os.environ).secret_key)
    SEEDED["client_id"] = made.id
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_guidance_in_three_languages_and_a_suitability_assessment(live_server, browser, tmp_path):
    shots = Path(os.environ.get("HB_SHOTS_DIR") or tmp_path)
    url = await live_server["start"](_seed)
    context = await browser.new_context(locale="fi-FI", viewport={"width": WIDTHS[0], "height": 900})
    context.set_default_timeout(15000)
    page = await context.new_page()

    await page.goto(url + "/?lang=fi")
    await page.get_by_role("contentinfo").get_by_role("link", name="Ohje asiakkaalle").click()
    await page.get_by_role("heading", name="Mikä on henkilökohtainen budjetti?").wait_for()
    await fits_and_passes_axe(page, shots, "guide-client-fi")
    for lang, heading in (("sv", "Vad gör jag om en betalning är fel?"), ("en", "Do I pay something myself?")):
        await page.goto(f"{url}/guide/client?lang={lang}")
        await page.get_by_role("heading", name=heading).wait_for()
        await fits_and_passes_axe(page, shots, f"guide-client-{lang}")
    await page.goto(url + "/guide/provider?lang=fi")
    await page.get_by_role("heading", name="Milloin saan rahat?").wait_for()
    await fits_and_passes_axe(page, shots, "guide-provider-fi")

    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill("ohjaaja@arvio.example")
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: "/login" not in u)
    await page.goto(f"{url}/counsellor/clients/{SEEDED['client_id']}")
    await page.get_by_role("link", name="Tarpeen ja soveltuvuuden arviointi").click()
    await page.get_by_role("heading", name="Tarpeen ja soveltuvuuden arviointi: Asiakas Aino").wait_for()
    await fits_and_passes_axe(page, shots, "assessment")

    suitability = page.locator("form[action$='/suitability']")
    for group in ("Asiakas tai läheinen pystyy tekemään valintoja tuettuna", "Tarve on pitkäaikainen ja ennakoitava",
                  "Sopivia palveluja on saatavilla"):
        await suitability.get_by_role("group", name=group).get_by_label("Täyttyy", exact=True).check()
    await suitability.get_by_role("group", name="Asiakas haluaa itse vaikuttaa").get_by_label("Ei täyty").check()
    await suitability.get_by_label("Ei nyt").check()
    await suitability.get_by_label("Perustelu asiakkaalle").fill("Sovimme, että arvioimme tilanteen uudelleen keväällä.")
    await suitability.get_by_role("button", name="Tallenna uusi versio").click()
    await page.get_by_role("alert").wait_for()  # grounds are needed for the criterion not met
    await fits_and_passes_axe(page, shots, "assessment-error")

    group = page.locator("form[action$='/suitability']").get_by_role("group", name="Asiakas haluaa itse vaikuttaa")
    await group.get_by_label("Perustelut").fill("Asiakas toivoo, että omainen päättää vielä puolesta.")
    await page.locator("form[action$='/suitability']").get_by_role("button", name="Tallenna uusi versio").click()
    await page.get_by_text("Soveltuvuuden arvio tallennettiin uutena versiona.").wait_for()
    await page.get_by_text("Uutta budjettipäätöstä ei voi tehdä").wait_for()
    await fits_and_passes_axe(page, shots, "assessment-saved")
    await context.close()
