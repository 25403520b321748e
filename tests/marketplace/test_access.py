"""Who may do what in the marketplace (issue 2, acceptance 4)."""

import uuid

import pytest

from marketplace.tables import Listing, ListingReview, Provider, ProviderApproval
from tests.helpers import form_post, login, logout
from tests.world import listing_body, make_user, registration, seed_catalogue

# Routes anyone may use without signing in.
PUBLIC = {
    ("GET", "/health"), ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("POST", "/logout"),
    ("GET", "/providers/register"), ("POST", "/providers/register"), ("POST", "/api/v1/providers"),
    ("GET", "/api/v1/organisers"), ("GET", "/api/v1/categories"),
    ("GET", "/search"), ("GET", "/api/v1/search/listings"), ("GET", "/listings/{listing_id:str}"),
    ("POST", "/webhooks/stripe"),
    ("GET", "/password/forgot"), ("POST", "/password/forgot"), ("GET", "/password/reset"), ("POST", "/password/reset"),
    ("GET", "/login/eid"), ("GET", "/login/eid/callback"),
    # Accepting an invitation: the link's token is the credential (tests/hardening/test_invitations.py).
    ("POST", "/api/v1/invitations/{token:str}/accept"), ("GET", "/invitations/{token:str}"),
    ("POST", "/invitations/{token:str}"),
    # The guidance for clients and providers (issue 17): how HB works, before anyone has an account.
    ("GET", "/guide/client"), ("GET", "/guide/provider"),
    # Prometheus metrics: the scraper's, checked by its own token or network (tests/core/test_metrics.py).
    ("GET", "/metrics"),
}


async def _two_providers(client, refs):
    a = registration(refs)
    b = registration(refs, name="Taidepaja Väri", business_id="9603082-8", iban="FI3317877893287921",
                     email="vari@taide.example", categories=["culture-art"],
                     evidence={"prepayment_register": {"provided": True, "detail": "rekisterissä"}})
    ids = []
    for body in (a, b):
        r = await client.post("/api/v1/providers", json=body)
        assert r.status_code == 201, r.text
        ids.append(r.json())
    return ids, a, b


async def test_a_provider_cannot_read_or_change_another_providers_data(client, db):
    refs = await seed_catalogue()
    (prov_a, prov_b), a, b = await _two_providers(client, refs)
    await login(client, {"email": b["email"], "password": b["password"]})
    listing_b = (await client.post("/api/v1/listings", json=listing_body(category="culture-art", title={"fi": "Maalauskurssi"},
                                                                         municipality="Tuusula"))).json()
    await login(client, {"email": a["email"], "password": a["password"]})
    assert (await client.get(f"/api/v1/providers/{prov_b['id']}")).status_code == 403
    r = await client.patch(f"/api/v1/providers/{prov_b['id']}", json={"iban": "FI2112345600000785"})
    assert r.status_code == 403
    assert (await client.get(f"/api/v1/listings/{listing_b['id']}")).status_code == 403
    assert (await client.patch(f"/api/v1/listings/{listing_b['id']}", json={"price_cents": 1})).status_code == 403
    assert (await client.post(f"/api/v1/listings/{listing_b['id']}/submit", json={})).status_code == 403
    assert (await client.get(f"/api/v1/providers/{prov_b['id']}/listings")).status_code == 403
    assert (await client.get(f"/api/v1/providers/{prov_b['id']}/api-keys")).status_code == 403
    assert (await client.post(f"/api/v1/providers/{prov_b['id']}/api-keys", json={"label": "x"})).status_code == 403
    # Creating a listing "for" another provider is refused too.
    r = await client.post("/api/v1/listings", json=listing_body(provider_id=prov_b["id"]))
    assert r.status_code == 403
    # Web pages: another provider's listing form.
    assert (await client.get(f"/provider/listings/{listing_b['id']}")).status_code == 403
    row = await Provider.select(Provider.iban).where(Provider.id == prov_b["id"]).first().run()
    assert row["iban"] == "FI3317877893287921"
    assert (await Listing.select(Listing.price_cents).where(Listing.id == listing_b["id"]).first().run())["price_cents"] == 7500


async def test_api_keys_authenticate_only_their_own_provider(client, db):
    refs = await seed_catalogue()
    (prov_a, prov_b), a, b = await _two_providers(client, refs)
    await login(client, {"email": a["email"], "password": a["password"]})
    created = (await client.post(f"/api/v1/providers/{prov_a['id']}/api-keys", json={"label": "kassa"})).json()
    listed = (await client.get(f"/api/v1/providers/{prov_a['id']}/api-keys")).json()
    assert created["key"] not in str(listed)  # shown once, never listed
    await logout(client)
    client.cookies.clear()
    assert created["scopes"] == ["terminal"] and listed[0]["scopes"] == ["terminal"]
    headers = {"authorization": f"Bearer {created['key']}"}
    payment = "/api/v1/authorizations/00000000-0000-4000-8000-000000000000"
    assert (await client.get(payment, headers=headers)).status_code == 404  # a known key; no such payment
    # A terminal's key is for the card payment API only: not even its own provider's profile or keys.
    assert (await client.get(f"/api/v1/providers/{prov_a['id']}", headers=headers)).status_code == 403
    assert (await client.get(f"/api/v1/providers/{prov_b['id']}", headers=headers)).status_code == 403
    r = await client.delete(f"/api/v1/providers/{prov_a['id']}/api-keys/{created['id']}", headers=headers)
    assert r.status_code == 403
    await login(client, {"email": a["email"], "password": a["password"]})
    r = await client.delete(f"/api/v1/providers/{prov_a['id']}/api-keys/{created['id']}",
                            headers={"content-type": "application/json"})
    assert r.status_code == 204
    await logout(client)
    client.cookies.clear()
    assert (await client.get(payment, headers=headers)).status_code == 401
    wrong = {"authorization": "Bearer hbk_not-a-real-key"}
    assert (await client.get(payment, headers=wrong)).status_code == 401


@pytest.mark.parametrize("role", ["provider_staff", "counsellor", "platform_admin", "client", "other_organiser_admin"])
async def test_only_the_organisers_own_admin_decides(client, db, role):
    refs = await seed_catalogue()
    (prov_a, _), a, _ = await _two_providers(client, refs)
    await login(client, {"email": a["email"], "password": a["password"]})
    listing = (await client.post("/api/v1/listings", json=listing_body())).json()
    await client.post(f"/api/v1/listings/{listing['id']}/submit", json={})
    approval_id = prov_a["approvals"][0]["id"]
    review = await ListingReview.select(ListingReview.id).first().run()
    if role == "other_organiser_admin":
        user = await make_user("organiser_admin", email="muu@test.example", organiser_id=refs["org-b"])
    elif role == "provider_staff":
        user = {"email": a["email"], "password": a["password"]}
    else:
        user = await make_user(role, email=f"{role}@test.example", organiser_id=refs["org-a"] if role == "counsellor" else None)
    await login(client, user)
    r = await client.post(f"/api/v1/provider-approvals/{approval_id}/decision", json={"action": "approve"})
    assert r.status_code == 403
    r = await client.post(f"/api/v1/listing-reviews/{review['id']}/decision", json={"action": "approve"})
    assert r.status_code == 403
    assert (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).status_code == 403
    page = await form_post(client, f"/organiser/reviews/provider/{approval_id}", {"action": "approve"})
    assert page.status_code == 403
    own_queue = await client.get("/organiser/reviews")
    if role == "other_organiser_admin":
        assert own_queue.status_code == 200 and "Talli Kavio Oy" not in own_queue.text  # their own county's queue only
    else:
        assert own_queue.status_code == 403
    statuses = {r["status"] for r in await ProviderApproval.select(ProviderApproval.status).run()}
    assert statuses == {"pending"}
    assert {r["status"] for r in await ListingReview.select(ListingReview.status).run()} == {"pending"}


def _concrete(path: str) -> str:
    out = []
    for part in path.split("/"):
        out.append(str(uuid.uuid4()) if part.startswith("{") else part)
    return "/".join(out)


async def test_anonymous_users_reach_no_private_page_or_endpoint(client, app, db):
    await seed_catalogue()
    checked = 0
    for route in app.routes:
        for method in sorted(getattr(route, "methods", set()) - {"HEAD", "OPTIONS"}):
            if (method, route.path) in PUBLIC or route.path.startswith(("/static", "/schema")):
                continue
            path = _concrete(route.path)
            if method == "GET":
                r = await client.get(path)
            else:
                r = await client.request(method, path, json={})
            checked += 1
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login"), (method, route.path)
            else:
                assert r.status_code in (401, 403), (method, route.path, r.status_code, r.text[:200])
            # Pages ask the visitor to sign in; form posts without the form's check code are refused.
            if method != "GET" and not path.startswith("/api/"):
                r = await form_post(client, path, {})
                assert r.status_code in (303, 401, 403), (method, route.path, r.status_code)
                if r.status_code == 303:
                    assert r.headers["location"].startswith("/login")
    assert checked >= 20
