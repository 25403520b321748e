"""The marketplace's web pages with a browser-like client: bad input is shown next to its field
(400, nothing written); odd query strings and ids never make a 500."""

from marketplace.tables import Listing, Provider
from tests.helpers import form_post, login
from tests.world import make_user, registration, seed_catalogue


def _form(refs, **overrides):
    body = registration(refs)
    form = {k: v for k, v in body.items() if k not in ("evidence", "organisers")}
    form["organisers"] = body["organisers"]
    form["evidence.prepayment_register.provided"] = "1"
    form["evidence.prepayment_register.detail"] = "Rekisterissä"
    form["evidence.liability_insurance.provided"] = "1"
    form["evidence.liability_insurance.detail"] = "Vakuutus 1-2-3"
    form.update(overrides)
    return form


async def test_registration_form_errors_are_next_to_fields_and_nothing_is_written(client, db):
    refs = await seed_catalogue()
    r = await form_post(client, "/providers/register?lang=sv", _form(refs, business_id="123", iban="", password="short"))
    assert r.status_code == 400
    assert 'id="f-business_id-error"' in r.text and "FO-numret är ogiltigt" in r.text
    assert 'id="f-iban-error"' in r.text
    # The summary at the top names each field, so two messages alike still say where to go.
    assert '<a href="#f-iban">Kontonummer (IBAN): ' in r.text and '<a href="#f-business_id">FO-nummer' in r.text
    assert 'aria-invalid="true"' in r.text
    assert "Talli Kavio Oy" in r.text  # what the user typed is kept
    assert await Provider.count().run() == 0


async def _register_and_sign_in(client, refs, **overrides):
    form = _form(refs, **overrides)
    r = await form_post(client, "/providers/register", form)
    assert r.status_code == 303, r.text[:500]
    await login(client, {"email": form["email"], "password": form["password"]})


async def test_registration_form_says_received_then_the_provider_signs_in(client, db):
    refs = await seed_catalogue()
    r = await form_post(client, "/providers/register", _form(refs))
    # Not signed in by the answer: it must read the same when the address already has an account.
    assert r.status_code == 303 and r.headers["location"] == "/providers/register?received=1"
    assert "hb_session" not in client.cookies
    received = await client.get(r.headers["location"])
    assert "Kiitos, rekisteröinti on vastaanotettu" in received.text
    assert 'href="/login?next=%2Fprovider%3Fregistered%3D1"' in received.text
    await login(client, {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"})
    home = await client.get("/provider")
    assert home.status_code == 200 and "Talli Kavio Oy" in home.text and "Odottaa käsittelyä" in home.text


async def test_listing_form_bad_price_is_reported_on_the_price_field(client, db):
    refs = await seed_catalogue()
    await _register_and_sign_in(client, refs)
    for price in ("seitsemän", "75,123", "-5", ""):
        r = await form_post(client, "/provider/listings/new", {
            "category": "sport-riding", "title.fi": "Ratsastus", "description.fi": "Kuvaus", "price_euros": price,
            "unit": "session", "delivery_mode": "at_provider", "municipality": "Nurmijärvi", "languages": "fi",
            "capacity": "1", "action": "save"})
        assert r.status_code == 400, price
        assert 'id="f-price_euros-error"' in r.text and "Anna hinta euroina" in r.text and "sentt" not in r.text
    r = await form_post(client, "/provider/listings/new", {
        "category": "sport-riding", "title.fi": "Ratsastus", "description.fi": "Kuvaus", "price_euros": "75,50",
        "unit": "session", "delivery_mode": "at_provider", "municipality": "Nurmijärvi", "languages": "fi",
        "capacity": "lots", "action": "save"})
    assert r.status_code == 400 and 'id="f-capacity-error"' in r.text
    assert await Listing.count().run() == 0
    r = await form_post(client, "/provider/listings/new", {
        "category": "sport-riding", "title.fi": "Ratsastus", "description.fi": "Kuvaus", "price_euros": "1 075,50",
        "unit": "session", "delivery_mode": "at_provider", "municipality": "Nurmijärvi", "languages": "fi",
        "capacity": "2", "action": "save"})
    assert r.status_code == 303
    row = await Listing.select(Listing.price_cents).first().run()
    assert row["price_cents"] == 107550
    page = await client.get(r.headers["location"])
    assert "1075,50" in page.text


async def test_listing_form_asks_a_phone_for_the_numeric_keypad_and_limits(client, db):
    # The field macro's extra attributes reach the browser as attributes, not as escaped text: a
    # phone opens its decimal keypad on the price and the browser keeps capacity within 1–1000.
    refs = await seed_catalogue()
    await _register_and_sign_in(client, refs)
    page = await client.get("/provider/listings/new")
    assert page.status_code == 200
    assert 'inputmode="decimal"' in page.text and 'min="1"' in page.text and 'max="1000"' in page.text
    assert "&#34;" not in page.text and "&quot;decimal" not in page.text


async def test_odd_ids_and_query_strings_never_fail(client, db):
    refs = await seed_catalogue()
    admin = await make_user("organiser_admin", email="a@test.example", organiser_id=refs["org-a"])
    await login(client, admin)
    for path in ("/organiser/reviews?page=abc&kind=zzz", "/organiser/reviews?page=-3", "/organiser/providers?status=x&page=999999",
                 "/organiser/reviews/provider/not-a-uuid", "/organiser/reviews/listing/00000000-0000-0000-0000-000000000000",
                 "/api/v1/organisers/nope/review-queue", f"/api/v1/organisers/{refs['org-a']}/review-queue?page=0",
                 f"/api/v1/organisers/{refs['org-a']}/review-queue?per_page=100000", "/api/v1/listings/%27%22",
                 "/organiser/providers?q=%25%27%22%3B--"):
        r = await client.get(path)
        assert r.status_code < 500, (path, r.status_code)
        assert r.status_code in (200, 400, 403, 404), (path, r.status_code)
    bad = await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue?page=0")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "page"
    r = await form_post(client, "/organiser/reviews/provider/not-a-uuid", {"action": "approve"})
    assert r.status_code == 404


async def test_money_is_shown_the_finnish_way(client, db):
    from core.i18n import money

    assert money(123450) == "1\xa0234,50\xa0€"
    assert money(7500, "sv") == "75,00\xa0€"


async def test_provider_edits_profile_and_applies_to_another_county(client, db):
    from marketplace.tables import ProviderApproval

    refs = await seed_catalogue()
    await _register_and_sign_in(client, refs)
    page = await client.get("/provider/profile")
    assert page.status_code == 200 and "Vantaan ja Keravan hyvinvointialue" in page.text
    form = _form(refs, iban="FI49 5000 9420 0287 30", merchant_id="TERM-0042", organisers=[refs["org-b"]])
    for key in ("business_id", "password", "contact_name"):
        form.pop(key)
    r = await form_post(client, "/provider/profile", form)
    assert r.status_code == 303, r.text[:500]
    row = await Provider.select(Provider.iban, Provider.merchant_id, Provider.iban_changed_at).first().run()
    assert row["iban"] == "FI4950009420028730" and row["merchant_id"] == "TERM-0042" and row["iban_changed_at"]
    assert await ProviderApproval.count().run() == 2
    bad = await form_post(client, "/provider/profile", {**form, "iban": "FI00", "organisers": []})
    assert bad.status_code == 400 and 'id="f-iban-error"' in bad.text
    assert (await Provider.select(Provider.iban).first().run())["iban"] == "FI4950009420028730"
