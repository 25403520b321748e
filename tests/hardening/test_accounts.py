"""A person's own account (/account and /api/v1/account): their role and scope, their open sessions
(end one, end all others) and a new password; and the administrators' account lists with
deactivation, which ends the account's sessions and the API keys it made within one request."""

from core import identity
from core.tables import ApiKey, AuditEvent, User, UserSession
from tests.helpers import form_post, login
from tests.world import PASSWORD, category, county, document, load, make_user


async def _signed_in(make_client, app, user: dict):
    c = await make_client(app=app)
    await login(c, user)
    return c


async def _county(settings):
    refs = (await load(document(counties=[county("org-a"), county("org-b")]), settings))["refs"]
    return refs["org-a"], refs["org-b"]


async def test_the_account_page_shows_role_scope_and_sessions_and_ends_them(db, make_client):
    org_a, _ = await _county(db.settings)
    counsellor = await make_user("counsellor", "ohjaaja@acct.example", password=PASSWORD, organiser_id=org_a)
    phone = await make_client()
    laptop = await _signed_in(make_client, phone.app, counsellor)
    await login(phone, counsellor)

    page = await phone.get("/account")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    text = page.text
    assert "ohjaaja@acct.example" in text and "Asiakasohjaaja" in text
    assert "Keski-Uudenmaan hyvinvointialue" in text  # the county the account belongs to
    assert text.count('action="/account/sessions/') == 3  # two sessions' "end" + "end all others"
    assert "tämä laite" in text
    swedish = await phone.get("/account?lang=sv")
    assert "Mitt konto" in swedish.text and "Avsluta alla andra inloggningar" in swedish.text

    sessions = (await phone.get("/api/v1/account/sessions")).json()
    assert len(sessions) == 2 and sum(s["current"] for s in sessions) == 1
    assert all("token" not in key for s in sessions for key in s)
    laptop_session = next(s for s in sessions if not s["current"])

    # One may end only one's own sessions: another person's id is 404 and ends nothing.
    other = await make_user("counsellor", "toinen@acct.example", password=PASSWORD, organiser_id=org_a)
    other_client = await _signed_in(make_client, phone.app, other)
    refused = await other_client.delete(f"/api/v1/account/sessions/{laptop_session['id']}",
                                        headers={"content-type": "application/json"})
    assert refused.status_code == 404
    assert (await laptop.get("/account")).status_code == 200

    ended = await form_post(phone, f"/account/sessions/{laptop_session['id']}/end")
    assert ended.status_code == 303 and "done=session_ended" in ended.headers["location"]
    after = await laptop.get("/account")
    assert after.status_code in (303, 401)  # the laptop's very next request is signed out
    assert (await phone.get("/account")).status_code == 200

    # Sign in twice more elsewhere, then end every other session at once.
    others = [await _signed_in(make_client, phone.app, counsellor) for _ in range(2)]
    response = await phone.post("/api/v1/account/sessions/end-others", json={})
    assert response.status_code == 200 and response.json() == {"ended": 2}
    for c in others:
        assert (await c.get("/api/v1/account")).status_code == 401
    me = (await phone.get("/api/v1/account")).json()
    assert me["role"] == "counsellor" and me["organiser_id"] == org_a and len(me["sessions"]) == 1
    actions = {r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.subject_id == counsellor["id"]).run()}
    assert {"account.session_ended", "account.other_sessions_ended"} <= actions


async def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(db, make_client):
    org_a, _ = await _county(db.settings)
    admin = await make_user("organiser_admin", "paakayttaja@acct.example", password=PASSWORD, organiser_id=org_a)
    here = await make_client()
    await login(here, admin)
    elsewhere = await _signed_in(make_client, here.app, admin)
    before = (await User.select(User.password_hash).where(User.id == admin["id"]).first().run())["password_hash"]

    wrong = await form_post(here, "/account/password", {"current_password": "väärä salasana",
                                                         "new_password": "uusi-hyva-salasana-2027",
                                                         "new_password_confirm": "uusi-hyva-salasana-2027"})
    assert wrong.status_code == 400 and "Nykyinen salasana ei ole oikein." in wrong.text
    assert 'aria-invalid="true"' in wrong.text and 'href="#f-current_password"' in wrong.text
    short = await here.post("/api/v1/account/password", json={"current_password": PASSWORD, "new_password": "lyhyt"})
    assert short.status_code == 400
    assert [e["field"] for e in short.json()["errors"]] == ["new_password"]
    mismatch = await form_post(here, "/account/password", {"current_password": PASSWORD,
                                                            "new_password": "uusi-hyva-salasana-2027",
                                                            "new_password_confirm": "uusi-hyva-salasana-2028"})
    assert mismatch.status_code == 400 and 'href="#f-new_password_confirm"' in mismatch.text
    after_refusals = (await User.select(User.password_hash).where(User.id == admin["id"]).first().run())["password_hash"]
    assert after_refusals == before  # nothing changed
    assert (await elsewhere.get("/account")).status_code == 200

    done = await form_post(here, "/account/password", {"current_password": PASSWORD,
                                                        "new_password": "uusi-hyva-salasana-2027",
                                                        "new_password_confirm": "uusi-hyva-salasana-2027"})
    assert done.status_code == 303 and "done=password_changed" in done.headers["location"]
    assert (await here.get("/account")).status_code == 200  # this session continues
    assert (await elsewhere.get("/account")).status_code in (303, 401)  # the other one ended
    assert await identity.password_login("paakayttaja@acct.example", "uusi-hyva-salasana-2027") == admin["id"]
    assert await identity.password_login("paakayttaja@acct.example", PASSWORD) is None
    stored = (await User.select(User.password_hash).where(User.id == admin["id"]).first().run())["password_hash"]
    assert stored.startswith("$argon2id$")
    assert await AuditEvent.count().where((AuditEvent.action == "account.password_changed")
                                          & (AuditEvent.subject_id == admin["id"])).run() == 1


async def test_an_organiser_admin_lists_the_countys_people_and_no_one_elses(db, make_client):
    from tests.world import client as client_record
    from tests.world import line

    doc = document(counties=[county("org-a"), county("org-b")], categories=[category("transport")],
                   clients=[client_record("cli-a", "org-a", lines=[line("transport", 10000)], token=None),
                            client_record("cli-b", "org-b", lines=[line("transport", 10000)], token=None)])
    refs = (await load(doc, db.settings))["refs"]
    org_a, org_b = refs["org-a"], refs["org-b"]
    admin = await make_user("organiser_admin", "admin-a@acct.example", password=PASSWORD, organiser_id=org_a)
    await make_user("counsellor", "ohjaaja-a@acct.example", organiser_id=org_a)
    # A client's own account carries no county: it is the county's through its client record.
    own = await make_user("client", "asiakas-a@acct.example", client_id=refs["cli-a"])
    proxy = await make_user("proxy", "omainen-a@acct.example")
    from voucher import plans

    await plans.grant_proxy(identity.Actor(user_id=admin["id"], role="organiser_admin", organiser_id=org_a),
                            refs["cli-a"], plans.ProxyInput(proxy_user_id=proxy["id"], rights=["view"]))
    for role, email, scope in (("counsellor", "ohjaaja-b@acct.example", {"organiser_id": org_b}),
                               ("client", "asiakas-b@acct.example", {"client_id": refs["cli-b"]}),
                               ("proxy", "yksin@acct.example", {}), ("platform_admin", "yllapito@acct.example", {})):
        await make_user(role, email, **scope)
    c = await make_client()
    await login(c, admin)

    listed = await c.get("/api/v1/users")
    assert listed.status_code == 200
    emails = [u["email"] for u in listed.json()]
    assert emails == ["admin-a@acct.example", "asiakas-a@acct.example", "ohjaaja-a@acct.example",
                      "omainen-a@acct.example"]
    assert listed.headers["x-total-count"] == "4"
    me = next(u for u in listed.json() if u["email"] == "admin-a@acct.example")
    assert me["last_sign_in_at"] is not None
    assert next(u for u in listed.json() if u["email"] == "asiakas-a@acct.example")["last_sign_in_at"] is None
    assert "password_hash" not in me
    assert [u["email"] for u in (await c.get("/api/v1/users?role=counsellor")).json()] == ["ohjaaja-a@acct.example"]
    assert (await c.get("/api/v1/users?role=wizard")).status_code == 400
    paged = await c.get("/api/v1/users?per_page=2&page=2")
    assert [u["email"] for u in paged.json()] == ["ohjaaja-a@acct.example", "omainen-a@acct.example"]

    page = await c.get("/users?q=asiakas")
    assert page.status_code == 200 and "asiakas-a@acct.example" in page.text
    assert "asiakas-b@acct.example" not in page.text and "ohjaaja-a@acct.example" not in page.text
    assert "ei koskaan" in page.text  # never signed in
    assert f'action="/users/{own["id"]}/deactivate"' in page.text
    # Another county's person, a lone proxy, a platform admin: not in reach, as if they did not exist.
    for email in ("ohjaaja-b@acct.example", "yksin@acct.example", "yllapito@acct.example"):
        target = await identity.account_by_email(email)
        response = await c.post(f"/api/v1/users/{target.id}/deactivate", json={"reason": "ei oma"})
        assert response.status_code == 404, email
        assert (await identity.user_row(target.id)).active
    # Nor one's own account.
    assert (await c.post(f"/api/v1/users/{admin['id']}/deactivate", json={})).status_code == 403

    platform = await make_user("platform_admin", "yllapito2@acct.example", password=PASSWORD)
    await login(c, platform)
    everyone = await c.get("/api/v1/users?per_page=100")
    assert everyone.headers["x-total-count"] == str(await User.count().run())


async def test_deactivation_ends_sessions_and_api_keys_within_one_request(db, make_client):
    from tests.world import provider as provider_record

    doc = document(counties=[county("org-a")], providers=[provider_record("prov-a", "9603082-8", "Talli", approved_by=("org-a",))])
    refs = (await load(doc, db.settings))["refs"]
    staff = await make_user("provider_staff", "talli@acct.example", password=PASSWORD, provider_id=refs["prov-a"])
    platform = await make_user("platform_admin", "yllapito@acct.example", password=PASSWORD)
    admin_client = await make_client()
    await login(admin_client, platform)
    staff_phone = await _signed_in(make_client, admin_client.app, staff)
    staff_laptop = await _signed_in(make_client, admin_client.app, staff)
    made = await staff_laptop.post(f"/api/v1/providers/{refs['prov-a']}/api-keys", json={"label": "kassa"})
    assert made.status_code == 201
    terminal = await make_client(app=admin_client.app)
    terminal.headers["Authorization"] = f"Bearer {made.json()['key']}"
    probe = {"card_token": "hbc_not_a_card", "amount_cents": 100}
    assert (await terminal.post("/api/v1/authorizations", json=probe)).status_code == 201
    other_key = (await identity.create_api_key(provider_id=refs["prov-a"], label="toisen tekemä"))[1]

    response = await admin_client.post(f"/api/v1/users/{staff['id']}/deactivate", json={"reason": "lähti talosta"})
    assert response.status_code == 200
    assert response.json() == {"user_id": staff["id"], "sessions_ended": 2, "api_keys_revoked": 1}
    # The very next request with any of its sessions or its key is refused.
    assert (await staff_phone.get("/provider")).status_code in (303, 401)
    assert (await staff_laptop.get(f"/api/v1/providers/{refs['prov-a']}/api-keys")).status_code == 401
    assert (await terminal.post("/api/v1/authorizations", json=probe)).status_code == 401
    # A key someone else made for the provider still works; signing in again does not.
    other = await make_client(app=admin_client.app)
    other.headers["Authorization"] = f"Bearer {other_key}"
    assert (await other.post("/api/v1/authorizations", json=probe)).status_code == 201
    relogin = await form_post(await make_client(app=admin_client.app), "/login",
                              {"email": staff["email"], "password": PASSWORD, "next": "/"})
    assert relogin.status_code == 400
    assert await UserSession.count().where((UserSession.user_id == staff["id"]) & UserSession.ended_at.is_null()).run() == 0
    assert await ApiKey.count().where((ApiKey.created_by == staff["id"]) & ApiKey.revoked_at.is_null()).run() == 0
    event = await AuditEvent.select().where(AuditEvent.action == "user.deactivated").first().run()
    assert event["subject_id"] == staff["id"] and event["reason"] == "lähti talosta"
    assert (await admin_client.post(f"/api/v1/users/{staff['id']}/deactivate", json={})).status_code == 409

    # Reactivated through the page: they sign in afresh (the old sessions and key stay ended).
    page = await admin_client.get("/users?status=inactive")
    assert "talli@acct.example" in page.text and "Ota uudelleen käyttöön" in page.text
    back = await form_post(admin_client, f"/users/{staff['id']}/reactivate", {"back": "status=inactive"})
    assert back.status_code == 303 and back.headers["location"] == "/users?status=inactive&done=reactivated"
    assert (await staff_phone.get("/provider")).status_code in (303, 401)
    assert (await terminal.post("/api/v1/authorizations", json=probe)).status_code == 401
    fresh = await make_client(app=admin_client.app)
    await login(fresh, staff)
    assert (await fresh.get("/provider")).status_code == 200
