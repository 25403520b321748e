"""Cheap authentication (issue 20, docs/decisions/0047): the card authorisation takes its API key from
the process's cache, yet a key revoked a moment ago is refused on the very next request — on
PostgreSQL by the authorisation's own database call, on SQLite by the Python path's check — and
nothing is written for it. Every other route still reads the key."""

from core import identity
from core.tables import ApiKey
from tests.voucher.vhelpers import NOW, make_world
from voucher.tables import Authorization


async def test_a_revoked_key_is_refused_on_the_next_authorisation(app, client, db):
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    h = {"Authorization": f"Bearer {w.provider_key}"}
    body = {"card_token": w.token, "amount_cents": 100, "listing_id": w.listing_riding}
    first = await client.post("/api/v1/authorizations", json=body, headers={**h, "Idempotency-Key": "k-1"})
    assert first.status_code == 201 and first.json()["status"] == "approved", first.text
    # The key is in the cache now: the second payment is served from it.
    second = await client.post("/api/v1/authorizations", json=body, headers=h)
    assert second.status_code == 201 and second.json()["status"] == "approved"
    assert await Authorization.count().run() == 2

    key = await ApiKey.select(ApiKey.id).where(ApiKey.provider_id == w.provider.provider_id).first().run()
    assert await identity.revoke_api_key(str(key["id"]), provider_id=w.provider.provider_id)

    # The next request is refused: a new payment, the replay of the first one's key, and a read.
    refused = await client.post("/api/v1/authorizations", json=body, headers=h)
    assert refused.status_code == 401, refused.text
    replay = await client.post("/api/v1/authorizations", json=body, headers={**h, "Idempotency-Key": "k-1"})
    assert replay.status_code == 401
    read = await client.get(f"/api/v1/authorizations/{first.json()['id']}", headers=h)
    assert read.status_code == 401
    assert await Authorization.count().run() == 2  # nothing written for a revoked key
