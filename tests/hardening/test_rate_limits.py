"""Rate limits (login per address, the authorisation API per key and per address) and the rest of
the session and header hygiene the issue lists: HSTS behind TLS, argon2 password hashes, sessions
expire, revoked API keys stop working."""

import os
import uuid
from datetime import timedelta

import core.ratelimit
from core import identity
from core.clock import utcnow
from core.ratelimit import ApiRateLimiter, TokenBuckets
from core.settings import Settings
from core.tables import User, UserSession
from tests.helpers import form_post, login
from tests.world import make_user


def test_token_bucket_allows_a_burst_then_the_rate():
    clock = [0.0]
    buckets = TokenBuckets(rate=2, burst=4, clock=lambda: clock[0])
    assert [buckets.take("k") for _ in range(4)] == [0, 0, 0, 0]
    assert buckets.take("k") == 0.5  # the next token comes in half a second
    assert buckets.take("other") == 0
    clock[0] += 0.5
    assert buckets.take("k") == 0
    assert TokenBuckets(rate=0, burst=1).take("k") == 0  # 0 = no limit


async def test_login_is_rate_limited_per_address(make_client, db, monkeypatch):
    monkeypatch.setattr(core.ratelimit, "MAX_PER_ADDRESS", 5)
    client = await make_client(address="192.0.2.10")
    statuses = [(await form_post(client, "/login", {"email": f"u{i}@test.example", "password": "x"})).status_code
                for i in range(6)]
    assert statuses == [400] * 5 + [429]
    elsewhere = await make_client(app=client.app, address="192.0.2.11")
    assert (await form_post(elsewhere, "/login", {"email": "u9@test.example", "password": "x"})).status_code == 400


async def _burst(client, n: int, key: str) -> list:
    out = []
    for _ in range(n):
        r = await client.post("/api/v1/authorizations", json={"card_token": "x", "amount_cents": 1},
                              headers={"Authorization": f"Bearer {key}"})
        out.append(r)
    return out


async def test_authorisation_api_is_limited_per_key_before_the_key_is_looked_up(make_client, db):
    client = await make_client()
    client.app.state.api_rate_limiter = ApiRateLimiter(per_key=1, per_address=1000)  # burst of 4
    answers = await _burst(client, 6, "hbk_made_up_key")
    assert [r.status_code for r in answers] == [401] * 4 + [429] * 2
    limited = answers[-1]
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert limited.json()["status"] == 429 and int(limited.headers["retry-after"]) >= 1
    # Another key is not held back by the first one; nor are other APIs.
    assert (await _burst(client, 1, "hbk_another_key"))[0].status_code == 401
    assert (await client.get("/api/v1/search/listings")).status_code == 200


async def test_the_limits_come_from_the_settings_and_zero_turns_them_off(make_client, db):
    env = Settings.from_env({"HB_SECRET_KEY": "x" * 40, "HB_API_RATE_PER_KEY": "1", "HB_API_RATE_PER_ADDRESS": "0"})
    assert (env.api_rate_per_key, env.api_rate_per_address) == (1.0, 0.0)
    strict = await make_client(api_rate_per_key=1.0)  # a burst of 4
    assert [r.status_code for r in await _burst(strict, 6, "hbk_made_up_key")] == [401] * 4 + [429] * 2
    off = await make_client(api_rate_per_key=0.0, api_rate_per_address=0.0)
    assert {r.status_code for r in await _burst(off, 500, "hbk_made_up_key")} == {401}  # the default 50/s, burst 200, would refuse some


async def test_authorisation_api_is_limited_per_address_whatever_the_keys(make_client, db):
    client = await make_client(address="198.51.100.7")
    client.app.state.api_rate_limiter = ApiRateLimiter(per_key=1000, per_address=1)
    statuses = [(await _burst(client, 1, f"hbk_key_{i}"))[0].status_code for i in range(6)]
    assert statuses == [401] * 4 + [429] * 2
    other = await make_client(app=client.app, address="198.51.100.8")
    assert (await _burst(other, 1, "hbk_key_x"))[0].status_code == 401


async def test_hsts_and_secure_cookies_behind_tls_only(make_client, db):
    user = await make_user("client", email="tls@test.example")
    plain = await make_client()
    assert "strict-transport-security" not in (await plain.get("/login")).headers
    tls = await make_client(https=True)
    tls.base_url = "https://testserver.local"  # Secure cookies travel over TLS only
    page = await tls.get("/login")
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    r = await form_post(tls, "/login", {"email": user["email"], "password": user["password"], "next": "/"})
    assert "secure" in r.headers["set-cookie"].lower()


def test_production_hashes_passwords_at_argon2s_full_default_cost():
    """The suite hashes cheaply (tests/conftest.py); a platform configured from a plain environment
    does not, and a password hashed at one cost still verifies after the cost changes."""
    from argon2 import extract_parameters

    cheap = identity.hash_password("salasana-1")
    try:
        identity.configure_passwords(Settings.from_env({"HB_SECRET_KEY": "x" * 40}))
        params = extract_parameters(identity.hash_password("salasana-1"))
        assert (params.type.name, params.memory_cost, params.time_cost) == ("ID", 65536, 3)
        assert identity.verify_password(cheap, "salasana-1") and not identity.verify_password(cheap, "salasana-2")
    finally:
        identity.configure_passwords(Settings.from_env({"HB_SECRET_KEY": "x" * 40, **os.environ}))


async def test_sessions_expire_and_revoked_api_keys_stop_working(make_client, db):
    client = await make_client()
    user = await make_user("counsellor", email="vanhenee@test.example", organiser_id=uuid.uuid4())
    stored = await User.select(User.password_hash).where(User.id == user["id"]).first().run()
    assert stored["password_hash"].startswith("$argon2id$")
    await login(client, user)
    assert (await client.get("/api/v1/clients")).status_code == 200
    await UserSession.update({UserSession.expires_at: utcnow() - timedelta(seconds=1)}, force=True).run()
    assert (await client.get("/api/v1/clients")).status_code == 401

    key_id, key = await identity.create_api_key(label="kassa")
    bearer = {"Authorization": f"Bearer {key}"}
    assert (await client.get("/api/v1/authorizations/00000000-0000-0000-0000-000000000000", headers=bearer)).status_code != 401
    await identity.revoke_api_key(key_id)
    assert (await client.get("/api/v1/authorizations/00000000-0000-0000-0000-000000000000", headers=bearer)).status_code == 401
