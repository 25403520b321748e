"""Invitations (issue 14): every inviter × every role and scope through the real API — outside the
rule 403 and nothing written; accepting by password signs the person in with the invited role and
scope (a proxy with its rights); used, expired, revoked and forged tokens create nothing; two
accepts at once create one account; a client's strong e-ID must be the client's; the e-mail goes
through the SMTP path. On SQLite and PostgreSQL."""

import asyncio
import datetime as dt
import uuid

import pytest

from core import identity
from core.clock import utcnow
from core.errors import Conflict, Forbidden, Gone, Invalid, NotFound
from core.identity import Actor, VerifiedIdentity
from core.tables import AuditEvent, ExternalIdentity, Invitation, User
from tests import world
from voucher import invitations, proxies
from voucher.invitations import InvitationCreate

PASSWORD = "kutsun-salasana-2026"
NATIONAL_ID = "131052-308T"
EID_ISSUER = "https://tunnistus.test.example"


def _doc() -> dict:
    line = [world.line("sport-riding", 100_000)]
    return world.document(
        counties=[world.county("org-a"), world.county("org-b")],
        categories=[world.category("sport-riding")],
        providers=[world.provider("prov-a", world.business_id(1_111_111), "Talli A"),
                   world.provider("prov-b", world.business_id(2_222_222), "Taksi B", approved_by=("org-b",)),
                   world.provider("prov-c", world.business_id(3_333_333), "Tila C")],
        clients=[world.client("cli-a", "org-a", lines=line, token=None),
                 dict(world.client("cli-a2", "org-a", lines=line, token=None), national_id=NATIONAL_ID),
                 world.client("cli-b", "org-b", lines=line, token=None)],
    )


async def build(settings) -> dict:
    refs = (await world.load(_doc(), settings))["refs"]
    people = {
        "platform_admin": ("platform_admin", {}),
        "org_admin_a": ("organiser_admin", {"organiser_id": refs["org-a"]}),
        "counsellor_a": ("counsellor", {"organiser_id": refs["org-a"]}),
        "client_a": ("client", {"client_id": refs["cli-a"], "organiser_id": refs["org-a"]}),
        "proxy": ("proxy", {"organiser_id": refs["org-a"]}),
        "staff_a": ("provider_staff", {"provider_id": refs["prov-a"]}),
        "staff_b": ("provider_staff", {"provider_id": refs["prov-b"]}),
    }
    actors = {}
    for name, (role, scope) in people.items():
        actors[name] = (await world.person(role, f"{name}@inviter.example", name=f"Kutsuja {name}", password=None,
                                           **scope)).actor
    return {"refs": refs, "actors": actors}


def _targets(refs: dict) -> dict[str, dict]:
    """Every role × a scope of the first county (or its provider) and of the second."""
    return {
        "organiser_admin@a": {"role": "organiser_admin", "organiser_id": refs["org-a"]},
        "organiser_admin@b": {"role": "organiser_admin", "organiser_id": refs["org-b"]},
        "counsellor@a": {"role": "counsellor", "organiser_id": refs["org-a"]},
        "counsellor@b": {"role": "counsellor", "organiser_id": refs["org-b"]},
        # (The first county's first client has an account already: its second has none.)
        "client@a": {"role": "client", "client_id": refs["cli-a2"]},
        "client@b": {"role": "client", "client_id": refs["cli-b"]},
        "proxy@a": {"role": "proxy", "client_id": refs["cli-a"], "rights": ["view"]},
        "proxy@b": {"role": "proxy", "client_id": refs["cli-b"], "rights": ["view"]},
        "provider_staff@a": {"role": "provider_staff", "provider_id": refs["prov-a"]},
        "provider_staff@b": {"role": "provider_staff", "provider_id": refs["prov-b"]},
        # A provider without any staff account (imported): its first account.
        "provider_staff@c": {"role": "provider_staff", "provider_id": refs["prov-c"]},
        "platform_admin": {"role": "platform_admin"},
        "unknown_client": {"role": "client", "client_id": str(uuid.uuid4())},
        "unknown_organiser": {"role": "organiser_admin", "organiser_id": str(uuid.uuid4())},
    }


# Written out by hand from docs/api.md (not computed from the rule it tests).
ALLOWED = {
    ("platform_admin", "organiser_admin@a"), ("platform_admin", "organiser_admin@b"),
    ("platform_admin", "provider_staff@c"),
    ("org_admin_a", "organiser_admin@a"), ("org_admin_a", "counsellor@a"),
    ("org_admin_a", "client@a"), ("org_admin_a", "proxy@a"),
    ("counsellor_a", "client@a"), ("counsellor_a", "proxy@a"),
    ("client_a", "proxy@a"),
    ("staff_a", "provider_staff@a"),
    ("staff_b", "provider_staff@b"),
}


async def _signed_in(client, actor: Actor) -> None:
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))


async def test_every_inviter_and_role_outside_the_rule_is_refused_and_creates_nothing(db, client):
    w = await build(db.settings)
    targets = _targets(w["refs"])
    wrong = []
    for inviter, actor in w["actors"].items():
        await _signed_in(client, actor)
        for name, target in targets.items():
            before = await Invitation.count().run()
            body = {"email": f"{inviter}.{name.replace('@', '-')}@invitee.example", **target}
            response = await client.post("/api/v1/invitations", json=body)
            expected = 201 if (inviter, name) in ALLOWED else 403
            created = await Invitation.count().run() - before
            if response.status_code != expected or created != (1 if expected == 201 else 0):
                wrong.append(f"{inviter} → {name}: {response.status_code} ({created} created), expected {expected}")
    assert not wrong, "\n".join(wrong)
    # Signed out, or with a terminal's API key: no invitation at all.
    client.cookies.clear()
    body = {"email": "anon@invitee.example", **targets["proxy@a"]}
    assert (await client.post("/api/v1/invitations", json=body)).status_code == 401
    _key_id, key = await identity.create_api_key(provider_id=w["refs"]["prov-a"], label="kutsu")
    response = await client.post("/api/v1/invitations", json={**body, "role": "provider_staff",
                                                               "provider_id": w["refs"]["prov-a"]},
                                 headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403
    assert await Invitation.count().where(Invitation.email.like("anon@%")).run() == 0


async def test_bad_bodies_are_400s_naming_the_field_and_write_nothing(db, client):
    w = await build(db.settings)
    await _signed_in(client, w["actors"]["counsellor_a"])
    cli = w["refs"]["cli-a"]
    cases = [
        ({"email": "not-an-address", "role": "client", "client_id": cli}, "email"),
        ({"email": "a@b.example", "role": "janitor"}, "role"),
        ({"email": "a@b.example", "role": "proxy", "client_id": cli, "rights": ["view", "sell"]}, "rights"),
        ({"email": "a@b.example", "role": "proxy", "client_id": cli, "rights": []}, "rights"),
        ({"email": "a@b.example", "role": "client", "client_id": cli, "rights": ["view"]}, "rights"),
        ({"email": "a@b.example", "role": "client", "client_id": cli, "display_name": "Eve\u202e"}, "display_name"),
        ({"email": "a@b.example", "role": "client", "client_id": cli, "extra": 1}, None),
    ]
    for body, field in cases:
        response = await client.post("/api/v1/invitations", json=body)
        assert response.status_code == 400, (body, response.text)
        if field:
            assert field in response.text, (body, response.text)
    # An address that has an account already: 409 naming it.
    response = await client.post("/api/v1/invitations", json={"email": "Client_A@inviter.example", "role": "proxy",
                                                               "client_id": cli, "rights": ["view"]})
    assert response.status_code == 409 and "email" in response.text
    assert await Invitation.count().run() == 0


async def test_accepting_by_password_makes_the_account_with_its_scope_and_signs_in(db, client):
    w = await build(db.settings)
    refs, counsellor = w["refs"], w["actors"]["counsellor_a"]
    await _signed_in(client, counsellor)
    made = await client.post("/api/v1/invitations", json={
        "email": "Oona.Omainen@Invitee.example", "role": "proxy", "client_id": refs["cli-a"],
        "rights": ["view", "book"], "display_name": "Oona Omainen"})
    assert made.status_code == 201, made.text
    link = made.json()["url"]
    token = link.rsplit("/", 1)[1]
    assert link.startswith(db.settings.base_url) and len(token) >= 43
    # Only the token's hash is kept.
    stored = await Invitation.select().first().run()
    assert token not in str(stored) and stored["token_hash"] == identity.token_hash(token)
    listed = (await client.get("/api/v1/invitations?status=pending")).json()
    assert [(i["email"], i["status"], i["rights"]) for i in listed] == [
        ("oona.omainen@invitee.example", "pending", ["book", "view"])]

    client.cookies.clear()
    accepted = await client.post(f"/api/v1/invitations/{token}/accept", json={"password": PASSWORD})
    assert accepted.status_code == 201, accepted.text
    user_id = accepted.json()["user_id"]
    assert client.cookies.get(identity.SESSION_COOKIE)
    me = await User.select().where(User.id == user_id).first().run()
    assert (me["role"], me["email"], me["display_name"], str(me["organiser_id"])) == (
        "proxy", "oona.omainen@invitee.example", "Oona Omainen", refs["org-a"])
    assert await identity.password_login("oona.omainen@invitee.example", PASSWORD) == user_id
    assert await proxies.rights_of(user_id, refs["cli-a"]) == {"view", "book"}
    # The session works: the proxy sees the client's budget.
    budget = await client.get(f"/api/v1/clients/{refs['cli-a']}/budget")
    assert budget.status_code == 200, budget.text

    # The inviter's list says accepted; the audit log has every step, and no e-mail address.
    await _signed_in(client, counsellor)
    assert [i["status"] for i in (await client.get("/api/v1/invitations")).json()] == ["accepted"]
    events = await AuditEvent.select(AuditEvent.action, AuditEvent.details).where(
        AuditEvent.subject_type == "invitation").order_by(AuditEvent.at).run()
    assert [e["action"] for e in events] == ["invitation.created", "invitation.accepted"]
    assert "invitee.example" not in str(events)


async def test_used_expired_revoked_and_forged_tokens_create_nothing(db, client):
    w = await build(db.settings)
    admin, settings = w["actors"]["org_admin_a"], db.settings

    async def invite(email: str, now=None) -> tuple[str, str]:
        issued = await invitations.invite(admin, InvitationCreate(email=email, role="counsellor"), settings=settings,
                                          now=now)
        return issued.invitation.id, issued.token

    _id, used = await invite("used@invitee.example")
    assert (await client.post(f"/api/v1/invitations/{used}/accept", json={"password": PASSWORD})).status_code == 201
    _id, expired = await invite("expired@invitee.example", now=utcnow() - dt.timedelta(days=8))
    revoked_id, revoked = await invite("revoked@invitee.example")
    await invitations.revoke(admin, revoked_id)
    users = await User.count().run()
    for token, status in ((used, 410), (expired, 410), (revoked, 410), ("forged-" + "x" * 40, 404), ("", 404)):
        response = await client.post(f"/api/v1/invitations/{token or '%20'}/accept", json={"password": PASSWORD})
        assert response.status_code == status, (token, response.text)
        page = await client.get(f"/invitations/{token or '%20'}")
        assert page.status_code == status and "<form" not in page.text.split("<main", 1)[1]
    assert await User.count().run() == users
    assert not await identity.account_by_email("expired@invitee.example")

    # A weak password names the field and leaves the invitation open.
    _id, open_token = await invite("open@invitee.example")
    weak = await client.post(f"/api/v1/invitations/{open_token}/accept", json={"password": "short"})
    assert weak.status_code == 400 and "password" in weak.text
    assert (await invitations.view(open_token)).status == "pending"

    # A resend of the expired one: a new link that works, and the old one no longer names anything.
    expired_row = await Invitation.select(Invitation.id).where(Invitation.email == "expired@invitee.example").first().run()
    renewed = await invitations.resend(admin, expired_row["id"], settings=settings)
    assert (await client.post(f"/api/v1/invitations/{expired}/accept", json={"password": PASSWORD})).status_code == 404
    again = await client.post(f"/api/v1/invitations/{renewed.token}/accept", json={"password": PASSWORD})
    assert again.status_code == 201
    assert (await identity.account_by_email("expired@invitee.example")).id == again.json()["user_id"]
    # Someone else's invitation can be neither resent nor revoked.
    with pytest.raises(NotFound):
        await invitations.revoke(w["actors"]["counsellor_a"], revoked_id)


async def test_two_accepts_at_once_make_one_account(db):
    w = await build(db.settings)
    issued = await invitations.invite(w["actors"]["org_admin_a"], InvitationCreate(
        email="kaksi@invitee.example", role="counsellor"), settings=db.settings)
    users = await User.count().run()
    results = await asyncio.gather(*(invitations.accept(issued.token, password=PASSWORD, settings=db.settings)
                                     for _ in range(4)), return_exceptions=True)
    winners = [r for r in results if isinstance(r, str)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Gone) for r in results if not isinstance(r, str)), results
    assert await User.count().run() == users + 1
    row = await Invitation.select().where(Invitation.id == issued.invitation.id).first().run()
    assert str(row["accepted_user_id"]) == winners[0]


async def test_a_clients_strong_eid_must_be_the_clients_own(db):
    w = await build(db.settings)
    refs, settings = w["refs"], db.settings
    issued = await invitations.invite(w["actors"]["counsellor_a"], InvitationCreate(
        email="asiakas.a@invitee.example", role="client", client_id=refs["cli-a2"]), settings=settings)
    someone_else = VerifiedIdentity(issuer=EID_ISSUER, subject="other", national_id="010101-123N")
    with pytest.raises(Forbidden):
        await invitations.accept(issued.token, identity=someone_else, settings=settings)
    assert not await identity.account_by_email("asiakas.a@invitee.example")
    assert await ExternalIdentity.count().run() == 0
    assert (await invitations.view(issued.token)).status == "pending"
    with pytest.raises(Invalid):  # neither a password nor an identity
        await invitations.accept(issued.token, settings=settings)

    # The e-ID sign-in finds the invitation by the person's national ID, without the link.
    the_client = VerifiedIdentity(issuer=EID_ISSUER, subject="subject-a", national_id=NATIONAL_ID.lower(),
                                  name="Aino Asiakas")
    assert await invitations.pending_client_invitation_for(someone_else, settings=settings) is None
    found = await invitations.pending_client_invitation_for(the_client, settings=settings)
    assert found is not None and found.id == issued.invitation.id and found.client_id == refs["cli-a2"]
    assert (await invitations.pending_client_invitation(refs["cli-a2"])).id == found.id
    user_id = await invitations.accept_pending(found.id, identity=the_client, settings=settings)
    me = await User.select().where(User.id == user_id).first().run()
    assert (me["role"], str(me["client_id"]), me["password_hash"], me["display_name"]) == (
        "client", refs["cli-a2"], None, "Aino Asiakas")
    assert await identity.external_login(settings.secret_key, EID_ISSUER, "subject-a") == user_id
    assert "subject-a" not in str(await ExternalIdentity.select().run())
    # Once: the link is used, and the client has an account (a new invitation for them is refused).
    with pytest.raises(Gone):
        await invitations.accept(issued.token, identity=the_client, settings=settings)
    with pytest.raises(Conflict):
        await invitations.invite(w["actors"]["counsellor_a"], InvitationCreate(
            email="toinen@invitee.example", role="client", client_id=refs["cli-a2"]), settings=settings)
    assert await invitations.pending_client_invitation_for(the_client, settings=settings) is None


async def test_a_proxy_accepts_by_strong_eid_without_a_password(db):
    w = await build(db.settings)
    issued = await invitations.invite(w["actors"]["client_a"], InvitationCreate(
        email="avustaja@invitee.example", role="proxy", rights=["view", "book", "pay"]), settings=db.settings)
    assert issued.invitation.client_id == w["refs"]["cli-a"]
    helper = VerifiedIdentity(issuer=EID_ISSUER, subject="subject-proxy", national_id="010203-456X")
    user_id = await invitations.accept(issued.token, identity=helper, settings=db.settings)
    assert await proxies.rights_of(user_id, w["refs"]["cli-a"]) == {"view", "book", "pay"}
    # The same identity cannot take a second account.
    again = await invitations.invite(w["actors"]["client_a"], InvitationCreate(
        email="avustaja2@invitee.example", role="proxy", rights=["view"]), settings=db.settings)
    with pytest.raises(Conflict):
        await invitations.accept(again.token, identity=helper, settings=db.settings)
    assert not await identity.account_by_email("avustaja2@invitee.example")


async def test_the_invitation_is_emailed_and_resent_through_smtp(db, make_client, smtp_server):
    w = await build(db.settings)
    c = await make_client(smtp_host="127.0.0.1", smtp_port=smtp_server.port, mail_from="hb@test.example",
                          base_url="https://hb.test.example")
    await _signed_in(c, w["actors"]["staff_a"])
    made = await c.post("/api/v1/invitations", json={"email": "kollega@invitee.example", "role": "provider_staff",
                                                      "language": "sv"})
    assert made.status_code == 201, made.text
    [message] = await smtp_server.wait_for(1)
    body = message.get_payload(decode=True).decode()
    assert message["To"] == "kollega@invitee.example" and made.json()["url"] in body
    assert body.startswith("Kutsuja staff_a bjuder in dig")
    resent = await c.post(f"/api/v1/invitations/{made.json()['id']}/resend", json={})
    assert resent.status_code == 200 and resent.json()["url"] != made.json()["url"]
    messages = await smtp_server.wait_for(2)
    assert resent.json()["url"] in messages[1].get_payload(decode=True).decode()
    for _ in range(50):
        [row] = (await c.get("/api/v1/invitations")).json()
        if row["sent_count"] == 2:
            break
        await asyncio.sleep(0.05)
    assert row["sent_count"] == 2 and row["last_sent_at"]
    revoked = await c.request("DELETE", f"/api/v1/invitations/{made.json()['id']}",
                              headers={"content-type": "application/json"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    token = resent.json()["url"].rsplit("/", 1)[1]
    assert (await c.post(f"/api/v1/invitations/{token}/accept", json={"password": PASSWORD})).status_code == 410


async def test_the_pages_invite_and_accept_without_javascript(db, client):
    w = await build(db.settings)
    refs = w["refs"]
    await _signed_in(client, w["actors"]["counsellor_a"])
    await client.get("/login")
    form_page = await client.get(f"/invitations?client={refs['cli-a']}")
    assert form_page.status_code == 200 and 'value="proxy"' in form_page.text and refs["cli-a"] in form_page.text
    csrf = client.cookies.get("hb_csrf")
    bad = await client.post("/invitations", data={"_csrf_token": csrf, "role": "proxy", "client_id": refs["cli-a"],
                                                  "email": "nope", "rights": "view"})
    assert bad.status_code == 400 and 'href="#f-email"' in bad.text and 'aria-invalid="true"' in bad.text
    made = await client.post("/invitations", data={"_csrf_token": csrf, "role": "proxy", "client_id": refs["cli-a"],
                                                   "email": "sivu@invitee.example", "rights": ["view", "book"]})
    assert made.status_code == 200, made.text
    link = made.text.split('class="secret">', 1)[1].split("<", 1)[0]
    token = link.rsplit("/", 1)[1]
    assert "sivu@invitee.example" in made.text and made.headers["cache-control"] == "no-store"

    client.cookies.clear()
    await client.get("/login")
    csrf = client.cookies.get("hb_csrf")
    shown = await client.get(f"/invitations/{token}?lang=en")
    assert shown.status_code == 200
    assert "Kutsuja counsellor_a invites you as: Proxy or HB assistant" in shown.text
    assert "Client: Asiakas cli-a" in shown.text and "/login/eid" not in shown.text
    mismatch = await client.post(f"/invitations/{token}", data={"_csrf_token": csrf, "password": PASSWORD,
                                                                "password_confirm": PASSWORD + "x"})
    assert mismatch.status_code == 400 and 'href="#f-password_confirm"' in mismatch.text
    done = await client.post(f"/invitations/{token}", data={"_csrf_token": csrf, "password": PASSWORD,
                                                            "password_confirm": PASSWORD, "display_name": "Sivu"})
    assert done.status_code == 303 and done.headers["location"].startswith("/client")
    assert (await client.get("/client")).status_code == 200
    used = await client.get(f"/invitations/{token}")
    assert used.status_code == 410


async def test_a_client_added_on_the_page_with_an_identity_code_accepts_by_strong_eid(db, client):
    from voucher.tables import Client

    w = await build(db.settings)
    counsellor = w["actors"]["counsellor_a"]
    await _signed_in(client, counsellor)
    await client.get("/login")
    added = await client.post("/counsellor/clients", data={
        "_csrf_token": client.cookies.get("hb_csrf"), "display_name": "Asiakas 0100", "client_group": "older_people",
        "language": "fi", "national_id": "010150-123P"})
    assert added.status_code == 303, added.text
    row = await Client.select(Client.id, Client.national_id_hash).where(Client.display_name == "Asiakas 0100").first().run()
    assert row["national_id_hash"] and "010150" not in row["national_id_hash"]
    issued = await invitations.invite(counsellor, InvitationCreate(
        email="sata@invitee.example", role="client", client_id=str(row["id"])), settings=db.settings)
    person = VerifiedIdentity(issuer=EID_ISSUER, subject="sata", national_id="010150-123P")
    user_id = await invitations.accept(issued.token, identity=person, settings=db.settings)
    assert (await User.select(User.client_id).where(User.id == user_id).first().run())["client_id"] == row["id"]


async def test_a_clients_invitations_are_in_the_export_and_go_with_pseudonymisation(db):
    from core.privacy import export_client, pseudonymise_client

    w = await build(db.settings)
    refs, admin = w["refs"], w["actors"]["org_admin_a"]
    pending = await invitations.invite(admin, InvitationCreate(
        email="perhe@invitee.example", role="proxy", client_id=refs["cli-a"], rights=["view"],
        display_name="Pekka Perhe"), settings=db.settings)
    exported = await export_client(admin, refs["cli-a"])
    assert [(i["email"], i["display_name"]) for i in exported["invitations"]] == [("perhe@invitee.example", "Pekka Perhe")]
    await pseudonymise_client(admin, refs["cli-a"], "säilytysaika", at=dt.datetime(2999, 1, 1, tzinfo=dt.UTC))
    row = await Invitation.select().where(Invitation.id == pending.invitation.id).first().run()
    assert row["email"].startswith("pseudonymised-") and row["display_name"] == "" and row["revoked_at"]
    with pytest.raises(Gone):
        await invitations.accept(pending.token, password=PASSWORD, settings=db.settings)
