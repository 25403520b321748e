"""Password reset by e-mail through a real local SMTP server: single-use, expiring links kept only
as hashes, no account enumeration, every session ended, rate-limited."""

import asyncio
import re
from datetime import timedelta

from core import identity
from core.clock import utcnow
from core.password_reset import complete_reset, request_reset
from core.tables import AuditEvent, PasswordReset
from tests.helpers import form_post, login
from tests.world import make_user

NEW = "uusi-salasana-joka-on-pitka"


def _link(message) -> str:
    body = message.get_payload(decode=True).decode()
    return re.search(r"https://hb.example/password/reset\?token=(\S+)", body).group(1)


def _visible(html: str) -> str:
    """The page without what differs per request (CSRF token, request ids)."""
    return re.sub(r'value="[^"]{20,}"', "", html)


async def test_reset_by_e_mail_link_once_then_sign_in_with_the_new_password(make_client, smtp_server, db):
    client = await make_client(smtp_host="127.0.0.1", smtp_port=smtp_server.port, base_url="https://hb.example")
    user = await make_user("client", email="unohtaja@test.example")
    other = await make_client(app=client.app)
    await login(other, user)  # a session on another device, ended by the reset

    assert "/password/forgot" in (await client.get("/login")).text
    r = await form_post(client, "/password/forgot", {"email": "Unohtaja@Test.example"})
    assert r.status_code == 200 and "Jos osoitteella on tili" in r.text
    token = _link((await smtp_server.wait_for(1))[0])
    assert str(smtp_server.messages[0]["To"]) == user["email"]
    rows = await PasswordReset.select().run()
    assert len(rows) == 1 and token not in str(rows) and rows[0]["token_hash"] == identity.token_hash(token)

    assert (await client.get("/password/reset", params={"token": token})).status_code == 200
    short = await form_post(client, "/password/reset", {"token": token, "password": "lyhyt", "password_confirm": "lyhyt"})
    assert short.status_code == 400 and "liian lyhyt" in short.text
    differ = await form_post(client, "/password/reset", {"token": token, "password": NEW, "password_confirm": NEW + "x"})
    assert differ.status_code == 400 and "eivät ole samat" in differ.text
    done = await form_post(client, "/password/reset", {"token": token, "password": NEW, "password_confirm": NEW})
    assert done.status_code == 303 and done.headers["location"].startswith("/login?reset=1")

    # The link worked once; old sessions and the old password are gone; the new one signs in.
    again = await form_post(client, "/password/reset", {"token": token, "password": NEW, "password_confirm": NEW})
    assert again.status_code == 400 and "jo käytetty" in again.text
    assert (await client.get("/password/reset", params={"token": token})).status_code == 400
    assert await identity.actor_from_session(other.cookies["hb_session"]) is None
    assert await identity.password_login(user["email"], user["password"]) is None
    assert await identity.password_login(user["email"], NEW) == user["id"]
    audit = await AuditEvent.select().where(AuditEvent.action == "password.reset").run()
    assert [a["subject_id"] for a in audit] == [user["id"]]


async def test_unknown_address_gets_the_same_answer_and_no_mail(make_client, smtp_server, db):
    client = await make_client(smtp_host="127.0.0.1", smtp_port=smtp_server.port)
    await make_user("client", email="olemassa@test.example")
    known = await form_post(client, "/password/forgot", {"email": "olemassa@test.example"})
    unknown = await form_post(client, "/password/forgot", {"email": "eiole@test.example"})
    assert known.status_code == unknown.status_code == 200
    assert _visible(known.text) == _visible(unknown.text)
    await smtp_server.wait_for(1)
    await asyncio.sleep(0.3)
    assert len(smtp_server.messages) == 1 and str(smtp_server.messages[0]["To"]) == "olemassa@test.example"
    assert await PasswordReset.count().run() == 1


async def test_expired_link_is_refused(db):
    user = await make_user("counsellor", email="vanha@test.example")
    token, _ = await request_reset(user["email"])
    await PasswordReset.update({PasswordReset.expires_at: utcnow() - timedelta(seconds=1)}, force=True).run()
    assert not await complete_reset(token, NEW)
    assert await identity.password_login(user["email"], user["password"]) == user["id"]


async def test_one_link_used_twice_at_once_changes_the_password_once(db):
    user = await make_user("proxy", email="kilpa@test.example")
    token, _ = await request_reset(user["email"])
    results = await asyncio.gather(complete_reset(token, NEW), complete_reset(token, NEW + "-toinen"))
    assert sorted(results) == [False, True]
    assert await AuditEvent.count().where(AuditEvent.action == "password.reset").run() == 1


async def test_reset_requests_are_rate_limited_per_address_known_or_not(make_client, db):
    client = await make_client()
    await make_user("client", email="paljon@test.example")
    for email in ("paljon@test.example", "eiole@test.example"):
        statuses = [(await form_post(client, "/password/forgot", {"email": email})).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429], (email, statuses)
    r = await form_post(client, "/password/forgot", {"email": "eiole@test.example"})
    assert r.status_code == 429 and 0 < int(r.headers["retry-after"]) <= 3600
