"""Provider onboarding, listings and organiser approval through the JSON API."""

from core.tables import AuditEvent
from marketplace.tables import Listing, ListingRevision, Provider, ProviderApproval
from tests.helpers import login
from tests.world import listing_body, make_user, registration, seed_catalogue


async def _register_and_login(client, refs, **overrides):
    body = registration(refs, **overrides)
    response = await client.post("/api/v1/providers", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    await login(client, {"email": body["email"], "password": body["password"]})
    return created


async def _organiser_admin(refs, org="org-a", email=None):
    return await make_user("organiser_admin", email=email or f"admin-{org}@test.example", organiser_id=refs[org])


async def test_registration_creates_pending_approval_per_organiser(client, db):
    refs = await seed_catalogue()
    created = await _register_and_login(client, refs, organisers=[refs["org-a"], refs["org-b"]])
    assert {a["status"] for a in created["approvals"]} == {"pending"}
    assert len(created["approvals"]) == 2
    me = (await client.get(f"/api/v1/providers/{created['id']}")).json()
    assert me["iban"] == "FI2112345600000785"
    assert me["business_id"] == "1572860-0"
    assert me["evidence"]["liability_insurance"]["provided"] is True


async def test_registration_errors_name_fields_in_users_language_and_write_nothing(client, db):
    refs = await seed_catalogue()
    bad = registration(refs, business_id="1572860-1", iban="FI21 1234 5600 0007 86", email="not-an-email",
                       evidence={"prepayment_register": {"provided": True, "detail": "kyllä"}})
    response = await client.post("/api/v1/providers", json=bad, headers={"accept-language": "sv"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert set(fields) >= {"business_id", "iban", "email", "evidence.liability_insurance"}
    assert "FO-numret" in fields["business_id"]
    finnish = await client.post("/api/v1/providers", json=bad)
    assert "Y-tunnus" in {e["field"]: e["message"] for e in finnish.json()["errors"]}["business_id"]
    assert await Provider.count().run() == 0
    assert await ProviderApproval.count().run() == 0


async def test_malformed_json_and_wrong_types_are_400_naming_the_field(client, db):
    refs = await seed_catalogue()
    response = await client.post("/api/v1/providers", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    wrong_type = registration(refs, languages="fi")
    response = await client.post("/api/v1/providers", json=wrong_type)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "languages"
    unknown = registration(refs, bogus=1)
    response = await client.post("/api/v1/providers", json=unknown)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "bogus"
    assert await Provider.count().run() == 0


async def test_listing_lifecycle_change_request_resubmit_approve(client, db):
    refs = await seed_catalogue()
    provider = await _register_and_login(client, refs)
    response = await client.post("/api/v1/listings", json=listing_body())
    assert response.status_code == 201, response.text
    listing = response.json()
    assert listing["status"] == "draft"
    submitted = (await client.post(f"/api/v1/listings/{listing['id']}/submit", json={})).json()
    assert submitted["status"] == "submitted"

    admin = await _organiser_admin(refs)
    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).json()
    assert [i["kind"] for i in queue["items"]] == ["provider", "listing"]  # oldest first
    review_id = queue["items"][1]["id"]
    no_reason = await client.post(f"/api/v1/listing-reviews/{review_id}/decision", json={"action": "request_changes"})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    r = await client.post(f"/api/v1/listing-reviews/{review_id}/decision",
                          json={"action": "request_changes", "reason": "Lisää tieto avustajasta."})
    assert r.json() == {"status": "changes_requested"}
    again = await client.post(f"/api/v1/listing-reviews/{review_id}/decision", json={"action": "approve"})
    assert again.status_code == 409

    await login(client, {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"})
    seen = (await client.get(f"/api/v1/listings/{listing['id']}")).json()
    assert seen["status"] == "changes_requested"
    assert seen["approvals"][0]["reason"] == "Lisää tieto avustajasta."
    # The provider is told, in the app (and by e-mail), what was decided and why.
    told = await client.get("/notifications")
    assert "palvelu Ratsastusterapia – muutoksia pyydetty" in told.text and "Perustelu: Lisää tieto avustajasta." in told.text
    edited = await client.patch(f"/api/v1/listings/{listing['id']}",
                                json={"description": {"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min. Avustaja mukana."}})
    assert edited.status_code == 200
    resubmitted = (await client.post(f"/api/v1/listings/{listing['id']}/submit", json={})).json()
    assert resubmitted["status"] == "submitted" and resubmitted["revision"] == 2

    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue?kind=listing")).json()
    assert len(queue["items"]) == 1
    r = await client.post(f"/api/v1/listing-reviews/{queue['items'][0]['id']}/decision", json={"action": "approve"})
    assert r.json() == {"status": "approved"}
    approval_id = provider["approvals"][0]["id"]
    r = await client.post(f"/api/v1/provider-approvals/{approval_id}/decision", json={"action": "approve"})
    assert r.json() == {"status": "approved"}

    await login(client, {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"})
    final = (await client.get(f"/api/v1/listings/{listing['id']}")).json()
    told = (await client.get("/notifications")).text
    assert "palveluntuottaja Talli Kavio Oy – hyväksytty" in told and "palvelu Ratsastusterapia – hyväksytty" in told
    assert final["status"] == "approved"
    assert final["approvals"][0]["status"] == "approved" and final["approvals"][0]["live_revision"] == 2
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.at).run()]
    assert "listing_review.request_changes" in actions and "listing_review.approve" in actions
    decision = await AuditEvent.select().where(AuditEvent.action == "listing_review.request_changes").first().run()
    assert decision["actor_user_id"] is not None and decision["reason"] == "Lisää tieto avustajasta."


async def test_change_to_approved_listing_waits_for_review_while_approved_version_stays_live(client, db):
    from marketplace import catalogue

    refs = await seed_catalogue()
    await _register_and_login(client, refs)
    listing = (await client.post("/api/v1/listings", json=listing_body())).json()
    await client.post(f"/api/v1/listings/{listing['id']}/submit", json={})
    admin = await _organiser_admin(refs)
    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).json()
    for item in queue["items"]:
        path = "provider-approvals" if item["kind"] == "provider" else "listing-reviews"
        await client.post(f"/api/v1/{path}/{item['id']}/decision", json={"action": "approve"})
    live = await catalogue.live_listing(listing["id"], refs["org-a"])
    assert live["price_cents"] == 7500

    await login(client, {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"})
    changed = (await client.patch(f"/api/v1/listings/{listing['id']}", json={"price_cents": 9900})).json()
    assert changed["status"] == "submitted"
    assert changed["approvals"][0]["live_revision"] == 1 and changed["approvals"][0]["pending_revision"] == 2
    live = await catalogue.live_listing(listing["id"], refs["org-a"])
    assert live["price_cents"] == 7500  # the approved version is still what clients see and pay

    capacity_only = (await client.patch(f"/api/v1/listings/{listing['id']}", json={"capacity": 5})).json()
    assert capacity_only["capacity"] == 5 and capacity_only["revision"] == 2

    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue?kind=listing")).json()
    assert queue["items"][0]["is_change"] is True
    await client.post(f"/api/v1/listing-reviews/{queue['items'][0]['id']}/decision",
                      json={"action": "reject", "reason": "Hinnankorotus on liian suuri."})
    live = await catalogue.live_listing(listing["id"], refs["org-a"])
    assert live["price_cents"] == 7500  # a refused change leaves the approved version live
    assert await ListingRevision.count().run() == 2


async def test_suspension_takes_effect_immediately_and_illegal_transitions_are_refused(client, db):
    from marketplace import catalogue

    refs = await seed_catalogue()
    provider = await _register_and_login(client, refs, organisers=[refs["org-a"], refs["org-b"]])
    listing = (await client.post("/api/v1/listings", json=listing_body())).json()
    await client.post(f"/api/v1/listings/{listing['id']}/submit", json={})
    admin = await _organiser_admin(refs)
    await login(client, admin)
    approvals = {a["organiser_id"]: a["id"] for a in provider["approvals"]}
    suspend_pending = await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-a']]}/decision",
                                        json={"action": "suspend", "reason": "x"})
    assert suspend_pending.status_code == 409
    await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-a']]}/decision", json={"action": "approve"})
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue?kind=listing")).json()
    await client.post(f"/api/v1/listing-reviews/{queue['items'][0]['id']}/decision", json={"action": "approve"})
    assert await catalogue.live_listing(listing["id"], refs["org-a"]) is not None
    # Approved by one county, still pending in the other.
    assert await catalogue.provider_standing(provider["id"], refs["org-b"]) == "pending"
    assert await catalogue.live_listing(listing["id"], refs["org-b"]) is None

    other = await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-b']]}/decision", json={"action": "approve"})
    assert other.status_code == 403  # only the organiser's own admin decides

    r = await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-a']]}/decision",
                          json={"action": "suspend", "reason": "Vakuutus päättynyt."})
    assert r.json() == {"status": "suspended"}
    assert await catalogue.live_listing(listing["id"], refs["org-a"]) is None
    assert await catalogue.provider_standing(provider["id"], refs["org-a"]) == "suspended"
    bogus = await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-a']]}/decision", json={"action": "explode"})
    assert bogus.status_code == 400 and bogus.json()["errors"][0]["field"] == "action"
    r = await client.post(f"/api/v1/provider-approvals/{approvals[refs['org-a']]}/decision", json={"action": "reinstate"})
    assert r.json() == {"status": "approved"}
    assert await catalogue.live_listing(listing["id"], refs["org-a"]) is not None


async def test_listing_validation_names_fields_and_writes_nothing(client, db):
    refs = await seed_catalogue()
    await _register_and_login(client, refs)
    bad = listing_body(category="transport", price_cents=-5, unit="minute", title={"fi": ""}, capacity=0)
    response = await client.post("/api/v1/listings", json=bad)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields >= {"category", "price_cents", "unit", "title.fi", "capacity"}
    assert await Listing.count().run() == 0
    huge = listing_body(price_cents=10**15)
    assert (await client.post("/api/v1/listings", json=huge)).status_code == 400
    float_price = listing_body(price_cents=75.5)
    r = await client.post("/api/v1/listings", json=float_price)
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "price_cents"
    assert await Listing.count().run() == 0


async def test_iban_change_is_stamped_for_payout_checks(client, db):
    refs = await seed_catalogue()
    provider = await _register_and_login(client, refs)
    r = await client.patch(f"/api/v1/providers/{provider['id']}", json={"iban": "FI49 5000 9420 0287 30"})
    assert r.status_code == 200, r.text
    row = await Provider.select(Provider.iban, Provider.iban_changed_at).first().run()
    assert row["iban"] == "FI4950009420028730" and row["iban_changed_at"] is not None
    bad = await client.patch(f"/api/v1/providers/{provider['id']}", json={"iban": "FI00 1234"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "iban"
