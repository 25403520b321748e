"""Issue 14: going live on an empty database, in Debian Chromium, with no demo data — `hb admin create`
makes the first platform admin, who adds a county and invites its admin; the admin accepts the link
and invites a counsellor; the counsellor accepts, adds a client and invites the client's proxy, who
accepts with a password and lands on the client's pages. Every new page has no WCAG 2.1 A/AA
violation (axe-core); every form is plain HTML (no script on the pages)."""

import asyncio
import subprocess
import sys

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "kayttoonotto-salasana-2026"


async def _sign_in(page, url: str, email: str) -> None:
    await page.goto(f"{url}/login")
    await page.fill("#f-email", email)
    await page.fill("#f-password", PASSWORD)
    await page.click("form[action='/login'] button[type=submit]")


async def _invite(page, url: str, path: str, email: str, role: str, visited: list, **selects: str) -> str:
    """Send an invitation from the Kutsut page: the link it shows once."""
    await page.goto(f"{url}{path}")
    await assert_accessible(page, visited)
    await page.select_option("#f-role", role)
    for field, value in selects.items():
        await page.select_option(f"#f-{field}", value)
    await page.fill("#f-email", email)
    await page.click("form[action='/invitations'] button[type=submit]")
    await assert_accessible(page, visited)
    return (await page.text_content(".notice .secret")).strip()


async def _accept(browser, link: str, visited: list, name: str) -> object:
    context = await browser.new_context(locale="fi-FI")
    page = await context.new_page()
    await page.goto(link)
    await assert_accessible(page, visited)
    await page.fill("#f-display_name", name)
    await page.fill("#f-password", PASSWORD)
    await page.fill("#f-password_confirm", PASSWORD)
    await page.click("form[action^='/invitations/'] button[type=submit]")
    return page


async def test_going_live_from_an_empty_database(live_server, browser):
    # The links in invitations point at the server's public address.
    live_server["env"]["HB_BASE_URL"] = live_server["url"]
    url = await live_server["start"]()
    made = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "hb.cli", "admin", "create", "yllapito@alue.example"], check=False,
        env=live_server["env"], input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    visited: list[str] = []

    admin_context = await browser.new_context(locale="fi-FI")
    page = await admin_context.new_page()
    await _sign_in(page, url, "yllapito@alue.example")
    await page.goto(f"{url}/platform/organisers")
    await assert_accessible(page, visited)
    await page.fill("#f-name", "Pohjois-Savon hyvinvointialue")
    await page.fill("#f-business_id", "3221318-2")
    await page.fill("#f-municipalities", "Kuopio, Siilinjärvi")
    await page.fill("#f-iban", "FI21 1234 5600 0007 85")
    await page.fill("#f-bic", "NDEAFIHH")
    await page.click("form[action='/platform/organisers'] button[type=submit]")
    await assert_accessible(page, visited)
    await page.click(".notice a")  # "Kutsu sen pääkäyttäjä"
    assert "/invitations" in page.url
    organiser_value = await page.eval_on_selector("#f-organiser_id option:checked", "o => o.value")
    link = await _invite(page, url, page.url.removeprefix(url), "paakayttaja@alue.example", "organiser_admin", visited,
                         organiser_id=organiser_value)

    county_admin = await _accept(browser, link, visited, "Paula Pääkäyttäjä")
    assert county_admin.url.endswith("/organiser/reviews?lang=fi"), county_admin.url
    link = await _invite(county_admin, url, "/invitations", "ohjaaja@alue.example", "counsellor", visited)

    counsellor = await _accept(browser, link, visited, "Olli Ohjaaja")
    assert "/counsellor/clients" in counsellor.url
    await counsellor.fill("#f-display_name", "Asiakas 0001")
    await counsellor.select_option("#f-client_group", "older_people")
    await counsellor.fill("#f-national_id", "010150-123P")
    await counsellor.click("form[method=post][action='/counsellor/clients'] button[type=submit]")
    client_url = counsellor.url
    assert "/counsellor/clients/" in client_url
    await counsellor.click("a >> text=Kutsu omainen tai avustaja")
    await assert_accessible(counsellor, visited)
    link = await _invite(counsellor, url, counsellor.url.removeprefix(url), "omainen@alue.example", "proxy", visited)
    listed = await counsellor.text_content("table")
    assert "omainen@alue.example" in listed and "Odottaa" in listed

    proxy = await _accept(browser, link, visited, "Oona Omainen")
    assert "/client" in proxy.url
    assert "Asiakas 0001" in await proxy.text_content("main")
    # The link works once.
    again = await (await browser.new_context(locale="fi-FI")).new_page()
    response = await again.goto(link)
    assert response.status == 410 and "jo otettu vastaan" in await again.text_content("main")
    assert len(visited) >= 10
