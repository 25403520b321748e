"""Issue 14, acceptance 1: going live on an empty database, in Debian Chromium, with no demo data.

`hb admin create` makes the first platform admin, who adds a county and invites its admin; the admin
accepts the link and invites a counsellor; the counsellor accepts, adds a client with a budget
decision and an HB card, and invites the client and the client's proxy. A riding stable registers
on the public page and the county approves it and its listing. The client takes the invitation by
strong e-ID through the test OpenID provider (npm's oidc-provider, FTN profile) and sees the budget;
the proxy accepts with a password and books the stable's riding therapy for the client. The only
thing loaded by a command is the county's service classification (`hb import` of one category), as
an operator would. Every page visited has no WCAG 2.1 A/AA violation (axe-core)."""

import asyncio
import datetime as dt
import json
import subprocess
import sys

import pytest

from tests.browser.conftest import assert_accessible
from tests.oidc.harness import NATIONAL_ID_CLAIM, TestProvider, platform_jwks, require_node

pytestmark = pytest.mark.browser

PASSWORD = "kayttoonotto-salasana-2026"
HETU = "131052-308T"
# The county's service classification: what a county loads before it goes live (not demo data).
CATALOGUE = {"format": "hb-import/1", "categories": [{
    "ref": "sport-riding", "names": {"fi": "Liikunta ja ratsastus", "sv": "Motion och ridning", "en": "Sport and riding"},
    "traditional": False, "requirements": ["prepayment_register", "liability_insurance"]}]}


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


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


async def _command(env: dict, *args: str, stdin: str = "") -> str:
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "hb.cli", *args], check=False, env=env,
                                   input=stdin, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


# Once, on the embedded default a fresh install starts with (SQLite): the suite's time is bounded, and
# every step of the journey also runs on PostgreSQL on its own (tests/hardening/test_invitations.py,
# tests/oidc, tests/browser/test_provider_onboarding.py, tests/marketplace/test_booking_pages.py).
@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_going_live_from_an_empty_database(live_server, browser, tmp_path):
    require_node()
    url = live_server["url"]
    jwks = tmp_path / "platform-jwks.json"
    provider = TestProvider(tmp_path, client_id="hb-eid", client_keys=platform_jwks(jwks),
                            redirect_uri=url + "/login/eid/callback")
    provider.start()
    try:
        await _journey(live_server, browser, tmp_path, provider, jwks)
    finally:
        provider.stop()


async def _journey(live_server, browser, tmp_path, provider, jwks) -> None:
    url = live_server["url"]
    provider.add_person("aino", **{NATIONAL_ID_CLAIM: HETU, "name": "Aino Asiakas"})
    # The links in invitations point at the server's public address; e-ID is the test provider.
    live_server["env"].update({"HB_BASE_URL": url, "HB_OIDC_ISSUER": provider.issuer, "HB_OIDC_CLIENT_ID": "hb-eid",
                               "HB_OIDC_JWKS_FILE": str(jwks)})
    await live_server["start"]()
    env = live_server["env"]
    await _command(env, "admin", "create", "yllapito@alue.example", stdin=PASSWORD + "\n")
    catalogue = tmp_path / "luokitus.json"
    catalogue.write_text(json.dumps(CATALOGUE))
    await _command(env, "import", str(catalogue))
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
    await counsellor.fill("#f-national_id", HETU)
    await counsellor.click("form[method=post][action='/counsellor/clients'] button[type=submit]")
    client_url = counsellor.url
    assert "/counsellor/clients/" in client_url
    await counsellor.click("a >> text=Kutsu omainen tai avustaja")
    await assert_accessible(counsellor, visited)
    link = await _invite(counsellor, url, counsellor.url.removeprefix(url), "omainen@alue.example", "proxy", visited)
    listed = await counsellor.text_content("table")
    assert "omainen@alue.example" in listed and "Odottaa" in listed

    proxy_link = link

    # The counsellor grants a budget and issues the HB card, then invites the client.
    await counsellor.goto(client_url)
    await counsellor.click("a.button >> text=Uusi budjettipäätös")
    await assert_accessible(counsellor, visited)
    today = dt.date.today()
    await counsellor.fill("#f-start", (today - dt.timedelta(days=1)).isoformat())
    await counsellor.fill("#f-end", (today + dt.timedelta(days=300)).isoformat())
    await counsellor.select_option("#f-category_0", "sport-riding")
    await counsellor.fill("#f-amount_0", "1 200,00")
    await counsellor.fill("#f-reason", "Palvelutarpeen arvio 12/2026")
    await counsellor.click("form[action$='/decisions'] button[type=submit]:not([value=compute])")  # not "Laske luokista"
    await counsellor.wait_for_url(client_url + "*")
    assert "1 200,00 €" in plain(await counsellor.text_content("main"))
    await counsellor.fill("#f-per_transaction", "200")
    await counsellor.fill("#f-daily", "400")
    await counsellor.click("form[action$='/cards'] button[type=submit]")
    await counsellor.get_by_text("hbc_").first.wait_for()  # the card's token, shown once
    await assert_accessible(counsellor, visited)
    await counsellor.goto(client_url)
    await counsellor.click("a >> text=Kutsu asiakas")
    client_link = await _invite(counsellor, url, counsellor.url.removeprefix(url), "aino@alue.example", "client",
                                visited)

    # A riding stable registers on the public page; the county approves it and its listing.
    stable_ctx = await browser.new_context(locale="fi-FI")
    stable = await stable_ctx.new_page()
    await stable.goto(url + "/providers/register")
    await stable.get_by_label("Organisaation nimi").fill("Talli Kuopion Kavio Oy")
    await stable.get_by_label("Y-tunnus").fill("1572860-0")
    await stable.get_by_label("Tilinumero (IBAN)").fill("FI21 1234 5600 0007 85")
    await stable.get_by_label("Sähköposti").fill("talli@kavio.example")
    await stable.get_by_role("group", name="Palvelukielet").get_by_label("suomi").check()
    await stable.get_by_role("group", name="Kunnat, joissa toimit").get_by_label("Kuopio").check()
    await stable.get_by_label("Pohjois-Savon hyvinvointialue").check()
    await stable.get_by_label("Liikunta ja ratsastus").check()
    for requirement in ("Merkintä ennakkoperintärekisteriin", "Vastuuvakuutus"):
        group = stable.get_by_role("group", name=requirement)
        await group.get_by_label("Minulla on tämä").check()
        await group.get_by_label("Tiedot").fill("Voimassa 2026")
    await stable.get_by_label("Yhteyshenkilön nimi").fill("Kerttu Kavio")
    await stable.get_by_label("Salasana").fill(PASSWORD)
    await stable.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
    await stable.get_by_text("Kiitos, rekisteröinti on vastaanotettu").wait_for()
    await _sign_in(stable, url, "talli@kavio.example")
    await stable.wait_for_url(url + "/provider*")
    await stable.get_by_role("link", name="Lisää uusi palvelu").click()
    await stable.get_by_label("Palveluluokka").select_option("sport-riding")
    await stable.get_by_label("Nimi suomeksi").fill("Ratsastusterapia")
    await stable.get_by_label("Kuvaus suomeksi").fill("Fysioterapeutin ohjaama ratsastusterapia, 45 min.")
    await stable.get_by_label("Hinta euroina").fill("75,00")
    await stable.get_by_label("Kunta").select_option("Kuopio")
    await stable.get_by_role("button", name="Tallenna ja lähetä tarkastettavaksi").click()
    await stable.get_by_text("Tallennettu.").wait_for()
    listing_url = stable.url
    for name in ("Ratsastusterapia", "Talli Kuopion Kavio Oy"):
        await county_admin.goto(url + "/organiser/reviews")
        # Wait for the review page itself: axe on a page still navigating finds no document.
        await county_admin.get_by_role("link", name=name).first.click()
        await county_admin.wait_for_url(lambda u: "/organiser/reviews/" in u)
        await county_admin.get_by_label("Hyväksy").wait_for()
        await assert_accessible(county_admin, visited)
        await county_admin.get_by_label("Hyväksy").check()
        await county_admin.get_by_role("button", name="Tallenna päätös").click()
        await county_admin.get_by_text("Päätös on tallennettu.").wait_for()
    # Weekly times: every day at 10.00, so tomorrow has one whatever today is.
    await stable.goto(listing_url.split("?")[0].rstrip("/") + "/availability")
    for weekday in range(7):
        await stable.select_option("#f-weekday", str(weekday))
        await stable.fill("#f-start_time", "10.00")
        await stable.fill("#f-duration_minutes", "45")
        await stable.fill("#f-capacity", "2")
        await stable.click("form[action$='/availability/rules'] button[type=submit]")
        await stable.wait_for_load_state()
    await assert_accessible(stable, visited)

    # The client takes the invitation by strong e-ID and sees the budget.
    aino_ctx = await browser.new_context(locale="fi-FI")
    aino = await aino_ctx.new_page()
    await aino.goto(client_link)
    await assert_accessible(aino, visited)
    await aino.get_by_role("link", name="Tunnistaudu pankkitunnuksilla tai mobiilivarmenteella").click()
    await aino.wait_for_selector("#person")
    await aino.fill("#person", "aino")
    await aino.click("button[type=submit]")
    await aino.wait_for_url(lambda u: u.startswith(url) and "/login/eid/callback" not in u and "/invitations/" not in u
                            or "/login/eid/callback" in u)
    assert "/login/eid/callback" not in aino.url, await aino.text_content("main")
    await aino.goto(url + "/budget")
    assert "1 200,00 €" in plain(await aino.text_content("main"))
    await assert_accessible(aino, visited)

    # The proxy accepts with a password and books the riding therapy for the client.
    proxy = await _accept(browser, proxy_link, visited, "Oona Omainen")
    assert "/client" in proxy.url
    assert "Asiakas 0001" in await proxy.text_content("main")
    await proxy.goto(url + "/search?q=ratsastusterapia")
    await proxy.get_by_role("link", name="Ratsastusterapia").first.click()
    await proxy.get_by_role("heading", name="Varaa aika").wait_for()
    await assert_accessible(proxy, visited)
    await proxy.locator("input[name=starts_at]:not([disabled])").first.check()
    await proxy.get_by_role("button", name="Varaa", exact=True).click()
    await proxy.get_by_text("Varauspyyntö on lähetetty").wait_for()
    await assert_accessible(proxy, visited)
    await proxy.goto(url + "/budget")
    budget = plain(await proxy.text_content("main"))
    assert "75,00 €" in budget and "1 125,00 €" in budget  # the hold, and what is left
    # The proxy's link works once.
    again = await (await browser.new_context(locale="fi-FI")).new_page()
    response = await again.goto(proxy_link)
    assert response.status == 410 and "jo otettu vastaan" in await again.text_content("main")
    assert len(visited) >= 18
