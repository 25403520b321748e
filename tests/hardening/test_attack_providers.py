"""Issue 12, findings 4 and 9: what a provider's own staff (and an anonymous registrant) could do
to the marketplace's review.

4. Staff widened their own categories with ``PATCH /api/v1/providers/{id}`` and were paid at once
   from a client's line of the new category. A new category is now an application to each
   organiser, unusable (payment, listing, search) until that organiser approves it; changed
   evidence goes to the organiser's review while the approved service runs on.
9. ``POST /api/v1/providers`` (and the registration page) told whether an e-mail had an account.
   Now the answer is the same either way and the account holder is told by e-mail.
"""


import msgspec

from core.tables import AuditEvent, User
from marketplace import catalogue, notifications
from marketplace.booking.tables import Notification
from marketplace.tables import Organiser, Provider, ProviderApproval, ProviderCategoryApproval
from tests.helpers import form_post, login, logout
from tests.voucher.vhelpers import NOW, make_world
from tests.world import make_user, open_amount, registration, seed_catalogue
from voucher.schemas import LineInput

TRANSPORT_ONLY = [LineInput(category="transport", amount_cents=120000)]


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


async def _pay(client, w, **body) -> dict:
    r = await client.post("/api/v1/authorizations", json={"card_token": w.token, "amount_cents": 3000, **body},
                          headers=bearer(w.provider_key))
    assert r.status_code == 201, r.text
    return r.json()


async def _staff_and_admin(w) -> tuple[dict, dict]:
    staff = await make_user("provider_staff", email="talli@tuulenpesa.example", provider_id=w.provider_id)
    admin = await make_user("organiser_admin", email="arvioija@keusote.example", organiser_id=w.organiser_id)
    return staff, admin


async def _queue(client, w, kind: str | None = None) -> list[dict]:
    query = f"?kind={kind}" if kind else ""
    r = await client.get(f"/api/v1/organisers/{w.organiser_id}/review-queue{query}")
    assert r.status_code == 200, r.text
    return r.json()["items"]


# ----- finding 4 -----------------------------------------------------------------------------------


async def test_finding4_patch_with_an_extra_category_is_an_application_not_a_right_to_be_paid(app, client, db):
    """The exact reproduction: an approved riding stable's staff add "transport" to the profile;
    its terminal then charges a client whose only line is transport. Declined until the organiser
    approves the application from its review queue (page), then approved."""
    app.state.clock = lambda: NOW
    # The county lets a taxi ride be paid without a listing (transport is "open amount", up to 50 €).
    w = await make_world(db.settings.secret_key, lines=TRANSPORT_ONLY,
                         card_rules={"open_amount": open_amount(transport=5_000)})
    staff, admin = await _staff_and_admin(w)
    assert (await _pay(client, w))["decline_code"] == "category_not_in_plan"  # riding is all it may sell

    await login(client, staff)
    r = await client.patch(f"/api/v1/providers/{w.provider_id}", json={
        "categories": ["sport-riding", "transport"],
        "evidence": {"taxi_licence": {"provided": True, "detail": "Oma ilmoitus: lupa on"}}})
    assert r.status_code == 200, r.text
    await logout(client)
    declined = await _pay(client, w, description="taksimatka")
    assert declined["status"] == "declined" and declined["decline_code"] == "category_not_in_plan"

    approval = r.json()["approvals"][0]
    assert approval["status"] == "approved"  # the approval itself still stands for riding
    assert {c["category"]: c["status"] for c in approval["categories"]} == {"sport-riding": "approved",
                                                                            "transport": "pending"}
    await login(client, staff)
    home = await client.get("/provider")
    assert "transport: <span class=\"badge badge-pending\">Odottaa käsittelyä</span>" in home.text

    await login(client, admin)
    items = [i for i in await _queue(client, w) if i["kind"] == "category"]
    assert [(i["provider_id"], i["category"], i["status"]) for i in items] == [(w.provider_id, "transport", "pending")]
    assert [i["id"] for i in await _queue(client, w, "category")] == [items[0]["id"]]
    page = await client.get("/organiser/reviews")
    assert "Palveluluokkahakemus" in page.text and f"/organiser/reviews/category/{items[0]['id']}" in page.text
    review = await client.get(f"/organiser/reviews/category/{items[0]['id']}?lang=sv")
    assert review.status_code == 200 and "Ansökan om tjänstekategori" in review.text
    r = await form_post(client, f"/organiser/reviews/category/{items[0]['id']}", {"action": "approve"})
    assert r.status_code == 303, r.text[:500]
    assert await _queue(client, w, "category") == []
    decision = await AuditEvent.select().where(AuditEvent.action == "provider_category.approve").first().run()
    assert decision["actor_user_id"] is not None and decision["subject_id"] == w.provider_id
    await logout(client)

    paid = await _pay(client, w, description="taksimatka")
    assert paid["status"] == "approved", paid


async def test_finding4_a_listing_in_a_category_not_yet_approved_is_neither_found_nor_paid(app, client, db):
    """The listing path: the organiser approves a transport listing's content, but the listing
    stays out of search, bookings and payments until the transport category itself is approved."""
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key, lines=TRANSPORT_ONLY)
    staff, admin = await _staff_and_admin(w)
    await login(client, staff)
    await client.patch(f"/api/v1/providers/{w.provider_id}", json={"categories": ["sport-riding", "transport"]})
    created = await client.post("/api/v1/listings", json={
        "category": "transport", "title": {"fi": "Invataksi"}, "description": {"fi": "Pyörätuolitaksi"},
        "price_cents": 3000, "unit": "session", "delivery_mode": "at_client_home", "municipality": "Tuusula",
        "languages": ["fi"]})
    assert created.status_code == 201, created.text
    listing_id = created.json()["id"]
    assert (await client.post(f"/api/v1/listings/{listing_id}/submit", json={})).status_code == 200
    await login(client, admin)
    review = next(i for i in await _queue(client, w, "listing") if i["listing_id"] == listing_id)
    page = await client.get(f"/organiser/reviews/listing/{review['id']}")
    assert "ei ole (vielä) hyväksytty" in page.text
    r = await client.post(f"/api/v1/listing-reviews/{review['id']}/decision", json={"action": "approve"})
    assert r.json() == {"status": "approved"}

    assert await catalogue.live_listing(listing_id, w.organiser_id) is None
    assert (await catalogue.searchable([listing_id]))[listing_id] is None
    await logout(client)
    declined = await _pay(client, w, listing_id=listing_id)
    assert declined["decline_code"] == "listing_not_approved"

    await login(client, admin)
    application = (await _queue(client, w, "category"))[0]
    r = await client.post(f"/api/v1/category-applications/{application['id']}/decision", json={"action": "approve"})
    assert r.json() == {"status": "approved"}
    assert (await catalogue.live_listing(listing_id, w.organiser_id))["category"] == "transport"
    assert (await catalogue.searchable([listing_id]))[listing_id]["organisers"] == [w.organiser_id]
    await logout(client)
    assert (await _pay(client, w, listing_id=listing_id))["status"] == "approved"


async def test_finding4_an_organiser_may_refuse_or_withdraw_a_category_and_removing_one_withdraws_it(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key, lines=TRANSPORT_ONLY)
    staff, admin = await _staff_and_admin(w)
    await login(client, staff)
    await client.patch(f"/api/v1/providers/{w.provider_id}", json={"categories": ["sport-riding", "transport"]})
    await login(client, admin)
    application = (await _queue(client, w, "category"))[0]["id"]
    path = f"/api/v1/category-applications/{application}/decision"
    no_reason = await client.post(path, json={"action": "reject"})
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    assert (await client.post(path, json={"action": "approve"})).json() == {"status": "approved"}
    assert (await client.post(path, json={"action": "approve"})).status_code == 409
    assert (await client.post(path, json={"action": "reject", "reason": "Taksilupa puuttuu."})).json() == {
        "status": "rejected"}
    await logout(client)
    assert (await _pay(client, w))["decline_code"] == "category_not_in_plan"

    # Only the county the application was made to decides it.
    other_county = Organiser(name="Vantaan ja Keravan hyvinvointialue", business_id="2093778-1")
    await Organiser.insert(other_county).run()
    for stranger in (await make_user("organiser_admin", email="vantaa@example.test", organiser_id=str(other_county.id)),
                     await make_user("provider_staff", email="kilpailija@example.test", provider_id=w.provider_id)):
        await login(client, stranger)
        assert (await client.post(path, json={"action": "approve"})).status_code == 403

    # Taking the category off the profile withdraws it; adding it again is a new application.
    await login(client, staff)
    await client.patch(f"/api/v1/providers/{w.provider_id}", json={"categories": ["sport-riding"]})
    assert await ProviderCategoryApproval.count().where(ProviderCategoryApproval.category == "transport").run() == 0
    again = await client.patch(f"/api/v1/providers/{w.provider_id}", json={"categories": ["sport-riding", "transport"]})
    assert {c["category"]: c["status"] for c in again.json()["approvals"][0]["categories"]}["transport"] == "pending"


async def test_finding4_changed_evidence_waits_for_review_while_the_approved_service_runs(app, client, db):
    """Evidence changed by staff puts the approval in the organiser's queue as a change; riding
    (already approved) stays payable meanwhile; the organiser accepts the evidence or suspends."""
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    staff, admin = await _staff_and_admin(w)
    await login(client, staff)
    r = await client.patch(f"/api/v1/providers/{w.provider_id}", json={
        "evidence": {"liability_insurance": {"provided": True, "detail": "Uusi vakuutus 999"}}})
    approval = r.json()["approvals"][0]
    assert approval["status"] == "approved" and approval["evidence_under_review"] is True
    assert "odottavat tarkastusta" in (await client.get("/provider")).text
    await logout(client)
    assert (await _pay(client, w, listing_id=w.listing_riding))["status"] == "approved"

    await login(client, admin)
    [item] = await _queue(client, w, "provider")
    assert item["id"] == approval["id"] and item["is_change"] is True
    page = await client.get(f"/organiser/reviews/provider/{approval['id']}")
    assert "muutti selvityksiään" in page.text and "Uusi vakuutus 999" in page.text
    assert 'value="approve"' in page.text and 'value="suspend"' in page.text
    r = await client.post(f"/api/v1/provider-approvals/{approval['id']}/decision", json={"action": "approve"})
    assert r.json() == {"status": "approved"}
    # Nothing waits but the review of the world's pending listing.
    assert [i["kind"] for i in await _queue(client, w)] == ["listing"]
    # Without changed evidence an approved provider cannot be "approved" again.
    again = await client.post(f"/api/v1/provider-approvals/{approval['id']}/decision", json={"action": "approve"})
    assert again.status_code == 409

    # Saving the same evidence again is no change and puts nothing in the queue.
    await login(client, staff)
    await client.patch(f"/api/v1/providers/{w.provider_id}", json={
        "evidence": {"liability_insurance": {"provided": True, "detail": "Uusi vakuutus 999 "}}})
    await login(client, admin)
    assert [i["kind"] for i in await _queue(client, w)] == ["listing"]


async def test_finding4_existing_approvals_keep_their_categories_after_the_migration(db):
    """The data migration: an approval granted before (approved or suspended) covers every
    category its provider listed; a pending one's categories wait with its application."""
    from marketplace.piccolo_migrations.marketplace_2026_12_07t10_12_49_000000 import forwards

    refs = await seed_catalogue()
    rows = {}
    for n, status in enumerate(("approved", "suspended", "pending")):
        provider = Provider(business_id=["1572860-0", "9603082-8", "1819093-0"][n], name=f"P{n}",
                            iban="FI2112345600000785", email=f"p{n}@example.test", categories=["sport-riding", "transport"])
        await Provider.insert(provider).run()
        approval = ProviderApproval(provider=provider.id, organiser=refs["org-a"], status=status)
        await ProviderApproval.insert(approval).run()
        rows[status] = approval.id
    manager = await forwards()
    for raw in manager.raw:
        await raw()
    got = {
        (r["approval"], r["category"]): r["status"]
        for r in await ProviderCategoryApproval.select(ProviderCategoryApproval.approval, ProviderCategoryApproval.category,
                                                       ProviderCategoryApproval.status).run()
    }
    assert got == {
        (rows["approved"], "sport-riding"): "approved", (rows["approved"], "transport"): "approved",
        (rows["suspended"], "sport-riding"): "approved", (rows["suspended"], "transport"): "approved",
        (rows["pending"], "sport-riding"): "pending", (rows["pending"], "transport"): "pending",
    }


# ----- finding 9 -----------------------------------------------------------------------------------


def _shape(value):
    """The JSON's structure with its values' types (ids differ between any two answers)."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


async def test_finding9_registration_answers_the_same_whether_or_not_the_email_has_an_account(client, db):
    refs = await seed_catalogue()
    holder = await make_user("client", email="olemassa@example.test")
    fresh = await client.post("/api/v1/providers", json=registration(refs))
    taken = await client.post("/api/v1/providers", json=registration(
        refs, name="Taidepaja Väri", business_id="9603082-8", email="Olemassa@Example.test"))
    assert (fresh.status_code, taken.status_code) == (201, 201), taken.text
    assert fresh.headers["content-type"] == taken.headers["content-type"]
    assert _shape(fresh.json()) == _shape(taken.json())
    assert [a["organiser_name"] for a in taken.json()["approvals"]] == [a["organiser_name"] for a in fresh.json()["approvals"]]

    # Nothing was registered for the taken address; its holder is told instead (outbox → e-mail).
    assert [r["name"] for r in await Provider.select(Provider.name).run()] == ["Talli Kavio Oy"]
    assert await User.count().where(User.email == "olemassa@example.test").run() == 1
    [notice] = await Notification.select().where(Notification.user_id == holder["id"]).output(load_json=True).run()
    assert notice["kind"] == "account_exists" and notice["email_status"] == "pending"
    subject, body = notifications.render(notice["kind"], "fi", notice["params"])
    assert subject == "Sinulla on jo tunnus HB-palvelussa"
    assert "Taidepaja Väri" in body and "/password/forgot" in body
    assert await AuditEvent.count().where(AuditEvent.action == "provider.registration_existing_account").run() == 1


async def test_finding9_the_account_holder_gets_the_message_by_e_mail(db, smtp_server):
    from core.identity import Actor
    from marketplace import providers
    from marketplace.schemas import ProviderRegistration

    refs = await seed_catalogue()
    await make_user("provider_staff", email="olemassa@example.test")
    await providers.register(msgspec.convert(registration(refs, email="olemassa@example.test"), ProviderRegistration),
                             Actor(), base_url="https://hb.example")
    settings = msgspec.structs.replace(db.settings, smtp_host="127.0.0.1", smtp_port=smtp_server.port,
                                       mail_from="hb@hb.example")
    assert await notifications.send_pending(settings) == 1
    [mail] = await smtp_server.wait_for(1)
    assert mail["To"] == "olemassa@example.test" and mail["Subject"] == "Sinulla on jo tunnus HB-palvelussa"
    assert "https://hb.example/login" in mail.get_payload(decode=True).decode()


async def test_finding9_the_registration_page_answers_the_same_and_signs_nobody_in(client, db):
    refs = await seed_catalogue()
    await make_user("counsellor", email="olemassa@example.test", organiser_id=refs["org-a"])

    def form(**overrides):
        body = registration(refs, **overrides)
        fields = {k: v for k, v in body.items() if k != "evidence"}
        fields["evidence.prepayment_register.provided"] = "1"
        fields["evidence.prepayment_register.detail"] = "Rekisterissä"
        fields["evidence.liability_insurance.provided"] = "1"
        fields["evidence.liability_insurance.detail"] = "Vakuutus 1-2-3"
        return fields

    answers = []
    for fields in (form(), form(name="Taidepaja Väri", business_id="9603082-8", email="olemassa@example.test")):
        client.cookies.clear()
        r = await form_post(client, "/providers/register", fields)
        answers.append((r.status_code, r.headers.get("location"), "set-cookie" in r.headers and "hb_session" in r.headers["set-cookie"]))
    assert answers[0] == answers[1] == (303, "/providers/register?received=1", False)
