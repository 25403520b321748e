"""Need and suitability assessments (issue 17) on SQLite and PostgreSQL, through the API and the
pages: each save a new version with the earlier ones readable; bad input a 400 naming the field;
another county's counsellor told nothing; the client (and a proxy with view) read their own; every
read audited; a decision refused while the latest outcome is not "suitable", by the API, the page
and the import alike; the county's criteria; the public guidance pages in three languages."""

import copy

import pytest

from core.errors import Invalid
from core.tables import AuditEvent
from marketplace import importer
from tests import world
from tests.helpers import form_post, login, logout
from tests.voucher.vhelpers import NOW, make_world
from tests.world import ADMIN, example_document, make_user
from voucher import importer as voucher_importer
from voucher import proxies
from voucher.assessment import services
from voucher.assessment.domain import DEFAULT_CRITERIA
from voucher.assessment.schemas import CriterionAnswer, SuitabilityInput
from voucher.tables import BudgetDecision, Client, NeedAssessment, SuitabilityAssessment

NEED = {"assessed_on": "2026-03-02", "participants": ["asiakas", "äiti (läheinen)", "asiakasohjaaja"],
        "client_view": "Haluan käydä ratsastamassa.",
        "areas": [{"category": "sport-riding", "level": "substantial", "need": "Liikuntaa viikoittain"},
                  {"category": "transport", "level": "some", "need": "Kuljetus tallille"}]}
DECISION = {"start": "2027-01-01", "end": "2027-06-30", "reason": "Uusi kausi",
            "lines": [{"category": "sport-riding", "amount_cents": 50_000}]}


def _suitability(outcome: str, *, met: bool = True, reason: str = "Perustelu asiakkaalle.") -> dict:
    return {"assessed_on": "2026-03-03", "outcome": outcome, "reason": reason,
            "criteria": [{"criterion": c, "met": met, "grounds": "" if met else "Tarve vaihtelee vielä."}
                         for c in DEFAULT_CRITERIA]}


async def _reads(client_id: str, purpose: str) -> int:
    return await AuditEvent.count().where((AuditEvent.action == "client_data.read") & (AuditEvent.subject_id == client_id)
                                          & (AuditEvent.purpose == purpose)).run()


@pytest.fixture
def clock(app):
    app.state.clock = lambda: NOW


async def test_need_assessments_are_versions_named_by_field_errors_read_by_the_client_side_and_audited(app, client, db, clock):
    w = await make_world(db.settings.secret_key)
    counsellor = await make_user("counsellor", organiser_id=w.organiser_id)
    await login(client, counsellor)
    url = f"/api/v1/clients/{w.client_id}/need-assessments"
    for body, field in (
        ({**NEED, "assessed_on": "2026-03-11"}, "assessed_on"),  # tomorrow in Helsinki
        ({**NEED, "areas": [{"category": "no-such", "level": "some"}]}, "areas[0].category"),
        ({**NEED, "areas": [{"category": "transport", "level": "paljon"}]}, "areas[0].level"),
        ({**NEED, "participants": []}, "participants"),
        ({**NEED, "client_view": "x" * 2001}, "client_view"),
        ({**NEED, "extra": 1}, "extra"),
    ):
        r = await client.post(url, json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["field"] == field, r.json()
    assert await NeedAssessment.count().run() == 0

    first = await client.post(url, json=NEED)
    assert first.status_code == 201, first.text
    assert (first.json()["version"], first.json()["created_by_name"]) == (1, "Test counsellor")
    second = await client.post(url, json={**NEED, "assessed_on": "2026-03-09",
                                          "areas": [{"category": "transport", "level": "extensive"}]})
    assert second.json()["version"] == 2
    versions = (await client.get(url)).json()
    assert [v["version"] for v in versions] == [2, 1]  # newest first, the first still readable as it was
    assert versions[1]["areas"][0] == NEED["areas"][0] and versions[1]["participants"] == NEED["participants"]
    recorded = await AuditEvent.select().where(AuditEvent.action == "voucher.need_assessment.recorded").output(
        load_json=True).run()
    assert [e["details"]["version"] for e in recorded] == [1, 2] and recorded[0]["subject_id"] == w.client_id

    # Another county's counsellor is told nothing; the client reads their own; a proxy needs `view`.
    other = await make_user("counsellor", organiser_id="00000000-0000-4000-8000-00000000b0b0")
    await login(client, other)
    assert (await client.get(url)).status_code == 404
    assert (await client.post(url, json=NEED)).status_code == 404
    own = await make_user("client", client_id=w.client_id)
    await login(client, own)
    assert [v["version"] for v in (await client.get(url)).json()] == [2, 1]
    assert (await client.post(url, json=NEED)).status_code == 403
    booker = await make_user("proxy")
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=booker["id"], rights=["book"]))
    await login(client, booker)
    assert (await client.get(url)).status_code == 403
    assert await _reads(w.client_id, "need_assessments") == 2  # the counsellor's and the client's; refusals read nothing


async def test_a_decision_waits_for_a_suitable_outcome_by_api_page_and_import(app, client, db, clock):
    w = await make_world(db.settings.secret_key)
    counsellor = await make_user("counsellor", organiser_id=w.organiser_id)
    await login(client, counsellor)
    url = f"/api/v1/clients/{w.client_id}/suitability"
    # Never assessed: a decision may be made, as before.
    assert (await client.post(f"/api/v1/clients/{w.client_id}/decisions", json=DECISION)).status_code == 201

    bad = await client.post(url, json=_suitability("not_now", met=False) | {"reason": ""})
    assert bad.status_code == 400 and bad.json()["field"] == "reason"
    no_grounds = _suitability("not_now", met=False)
    no_grounds["criteria"][1]["grounds"] = ""
    assert (await client.post(url, json=no_grounds)).json()["field"] == "criteria[1].grounds"
    partial = _suitability("suitable")
    partial["criteria"].pop()
    assert (await client.post(url, json=partial)).json()["field"] == "criteria"
    assert (await client.post(url, json=_suitability("perhaps"))).json()["field"] == "outcome"

    r = await client.post(url, json=_suitability("not_now", met=False, reason="Tarve selviää syksyllä."))
    assert r.status_code == 201 and r.json()["version"] == 1
    decisions = await BudgetDecision.count().run()
    refused = await client.post(f"/api/v1/clients/{w.client_id}/decisions", json=DECISION)
    assert refused.status_code == 400 and refused.json()["field"] == "client"
    assert "soveltuvuuden arvio" in refused.json()["detail"]
    page = await form_post(client, f"/counsellor/clients/{w.client_id}/decisions",
                           {"start": "2027-01-01", "end": "2027-06-30", "rows": "1", "category_0": "sport-riding",
                            "amount_0": "500", "reason": "Sivulta"})
    assert page.status_code == 400 and "Budjettipäätöstä ei voi tehdä" in page.text
    assert await BudgetDecision.count().run() == decisions
    # A changed decision is not a new one: the rule is for granting.
    assert (await client.patch(f"/api/v1/decisions/{w.decision_id}",
                               json={"reason": "Korjaus", "end": "2026-11-30"})).status_code == 200

    assert (await client.post(url, json=_suitability("suitable"))).json()["version"] == 2
    assert (await client.post(f"/api/v1/clients/{w.client_id}/decisions", json=DECISION)).status_code == 201
    listed = (await client.get(url)).json()
    assert [(v["version"], v["outcome"]) for v in listed] == [(2, "suitable"), (1, "not_now")]
    assert listed[1]["criteria"][0] == {"criterion": DEFAULT_CRITERIA[0], "met": False, "grounds": "Tarve vaihtelee vielä."}


async def test_the_import_grants_no_new_decision_to_a_client_found_unsuitable(db, monkeypatch):
    monkeypatch.setenv("HB_SECRET_KEY", db.settings.secret_key)
    doc = example_document()
    refs = (await importer.import_document(doc, actor=ADMIN, settings=db.settings, clients=voucher_importer))["refs"]
    row = await Client.select().where(Client.id == refs["cli-0001"]).first().run()
    counsellor = (await world.person("counsellor", organiser_id=str(row["organiser_id"]), password=None)).actor
    answers = [CriterionAnswer(criterion=c, met=True) for c in DEFAULT_CRITERIA]
    await services.record_suitability(counsellor, refs["cli-0001"], SuitabilityInput(
        assessed_on=NOW.date(), criteria=answers, outcome="not_suitable", reason="Ei sovellu."), NOW)
    again = copy.deepcopy(doc)
    again["clients"][0]["decision"] = {**again["clients"][0]["decision"], "ref": "dec-0001-b",
                                       "start": "2027-01-01", "end": "2027-06-30"}
    decisions = await BudgetDecision.count().run()
    with pytest.raises(Invalid) as refused:
        await importer.import_document(again, actor=ADMIN, settings=db.settings, clients=voucher_importer)
    [error] = refused.value.errors
    assert (error.field, error.key, error.ref) == ("client", "voucher.error.not_suitable", "dec-0001-b")
    assert await BudgetDecision.count().run() == decisions
    # The decision it already has is changed as before.
    changed = copy.deepcopy(doc)
    changed["clients"][0]["decision"]["lines"][1]["amount_cents"] = 100000
    assert (await importer.import_document(changed, actor=ADMIN, settings=db.settings,
                                           clients=voucher_importer))["summary"]["updated"] == 1


async def test_the_counsellor_records_on_the_page_and_the_client_reads_the_outcome_in_plain_words(app, client, db, clock):
    w = await make_world(db.settings.secret_key)
    counsellor = await make_user("counsellor", organiser_id=w.organiser_id)
    await login(client, counsellor)
    home = await client.get(f"/counsellor/clients/{w.client_id}")
    assert "Soveltuvuutta ei ole arvioitu." in home.text
    assert f'href="/counsellor/clients/{w.client_id}/assessment"' in home.text
    page = await client.get(f"/counsellor/clients/{w.client_id}/assessment")
    assert page.status_code == 200 and DEFAULT_CRITERIA[0] in page.text
    assert await _reads(w.client_id, "assessment_page") == 1

    # Not met without grounds, no outcome: each error beside its field, what was typed kept.
    form = {"suit_on": "2026-03-10", "criteria_count": str(len(DEFAULT_CRITERIA)), "reason": "Ei vielä."}
    for i, c in enumerate(DEFAULT_CRITERIA):
        form |= {f"criterion_{i}": c, f"met_{i}": "yes" if i else "no", f"grounds_{i}": ""}
    bad = await form_post(client, f"/counsellor/clients/{w.client_id}/suitability", form)
    assert bad.status_code == 400
    assert 'id="f-grounds_0-error"' in bad.text and 'id="f-outcome-error"' in bad.text and "Ei vielä." in bad.text
    saved = await form_post(client, f"/counsellor/clients/{w.client_id}/suitability",
                            form | {"grounds_0": "Valinnat vaativat vielä harjoittelua.", "outcome": "not_now",
                                    "reason": "Harjoittelemme ensin valintoja yhdessä. Arvioimme uudelleen keväällä."})
    assert saved.status_code == 303, saved.text
    need = await form_post(client, f"/counsellor/clients/{w.client_id}/need-assessments", {
        "need_on": "2026-03-10", "participants": "asiakas\näiti", "level_transport": "some",
        "need_transport": "Kuljetus kahdesti viikossa", "client_view": "Haluan liikkua enemmän."})
    assert need.status_code == 303, need.text
    [row] = await NeedAssessment.select().output(load_json=True).run()
    assert row["areas"] == [{"category": "transport", "level": "some", "need": "Kuljetus kahdesti viikossa"}]
    assert row["participants"] == ["asiakas", "äiti"]
    page = await client.get(f"/counsellor/clients/{w.client_id}/assessment?saved=need")
    assert "Ei nyt" in page.text and "Kuljetus kahdesti viikossa" in page.text and "versio 1" in page.text
    assert "Uutta budjettipäätöstä ei voi tehdä" in page.text

    # The client sees the outcome and its reason in plain words; a proxy with `view` too.
    own = await make_user("client", client_id=w.client_id)
    await login(client, own)
    budget = await client.get("/budget")
    assert "Henkilökohtainen budjetti ei sovi sinulle nyt." in budget.text
    assert "Harjoittelemme ensin valintoja yhdessä." in budget.text and 'href="/guide/client"' in budget.text
    assert "Valinnat vaativat" not in budget.text  # the counsellor's grounds are not the client's summary
    viewer = await make_user("proxy")
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=viewer["id"], rights=["view"]))
    await login(client, viewer)
    assert "A personal budget does not suit you now." in (await client.get("/budget?lang=en")).text


async def test_the_county_admin_sets_the_criteria_and_earlier_versions_keep_their_words(app, client, db, clock):
    w = await make_world(db.settings.secret_key)
    admin = await make_user("organiser_admin", organiser_id=w.organiser_id)
    counsellor = await make_user("counsellor", organiser_id=w.organiser_id)
    answers = [CriterionAnswer(criterion=c, met=True) for c in DEFAULT_CRITERIA]
    await services.record_suitability(w.counsellor, w.client_id, SuitabilityInput(
        assessed_on=NOW.date(), criteria=answers, outcome="suitable", reason="Sopii."), NOW)

    await login(client, admin)
    page = await client.get("/organiser/suitability-criteria")
    assert page.status_code == 200 and "oletuskriteerejä" in page.text
    assert (await form_post(client, "/organiser/suitability-criteria", {"criteria": "A\n\nA"})).status_code == 400
    saved = await form_post(client, "/organiser/suitability-criteria",
                            {"criteria": "Asiakas pystyy valitsemaan tuettuna\n Tarve on pitkäaikainen \n"})
    assert (saved.status_code, saved.headers["location"]) == (303, "/organiser/suitability-criteria?saved=1")
    assert (await services.criteria_for(w.organiser_id)).criteria == ["Asiakas pystyy valitsemaan tuettuna",
                                                                      "Tarve on pitkäaikainen"]
    [change] = await AuditEvent.select().where(AuditEvent.action == "voucher.suitability_criteria.changed").output(
        load_json=True).run()
    assert change["details"]["from"] == list(DEFAULT_CRITERIA)

    await login(client, counsellor)
    assert "<form" not in (await client.get("/organiser/suitability-criteria")).text.split("<main", 1)[1].split(
        "</main>")[0]
    assert (await form_post(client, "/organiser/suitability-criteria", {"criteria": "X"})).status_code == 403
    # Answers to the old list are refused now; the old version still reads as it was made.
    old = await client.post(f"/api/v1/clients/{w.client_id}/suitability", json=_suitability("suitable"))
    assert old.status_code == 400 and old.json()["field"] == "criteria[0].criterion"
    versions = (await client.get(f"/api/v1/clients/{w.client_id}/suitability")).json()
    assert [a["criterion"] for a in versions[0]["criteria"]] == list(DEFAULT_CRITERIA)
    assert await SuitabilityAssessment.count().run() == 1


@pytest.mark.parametrize("lang, client_words, provider_words", [
    ("fi", "Mikä on henkilökohtainen budjetti?", "Mitä perin asiakkaalta itse?"),
    ("sv", "Vad är en personlig budget?", "Vad tar jag ut av klienten själv?"),
    ("en", "What is a personal budget?", "What do I collect from the client?"),
])
async def test_the_guidance_pages_are_public_in_three_languages(app, client, db, lang, client_words, provider_words):
    await logout(client)
    guide = await client.get(f"/guide/client?lang={lang}")
    assert guide.status_code == 200 and f'<html lang="{lang}">' in guide.text
    assert client_words in guide.text and "{days}" not in guide.text
    assert ("3 päivää", "3 dagar", "3 days")[("fi", "sv", "en").index(lang)] in guide.text  # the dispute window
    provider = await client.get(f"/guide/provider?lang={lang}")
    assert provider.status_code == 200 and provider_words in provider.text
    home = await client.get(f"/?lang={lang}")
    assert 'href="/guide/client"' in home.text and 'href="/guide/provider"' in home.text  # the footer


async def test_a_clients_export_holds_the_assessments_and_pseudonymising_keeps_only_their_facts(db):
    from core.db import in_write_transaction
    from voucher import privacy
    from voucher.assessment.schemas import NeedArea, NeedAssessmentInput

    w = await make_world(db.settings.secret_key)
    await services.record_need(w.counsellor, w.client_id, NeedAssessmentInput(
        assessed_on=NOW.date(), participants=["asiakas", "Maija Meikäläinen (äiti)"], client_view="Oma näkemys",
        areas=[NeedArea(category="transport", level="some", need="Kuljetus")]), NOW)
    await services.record_suitability(w.counsellor, w.client_id, SuitabilityInput(
        assessed_on=NOW.date(), outcome="not_now", reason="Perustelu",
        criteria=[CriterionAnswer(criterion=c, met=False, grounds="Peruste") for c in DEFAULT_CRITERIA]), NOW)
    exported = await privacy.records(w.client_id)
    assert len(exported["need_assessments"]) == 1 and len(exported["suitability_assessments"]) == 1

    await in_write_transaction(lambda: privacy.pseudonymise(w.client_id, "Asiakas X", NOW))
    [need] = await services.need_assessments_for(w.client_id)
    assert (need.participants, need.client_view, need.areas[0].need, need.areas[0].level) == ([], "", "", "some")
    [suitability] = await services.suitability_for(w.client_id)
    assert suitability.reason == "" and suitability.outcome == "not_now"
    assert {(a.grounds, a.met) for a in suitability.criteria} == {("", False)}


async def test_saves_at_the_same_moment_get_the_next_versions_one_each(db):
    import asyncio

    from voucher.assessment.schemas import NeedArea, NeedAssessmentInput

    w = await make_world(db.settings.secret_key)
    body = NeedAssessmentInput(assessed_on=NOW.date(), participants=["asiakas"],
                               areas=[NeedArea(category="transport", level="some")])
    saved = await asyncio.gather(*(services.record_need(w.counsellor, w.client_id, body, NOW) for _ in range(4)))
    assert sorted(s.version for s in saved) == [1, 2, 3, 4]
