"""Issue 6, acceptance 4: the counsellor's and the organiser's pages in Debian Chromium have no WCAG
2.1 AA violation (axe-core), every chart is a named image with a description and has its data table
beside it, and the charts still show when the page is printed."""

import datetime as dt

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser

SECRET = "browser-test-secret-" + "x" * 30  # the live server's (tests/browser/conftest.py)
PASSWORD = "seuranta-salasana-2026"


async def _seed() -> None:
    from admin import anomalies
    from core import identity
    from core.settings import Settings
    from tests.admin.builders import add_client, add_goal, mark_traditional, pay, world
    from voucher.schemas import LineInput
    from voucher.tables import Client

    settings = Settings.from_env({"HB_SECRET_KEY": SECRET, "HB_DATA_DIR": "/tmp"})
    now = dt.datetime.now(dt.timezone.utc)
    today = now.date()
    w = await world(SECRET)
    await mark_traditional()
    counsellor = await identity.create_user(email="ohjaaja@seuranta.example", display_name="Olli Ohjaaja",
                                            role="counsellor", organiser_id=w.organiser_id, password=PASSWORD)
    await identity.create_user(email="jarjestaja@seuranta.example", display_name="Jaana Järjestäjä",
                               role="organiser_admin", organiser_id=w.organiser_id, password=PASSWORD)
    lines = [LineInput(category="day-activities", amount_cents=300000, may_fund=["culture-art", "sport-riding"]),
             LineInput(category="transport", amount_cents=80000)]
    start, end = today - dt.timedelta(days=120), today + dt.timedelta(days=240)
    clients = [await add_client(w, SECRET, f"Asiakas {i:02d}", group, lines=lines, start=start, end=end)
               for i, group in enumerate(("disability_services", "older_people", "families"))]
    await Client.update({Client.counsellor_id: counsellor}, force=True).run()
    for days_ago in (100, 70, 40, 20, 5):
        await pay(settings, w.provider, clients[0].token, 7500, now - dt.timedelta(days=days_ago), listing=w.listing_riding)
        await pay(settings, w.other_provider, clients[1].token, 5500, now - dt.timedelta(days=days_ago), listing=w.listing_art)
    # Three at one provider within a few hours of one Helsinki day (09–11 there, whatever the hour
    # the suite runs): a flag.
    three_days_ago = now.astimezone(dt.timezone.utc).replace(hour=10, minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    for hour in (1, 2, 3):
        await pay(settings, w.provider, clients[0].token, 2500, three_days_ago - dt.timedelta(hours=hour))
    await add_goal(w, clients[0].id, "Käyn tallilla viikoittain", [(now - dt.timedelta(days=110), -1),
                                                                  (now - dt.timedelta(days=10), 1)])
    await anomalies.scan(w.organiser_id, now - dt.timedelta(days=35), now)


async def _sign_in(page, url: str, email: str) -> None:
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)  # each role lands on its own start page


async def _charts_have_tables(page) -> int:
    """Every chart: an image named by its title, described by its desc, followed by its data table."""
    found = await page.evaluate("""() => Array.from(document.querySelectorAll('svg.chart')).map(svg => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(' ');
        const named = ids.length === 2 && ids.every(id => document.getElementById(id) && document.getElementById(id).textContent.trim());
        const section = svg.closest('section') || svg.parentElement.parentElement;
        const table = section.querySelector('figure ~ div table, figure ~ table');
        const rows = table ? table.querySelectorAll('tbody tr').length : 0;
        return {role: svg.getAttribute('role'), named, rows};
    })""")
    for chart in found:
        assert chart["role"] == "img" and chart["named"] and chart["rows"] > 0, chart
    return len(found)


async def _printable(page) -> None:
    await page.emulate_media(media="print")
    boxes = await page.evaluate("() => Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect().height)")
    assert boxes and all(h >= 40 for h in boxes), boxes  # drawn (a one-bar chart is 50 px high)
    await page.emulate_media(media="screen")


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_follow_up_pages_are_accessible_and_every_chart_has_its_table(live_server, browser):
    url = await live_server["start"](_seed)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(15000)
    page = await context.new_page()
    visited: list[str] = []

    # The counsellor: the caseload, then a client's page with a burn-down per line.
    await _sign_in(page, url, "ohjaaja@seuranta.example")
    await page.goto(url + "/follow-up/caseload")
    await page.get_by_role("heading", name="Asiakkaiden budjetit ja seuranta").wait_for()
    await assert_accessible(page, visited)
    await page.get_by_role("link", name="Asiakas 00", exact=True).click()
    await page.get_by_role("heading", name="Tavoitteet ja GAS-arviot").wait_for()
    await assert_accessible(page, visited)
    assert await _charts_have_tables(page) == 2
    await _printable(page)
    await page.goto(page.url + "?lang=sv")
    await assert_accessible(page, visited)
    await page.get_by_role("button", name="Kirjaudu ulos").or_(page.get_by_role("button", name="Logga ut")).click()

    # The organiser admin: the dashboard, the flags and one flag's evidence, the payouts.
    await _sign_in(page, url, "jarjestaja@seuranta.example")
    await page.goto(url + "/organiser/dashboard?lang=fi")
    await page.get_by_role("heading", name="Järjestäjän seuranta").wait_for()
    await assert_accessible(page, visited)
    assert await _charts_have_tables(page) >= 5
    await _printable(page)
    await page.get_by_role("link", name="Poikkeamat").first.click()
    await assert_accessible(page, visited)
    await page.get_by_role("link", name="Monta veloitusta samana päivänä").first.click()
    await page.get_by_role("heading", name="Näyttö").wait_for()
    await assert_accessible(page, visited)
    await page.get_by_label("Mitä selvisi").fill("Kolme tuntia eri päivinä, kirjattu yhdelle.")
    await page.get_by_role("button", name="Merkitse tarkistetuksi").click()
    await page.get_by_text("Merkitty tarkistetuksi.").wait_for()
    await assert_accessible(page, visited)
    await page.goto(url + "/organiser/payouts")
    await assert_accessible(page, visited)
    await page.goto(url + "/follow-up/caseload?all=1&alerts=1")
    await assert_accessible(page, visited)
    assert len(visited) == 9
    await context.close()
