"""Decision 0036: the registration form offers the provider kinds; a light entrepreneur registers
without a business ID, through its invoicing service (one form, no JavaScript, axe-clean at 390 and
1280 px)."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import fits_and_passes_axe

pytestmark = pytest.mark.browser


async def _seed() -> None:
    from core.db import write_transaction
    from marketplace.tables import ServiceCategory
    from tests.world import seed_catalogue

    await seed_catalogue()
    async with write_transaction():
        await ServiceCategory.update({ServiceCategory.requirements_by_kind: {"light_entrepreneur": ["liability_insurance"]}}).where(
            ServiceCategory.code == "sport-riding").run()
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_a_light_entrepreneur_registers_through_its_invoicing_service(live_server, browser, tmp_path):
    shots = Path(os.environ.get("HB_SHOTS_DIR") or tmp_path)
    url = await live_server["start"](_seed)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()
    await page.goto(url + "/providers/register")
    kinds = page.get_by_role("group", name="Palveluntuottajan tyyppi")
    await kinds.get_by_label("Kevytyrittäjä laskutuspalvelun kautta").check()
    await page.get_by_label("Organisaation nimi").fill("Ukko Ratsastaja")
    await page.get_by_label("Tilinumero (IBAN)").fill("FI33 1787 7893 2879 21")
    await page.get_by_label("Laskutuspalvelun nimi").fill("Laskutuspalvelu Ukko Oy")
    await page.get_by_label("Laskutuspalvelun viitenumero").fill("1233")  # wrong check digit first
    await page.get_by_label("Sähköposti").fill("ukko@ratsastus.example")
    await page.get_by_role("group", name="Palvelukielet").get_by_label("suomi").check()
    await page.get_by_role("group", name="Kunnat, joissa toimit").get_by_label("Nurmijärvi").check()
    await page.get_by_label("Keski-Uudenmaan hyvinvointialue").check()
    await page.get_by_label("Liikunta ja ratsastus").check()
    insurance = page.get_by_role("group", name="Vastuuvakuutus")
    await insurance.get_by_label("Minulla on tämä").check()
    await insurance.get_by_label("Tiedot").fill("Lähivakuutus, vastuuvakuutus 55-123")
    await page.get_by_label("Yhteyshenkilön nimi").fill("Ukko Ratsastaja")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await page.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
    await page.get_by_text("Viitenumero ei ole kelvollinen").first.wait_for()
    assert await kinds.get_by_label("Kevytyrittäjä laskutuspalvelun kautta").is_checked()
    await fits_and_passes_axe(page, shots, "provider-register-kinds-error")
    await page.get_by_label("Laskutuspalvelun viitenumero").fill("1232")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await fits_and_passes_axe(page, shots, "provider-register-kinds")
    await page.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
    await page.get_by_text("Kiitos, rekisteröinti on vastaanotettu").wait_for()
    # Signed in, the person is told that approval waits for strong e-ID (not set up on this server).
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill("ukko@ratsastus.example")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.get_by_role("heading", name="Vahva tunnistus").wait_for()
    assert "Vahva tunnistautuminen ei ole vielä käytössä" in await page.inner_text("main")
    await fits_and_passes_axe(page, shots, "provider-home-eid")
    await context.close()
