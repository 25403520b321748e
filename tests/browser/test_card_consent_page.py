"""Issue 16: the client sets their card's PIN and makes a one-time code at /client/pay in Debian
Chromium — with JavaScript off, at 390 px and 1280 px, axe-clean — and a provider's terminal is
approved with the code the page shows, once; without a code the same payment is declined. On SQLite
and PostgreSQL."""

import re

import httpx
import pytest

from core.settings import Settings
from tests import world
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "hevoset-ovat-parhaita-2026"
TOKEN = "hbc_consent_page_0001"
DOCUMENT = world.document(
    counties=[world.county("org-keusote")],
    categories=[world.category("sport-riding")],
    providers=[world.provider("prov-talli", "9603082-8", "Talli Tuulenpesä Oy", approved_by=("org-keusote",),
                              email="talli@tuulenpesa.example", api_key=True)],
    listings=[world.listing("lst-ratsastus", "prov-talli", "sport-riding", approved_by=("org-keusote",))],
    clients=[world.client("cli-0001", "org-keusote", display_name="Asiakas 0001", token=TOKEN,
                          lines=[world.line("sport-riding", 120000)])],
)
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_the_client_sets_a_pin_and_shows_a_code_that_pays_once(live_server, browser):
    seeded: dict = {}

    async def seed() -> None:
        loaded = await world.load(DOCUMENT, Settings.from_env(live_server["env"]))
        refs = loaded["refs"]
        await world.person("client", "asiakas@consent.example", name="Asiakas 0001", password=PASSWORD,
                           client_id=refs["cli-0001"], organiser_id=refs["org-keusote"])
        seeded.update(key=loaded["api_keys"]["prov-talli"], listing=refs["lst-ratsastus"])

    url = await live_server["start"](seed)

    async def signed_in(javascript: bool):
        context = await browser.new_context(viewport={"width": 390, "height": 900}, locale="fi-FI",
                                            java_script_enabled=javascript)
        page = await context.new_page()
        await page.goto(url + "/login?lang=fi")
        await page.fill("#f-email", "asiakas@consent.example")
        await page.fill("#f-password", PASSWORD)
        await page.click("main form button[type=submit]")
        await page.click("nav.main-nav >> text=Maksaminen")
        return context, page

    # Everything works without JavaScript …
    context, page = await signed_in(javascript=False)
    assert "Kortilla ei ole vielä PIN-koodia" in await page.inner_text("main")

    await page.fill("#f-pin", "4729")
    await page.fill("#f-pin_again", "4792")
    await page.click("form[action='/client/pay/pin'] button")
    assert "PIN-koodit eivät ole samat" in await page.inner_text(".error-summary")
    await page.fill("#f-pin", "4729")
    await page.fill("#f-pin_again", "4729")
    await page.click("form[action='/client/pay/pin'] button")
    assert "PIN-koodi on tallennettu" in await page.inner_text("main")

    await page.fill("#f-ceiling", "75")
    await page.click("form[action='/client/pay/codes'] button")
    shown = await page.inner_text(".one-time-code")
    code = re.sub(r"\D", "", await page.inner_text(".one-time-code .code"))
    assert len(code) == 6
    assert re.search(r"Maksu enintään 75,00\s€", shown) and re.search(r"Voimassa klo \d{1,2}\.\d\d asti", shown)
    assert "Näytä koodi palveluntuottajalle maksun yhteydessä" in shown
    await context.close()

    # … and the page with a code fits a phone and a desktop, axe-clean (axe itself needs JavaScript).
    context, page = await signed_in(javascript=True)
    await page.fill("#f-ceiling", "20")
    await page.click("form[action='/client/pay/codes'] button")
    await page.wait_for_selector(".one-time-code .code")
    for width in (390, 1280):
        await page.set_viewport_size({"width": width, "height": 900})
        assert await page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, width
        await assert_accessible(page)
    await context.close()

    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {seeded['key']}"}) as terminal:
        async def pay(**extra) -> dict:
            body = {"card_token": TOKEN, "amount_cents": 7500, "listing_id": seeded["listing"], **extra}
            r = await terminal.post("/api/v1/authorizations", json=body)
            assert r.status_code == 201, r.text
            return r.json()

        assert (await pay())["decline_code"] == "client_consent_required"
        assert (await pay(client_code=code))["status"] == "approved"
        assert (await pay(client_code=code))["decline_code"] == "wrong_client_code"
        assert (await pay(client_code="4729"))["status"] == "approved"
