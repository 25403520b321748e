"""Issue 4, acceptance 5: an anonymous visitor searches with a typo, narrows by municipality and
category facets and opens a listing; axe-core finds no WCAG 2.1 AA violation. The first half is done
with the keyboard only (issue 2: pages usable by keyboard): the skip link, the search box, a facet
and the filter button are reached with Tab, and each focused control shows where the focus is."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


async def _seed_demo():
    from hb.demo import build_demo_document
    from core.identity import Actor
    from marketplace import importer
    from voucher import importer as voucher_importer

    doc = build_demo_document()
    doc.pop("clients", None)
    # The counties' card rules are the voucher's part of the file (no clients: no settings needed).
    await importer.import_document(doc, actor=Actor(role="platform_admin"), clients=voucher_importer)


FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
  const style = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), type: e.type || '', name: (label || e.getAttribute('aria-label') || e.innerText || e.value || '').trim(),
          visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 || style.boxShadow !== 'none'};
}"""


async def tab_to(page, name: str, *, tag: str | None = None, limit: int = 150) -> dict:
    """Press Tab until the focused control's name holds ``name``; the focus must be visible there."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(FOCUSED)
        if focused and name in focused["name"] and (tag is None or focused["tag"] == tag):
            assert focused["visible"], f"no visible focus on {focused}"
            return focused
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_anonymous_search_with_typo_facets_and_listing(live_server, browser):
    url = await live_server["start"](_seed_demo)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()
    await page.goto(url + "/")
    # Keyboard only: the first Tab lands on the skip link, which takes the focus to the content.
    await page.keyboard.press("Tab")
    skip = await page.evaluate(FOCUSED)
    assert skip["tag"] == "a" and skip["name"] == "Siirry pääsisältöön" and skip["visible"], skip
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/#main", timeout=5000)  # the jump is the browser's; under load it can lag the key press
    await tab_to(page, "Mitä palvelua etsit?", tag="input")
    await page.keyboard.type("ratsastusteraipa")  # two letters swapped
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/search?q=*")
    await assert_accessible(page)
    first = page.get_by_role("listitem").filter(has=page.get_by_role("heading", level=3)).first
    assert "Ratsastusterapia" in await first.get_by_role("heading").inner_text()
    total_before = int((await page.locator("#results-h").inner_text()).split()[0])

    # Narrow by municipality (still by keyboard: Space ticks the box, Enter on the button filters),
    # then by category.
    await tab_to(page, "Nurmijärvi", tag="input")
    await page.keyboard.press("Space")
    assert await page.get_by_role("group", name="Kunta").get_by_label("Nurmijärvi").is_checked()
    await tab_to(page, "Suodata", tag="button")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**municipality=*")
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
