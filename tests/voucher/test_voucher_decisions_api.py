"""Budget decisions through the API (issue 3): a counsellor grants and changes a decision; every
change says who, when and why; bad input names the field and writes nothing; another county's
counsellor cannot touch it; the line's money in the ledger follows the change at once."""

from tests.helpers import login
from tests.voucher.vhelpers import NOW, make_world
from tests.world import make_user
from voucher.tables import BudgetDecision, BudgetLine

LINES = [{"category": "sport-riding", "amount_cents": 120_000, "may_fund": ["culture-art"], "swap_cap_cents": 20_000},
         {"category": "culture-art", "amount_cents": 40_000}]


async def test_a_counsellor_grants_and_changes_a_decision_with_its_history(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    counsellor = await make_user("counsellor", email="ohjaaja-api@test.example", organiser_id=w.organiser_id)
    await login(client, counsellor)
    decisions_before = await BudgetDecision.count().run()

    # Bad input: the error names the field and nothing is written.
    for body, field in (
        ({"start": "2027-01-01", "end": "2027-06-30", "lines": [{"category": "sport-riding", "amount_cents": -5}]}, "lines"),
        ({"start": "2027-06-30", "end": "2027-01-01", "lines": LINES}, "end"),
        ({"start": "2027-01-01", "end": "2027-06-30", "lines": [{"category": "no-such", "amount_cents": 100}]}, "lines"),
        ({"start": "2027-01-01", "end": "2027-06-30", "lines": LINES, "extra": 1}, "extra"),
    ):
        r = await client.post(f"/api/v1/clients/{w.client_id}/decisions", json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["field"].startswith(field), (field, r.json())
    assert await BudgetDecision.count().run() == decisions_before

    r = await client.post(f"/api/v1/clients/{w.client_id}/decisions",
                          json={"start": "2027-01-01", "end": "2027-06-30", "lines": LINES, "reason": "Uusi kausi"})
    assert r.status_code == 201, r.text
    decision = r.json()
    assert decision["client_id"] == w.client_id and decision["start"] == "2027-01-01" and decision["status"] == "active"
    riding = next(line for line in decision["lines"] if line["category"] == "sport-riding")
    assert (riding["amount_cents"], riding["may_fund"], riding["swap_cap_cents"], riding["held_cents"]) == (
        120_000, ["culture-art"], 20_000, 0)

    # A change must say why; with the reason it is saved.
    changed_lines = [{**LINES[0], "amount_cents": 150_000}, LINES[1]]
    r = await client.patch(f"/api/v1/decisions/{decision['id']}", json={"lines": changed_lines})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = await client.patch(f"/api/v1/decisions/{decision['id']}",
                           json={"lines": changed_lines, "reason": "Tarve kasvoi arvioinnissa"})
    assert r.status_code == 200, r.text
    assert next(line for line in r.json()["lines"] if line["category"] == "sport-riding")["amount_cents"] == 150_000
    line = await BudgetLine.select(BudgetLine.granted_cents).where(
        (BudgetLine.decision == decision["id"]) & (BudgetLine.category == "sport-riding")).first().run()
    assert line["granted_cents"] == 150_000  # amount_cents is the line's budget for the whole period

    history = (await client.get(f"/api/v1/decisions/{decision['id']}/history")).json()
    reasons = [entry["reason"] for entry in history]
    assert reasons[0] == "Tarve kasvoi arvioinnissa" and "Uusi kausi" in reasons  # newest first
    assert all(entry["actor_label"] == "Test counsellor" and entry["at"] for entry in history[:2])

    # Another county's counsellor: no access, nothing changes.
    other = await make_user("counsellor", email="ohjaaja-muu@test.example", organiser_id="00000000-0000-4000-8000-00000000b0b0")
    await login(client, other)
    r = await client.patch(f"/api/v1/decisions/{decision['id']}", json={"status": "revoked", "reason": "x"})
    assert r.status_code in (403, 404)
    assert (await client.get(f"/api/v1/decisions/{decision['id']}/history")).status_code in (403, 404)
    await login(client, counsellor)
    assert (await client.get(f"/api/v1/clients/{w.client_id}/decisions")).json()[-1]["status"] == "active"
