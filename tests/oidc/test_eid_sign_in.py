"""Strong e-ID sign-in through a real OpenID provider (npm's oidc-provider, configured for the FTN
profile: signed request objects, private_key_jwt, PKCE, encrypted ID tokens), on SQLite and
PostgreSQL. The platform is driven over HTTP as a browser drives it; the provider's login page is
filled in as the person would."""

import base64
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwe, jws, jwt
from joserfc.jwk import RSAKey

from core import eid, oidc
from core.identity import create_user
from core.tables import AuditEvent, ExternalIdentity, OidcLogin, User, UserSession
from tests.helpers import form_post
from tests.oidc.conftest import BASE_URL, REDIRECT_URI, eid_settings, serve
from tests.oidc.harness import NATIONAL_ID_CLAIM, TestProvider, authenticate, path_of
from tests.world import PASSWORD, county, document, load, person
from voucher import budgets
from voucher.schemas import ClientCreate

HETU = "010170-999R"


async def a_client(settings, national_id: str = HETU):
    """A county, its counsellor, a client with a recorded identity number, and the client's account."""
    refs = (await load(document(counties=[county("org-a")]), settings))["refs"]
    organiser_id = refs["org-a"]
    counsellor = await person("counsellor", organiser_id=organiser_id, password=None)
    made = await budgets.create_client(counsellor.actor, ClientCreate(
        display_name="Asiakas 0001", client_group="disability_services", national_id=national_id), settings.secret_key)
    account = await person("client", client_id=made.id, organiser_id=organiser_id, password=None)
    return organiser_id, made.id, account


async def start(browser, query: str = "") -> str:
    """/login/eid: the platform sends the browser to the provider. Returns the provider's URL."""
    response = await browser.get("/login/eid" + query)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert not location.startswith(BASE_URL)
    return location


async def sign_in(browser, provider_person: str, query: str = "") -> httpx.Response:
    """The whole journey: platform → provider (the person identifies) → platform's callback."""
    callback = await authenticate(await start(browser, query), provider_person, BASE_URL)
    return await browser.get(path_of(callback))


async def counts() -> dict:
    return {"users": await User.count().run(), "links": await ExternalIdentity.count().run(),
            "sessions": await UserSession.count().run()}


async def refusals(reason: str) -> int:
    return await AuditEvent.count().where((AuditEvent.action == "eid.refused") & (AuditEvent.reason == reason)).run()


# --- The journey ---------------------------------------------------------------------------------


async def test_a_client_signs_in_with_e_id_and_sees_their_budget(db, oidc_world, browser):
    _organiser, _client, account = await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU, "name": "Aino Asiakas"})

    done = await sign_in(browser, "person-aino", "?next=/budget")

    assert done.status_code == 303 and done.headers["location"] == "/budget"
    assert "hb_session" in browser.cookies
    budget = await browser.get("/budget")
    assert budget.status_code == 200
    assert "Asiakas 0001" in budget.text or account.actor.display_name in budget.text
    # Linked by a keyed hash of issuer and subject: the identity number is stored nowhere new.
    links = await ExternalIdentity.select().run()
    assert [str(r["user_id"]) for r in links] == [account.actor.user_id]
    assert HETU not in str(links) and "person-aino" not in str(links)
    assert HETU not in str(await AuditEvent.select().run())
    # The next sign-in finds the link.
    await browser.post("/logout", headers={"x-csrftoken": browser.cookies.get("hb_csrf", "")})
    browser.cookies.clear()
    again = await sign_in(browser, "person-aino")
    assert again.status_code == 303
    hows = [r["details"]["how"] for r in await AuditEvent.select(AuditEvent.details).where(
        AuditEvent.action == "eid.sign_in").order_by(AuditEvent.at).output(load_json=True).run()]
    assert hows == ["national_id", "linked"]
    assert await ExternalIdentity.count().run() == 1


async def test_a_person_without_an_account_is_refused_and_nothing_is_created(db, oidc_world, browser):
    await a_client(db.settings)
    oidc_world["eid"].add_person("person-stranger", **{NATIONAL_ID_CLAIM: "291292-918R", "name": "Outo Henkilö"})
    before = await counts()

    refused = await sign_in(browser, "person-stranger")

    assert refused.status_code == 403
    assert "asiakasohjaajaltasi" in refused.text  # "ask your counsellor", in Finnish first
    assert "hb_session" not in browser.cookies
    assert await counts() == before
    assert await refusals("no_account") == 1


async def test_the_refusal_page_speaks_swedish_and_english(db, oidc_world, browser):
    oidc_world["eid"].add_person("person-anna", **{NATIONAL_ID_CLAIM: "010280-952L"})
    swedish = await sign_in(browser, "person-anna", "?lang=sv")
    assert swedish.status_code == 403
    browser.cookies.set("hb_lang", "en")
    english = await sign_in(browser, "person-anna")
    assert "klienthandledare" in swedish.text or "Ask your counsellor" in english.text
    assert "Ask your counsellor" in english.text


async def test_a_deactivated_client_is_refused(db, oidc_world, browser):
    _organiser, _client, account = await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    assert (await sign_in(browser, "person-aino")).status_code == 303
    await User.update({User.active: False}).where(User.id == account.actor.user_id).run()
    browser.cookies.clear()
    sessions = await UserSession.count().run()

    refused = await sign_in(browser, "person-aino")

    assert refused.status_code == 403
    assert await UserSession.count().run() == sessions


# --- Replays, states, codes ----------------------------------------------------------------------


async def test_a_replayed_callback_is_refused(db, oidc_world, browser):
    await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    callback = await authenticate(await start(browser), "person-aino", BASE_URL)
    assert (await browser.get(path_of(callback))).status_code == 303
    sessions = await UserSession.count().run()

    # The same redirect again, even with the browser's cookie set back as it was.
    state = parse_qs(urlsplit(callback).query)["state"][0]
    browser.cookies.set("hb_eid", state + ".", domain="testserver.local", path="/login/eid")
    replay = await browser.get(path_of(callback))

    assert replay.status_code == 400
    assert await UserSession.count().run() == sessions
    assert await refusals("state") == 1


async def test_a_used_code_with_a_fresh_sign_in_is_refused_by_the_provider(db, oidc_world, browser):
    await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    first = await authenticate(await start(browser), "person-aino", BASE_URL)
    assert (await browser.get(path_of(first))).status_code == 303
    browser.cookies.clear()
    sessions = await UserSession.count().run()

    # A new sign-in (new state, nonce and PKCE verifier), finished with the first one's code.
    second = await start(browser)
    state = parse_qs(urlsplit(second).query)  # the state is inside the signed request object
    assert "state" not in state and "nonce" not in state and "request" in state
    own_state = browser.cookies["hb_eid"].split(".")[0]
    code = parse_qs(urlsplit(first).query)["code"][0]
    reused = await browser.get("/login/eid/callback", params={"state": own_state, "code": code})

    assert reused.status_code == 400
    assert "hb_session" not in browser.cookies
    assert await UserSession.count().run() == sessions
    assert await refusals("token") == 1


async def test_a_state_from_another_browser_is_refused(db, oidc_world, browser, eid_app):
    await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    callback = await authenticate(await start(browser), "person-aino", BASE_URL)
    before = await counts()

    # An attacker's callback URL opened in a victim's browser that never started this sign-in.
    async with await serve(eid_app) as victim:
        assert (await victim.get(path_of(callback))).status_code == 400
        # Nor does a cookie with another state help.
        victim.cookies.set("hb_eid", "x" * 43 + ".", domain="testserver.local", path="/login/eid")
        assert (await victim.get(path_of(callback))).status_code == 400
    assert await counts() == before
    # The rightful browser still finishes: the wrong attempts did not use the sign-in up.
    assert (await browser.get(path_of(callback))).status_code == 303


async def test_an_expired_sign_in_is_refused(db, oidc_world, browser):
    await a_client(db.settings)
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    callback = await authenticate(await start(browser), "person-aino", BASE_URL)
    await OidcLogin.update({OidcLogin.expires_at: OidcLogin.created_at}, force=True).run()
    assert (await browser.get(path_of(callback))).status_code == 400
    assert "hb_session" not in browser.cookies


def unsigned_jwt(claims: dict) -> str:
    """A request object with ``alg: none``, as an attacker would write it (no library signs nothing)."""
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


async def test_the_provider_refuses_a_request_without_a_signed_request_object(oidc_world):
    """The FTN profile, as the test provider enforces it: the parameters the platform signs, sent
    in the clear or in an unsigned request object, are refused."""
    provider = oidc_world["eid"]
    async with httpx.AsyncClient() as client:
        meta = (await client.get(provider.issuer + "/.well-known/openid-configuration")).json()
    assert meta["require_signed_request_object"] is True
    plain = {"client_id": provider.client_id, "response_type": "code", "scope": "openid", "redirect_uri": REDIRECT_URI,
             "state": "s" * 43, "nonce": "n" * 43, "code_challenge": oidc.pkce_challenge("v" * 64),
             "code_challenge_method": "S256"}
    unsigned = unsigned_jwt({**plain, "iss": provider.client_id, "aud": provider.issuer})
    async with httpx.AsyncClient() as client:
        in_the_clear = await client.get(meta["authorization_endpoint"], params=plain)
        not_signed = await client.get(meta["authorization_endpoint"], params={
            "client_id": provider.client_id, "response_type": "code", "scope": "openid", "request": unsigned})
    for refused in (in_the_clear, not_signed):
        # The provider answers the platform's redirect URI with an error, and no code.
        assert refused.status_code == 303
        answer = parse_qs(urlsplit(refused.headers["location"]).query)
        assert answer["error"][0] in ("invalid_request", "invalid_request_object") and "code" not in answer
    assert "Request Object" in parse_qs(urlsplit(in_the_clear.headers["location"]).query)["error_description"][0]


async def test_the_provider_refuses_a_request_object_signed_with_an_unknown_key_or_without_pkce(db, oidc_world):
    provider = oidc_world["eid"]
    config = oidc.issuer_config(eid_settings(db.settings, oidc_world), "eid")
    meta = await oidc.metadata(config)
    stranger = RSAKey.generate_key(2048, parameters={"kid": "hb-sig-1", "use": "sig", "alg": "RS256"})
    claims = {"iss": provider.client_id, "aud": provider.issuer, "client_id": provider.client_id, "response_type": "code",
              "scope": "openid", "redirect_uri": REDIRECT_URI, "state": "s" * 43, "nonce": "n" * 43,
              "code_challenge": oidc.pkce_challenge("v" * 64), "code_challenge_method": "S256"}
    forged = jwt.encode({"alg": "RS256", "kid": "hb-sig-1"}, claims, stranger)
    own_key = oidc.platform_keys(config.jwks_file).signing
    without_pkce = jwt.encode({"alg": "RS256", "kid": own_key.kid},
                              {k: v for k, v in claims.items() if not k.startswith("code_challenge")}, own_key)
    async with httpx.AsyncClient() as client:
        for request_object in (forged, without_pkce):
            refused = await client.get(meta.authorization_endpoint, params={
                "client_id": provider.client_id, "response_type": "code", "scope": "openid", "request": request_object})
            assert refused.status_code == 303, refused.text
            answer = parse_qs(urlsplit(refused.headers["location"]).query)
            assert answer["error"][0] in ("invalid_request", "invalid_request_object") and "code" not in answer


# --- The ID token ----------------------------------------------------------------------------------


async def _real_id_token(db, oidc_world, browser) -> tuple[oidc.IssuerConfig, str, str]:
    """A real encrypted ID token from the provider for a finished sign-in (exchanged here, as the
    callback would), and the nonce it was issued for."""
    oidc_world["eid"].add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
    callback = await authenticate(await start(browser), "person-aino", BASE_URL)
    query = parse_qs(urlsplit(callback).query)
    state, code = query["state"][0], query["code"][0]
    settings = eid_settings(db.settings, oidc_world)
    config = oidc.issuer_config(settings, "eid")
    nonce, verifier = eid.derived(settings.secret_key, state)
    raw = await oidc.exchange_code(config, code=code, code_verifier=verifier, redirect_uri=REDIRECT_URI)
    return config, raw, nonce


async def test_the_id_token_is_encrypted_signed_and_bound_to_the_nonce(db, oidc_world, browser):
    config, raw, nonce = await _real_id_token(db, oidc_world, browser)
    assert raw.count(".") == 4  # a JWE
    claims = await oidc.verify_id_token(config, raw, nonce=nonce)
    identity = oidc.identity_from(config, claims)
    assert identity.national_id == HETU and identity.issuer == config.issuer and identity.subject == "person-aino"

    with pytest.raises(oidc.OidcError) as wrong_nonce:
        await oidc.verify_id_token(config, raw, nonce="another-sign-ins-nonce")
    assert wrong_nonce.value.reason == "nonce"


async def test_a_tampered_id_token_is_refused(db, oidc_world, browser):
    config, raw, nonce = await _real_id_token(db, oidc_world, browser)
    keys = oidc.platform_keys(config.jwks_file)
    inner = jwe.decrypt_compact(raw, keys.decryption, registry=oidc.JWE_REGISTRY).plaintext
    header, payload, signature = inner.split(b".")
    public_enc = RSAKey.import_key(keys.decryption.keys[0].as_dict(private=False))

    def encrypt(signed: bytes) -> str:
        # Anyone can encrypt to the platform's public key: encryption proves nothing about the sender.
        return jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"}, signed, public_enc,
                                   algorithms=["RSA-OAEP-256", "A256GCM"])

    parts = raw.split(".")
    flipped = parts[3][:-2] + ("A" if parts[3][-2] != "A" else "B") + parts[3][-1]
    decoded = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
    decoded[NATIONAL_ID_CLAIM] = "291292-918R"
    forged_payload = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=")
    stranger = RSAKey.generate_key(2048, parameters={"kid": jws.extract_compact(inner).headers()["kid"], "use": "sig"})
    cases = {
        "ciphertext changed": ".".join([*parts[:3], flipped, parts[4]]),
        "claims changed under the issuer's signature": encrypt(b".".join([header, forged_payload, signature])),
        "signed by another key with the issuer's kid": encrypt(jwt.encode(
            {"alg": "RS256", "kid": stranger.kid}, decoded, stranger).encode()),
        "signature stripped (alg none)": encrypt(unsigned_jwt(decoded).encode()),
        "signed but not encrypted": inner.decode(),
    }
    for name, token in cases.items():
        with pytest.raises(oidc.OidcError) as refused:
            await oidc.verify_id_token(config, token, nonce=nonce)
        assert refused.value.reason == "id_token", name


async def test_the_issuer_rotating_its_keys_is_followed(db, oidc_world, tmp_path):
    """The provider restarts with a new signing key: the platform's cached JWKS does not know its
    kid, so it fetches the JWKS again, once, and the sign-in succeeds."""
    from hb.app import create_app
    from tests.conftest import Lifespan

    rotating = TestProvider(tmp_path, client_id="hb-eid", client_keys=oidc_world["keys"], redirect_uri=REDIRECT_URI)
    rotating.start()
    try:
        await a_client(db.settings)
        rotating.add_person("person-aino", **{NATIONAL_ID_CLAIM: HETU})
        app = create_app(eid_settings(db.settings, oidc_world, rotating), engine=db.engine)
        async with Lifespan(app), await serve(app) as browser:
            assert (await sign_in(browser, "person-aino")).status_code == 303
            meta = await oidc.metadata(oidc.issuer_config(eid_settings(db.settings, oidc_world, rotating), "eid"))
            assert [k.kid for k in oidc._jwks_cache[meta.jwks_uri][1]] == ["op-sig-1"]

            rotating.rotate()
            browser.cookies.clear()
            assert (await sign_in(browser, "person-aino")).status_code == 303
            assert [k.kid for k in oidc._jwks_cache[meta.jwks_uri][1]] == ["op-sig-2"]
    finally:
        rotating.stop()


# --- Staff and the county's password switch ---------------------------------------------------------


async def test_staff_sign_in_with_the_countys_identity_provider_by_verified_e_mail(db, oidc_world, browser):
    refs = (await load(document(counties=[county("org-a")]), db.settings))["refs"]
    counsellor = await person("counsellor", "ohjaaja@keusote.example", organiser_id=refs["org-a"], password=None)
    oidc_world["staff"].add_person("staff-1", email="ohjaaja@keusote.example", email_verified=True, name="Olli")
    oidc_world["staff"].add_person("staff-2", email="ohjaaja@keusote.example", email_verified=False, name="Fake")

    refused = await sign_in(browser, "staff-2", "?as=staff")
    assert refused.status_code == 403 and "hb_session" not in browser.cookies
    done = await sign_in(browser, "staff-1", "?as=staff&next=/counsellor/clients")
    assert done.status_code == 303 and done.headers["location"] == "/counsellor/clients"
    assert (await browser.get("/counsellor/clients")).status_code == 200
    links = await ExternalIdentity.select(ExternalIdentity.user_id, ExternalIdentity.issuer).run()
    assert [(str(r["user_id"]), r["issuer"]) for r in links] == [(counsellor.actor.user_id, oidc_world["staff"].issuer)]


async def test_the_e_id_issuer_does_not_sign_staff_in_by_e_mail(db, oidc_world, browser):
    refs = (await load(document(counties=[county("org-a")]), db.settings))["refs"]
    await person("counsellor", "ohjaaja@keusote.example", organiser_id=refs["org-a"], password=None)
    oidc_world["eid"].add_person("eid-olli", email="ohjaaja@keusote.example", email_verified=True)
    assert (await sign_in(browser, "eid-olli")).status_code == 403


async def test_a_county_turns_password_sign_in_off_for_its_staff(db, oidc_world, browser):
    refs = (await load(document(counties=[county("org-a")]), db.settings))["refs"]
    admin = await person("organiser_admin", "admin@keusote.example", organiser_id=refs["org-a"])
    counsellor = await person("counsellor", "ohjaaja@keusote.example", organiser_id=refs["org-a"])
    oidc_world["staff"].add_person("staff-admin", email="admin@keusote.example", email_verified=True)

    signed_in = await form_post(browser, "/login", {"email": admin.login["email"], "password": PASSWORD, "next": "/"})
    assert signed_in.status_code == 303
    page = await browser.get("/organiser/sign-in")
    assert page.status_code == 200 and 'value="off"' in page.text
    saved = await form_post(browser, "/organiser/sign-in", {"staff_password_login": "off"})
    assert saved.status_code == 303
    assert await AuditEvent.count().where(AuditEvent.action == "organiser.staff_password_login").run() == 1
    browser.cookies.clear()

    refused = await form_post(browser, "/login", {"email": counsellor.login["email"], "password": PASSWORD, "next": "/"})
    assert refused.status_code == 403 and "hb_session" not in browser.cookies
    assert "organisaation omalla tunnistuksella" in refused.text
    assert "/login/eid?as=staff" in refused.text
    # The county's identity provider still signs the admin in.
    assert (await sign_in(browser, "staff-admin", "?as=staff")).status_code == 303
    # Other counties' staff, and the platform admin, keep their passwords.
    platform = await person("platform_admin")
    browser.cookies.clear()
    assert (await form_post(browser, "/login", {"email": platform.login["email"], "password": PASSWORD})).status_code == 303


async def test_a_counsellor_cannot_flip_the_switch(db, oidc_world, browser):
    refs = (await load(document(counties=[county("org-a")]), db.settings))["refs"]
    counsellor = await person("counsellor", organiser_id=refs["org-a"])
    await form_post(browser, "/login", {"email": counsellor.login["email"], "password": PASSWORD})
    assert (await form_post(browser, "/organiser/sign-in", {"staff_password_login": "off"})).status_code == 403


# --- Invitations ----------------------------------------------------------------------------------


async def test_an_invitation_in_the_sign_in_is_handed_to_the_invitations_service(db, oidc_world, browser):
    """The route's half of accepting an invitation by e-ID: the token, bound to the sign-in, reaches
    ``accept_invitation`` with the verified identity, and its account is signed in. (The
    invitations service itself, voucher.invitations.accept, is wired in by hb.wiring.)"""
    received = []

    async def accept(token, *, identity, settings):
        received.append((token, identity.national_id))
        user_id = await create_user(
            email=f"{uuid.uuid4().hex[:8]}@invited.example", display_name="Kutsuttu", role="proxy")
        await eid.link(settings, user_id, identity)
        return user_id

    wired = eid.accounts()
    eid.install(eid.EidAccounts(client_account=wired.client_account, staff_password_login=wired.staff_password_login,
                                accept_invitation=accept))
    try:
        oidc_world["eid"].add_person("person-omainen", **{NATIONAL_ID_CLAIM: "010280-952L"})
        # Swapping the invitation in the cookie for another token is refused before anything is accepted.
        location = await start(browser, "?invitation=the-real-token")
        state = browser.cookies["hb_eid"].split(".")[0]
        browser.cookies.set("hb_eid", state + ".another-token", domain="testserver.local", path="/login/eid")
        callback = await authenticate(location, "person-omainen", BASE_URL)
        assert (await browser.get(path_of(callback))).status_code == 400
        assert received == []

        done = await sign_in(browser, "person-omainen", "?invitation=the-real-token")
        assert done.status_code == 303 and "hb_session" in browser.cookies
        assert received == [("the-real-token", "010280-952L")]

        # The same e-ID cannot take a second invitation: it already signs in to an account.
        browser.cookies.clear()
        before = await counts()
        again = await sign_in(browser, "person-omainen", "?invitation=another-invitation")
        assert again.status_code == 409 and len(received) == 1
        assert await counts() == before
    finally:
        eid.install(wired)


async def test_an_invitation_is_refused_while_no_invitations_service_is_wired(db, oidc_world, browser):
    wired = eid.accounts()
    eid.install(eid.EidAccounts(client_account=wired.client_account, staff_password_login=wired.staff_password_login))
    try:
        oidc_world["eid"].add_person("person-x", **{NATIONAL_ID_CLAIM: "010280-952L"})
        before = await counts()
        assert (await sign_in(browser, "person-x", "?invitation=tok")).status_code == 404
        assert await counts() == before
    finally:
        eid.install(wired)


# --- Not configured ----------------------------------------------------------------------------------


async def test_without_e_id_settings_there_is_no_button_and_no_route(client):
    login = await client.get("/login")
    assert login.status_code == 200 and "/login/eid" not in login.text
    assert (await client.get("/login/eid")).status_code == 404


async def test_with_e_id_settings_the_sign_in_page_offers_both_ways(browser):
    login = await browser.get("/login")
    assert 'href="/login/eid?next=/"' in login.text.replace("%2F", "/")
    assert "/login/eid?as=staff" in login.text



# --- Invitations, as wired by hb -------------------------------------------------------------------


async def test_a_client_invited_by_the_counsellor_takes_the_invitation_with_e_id_either_way(db, oidc_world, browser):
    """The invitations service behind the sign-in (hb.wiring): a client follows the invitation's link
    and identifies, or identifies straight away and the pending invitation is found by the identity
    number; either way one account, linked, signed in. A stranger's e-ID cannot take the link."""
    from voucher import invitations

    settings = eid_settings(db.settings, oidc_world)
    refs = (await load(document(counties=[county("org-a")]), settings))["refs"]
    counsellor = await person("counsellor", organiser_id=refs["org-a"], password=None)
    clients = []
    for name, hetu in (("Asiakas 0101", "131052-308T"), ("Asiakas 0102", "010594Y9032")):
        made = await budgets.create_client(counsellor.actor, ClientCreate(
            display_name=name, client_group="older_people", national_id=hetu), settings.secret_key)
        clients.append(made.id)
    link = await invitations.invite(counsellor.actor, invitations.InvitationCreate(
        email="aino@kutsu.example", role="client", client_id=clients[0]), settings=settings)
    await invitations.invite(counsellor.actor, invitations.InvitationCreate(
        email="bertta@kutsu.example", role="client", client_id=clients[1]), settings=settings)
    oidc_world["eid"].add_person("person-aino-k", **{NATIONAL_ID_CLAIM: "131052-308T"})
    oidc_world["eid"].add_person("person-bertta-k", **{NATIONAL_ID_CLAIM: "010594Y9032"})
    oidc_world["eid"].add_person("person-vieras-k", **{NATIONAL_ID_CLAIM: "290877-1639"})

    before = await counts()
    stranger = await sign_in(browser, "person-vieras-k", f"?invitation={link.token}")
    assert stranger.status_code == 403 and await counts() == before  # not the invited client's e-ID

    browser.cookies.clear()
    done = await sign_in(browser, "person-aino-k", f"?invitation={link.token}")
    assert done.status_code == 303 and "hb_session" in browser.cookies
    aino = await User.select().where(User.email == "aino@kutsu.example").first().run()
    assert aino["role"] == "client" and str(aino["client_id"]) == clients[0] and aino["password_hash"] is None

    browser.cookies.clear()
    straight = await sign_in(browser, "person-bertta-k")  # no link followed: found by the identity number
    assert straight.status_code == 303 and straight.headers["location"] == "/client"
    bertta = await User.select().where(User.email == "bertta@kutsu.example").first().run()
    assert str(bertta["client_id"]) == clients[1]
    assert await ExternalIdentity.count().run() == before["links"] + 2
