"""Issue 2, acceptance 2: a provider registers, lists riding therapy and submits it; the organiser
asks for a change; the provider edits and resubmits; the organiser approves; the provider sees it."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


async def _seed_catalogue_and_admin():
    from core import identity
    from tests.world import seed_catalogue

    refs = await seed_catalogue()
    await identity.create_user(email="arvioija@keusote.example", display_name="Aino Arvioija", role="organiser_admin",
                               password="arvioija-salasana-2026", organiser_id=refs["org-a"])


async def _sign_in(page, url, email, password):
    await page.goto(url + "/login")
    await page.get_by_label("Sähköposti").fill(email)
    await page.get_by_label("Salasana").fill(password)
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
# The pages in the browser on PostgreSQL, the production database; the rules behind them run on
# both databases in their own tests (the suite's time on two cores).
@pytest.mark.parametrize("live_server", ["postgres"], indirect=True)
async def test_provider_onboarding_review_and_approval(live_server, browser):
    url = await live_server["start"](_seed_catalogue_and_admin)
    context = await browser.new_context(locale="fi-FI")
    context.set_default_timeout(10000)
    page = await context.new_page()
    visited: list[str] = []

    # The provider registers.
    await page.goto(url + "/providers/register")
    await assert_accessible(page, visited)
    await page.get_by_label("Organisaation nimi").fill("Ratsastuskeskus Kopsu Oy")
    await page.get_by_label("Y-tunnus").fill("1572860-1")  # wrong check digit first
    await page.get_by_label("Tilinumero (IBAN)").fill("FI21 1234 5600 0007 85")
    await page.get_by_label("Sähköposti").fill("kopsu@ratsastus.example")
    await page.get_by_label("Puhelin").fill("+358 40 111 2233")
    await page.get_by_role("group", name="Palvelukielet").get_by_label("suomi").check()
    await page.get_by_role("group", name="Kunnat, joissa toimit").get_by_label("Nurmijärvi").check()
    await page.get_by_label("Keski-Uudenmaan hyvinvointialue").check()
    await page.get_by_label("Liikunta ja ratsastus").check()
    prepayment = page.get_by_role("group", name="Merkintä ennakkoperintärekisteriin")
    await prepayment.get_by_label("Minulla on tämä").check()
    await prepayment.get_by_label("Tiedot").fill("Rekisterissä vuodesta 2019")
    insurance = page.get_by_role("group", name="Vastuuvakuutus")
    await insurance.get_by_label("Minulla on tämä").check()
    await insurance.get_by_label("Tiedot").fill("Lähivakuutus, vastuuvakuutus 55-123")
    await page.get_by_label("Yhteyshenkilön nimi").fill("Kerttu Kopsu")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await page.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
    # The check digit is wrong: the error names the field, in Finnish, and the form keeps the input.
    await page.get_by_text("Y-tunnus ei ole kelvollinen").first.wait_for()
    await assert_accessible(page, visited)
    assert await page.get_by_label("Organisaation nimi").input_value() == "Ratsastuskeskus Kopsu Oy"
    await page.get_by_label("Y-tunnus").fill("1572860-0")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await page.get_by_role("button", name="Rekisteröidy ja lähetä hakemus").click()
    # The answer does not sign in (it reads the same for an address that has an account): sign in next.
    await page.get_by_text("Kiitos, rekisteröinti on vastaanotettu").wait_for()
    await assert_accessible(page, visited)
    await page.get_by_role("main").get_by_role("link", name="Kirjaudu sisään", exact=True).click()
    await page.get_by_label("Sähköposti").fill("kopsu@ratsastus.example")
    await page.get_by_label("Salasana").fill("hevoset-ovat-parhaita")
    await page.get_by_role("button", name="Kirjaudu", exact=True).click()
    await page.get_by_text("Rekisteröinti onnistui").wait_for()
    await assert_accessible(page, visited)

    # A riding-therapy listing, submitted for review.
    await page.get_by_role("link", name="Lisää uusi palvelu").click()
    await assert_accessible(page, visited)
    await page.get_by_label("Palveluluokka").select_option("sport-riding")
    await page.get_by_label("Nimi suomeksi").fill("Ratsastusterapia")
    await page.get_by_label("Kuvaus suomeksi").fill("Fysioterapeutin ohjaama ratsastusterapia, 45 min.")
    await page.get_by_label("Hinta euroina").fill("75,00")
    await page.get_by_label("Kunta").select_option("Nurmijärvi")
    await page.get_by_label("Esteetön kulku pyörätuolilla").check()
    await page.get_by_role("button", name="Tallenna ja lähetä tarkastettavaksi").click()
    await page.get_by_text("Tallennettu.").wait_for()
    assert await page.get_by_text("Lähetetty").count() >= 1
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    # The organiser sees it in the queue and asks for a change.
    await _sign_in(page, url, "arvioija@keusote.example", "arvioija-salasana-2026")
    await page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Hyväksyntäjono").click()
    await assert_accessible(page, visited)
    await page.get_by_role("link", name="Ratsastusterapia").click()
    await assert_accessible(page, visited)
    await page.get_by_label("Pyydä muutoksia").check()
    await page.get_by_label("Perustelu").fill("Kerro, onko avustaja mukana tunnilla.")
    await page.get_by_role("button", name="Tallenna päätös").click()
    await page.get_by_text("Päätös on tallennettu.").wait_for()
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    # The provider sees the reason, edits and resubmits.
    await _sign_in(page, url, "kopsu@ratsastus.example", "hevoset-ovat-parhaita")
    await page.goto(url + "/provider")
    await page.get_by_text("Kerro, onko avustaja mukana tunnilla.").first.wait_for()
    await page.get_by_role("link", name="Ratsastusterapia").click()
    await assert_accessible(page, visited)
    await page.get_by_label("Kuvaus suomeksi").fill("Fysioterapeutin ohjaama ratsastusterapia, 45 min. Avustaja on aina mukana.")
    await page.get_by_role("button", name="Tallenna ja lähetä tarkastettavaksi").click()
    await page.get_by_text("Tallennettu.").wait_for()
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    # The organiser approves the listing and the provider.
    await _sign_in(page, url, "arvioija@keusote.example", "arvioija-salasana-2026")
    await page.goto(url + "/organiser/reviews")
    await page.get_by_role("link", name="Ratsastusterapia").click()
    await page.get_by_label("Hyväksy").check()
    await page.get_by_role("button", name="Tallenna päätös").click()
    await page.get_by_text("Päätös on tallennettu.").wait_for()
    await page.goto(url + "/organiser/reviews")
    await page.get_by_role("link", name="Ratsastuskeskus Kopsu Oy").click()
    await assert_accessible(page, visited)
    await page.get_by_label("Hyväksy").check()
    await page.get_by_role("button", name="Tallenna päätös").click()
    await page.get_by_text("Päätös on tallennettu.").wait_for()
    await page.get_by_role("button", name="Kirjaudu ulos").click()

    # The provider sees it approved.
    await _sign_in(page, url, "kopsu@ratsastus.example", "hevoset-ovat-parhaita")
    await page.goto(url + "/provider")
    row = page.get_by_role("row").filter(has_text="Ratsastusterapia")
    await row.get_by_text("Hyväksytty").first.wait_for()
    approval_row = page.get_by_role("region", name="Hyväksynnät hyvinvointialueittain").get_by_role("row").filter(has_text="Keski-Uudenmaan")
    assert "Hyväksytty" in await approval_row.inner_text()
    await assert_accessible(page, visited)
    await context.close()
    assert len(visited) >= 8
