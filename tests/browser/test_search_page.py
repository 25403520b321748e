"""Issue 4, acceptance 5: an anonymous visitor searches with a typo, narrows by municipality and
category facets and opens a listing; axe-core finds no WCAG 2.1 AA violation."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


async def _seed_demo():
    from core.demo_data import build_demo_document
    from core.identity import Actor
    from marketplace import importer

    doc = build_demo_document()
    doc.pop("clients", None)
    await importer.import_document(doc, actor=Actor(role="platform_admin"))


async def test_anonymous_search_with_typo_facets_and_listing(live_server, browser):
    url = await live_server["start"](_seed_demo)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()
    await page.goto(url + "/")
    await page.get_by_label("Mitä palvelua etsit?").fill("ratsastusteraipa")  # two letters swapped
    await page.get_by_role("button", name="Hae").click()
    await page.wait_for_url("**/search?q=*")
    await assert_accessible(page)
    first = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3)).first
    assert "Ratsastusterapia" in await first.get_by_role("heading").inner_text()
    total_before = int((await page.locator("#results-h").inner_text()).split()[0])

    # Narrow by municipality, then by category.
    await page.get_by_role("group", name="Kunta").get_by_label("Nurmijärvi").check()
    await page.get_by_role("button", name="Suodata").click()
    await assert_accessible(page)
    total_municipality = int((await page.locator("#results-h").inner_text()).split()[0])
    assert 0 < total_municipality <= total_before
    for card in await page.locator(".card .meta").all_inner_texts():
        assert "Nurmijärvi" in card
    await page.get_by_role("group", name="Palveluluokka").get_by_label("Liikunta ja ratsastus").check()
    await page.get_by_role("button", name="Suodata").click()
    await assert_accessible(page)
    metas = await page.locator(".card .meta").all_inner_texts()
    assert metas and all("Liikunta ja ratsastus" in m and "Nurmijärvi" in m for m in metas)

    # Open a listing.
    title = await page.locator(".card h3 a").first.inner_text()
    await page.locator(".card h3 a").first.click()
    await page.get_by_role("heading", level=1, name=title).wait_for()
    assert "€" in await page.locator("dl.facts").first.inner_text()
    await assert_accessible(page)
    await context.close()
