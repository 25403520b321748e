"""Issue 16: a county's admin sets the card payment rules in Debian Chromium, on a phone (390 px) and a
desktop (1280 px) — the page never scrolls sideways, axe-core finds no WCAG 2.1 AA violation before
and after saving and with an error shown, and the change is listed with its old and new values — and
the county's counsellor reads the same rules."""

import pytest

from tests.browser.conftest import fits_and_passes_axe

pytestmark = pytest.mark.browser

PASSWORD = "korttisaannot-salasana-2026"
WIDTHS = (390, 1280)


async def _seed() -> None:
    from core import identity
    from tests import world

    doc = world.document(counties=[world.county("org-a")],
                         categories=[world.category(c) for c in ("transport", "sport-riding", "culture-art",
                                                                 "day-activities")])
    refs = (await world.load(doc))["refs"]
    await identity.create_user(email="jarjestaja@kortti.example", display_name="Jaana Järjestäjä", role="organiser_admin",
                               organiser_id=refs["org-a"], password=PASSWORD)
    await identity.create_user(email="ohjaaja@kortti.example", display_name="Olli Ohjaaja", role="counsellor",
                               organiser_id=refs["org-a"], password=PASSWORD)


async def _sign_in(page, url: str, email: str) -> None:
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_the_admin_sets_the_card_rules_on_a_phone_and_the_counsellor_reads_them(live_server, browser, tmp_path):
    url = await live_server["start"](_seed)
    context = await browser.new_context(locale="fi-FI", viewport={"width": WIDTHS[0], "height": 900})
    context.set_default_timeout(15000)
    page = await context.new_page()

    await _sign_in(page, url, "jarjestaja@kortti.example")
    # The admin's landing page links to the rules.
    await page.get_by_role("main").get_by_role("link", name="Korttimaksujen säännöt").click()
    await page.get_by_role("heading", name="Korttimaksujen säännöt: Keski-Uudenmaan hyvinvointialue").wait_for()
    await fits_and_passes_axe(page, tmp_path, "rules")

    await page.get_by_label("Hintajousto (%)").fill("viisi")
    await page.get_by_role("button", name="Tallenna").click()
    await page.get_by_role("alert").wait_for()
    await fits_and_passes_axe(page, tmp_path, "error")

    await page.get_by_label("Yksittäinen maksu enintään (€)").fill("80")
    await page.get_by_label("Hintajousto (%)").fill("2,5")
    await page.get_by_label("Kuljetuspalvelut").fill("45,50")
    await page.get_by_role("button", name="Tallenna").click()
    await page.get_by_text("Säännöt tallennettiin.").wait_for()
    await page.get_by_text("Hintajousto: 0 % → 2,5 %").wait_for()
    await page.get_by_text("Yksittäinen maksu ilman koodia: 50,00 € → 80,00 €").wait_for()
    assert await page.get_by_label("Kuljetuspalvelut").input_value() == "45,50"
    await fits_and_passes_axe(page, tmp_path, "saved")
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    await _sign_in(page, url, "ohjaaja@kortti.example")
    await page.goto(url + "/organiser/card-rules?lang=sv")
    await page.get_by_role("heading", name="Regler för kortbetalningar: Keski-Uudenmaan hyvinvointialue").wait_for()
    assert await page.locator("main form[method=post]").count() == 0  # reading only
    await page.get_by_text("Färdtjänst: högst 45,50 €").wait_for()
    await fits_and_passes_axe(page, tmp_path, "counsellor")
    await context.close()
