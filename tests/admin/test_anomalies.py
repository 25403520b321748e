"""Issue 6, acceptance 3: each anomaly rule has a case that triggers it and one that must not; flags
carry their evidence, are raised once however often the scan runs, and can be marked reviewed (by
the county's admins only, once, audited). Payouts to a changed account wait for two admins."""

import datetime as dt
import json
import uuid

import pytest

from admin import anomalies, payouts
from admin.tables import AnomalyFlag
from core import db as core_db
from core import identity
from core.errors import Conflict, NotFound
from core.tables import AuditEvent
from marketplace.tables import Provider
from tests.admin.builders import add_client, at, client_code, organiser_admin, pay, world
from tests.helpers import form_post, login
from voucher import authorisation as auth
from voucher.authorisation import consent
from voucher.schemas import AuthorizationRequest
from voucher.settlement import settle
from voucher.tables import ProxyGrant, SettlementBatch

DAY = at(2026, 3, 10, 8)
SINCE, UNTIL = at(2026, 3, 1), at(2026, 3, 31)


async def _flags(organiser_id: str, rule: str) -> list[dict]:
    await anomalies.scan(organiser_id, SINCE, UNTIL)
    return await AnomalyFlag.select().where(
        (AnomalyFlag.organiser_id == organiser_id) & (AnomalyFlag.rule == rule)
    ).output(load_json=True).run()


async def test_capture_above_listing_price(db):
    # The county lets a payment go 20 % over the listing's price (issue 16's tolerance): the
    # authorisation allows it, the flag still shows the organiser what ran over the price.
    w = await world(db.settings.secret_key, card_rules={"price_tolerance_bp": 2_000})
    c = await add_client(w, db.settings.secret_key, "Asiakas Hinta", "families")
    # The riding listing costs 75,00 € a session: 75,00 is fine, 90,00 is not.
    await pay(db.settings, w.provider, c.token, 7500, DAY, listing=w.listing_riding)
    over = await pay(db.settings, w.provider, c.token, 9000, DAY + dt.timedelta(days=2), listing=w.listing_riding)
    flags = await _flags(w.organiser_id, "over_listing_price")
    assert len(flags) == 1
    facts = flags[0]["evidence"]["facts"]
    assert facts["authorization_id"] == over["authorization_id"]
    assert (facts["price_cents"], facts["quantity"], facts["limit_cents"], facts["captured_cents"], facts["over_cents"]) == (
        7500, 1, 7500, 9000, 1500)
    assert facts["quantity_source"] == "payment"
    assert flags[0]["amount_cents"] == 1500 and flags[0]["client_id"] == uuid.UUID(c.id)


async def test_many_captures_for_one_client_at_one_provider_in_one_day(db):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Monta", "families")
    d = await add_client(w, db.settings.secret_key, "Asiakas Kaksi", "families")
    for hour in (7, 9, 12):  # three on one Helsinki day
        await pay(db.settings, w.provider, c.token, 2000, at(2026, 3, 10, hour))
    # Two on one day and one just after midnight in Helsinki (21:30 UTC): not three in a day.
    for moment in (at(2026, 3, 11, 8), at(2026, 3, 11, 12), dt.datetime(2026, 3, 11, 22, 30, tzinfo=dt.timezone.utc)):
        await pay(db.settings, w.provider, d.token, 2000, moment)
    # Three in a day for d, but at two providers: not at one provider.
    for actor, listing in ((w.provider, None), (w.other_provider, w.listing_art), (w.other_provider, w.listing_art)):
        await pay(db.settings, actor, d.token, 1500, at(2026, 3, 14, 10), listing=listing)
    flags = await _flags(w.organiser_id, "many_captures_one_day")
    assert len(flags) == 1
    assert flags[0]["client_id"] == uuid.UUID(c.id)
    assert flags[0]["evidence"]["facts"] == {"day": "2026-03-10", "count": 3, "threshold": 3, "total_cents": 6000}
    assert len(flags[0]["evidence"]["captures"]) == 3


async def test_card_payment_without_a_booking(db):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Varaus", "families")
    card_payment = await pay(db.settings, w.provider, c.token, 7500, DAY, listing=w.listing_riding)
    # A payment made through the booking flow has a booking behind it.
    booking_day = DAY + dt.timedelta(days=1)
    req = AuthorizationRequest(card_token=c.token, amount_cents=7500, listing_id=w.listing_riding,
                               client_code=await client_code(db.settings, c.token, 7500, booking_day))
    offered = await consent.offered(db.settings, req)
    async with core_db.write_transaction():
        booked = await auth.authorise_once(w.provider, req, db.settings, booking_day, "fi", source="booking", offered=offered)
    captured = json.loads((await auth.capture(w.provider, str(booked.id), 7500, now=DAY + dt.timedelta(days=1))).body)
    flags = await _flags(w.organiser_id, "no_booking")
    assert [f["key"] for f in flags] == [f"no_booking:{card_payment['capture_id']}"]
    assert flags[0]["evidence"]["facts"]["source"] == "api"
    assert captured["id"] not in json.dumps([f["evidence"] for f in flags])


async def test_proxy_who_is_staff_of_the_paid_provider(db):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Asioija", "older_people")
    d = await add_client(w, db.settings.secret_key, "Asiakas Toinen", "older_people")
    e = await add_client(w, db.settings.secret_key, "Asiakas Kolmas", "older_people")
    # c's proxy has an account at the riding stable; d's proxy at the art workshop; e's proxy uses
    # the stable's own e-mail address.
    stable_staff = await identity.create_user(email="omainen.talli@test.example", display_name="Omainen Talli",
                                              role="proxy", provider_id=w.provider_id)
    art_staff = await identity.create_user(email="omainen.taide@test.example", display_name="Omainen Taide",
                                           role="proxy", provider_id=w.other_provider_id)
    stable = await Provider.select(Provider.email).where(Provider.id == w.provider_id).first().run()
    same_mail = await identity.create_user(email=stable["email"].upper(), display_name="Omainen Posti", role="proxy")
    for client, user in ((c, stable_staff), (d, art_staff), (e, same_mail)):
        await ProxyGrant.insert(ProxyGrant(client=client.id, proxy_user_id=user, rights=["view", "book"])).run()
    for client in (c, d, e):
        await pay(db.settings, w.provider, client.token, 7500, DAY, listing=w.listing_riding)
    flags = sorted(await _flags(w.organiser_id, "proxy_is_provider_staff"), key=lambda f: f["evidence"]["facts"]["proxy"])
    assert [(f["client_id"], f["evidence"]["facts"]["matched_by"]) for f in flags] == [
        (uuid.UUID(e.id), "same_email"), (uuid.UUID(c.id), "provider_account")]
    # A revoked grant is no longer a reason.
    await ProxyGrant.update({ProxyGrant.revoked_at: DAY}).where(ProxyGrant.client == c.id).run()
    found = await anomalies.findings(w.organiser_id, SINCE, UNTIL)
    assert [f.client_id for f in found if f.rule == "proxy_is_provider_staff"] == [e.id]


async def test_payout_to_a_bank_account_changed_in_the_last_30_days_needs_two_admins(db):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Tili", "families")
    await pay(db.settings, w.provider, c.token, 7500, DAY, listing=w.listing_riding)
    await pay(db.settings, w.other_provider, c.token, 5500, DAY, listing=w.listing_art)
    # The first settlement after the payments' dispute window.
    await settle(db.settings, DAY + dt.timedelta(days=db.settings.dispute_window_days + 1), confirmation=payouts.unconfirmed)
    batches = {str(b["provider_id"]): b for b in await SettlementBatch.select().run()}
    stable, art = batches[w.provider_id], batches[w.other_provider_id]
    # The stable changed its account 10 days before its batch; the workshop 40 days before.
    for provider_id, batch, days in ((w.provider_id, stable, 10), (w.other_provider_id, art, 40)):
        await Provider.update({Provider.iban_changed_at: batch["created_at"] - dt.timedelta(days=days)}).where(
            Provider.id == provider_id).run()
    await anomalies.scan(w.organiser_id, stable["created_at"] - dt.timedelta(days=1),
                         stable["created_at"] + dt.timedelta(days=1))
    flags = await AnomalyFlag.select().where(AnomalyFlag.rule == "changed_bank_account").output(load_json=True).run()
    assert [f["evidence"]["facts"]["batch_id"] for f in flags] == [str(stable["id"])]
    assert flags[0]["evidence"]["facts"]["days_since_change"] == 10 and flags[0]["amount_cents"] == 7500

    when = stable["created_at"] + dt.timedelta(hours=1)
    closed = stable["created_at"]
    assert payouts.needs_confirmation(closed - dt.timedelta(days=10), closed)
    assert payouts.needs_confirmation(closed + dt.timedelta(days=2), closed)  # changed after the batch closed
    assert not payouts.needs_confirmation(closed - dt.timedelta(days=31), closed)
    assert not payouts.needs_confirmation(None, closed)
    assert await payouts.unconfirmed([stable["id"], art["id"]], when) == {str(stable["id"])}
    first, second = await organiser_admin(w.organiser_id), await organiser_admin(w.organiser_id)
    outsider = await organiser_admin(str(uuid.uuid4()))
    with pytest.raises(NotFound):
        await payouts.confirm(outsider, stable["id"], when)
    with pytest.raises(Conflict):  # the workshop's account is old: nothing to confirm
        await payouts.confirm(first, art["id"], when)
    await payouts.confirm(first, stable["id"], when)
    assert await payouts.unconfirmed([stable["id"]], when) == {str(stable["id"])}
    with pytest.raises(Conflict):  # the same admin cannot be the second one
        await payouts.confirm(first, stable["id"], when)
    row = await payouts.confirm(second, stable["id"], when)
    assert str(row["first_by"]) == first.user_id and str(row["second_by"]) == second.user_id
    with pytest.raises(Conflict):  # confirmed twice already
        await payouts.confirm(second, stable["id"], when)
    assert await payouts.unconfirmed([stable["id"]], when) == set()
    # The account changes again before the payout: the confirmations were for the old account.
    await Provider.update({Provider.iban_changed_at: when}).where(Provider.id == w.provider_id).run()
    later = when + dt.timedelta(hours=1)
    assert await payouts.unconfirmed([stable["id"]], later) == {str(stable["id"])}
    assert (await payouts.waiting(first, later))[0]["confirmation"] is None
    await payouts.confirm(second, stable["id"], later)
    assert await payouts.unconfirmed([stable["id"]], later) == {str(stable["id"])}
    await payouts.confirm(first, stable["id"], later)
    assert await payouts.unconfirmed([stable["id"]], later) == set()
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.subject_id == str(stable["id"])).run()]
    assert "admin.payout.confirmed_first" in actions and "admin.payout.confirmed_second" in actions


async def test_flags_are_raised_once_and_reviewed_once_by_the_countys_admin(db, app, client):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Katsottu", "families")
    for hour in (7, 9, 12):
        await pay(db.settings, w.provider, c.token, 2000, at(2026, 3, 10, hour))
    assert await anomalies.scan(w.organiser_id, SINCE, UNTIL) == 4  # three without booking, one many-in-a-day
    assert await anomalies.scan(w.organiser_id, SINCE, UNTIL) == 0
    flag = (await AnomalyFlag.select().where(AnomalyFlag.rule == "many_captures_one_day").run())[0]

    await organiser_admin(w.organiser_id, "tarkastaja@test.example")
    await login(client, {"email": "tarkastaja@test.example", "password": "admin-salasana-2026"})
    app.state.clock = lambda: at(2026, 3, 12)
    listing = await client.get("/organiser/anomalies?rule=many_captures_one_day")
    assert listing.status_code == 200 and "Asiakas Katsottu" in listing.text
    detail = await client.get(f"/organiser/anomalies/{flag['id']}")
    assert detail.status_code == 200 and "Monta veloitusta samana päivänä" in detail.text and "20,00" in detail.text
    response = await form_post(client, f"/organiser/anomalies/{flag['id']}/review", {"note": "Kolme erillistä tuntia."})
    assert response.status_code == 303
    row = await AnomalyFlag.select().where(AnomalyFlag.id == flag["id"]).first().run()
    assert row["status"] == "reviewed" and row["review_note"] == "Kolme erillistä tuntia."
    assert row["reviewed_at"] == at(2026, 3, 12)
    again = await form_post(client, f"/organiser/anomalies/{flag['id']}/review", {"note": "uudestaan"})
    assert again.status_code == 409
    # A rescan leaves a reviewed flag as it was.
    await pay(db.settings, w.provider, c.token, 2000, at(2026, 3, 10, 15))
    await anomalies.scan(w.organiser_id, SINCE, UNTIL)
    row = await AnomalyFlag.select().where(AnomalyFlag.id == flag["id"]).output(load_json=True).first().run()
    assert row["status"] == "reviewed" and row["evidence"]["facts"]["count"] == 3
    assert await AuditEvent.count().where(AuditEvent.action == "admin.anomaly.reviewed").run() == 1
    # Scanning through the page works too.
    scanned = await form_post(client, "/organiser/anomalies/scan", {})
    assert scanned.status_code == 303


async def test_data_subject_rights_over_the_flags(db):
    from admin import privacy

    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Oikeus", "families")
    proxy = await identity.create_user(email="omainen.oikeus@test.example", display_name="Olga Omainen",
                                       role="proxy", provider_id=w.provider_id)
    await ProxyGrant.insert(ProxyGrant(client=c.id, proxy_user_id=proxy, rights=["view"])).run()
    await pay(db.settings, w.provider, c.token, 7500, DAY, listing=w.listing_riding)
    await anomalies.scan(w.organiser_id, SINCE, UNTIL)
    reviewer = await organiser_admin(w.organiser_id)
    flag = (await AnomalyFlag.select().where(AnomalyFlag.rule == "proxy_is_provider_staff").run())[0]
    await anomalies.mark_reviewed(reviewer, flag["id"], "Olga on tallin työntekijä.", DAY)
    held = await privacy.records(c.id)
    assert {f["rule"] for f in held["anomaly_flags"]} == {"proxy_is_provider_staff", "no_booking"}
    async with core_db.write_transaction():
        await privacy.pseudonymise(c.id, "Asiakas 9f2c", DAY)
    after = await AnomalyFlag.select().where(AnomalyFlag.id == flag["id"]).output(load_json=True).first().run()
    assert after["evidence"]["facts"]["proxy"] == "Asiakas 9f2c" and after["review_note"] == ""
    assert after["amount_cents"] == 7500 and "Olga" not in json.dumps(after, default=str)
