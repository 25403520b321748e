"""The raw-table admin (piccolo_admin): platform admins only, no secrets shown, client personal fields
and the ledger read-only, every read in the access log."""

import uuid

from core.tables import AuditEvent
from tests.admin.builders import add_client, world
from tests.helpers import login
from tests.world import make_user
from voucher.tables import Client


async def _api(client, method: str, path: str, json=None):
    token = client.cookies.get("csrftoken")
    headers = {"X-CSRFToken": token, "content-type": "application/json"} if token else {}
    return await client.request(method, "/admin/raw" + path, json=json, headers=headers)


async def test_raw_tables_for_platform_admins_with_read_only_client_and_ledger(db, client):
    secret = db.settings.secret_key
    w = await world(secret)
    c = await add_client(w, secret, "Asiakas Raaka", "families")
    organiser_admin = await make_user("organiser_admin", "jarjestaja-raw@test.example", organiser_id=w.organiser_id)
    await login(client, organiser_admin)
    assert (await client.get("/admin/raw/")).status_code == 403
    assert (await client.get("/admin/raw/api/tables/vc_client/")).status_code == 403

    admin = await make_user("platform_admin", "yllapito-raw@test.example")
    await login(client, admin)
    assert (await client.get("/admin/raw")).status_code == 308
    spa = await client.get("/admin/raw/")
    assert spa.status_code == 200 and "<div id=\"app\">" in spa.text
    assert (await client.get("/admin/raw/api/user/")).json()["username"] == "Test platform_admin"
    tables = (await client.get("/admin/raw/api/tables/")).json()
    assert {"vc_client", "vc_transfer", "mp_provider", "hb_user", "ad_anomaly_flag"} <= set(tables)
    assert not {"hb_session", "hb_api_key", "hb_external_identity", "hb_idempotency", "vc_stripe_event"} & set(tables)
    assert (await client.get("/admin/raw/api/tables/hb_session/")).status_code == 404

    before = await AuditEvent.count().where(AuditEvent.action == "client_data.read").run()
    rows = (await client.get("/admin/raw/api/tables/vc_client/?__page=1")).json()["rows"]
    assert sorted(r["display_name"] for r in rows) == ["Asiakas 0001", "Asiakas Raaka"]
    assert all("national_id_hash" not in r for r in rows)
    users = (await client.get("/admin/raw/api/tables/hb_user/")).json()["rows"]
    assert users and all("password_hash" not in u for u in users)
    cards = (await client.get("/admin/raw/api/tables/vc_card/")).json()["rows"]
    assert cards and all("token_hash" not in card for card in cards)
    reads = await AuditEvent.select(AuditEvent.subject_id, AuditEvent.purpose).where(
        AuditEvent.action == "client_data.read").run()
    assert len(reads) >= before + 2  # the client list and the card list both showed the client's data
    assert {r["subject_id"] for r in reads if r["purpose"] == "raw_admin"} == {c.id, w.client_id}
    assert await AuditEvent.count().where(AuditEvent.action == "admin.raw.read").run() >= 3

    # Writes: personal fields and the ledger are refused; the counsellor and the catalogue may change.
    await client.get("/admin/raw/api/tables/vc_client/")  # piccolo_admin's CSRF cookie
    refused = await _api(client, "PATCH", f"/api/tables/vc_client/{c.id}/", {"display_name": "Oikea Nimi"})
    assert refused.status_code == 403
    assert (await Client.select(Client.display_name).where(Client.id == c.id).first().run())["display_name"] == "Asiakas Raaka"
    mixed = await _api(client, "PATCH", f"/api/tables/vc_client/{c.id}/", {"counsellor_id": None, "language": "sv"})
    assert mixed.status_code == 403
    counsellor = await make_user("counsellor", "uusi-ohjaaja@test.example", organiser_id=w.organiser_id)
    moved = await _api(client, "PATCH", f"/api/tables/vc_client/{c.id}/", {"counsellor_id": counsellor["id"]})
    assert moved.status_code == 200, moved.text
    assert str((await Client.select(Client.counsellor_id).where(Client.id == c.id).first().run())["counsellor_id"]) == counsellor["id"]
    for method, path, body in (
        ("POST", "/api/tables/vc_transfer/", {"kind": "grant", "amount_cents": 100}),
        ("DELETE", f"/api/tables/vc_client/{c.id}/", None),
        ("PATCH", f"/api/tables/vc_budget_line/{uuid.uuid4()}/", {"granted_cents": 1}),
        ("POST", "/api/forms/anything/", {}),
    ):
        assert (await _api(client, method, path, body)).status_code == 403, (method, path)
    assert (await _api(client, "POST", "/public/login/", {"username": "x", "password": "y"})).status_code in (403, 404)
    category = (await client.get("/admin/raw/api/tables/mp_category/")).json()["rows"][0]
    renamed = await _api(client, "PATCH", f"/api/tables/mp_category/{category['id']}/", {"name_en": "Renamed"})
    assert renamed.status_code == 200, renamed.text
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).run()]
    assert actions.count("admin.raw.write") == 2 and actions.count("admin.raw.write_refused") >= 5


async def test_reading_rows_that_name_a_client_through_another_row_is_in_the_access_log(db, client):
    """Goals, scores, refunds and transfers say whose they are only through a plan, a goal, a capture
    or a budget line's account: each read still logs exactly the clients whose rows it showed."""
    import datetime as dt

    from tests.admin.builders import add_goal, pay, refund

    secret = db.settings.secret_key
    w = await world(secret)
    shown = await add_client(w, secret, "Asiakas Näkyvä", "families")
    await add_client(w, secret, "Asiakas Muu", "families")
    when = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone.utc)
    await add_goal(w, shown.id, "Käyn tallilla kerran viikossa", [(when, 0), (when + dt.timedelta(days=30), 1)])
    paid = await pay(db.settings, w.provider, shown.token, 4000, when, listing=w.listing_riding)
    await refund(w.provider, paid["capture_id"], 1000, when)
    admin = await make_user("platform_admin", "yllapito-via@test.example")
    await login(client, admin)

    async def logged_for(table: str) -> set[str]:
        before = {r["id"] for r in await AuditEvent.select(AuditEvent.id).where(AuditEvent.action == "client_data.read").run()}
        answer = await client.get(f"/admin/raw/api/tables/{table}/?__page=1")
        assert answer.status_code == 200 and answer.json()["rows"], table
        return {r["subject_id"] for r in await AuditEvent.select(AuditEvent.id, AuditEvent.subject_id).where(
            AuditEvent.action == "client_data.read").run() if r["id"] not in before}

    assert await logged_for("vc_plan_goal") == {shown.id}
    assert await logged_for("vc_goal_score") == {shown.id}
    assert await logged_for("vc_refund") == {shown.id}
    hold_and_capture = await logged_for("vc_transfer")
    assert shown.id in hold_and_capture  # every client's grants are transfers too
    users = await logged_for("hb_user")
    assert users == set()  # no client has an account in this world: nothing of a client was shown
    assert shown.id in await logged_for("hb_audit_event")


async def test_the_raw_admin_app_opens_a_table_as_its_browser_app_does(db, client):
    # The requests piccolo_admin's page makes on opening: the grouped table list, then a table's
    # schema, count and rows. The grouped list is not a table name; refusing it left the app empty.
    w = await world(db.settings.secret_key)
    await login(client, await make_user("platform_admin", "yllapito-avaa@test.example"))
    grouped = await client.get("/admin/raw/api/tables/grouped/")
    assert grouped.status_code == 200
    body = grouped.json()
    names = set(body.get("ungrouped", [])) | {t for group in body.get("grouped", {}).values() for t in group}
    assert {"vc_client", "mp_category", "hb_user"} <= names and "hb_session" not in names
    for path in ("schema/", "count/", ""):
        assert (await client.get(f"/admin/raw/api/tables/vc_client/{path}")).status_code == 200, path
    assert w.client_id
    # Its bundled styles are inline: allowed under the mount, nowhere else; scripts stay 'self' only.
    spa_csp = (await client.get("/admin/raw/")).headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in spa_csp and "script-src 'self';" in spa_csp
    assert "'unsafe-inline'" not in (await client.get("/")).headers["content-security-policy"]
