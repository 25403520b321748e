"""Provider kinds (docs/decisions/0036): what each kind must and must not give at registration (API,
form, import), strong e-ID before a person's approval, requirements per kind, and a private person's
free-only listings. The payout routing of a light entrepreneur is in
tests/voucher/test_voucher_settlement.py."""

import copy

import pytest

from core.errors import Invalid
from tests.world import ADMIN as SYSTEM
from core.clock import utcnow
from marketplace import domain, importer, providers
from marketplace.tables import Provider, ServiceCategory
from tests.helpers import form_post, login
from tests.world import ADMIN, example_document, listing_body, make_user, registration, seed_catalogue
from voucher import importer as voucher_importer

LIGHT = {"kind": "light_entrepreneur", "business_id": "", "iban": "FI33 1787 7893 2879 21",
         "invoicing_service_name": "Laskutuspalvelu Ukko", "payment_reference": "1232"}
PRIVATE = {"kind": "private_person", "business_id": "", "iban": "", "evidence": {}}


def _errors(kind, **given):
    values = {"business_id": "", "iban": "", "invoicing_service_name": "", "payment_reference": "", **given}
    return {e.field: e.key for e in domain.kind_errors(kind, **values)}


def test_kind_rules_are_pure_and_name_each_field():
    assert _errors("company", business_id="1572860-0", iban="FI2112345600000785") == {}
    assert _errors("association", business_id="1572860-0", iban="FI2112345600000785") == {}
    assert _errors("association", iban="FI2112345600000785") == {"business_id": "provider.business_id_required"}
    assert _errors("light_entrepreneur", iban="FI2112345600000785", invoicing_service_name="Ukko",
                   payment_reference="RF18 5390 0754 7034") == {}
    assert _errors("light_entrepreneur", iban="FI2112345600000785") == {
        "invoicing_service_name": "provider.invoicing_service_required",
        "payment_reference": "provider.payment_reference_required"}
    assert _errors("light_entrepreneur", iban="FI2112345600000785", invoicing_service_name="Ukko",
                   payment_reference="1233")["payment_reference"] == "provider.payment_reference_invalid"
    assert _errors("private_person") == {}
    assert _errors("private_person", iban="FI2112345600000785") == {"iban": "provider.private_no_bank"}
    assert _errors("company", business_id="1572860-0", iban="FI2112345600000785",
                   payment_reference="1232") == {"payment_reference": "provider.invoicing_only_light"}
    assert _errors("sole_trader") == {"kind": "field.choice"}
    # Finnish reference numbers (7-3-1) and RF references
    assert domain.finnish_reference_valid("1232") and domain.finnish_reference_valid("12345672")
    assert not domain.finnish_reference_valid("123") and not domain.finnish_reference_valid("RF00 1232")
    assert domain.paid_listing_allowed("company", 7500) and not domain.paid_listing_allowed("private_person", 1)
    category = {"requirements": ["liability_insurance"], "requirements_by_kind": {"private_person": []}}
    assert domain.requirements_of_kind(category, "private_person") == []
    assert domain.requirements_of_kind(category, "association") == ["liability_insurance"]


async def test_each_kind_registers_by_its_own_rules(client, db):
    refs = await seed_catalogue()
    association = await client.post("/api/v1/providers", json=registration(
        refs, kind="association", name="Kylätalon yhdistys ry", business_id="1572860-0"))
    assert association.status_code == 201, association.text
    light = await client.post("/api/v1/providers", json=registration(
        refs, email="ukko@example.test", name="Ukko Ratsastaja", **LIGHT))
    assert light.status_code == 201, light.text
    row = await Provider.select().where(Provider.id == light.json()["id"]).first().run()
    assert (row["kind"], row["business_id"], row["iban"], row["invoicing_service_name"], row["payment_reference"]) == (
        "light_entrepreneur", None, "FI3317877893287921", "Laskutuspalvelu Ukko", "1232")
    await login(client, {"email": "ukko@example.test", "password": registration(refs)["password"]})
    me = (await client.get(f"/api/v1/providers/{light.json()['id']}")).json()
    assert me["kind"] == "light_entrepreneur" and me["business_id"] is None
    assert me["payment_reference"] == "1232" and me["identified_with_eid_at"] is None
    profile = await client.get("/provider/profile")
    assert 'value="Laskutuspalvelu Ukko"' in profile.text and 'id="f-payment_reference"' in profile.text
    saved = await form_post(client, "/provider/profile", {
        "name": "Ukko Ratsastaja", "iban": "FI2112345600000785", "invoicing_service_name": "Laskutuspalvelu Ukko",
        "payment_reference": "RF18 5390 0754 7034", "email": "ukko@example.test", "languages": "fi",
        "municipalities": "Nurmijärvi", "categories": "sport-riding",
        **{f"evidence.{k}.provided": "1" for k in ("prepayment_register", "liability_insurance")},
        **{f"evidence.{k}.detail": "ok" for k in ("prepayment_register", "liability_insurance")}})
    assert saved.status_code in (302, 303), saved.text
    row = await Provider.select(Provider.payment_reference, Provider.iban_changed_at).where(
        Provider.id == light.json()["id"]).first().run()
    assert row["payment_reference"] == "RF18539007547034" and row["iban_changed_at"] is not None


async def test_wrong_details_per_kind_are_refused_in_finnish_naming_the_field(client, db):
    refs = await seed_catalogue()
    cases = [
        (registration(refs, business_id=""), "business_id", "Y-tunnus"),  # a company needs its business ID
        (registration(refs, **{**LIGHT, "invoicing_service_name": ""}), "invoicing_service_name", "Laskutuspalvelun"),
        (registration(refs, **{**LIGHT, "payment_reference": "1233"}), "payment_reference", "Viitenumero"),
        (registration(refs, **{**PRIVATE, "iban": "FI2112345600000785"}), "iban", "Yksityishenkilö"),
        (registration(refs, kind="freelancer"), "kind", ""),
    ]
    for body, field, finnish in cases:
        response = await client.post("/api/v1/providers", json=body)
        assert response.status_code == 400, (field, response.text)
        messages = {e["field"]: e["message"] for e in response.json()["errors"]}
        assert field in messages and finnish in messages[field], (field, messages)
    assert await Provider.count().run() == 0


async def test_a_private_person_needs_no_bank_details_lists_nothing_paid_and_waits_for_eid(client, db):
    refs = await seed_catalogue()
    # The organiser asks nothing of a private person in this category; a company still must show evidence.
    await ServiceCategory.update({ServiceCategory.requirements_by_kind: {"private_person": []}}).where(
        ServiceCategory.code == "sport-riding").run()
    refused = await client.post("/api/v1/providers", json=registration(refs, evidence={}))
    assert refused.status_code == 400 and "evidence.liability_insurance" in {e["field"] for e in refused.json()["errors"]}
    created = await client.post("/api/v1/providers", json=registration(
        refs, name="Maija Metsä", email="maija@example.test", **PRIVATE))
    assert created.status_code == 201, created.text
    provider_id = created.json()["id"]
    await login(client, {"email": "maija@example.test", "password": registration(refs)["password"]})
    paid = await client.post("/api/v1/listings", json=listing_body())
    assert paid.status_code == 400
    [error] = [e for e in paid.json()["errors"] if e["field"] == "price_cents"]
    assert "maksuttomia" in error["message"]
    # A free activity is what a private person may list (issue 18, part 2: price 0 is a real price).
    free = await client.post("/api/v1/listings", json={**listing_body(), "price_cents": 0})
    assert free.status_code == 201, free.text
    bank = await client.patch(f"/api/v1/providers/{provider_id}", json={"iban": "FI2112345600000785"})
    assert bank.status_code == 400 and bank.json()["errors"][0]["field"] == "iban"

    admin = await make_user("organiser_admin", email="admin@test.example", organiser_id=refs["org-a"])
    await login(client, admin)
    [item] = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).json()["items"]
    no_eid = await client.post(f"/api/v1/provider-approvals/{item['id']}/decision", json={"action": "approve"})
    assert no_eid.status_code == 409 and "e-tunnistus" in no_eid.json()["detail"]
    review = await client.get(f"/organiser/reviews/provider/{item['id']}")
    assert "Yksityishenkilö" in review.text and "Ei vielä tunnistettu" in review.text
    await providers.record_eid_identification(provider_id, utcnow(), SYSTEM)
    approved = await client.post(f"/api/v1/provider-approvals/{item['id']}/decision", json={"action": "approve"})
    assert approved.status_code == 200, approved.text


async def test_the_registration_form_offers_the_kinds(client, db):
    refs = await seed_catalogue()
    page = await client.get("/providers/register")
    for kind in domain.PROVIDER_KINDS:
        assert f'id="f-kind-{kind}"' in page.text
    body = registration(refs, email="ukko@example.test", name="Ukko Ratsastaja", **LIGHT)
    form = {k: v for k, v in body.items() if k not in ("evidence", "languages", "municipalities", "categories", "organisers")}
    fields = list(form.items()) + [("languages", "fi"), ("municipalities", "Nurmijärvi"), ("categories", "sport-riding"),
                                   ("organisers", refs["org-a"])]
    for req, item in body["evidence"].items():
        fields += [(f"evidence.{req}.provided", "on"), (f"evidence.{req}.detail", item["detail"])]
    good = await form_post(client, "/providers/register", fields)
    assert good.status_code in (302, 303), good.text
    row = await Provider.select(Provider.kind, Provider.invoicing_service_name).first().run()
    assert row == {"kind": "light_entrepreneur", "invoicing_service_name": "Laskutuspalvelu Ukko"}
    wrong = [(k, v) for k, v in fields if k not in ("payment_reference", "email")] + [
        ("payment_reference", "999"), ("email", "toinen@example.test")]
    refused = await form_post(client, "/providers/register", wrong)
    assert refused.status_code == 400 and "Viitenumero ei ole kelvollinen" in refused.text


async def test_import_knows_the_kinds(db):
    doc = example_document()
    light = copy.deepcopy(doc["providers"][0])
    light.update(ref="prov-ukko", name="Ukko Ratsastaja", email="ukko@example.test", **{**LIGHT, "business_id": ""})
    private = copy.deepcopy(doc["providers"][0])
    private.update(ref="prov-maija", name="Maija Metsä", email="maija@example.test", kind="private_person",
                   business_id="", iban="")
    private.pop("issue_api_key", None)
    doc["providers"] += [light, private]
    [riding] = [c for c in doc["categories"] if c["ref"] == "sport-riding"]
    riding["requirements_by_kind"] = {"private_person": []}
    refs = (await importer.import_document(doc, actor=ADMIN, clients=voucher_importer))["refs"]
    rows = {str(r["id"]): r for r in await Provider.select().where(Provider.id.is_in([refs["prov-ukko"], refs["prov-maija"]])).run()}
    assert rows[refs["prov-ukko"]]["kind"] == "light_entrepreneur"
    assert rows[refs["prov-ukko"]]["payment_reference"] == "1232" and rows[refs["prov-ukko"]]["business_id"] is None
    assert rows[refs["prov-maija"]]["kind"] == "private_person" and rows[refs["prov-maija"]]["iban"] == ""
    category = await ServiceCategory.select().where(ServiceCategory.code == "sport-riding").output(load_json=True).first().run()
    assert category["requirements_by_kind"] == {"private_person": []}

    paid = example_document()
    paid["providers"].append(private)
    listing = copy.deepcopy(paid["listings"][0])
    listing.update(ref="lst-maija", provider="prov-maija")
    paid["listings"].append(listing)
    bank = copy.deepcopy(private)
    bank.update(ref="prov-maija2", email="maija2@example.test", iban="FI2112345600000785")
    paid["providers"].append(bank)
    with pytest.raises(Invalid) as refused:
        await importer.import_document(paid, actor=ADMIN, clients=voucher_importer)
    found = {(e.ref, e.field, e.key) for e in refused.value.errors}
    assert ("lst-maija", "price_cents", "listing.private_free_only") in found
    assert ("prov-maija2", "iban", "provider.private_no_bank") in found
