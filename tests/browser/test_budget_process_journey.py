"""Issue 17's acceptance journey in Debian Chromium, through the pages as the people use them
(axe-core and no sideways scrolling at 390 px and 1280 px on every page visited):

1. the counsellor takes on a new client of Keusote, records a need assessment and a suitability
   assessment with the outcome "Soveltuu";
2. sets the client's HB classes (carer's leave class 2, transport class 1), opens a new decision,
   presses "Laske luokista" and gets the lines of the demo's tariffs (checked against the hand
   calculation below), saves the decision, and the client's budget shows the amounts;
3. the client proposes a goal on /plan, the counsellor accepts it on the plan page, the client sees
   it among their goals;
4. the counsellor books a carer's leave day for the client ("Varaa asiakkaalle" → search → listing
   → booking form, consent given by phone); the client sees who booked and the budget held;
5. the counsellor sets a follow-up date in the plan and finds the task in the caseload's "Tehtävät"
   and in their client list.

The county, its classes and tariffs, the categories, the provider and the listing are the demo's own
records (hb/demo_data.json); the client is a new one with no decision, no classes and no
assessment, so each step shows. Only the accounts and the provider's weekly time are seeded.
SQLite only, like the other journeys: the HTTP tests of each part run on both databases.
Screenshots of each step go to ``HB_JOURNEY_SHOTS`` (default /tmp/hb/shots-journey).
"""

import json
import os
from pathlib import Path

import pytest
import pytest_asyncio

from tests import world
from tests.browser.conftest import CHROMIUM, _seed, fits_and_passes_axe
from tests.browser.test_client_journey import MONDAY, PASSWORD, ROOT, InProcessServer, _signed_in, plain

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("HB_JOURNEY_SHOTS") or "/tmp/hb/shots-journey")
CLIENT_NAME = "Asiakas 0099"
COUNSELLOR = "Olli Ohjaaja"
LISTING_REF = "lst-rantakallio-lomapaiva"


def _demo_document() -> dict:
    """Keusote with its HB classes and tariffs, every category, one carer's-leave provider and its
    listing, all as hb/demo_data.json has them; and one new client with nothing decided yet."""
    demo = json.loads((ROOT / "hb" / "demo_data.json").read_text(encoding="utf-8"))
    listing = next(x for x in demo["listings"] if x["ref"] == LISTING_REF)
    return world.document(
        counties=[o for o in demo["organisers"] if o["ref"] == "org-keusote"],
        categories=demo["categories"],
        providers=[p for p in demo["providers"] if p["ref"] == listing["provider"]],
        listings=[listing],
        clients=[{"ref": "cli-0099", "organiser": "org-keusote", "display_name": CLIENT_NAME,
                  "client_group": "family_carers", "language": "fi", "municipality": "Mäntsälä"}],
    )


DOCUMENT = _demo_document()
# The decision's period and the demo's tariffs (hb/demo_data.json): carer's leave class 2 is 3 days a
# month at 150 € a day until 2026 and 155 € from 1.1.2027; transport class 1 is 5 trips a month at
# 20 € a trip. March 2026 to February 2027 is twelve whole months: ten at the old carer's-leave price
# and two at the new.
START, END = "2026-03-01", "2027-02-28"
CARER_LEAVE_CENTS = 3 * 150_00 * 10 + 3 * 155_00 * 2  # 5 430,00 €
TRANSPORT_CENTS = 5 * 20_00 * 12  # 1 200,00 €
DAY_PRICE_CENTS = 165_00  # the listing's price of a day


def euros(cents: int) -> str:
    """As the pages write money: "5 430,00 €" (plain spaces; see ``plain``)."""
    whole, frac = divmod(cents, 100)
    return f"{whole:,}".replace(",", " ") + f",{frac:02d} €"


def form_euros(cents: int) -> str:
    """As a form field holds an amount: "5430,00"."""
    whole, frac = divmod(cents, 100)
    return f"{whole},{frac:02d}"


async def _seed_world(settings, seeded: dict) -> None:
    refs = (await world.load(DOCUMENT, settings))["refs"]
    org = refs["org-keusote"]
    await world.person("counsellor", "ohjaaja@prosessi.example", name=COUNSELLOR, password=PASSWORD, organiser_id=org)
    await world.person("client", "asiakas@prosessi.example", name=CLIENT_NAME, password=PASSWORD,
                       client_id=refs["cli-0099"], organiser_id=org)
    staff = (await world.person("provider_staff", "lomakoti@prosessi.example", name="Riikka Rantakallio",
                                password=None, provider_id=refs["prov-rantakallio"])).actor
    await world.weekly_time(staff, refs[LISTING_REF], 1, "09:00", duration_minutes=480, capacity=6)  # Tuesdays
    seeded["client"] = refs["cli-0099"]


@pytest_asyncio.fixture(loop_scope="session")
async def process_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "budget-process-journey-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(settings, seeded))
    server = InProcessServer(settings, MONDAY)  # Monday 9.3.2026 10.00 in Helsinki
    server.start()
    yield server, seeded
    server.stop()


async def test_need_suitability_classes_decision_plan_supported_booking_and_follow_up(process_server, browser):
    server, seeded = process_server
    url, client_id = server.url, seeded["client"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    checked: list[str] = []

    async def checked_page(page, name: str) -> None:
        await fits_and_passes_axe(page, SHOTS, name)
        checked.append(name)

    # 1. The counsellor finds the new client among the county's clients and takes them on.
    counsellor_ctx, counsellor = await _signed_in(browser, url, "ohjaaja@prosessi.example")
    await counsellor.set_viewport_size({"width": 390, "height": 900})
    await counsellor.goto(url + "/counsellor/clients")
    await counsellor.get_by_label("Näytä").select_option(label="Kaikki alueen asiakkaat")
    await counsellor.get_by_role("button", name="Suodata").click()
    await counsellor.wait_for_url(lambda u: "scope=county" in u)
    await checked_page(counsellor, "01-clients-county")
    await counsellor.get_by_role("link", name=CLIENT_NAME).click()
    await counsellor.get_by_role("heading", name=CLIENT_NAME, exact=True).wait_for()
    fresh = await counsellor.inner_text("main")
    assert "Soveltuvuutta ei ole arvioitu." in fresh and "Asiakkaalle ei ole asetettu HB-luokkia." in fresh, fresh
    await counsellor.get_by_role("button", name="Ota asiakas omaksi").click()
    await counsellor.get_by_text("Asiakasohjaaja vaihdettiin.").wait_for()
    assert COUNSELLOR in await counsellor.inner_text("section[aria-labelledby='caseload-h']")
    await checked_page(counsellor, "02-client-new")

    # … and records the need assessment and the suitability assessment.
    await counsellor.get_by_role("link", name="Tarpeen ja soveltuvuuden arviointi").click()
    await counsellor.get_by_role("heading", name=f"Tarpeen ja soveltuvuuden arviointi: {CLIENT_NAME}").wait_for()
    need = counsellor.locator("form[action$='/need-assessments']")
    await need.get_by_label("Arvioinnin päivä").fill("2026-03-09")
    await need.get_by_label("Ketkä osallistuivat").fill("asiakas\npuoliso (omaishoitaja)\nasiakasohjaaja")
    respite = need.get_by_role("group", name="Omaishoitajan vapaat")
    await respite.get_by_label("Tarpeen taso").select_option(label="Paljon")
    await respite.get_by_label("Tarve lyhyesti").fill("Omaishoitaja tarvitsee kolme vapaapäivää kuukaudessa")
    trips = need.get_by_role("group", name="Kuljetuspalvelut")
    await trips.get_by_label("Tarpeen taso").select_option(label="Jonkin verran")
    await trips.get_by_label("Tarve lyhyesti").fill("Asiointimatkat muutaman kerran kuukaudessa")
    await need.get_by_label("Asiakkaan oma näkemys").fill("Haluan, että puolisoni saa levätä.")
    await need.get_by_role("button", name="Tallenna uusi versio").click()
    await counsellor.get_by_text("Palvelutarpeen arvio tallennettiin uutena versiona.").wait_for()

    suitability = counsellor.locator("form[action$='/suitability']")
    await suitability.get_by_label("Arvioinnin päivä").fill("2026-03-09")
    for criterion in await suitability.locator("fieldset:has(input[name^='met_'])").all():
        await criterion.get_by_label("Täyttyy", exact=True).check()
    await suitability.get_by_label("Soveltuu", exact=True).check()
    await suitability.get_by_label("Perustelu asiakkaalle").fill(
        "Pystytte valitsemaan palvelut itse, ja sopivia palveluja on tarjolla.")
    await suitability.get_by_role("button", name="Tallenna uusi versio").click()
    await counsellor.get_by_text("Soveltuvuuden arvio tallennettiin uutena versiona.").wait_for()
    latest = plain(await counsellor.inner_text("section[aria-labelledby='suitability-h']"))
    assert "Viimeisin arvio: Soveltuu" in latest and "Uutta budjettipäätöstä ei voi tehdä" not in latest
    saved_need = counsellor.locator("section[aria-labelledby='need-h'] details").first
    await saved_need.locator("summary").click()  # the saved version, as it was recorded
    assert "Omaishoitaja tarvitsee kolme vapaapäivää kuukaudessa" in await saved_need.inner_text()
    await checked_page(counsellor, "03-assessments-saved")

    # 2. The client's HB classes on the client page, then a decision computed from them.
    await counsellor.get_by_role("link", name=f"Takaisin: {CLIENT_NAME}").click()
    classes = counsellor.locator("form[action$='/classes']")
    for choice, reason in (("Omaishoitajan vapaat: Luokka 2", "Hoito on ympärivuorokautista; arvio 9.3.2026"),
                           ("Kuljetuspalvelut: Luokka 1", "Asiointimatkoja muutama kuukaudessa; arvio 9.3.2026")):
        await classes.get_by_label("Luokka").select_option(label=choice)
        await classes.get_by_label("Voimassa alkaen").fill(START)
        await classes.get_by_label("Peruste").fill(reason)
        await classes.get_by_role("button", name="Aseta luokka").click()
        await counsellor.locator("section[aria-labelledby='classes-h'] > ul > li", has_text=choice).wait_for()
    current = await counsellor.inner_text("section[aria-labelledby='classes-h']")
    assert "Luokka tallennettiin." in current, current
    assert "Omaishoitajan vapaat: Luokka 2" in current and "Kuljetuspalvelut: Luokka 1" in current
    await checked_page(counsellor, "04-client-classes")

    await counsellor.get_by_role("link", name="Uusi budjettipäätös").click()
    await counsellor.get_by_label("Alkaa").fill(START)
    await counsellor.get_by_label("Päättyy").fill(END)
    await counsellor.get_by_role("button", name="Laske luokista").click()
    await counsellor.locator("dt", has_text="Laskelma").first.wait_for()
    assert await counsellor.locator("#f-category_0").input_value() == "carer-respite"
    assert await counsellor.locator("#f-amount_0").input_value() == form_euros(CARER_LEAVE_CENTS)
    assert await counsellor.locator("#f-category_1").input_value() == "transport"
    assert await counsellor.locator("#f-amount_1").input_value() == form_euros(TRANSPORT_CENTS)
    computation = plain(await counsellor.locator("fieldset fieldset").first.inner_text())
    assert f"3 pv/kk × 150,00 € × 10 kk + 3 pv/kk × 155,00 € × 2 kk = {euros(CARER_LEAVE_CENTS)}" in computation, computation
    await checked_page(counsellor, "05-decision-computed")
    await counsellor.get_by_label("Muutoksen peruste").fill("Päätös HB-luokista palvelutarpeen arvion 9.3.2026 mukaan")
    await counsellor.get_by_role("button", name="Tallenna", exact=True).click()
    await counsellor.get_by_text("Päätös tallennettu.").wait_for()
    budget = plain(await counsellor.inner_text("section[aria-labelledby='budget-h']"))
    assert euros(CARER_LEAVE_CENTS) in budget and euros(TRANSPORT_CENTS) in budget, budget
    decisions = plain(await counsellor.inner_text("section[aria-labelledby='decisions-h']"))
    assert f"Omaishoitajan vapaat: {euros(CARER_LEAVE_CENTS)}; luokka 2" in decisions, decisions
    await checked_page(counsellor, "06-decision-saved")
    # The budget is used through the client's card (a booking holds it there): the counsellor issues one.
    await counsellor.get_by_role("button", name="Myönnä uusi kortti").click()
    await counsellor.get_by_text("Tunniste ja QR-koodi näytetään vain tämän kerran").wait_for()
    await checked_page(counsellor, "07-card-issued")
    await counsellor.get_by_role("link", name="Takaisin asiakkaan tietoihin").click()

    # The client sees the outcome of the assessment and the budget on their own page.
    client_ctx, client = await _signed_in(browser, url, "asiakas@prosessi.example")
    await client.set_viewport_size({"width": 390, "height": 900})
    await client.goto(url + "/budget")
    own = plain(await client.inner_text("main"))
    assert "Henkilökohtainen budjetti sopii sinulle." in own and euros(CARER_LEAVE_CENTS) in own, own
    assert euros(CARER_LEAVE_CENTS + TRANSPORT_CENTS) in own, own
    await checked_page(client, "08-client-budget")

    # 3. The client proposes a goal; the counsellor accepts it into the plan; the client sees it.
    await client.goto(url + "/plan")
    await client.get_by_role("heading", name="Suunnitelmasi").wait_for()
    await client.get_by_label("Tavoite", exact=True).check()
    await client.get_by_label("Kirjoita ehdotuksesi").fill("Puolisoni pääsee lepäämään kolmena päivänä kuussa")
    await client.get_by_role("button", name="Lähetä ohjaajalle").click()
    await client.get_by_text("Ehdotuksesi lähetettiin").wait_for()
    await checked_page(client, "09-client-proposed")

    await counsellor.goto(f"{url}/counsellor/clients/{client_id}")
    await counsellor.get_by_role("link", name="Avaa asiakassuunnitelma").click()
    await counsellor.get_by_role("heading", name=f"Asiakassuunnitelma: {CLIENT_NAME}").wait_for()
    proposal = counsellor.locator("section[aria-labelledby='proposals-h'] li.card").filter(has_text="Puolisoni pääsee")
    await checked_page(counsellor, "10-plan-proposal")
    await proposal.get_by_role("button", name="Hyväksy suunnitelmaan").click()
    await counsellor.get_by_text("Muutos tallennettiin suunnitelmaan.").wait_for()
    assert "Puolisoni pääsee lepäämään" in await counsellor.inner_text("section[aria-labelledby='goals-h']")

    await client.reload()
    goals = await client.inner_text("section[aria-labelledby='goals-h']")
    assert "Puolisoni pääsee lepäämään kolmena päivänä kuussa" in goals, goals
    await checked_page(client, "11-client-plan-goal")

    # 4. The counsellor books a carer's leave day for the client, who consented by phone.
    await counsellor.goto(f"{url}/counsellor/clients/{client_id}")
    await counsellor.get_by_role("link", name="Varaa asiakkaalle").click()
    await counsellor.get_by_text(f"Varaat asiakkaalle {CLIENT_NAME}").wait_for()
    await counsellor.get_by_label("Mitä palvelua etsit?").fill("omaishoitajan lomapäivä")
    await counsellor.get_by_role("button", name="Hae", exact=True).click()
    await counsellor.wait_for_url(lambda u: "q=omaishoitajan" in u)
    await checked_page(counsellor, "12-search-for-client")
    await counsellor.get_by_role("link", name="Omaishoitajan lomapäivä").first.click()
    await counsellor.wait_for_url(lambda u: "/listings/" in u and "client_id=" in u)
    form = plain(await counsellor.inner_text("section[aria-labelledby='booking']"))
    assert euros(CARER_LEAVE_CENTS) in form and euros(CARER_LEAVE_CENTS - DAY_PRICE_CENTS) in form, form
    await counsellor.get_by_role("group", name="ti 10.3.2026").locator("input[name=starts_at]").first.check()
    await counsellor.get_by_label("Asiakas suostui puhelimessa").check()
    await checked_page(counsellor, "13-booking-form")
    await counsellor.get_by_role("button", name="Varaa", exact=True).click()
    await counsellor.wait_for_url(lambda u: "/bookings/" in u)
    assert f"Varannut: {COUNSELLOR}, asiakasohjaaja" in plain(await counsellor.inner_text("main"))
    await checked_page(counsellor, "14-booked-for-client")

    await client.goto(url + "/client/bookings")
    listed = plain(await client.inner_text("main"))
    assert "Omaishoitajan lomapäivä" in listed and f"Varannut: {COUNSELLOR}, asiakasohjaaja" in listed, listed
    await checked_page(client, "15-client-bookings")
    await client.goto(url + "/budget")
    row = plain(await client.get_by_role("row").filter(has_text="Omaishoitajan vapaat").first.inner_text())
    assert euros(DAY_PRICE_CENTS) in row and euros(CARER_LEAVE_CENTS - DAY_PRICE_CENTS) in row, row
    await checked_page(client, "16-client-budget-held")

    # 5. A follow-up date in the plan becomes the counsellor's task in the caseload.
    await counsellor.goto(f"{url}/counsellor/clients/{client_id}/plan")
    await counsellor.get_by_label("Vastuutyöntekijä", exact=True).select_option(label=COUNSELLOR)
    await counsellor.get_by_label("Seurantapäivä 1").fill("2026-03-16")
    await counsellor.get_by_role("button", name="Tallenna", exact=True).click()
    await counsellor.get_by_text("Muutos tallennettiin suunnitelmaan.").wait_for()
    assert "16.3.2026" in await counsellor.inner_text("section[aria-labelledby='tasks-h']")
    await checked_page(counsellor, "17-plan-follow-up")
    await counsellor.goto(url + "/follow-up/caseload")
    tasks = await counsellor.get_by_role("region", name="Tehtävät").inner_text()
    assert "16.3.2026" in tasks and CLIENT_NAME in tasks and "Seuranta" in tasks, tasks
    await checked_page(counsellor, "18-caseload-tasks")
    await counsellor.goto(url + "/counsellor/clients")  # "mine": the client taken on in step 1
    mine = await counsellor.get_by_role("row").filter(has_text=CLIENT_NAME).inner_text()
    assert "Seuranta 16.3.2026" in mine, mine
    await checked_page(counsellor, "19-clients-mine")

    await client.goto(url + "/budget")
    assert "Seuraava suunnitelman läpikäynti on 16.3.2026." in await client.inner_text("main")
    for context in (client_ctx, counsellor_ctx):
        await context.close()
    assert len(checked) == 19
