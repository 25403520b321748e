"""Issue 18 (decision 0039) in Debian Chromium at 390 and 1280 px: with HB_REGISTRY_URL pointing at
the local stub registry (tests/fixtures/registry/), the organiser checks a provider whose name and
prepayment register differ from its statement and sees both flagged beside the statement with the
check's date; the listing review shows the county's median, range and the +50 % flag. No sideways
scroll, no axe-core WCAG 2.1 AA violation; screenshots go to HB_SHOTS_DIR (default: the test's tmp)."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import fits_and_passes_axe
from tests.marketplace.test_registry import MISMATCH, stub_registry

pytestmark = pytest.mark.browser

PASSWORD = "rekisteri-salasana-2026"


async def _seed() -> None:
    from core import identity
    from tests import world

    doc = world.document(
        counties=[world.county("org-a")],
        categories=[world.category("culture-art", requirements=["prepayment_register"])],
        providers=[
            world.provider("p-peer", "1572860-0", "Taidekoulu Viiva Oy"),
            world.provider("p-new", MISMATCH, "Taidepaja Sävel Oy", approved_by={"org-a": "pending"},
                           evidence={"prepayment_register": True}),
        ],
        listings=[
            *(world.listing(f"peer-{n}", "p-peer", "culture-art", price_cents=price)
              for n, price in enumerate((4000, 5000, 6000, 7000))),
            world.listing("new", "p-new", "culture-art", price_cents=9500, approved_by={"org-a": "pending"},
                          title={"fi": "Maalauskurssi aikuisille"}),
        ])
    refs = (await world.load(doc))["refs"]
    await identity.create_user(email="jarjestaja@rekisteri.example", display_name="Jaana Järjestäjä",
                               role="organiser_admin", organiser_id=refs["org-a"], password=PASSWORD)
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_the_organiser_sees_the_registry_check_and_the_reference_price(live_server, browser, tmp_path):
    shots = Path(os.environ.get("HB_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with stub_registry() as (_server, registry_url):
        live_server["env"]["HB_REGISTRY_URL"] = registry_url
        url = await live_server["start"](_seed)
        context = await browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 900})
        context.set_default_timeout(15000)
        page = await context.new_page()
        await page.goto(url + "/login?lang=fi")
        await page.get_by_label("Sähköposti").fill("jarjestaja@rekisteri.example")
        await page.get_by_label("Salasana").fill(PASSWORD)
        await page.get_by_role("button", name="Kirjaudu", exact=True).click()
        await page.wait_for_url(lambda u: "/login" not in u)

        await page.goto(url + "/organiser/reviews?kind=provider")
        await page.get_by_role("link", name="Taidepaja Sävel Oy").first.click()
        await page.get_by_role("heading", name="Rekisteritarkistus").wait_for()
        await page.get_by_role("button", name="Tarkista rekistereistä nyt").click()
        await page.get_by_text("Rekisteri ja oma ilmoitus eroavat 2 kohdassa.").wait_for()
        await page.get_by_role("cell", name="Sävel ja Sivellin Oy").wait_for()
        await page.locator("#registry").scroll_into_view_if_needed()
        await fits_and_passes_axe(page, shots, "registry-check")

        await page.goto(url + "/organiser/reviews?kind=listing")
        await page.get_by_role("link", name="Maalauskurssi aikuisille").first.click()
        await page.get_by_role("heading", name="Vertailuhinnat alueella").wait_for()
        await page.get_by_text("Hinta on yli 50 % yli alueen mediaanin.").wait_for()
        await fits_and_passes_axe(page, shots, "reference-price")
        await context.close()
