"""The counsellor's pages (clients, decisions, cards) and the client's budget page."""

import json
import re

from core.tables import AuditEvent
from tests.helpers import form_post, login
from tests.voucher.vhelpers import NOW, make_world
from tests.world import make_user
from voucher import authorisation as auth
from voucher.schemas import AuthorizationRequest
from voucher.tables import BudgetDecision, BudgetLine, Card, Client


async def counsellor_of(w, email="ohjaaja.sivu@test.example") -> dict:
    return await make_user("counsellor", email=email, organiser_id=w.organiser_id)


async def test_counsellor_adds_a_client_and_grants_a_decision(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await counsellor_of(w))
    r = await client.get("/counsellor/clients")
    assert r.status_code == 200

    bad = await form_post(client, "/counsellor/clients", {"display_name": "", "client_group": "older_people", "language": "sv"})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
    hetu = await form_post(client, "/counsellor/clients", {"display_name": "Matti Meikäläinen 131052-308T",
                                                            "client_group": "older_people", "language": "fi"})
    assert hetu.status_code == 400 and 'id="f-display_name-error"' in hetu.text and "henkilötunnus" in hetu.text
    assert await Client.count().where(Client.display_name.like("Matti%")).run() == 0
    r = await form_post(client, "/counsellor/clients", {"display_name": "Asiakas 0002", "client_group": "older_people",
                                                         "language": "sv"})
    assert r.status_code == 303
    client_id = r.headers["location"].rsplit("/", 1)[1]
    row = await Client.select().where(Client.id == client_id).first().run()
    assert row["organiser_id"] is not None and row["language"] == "sv" and row["display_name"] == "Asiakas 0002"

    form = {"start": "2026-01-01", "end": "2026-12-31", "rows": "3", "reason": "Palvelutarpeen arvio 3/2026",
            "category_0": "day-activities", "amount_0": "5 400,00", "may_fund_0": ["culture-art", "sport-riding"],
            "swap_cap_0": "2700", "category_1": "transport", "amount_1": "12x0", "category_2": ""}
    r = await form_post(client, f"/counsellor/clients/{client_id}/decisions", form)
    assert r.status_code == 400 and 'id="f-amount_1-error"' in r.text
    form["amount_1"] = "1200"
    r = await form_post(client, f"/counsellor/clients/{client_id}/decisions", form)
    assert r.status_code == 303, r.text
    decision = await BudgetDecision.select().where(BudgetDecision.client == client_id).first().run()
    lines = await BudgetLine.select().where(BudgetLine.decision == decision["id"]).order_by(BudgetLine.position).output(
        load_json=True).run()
    assert [(l["category"], l["granted_cents"], l["may_fund"], l["swap_cap_cents"]) for l in lines] == [
        ("day-activities", 540000, ["culture-art", "sport-riding"], 270000), ("transport", 120000, [], None)]

    page = await client.get(f"/counsellor/clients/{client_id}")
    assert page.status_code == 200
    assert "5\u00a0400,00\u00a0€" in page.text and "Palvelutarpeen arvio 3/2026" in page.text
    assert "1.1.–31.12.2026" in page.text and "2026-01-01" not in page.text  # the period as Finnish writes it
    # The budget says what each line may pay for, and why a service may show less than the line.
    assert "myös palveluluokat culture-art, sport-riding." in page.text  # (this test world names categories by code)
    assert "enintään 2\u00a0700,00\u00a0€" in page.text and "Yhteensä" in page.text

    # A change needs a reason; it is audited with who and why, and shown in the history.
    edit = await client.get(f"/counsellor/decisions/{decision['id']}/edit")
    assert edit.status_code == 200 and 'value="5400,00"' in edit.text
    purposes = {e["purpose"] for e in await AuditEvent.select().where(AuditEvent.action == "client_data.read").run()}
    assert "decision.edit" in purposes  # reading a decision to edit it is a read of client data
    change = {**form, "amount_1": "1500", "reason": ""}
    r = await form_post(client, f"/counsellor/decisions/{decision['id']}", change)
    assert r.status_code == 400 and 'id="f-reason-error"' in r.text
    change["reason"] = "Kuljetustarve kasvoi"
    r = await form_post(client, f"/counsellor/decisions/{decision['id']}", change)
    assert r.status_code == 303
    event = await AuditEvent.select().where(AuditEvent.action == "voucher.decision.changed").first().run()
    assert event["reason"] == "Kuljetustarve kasvoi" and event["actor_role"] == "counsellor"
    assert "Kuljetustarve kasvoi" in (await client.get(f"/counsellor/clients/{client_id}")).text


async def test_cards_are_issued_once_frozen_and_replaced(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await counsellor_of(w))
    r = await form_post(client, f"/counsellor/clients/{w.client_id}/cards", {"per_transaction": "200", "daily": ""})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    token = re.search(r'<code class="secret">(hbc_[^<]+)</code>', r.text).group(1)
    assert "<svg" in r.text
    card = await Card.select().where(Card.token_hint == token[-4:]).first().run()
    assert card["per_transaction_limit_cents"] == 20000 and card["daily_limit_cents"] is None
    assert token not in (await client.get(f"/counsellor/clients/{w.client_id}")).text  # shown once only

    async def pay() -> dict:
        req = AuthorizationRequest(card_token=token, amount_cents=100, listing_id=w.listing_riding)
        return json.loads((await auth.authorise(w.provider, req, settings=db.settings, now=NOW)).body)

    assert (await pay())["status"] == "approved"
    await form_post(client, f"/counsellor/cards/{card['id']}/status", {"status": "frozen", "reason": "kadonnut"})
    assert (await pay())["decline_code"] == "card_inactive"
    r = await form_post(client, f"/counsellor/cards/{card['id']}/replace", {"reason": "uusi kortti"})
    assert r.status_code == 200
    assert (await pay())["decline_code"] == "card_inactive"
    actions = {e["action"] for e in await AuditEvent.select(AuditEvent.action).run()}
    assert {"voucher.card.issued", "voucher.card.frozen", "voucher.card.replaced"} <= actions


async def test_client_sees_own_budget_and_others_see_nothing(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    me = await make_user("client", email="oma.budjetti@test.example", client_id=w.client_id)
    await login(client, me)
    r = await client.get("/budget")
    assert r.status_code == 200 and "6\u00a0600,00\u00a0€" in r.text and "<progress" in r.text
    assert (await client.get(f"/counsellor/clients/{w.client_id}")).status_code == 403
    reads = await AuditEvent.select().where(AuditEvent.action == "client_data.read").run()
    assert any(e["subject_id"] == w.client_id for e in reads)

    stranger = await make_user("counsellor", email="vieras@test.example",
                               organiser_id="00000000-0000-0000-0000-000000000009")
    await login(client, stranger)
    assert (await client.get(f"/counsellor/clients/{w.client_id}")).status_code == 404


async def test_counsellor_records_goals_and_gas_scores(app, client, db):
    w = await make_world(db.settings.secret_key)
    await login(client, await counsellor_of(w, "tavoitteet@test.example"))
    r = await form_post(client, f"/counsellor/clients/{w.client_id}/goals", {"title": "Käyn ratsastamassa"})
    assert r.status_code == 303
    page = (await client.get(f"/counsellor/clients/{w.client_id}")).text
    goal_id = re.search(r'action="/counsellor/goals/([0-9a-f-]+)/scores"', page).group(1)
    assert (await form_post(client, f"/counsellor/goals/{goal_id}/scores", {"score": "5"})).status_code == 400
    assert (await form_post(client, f"/counsellor/goals/{goal_id}/scores", {"score": "1"})).status_code == 303
    page = (await client.get(f"/counsellor/clients/{w.client_id}")).text
    assert "Käyn ratsastamassa" in page and "+1" in page


async def test_the_client_list_is_filtered_paged_and_each_client_shown_is_in_the_access_log(app, client, db):
    from tests.helpers import form_post as post

    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    await login(client, await counsellor_of(w))
    for name, group in (("Asiakas Aalto", "older_people"), ("Asiakas Berg", "families"), ("Asiakas Cedar", "families")):
        assert (await post(client, "/counsellor/clients", {"display_name": name, "client_group": group,
                                                            "language": "fi"})).status_code == 303
    everyone = await client.get("/api/v1/clients")
    total = int(everyone.headers["x-total-count"])
    assert total == len(everyone.json()) == 3  # the world's own client is another counsellor's

    reads_before = await AuditEvent.count().where(AuditEvent.purpose == "client_list").run()
    first = await client.get("/api/v1/clients", params={"per_page": 2})
    second = await client.get("/api/v1/clients", params={"per_page": 2, "page": 2})
    names = [c["display_name"] for c in first.json() + second.json()]
    assert len(first.json()) == 2 and names == ["Asiakas Aalto", "Asiakas Berg", "Asiakas Cedar"]
    assert await AuditEvent.count().where(AuditEvent.purpose == "client_list").run() == reads_before + 3

    families = (await client.get("/api/v1/clients", params={"client_group": "families"})).json()
    assert sorted(c["display_name"] for c in families) == ["Asiakas Berg", "Asiakas Cedar"]
    assert [c["display_name"] for c in (await client.get("/api/v1/clients", params={"q": "cED"})).json()] == ["Asiakas Cedar"]
    assert (await client.get("/api/v1/clients", params={"per_page": 0})).status_code == 400

    page = await client.get("/counsellor/clients", params={"q": "asiakas", "group": "families"})
    assert page.status_code == 200 and "Asiakas Berg" in page.text and "Asiakas Aalto" not in page.text
    assert "2 asiakasta" in page.text
