"""Evidence as documents that expire (issue 18, decision 0038), on both databases: uploads are
checked by content and size and stored under a random name; only the provider's own staff and the
reviewing county's admins may fetch one (each view audited); reminders go 30 and 7 days ahead
once each; at expiry the listings leave search within a second and payments are declined
``provider_not_approved``, with the reason on the provider's page."""

import asyncio
import datetime as dt
import json
import time

from core.audit import AuditEvent
from core.clock import HELSINKI
from marketplace import documents
from marketplace.booking.tables import Notification
from marketplace.evidence_store import store_for
from marketplace.tables import ProviderApproval, ProviderDocument, ServiceCategory
from tests import world
from tests.hardening.world import CARDS, load_world, run_hb
from tests.helpers import csrf_token, login, logout
from voucher import authorisation
from voucher.schemas import AuthorizationRequest

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _world(db) -> dict:
    refs = (await load_world(db.settings))["refs"]
    await ServiceCategory.update({ServiceCategory.requirements: ["liability_insurance"]}).where(
        ServiceCategory.code == "sport-riding").run()
    people = {
        "staff": await world.person("provider_staff", "talli@docs.example", provider_id=refs["prov-a"]),
        "other": await world.person("provider_staff", "paja@docs.example", provider_id=refs["prov-b"]),
        "client": await world.person("client", "asiakas@docs.example", client_id=refs["cli-a1"]),
        "admin": await world.person("organiser_admin", "admin@docs.example", organiser_id=refs["org-a"]),
    }
    return {"refs": refs, **people}


async def _upload(client, name: str, content: bytes, ctype: str = "application/pdf", **fields):
    form = {"requirement": "liability_insurance", "valid_from": "2026-01-01", "valid_until": "2027-12-31",
            "_csrf_token": await csrf_token(client), **fields}
    return await client.post("/provider/documents", data=form, files={"file": (name, content, ctype)})


async def test_a_pdf_is_stored_under_a_random_name_and_only_its_provider_and_reviewer_fetch_it(client, db):
    w = await _world(db)
    await login(client, w["staff"].login)
    r = await _upload(client, "../../../../etc/passwd", PDF)
    assert r.status_code == 303, r.text[:800]
    [doc] = await ProviderDocument.select().run()
    root = db.settings.data_dir / "evidence"
    assert [p.name for p in root.iterdir()] == [doc["storage_key"]] and len(doc["storage_key"]) == 32
    assert (root / doc["storage_key"]).read_bytes() == PDF and doc["content_type"] == "application/pdf"
    assert not any(p.name == "passwd" for p in db.settings.data_dir.rglob("*"))
    # The approval now holds until the document ends (the end of 31.12.2027, Finnish time).
    approvals = await ProviderApproval.select().where(ProviderApproval.provider == w["refs"]["prov-a"]).run()
    assert len(approvals) == 2  # both counties approved it
    assert {a["valid_until"] for a in approvals} == {dt.datetime(2028, 1, 1, tzinfo=HELSINKI)}
    page = await client.get("/provider/documents")
    assert page.status_code == 200 and "31.12.2027" in page.text and "1.1.2026" in page.text
    assert "hyväksyntä voimassa 31.12.2027 asti" in (await client.get("/provider")).text
    url = f"/provider/documents/{doc['id']}"
    got = await client.get(url)
    assert got.status_code == 200 and got.content == PDF and got.headers["content-type"].startswith("application/pdf")
    assert "attachment" in got.headers["content-disposition"] and "passwd" not in got.headers["content-disposition"]
    for who in ("other", "client"):
        await logout(client)
        await login(client, w[who].login)
        assert (await client.get(url)).status_code == 404, who
    await logout(client)
    anonymous = await client.get(url)
    assert anonymous.status_code in (401, 303, 302) and PDF not in anonymous.content
    await login(client, w["admin"].login)
    org_a = next(a for a in approvals if str(a["organiser"]) == w["refs"]["org-a"])
    review = await client.get(f"/organiser/reviews/provider/{org_a['id']}")
    assert review.status_code == 200 and f'href="{url}"' in review.text and "31.12.2027" in review.text
    assert (await client.get(url)).content == PDF
    views = await AuditEvent.select().where(AuditEvent.action == "provider.document_viewed").run()
    assert sorted(v["actor_role"] for v in views) == ["organiser_admin", "provider_staff"]
    reviewer = next(v for v in views if v["actor_role"] == "organiser_admin")
    assert str(reviewer["organiser_id"]) == w["refs"]["org-a"] and str(reviewer["actor_user_id"]) == w["admin"].actor.user_id


async def test_a_renamed_executable_and_an_oversize_file_are_refused_and_nothing_is_kept(client, db):
    w = await _world(db)
    await login(client, w["staff"].login)
    r = await _upload(client, "vakuutus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert r.status_code == 400 and "Tiedosto ei ole PDF, JPEG eikä PNG" in r.text and 'id="f-file-error"' in r.text
    r = await _upload(client, "iso.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert r.status_code == 400 and "enintään 10 Mt" in r.text
    r = await _upload(client, "kuva.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png", valid_until="2025-01-01")
    assert r.status_code == 400 and 'id="f-valid_until-error"' in r.text
    assert await ProviderDocument.count().run() == 0
    root = db.settings.data_dir / "evidence"
    assert not root.exists() or not any(root.iterdir())


async def _notes(kind: str) -> list[dict]:
    return await Notification.select(Notification.user_id, Notification.params).where(Notification.kind == kind).run()


async def test_reminders_go_30_and_7_days_ahead_once_each_to_the_provider_and_the_county(db):
    w = await _world(db)
    until = dt.date.today() + dt.timedelta(days=60)
    await documents.upload(w["staff"].actor, w["refs"]["prov-a"], "liability_insurance", PDF, dt.date(2026, 1, 1),
                           until, store=store_for(db.settings))
    ends = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), HELSINKI)
    # Both counties approved the provider: one reminder per approval, each naming its county.
    assert (await documents.sweep(ends - dt.timedelta(days=31)))["remind_30"] == 0
    assert (await documents.sweep(ends - dt.timedelta(days=30)))["remind_30"] == 2
    assert (await documents.sweep(ends - dt.timedelta(days=29)))["remind_30"] == 0
    assert (await documents.sweep(ends - dt.timedelta(days=7)))["remind_7"] == 2
    assert (await documents.sweep(ends - dt.timedelta(days=6)))["remind_7"] == 0
    told = await _notes("evidence_expiring")
    params = {}
    for n in told:
        p = json.loads(n["params"]) if isinstance(n["params"], str) else n["params"]
        params.setdefault(str(n["user_id"]), []).append((p["days"], p["organiser"]))
        assert p["until_day"] == until.isoformat()
    # The provider's staff hear of each county's approval, the county's admin of its own: once each.
    staff = params[w["staff"].actor.user_id]
    assert sorted(d for d, _ in staff) == [7, 7, 30, 30] and len({o for _, o in staff}) == 2
    assert sorted(d for d, _ in params[w["admin"].actor.user_id]) == [7, 30]


async def _hits(client, q: str) -> int:
    r = await client.get("/api/v1/search/listings", params={"q": q})
    assert r.status_code == 200, r.text
    return r.json()["total"]


async def test_at_expiry_the_listing_leaves_search_within_a_second_and_payments_are_declined(client, db):
    w = await _world(db)
    refs = w["refs"]
    terminal, _ = await world.terminal(refs["prov-a"])
    pay = AuthorizationRequest(card_token=CARDS["cli-a1"], amount_cents=5000, listing_id=refs["lst-riding"])
    assert json.loads((await authorisation.authorise(terminal, pay, settings=db.settings)).body)["status"] == "approved"
    assert await _hits(client, "Ratsastusterapia") == 1
    yesterday = dt.datetime.now(HELSINKI).date() - dt.timedelta(days=1)
    await documents.upload(w["staff"].actor, refs["prov-a"], "liability_insurance", PDF, dt.date(2025, 1, 1), yesterday,
                           store=store_for(db.settings))
    await documents.sweep()
    started = time.monotonic()
    while await _hits(client, "Ratsastusterapia") != 0:
        assert time.monotonic() - started < 1.0, "still searchable a second after the sweep"
        await asyncio.sleep(0.05)
    declined = json.loads((await authorisation.authorise(terminal, pay, settings=db.settings)).body)
    assert declined["status"] == "declined" and declined["decline_code"] == "provider_not_approved"
    expired = len(await _notes("evidence_expired"))
    assert expired == 3  # the staff for each of the two counties, the first county's admin
    await documents.sweep()
    assert len(await _notes("evidence_expired")) == expired  # told once
    await login(client, w["staff"].login)
    home = (await client.get("/provider")).text
    assert f"hyväksyntä päättyi {yesterday.day}.{yesterday.month}.{yesterday.year}" in home and "vanhentunut" in home
    # Another provider is untouched.
    assert await _hits(client, "Taideopetus") == 1
    # A renewed insurance restores the approval: back in search within a second, payments approved.
    await documents.upload(w["staff"].actor, refs["prov-a"], "liability_insurance", PDF, yesterday, dt.date(2999, 1, 1),
                           store=store_for(db.settings))
    started = time.monotonic()
    while await _hits(client, "Ratsastusterapia") != 1:
        assert time.monotonic() - started < 1.0, "not back in search a second after the upload"
        await asyncio.sleep(0.05)
    assert json.loads((await authorisation.authorise(terminal, pay, settings=db.settings)).body)["status"] == "approved"


async def test_hb_evidence_sweep_tells_once_and_says_what_it_did(db):
    w = await _world(db)
    yesterday = dt.datetime.now(HELSINKI).date() - dt.timedelta(days=1)
    await documents.upload(w["staff"].actor, w["refs"]["prov-a"], "liability_insurance", PDF, dt.date(2025, 1, 1),
                           yesterday, store=store_for(db.settings))
    first = run_hb(db.settings, "evidence-sweep")
    assert "2 approval(s) expired" in first.stderr + first.stdout
    again = run_hb(db.settings, "evidence-sweep")
    assert "0 approval(s) expired" in again.stderr + again.stdout
    assert len(await _notes("evidence_expired")) == 3
