"""Issue 18, acceptance 3, in Debian Chromium on SQLite and PostgreSQL: a village association
(kind "association", a registered association's business ID) registers on /providers/register,
signs in and uploads its liability insurance as a PDF with its dates, lists a free activity and a
paid one; the organiser opens the review, sees the registry check (the local stub registry of
tests/fixtures/registry, its result and date) and the reference price (median, range and the +50 %
flag) and approves; a client finds the free activity with the "Maksuton" facet and books it, and
no money moves: no authorisation, no ledger transfer, nothing held on the client's line.

axe-core (WCAG 2.1 AA) passes on every page visited; each page of the journey is also checked at
390 and 1280 px for sideways scrolling and photographed (``HB_SHOTS_DIR``, else the test's tmp).
"""

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from hb.demo import minimal_pdf
from tests.browser.conftest import assert_accessible, fits_and_passes_axe
from tests.marketplace.test_registry import stub_registry

pytestmark = pytest.mark.browser

PASSWORD = "kylayhdistys-salasana-2026"
ASSOCIATION_ID = "9990066-5"  # tests/fixtures/registry/companies-9990066-5.json: Mäntykylän kyläyhdistys ry
ZERO = re.compile(r"(?<!\d)0,00 €")  # a price of nothing (not the end of "500,00 €")
HELSINKI_TODAY = dt.datetime.now(dt.timezone(dt.timedelta(hours=2))).date()


async def _seed(settings) -> None:
    from core import identity
    from marketplace.tables import ServiceCategory
    from tests import world

    doc = world.document(
        counties=[world.county("org-a")],
        categories=[world.category("culture-art", requirements=["prepayment_register", "liability_insurance"])],
        providers=[world.provider("p-peer", "1572860-0", "Taidekoulu Viiva Oy")],
        listings=[world.listing(f"peer-{n}", "p-peer", "culture-art", price_cents=price)
                  for n, price in enumerate((4000, 5000, 6000, 7000))],
        clients=[world.client("cli-1", "org-a", display_name="Asiakas Aino", token=None,
                              start=str(HELSINKI_TODAY - dt.timedelta(days=30)),
                              end=str(HELSINKI_TODAY + dt.timedelta(days=300)),
                              lines=[world.line("culture-art", 50000)])])
    refs = (await world.load(doc, settings))["refs"]
    # An association needs no prepayment register entry for this category; its insurance it needs.
    await ServiceCategory.update({ServiceCategory.requirements_by_kind: {"association": ["liability_insurance"]}}).where(
        ServiceCategory.code == "culture-art").run()
    await identity.create_user(email="jarjestaja@kyla.example", display_name="Jaana Järjestäjä",
                               role="organiser_admin", organiser_id=refs["org-a"], password=PASSWORD)
    await world.person("client", "aino@kyla.example", name="Asiakas Aino", password=PASSWORD,
                       client_id=refs["cli-1"], organiser_id=refs["org-a"])


async def _money_moved(env: dict) -> dict:
    """What the server wrote about money: authorisations, captures, ledger transfers and what the
    client's line holds or spent (read from the server's database after the booking)."""
    from core import db as core_db
    from core.settings import Settings
    from marketplace.booking.tables import Booking
    from voucher.tables import Authorization, BudgetLine, Capture, Transfer

    engine = core_db.bind(core_db.make_engine(Settings.from_env(env)))
    await core_db.start(engine)
    try:
        lines = await BudgetLine.select(BudgetLine.held_cents, BudgetLine.spent_cents).run()
        bookings = await Booking.select(Booking.authorization_id, Booking.amount_cents).run()
        return {"bookings": [(b["authorization_id"], b["amount_cents"]) for b in bookings],
                "authorisations": await Authorization.count().run(), "captures": await Capture.count().run(),
                # The import's budget decision granted the line; nothing else may have moved.
                "transfers": sorted({r["kind"] for r in await Transfer.select(Transfer.kind).run()}),
                "held": sum(r["held_cents"] for r in lines), "spent": sum(r["spent_cents"] for r in lines)}
    finally:
        await core_db.stop(engine)


async def _sign_in(page, url: str, email: str) -> None:
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: "/login" not in u)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_a_village_association_lists_free_and_paid_the_organiser_approves_a_client_books_free(
        live_server, browser, tmp_path):
    shots = Path(os.environ.get("HB_SHOTS_DIR") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "vastuuvakuutus.pdf"
    pdf.write_bytes(minimal_pdf("Vastuuvakuutus, Mantykylan kylayhdistys ry"))
    visited: list[str] = []

    async def checked(page, name: str) -> None:
        await fits_and_passes_axe(page, shots, f"light-{name}")
        visited.append(page.url)

    with stub_registry() as (_server, registry_url):
        live_server["env"]["HB_REGISTRY_URL"] = registry_url
        from core.settings import Settings

        url = await live_server["start"](lambda: _seed(Settings.from_env(live_server["env"])))
        context = await browser.new_context(locale="fi-FI", viewport={"width": 390, "height": 900})
        context.set_default_timeout(15000)
        page = await context.new_page()

        # 1. The village association registers: its kind, its business ID, the insurance it states.
        await page.goto(url + "/providers/register?lang=fi")
        kinds = page.get_by_role("group", name="Palveluntuottajan tyyppi")
        await kinds.get_by_label("Rekisteröity yhdistys").check()
        await page.get_by_label("Organisaation nimi").fill("Mäntykylän kyläyhdistys ry")
        await page.get_by_label("Y-tunnus").fill(ASSOCIATION_ID)
        await page.get_by_label("Tilinumero (IBAN)").fill("FI21 1234 5600 0007 85")
        await page.get_by_label("Sähköposti").fill("hallitus@mantykyla.example")
        await page.get_by_role("group", name="Palvelukielet").get_by_label("suomi").check()
        await page.get_by_role("group", name="Kunnat, joissa toimit").get_by_label("Tuusula").check()
        await page.get_by_label("Keski-Uudenmaan hyvinvointialue").check()
        await page.get_by_label("Kulttuuri ja taide").check()
        # The evidence section asks what an association needs here: the insurance, not the company's
        # prepayment register entry.
        insurance = page.get_by_role("group", name="Vastuuvakuutus")
        assert await insurance.is_visible()
        assert not await page.get_by_role("group", name="Merkintä ennakkoperintärekisteriin").is_visible()
        await insurance.get_by_label("Minulla on tämä").check()
        await insurance.get_by_label("Tiedot").fill("Kylävakuutus, vastuuvakuutus 77-001")
        await page.get_by_label("Yhteyshenkilön nimi").fill("Kalle Kyläläinen")
        await page.get_by_label("Salasana").fill(PASSWORD)
        await checked(page, "01-register")
        await page.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
        await page.get_by_text("Kiitos, rekisteröinti on vastaanotettu").wait_for()
        await checked(page, "02-registered")

        # 2. Signed in, it uploads the insurance certificate (a PDF) with its dates.
        await _sign_in(page, url, "hallitus@mantykyla.example")
        await page.goto(url + "/provider")
        await checked(page, "03-provider-home")
        await page.get_by_role("link", name="Asiakirjat ja voimassaolo").click()
        await page.get_by_label("Vaatimus").select_option("liability_insurance")
        await page.get_by_label("Tiedosto").set_input_files(str(pdf))
        await page.get_by_label("Voimassa alkaen").fill(str(HELSINKI_TODAY - dt.timedelta(days=10)))
        await page.get_by_label("Voimassa asti").fill(str(HELSINKI_TODAY + dt.timedelta(days=355)))
        await page.get_by_role("button", name="Lataa asiakirja").click()
        await page.get_by_text("Asiakirja ladattu.").wait_for()
        assert "Vastuuvakuutus" in await page.get_by_role("table").inner_text()
        await checked(page, "04-documents")

        # 3. A free activity and a paid one, each submitted for review.
        for title, price in (("Kylän avoin maalausilta", "0"), ("Maalauskurssi aikuisille", "95,00")):
            await page.goto(url + "/provider")
            await page.get_by_role("link", name="Lisää uusi palvelu").click()
            await page.get_by_label("Palveluluokka").select_option("culture-art")
            await page.get_by_label("Nimi suomeksi").fill(title)
            await page.get_by_label("Kuvaus suomeksi").fill("Kylätalolla, välineet ovat valmiina. Kaikki tervetulleita.")
            await page.get_by_label("Hinta euroina").fill(price)
            await page.get_by_label("Kunta").select_option("Tuusula")
            if price == "0":
                await checked(page, "05-listing-form-free")
            await page.get_by_role("button", name="Tallenna ja lähetä tarkastettavaksi").click()
            await page.get_by_text("Tallennettu.").wait_for()
        # The free evening has a weekly time with ten places, two days from now.
        await page.goto(url + "/provider")
        await page.get_by_role("row").filter(has_text="Kylän avoin maalausilta").get_by_role(
            "link", name="Varattavat ajat").click()
        weekday = (HELSINKI_TODAY + dt.timedelta(days=2)).weekday()
        weekly = page.get_by_role("region", name="Viikoittaiset ajat")
        await weekly.get_by_label("Viikonpäivä").select_option(str(weekday))
        await weekly.get_by_label("Alkaa klo").fill("18.00")
        await weekly.get_by_label("Kesto minuutteina").fill("120")
        await weekly.get_by_label("Paikkoja").fill("10")
        await page.get_by_role("button", name="Lisää viikoittainen aika").click()
        await page.get_by_role("heading", name="Seuraavat ajat").wait_for()
        await checked(page, "06-availability")
        await page.goto(url + "/provider")
        await checked(page, "07-provider-home-listed")
        await page.get_by_role("button", name="Kirjaudu ulos").click()

        # 4. The organiser reviews the association: the registry check with its date beside the
        # statement, the insurance document; approves.
        await _sign_in(page, url, "jarjestaja@kyla.example")
        await page.goto(url + "/organiser/reviews?kind=provider")
        await assert_accessible(page, visited)
        await page.get_by_role("link", name="Mäntykylän kyläyhdistys ry").first.click()
        await page.get_by_role("heading", name="Rekisteritarkistus").wait_for()
        await page.get_by_role("button", name="Tarkista rekistereistä nyt").click()
        await page.get_by_role("cell", name="Mäntykylän kyläyhdistys ry").last.wait_for()
        registry_text = plain(await page.locator("#registry").inner_text())
        assert "Mäntykylän kyläyhdistys ry" in registry_text
        assert HELSINKI_TODAY.strftime("%-d.%-m.%Y") in registry_text  # the check's date
        main = plain(await page.get_by_role("main").inner_text())
        assert "Rekisteröity yhdistys" in main and "Vastuuvakuutus" in main
        await checked(page, "08-review-provider")
        await page.get_by_label("Hyväksy").check()
        await page.get_by_role("button", name="Tallenna päätös").click()
        await page.get_by_text("Päätös on tallennettu.").wait_for()

        # The paid course: the county's reference price and the flag (95,00 € vs. median 55,00 €).
        await page.goto(url + "/organiser/reviews?kind=listing")
        await page.get_by_role("link", name="Maalauskurssi aikuisille").first.click()
        await page.get_by_role("heading", name="Vertailuhinnat alueella").wait_for()
        reference = plain(await page.get_by_role("main").inner_text())
        assert "55,00 €" in reference and "40,00 €" in reference and "70,00 €" in reference
        await page.get_by_text("Hinta on yli 50 % yli alueen mediaanin.").wait_for()
        await checked(page, "09-review-paid-listing")
        await page.get_by_label("Hyväksy").check()
        await page.get_by_role("button", name="Tallenna päätös").click()
        await page.get_by_text("Päätös on tallennettu.").wait_for()
        await page.goto(url + "/organiser/reviews?kind=listing")
        await page.get_by_role("link", name="Kylän avoin maalausilta").first.click()
        assert "Maksuton" in await page.get_by_role("main").inner_text()
        await checked(page, "10-review-free-listing")
        await page.get_by_label("Hyväksy").check()
        await page.get_by_role("button", name="Tallenna päätös").click()
        await page.get_by_text("Päätös on tallennettu.").wait_for()
        await page.get_by_role("button", name="Kirjaudu ulos").click()

        # 5. The client finds the free evening with the "Maksuton" facet and books a place.
        await _sign_in(page, url, "aino@kyla.example")
        await page.goto(url + "/search?lang=fi")
        await page.get_by_label("Maksuton").check()
        await page.get_by_role("button", name="Hae", exact=True).click()
        await page.get_by_role("link", name="Kylän avoin maalausilta").first.wait_for()
        assert await page.get_by_role("link", name="Maalauskurssi aikuisille").count() == 0
        await checked(page, "11-search-free")
        await page.get_by_role("link", name="Kylän avoin maalausilta").first.click()
        await page.get_by_role("heading", name="Varaa aika").wait_for()
        booking_box = plain(await page.locator("section[aria-labelledby='booking']").inner_text())
        assert "Maksuton" in booking_box and not ZERO.search(booking_box) and "Laske hinta" not in booking_box
        await checked(page, "12-listing-free")
        await page.get_by_label("18.00–20.00, 10 paikkaa vapaana").first.check()
        await page.get_by_role("button", name="Varaa", exact=True).click()
        await page.wait_for_url(lambda u: "/bookings/" in u)
        detail = plain(await page.get_by_role("main").inner_text())
        assert "Maksuton" in detail and not ZERO.search(detail)
        await checked(page, "13-booked-free")
        await page.goto(url + "/client/bookings")
        assert "Kylän avoin maalausilta" in await page.get_by_role("main").inner_text()
        await checked(page, "14-client-bookings")
        await context.close()

    # No money moved for the free booking: no authorisation, capture or transfer, nothing held.
    assert await _money_moved(live_server["env"]) == {"bookings": [(None, 0)], "authorisations": 0, "captures": 0,
                                                       "transfers": ["grant"], "held": 0, "spent": 0}
    assert len(visited) >= 15
