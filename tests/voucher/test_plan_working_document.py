"""The plan as a working document (issue 17, part 4; docs/decisions/0034): the client proposes, the
counsellor accepts or declines, history kept; who may propose and read; follow-up dates become the
counsellor's tasks in the caseload and one reminder e-mail to the client; every read audited."""

import datetime as dt
import re

import msgspec

from core.tables import AuditEvent
from marketplace import notifications
from marketplace.booking.tables import Notification
from tests.helpers import form_post, login
from tests.marketplace.test_notifications import smtp  # noqa: F401 - the local SMTP server fixture
from tests.voucher.vhelpers import NOW, make_world
from tests.world import county, document, load, make_user
from voucher import plan_domain, plan_tasks
from voucher.tables import PlanTask

TODAY = dt.date(2026, 3, 10)  # NOW in Helsinki


# --- The pure rules ---------------------------------------------------------------------------


def test_follow_up_dates_become_tasks_once_and_dropped_dates_cancel_open_tasks():
    d = dt.date
    new, dropped = plan_domain.follow_up_changes([d(2026, 4, 1), d(2026, 5, 1), d(2026, 3, 1)],
                                                 {d(2026, 4, 1): "t-april", d(2026, 6, 1): "t-june"},
                                                 [d(2026, 5, 1)], TODAY)
    # April has its task, May was done, March is past; June was taken off the plan.
    assert new == [] and dropped == ["t-june"]
    assert plan_domain.follow_up_changes([d(2026, 7, 1)], {}, [], TODAY) == ([d(2026, 7, 1)], [])
    assert [plan_domain.task_state(day, TODAY, False) for day in (d(2026, 3, 9), d(2026, 3, 24), d(2026, 3, 25))] == [
        "overdue", "due", "later"]
    assert plan_domain.task_state(d(2026, 3, 9), TODAY, True) == "done"
    assert [plan_domain.reminder_due(TODAY + dt.timedelta(days=n), TODAY) for n in (-1, 0, 7, 8)] == [
        False, True, True, False]


def test_what_a_proposal_must_say():
    assert [e.field for e in plan_domain.proposal_errors("wish", "x")] == ["kind"]
    assert [e.field for e in plan_domain.proposal_errors("goal", " ")] == ["text"]
    assert [e.field for e in plan_domain.proposal_errors("close_person", "käy kaupassa")] == ["person_label"]
    assert [e.field for e in plan_domain.proposal_errors("comment", "hyvä", target_kind="goal")] == ["target_id"]
    assert plan_domain.proposal_errors("need", "Apua asiointiin") == []
    assert plan_domain.may_propose("proxy", {"view"}) and not plan_domain.may_propose("proxy", set())
    assert plan_domain.decline_error(" ").field == "reason"


# --- Proposals, decisions and history --------------------------------------------------------


async def _people(w):
    counsellor = await make_user("counsellor", email="suunnitelma.ohjaaja@test.example", organiser_id=w.organiser_id)
    me = await make_user("client", email="suunnitelma.asiakas@test.example", client_id=w.client_id)
    return counsellor, me


def _plan_url(w) -> str:
    return f"/counsellor/clients/{w.client_id}/plan"


async def test_client_proposes_a_goal_the_counsellor_accepts_it_and_the_history_shows_both(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, me = await _people(w)

    await login(client, me)
    page = await client.get("/plan")
    assert page.status_code == 200 and "Suunnitelmasi" in page.text
    bad = await form_post(client, "/plan/proposals", {"kind": "goal", "text": ""})
    assert bad.status_code == 400 and 'id="f-text-error"' in bad.text and 'aria-invalid="true"' in bad.text
    r = await form_post(client, "/plan/proposals", {"kind": "goal", "text": "Käyn uimassa kahdesti viikossa"})
    assert r.status_code == 303 and r.headers["location"].startswith("/plan?sent=1")
    await form_post(client, "/plan/proposals", {"kind": "close_person", "text": "Lähtee mukaan uimahalliin",
                                                "person_label": "Sisko Maija"})
    mine = await client.get("/plan?sent=1")
    assert "Ehdotuksesi lähetettiin" in mine.text and mine.text.count("Odottaa") == 2

    await login(client, counsellor)
    page = await client.get(_plan_url(w))
    assert page.status_code == 200 and "Käyn uimassa kahdesti viikossa" in page.text
    proposals = (await client.get(f"/api/v1/clients/{w.client_id}/plan")).json()["proposals"]
    goal = next(p for p in proposals if p["kind"] == "goal")
    assert goal["status"] == "open" and goal["proposed_as"] == "client"
    r = await form_post(client, f"/counsellor/plan-proposals/{goal['id']}/accept", {})
    assert r.status_code == 303 and r.headers["location"].startswith(_plan_url(w))
    # Decided once: a second accept is a conflict, not a second goal.
    assert (await client.post(f"/api/v1/plan-proposals/{goal['id']}/accept", json={})).status_code == 409
    person = next(p for p in proposals if p["kind"] == "close_person")
    assert (await client.post(f"/api/v1/plan-proposals/{person['id']}/accept", json={})).json()["status"] == "accepted"

    plan = (await client.get(f"/api/v1/clients/{w.client_id}/plan")).json()
    assert [g["title"] for g in plan["goals"]] == ["Käyn uimassa kahdesti viikossa"]
    assert [(c["person_label"], c["text"]) for c in plan["close_persons"]] == [("Sisko Maija", "Lähtee mukaan uimahalliin")]
    accepted = next(p for p in plan["proposals"] if p["id"] == goal["id"])
    assert accepted["status"] == "accepted" and accepted["result_id"] == plan["goals"][0]["id"]

    history = (await client.get(f"/api/v1/clients/{w.client_id}/plan/history")).json()
    actions = [(h["action"], h["part"], h["role"]) for h in history if h["part"] == "goal"]
    assert ("voucher.plan.proposed", "goal", "client") in actions
    assert ("voucher.plan.proposal_accepted", "goal", "counsellor") in actions
    page = await client.get(_plan_url(w))
    assert "Ehdotus tehtiin" in page.text and "Ehdotus hyväksyttiin" in page.text
    # The close person's name is in the plan, never in the audit log.
    logged = await AuditEvent.select(AuditEvent.details, AuditEvent.reason).where(
        AuditEvent.subject_id == w.client_id).run()
    assert "Maija" not in str(logged)


async def test_a_declined_proposal_shows_its_reason_to_the_client(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, me = await _people(w)
    await login(client, me)
    r = await client.post(f"/api/v1/clients/{w.client_id}/plan/proposals",
                          json={"kind": "need", "text": "Taksi joka päivä"})
    assert r.status_code == 201
    proposal = r.json()
    await login(client, counsellor)
    empty = await form_post(client, f"/counsellor/plan-proposals/{proposal['id']}/decline", {"reason": " "})
    assert empty.status_code == 400 and f'id="f-{proposal["id"]}-reason-error"' in empty.text
    r = await form_post(client, f"/counsellor/plan-proposals/{proposal['id']}/decline",
                        {f"{proposal['id']}-reason": "Kuljetuspalvelu kattaa jo asiointimatkat."})
    assert r.status_code == 303
    await login(client, me)
    page = await client.get("/plan")
    assert "Ei hyväksytty" in page.text and "Miksi ei: Kuljetuspalvelu kattaa jo asiointimatkat." in page.text


async def test_who_may_propose_and_read(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, _ = await _people(w)
    stranger = await make_user("proxy", email="vieras@test.example")
    await login(client, stranger)
    body = {"kind": "goal", "text": "Jotain"}
    assert (await client.post(f"/api/v1/clients/{w.client_id}/plan/proposals", json=body)).status_code == 403
    assert (await form_post(client, "/plan/proposals", {**body, "client": w.client_id})).status_code == 403
    assert (await client.get(f"/plan?client={w.client_id}")).status_code == 403

    # A proxy with any grant in force (here view only) may propose.
    await login(client, counsellor)
    proxy = await make_user("proxy", email="omainen.plan@test.example")
    grant = await client.post(f"/api/v1/clients/{w.client_id}/proxies",
                              json={"proxy_user_id": proxy["id"], "rights": ["view"], "reason": "poika"})
    assert grant.status_code == 201
    await login(client, proxy)
    page = await client.get("/plan")  # one client: straight to their plan
    assert page.status_code == 200 and 'name="client"' in page.text
    r = await form_post(client, "/plan/proposals", {**body, "client": w.client_id})
    assert r.status_code == 303 and f"client={w.client_id}" in r.headers["location"]
    proposal = (await client.get(f"/api/v1/clients/{w.client_id}/plan")).json()["proposals"][0]
    assert proposal["proposed_as"] == "proxy"
    # … but not decide.
    assert (await client.post(f"/api/v1/plan-proposals/{proposal['id']}/accept", json={})).status_code == 403

    other = (await load(document(counties=[county("org-muu")])))["refs"]["org-muu"]
    outsider = await make_user("counsellor", email="muu.ohjaaja@test.example", organiser_id=other)
    await login(client, outsider)
    assert (await client.get(_plan_url(w))).status_code == 404
    assert (await client.get(f"/api/v1/clients/{w.client_id}/plan")).status_code == 404
    assert (await client.post(f"/api/v1/plan-proposals/{proposal['id']}/accept", json={})).status_code == 404


async def test_every_part_is_edited_on_the_page_and_every_read_is_audited(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, me = await _people(w)
    await login(client, counsellor)
    url = _plan_url(w)
    assert (await form_post(client, f"{url}/items", {"kind": "need", "need_text": "Apua asiointiin"})).status_code == 303
    bad = await form_post(client, f"{url}/items", {"kind": "close_person", "close_person_text": "Soittaa"})
    assert bad.status_code == 400 and 'id="f-person_label-error"' in bad.text
    assert (await form_post(client, f"{url}/items", {"kind": "means", "means_text": "Ratsastus kerran viikossa",
                                                      "category": "sport-riding"})).status_code == 303
    r = await form_post(client, f"{url}/consents", {"kind": "provider", "provider_id": w.provider_id})
    assert r.status_code == 303
    assert (await form_post(client, f"{url}/consents", {"kind": "provider", "provider_id": w.provider_id})).status_code == 400
    assert (await form_post(client, f"{url}/consents", {"kind": "research"})).status_code == 303
    plan = (await client.get(f"/api/v1/clients/{w.client_id}/plan")).json()
    assert [i["text"] for i in plan["need_items"]] == ["Apua asiointiin"]
    assert plan["means"][0]["category"] == "sport-riding"
    consent = next(c for c in plan["consents"] if c["kind"] == "provider")
    assert consent["provider_name"] == "Talli Tuulenpesä Oy" and consent["given_on"] == "2026-03-10"
    r = await form_post(client, f"/counsellor/plan-consents/{consent['id']}/withdraw", {})
    assert r.status_code == 303
    r = await form_post(client, f"/counsellor/plan-items/{plan['need_items'][0]['id']}/remove", {})
    assert r.status_code == 303
    page = await client.get(url)
    assert "Apua asiointiin" in page.text  # in the history still, after it left the plan
    assert "Poistettiin suunnitelmasta" in page.text and "Suostumus peruttiin" in page.text

    await login(client, me)
    mine = await client.get("/plan")
    assert "Ratsastus kerran viikossa" in mine.text and "Tietoja saa käyttää tutkimukseen." in mine.text
    assert "Talli Tuulenpesä" not in mine.text  # withdrawn
    reads = await AuditEvent.select(AuditEvent.purpose).where(
        (AuditEvent.action == "client_data.read") & (AuditEvent.subject_id == w.client_id)).run()
    purposes = {r["purpose"] for r in reads}
    assert {"plan_page", "plan", "own_plan"} <= purposes


# --- Follow-up tasks and reminders ------------------------------------------------------------


async def test_a_follow_up_date_is_a_task_in_the_caseload_and_done_with_a_note(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, _ = await _people(w)
    await login(client, counsellor)
    url = _plan_url(w)
    form = [("responsible_user_id", counsellor["id"]), ("needs", "Liikkuminen"), ("follow_up", "2026-03-20"),
            ("follow_up", "2026-09-01"), ("follow_up", "")]
    assert (await form_post(client, url, form)).status_code == 303
    assert (await form_post(client, url, form)).status_code == 303  # saved twice: still one task a date
    tasks = await PlanTask.select().where(PlanTask.client_id == w.client_id).order_by(PlanTask.due_on).run()
    assert [(t["due_on"], str(t["assignee_id"])) for t in tasks] == [
        (dt.date(2026, 3, 20), counsellor["id"]), (dt.date(2026, 9, 1), counsellor["id"])]
    bad = await form_post(client, url, [("follow_up", "20.3.")])
    assert bad.status_code == 400 and 'id="f-follow_up-error"' in bad.text

    caseload = await client.get("/follow-up/caseload")
    section = caseload.text.split('id="tasks-h"')[1].split("</section>")[0]
    assert "20.3.2026" in section and "1.9.2026" not in section  # due soon by default
    assert "1.9.2026" in (await client.get("/follow-up/caseload?tasks=all")).text
    assert await AuditEvent.count().where((AuditEvent.action == "client_data.read") & (AuditEvent.purpose == "plan.tasks")
                                          & (AuditEvent.subject_id == w.client_id)).run() >= 2
    assert (await client.get("/api/v1/plan-tasks?state=due")).json()[0]["due_on"] == "2026-03-20"
    # The client list, where a counsellor starts the day, names each client's next follow-up.
    listed = await client.get("/counsellor/clients?scope=county")
    assert f'href="/counsellor/clients/{w.client_id}/plan#tasks-h">Seuranta 20.3.2026</a> <span' in listed.text

    # Another counsellor of the county sees it in the county's tasks, not among their own.
    await login(client, await make_user("counsellor", email="toinen.ohjaaja@test.example", organiser_id=w.organiser_id))
    assert "20.3.2026" not in (await client.get("/follow-up/caseload")).text.split('id="tasks-h"')[1].split("</section>")[0]
    assert "20.3.2026" in (await client.get("/follow-up/caseload?scope=county")).text
    await login(client, counsellor)

    r = await form_post(client, f"/counsellor/plan-tasks/{tasks[0]['id']}/done", {"note": "Tavoitteet arvioitiin."})
    assert r.status_code == 303
    page = await client.get(url)
    assert "Tavoitteet arvioitiin." in page.text and "Tehty" in page.text
    section = (await client.get("/follow-up/caseload")).text.split('id="tasks-h"')[1].split("</section>")[0]
    assert "20.3.2026" not in section
    # Taking a date off the plan takes its open task away.
    await form_post(client, url, [("responsible_user_id", counsellor["id"]), ("follow_up", "2026-03-20")])
    assert await PlanTask.count().where((PlanTask.client_id == w.client_id) & PlanTask.cancelled_at.is_null()).run() == 1


async def test_the_client_is_reminded_once_a_week_before_and_sees_the_date_on_the_budget(app, client, db, smtp):  # noqa: F811
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor, me = await _people(w)
    await login(client, counsellor)
    await form_post(client, _plan_url(w), [("follow_up", "2026-03-16"), ("follow_up", "2026-05-01")])

    await login(client, me)
    budget = await client.get("/budget")
    assert "Seuraava suunnitelman läpikäynti on 16.3.2026." in budget.text and 'href="/plan"' in budget.text

    assert await plan_tasks.send_reminders(NOW) == 1  # May is more than a week away
    assert await plan_tasks.send_reminders(NOW + dt.timedelta(hours=1)) == 0  # once per task
    controller, inbox = smtp
    settings = msgspec.structs.replace(db.settings, smtp_host="127.0.0.1", smtp_port=controller.port,
                                       base_url="https://hb.example")
    assert await notifications.send_pending(settings) == 1
    assert await notifications.send_pending(settings) == 0
    (to, message), = inbox.messages
    assert to == [me["email"]]
    text = message.get_payload(decode=True).decode()
    assert "16.3.2026" in text and "https://hb.example/plan" in text
    # Nothing about the client beyond the date: no pseudonym, no goal, no needs.
    assert "Asiakas" not in text and not re.search(r"Liikkuminen|tavoite", text)
    rows = await Notification.select(Notification.kind).where(Notification.user_id == me["id"]).run()
    assert [r["kind"] for r in rows] == ["plan_follow_up"]
