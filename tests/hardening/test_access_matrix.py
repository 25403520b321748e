"""The access-control matrix (issue 7, acceptance 1): every route the app mounts (the OpenAPI
document's and every page) × every role, against the one table in ``access_table.py``; and the
audit-completeness check: every allowed read of a client's data leaves an audit entry with actor,
subject and purpose. The table must cover 100% of the routes."""

import re
import uuid

import pytest
from litestar.routes import ASGIRoute, HTTPRoute

from core.tables import AuditEvent
from tests.hardening.access_table import ACCESS, Row
from tests.hardening.roles import ROLES, build

DENIED = {401, 403, 404}
NOTHING = "00000000-0000-4000-8000-000000000000"


def mounted_routes(app) -> set[str]:
    """'METHOD /path' for every route of the app, path parameters without their types."""
    out = set()
    for route in app.routes:
        path = re.sub(r"\{(\w+):[^}]+\}", r"{\1}", route.path)
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                out.update(f"{m} {path}" for m in handler.http_methods if m not in ("HEAD", "OPTIONS"))
        elif isinstance(route, ASGIRoute):
            out.add(f"GET {path}")
    return out


def openapi_routes(app) -> set[str]:
    doc = app.openapi_schema.to_schema()
    return {f"{method.upper()} {path}" for path, item in doc["paths"].items() for method in item
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE")}


def test_every_route_has_exactly_one_row(tmp_path):
    from hb.app import create_app
    from core.settings import Settings

    app = create_app(Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "k" * 40}))
    mounted = mounted_routes(app)
    assert openapi_routes(app) <= mounted
    without_row = sorted(mounted - set(ACCESS))
    stale = sorted(set(ACCESS) - mounted)
    assert not without_row, f"routes with no row in tests/hardening/access_table.py: {without_row}"
    assert not stale, f"rows for routes the app no longer has: {stale}"


def _url(key: str, row: Row, W: dict) -> tuple[str, str]:
    method, path = key.split(" ", 1)

    def fill(match):
        name = match.group(1)
        ref = row.params.get(name, name)
        if ref == "nothing":
            return NOTHING
        return str(W.get(ref, ref))

    url = re.sub(r"\{(\w+)\}", fill, path)
    if row.query:
        url += "?" + "&".join(f"{k}={W[v]}" for k, v in row.query.items())
    return method, url


def _outcome(response) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code in DENIED:
        return "denied"
    if response.status_code in (302, 303, 307) and response.headers.get("location", "").startswith("/login"):
        return "denied"
    return "ok"


async def _call(client, method: str, url: str, row: Row, W: dict):
    body = row.body(W) if row.body else None
    if url.startswith(("/api/", "/webhooks/")):
        if method == "GET":
            return await client.get(url)
        if method == "DELETE":  # a session's API write must say JSON (core.web), even with no body
            return await client.request(method, url, headers={"content-type": "application/json"})
        return await client.request(method, url, json=body if body is not None else {})
    if method == "GET":
        return await client.get(url)
    form = {**(body or {}), "_csrf_token": client.cookies.get("hb_csrf", "")}
    return await client.post(url, data=form)


# On the production database only: who may reach what is decided in the app, not in SQL, and the
# attack tests (tests/hardening/test_attack_*) check the cross-county scoping on both databases.
@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_access_matrix_every_route_every_role(db, make_client):
    world = await build(db.settings, make_client)
    W, clients = world["W"], world["clients"]
    wrong = []
    for key, row in ACCESS.items():
        method, url = _url(key, row, W)
        # Refused roles first (they change nothing), then the allowed ones; after the first allowed
        # write, the state it changed may turn a later allowed write into a 404/409 — still "past
        # access control".
        order = sorted(ROLES, key=lambda r: r in row.allowed)
        first_allowed_write = True
        for role in order:
            response = await _call(clients[role], method, url, row, W)
            got = _outcome(response)
            if role not in row.allowed:
                expected = "denied"
                ok = got == "denied"
            elif row.missing:
                expected = "404"
                ok = response.status_code == 404
            elif method != "GET" and not first_allowed_write:
                expected = "ok (or 404/409 after an earlier write)"
                ok = got == "ok" or response.status_code in (404, 409)
            else:
                expected = "ok"
                ok = got == "ok"
            if role in row.allowed and method != "GET":
                first_allowed_write = False
            if not ok:
                wrong.append(f"{key} as {role}: {response.status_code} (expected {expected})")
    assert not wrong, "access-control matrix mismatches:\n" + "\n".join(wrong)


async def test_every_read_of_client_data_is_audited_with_actor_subject_and_purpose(db, make_client):
    world = await build(db.settings, make_client)
    W, clients = world["W"], world["clients"]
    rows = {k: r for k, r in ACCESS.items() if r.reads_client}
    assert len(rows) >= 8
    missing, gaps = [], set()
    for key, row in rows.items():
        method, url = _url(key, row, W)
        for role in sorted(row.allowed):
            marker = uuid.uuid4().hex
            clients[role].headers["x-request-id"] = marker
            response = await _call(clients[role], method, url, row, W)
            del clients[role].headers["x-request-id"]
            assert response.status_code == 200, (key, role, response.status_code)
            events = await AuditEvent.select().where(
                (AuditEvent.request_id == marker) & (AuditEvent.action == "client_data.read")).run()
            subject = W["own_client"].get(role, W["client_id"])
            good = [e for e in events if e["subject_type"] == "client" and e["subject_id"] == subject
                    and str(e["actor_user_id"]) == W["users"][role] and e["purpose"]]
            if not good and row.audit_gap:
                gaps.add(key)
            elif not good:
                missing.append(f"{key} as {role}: {len(events)} read event(s), none with actor, subject and purpose")
    declared = {k for k, r in rows.items() if r.audit_gap}
    if gaps != declared:
        import warnings

        warnings.warn(f"audit gaps declared but now closed (remove audit_gap): {sorted(declared - gaps)}")
    assert not missing, "client-data reads without an audit entry:\n" + "\n".join(missing)


async def test_the_audit_log_refuses_changes_from_application_code(db):
    from core import audit

    await audit.record(None, "test.action", "thing", "1", reason="because")
    for attempt in (AuditEvent.update({AuditEvent.reason: "rewritten"}, force=True),
                    AuditEvent.delete(force=True)):
        try:
            await attempt.run()
        except Exception as exc:  # noqa: BLE001 - the database's own refusal
            assert "append-only" in str(exc)
        else:
            raise AssertionError("the audit log accepted a change")
    rows = await AuditEvent.select().where(AuditEvent.action == "test.action").run()
    assert [r["reason"] for r in rows] == ["because"]
