"""Issue 19, acceptance (Playwright + axe): the organiser sees HB beside the comparison group, uploads
the comparison CSV (a wrong file first: its errors per row), downloads the research export and
opens the printable report; the counsellor logs time on a client's page and on /time-log. No WCAG
2.1 AA violation at 390 px and 1280 px and no sideways scrolling; screenshots go to ``HB_SHOTS_DIR``
(default: the test's temporary folder)."""

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest

from tests.browser.conftest import assert_accessible, fits_and_passes_axe, sign_in

pytestmark = pytest.mark.browser

SECRET = "browser-test-secret-" + "x" * 30  # the live server's (tests/browser/conftest.py)
PASSWORD = "arviointi-salasana-2026"
HEADER = "pseudonym;client_group;municipality;age_band;month;service_cost_cents;admin_minutes;who5_start;who5_end;satisfaction;gas_change"


def _comparison_csv(today: dt.date) -> str:
    months = [(today.replace(day=1) - dt.timedelta(days=31 * k)).strftime("%Y-%m") for k in (3, 2, 1)]
    rows = [HEADER]
    for i in range(12):
        group = "older_people" if i < 6 else "families"
        for j, month in enumerate(months):
            outcome = f"{40 + 4 * (i % 3)};{52 + 4 * (i % 4)};{3 + i % 2},5;{(i % 3) * 0.5:.1f}" if j == 0 else ";;;"
            rows.append(f"V{i:03d};{group};Tuusula;75-84;{month};{90000 + 1000 * i};{30 + i};{outcome}")
    return "\n".join(rows) + "\n"


async def _seed() -> None:
    from core import identity
    from core.identity import Actor
    from core.settings import Settings
    from tests.admin.builders import add_client, add_goal, pay, world
    from voucher.evaluation import admin_time, comparison, consent
    from voucher.evaluation.age_band import set_age_band
    from voucher.evaluation.answers import record_answers

    settings = Settings.from_env({"HB_SECRET_KEY": SECRET, "HB_DATA_DIR": "/tmp"})
    now = dt.datetime.now(dt.timezone.utc)
    today = now.date()
    w = await world(SECRET)
    counsellor = await identity.create_user(email="ohjaaja@arviointi.example", display_name="Olli Ohjaaja",
                                            role="counsellor", organiser_id=w.organiser_id, password=PASSWORD)
    await identity.create_user(email="jarjestaja@arviointi.example", display_name="Jaana Järjestäjä",
                               role="organiser_admin", organiser_id=w.organiser_id, password=PASSWORD)
    staff = Actor(user_id=counsellor, role="counsellor", organiser_id=w.organiser_id, display_name="Olli Ohjaaja")
    start = today - dt.timedelta(days=100)
    for i in range(12):
        group = "older_people" if i < 7 else "families"
        client = await add_client(w, SECRET, f"Arvio {i:02d}", group, start=start, end=today + dt.timedelta(days=200),
                                  municipality="Tuusula")
        await pay(settings, w.provider, client.token, 50_000 + 5_000 * i, now - dt.timedelta(days=40))
        await set_age_band(staff, client.id, "75-84" if group == "older_people" else "35-44")
        await consent.append(client.id, "given", recorded_as="counsellor", how="paper")
        await record_answers(client.id, "who5", "start", [2, 3, 2, 3, 2 + i % 3], answered_on=start)
        await record_answers(client.id, "who5", "follow_up", [3, 3, 4, 3, 2 + i % 4], answered_on=today - dt.timedelta(days=5))
        await record_answers(client.id, "satisfaction", "follow_up", [4, 5, 4, 3 + i % 2, 5],
                             answered_on=today - dt.timedelta(days=5))
        await add_goal(w, client.id, "Käyn ulkona", [(now - dt.timedelta(days=90), -1), (now - dt.timedelta(days=8), i % 3 - 1)])
        await admin_time.log(staff, admin_time.TimeInput(worked_on=(today - dt.timedelta(days=10)).isoformat(),
                                                         minutes=str(20 + 5 * i), kind="contact", client_id=client.id), today)
    await comparison.import_csv(staff, w.organiser_id, _comparison_csv(today).encode())
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_organiser_sees_the_comparison_and_downloads_the_export(live_server, browser, tmp_path):
    url = await live_server["start"](_seed)
    shots = Path(os.environ.get("HB_SHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    kind = live_server["kind"]
    context = await browser.new_context(locale="fi-FI", accept_downloads=True)
    context.set_default_timeout(20000)
    page = await context.new_page()

    await sign_in(page, url, "jarjestaja@arviointi.example", PASSWORD)
    await page.goto(url + "/organiser/dashboard")
    await page.get_by_role("link", name="Arviointi", exact=True).first.click()
    await page.get_by_role("heading", name="Arviointi: HB ja tavanomaiset palvelut").wait_for()
    cost = page.locator("#table-cost")
    await cost.get_by_role("rowheader", name="Ikäihmiset").wait_for()
    # Seven HB clients and six comparison clients among older people: both shown with their numbers.
    older = cost.locator("tr", has=page.get_by_role("rowheader", name="Ikäihmiset"))
    cells = await older.locator("td").all_inner_texts()
    assert cells[2] == "7" and cells[5] == "6" and "€" in cells[0] and "€" in cells[3], cells
    await fits_and_passes_axe(page, shots, f"evaluation-{kind}")

    await page.get_by_role("link", name="Vertailuryhmän tiedot").first.click()
    await page.get_by_label("CSV-tiedosto").set_input_files(files=[{
        "name": "vertailu.csv", "mimeType": "text/csv", "buffer": (HEADER + "\nV1;seniors;Tuusula;75-84;2026-1;x;;;;;\n").encode()}])
    await page.get_by_role("button", name="Tuo tiedosto").click()
    errors = page.locator("#import-errors")
    await errors.wait_for()
    assert await errors.locator("tbody tr").count() == 3
    await fits_and_passes_axe(page, shots, f"evaluation-upload-errors-{kind}")

    await page.get_by_role("link", name="Arviointi: HB ja tavanomaiset palvelut").click()
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Lataa aineisto (CSV, zip)").click()
    download = await waiting.value
    data = Path(await download.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("clients.csv").decode().count("\n") == 13  # the header and twelve consenting clients
    async with page.expect_download() as waiting:
        await page.get_by_role("button", name="Lataa aineisto (Parquet, zip)").click()
    assert (await waiting.value).suggested_filename.endswith("-parquet.zip")

    await page.get_by_role("link", name="Tulostettava raportti").click()
    await page.get_by_role("heading", name="Pilotin raportti").wait_for()
    assert await page.locator("svg.chart[role=img]").count() == 6
    await fits_and_passes_axe(page, shots, f"evaluation-report-{kind}")
    await page.emulate_media(media="print")
    assert await page.locator("nav").first.is_hidden()
    heights = await page.evaluate("() => Array.from(document.querySelectorAll('svg.chart')).map(s => s.getBoundingClientRect().height)")
    assert all(h > 100 for h in heights), heights
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=str(shots / f"evaluation-report-print-{kind}.png"), full_page=True)
    await page.emulate_media(media="screen")
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    # The counsellor: the client's time section, then /time-log.
    await sign_in(page, url, "ohjaaja@arviointi.example", PASSWORD)
    await page.goto(url + "/counsellor/clients?scope=county")
    await page.get_by_role("link", name="Arvio 03").first.click()
    section = page.locator("section", has=page.get_by_role("heading", name="Työaika"))
    await section.get_by_label("Minuutit").fill("35")
    await section.get_by_role("button", name="Tallenna kirjaus").click()
    await page.get_by_text("Työaika kirjattu.").wait_for()
    await assert_accessible(page)
    await page.get_by_role("link", name="Kaikki kirjaukset").click()
    await page.get_by_role("heading", name="Työajan kirjaus").wait_for()
    await page.get_by_text("Yhteensä").first.wait_for()
    await fits_and_passes_axe(page, shots, f"time-log-{kind}")
    await context.close()
