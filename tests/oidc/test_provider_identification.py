"""Issue 18 / decision 0036: the person behind a light entrepreneur or a private person identifies
with strong e-ID through the real test OpenID provider, signed in to their provider account
(``/login/eid?as=identify``); the provider gets ``identified_with_eid_at`` and only then can the
organiser approve it; afterwards the person can sign in with e-ID alone. A company's staff, an
anonymous visitor, another session and an e-ID already linked to another account are refused and
nothing is kept. SQLite and PostgreSQL."""

import httpx

from core import identity
from core.tables import AuditEvent, ExternalIdentity, OidcLogin
from marketplace.tables import Provider
from tests.helpers import login
from tests.oidc.conftest import BASE_URL
from tests.oidc.harness import NATIONAL_ID_CLAIM, authenticate, path_of
from tests.oidc.test_eid_sign_in import refusals, serve, sign_in, start
from tests.world import make_user, registration, seed_catalogue

LIGHT = {"kind": "light_entrepreneur", "business_id": "", "iban": "FI33 1787 7893 2879 21",
         "invoicing_service_name": "Laskutuspalvelu Ukko", "payment_reference": "1232"}
HETU = "131052-308T"


async def _registered(browser, refs, **kind) -> tuple[str, str]:
    """A provider registered through the API with its staff account; (provider id, staff user id)."""
    body = registration(refs, **kind)
    made = await browser.post("/api/v1/providers", json=body)
    assert made.status_code == 201, made.text
    user = await identity.account_by_email(body["email"])
    return made.json()["id"], str(user.id)


async def _as(browser, user_id: str) -> None:
    browser.cookies.clear()
    browser.cookies.set(identity.SESSION_COOKIE, await identity.start_session(user_id, 1), domain="testserver.local")


async def _identify(browser, person: str) -> httpx.Response:
    callback = await authenticate(await start(browser, "?as=identify&next=/provider%3Fidentified%3D1"), person, BASE_URL)
    return await browser.get(path_of(callback))


async def _stamp(provider_id: str):
    row = await Provider.select(Provider.identified_with_eid_at).where(Provider.id == provider_id).first().run()
    return row["identified_with_eid_at"]


async def test_a_light_entrepreneur_identifies_is_approved_and_then_signs_in_with_e_id(db, oidc_world, browser):
    refs = await seed_catalogue()
    provider_id, staff_id = await _registered(browser, refs, email="ukko@example.test", name="Ukko Ratsastaja", **LIGHT)
    oidc_world["eid"].add_person("person-ukko", **{NATIONAL_ID_CLAIM: HETU, "name": "Ukko Ratsastaja"})

    # The organiser cannot approve the person before the identification.
    admin = await make_user("organiser_admin", email="admin@test.example", organiser_id=refs["org-a"])
    await login(browser, admin)
    [item] = (await browser.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).json()["items"]
    early = await browser.post(f"/api/v1/provider-approvals/{item['id']}/decision", json={"action": "approve"})
    assert early.status_code == 409 and early.json()["field"] == "identified_with_eid_at"

    # Signed in with the password, the person sees why and identifies.
    await _as(browser, staff_id)
    home = await browser.get("/provider")
    assert "Tunnistaudu vahvasti" in home.text and "/login/eid?as=identify" in home.text
    done = await _identify(browser, "person-ukko")
    assert done.status_code == 303 and done.headers["location"] == "/provider?identified=1"
    assert await _stamp(provider_id) is not None
    assert [str(r["user_id"]) for r in await ExternalIdentity.select().run()] == [staff_id]
    home = await browser.get("/provider?identified=1")
    assert "Tunnistettu vahvasti" in home.text and "Tunnistaudu vahvasti</a>" not in home.text
    actions = {r["action"] for r in await AuditEvent.select(AuditEvent.action).run()}
    assert {"eid.linked", "eid.identified", "provider.identified_with_eid"} <= actions
    assert HETU not in str(await AuditEvent.select().run())  # the identity number is stored nowhere

    # Now the organiser can approve, and the review page shows the identification's date.
    await login(browser, admin)
    review = await browser.get(f"/organiser/reviews/provider/{item['id']}")
    assert "Ei vielä tunnistettu" not in review.text
    approved = await browser.post(f"/api/v1/provider-approvals/{item['id']}/decision", json={"action": "approve"})
    assert approved.status_code == 200, approved.text

    # Later the person signs in with e-ID alone: the linked account, a provider's staff.
    browser.cookies.clear()
    again = await sign_in(browser, "person-ukko", "?next=/provider")
    assert again.status_code == 303 and again.headers["location"] == "/provider"
    assert (await browser.get("/provider")).status_code == 200


async def test_a_company_has_nothing_to_identify_and_nothing_is_kept(db, oidc_world, browser):
    refs = await seed_catalogue()
    provider_id, staff_id = await _registered(browser, refs)
    oidc_world["eid"].add_person("person-yritys", **{NATIONAL_ID_CLAIM: "010101A123N", "name": "Yrittäjä"})
    await _as(browser, staff_id)
    assert "as=identify" not in (await browser.get("/provider")).text

    refused = await _identify(browser, "person-yritys")

    assert refused.status_code == 409 and "kevytyrittäjiä" in refused.text
    assert await _stamp(provider_id) is None and await ExternalIdentity.count().run() == 0
    assert await refusals("identify") == 1


async def test_only_a_signed_in_providers_staff_may_start_and_only_its_session_may_finish(db, oidc_world, browser, eid_app):
    refs = await seed_catalogue()
    provider_id, staff_id = await _registered(browser, refs, email="ukko@example.test", name="Ukko Ratsastaja", **LIGHT)
    oidc_world["eid"].add_person("person-ukko2", **{NATIONAL_ID_CLAIM: HETU, "name": "Ukko Ratsastaja"})
    browser.cookies.clear()
    anonymous = await browser.get("/login/eid?as=identify")
    assert anonymous.status_code == 403
    counsellor = await make_user("counsellor", email="ohjaaja@test.example", organiser_id=refs["org-a"])
    await _as(browser, counsellor["id"])
    assert (await browser.get("/login/eid?as=identify")).status_code == 403

    # Begun in the provider's session, finished in another person's: refused, nothing kept.
    await _as(browser, staff_id)
    provider_url = await start(browser, "?as=identify")
    callback = await authenticate(provider_url, "person-ukko2", BASE_URL)
    other_id = await identity.create_user(email="toinen@example.test", display_name="Toinen", role="provider_staff",
                                          password=None, provider_id=provider_id)
    state_cookie = browser.cookies.get("hb_eid")
    async with await serve(eid_app) as other:
        other.cookies.set(identity.SESSION_COOKIE, await identity.start_session(other_id, 1), domain="testserver.local")
        other.cookies.set("hb_eid", state_cookie, domain="testserver.local", path="/login/eid")
        refused = await other.get(path_of(callback))
    assert refused.status_code == 400
    # It was the binding that refused: the state matched its cookie and was claimed (used up).
    assert await OidcLogin.count().where(OidcLogin.used_at.is_not_null()).run() == 1
    assert await _stamp(provider_id) is None and await ExternalIdentity.count().run() == 0


async def test_an_e_id_linked_to_another_account_is_not_taken_over(db, oidc_world, browser):
    refs = await seed_catalogue()
    provider_id, staff_id = await _registered(browser, refs, email="ukko@example.test", name="Ukko Ratsastaja", **LIGHT)
    oidc_world["eid"].add_person("person-ukko3", **{NATIONAL_ID_CLAIM: HETU, "name": "Ukko Ratsastaja"})
    # The same person first identified for another account (say, a second provider of theirs).
    _other_provider, other_id = await _registered(browser, refs, email="ukko2@example.test", name="Ukko Toinen",
                                                  **{**LIGHT, "payment_reference": "12345672"})
    await _as(browser, other_id)
    assert (await _identify(browser, "person-ukko3")).status_code == 303

    await _as(browser, staff_id)
    refused = await _identify(browser, "person-ukko3")

    assert refused.status_code == 409 and "toiseen tiliin" in refused.text
    assert await _stamp(provider_id) is None
    assert [str(r["user_id"]) for r in await ExternalIdentity.select().run()] == [other_id]
