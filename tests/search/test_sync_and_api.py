"""The search API over the real database and index: only live listings, kept in step through the
outbox within a second, scoped to a signed-in client's organiser."""

import asyncio
import time

from marketplace import listing_changes
from search import sync
from tests.helpers import login
from tests.world import listing_body, make_user, registration, seed_catalogue


async def _search(client, **params):
    r = await client.get("/api/v1/search/listings", params=params)
    assert r.status_code == 200, r.text
    return r.json()


async def _wait_for(client, predicate, timeout=1.0, **params):
    """Poll the search API until ``predicate(result)`` holds; returns the seconds it took."""
    started = time.monotonic()
    while True:
        result = await _search(client, **params)
        if predicate(result):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not visible within {timeout}s: {result['total']} hits")
        await asyncio.sleep(0.05)


async def _approved_listing(client, refs, organisers=None, **listing):
    body = registration(refs, organisers=organisers or [refs["org-a"]])
    provider = (await client.post("/api/v1/providers", json=body)).json()
    await login(client, {"email": body["email"], "password": body["password"]})
    created = (await client.post("/api/v1/listings", json=listing_body(**listing))).json()
    await client.post(f"/api/v1/listings/{created['id']}/submit", json={})
    admin = await make_user("organiser_admin", email="arvioija@test.example", organiser_id=refs["org-a"])
    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue")).json()
    for item in queue["items"]:
        path = "provider-approvals" if item["kind"] == "provider" else "listing-reviews"
        assert (await client.post(f"/api/v1/{path}/{item['id']}/decision", json={"action": "approve"})).status_code == 200
    return provider, created, admin


async def test_approval_makes_a_listing_searchable_and_suspension_removes_it_within_a_second(client, db):
    refs = await seed_catalogue()
    assert (await _search(client, q="ratsastusterapia"))["total"] == 0
    provider, listing, admin = await _approved_listing(client, refs)
    await _wait_for(client, lambda r: [h["id"] for h in r["hits"]] == [listing["id"]], q="ratsastusterapia")
    hit = (await _search(client, q="ratsastusterapia"))["hits"][0]
    assert hit["price_cents"] == 7500 and hit["provider_name"] == "Talli Kavio Oy" and hit["unit"] == "session"
    approval = provider["approvals"][0]["id"]
    r = await client.post(f"/api/v1/provider-approvals/{approval}/decision", json={"action": "suspend", "reason": "Vakuutus puuttuu."})
    assert r.status_code == 200
    took = await _wait_for(client, lambda r: r["total"] == 0, q="ratsastusterapia")
    assert took <= 1.0


async def test_only_live_listings_appear_and_a_client_sees_only_their_organiser(client, db):
    refs = await seed_catalogue()
    provider, listing, admin = await _approved_listing(client, refs)
    await _wait_for(client, lambda r: r["total"] == 1, q="ratsastus")
    # A pending listing of the same provider is not searchable.
    staff = {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"}
    await login(client, staff)
    other = (await client.post("/api/v1/listings", json=listing_body(title={"fi": "Ratsastusleiri"}))).json()
    await client.post(f"/api/v1/listings/{other['id']}/submit", json={})
    await sync.drain(db.settings)  # whatever the submission changed is in the index now
    assert [h["id"] for h in (await _search(client, q="ratsastus"))["hits"]] == [listing["id"]]
    # A client of the other county does not see Keusote's listing; the public does.
    client_b = await make_user("client", email="asiakas-b@test.example", organiser_id=refs["org-b"])
    await login(client, client_b)
    assert (await _search(client, q="ratsastus"))["total"] == 0
    assert (await _search(client, q="ratsastus", organiser=refs["org-a"]))["total"] == 0  # cannot widen the scope
    client_a = await make_user("client", email="asiakas-a@test.example", organiser_id=refs["org-a"])
    await login(client, client_a)
    assert (await _search(client, q="ratsastus"))["total"] == 1


async def test_search_parameters_are_validated_and_odd_input_never_fails(client, db):
    await seed_catalogue()
    for params in ({"page": "0"}, {"per_page": "1000"}, {"max_price_cents": "-1"}, {"accessible": "maybe"}):
        r = await client.get("/api/v1/search/listings", params=params)
        assert r.status_code == 400, params
        assert r.json()["errors"][0]["field"] == next(iter(params))
    for q in ('"', "*", "-", "AND", "OR NOT (", " ".join(["sana"] * 30), "ä" * 400, "%' OR 1=1 --"):
        r = await client.get("/api/v1/search/listings", params={"q": q})
        assert r.status_code == 200, q
    page = await client.get("/search", params={"q": '"*-AND', "page": "abc"})
    assert page.status_code == 200


async def test_outbox_rows_left_by_a_crash_are_applied_at_start(db, tmp_path):
    from hb.app import create_app
    from tests.conftest import Lifespan

    refs = await seed_catalogue()
    # Build an approved listing without a running server: the outbox keeps what the index lacks.
    from core.identity import Actor
    from marketplace import importer

    doc = {"format": "hb-import/1", "providers": [{
        "ref": "prov-x", "business_id": "1572860-0", "name": "Talli Kavio Oy", "iban": "FI2112345600000785",
        "email": "talli@kavio.example", "languages": ["fi"], "municipalities": ["Nurmijärvi"],
        "evidence": {"prepayment_register": True, "liability_insurance": True},
        "approvals": [{"organiser": "org-a", "status": "approved"}]}],
        "listings": [{"ref": "lst-x", "provider": "prov-x", "category": "sport-riding", "title": {"fi": "Ratsastusterapia"},
                      "description": {"fi": "Kuvaus"}, "price_cents": 7000, "unit": "session", "delivery_mode": "at_provider",
                      "municipality": "Nurmijärvi", "languages": ["fi"], "accessibility": [],
                      "approvals": [{"organiser": "org-a", "status": "approved"}]}]}
    await importer.import_document(doc, actor=Actor(role="platform_admin"))  # no settings: index not touched
    assert await listing_changes.pending(10)
    app = create_app(db.settings, engine=db.engine)
    async with Lifespan(app):
        result = await app.state.search.search(__import__("search.documents", fromlist=["SearchQuery"]).SearchQuery(q="ratsastusterapia"))
        assert result.total == 1
    assert await listing_changes.pending(10) == []
    del refs


async def test_health_reports_search(client):
    assert (await client.get("/health")).json()["search"] == "ok"


async def test_search_page_takes_the_maximum_price_in_euros(client, db):
    refs = await seed_catalogue()
    await _approved_listing(client, refs)
    await _wait_for(client, lambda r: r["total"] == 1, q="ratsastus")
    cheap = await client.get("/search", params={"q": "ratsastus", "max_price": "74,99"})
    assert "0 palvelua" in cheap.text or "0 services" in cheap.text
    enough = await client.get("/search", params={"q": "ratsastus", "max_price": "75"})
    assert "Ratsastusterapia" in enough.text
    odd = await client.get("/search", params={"q": "ratsastus", "max_price": "paljon", "municipality": "Nurmijärvi"})
    assert odd.status_code == 200 and 'role="alert"' in odd.text
    # Said in euros; the words and the other filters are kept, so the person fixes only the price.
    assert "Anna enimmäishinta euroina" in odd.text and "Expected" not in odd.text
    assert 'value="ratsastus"' in odd.text and "Ratsastusterapia" in odd.text
    assert 'value="Nurmijärvi" checked' in odd.text or "Nurmijärvi\" checked" in odd.text


async def test_a_signed_in_client_sees_what_fits_their_budget(client, db):
    from hb import wiring
    from tests.world import ADMIN, example_document

    result = await wiring.import_document(example_document(), actor=ADMIN, settings=db.settings)
    refs = result["refs"]
    await _wait_for(client, lambda r: r["total"] >= 1, q="ratsastusterapia")
    user = await make_user("client", email="asiakas0001@test.example", client_id=refs["cli-0001"], organiser_id=refs["org-keusote"])
    await login(client, user)
    page = await client.get("/search", params={"q": "ratsastusterapia"})
    assert page.status_code == 200
    card = page.text.split("Ratsastusterapia", 1)[1].split("</li>", 1)[0]
    # 75,00 € fits the day-activities line, which may fund sport and riding up to its swap cap.
    assert "Mahtuu budjettiisi" in card
    anonymous = await client.get("/search", params={"q": "ratsastusterapia"}, cookies={"hb_session": ""})
    assert "Mahtuu budjettiisi" not in anonymous.text


async def test_an_approved_change_reaches_results_within_a_second_and_a_rejection_removes_the_listing(client, db):
    refs = await seed_catalogue()
    provider, listing, admin = await _approved_listing(client, refs)
    await _wait_for(client, lambda r: r["total"] == 1, q="ratsastusterapia")
    await login(client, {"email": "talli@kavio.example", "password": "hevonen-ja-satula-2026"})
    changed = await client.patch(f"/api/v1/listings/{listing['id']}", json={"price_cents": 8200})
    assert changed.status_code == 200
    await sync.drain(db.settings)  # whatever the change did to the outbox is in the index now
    # Waiting for review: the approved price stays in the results.
    assert [h["price_cents"] for h in (await _search(client, q="ratsastusterapia"))["hits"]] == [7500]
    await login(client, admin)
    queue = (await client.get(f"/api/v1/organisers/{refs['org-a']}/review-queue?kind=listing")).json()
    review = queue["items"][0]["id"]
    assert (await client.post(f"/api/v1/listing-reviews/{review}/decision", json={"action": "approve"})).status_code == 200
    took = await _wait_for(client, lambda r: [h["price_cents"] for h in r["hits"]] == [8200], q="ratsastusterapia")
    assert took <= 1.0
    # A revision is decided once: the refusal names the state it is in.
    again = await client.post(f"/api/v1/listing-reviews/{review}/decision", json={"action": "reject", "reason": "x"})
    assert again.status_code == 409 and again.json()["detail"] == "Päätös ei ole mahdollinen: tila on nyt hyväksytty."
    # The organiser then rejects the live listing: gone from the results within a second.
    decided = await client.post(f"/api/v1/listings/{listing['id']}/organisers/{refs['org-a']}/decision",
                                json={"action": "reject", "reason": "Palvelu ei täytä ehtoja."})
    assert decided.status_code == 200, decided.text
    took = await _wait_for(client, lambda r: r["total"] == 0, q="ratsastusterapia")
    assert took <= 1.0


async def test_hb_search_reindex_rebuilds_the_index_from_the_database(client, db, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    from search.documents import SearchQuery
    from search.embedded import EmbeddedBackend

    refs = await seed_catalogue()
    provider, listing, admin = await _approved_listing(client, refs)
    # An empty data directory for the index, the test's own database behind it.
    fresh = tmp_path / "rebuilt"
    database = db.settings.database_url if db.is_postgres else f"sqlite:///{db.settings.sqlite_path}"
    env = {**os.environ, "HB_DATA_DIR": str(fresh), "HB_DATABASE_URL": database, "HB_SECRET_KEY": db.settings.secret_key}
    done = subprocess.run([sys.executable, "-m", "hb.cli", "search", "reindex"], cwd=Path(__file__).resolve().parents[2],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Done: 1 listings searchable" in done.stderr
    backend = EmbeddedBackend.in_data_dir(fresh)
    try:
        found = await backend.search(SearchQuery(q="ratsastusterapia"))
        assert [h.id for h in found.hits] == [listing["id"]]
    finally:
        await backend.close()
