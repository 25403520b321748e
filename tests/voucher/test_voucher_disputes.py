"""Notice and dispute of captured payments (issue 16, points 3 and 4), on both databases: a capture
tells the client and their proxies at once, in its own transaction; the client (or a proxy with
``pay``) disputes within the window only; a disputed capture stays out of the pain.001 until the
organiser resolves it; a refund or partial refund returns money to the line with the books intact.

Card payments here are at most 50 € and at most 150 € per client without a booking, so that the
consent rules of issue 16 (codes for larger code-less payments) do not change what is tested."""

import datetime as dt
import json

import msgspec
import pytest
from lxml import etree

from admin import payouts
from core import db as core_db
from core.errors import Conflict, Forbidden, Invalid, NotFound
from core.identity import Actor
from core.tables import AuditEvent
from marketplace import notifications
from marketplace.booking import services as bookings
from marketplace.booking.tables import Notification
from tests import world
from tests.marketplace import booking_world
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher import ledger, plans
from voucher.disputes import domain, queries, services
from voucher.schemas import AuthorizationRequest
from voucher.settlement import settle
from voucher.settlement.sepa import NS
from voucher.tables import BudgetLine, Capture, CaptureDispute, Refund, SettlementItem

WINDOW = dt.timedelta(days=3)
AFTER_WINDOW = NOW + WINDOW + dt.timedelta(days=1)


async def pay(w, settings, cents: int = 4000, *, at: dt.datetime = NOW, art: bool = False, token: str | None = None) -> str:
    """A terminal's card payment, authorised and captured at ``at``; the capture's id."""
    actor, listing = (w.other_provider, w.listing_art) if art else (w.provider, w.listing_riding)
    got = json.loads((await auth.authorise(actor, AuthorizationRequest(card_token=token or w.token, amount_cents=cents,
                                                                       listing_id=listing), settings=settings, now=at)).body)
    assert got["status"] == "approved", got
    return json.loads((await auth.capture(actor, got["id"], cents, now=at, settings=settings)).body)["id"]


class People(msgspec.Struct, kw_only=True):
    client: world.Person
    proxy_pay: world.Person
    proxy_view: world.Person
    ex_proxy: world.Person
    admin: world.Person
    staff: world.Person


async def people(w, *, passwords: bool = False) -> People:
    pw = world.PASSWORD if passwords else None
    made = People(
        client=await world.person("client", "asiakas@kortti.example", password=pw, client_id=w.client_id),
        proxy_pay=await world.person("proxy", "omainen@kortti.example", name="Oona Omainen", password=pw),
        proxy_view=await world.person("proxy", "katsoja@kortti.example", password=pw),
        ex_proxy=await world.person("proxy", "entinen@kortti.example", password=None),
        admin=await world.person("organiser_admin", "jarjestaja@kortti.example", password=pw, organiser_id=w.organiser_id),
        staff=await world.person("provider_staff", "kaisa@kortti.example", password=pw, provider_id=w.provider_id),
    )
    for person, rights in ((made.proxy_pay, ["view", "pay"]), (made.proxy_view, ["view"]), (made.ex_proxy, ["view", "pay"])):
        grant = await plans.grant_proxy(w.counsellor, w.client_id, plans.ProxyInput(proxy_user_id=person.actor.user_id,
                                                                                     rights=rights))
        if person is made.ex_proxy:
            await plans.revoke_proxy(w.counsellor, grant.id, reason="päättyi")
    return made


async def inbox(person: world.Person) -> list[dict]:
    return await Notification.select().where(Notification.user_id == person.actor.user_id).order_by(
        Notification.created_at).output(load_json=True).run()


# --- Notice ------------------------------------------------------------------------------------------


async def test_a_capture_tells_the_client_and_the_proxies_at_once_in_its_own_transaction(db):
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    capture_id = await pay(w, db.settings, 4000)

    [to_client] = await inbox(p.client)
    [to_proxy] = await inbox(p.proxy_pay)
    [to_viewer] = await inbox(p.proxy_view)
    assert await inbox(p.ex_proxy) == [] and await inbox(p.staff) == [] and await inbox(p.admin) == []
    until = NOW + WINDOW
    for row in (to_client, to_proxy, to_viewer):
        assert row["kind"] == "card_captured" and row["email_status"] == "pending" and row["booking_id"] is None
        params = row["params"]
        assert (params["provider"], params["title"], params["amount_cents"]) == ("Talli Tuulenpesä Oy",
                                                                                 {"fi": "Palvelu sport-riding"}, 4000)
        assert dt.datetime.fromisoformat(params["until"]) == until
        assert params["path"] == f"/budget/payments/{capture_id}"  # ids only in the link
    # Only those who act for someone else are told whose payment it is.
    assert "client" not in to_client["params"] and to_proxy["params"]["client"] == "Asiakas 0001"
    subject, body = notifications.render("card_captured", "fi", to_proxy["params"], "https://hb.example")
    assert subject == "Korttimaksu 40,00\u00a0€: Talli Tuulenpesä Oy"
    assert "Palvelu sport-riding" in body and "Asiakas 0001" in body and "13.3.2026 12.00" in body
    assert f"https://hb.example/budget/payments/{capture_id}" in body
    subject_sv, body_sv = notifications.render("card_captured", "sv", to_client["params"])
    assert subject_sv.startswith("Kortbetalning 40,00") and "bestridas" in body_sv
    assert "disputed until" in notifications.render("card_captured", "en", to_client["params"])[1]
    capture = await Capture.select().where(Capture.id == capture_id).first().run()
    assert (capture["dispute_until"], capture["dispute_state"]) == (until, domain.NOT_DISPUTED)

    # The notice is written in the capture's transaction: a capture rolled back tells nobody.
    got = json.loads((await auth.authorise(w.provider, AuthorizationRequest(
        card_token=w.token, amount_cents=1000, listing_id=w.listing_riding), settings=db.settings, now=NOW)).body)
    with pytest.raises(RuntimeError):
        async with core_db.write_transaction():
            await auth.capture(w.provider, got["id"], 1000, now=NOW, settings=db.settings)
            assert len(await inbox(p.client)) == 2  # there, inside
            raise RuntimeError("the caller's transaction fails after the capture")
    assert len(await inbox(p.client)) == 1
    assert await Capture.count().run() == 1


async def test_a_bookings_own_capture_is_told_without_a_window_and_paid_at_once(db):
    """The booking's dispute window came before its capture (marketplace.booking): the capture's
    ends as it is made, the client hears of the payment, and the next settlement pays it."""
    s = db.settings
    w = await booking_world.build(s)
    b = await bookings.book(w.client, booking_world.request(w), settings=s, now=booking_world.NOW)
    await bookings.act(w.provider, b.id, "confirm", settings=s, now=booking_world.NOW)
    await bookings.act(w.provider, b.id, "deliver", settings=s, now=booking_world.SLOT_END)
    paid_at = booking_world.SLOT_END + dt.timedelta(hours=1)
    await bookings.act(w.client, b.id, "accept", settings=s, now=paid_at)
    [capture] = await Capture.select().run()
    assert capture["dispute_until"] == paid_at
    [notice] = await Notification.select().where(
        (Notification.user_id == w.client.user_id) & (Notification.kind == "booking_captured")).output(load_json=True).run()
    assert notice["params"]["amount_cents"] == booking_world.PRICE and "until" not in notice["params"]
    with pytest.raises(Conflict) as late:
        await services.dispute(w.client, capture["id"], "Ei käynyt", now=paid_at)
    assert late.value.key == "voucher.dispute.error.window_closed"
    summary = await settle(s, paid_at + dt.timedelta(days=1), confirmation=payouts.unconfirmed)
    assert summary.total_cents == booking_world.PRICE


# --- Dispute -----------------------------------------------------------------------------------------


async def test_dispute_within_the_window_by_the_client_or_a_proxy_with_pay_only(db):
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    first, second, late = (await pay(w, db.settings, 4000), await pay(w, db.settings, 3000),
                           await pay(w, db.settings, 2500, at=NOW - WINDOW - dt.timedelta(minutes=1)))
    stranger = await world.person("client", "muu@kortti.example", password=None,
                                  client_id=(await world.voucher_client(w.counsellor, db.settings.secret_key,
                                                                        [plans_line()], name="Asiakas 0002")).id)
    # Not theirs: strangers, another client, staff and the provider are not told the payment exists.
    for actor in (stranger.actor, p.staff.actor, p.admin.actor, w.counsellor, p.ex_proxy.actor):
        with pytest.raises(NotFound):
            await services.dispute(actor, first, "Ei ollut minun", now=NOW)
    with pytest.raises(Forbidden) as view_only:
        await services.dispute(p.proxy_view.actor, first, "Väärä summa", now=NOW)
    assert view_only.value.key == "voucher.dispute.error.proxy_right"
    for blank in ("", "   ", "x" * 2001):
        with pytest.raises(Invalid) as bad:
            await services.dispute(p.client.actor, first, blank, now=NOW)
        assert bad.value.field == "reason"

    read = await services.dispute(p.client.actor, first, "  Tuntia ei pidetty.  ", now=NOW + WINDOW - dt.timedelta(seconds=1))
    assert (read.status, read.reason, read.capture_id) == ("open", "Tuntia ei pidetty.", first)
    # Once per capture: a second dispute (by anyone) is refused and the first stands.
    with pytest.raises(Conflict) as again:
        await services.dispute(p.proxy_pay.actor, first, "Toinen syy", now=NOW)
    assert again.value.key == "voucher.dispute.error.already_disputed"
    by_proxy = await services.dispute(p.proxy_pay.actor, second, "Palvelu jäi kesken", now=NOW)
    assert by_proxy.status == "open"
    with pytest.raises(Conflict) as closed:
        await services.dispute(p.client.actor, late, "Myöhässä", now=NOW)
    assert closed.value.key == "voucher.dispute.error.window_closed" and closed.value.params["until"] == "10.3.2026 11.59"

    rows = {str(r["capture_id"]): r for r in await CaptureDispute.select().run()}
    assert set(rows) == {first, second}
    assert (rows[second]["raised_as"], str(rows[second]["raised_by"])) == ("proxy", p.proxy_pay.actor.user_id)
    assert {c["dispute_state"] for c in await Capture.select().where(Capture.id.is_in([first, second])).run()} == {"open"}
    events = await AuditEvent.select().where(AuditEvent.action == "voucher.capture.disputed").run()
    assert sorted(str(e["on_behalf_of"]) for e in events) == sorted(["None", w.client_id])
    # The organiser's admins and the client's counsellor are told; not the reason (it is on the page).
    [to_admin, _] = [n for n in await inbox(p.admin) if n["kind"] == "card_disputed"]
    assert to_admin["params"]["client"] == "Asiakas 0001" and to_admin["params"]["path"] == "/organiser/disputes?kind=cards"
    counsellor_notes = await Notification.select().where((Notification.user_id == w.counsellor.user_id)).output(
        load_json=True).run()
    assert {n["params"]["path"] for n in counsellor_notes} == {f"/counsellor/clients/{w.client_id}#disputes-h"}
    assert all("Tuntia" not in json.dumps(n["params"]) for n in counsellor_notes + [to_admin])


def plans_line():
    from voucher.schemas import LineInput

    return LineInput(category="transport", amount_cents=10_000)


async def test_a_disputed_capture_is_not_in_the_next_pain001_and_is_after_the_organisers_release(db):
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    kept = await pay(w, db.settings, 4500, art=True)
    disputed = await pay(w, db.settings, 3500, art=True)
    await services.dispute(p.client.actor, disputed, "Kävin vain kerran", now=NOW + dt.timedelta(hours=2))

    # Inside the window nothing is paid; after it, only the undisputed capture.
    assert (await settle(db.settings, NOW + dt.timedelta(days=1), confirmation=payouts.unconfirmed)).batches_closed == 0
    first = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    assert [_amounts(db, f) for f in first.sepa_files] == [["45.00"]]
    assert {str(i["capture_id"]) for i in await SettlementItem.select().run()} == {kept}
    # Still open a week later: still not paid.
    assert (await settle(db.settings, AFTER_WINDOW + dt.timedelta(days=7), confirmation=payouts.unconfirmed)).batches_closed == 0

    [dispute] = (await queries.organiser_disputes(p.admin.actor))[0]
    resolved = await services.resolve(p.admin.actor, dispute.id, action="release", reason="Tuottaja osoitti käynnit",
                                      part_cents=None, now=AFTER_WINDOW + dt.timedelta(days=8))
    assert (resolved.status, resolved.refund_cents) == ("released", 0)
    after = await settle(db.settings, AFTER_WINDOW + dt.timedelta(days=9), confirmation=payouts.unconfirmed)
    assert [_amounts(db, f) for f in after.sepa_files] == [["35.00"]]
    assert {str(i["capture_id"]) for i in await SettlementItem.select().run()} == {kept, disputed}
    await ledger.check_books()


def _amounts(db, file_name: str) -> list[str]:
    document = etree.fromstring((db.settings.data_dir / "payouts" / file_name).read_bytes())
    return sorted(document.xpath("//p:InstdAmt/text()", namespaces={"p": NS}))


async def _spent(w) -> int:
    rows = await BudgetLine.select(BudgetLine.spent_cents).where(BudgetLine.client_id == w.client_id).run()
    return sum(r["spent_cents"] for r in rows)


async def test_a_refund_or_partial_refund_returns_money_to_the_line_and_nets_in_settlement(db):
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    whole, part, _plain = (await pay(w, db.settings, 4000), await pay(w, db.settings, 5000),
                           await pay(w, db.settings, 3000))
    for capture_id in (whole, part):
        await services.dispute(p.client.actor, capture_id, "Ei toteutunut niin kuin sovittiin", now=NOW)
    assert await _spent(w) == 12000
    disputes = {d.capture_id: d for d in (await queries.organiser_disputes(p.admin.actor))[0]}
    at = NOW + dt.timedelta(days=1)

    # The form's mistakes are refused with the field named, and change nothing.
    for action, reason, part_cents, field in (("", "syy", None, "action"), ("refund", " ", None, "resolution_reason"),
                                              ("partial", "syy", None, "refund"), ("partial", "syy", 5000, "refund"),
                                              ("partial", "syy", 0, "refund")):
        with pytest.raises(Invalid) as bad:
            await services.resolve(p.admin.actor, disputes[part].id, action=action, reason=reason, part_cents=part_cents,
                                   now=at)
        assert field in {e.field for e in bad.value.errors}, (action, bad.value.errors)
    other_admin = await world.person("organiser_admin", "toinen@muu.example", password=None,
                                     organiser_id=(await make_world(db.settings.secret_key, tag="-b")).organiser_id)
    for actor, error in ((other_admin.actor, NotFound), (p.client.actor, Forbidden), (w.counsellor, Forbidden)):
        with pytest.raises(error):
            await services.resolve(actor, disputes[part].id, action="release", reason="x", part_cents=None, now=at)

    await services.resolve(p.admin.actor, disputes[whole].id, action="refund", reason="Tunti peruttiin", part_cents=None,
                           now=at)
    await services.resolve(p.admin.actor, disputes[part].id, action="partial", reason="Puolet tunnista", part_cents=2000,
                           now=at)
    with pytest.raises(Conflict):
        await services.resolve(p.admin.actor, disputes[part].id, action="release", reason="uudestaan", part_cents=None,
                               now=at)
    assert await _spent(w) == 12000 - 4000 - 2000
    refunds = sorted((str(r["capture"]), r["amount_cents"], r["settled_by"]) for r in await Refund.select().run())
    assert refunds == sorted([(whole, 4000, "platform"), (part, 2000, "platform")])
    stored = {str(d["capture_id"]): d for d in await CaptureDispute.select().run()}
    assert (stored[whole]["status"], stored[whole]["refund_cents"]) == ("refunded", 4000)
    assert (stored[part]["status"], stored[part]["refund_cents"], stored[part]["resolution_reason"]) == (
        "partly_refunded", 2000, "Puolet tunnista")
    audit = await AuditEvent.select().where(AuditEvent.action == "voucher.capture.dispute_resolved").run()
    assert sorted(a["reason"] for a in audit) == ["Puolet tunnista", "Tunti peruttiin"]
    await ledger.check_books()

    # Everyone on the client's side and the provider's staff hear the outcome with the reason.
    for person in (p.client, p.proxy_pay, p.staff):
        told = [n for n in await inbox(person) if n["kind"] == "card_dispute_resolved"]
        assert len(told) == 2
        texts = [notifications.render(n["kind"], "fi", n["params"])[1] for n in told]
        assert any("20,00\u00a0€ palautettiin budjettiin" in t and "Puolet tunnista" in t for t in texts), texts
    # Settlement: 50 € less the 20 € refund, and the 30 € capture; the fully refunded pair nets to nothing.
    summary = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    assert summary.total_cents == 5000 - 2000 + 3000
    await ledger.check_books()


async def test_a_card_network_capture_is_disputable_and_its_refund_nets_against_the_next_platform_payout(db):
    """A Stripe Issuing capture is paid by the card network at once (never by our settlement). It is
    still shown and disputable; a refund decided by the organiser returns to the client's line and is
    taken from the provider's next platform payout (the refund is ``settled_by = platform``)."""
    from voucher import stripe_issuing
    from voucher.tables import Card

    # A card payment through Stripe names no listing: the county lets riding be paid with an open amount.
    w = await make_world(db.settings.secret_key, card_rules={"open_amount": world.open_amount(**{"sport-riding": 9000})})
    p = await people(w)
    await Card.update({Card.stripe_card_id: "ic_test_1"}).where(Card.id == w.card_id).run()
    settings = msgspec.structs.replace(db.settings, stripe_webhook_secret="whsec")
    hold = await stripe_issuing._decide({"id": "iauth_1", "card": "ic_test_1", "merchant_data": {
        "network_id": "acct_merchant_tuulenpesa", "name": "Talli"}}, settings, NOW, amount=3000)
    assert hold["approved"], hold
    await core_db.in_write_transaction(lambda: stripe_issuing._transaction(
        {"id": "ipi_1", "type": "capture", "amount": -3000, "authorization": "iauth_1", "card": "ic_test_1"}, settings, NOW))
    [capture] = await Capture.select().where(Capture.stripe_transaction_id == "ipi_1").run()
    assert capture["settled_by"] == "card_network" and capture["dispute_until"] == NOW + WINDOW
    assert [n["kind"] for n in await inbox(p.client)] == ["card_captured"]

    await services.dispute(p.client.actor, capture["id"], "Maksu veloitettiin kahdesti", now=NOW)
    [dispute] = (await queries.organiser_disputes(p.admin.actor))[0]
    await services.resolve(p.admin.actor, dispute.id, action="refund", reason="Tuplaveloitus", part_cents=None, now=NOW)
    [refund] = await Refund.select().run()
    assert (refund["amount_cents"], refund["settled_by"]) == (3000, "platform")
    assert await _spent(w) == 0
    await ledger.check_books()
    # The stable's next platform payment (through its API) is paid less the refund.
    await pay(w, db.settings, 4500, at=NOW + dt.timedelta(days=1))
    summary = await settle(db.settings, AFTER_WINDOW + dt.timedelta(days=1), confirmation=payouts.unconfirmed)
    assert summary.total_cents == 4500 - 3000
    await ledger.check_books()


async def test_a_dispute_and_settlement_at_the_same_moment_never_both_win(db):
    """The dispute's clock says the window is open, settlement's that it has closed (clocks of two
    processes, or a run given --now): each capture ends either disputed or settled, never both."""
    import asyncio

    w = await make_world(db.settings.secret_key)
    p = await people(w)
    captures = [await pay(w, db.settings, 1500, art=True) for _ in range(6)]
    edge = NOW + WINDOW

    async def dispute(capture_id: str) -> str:
        try:
            await services.dispute(p.client.actor, capture_id, "Kilpa", now=edge - dt.timedelta(seconds=1))
        except Conflict as exc:
            return exc.key
        return "disputed"

    outcomes = await asyncio.gather(settle(db.settings, edge + dt.timedelta(days=1), confirmation=payouts.unconfirmed),
                                    *[dispute(c) for c in captures])
    settled = {str(i["capture_id"]) for i in await SettlementItem.select().run()}
    disputed = {str(d["capture_id"]) for d in await CaptureDispute.select().run()}
    assert not settled & disputed and settled | disputed == set(captures), outcomes
    assert all(o in ("disputed", "voucher.dispute.error.already_settled") for o in outcomes[1:])
    states = {str(c["id"]): c["dispute_state"] for c in await Capture.select().run()}
    assert all(states[c] == ("open" if c in disputed else "") for c in captures)
    await ledger.check_books()


# --- Reading ------------------------------------------------------------------------------------------


async def test_the_clients_payments_say_their_state_and_filter(db):
    w = await make_world(db.settings.secret_key)
    p = await people(w)
    held = json.loads((await auth.authorise(w.provider, AuthorizationRequest(
        card_token=w.token, amount_cents=1200, listing_id=w.listing_riding), settings=db.settings, now=NOW)).body)
    old = await pay(w, db.settings, 2000, at=NOW - dt.timedelta(days=10), art=True)
    await settle(db.settings, NOW - dt.timedelta(days=5), confirmation=payouts.unconfirmed)
    due = await pay(w, db.settings, 2100, at=NOW - dt.timedelta(days=4))
    open_ = await pay(w, db.settings, 2200, at=NOW - dt.timedelta(hours=1))
    disputed = await pay(w, db.settings, 2300, at=NOW - dt.timedelta(hours=2))
    refunded = await pay(w, db.settings, 1400, at=NOW - dt.timedelta(hours=3))
    await services.dispute(p.client.actor, disputed, "Väärä summa", now=NOW)
    await auth.refund(w.provider, refunded, 1400, now=NOW)

    rows, total = await queries.client_payments(w.client_id, NOW)
    states = {r.id: r.state for r in rows}
    assert total == 6 and states == {held["id"]: "held", old: "settled", due: "due", open_: "disputable",
                                     disputed: "disputed", refunded: "refunded"}
    assert [r.created_at for r in rows] == sorted((r.created_at for r in rows), reverse=True)
    by_id = {r.id: r for r in rows}
    assert by_id[open_].disputable and not by_id[disputed].disputable and by_id[disputed].dispute.reason == "Väärä summa"
    assert by_id[open_].provider_name == "Talli Tuulenpesä Oy" and by_id[old].listing_title == {"fi": "Palvelu culture-art"}
    only, count = await queries.client_payments(w.client_id, NOW, state="disputable")
    assert count == 1 and [r.id for r in only] == [open_]
    page2, total2 = await queries.client_payments(w.client_id, NOW, page=2, per_page=4)
    assert total2 == 6 and len(page2) == 2
    # The counsellor's counts and list; another client's payments are not theirs to see.
    assert await queries.open_dispute_counts([w.client_id]) == {w.client_id: 1}
    assert [d.reason for d in await queries.client_disputes(w.client_id)] == ["Väärä summa"]
    stranger = Actor(role="client", client_id="00000000-0000-4000-8000-000000000009", user_id=p.client.actor.user_id,
                     display_name="x")
    with pytest.raises(NotFound):
        await queries.payment(stranger, open_, NOW)
    read, _client = await queries.payment(p.proxy_view.actor, open_, NOW)
    assert read.state == "disputable"


# --- The pure rules and the texts (no database) ----------------------------------------------------


def test_the_window_the_refusals_and_the_refund_of_a_resolution():
    assert domain.dispute_until("api", NOW, 3) == NOW + WINDOW
    assert domain.dispute_until("stripe", NOW, 5) == NOW + dt.timedelta(days=5)
    assert domain.dispute_until("booking_hold", NOW, 3) == NOW  # the booking had its window before
    until = NOW + WINDOW
    assert domain.dispute_refusal(until, "", until - dt.timedelta(microseconds=1)) is None
    assert domain.dispute_refusal(until, "", until) == "voucher.dispute.error.window_closed"
    assert domain.dispute_refusal(None, "", NOW) == "voucher.dispute.error.window_closed"
    assert domain.dispute_refusal(until, "open", NOW) == domain.dispute_refusal(until, "resolved", NOW) == \
        "voucher.dispute.error.already_disputed"
    assert [domain.reason_error(r) for r in ("x", " " * 3, "x" * 2000, "x" * 2001)] == [
        None, "voucher.dispute.error.reason_required", None, "voucher.dispute.error.reason_long"]
    assert domain.refund_for("refunded", 4000, None) == 4000 and domain.refund_for("released", 4000, 123) == 0
    assert domain.refund_for("partly_refunded", 4000, 3999) == 3999
    for part, problem in ((None, "part_missing"), (0, "part_range"), (4000, "part_range"), (-1, "part_range")):
        with pytest.raises(ValueError, match=problem):
            domain.refund_for("partly_refunded", 4000, part)


@pytest.mark.parametrize("facts, state", [
    (dict(refunded_cents=4000), "refunded"),
    (dict(dispute_state="open", settled=True), "disputed"),
    (dict(), "disputable"),
    (dict(until=NOW), "due"),
    (dict(until=NOW, settled=True), "settled"),
    (dict(card_network=True, until=NOW), "settled"),
    (dict(card_network=True), "disputable"),
    (dict(dispute_state="resolved"), "resolved"),
    (dict(dispute_state="resolved", settled=True), "settled"),
])
def test_a_payments_state_in_the_order_the_reader_needs(facts, state):
    given = dict(now=NOW, amount_cents=4000, refunded_cents=0, until=NOW + WINDOW, dispute_state="", settled=False,
                 card_network=False) | facts
    assert domain.payment_state(**given) == state


def test_every_payment_and_dispute_text_is_in_finnish_swedish_and_english():
    from core import i18n
    from marketplace.booking import payment_messages
    from voucher import dispute_messages

    for catalogue in (payment_messages.NOTIFY, payment_messages.ORGANISER, payment_messages.PROVIDER,
                      dispute_messages.PAYMENTS, dispute_messages.DISPUTES, dispute_messages.ERRORS):
        for key, texts in catalogue.items():
            assert set(texts) == {"fi", "sv", "en"} and all(t.strip() for t in texts.values()), key
    needed = [f"voucher.payments.state.{s}" for s in domain.STATES]
    needed += [f"voucher.payments.says.{s}" for s in domain.STATES]
    needed += [f"booking.payments.says.{s}" for s in ("disputable", "disputed", "resolved", "due", "refunded")]
    needed += [f"notify.decision.{o}" for o in domain.OUTCOMES]
    needed += [f"notify.{kind}.{part}" for kind in ("card_captured", "booking_captured", "card_disputed",
                                                    "card_dispute_resolved") for part in ("subject", "body")]
    assert [key for key in needed if not i18n.has(key)] == []
