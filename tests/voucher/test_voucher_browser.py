"""A counsellor in Chromium: the client list, a client's budget and decision, a change with its
reason, a new card with its QR code; then the client's own budget page. Every page through axe-core
(WCAG 2.1 A/AA), on SQLite and PostgreSQL."""

import pytest

from tests.browser.conftest import assert_accessible, browser, live_server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

COUNSELLOR = ("ohjaaja@keusote.example", "ohjaaja-salasana-2026")
CLIENT = ("asiakas0001@keusote.example", "asiakas-salasana-2026")


async def _seed():
    from core import identity
    from marketplace import importer
    from tests.world import example_document
    from voucher import importer as voucher_importer

    refs = (await importer.import_document(example_document(), clients=voucher_importer))["refs"]
    await identity.create_user(email=COUNSELLOR[0], display_name="Oona Ohjaaja", role="counsellor",
                               password=COUNSELLOR[1], organiser_id=refs["org-keusote"])
    await identity.create_user(email=CLIENT[0], display_name="Asiakas 0001", role="client", password=CLIENT[1],
                               client_id=refs["cli-0001"])


async def _sign_in(page, url, who):
    await page.goto(url + "/login")
    await page.get_by_label("Sähköposti").fill(who[0])
    await page.get_by_label("Salasana").fill(who[1])
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)  # each role lands on its own start page


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_counsellor_and_client_pages(live_server, browser):  # noqa: F811
    url = await live_server["start"](_seed)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()

    await _sign_in(page, url, COUNSELLOR)
    await page.goto(url + "/counsellor/clients")
    await assert_accessible(page)
    # Imported with no counsellor, the client waits among the unassigned; the counsellor takes them on.
    await page.get_by_label("Näytä").select_option("unassigned")
    await page.get_by_role("button", name="Suodata").click()
    await page.get_by_role("link", name="Asiakas 0001").click()
    await page.get_by_role("heading", name="Asiakas 0001").wait_for()
    await page.get_by_role("button", name="Ota asiakas omaksi").click()
    await page.get_by_text("Asiakasohjaaja vaihdettiin.").wait_for()
    await assert_accessible(page)
    await page.goto(url + "/counsellor/clients")  # now in their own caseload
    await page.get_by_role("link", name="Asiakas 0001").click()
    await page.get_by_role("heading", name="Asiakas 0001").wait_for()

    # Change the decision: without a reason the form says so, next to the field.
    await page.get_by_role("link", name="Muuta päätöstä").click()
    await assert_accessible(page)
    await page.get_by_role("group", name="Rivi 2").get_by_label("Summa (€)").fill("1500")
    await page.get_by_role("button", name="Tallenna").click()
    await page.get_by_text("Kirjaa muutoksen peruste.").first.wait_for()
    await assert_accessible(page)
    await page.get_by_label("Muutoksen peruste").fill("Kuljetustarve kasvoi")
    await page.get_by_role("button", name="Tallenna").click()
    await page.get_by_text("Päätös tallennettu.").wait_for()
    await page.get_by_text("Muutoshistoria").first.click()
    await page.get_by_role("cell", name="Kuljetustarve kasvoi").wait_for()

    # A new card: the token and its QR code, shown once.
    await page.get_by_label("Päiväraja (€)").fill("150")
    await page.get_by_role("button", name="Myönnä uusi kortti").click()
    await page.get_by_text("Tunniste ja QR-koodi näytetään vain tämän kerran", exact=False).wait_for()
    assert await page.locator("figure svg").count() == 1
    await assert_accessible(page)

    await context.clear_cookies()
    await _sign_in(page, url, CLIENT)
    await page.goto(url + "/budget")
    await page.get_by_role("heading", name="Budjetti: Asiakas 0001").wait_for()
    assert "1\u00a0500,00\u00a0€" in await page.locator("main").inner_text()
    await assert_accessible(page)
    # The client's own burn-down: a chart per line, each with its data table.
    await page.get_by_role("link", name="Budjetin käyttö kuvaajina ja tavoitteesi").click()
    await page.locator("figure.chart-figure svg").first.wait_for()
    assert await page.locator("figure.chart-figure").count() == await page.locator("figure.chart-figure + div table").count() > 0
    await assert_accessible(page)
    await context.close()
