"""The foundation as a user or an operator meets it: health, OpenAPI, login, sessions, audit."""

import pytest

from core import audit, identity
from core.tables import AuditEvent, UserSession
from tests.helpers import form_post, login
from tests.world import make_user


async def test_health_reports_database_and_search(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "search": "ok"}
    assert response.headers["x-request-id"]


# Piccolo warns when it cannot reach the database: here that is the point of the test.
@pytest.mark.filterwarnings("ignore:.*Unable to connect to database")
async def test_health_turns_degraded_with_503_when_a_dependency_is_down(app, client, db, tmp_path):
    from core import db as core_db
    from search.meili import MeiliBackend

    # A search server that does not answer (nothing listens on port 9).
    embedded = app.state.search
    app.state.search = MeiliBackend("http://127.0.0.1:9", None)
    try:
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json() == {"status": "degraded", "database": "ok", "search": "degraded"}
    finally:
        await app.state.search.close()
        app.state.search = embedded
    # A database that cannot be reached: SQLite in a directory that does not exist, or a
    # PostgreSQL server on a port where none listens.
    if db.is_postgres:
        from piccolo.engine.postgres import PostgresEngine

        down = PostgresEngine(config={"dsn": "postgresql://postgres@127.0.0.1:9/hb", "timeout": 2})
    else:
        down = core_db.make_engine(db.settings.__class__(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/gone/hb.sqlite3"))
    core_db.bind(down)
    try:
        response = await client.get("/health")
        assert response.status_code == 503
        assert response.json() == {"status": "degraded", "database": "degraded", "search": "ok"}
    finally:
        core_db.bind(db.engine)
    assert (await client.get("/health")).status_code == 200


async def test_openapi_document_is_served(client):
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert "/health" in doc["paths"]


async def test_the_yaml_document_says_what_the_json_says_and_is_rendered_once(client, monkeypatch):
    import litestar.openapi.plugins as plugins
    import yaml

    dumps = []
    real_dump = plugins.yaml.dump
    monkeypatch.setattr(plugins.yaml, "dump", lambda *a, **kw: dumps.append(1) or real_dump(*a, **kw))
    as_json = (await client.get("/schema/openapi.json")).json()
    answers = [await client.get(path) for path in ("/schema/openapi.yaml", "/schema/openapi.yml", "/schema/openapi.yaml")]
    assert {r.status_code for r in answers} == {200} and len({r.content for r in answers}) == 1
    assert yaml.safe_load(answers[0].content) == as_json
    assert len(dumps) == 1  # anyone may ask for it: the pure-Python YAML dump runs once per app


async def test_pages_carry_security_headers(client):
    response = await client.get("/login")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_login_rotates_session_and_wrong_password_is_refused(client, db):
    user = await make_user("counsellor", email="ohjaaja@test.example")
    wrong = await form_post(client, "/login", {"email": user["email"], "password": "nope", "next": "/"})
    assert wrong.status_code == 400
    assert "Sähköposti tai salasana on väärin" in wrong.text
    assert "hb_session" not in client.cookies

    await login(client, user)
    first = client.cookies["hb_session"]
    await login(client, user)
    second = client.cookies["hb_session"]
    assert first != second
    # The first session ended when the second began: it no longer signs anyone in.
    assert await identity.actor_from_session(first) is None
    assert (await identity.actor_from_session(second)).role == "counsellor"
    ended = await UserSession.count().where(UserSession.ended_at.is_not_null()).run()
    assert ended == 1


async def test_session_cookie_flags(client, db):
    user = await make_user("client", email="asiakas@test.example")
    response = await form_post(client, "/login", {"email": user["email"], "password": user["password"], "next": "/"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


async def test_form_without_csrf_token_is_refused(client, db):
    user = await make_user("client", email="csrf@test.example")
    await client.get("/login")
    response = await client.post("/login", data={"email": user["email"], "password": user["password"]})
    assert response.status_code == 403
    assert "hb_session" not in client.cookies


async def test_open_redirect_after_login_is_prevented(client, db):
    user = await make_user("client", email="redirect@test.example")
    response = await form_post(client, "/login", {"email": user["email"], "password": user["password"], "next": "//evil.example/x"})
    assert response.headers["location"] == "/client"  # not the other site: the client's own start page


async def test_each_role_lands_on_its_own_start_page_unless_it_asked_for_one(client, db):
    for role, home in (("client", "/client"), ("provider_staff", "/provider"), ("counsellor", "/counsellor/clients"),
                       ("organiser_admin", "/organiser/reviews"), ("platform_admin", "/users")):
        user = await make_user(role, email=f"koti-{role}@test.example")
        response = await form_post(client, "/login", {"email": user["email"], "password": user["password"], "next": "/"})
        assert response.headers["location"] == home, role
        asked = await form_post(client, "/login", {"email": user["email"], "password": user["password"],
                                                   "next": "/notifications"})
        assert asked.headers["location"] == "/notifications", role


async def test_login_is_rate_limited_per_account(client, db):
    user = await make_user("client", email="brute@test.example")
    statuses = []
    for _ in range(11):
        r = await form_post(client, "/login", {"email": user["email"], "password": "wrong", "next": "/"})
        statuses.append(r.status_code)
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


async def test_api_keys_are_hashed_shown_once_and_revocable(db):
    key_id, key = await identity.create_api_key(label="kassa")
    from core.tables import ApiKey

    stored = await ApiKey.select().where(ApiKey.id == key_id).first().run()
    assert key not in str(stored)
    assert (await identity.actor_from_api_key(key)) is not None
    assert await identity.revoke_api_key(key_id)
    assert await identity.actor_from_api_key(key) is None


async def test_audit_log_is_append_only(db):
    await audit.record(None, "test.action", "thing", "1", reason="because")
    with pytest.raises(Exception):
        await AuditEvent.update({AuditEvent.reason: "rewritten"}, force=True).run()
    with pytest.raises(Exception):
        await AuditEvent.delete(force=True).run()
    rows = await AuditEvent.select(AuditEvent.reason).run()
    assert [r["reason"] for r in rows] == ["because"]


async def test_unknown_api_route_is_problem_json(client):
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_language_switch_sets_cookie_and_translates(client):
    response = await client.get("/login?lang=sv")
    assert "Logga in" in response.text
    assert client.cookies.get("hb_lang") == "sv"
    again = await client.get("/login")
    assert '<html lang="sv">' in again.text
