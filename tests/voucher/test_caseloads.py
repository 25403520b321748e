"""Caseloads: a counsellor takes on and hands over clients, the organiser admin reassigns them, an
import names a client's counsellor by e-mail; and the counsellor's client list and the follow-up of
caseloads show the same clients for the same choice (the demo counsellor once saw 0 on one and 32
on the other)."""

import re

from core.tables import AuditEvent
from tests.helpers import form_post, login
from tests.world import PASSWORD, category, county, document, line, load, make_user
from tests.world import client as client_record
from voucher.tables import Client

GROUPS = ("families", "older_people")


def _doc(own_county_only: bool = False, **counsellors: str) -> dict:
    """Five clients of the first county (``counsellors``: client ref → counsellor e-mail) and, unless
    ``own_county_only`` (the first county's admin imports), one of the second."""
    clients = [client_record(f"cli-{i}", "org-a", lines=[line("transport", 10000 * i)], token=None,
                             display_name=f"Asiakas {i}", group=GROUPS[i % 2]) for i in range(1, 6)]
    if not own_county_only:
        clients.append(client_record("cli-b", "org-b", lines=[line("transport", 10000)], token=None,
                                     display_name="Asiakas Berg"))
    for c in clients:
        if c["ref"] in counsellors:
            c["counsellor_email"] = counsellors[c["ref"]]
    return document(counties=[county("org-a"), county("org-b")], categories=[category("transport")], clients=clients)


async def _people(settings):
    refs = (await load(_doc(), settings))["refs"]
    people = {
        "anna": await make_user("counsellor", "anna@caseload.example", password=PASSWORD, organiser_id=refs["org-a"]),
        "ben": await make_user("counsellor", "ben@caseload.example", password=PASSWORD, organiser_id=refs["org-a"]),
        "admin": await make_user("organiser_admin", "admin@caseload.example", password=PASSWORD,
                                 organiser_id=refs["org-a"]),
        "bert": await make_user("counsellor", "bert@caseload.example", password=PASSWORD, organiser_id=refs["org-b"]),
    }
    return refs, people


async def _browser(app, person: dict):
    """Another person's browser on the same running app (the ``client`` fixture runs its lifespan)."""
    import httpx

    c = httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50001)),
                          base_url="http://testserver.local")
    await login(c, person)
    return c


def _names(html: str) -> list[str]:
    return sorted(set(re.findall(r"Asiakas \d|Asiakas Berg", html)))


async def test_the_client_list_and_the_follow_up_show_the_same_clients(db, client):
    _refs, people = await _people(db.settings)
    # Imported with counsellors (the import's counsellor_email), once the counsellors exist.
    await load(_doc(**{"cli-1": "anna@caseload.example", "cli-2": "anna@caseload.example",
                       "cli-3": "ben@caseload.example"}), db.settings)
    await login(client, people["anna"])
    expected = {"mine": ["Asiakas 1", "Asiakas 2"], "unassigned": ["Asiakas 4", "Asiakas 5"],
                "county": ["Asiakas 1", "Asiakas 2", "Asiakas 3", "Asiakas 4", "Asiakas 5"]}
    for scope, names in expected.items():
        listed = await client.get(f"/counsellor/clients?scope={scope}")
        followed = await client.get(f"/follow-up/caseload?scope={scope}")
        api = await client.get(f"/api/v1/clients?scope={scope}")
        assert _names(listed.text) == names, scope
        assert _names(followed.text) == names, scope
        assert sorted(c["display_name"] for c in api.json()) == names, scope
    # A counsellor's default is their own caseload, on both pages.
    assert _names((await client.get("/counsellor/clients")).text) == expected["mine"]
    assert _names((await client.get("/follow-up/caseload")).text) == expected["mine"]
    assert (await client.get("/api/v1/clients?scope=everyone")).status_code == 400
    # An organiser admin's default is the county's clients, on both pages (the older all=1 link too).
    await login(client, people["admin"])
    assert _names((await client.get("/counsellor/clients")).text) == expected["county"]
    assert _names((await client.get("/follow-up/caseload")).text) == expected["county"]
    assert _names((await client.get("/follow-up/caseload?all=1&scope=")).text) == expected["county"]
    assert _names((await client.get("/follow-up/caseload?scope=unassigned")).text) == expected["unassigned"]


async def test_take_on_hand_over_and_reassign(db, app, client):
    refs, people = await _people(db.settings)
    anna = client
    await login(anna, people["anna"])
    ben, admin, bert = [await _browser(app, people[name]) for name in ("ben", "admin", "bert")]
    cli = refs["cli-4"]

    page = await anna.get(f"/counsellor/clients/{cli}")
    assert "Asiakkaalla ei ole vielä asiakasohjaajaa." in page.text and "Ota asiakas omaksi" in page.text
    taken = await form_post(anna, f"/counsellor/clients/{cli}/counsellor", {"counsellor_id": people["anna"]["id"]})
    assert taken.status_code == 303
    page = await anna.get(f"/counsellor/clients/{cli}?caseload=1")
    assert "Asiakasohjaaja vaihdettiin." in page.text and "Siirrä asiakasohjaajalle" in page.text
    assert "Asiakas 4" in (await anna.get("/follow-up/caseload")).text

    # Ben may not take Anna's client, nor hand it on; the hand-over form refuses an empty choice.
    stolen = await ben.put(f"/api/v1/clients/{cli}/counsellor", json={"counsellor_id": people["ben"]["id"]})
    assert stolen.status_code == 403
    empty = await form_post(anna, f"/counsellor/clients/{cli}/counsellor", {"action": "hand_over", "counsellor_id": ""})
    assert empty.status_code == 400 and 'href="#f-counsellor_id"' in empty.text
    # Only an active counsellor of the county may receive a client: not the other county's, not an admin.
    for wrong in (people["bert"]["id"], people["admin"]["id"], "not-an-id"):
        response = await anna.put(f"/api/v1/clients/{cli}/counsellor", json={"counsellor_id": wrong})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "counsellor_id", wrong
    assert str((await Client.select(Client.counsellor_id).where(Client.id == cli).first().run())["counsellor_id"]) == \
        people["anna"]["id"]

    handed = await form_post(anna, f"/counsellor/clients/{cli}/counsellor",
                             {"action": "hand_over", "counsellor_id": people["ben"]["id"], "reason": "loma"})
    assert handed.status_code == 303
    assert "Asiakas 4" not in (await anna.get("/follow-up/caseload")).text
    assert "Asiakas 4" in (await ben.get("/counsellor/clients")).text
    # The admin reassigns any client of the county, and may leave one with nobody.
    back = await admin.put(f"/api/v1/clients/{cli}/counsellor", json={"counsellor_id": people["anna"]["id"],
                                                                     "reason": "palasi"})
    assert back.status_code == 200 and back.json()["counsellor_id"] == people["anna"]["id"]
    released = await admin.put(f"/api/v1/clients/{cli}/counsellor", json={"counsellor_id": None})
    assert released.status_code == 200 and released.json()["counsellor_id"] is None
    # The other county's counsellor does not reach the client at all.
    assert (await bert.put(f"/api/v1/clients/{cli}/counsellor", json={"counsellor_id": None})).status_code == 404

    events = await AuditEvent.select(AuditEvent.details, AuditEvent.reason, AuditEvent.actor_user_id).where(
        (AuditEvent.action == "voucher.client.counsellor_changed") & (AuditEvent.subject_id == cli)).order_by(
        AuditEvent.at).output(load_json=True).run()
    moves = [(e["details"]["from"], e["details"]["to"]) for e in events]
    a, b = people["anna"]["id"], people["ben"]["id"]
    assert moves == [(None, a), (a, b), (b, a), (a, None)]
    assert [e["reason"] for e in events][1:3] == ["loma", "palasi"]


async def test_an_import_names_counsellors_by_e_mail_or_writes_nothing(db, client):
    refs, people = await _people(db.settings)
    from core import identity

    await identity.deactivate_user(people["ben"]["id"])
    before = {r["ref"]: r["counsellor_id"] for r in await Client.select(Client.ref, Client.counsellor_id).run()}
    await login(client, people["admin"])
    bad = _doc(True, **{"cli-1": "anna@caseload.example", "cli-2": "bert@caseload.example",
                  "cli-3": "ben@caseload.example", "cli-4": "nobody@caseload.example",
                  "cli-5": "admin@caseload.example"})
    response = await client.post("/api/v1/imports", json={k: v for k, v in bad.items() if k != "organisers"} | {
        "organisers": []})
    assert response.status_code == 400, response.text
    errors = {(e["ref"], e["field"]) for e in response.json()["errors"]}
    # Another county's counsellor, a deactivated one, an unknown address, an admin: each refused.
    assert errors == {("cli-2", "counsellor_email"), ("cli-3", "counsellor_email"), ("cli-4", "counsellor_email"),
                      ("cli-5", "counsellor_email")}
    after = {r["ref"]: r["counsellor_id"] for r in await Client.select(Client.ref, Client.counsellor_id).run()}
    assert after == before  # nothing written, not even the good record

    good = _doc(True, **{"cli-1": "ANNA@caseload.example"})
    done = await client.post("/api/v1/imports", json={k: v for k, v in good.items() if k != "organisers"} | {
        "organisers": []})
    assert done.status_code in (200, 201), done.text
    row = await Client.select(Client.counsellor_id).where(Client.ref == "cli-1").first().run()
    assert str(row["counsellor_id"]) == people["anna"]["id"]
    # Without counsellor_email, a re-import leaves the counsellor as it is.
    await load(_doc(), db.settings)
    row = await Client.select(Client.counsellor_id).where(Client.ref == "cli-1").first().run()
    assert str(row["counsellor_id"]) == people["anna"]["id"]
    assert await AuditEvent.count().where((AuditEvent.action == "voucher.client.counsellor_changed")
                                          & (AuditEvent.subject_id == refs["cli-1"])).run() == 1
