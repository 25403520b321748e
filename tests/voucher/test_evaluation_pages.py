"""The questionnaires and the research consent as people use them (issue 19, deliverables 1 and 2):
the client fills the start questionnaire on a form without JavaScript, a proxy fills it for them
(recorded as by proxy), the client agrees to research on /budget and takes it back, the counsellor
records the client's answer; the organiser admin changes a questionnaire. Every step audited; wrong
input 400 naming the question, never a 500."""

import datetime as dt
import re

from core.tables import AuditEvent
from tests.helpers import form_post
from tests.voucher.evaluation_world import NOW, as_user, build, proxy_for
from voucher.evaluation import outcomes, questionnaires
from voucher.tables import PlanConsent, Questionnaire, QuestionnaireAnswer

START_FORM = "{decision}.start.2026-01-01.who5"


async def test_the_client_fills_the_start_questionnaire_and_its_score_is_computed(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings.secret_key)
    await as_user(client, w.client)
    budget = await client.get("/budget")
    assert "Sinulle on kysely vastattavana." in budget.text and 'href="/questionnaires"' in budget.text
    listing = await client.get("/questionnaires")
    assert listing.status_code == 200 and "Hyvinvointikysely (WHO-5)" in listing.text and "Alkukysely" in listing.text
    # The satisfaction set is asked at follow-ups and the end only.
    assert "Tyytyväisyys" not in listing.text
    form_url = "/questionnaires/" + START_FORM.format(decision=w.decision_id)
    assert f'href="{form_url}"' in listing.text
    form = await client.get(form_url)
    assert form.status_code == 200
    # One fieldset with a legend and a radio group of six per question.
    assert form.text.count("<fieldset") == 5 and form.text.count("<legend>") == 5
    assert form.text.count('type="radio"') == 30 and "Olen herännyt virkeänä ja levänneenä." in form.text

    # A question left out: 400, the question named, nothing written.
    half = {"cheerful": "3", "calm": "2", "active": "4", "rested": "1"}
    bad = await form_post(client, form_url, half)
    assert bad.status_code == 400 and 'id="f-interest-error"' in bad.text and 'href="#f-interest"' in bad.text
    assert 'value="3" checked' in bad.text  # what was chosen stays chosen
    out_of_scale = await form_post(client, form_url, {**half, "interest": "9"})
    assert out_of_scale.status_code == 400
    assert await QuestionnaireAnswer.count().run() == 0

    done = await form_post(client, form_url, {**half, "interest": "0"})
    assert done.status_code == 303 and done.headers["location"] == "/questionnaires?done=1"
    [answer] = await outcomes.outcome_answers(w.organiser_id)
    assert (answer.questionnaire_key, answer.occasion, answer.score, answer.by_proxy) == ("who5", "start", 40.0, False)
    assert answer.answers == (3, 2, 4, 1, 0) and answer.answered_on == dt.date(2026, 1, 5)
    thanks = await client.get("/questionnaires?done=1")
    assert "Kiitos! Vastauksesi tallennettiin." in thanks.text and "Vastattu 5.1.2026".lower() in thanks.text
    # Answered once: the form leads back to the list, a second send changes nothing.
    assert (await client.get(form_url)).status_code == 303
    assert (await form_post(client, form_url, {**half, "interest": "5"})).status_code == 303
    assert await QuestionnaireAnswer.count().run() == 1
    event = await AuditEvent.select().where(AuditEvent.action == "voucher.questionnaire.answered").first().run()
    assert str(event["subject_id"]) == w.client_id and str(event["actor_user_id"]) == w.client.user_id
    # The counsellor sees the score on the client's page.
    await as_user(client, w.counsellor)
    page = await client.get(f"/counsellor/clients/{w.client_id}")
    assert "Kyselyvastaukset" in page.text and re.search(r"<td>40</td>", page.text)


async def test_a_proxy_fills_it_for_the_client_and_it_is_recorded_as_by_proxy(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings.secret_key)
    proxy = await proxy_for(w)
    await as_user(client, proxy)
    listing = await client.get("/questionnaires")
    assert listing.status_code == 200 and "Vastaat asiakkaan puolesta" in listing.text
    form_url = f"/questionnaires/{START_FORM.format(decision=w.decision_id)}?client={w.client_id}"
    assert f'href="{form_url}"' in listing.text.replace("&amp;", "&")
    sent = await form_post(client, form_url, {"cheerful": "5", "calm": "5", "active": "5", "rested": "5",
                                              "interest": "5"})
    assert sent.status_code == 303
    [answer] = await outcomes.outcome_answers(w.organiser_id)
    assert answer.by_proxy and answer.score == 100.0
    event = await AuditEvent.select().where(AuditEvent.action == "voucher.questionnaire.answered").first().run()
    assert str(event["on_behalf_of"]) == w.client_id and str(event["actor_user_id"]) == proxy.user_id
    # Someone else's client: nothing told.
    other = await build(db.settings.secret_key, county_ref="org-b", name="Asiakas 0002")
    assert (await client.get(f"/questionnaires?client={other.client_id}")).status_code in (403, 404)
    await as_user(client, w.counsellor)  # staff do not fill the client's questionnaire
    assert (await client.get("/questionnaires")).status_code == 403


async def test_the_client_agrees_to_research_and_takes_it_back_and_the_counsellor_records_it(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings.secret_key)
    await as_user(client, w.client)
    budget = await client.get("/budget")
    assert "Tietojen käyttö tutkimukseen" in budget.text and "Et ole vielä vastannut." in budget.text
    given = await form_post(client, "/research-consent", {"state": "given"})
    assert given.status_code == 303 and given.headers["location"] == "/budget?research=given#research-h"
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}
    again = await client.get("/budget?research=given")
    assert "Kiitos, lupa on tallennettu." in again.text and "Peru lupa" in again.text
    # The plan shows the same consent.
    assert await PlanConsent.count().where((PlanConsent.client_id == w.client_id) & (PlanConsent.kind == "research")
                                           & PlanConsent.withdrawn_on.is_null()).run() == 1
    withdrawn = await form_post(client, "/research-consent", {"state": "withdrawn"})
    assert withdrawn.status_code == 303
    assert await outcomes.consenting_client_ids(w.organiser_id) == set()
    assert await PlanConsent.count().where(PlanConsent.withdrawn_on.is_null()).run() == 0
    bad = await form_post(client, "/research-consent", {"state": "maybe"})
    assert bad.status_code == 400 and "Valitse annettu tai peruttu." in bad.text

    # The counsellor records that the client agreed on a paper form; the history shows all three.
    await as_user(client, w.counsellor)
    recorded = await form_post(client, f"/counsellor/clients/{w.client_id}/research-consent",
                               {"state": "given", "how": "paper"})
    assert recorded.status_code == 303
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}
    page = await client.get(f"/counsellor/clients/{w.client_id}?research=recorded")
    assert "Suostumus kirjattiin." in page.text
    assert page.text.count("asiakas itse (palvelussa)") == 2 and "asiakasohjaaja kirjasi (paperilomakkeella)" in page.text
    # A counsellor does not record "in the app" for the client; another county's counsellor is told nothing.
    assert (await form_post(client, f"/counsellor/clients/{w.client_id}/research-consent",
                            {"state": "withdrawn", "how": "in_app"})).status_code == 400
    other = await build(db.settings.secret_key, county_ref="org-b", name="Asiakas 0002")
    await as_user(client, other.counsellor)
    assert (await form_post(client, f"/counsellor/clients/{w.client_id}/research-consent",
                            {"state": "withdrawn", "how": "paper"})).status_code == 404
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.action.like("voucher.research_consent.%")).order_by(AuditEvent.at).run()]
    assert actions == ["voucher.research_consent.given", "voucher.research_consent.withdrawn",
                       "voucher.research_consent.given"]


async def test_the_organiser_admin_changes_the_satisfaction_set_and_adds_a_questionnaire(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings.secret_key)
    await as_user(client, w.counsellor)  # staff read; only the admin edits
    listing = await client.get("/organiser/questionnaires")
    assert listing.status_code == 200 and "Hyvinvointikysely (WHO-5)" in listing.text and "Muokkaa" not in listing.text
    assert (await client.get("/organiser/questionnaires/satisfaction")).status_code == 403
    await as_user(client, w.admin)
    edit = await client.get("/organiser/questionnaires/satisfaction")
    assert edit.status_code == 200 and 'name="new_0_fi"' in edit.text
    form = {}
    for field, value in re.findall(r'name="((?:title|item)_[^"]+)"[^>]*value="([^"]*)"', edit.text):
        form[field] = value
    for code in ("fi", "sv", "en"):
        form[f"intro_{code}"] = "Ohje"
        form[f"labels_{code}"] = "\n".join(["1", "2", "3", "4", "5"])
    form.update({"new_0_fi": "Palvelut ovat lähellä.", "new_0_sv": "Tjänsterna finns nära.",
                 "new_0_en": "The services are near.", "occasions": ["follow_up", "end"], "active": "1",
                 "scale_min": "1", "scale_max": "5"})
    # A question in Finnish only: 400 naming the Swedish and English fields, nothing saved.
    half = {**form, "new_0_sv": "", "new_0_en": ""}
    bad = await form_post(client, "/organiser/questionnaires/satisfaction", half)
    assert bad.status_code == 400 and 'id="f-new_0_sv-error"' in bad.text, re.findall(r'error-summary.*?</ul>', bad.text, re.S)
    assert await Questionnaire.count().run() == 0
    saved = await form_post(client, "/organiser/questionnaires/satisfaction", form)
    assert saved.status_code == 303, saved.text
    satisfaction = await questionnaires.one(w.organiser_id, "satisfaction")
    assert len(satisfaction.items) == 6 and satisfaction.version == 2 and satisfaction.items[-1].key == "q6"
    event = await AuditEvent.select().where(AuditEvent.action == "voucher.questionnaire.saved").output(load_json=True).first().run()
    assert event["details"]["version"] == 2 and event["details"]["items"] == 6
    # WHO-5 keeps its five items even when a text is emptied.
    who5 = await client.get("/organiser/questionnaires/who5")
    assert 'name="new_0_fi"' not in who5.text and "Asteikko 0–5" in who5.text
    # A county's own questionnaire on 0–10.
    own = {"key": "arki", "occasions": ["start", "end"], "active": "1", "scale_min": "0", "scale_max": "10"}
    for code in ("fi", "sv", "en"):
        own[f"title_{code}"] = f"Arki {code}"
        own[f"new_0_{code}"] = f"Arki sujuu {code}"
        own[f"labels_{code}"] = "\n".join(str(n) for n in range(11))
    made = await form_post(client, "/organiser/questionnaires/new", own)
    assert made.status_code == 303
    assert [q.key for q in await questionnaires.of_county(w.organiser_id)] == ["who5", "satisfaction", "arki"]
    taken = await form_post(client, "/organiser/questionnaires/new", own)
    assert taken.status_code == 400 and "Tällä tunnuksella on jo kysely." in taken.text


async def test_bad_input_is_a_4xx_never_a_500(db, app, client):
    app.state.clock = lambda: NOW
    w = await build(db.settings.secret_key)
    await as_user(client, w.admin)
    for form in ({"key": "x", "scale_min": "abc", "scale_max": "5"},
                 {"key": "Ääkköset", "scale_min": "1", "scale_max": "5", "occasions": ["never"]},
                 {"key": "pitka", "title_fi": "x" * 5000, "scale_min": "5", "scale_max": "1",
                  "labels_fi": "a\n" * 500, "new_0_fi": ["kaksi", "arvoa"]},
                 {"key": "tyhja"}):
        answer = await form_post(client, "/organiser/questionnaires/new", form)
        assert answer.status_code == 400, (form, answer.status_code)
    assert (await client.get("/organiser/questionnaires/eiole")).status_code == 404
    assert await Questionnaire.count().run() == 0
    await as_user(client, w.client)
    assert (await client.get("/questionnaires/%00x")).status_code in (400, 404)
    assert (await form_post(client, "/questionnaires/not-a-round", {"cheerful": "3"})).status_code == 404
    form_url = "/questionnaires/" + START_FORM.format(decision=w.decision_id)
    answers = [("cheerful", "3"), ("cheerful", "4"), ("calm", "-1"), ("active", "1e3"), ("rested", ""),
               ("interest", "٣")]
    assert (await form_post(client, form_url, answers)).status_code == 400
    assert await QuestionnaireAnswer.count().run() == 0
