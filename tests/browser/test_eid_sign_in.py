"""Issue 14: strong e-ID in a real browser against `hb serve` and the test OpenID provider. A client
signs in with e-ID and sees their budget; a person without an account is refused with a page that
says what to do; a county's admin turns staff passwords off. Every page has no WCAG 2.1 AA
violation (axe-core)."""

import datetime as dt

import pytest

from tests.browser.conftest import assert_accessible
from tests.oidc.harness import NATIONAL_ID_CLAIM, TestProvider, platform_jwks

pytestmark = pytest.mark.browser

SECRET = "browser-test-secret-" + "x" * 30  # the live server's (tests/browser/conftest.py)
PASSWORD = "tunnistus-salasana-2026"
HETU = "010170-999R"


async def _seed() -> None:
    from core import identity
    from tests.world import category, county, document, load
    from voucher import budgets
    from voucher.schemas import ClientCreate, DecisionCreate, LineInput

    organiser_id = (await load(document(counties=[county("org-a")], categories=[category("sport-riding")])))["refs"]["org-a"]
    counsellor_id = await identity.create_user(email="ohjaaja@eid.example", display_name="Olli Ohjaaja",
                                               role="counsellor", organiser_id=organiser_id, password=None)
    await identity.create_user(email="jarjestaja@eid.example", display_name="Jaana Järjestäjä",
                               role="organiser_admin", organiser_id=organiser_id, password=PASSWORD)
    counsellor = identity.Actor(user_id=counsellor_id, role="counsellor", organiser_id=organiser_id, display_name="Olli")
    client = await budgets.create_client(counsellor, ClientCreate(
        display_name="Asiakas 0001", client_group="disability_services", national_id=HETU), SECRET)
    today = dt.date.today()
    await budgets.create_decision(counsellor, client.id, DecisionCreate(
        start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=300),
        lines=[LineInput(category="sport-riding", amount_cents=120000)], reason="päätös"))
    await identity.create_user(email="asiakas@eid.example", display_name="Aino Asiakas", role="client",
                               client_id=client.id, organiser_id=organiser_id, password=None)


async def _identify(page, person: str) -> None:
    """At the test provider's login page, as the person."""
    await page.wait_for_selector("#person")
    await page.fill("#person", person)
    await page.click("button[type=submit]")


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_a_client_signs_in_with_e_id_and_a_stranger_is_refused(live_server, browser, tmp_path):
    url = live_server["url"]
    jwks = tmp_path / "platform-jwks.json"
    provider = TestProvider(tmp_path, client_id="hb-eid", client_keys=platform_jwks(jwks),
                            redirect_uri=url + "/login/eid/callback")
    provider.start()
    try:
        provider.add_person("aino", **{NATIONAL_ID_CLAIM: HETU, "name": "Aino Asiakas"})
        provider.add_person("stranger", **{NATIONAL_ID_CLAIM: "291292-918R", "name": "Outo Henkilö"})
        live_server["env"].update({"HB_BASE_URL": url, "HB_OIDC_ISSUER": provider.issuer, "HB_OIDC_CLIENT_ID": "hb-eid",
                                   "HB_OIDC_JWKS_FILE": str(jwks)})
        await live_server["start"](_seed)
        page = await browser.new_page()

        await page.goto(url + "/login?lang=fi&next=/budget")
        await assert_accessible(page)
        await page.get_by_role("link", name="Tunnistaudu vahvasti").click()
        await _identify(page, "stranger")
        await page.wait_for_url(url + "/login/eid/callback*")
        assert "asiakasohjaajaltasi" in await page.text_content("main")
        await assert_accessible(page)

        await page.goto(url + "/login?lang=fi&next=/budget")
        await page.get_by_role("link", name="Tunnistaudu vahvasti").click()
        await _identify(page, "aino")
        await page.wait_for_url(url + "/budget")
        assert "1 200,00" in (await page.text_content("main")).replace("\xa0", " ")
        await assert_accessible(page)
        await page.close()
    finally:
        provider.stop()


@pytest.mark.parametrize("live_server", ["sqlite"], indirect=True)
async def test_a_county_admin_turns_staff_passwords_off(live_server, browser):
    url = await live_server["start"](_seed)
    page = await browser.new_page()
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill("jarjestaja@eid.example")
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.wait_for_url(lambda u: u.startswith(url) and "/login" not in u)  # each role lands on its own start page
    await page.goto(url + "/organiser/sign-in")
    await assert_accessible(page)
    await page.get_by_label("Pois päältä: vain organisaation tunnistus").check()
    await page.get_by_role("button", name="Tallenna").click()
    await page.wait_for_url(url + "/organiser/sign-in?saved=1")
    assert await page.is_checked("#f-spl-off")
    await page.context.clear_cookies()
    await page.goto(url + "/login?lang=fi")
    await page.get_by_label("Sähköposti").fill("jarjestaja@eid.example")
    await page.get_by_label("Salasana").fill(PASSWORD)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    assert "organisaation omalla tunnistuksella" in await page.text_content("main")
    await assert_accessible(page)
    await page.close()
