"""Organisers added by the platform admin (issue 14): the API and the page check a record by the
import's own organiser rule (name, business ID, municipalities, IBAN and BIC, settlement period),
naming each field and writing nothing; only a platform admin may; audited. On SQLite and PostgreSQL."""

from core.tables import AuditEvent
from marketplace.tables import Organiser
from tests import world

GOOD = {"name": "Pohjois-Savon hyvinvointialue", "business_id": "3221318-2", "municipalities": ["Kuopio", "Siilinjärvi"],
        "iban": "FI21 1234 5600 0007 85", "bic": "NDEAFIHH", "settlement_period": "weekly"}


async def test_the_platform_admin_adds_an_organiser_checked_like_an_import(db, client):
    from tests.helpers import login

    admin = await world.make_user("platform_admin", "yllapito@org.example")
    counsellor = await world.make_user("counsellor", "ohjaaja@org.example")
    await login(client, counsellor)
    assert (await client.post("/api/v1/organisers", json=GOOD)).status_code == 403
    await login(client, admin)
    bad = {"name": "", "business_id": "1234567-8", "municipalities": [], "iban": "FI00", "bic": "XX",
           "settlement_period": "yearly"}
    response = await client.post("/api/v1/organisers", json=bad)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"name", "business_id", "municipalities", "iban", "bic", "settlement_period"}, response.json()
    assert await Organiser.count().run() == 0

    made = await client.post("/api/v1/organisers", json=GOOD)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["iban"], body["bic"], body["settlement_period"]) == ("FI2112345600000785", "NDEAFIHH", "weekly")
    assert (await client.post("/api/v1/organisers", json={**GOOD, "name": "Toinen"})).status_code == 409
    assert await Organiser.count().run() == 1
    assert await AuditEvent.count().where(AuditEvent.action == "organiser.created").run() == 1
    listed = (await client.get("/api/v1/organisers")).json()
    assert [o["name"] for o in listed] == [GOOD["name"]]


async def test_the_import_refuses_an_organiser_the_form_would_refuse(db):
    import pytest

    from core.errors import Invalid

    doc = world.document(counties=[world.county("org-a", bic="NOT A BIC", iban="FI00")])
    with pytest.raises(Invalid) as refused:
        await world.load(doc, db.settings)
    assert {(e.ref, e.field) for e in refused.value.errors} == {("org-a", "bic"), ("org-a", "iban")}


async def test_the_organisers_page_works_without_javascript(db, client):
    from tests.helpers import form_post, login

    await login(client, await world.make_user("platform_admin", "yllapito@org.example"))
    empty = await form_post(client, "/platform/organisers", {"name": "", "business_id": "", "municipalities": ""})
    assert empty.status_code == 400 and 'href="#f-name"' in empty.text and 'href="#f-municipalities"' in empty.text
    done = await form_post(client, "/platform/organisers?lang=en", {
        "name": GOOD["name"], "business_id": GOOD["business_id"], "municipalities": "Kuopio, Siilinjärvi",
        "iban": GOOD["iban"], "bic": GOOD["bic"], "settlement_period": "monthly"})
    assert done.status_code == 200 and f"The organiser {GOOD['name']} has been added." in done.text
    row = await Organiser.select().where(Organiser.business_id == "3221318-2").output(load_json=True).first().run()
    assert sorted(row["municipalities"]) == ["Kuopio", "Siilinjärvi"] and row["settlement_period"] == "monthly"
    assert f"/invitations?role=organiser_admin&amp;organiser={row['id']}" in done.text
