"""Settlement: batches per provider and period, pain.001 files valid against the XSD, Stripe
Connect transfers through the real SDK, remittance, and a rerun after a crash at every step."""

import datetime as dt
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sepaxml
from lxml import etree

from admin import payouts
from core.settings import Settings
from tests.voucher.fake_stripe import FakeStripe
from tests.voucher.vhelpers import NOW, make_world
from tests.world import card_pin
from voucher import authorisation as auth
from voucher import domain
from voucher.schemas import AuthorizationRequest
from voucher.settlement import remittance, settle
from voucher.settlement.connect import StripeConnect
from voucher.settlement.run import AFTER_BATCHES, AFTER_PAYOUT_RECORDED, AFTER_PRODUCED, AFTER_TRANSFER_CREATED
from voucher.settlement.sepa import NS, Debtor, Payment, pain001
from marketplace.tables import Provider
from voucher.tables import Capture, Payout, SettlementBatch, SettlementItem, Transfer

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd"
# The first settlement that may pay a capture made at NOW: the client may dispute a card payment for
# Settings.dispute_window_days (3) and settlement waits for that (voucher.disputes), so the day after
# the window ends.
WINDOW = dt.timedelta(days=Settings().dispute_window_days)
AFTER_WINDOW = NOW + WINDOW + dt.timedelta(days=1)
ROOT = Path(__file__).resolve().parents[2]


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def test_pain001_validates_against_the_schema_with_rf_references():
    refs = [domain.rf_reference(uuid.uuid4()) for _ in range(3)]
    doc = pain001(
        Debtor(name="Keski-Uudenmaan hyvinvointialue", iban="FI21 1234 5600 0007 85", bic="NDEAFIHH"),
        [Payment(creditor_name=f"Tuottaja Å{i} Öy", creditor_iban="FI3317877893287921", amount_cents=1234 + i,
                 reference=ref, description="HB 2026-03-10") for i, ref in enumerate(refs)],
        dt.date(2026, 3, 11),
    )
    tree = etree.fromstring(doc)
    assert schema().validate(tree), schema().error_log
    ns = {"p": NS}
    assert tree.xpath("//p:GrpHdr/p:CtrlSum/text()", namespaces=ns) == ["37.05"]
    assert tree.xpath("//p:CdtrRefInf/p:Ref/text()", namespaces=ns) == refs
    assert set(tree.xpath("//p:CdtrRefInf/p:Tp/p:CdOrPrtry/p:Cd/text()", namespaces=ns)) == {"SCOR"}
    # Without a debtor BIC (IBAN-only SEPA) the file is still valid.
    plain = pain001(Debtor(name="X", iban="FI2112345600000785"), [Payment(creditor_name="Y", creditor_iban="FI3317877893287921",
                    amount_cents=1, reference=refs[0], description="d")], dt.date(2026, 3, 11))
    assert schema().validate(etree.fromstring(plain))


async def _captures(w, settings, amounts_riding=(7000, 3000), amounts_art=(5500,)) -> list[str]:
    """Card payments the client approves with their PIN, each captured whole."""
    ids = []
    pin = await card_pin(w.client_id, "4729", settings)
    for actor, listing, amounts in ((w.provider, w.listing_riding, amounts_riding), (w.other_provider, w.listing_art, amounts_art)):
        for amount in amounts:
            stored = await auth.authorise(actor, AuthorizationRequest(card_token=w.token, amount_cents=amount, client_code=pin,
                                                                        listing_id=listing), settings=settings, now=NOW)
            got = json.loads(stored.body)
            assert got["status"] == "approved", got
            cap = json.loads((await auth.capture(actor, got["id"], amount, now=NOW, settings=settings)).body)
            ids.append(cap["id"])
    return ids


async def test_settle_by_sepa_file_and_stripe_transfer_with_remittance(db):
    w = await make_world(db.settings.secret_key)
    await _captures(w, db.settings)
    with FakeStripe() as stripe_api:
        gateway = StripeConnect("sk_test_123", api_base=stripe_api.url)
        summary = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed, gateway=gateway)
        again = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed, gateway=gateway)
    assert (summary.batches_closed, summary.items, summary.total_cents, summary.batches_paid) == (2, 3, 15500, 2)
    assert (again.batches_closed, again.batches_paid) == (0, 0)

    # The riding stable has a Stripe account: one Connect transfer, idempotency key = batch id.
    stripe_batch = await SettlementBatch.select().where(SettlementBatch.provider_id == w.provider_id).first().run()
    assert stripe_batch["method"] == "stripe" and stripe_batch["status"] == "paid"
    [request] = stripe_api.requests
    assert request["path"] == "/v1/transfers"
    assert request["headers"]["idempotency-key"] == str(stripe_batch["id"])
    assert request["headers"]["authorization"] == "Bearer sk_test_123"
    assert request["form"] == {
        "amount": "10000", "currency": "eur", "destination": "acct_1Tuulenpesa",
        "transfer_group": stripe_batch["reference"], "metadata[batch_id]": str(stripe_batch["id"]),
        "metadata[reference]": stripe_batch["reference"],
    }
    # The art studio is paid in the organiser's pain.001 file, with the batch's RF reference.
    [file_name] = summary.sepa_files
    doc = (db.settings.data_dir / "payouts" / file_name).read_bytes()
    assert schema().validate(etree.fromstring(doc))
    sepa_batch = await SettlementBatch.select().where(SettlementBatch.provider_id == w.other_provider_id).first().run()
    assert sepa_batch["reference"].encode() in doc and b"55.00" in doc
    assert domain.rf_reference(sepa_batch["id"]) == sepa_batch["reference"]

    seen = await remittance(w.provider)
    assert len(seen) == 1 and seen[0].payout_reference == "tr_test_1" and seen[0].status == "paid"
    assert sorted(i.amount_cents for i in seen[0].items) == [3000, 7000]
    # The ledger moved payable → clearing → bank for both batches.
    assert sum(t["amount_cents"] for t in await Transfer.select().where(Transfer.kind == "payout").run()) == 15500


async def test_refunds_net_in_the_next_batch_and_late_captures_wait(db):
    w = await make_world(db.settings.secret_key)
    [cap_riding, _, cap_art] = await _captures(w, db.settings)
    await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    await auth.refund(w.other_provider, cap_art, 500, now=AFTER_WINDOW)
    later = json.loads((await auth.authorise(w.other_provider, AuthorizationRequest(card_token=w.token, amount_cents=2000,
                                                                                    listing_id=w.listing_art), settings=db.settings, now=AFTER_WINDOW)).body)
    await auth.capture(w.other_provider, later["id"], 2000, now=AFTER_WINDOW, settings=db.settings)
    # The later capture is in its dispute window, and the refund alone would be a payout below zero: both wait.
    assert (await settle(db.settings, AFTER_WINDOW + dt.timedelta(days=1), confirmation=payouts.unconfirmed)).batches_closed == 0
    summary = await settle(db.settings, AFTER_WINDOW + WINDOW + dt.timedelta(days=1), confirmation=payouts.unconfirmed)
    assert (summary.batches_closed, summary.total_cents) == (1, 1500)
    batches = await SettlementBatch.select().where(SettlementBatch.provider_id == w.other_provider_id).order_by(
        SettlementBatch.period_start).run()
    assert [b["total_cents"] for b in batches] == [5500, 1500]
    assert len({b["reference"] for b in batches}) == 2


def _run_settle(db, stripe_url: str, crash_at: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HB_DATA_DIR": str(db.settings.data_dir), "HB_SECRET_KEY": db.settings.secret_key,
           "CRASH_AT": crash_at or "", "STRIPE_URL": stripe_url, "SETTLE_NOW": AFTER_WINDOW.isoformat()}
    env.pop("HB_DATABASE_URL", None)
    if db.settings.database_url:
        env["HB_DATABASE_URL"] = db.settings.database_url
    script = Path(__file__).with_name("settle_process.py")
    return subprocess.run([sys.executable, str(script)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("crash_at", [AFTER_BATCHES, AFTER_PAYOUT_RECORDED, AFTER_TRANSFER_CREATED, AFTER_PRODUCED])
async def test_a_crash_between_steps_then_a_rerun_pays_every_capture_once(db, crash_at):
    w = await make_world(db.settings.secret_key)
    capture_ids = await _captures(w, db.settings)
    with FakeStripe() as stripe_api:
        crashed = _run_settle(db, stripe_api.url, crash_at)
        assert crashed.returncode == 137, crashed.stderr
        rerun = _run_settle(db, stripe_api.url, None)
        assert rerun.returncode == 0, rerun.stderr
    # Every capture is in exactly one batch, every batch is paid once.
    items = await SettlementItem.select(SettlementItem.capture_id, SettlementItem.batch).run()
    assert sorted(str(i["capture_id"]) for i in items) == sorted(capture_ids)
    batches = await SettlementBatch.select().run()
    assert {b["status"] for b in batches} == {"paid"} and len(batches) == 2
    # Stripe: one transfer (one idempotency key), however many times it was asked.
    assert len(stripe_api.transfers) == 1 and list(stripe_api.transfers.values())[0]["amount"] == 10000
    # SEPA: one file, paying the art studio's batch once.
    files = list((db.settings.data_dir / "payouts").glob("*.xml"))
    assert len(files) == 1 and await Payout.count().where(Payout.method == "sepa").run() == 1
    sepa_batch = next(b for b in batches if b["method"] == "sepa")
    assert files[0].read_bytes().count(sepa_batch["reference"].encode()) == 2  # EndToEndId and CdtrRefInf/Ref
    paid = await Transfer.select().where(Transfer.kind == "payout").run()
    assert sorted(t["amount_cents"] for t in paid) == [5500, 10000]
    assert sum(c["amount_cents"] for c in await Capture.select().run()) == 15500


async def test_a_changed_bank_account_waits_for_two_admins(db):
    from core.identity import Actor
    from marketplace.tables import Provider
    from tests.world import make_user

    w = await make_world(db.settings.secret_key)
    await Provider.update({Provider.iban_changed_at: NOW}).where(Provider.id == w.other_provider_id).run()
    await _captures(w, db.settings)
    first = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    held = await SettlementBatch.select().where(SettlementBatch.provider_id == w.other_provider_id).first().run()
    assert held["status"] == "closed" and first.batches_paid == 1 and first.warnings  # the other provider is paid
    admins = []
    for email in ("eka@org.example", "toka@org.example"):
        user = await make_user("organiser_admin", email=email, organiser_id=w.organiser_id)
        admins.append(Actor(user_id=user["id"], role="organiser_admin", display_name=email, organiser_id=w.organiser_id))
    await payouts.confirm(admins[0], held["id"], AFTER_WINDOW)
    assert (await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)).sepa_files == []  # one confirmation is not enough
    await payouts.confirm(admins[1], held["id"], AFTER_WINDOW)
    done = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed)
    [name] = done.sepa_files
    assert held["reference"].encode() in (db.settings.data_dir / "payouts" / name).read_bytes()
    assert (await SettlementBatch.select().where(SettlementBatch.id == held["id"]).first().run())["status"] == "paid"


@pytest.mark.parametrize("period, too_early, on_time, start, end", [
    # Captured Tuesday 10 March: the week is Monday 9 – Sunday 15 March, the month all of March
    # (Helsinki calendar; ``end`` exclusive).
    ("weekly", dt.datetime(2026, 3, 15, 21, 0, tzinfo=dt.timezone.utc), dt.datetime(2026, 3, 15, 22, 30, tzinfo=dt.timezone.utc),
     dt.date(2026, 3, 9), dt.date(2026, 3, 16)),
    ("monthly", dt.datetime(2026, 3, 31, 20, 0, tzinfo=dt.timezone.utc), dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.timezone.utc),
     dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
])
async def test_an_organiser_settling_weekly_or_monthly_gets_one_batch_per_period(db, period, too_early, on_time, start, end):
    from marketplace.tables import Organiser

    w = await make_world(db.settings.secret_key)
    await Organiser.update({Organiser.settlement_period: period}).where(Organiser.id == w.organiser_id).run()
    await _captures(w, db.settings)
    # The period has not ended in Helsinki yet (UTC+2 in March): nothing is closed.
    assert (await settle(db.settings, too_early, confirmation=payouts.unconfirmed)).batches_closed == 0
    summary = await settle(db.settings, on_time, confirmation=payouts.unconfirmed)
    assert (summary.batches_closed, summary.items, summary.total_cents) == (2, 3, 15500)
    batches = await SettlementBatch.select().run()
    assert {(b["period_kind"], b["period_start"], b["period_end"]) for b in batches} == {(period, start, end)}
    # A day later the same period is not closed twice.
    assert (await settle(db.settings, on_time + dt.timedelta(days=1), confirmation=payouts.unconfirmed)).batches_closed == 0


async def test_a_light_entrepreneur_is_paid_to_the_invoicing_service_with_its_reference(db):
    """Decision 0036: the person is the provider, the invoicing service is paid, with the reference
    the service needs in the structured remittance information."""
    w = await make_world(db.settings.secret_key)
    await Provider.update({
        Provider.kind: "light_entrepreneur", Provider.business_id: None, Provider.iban: "FI2112345600000785",
        Provider.invoicing_service_name: "Laskutuspalvelu Ukko Oy", Provider.payment_reference: "12345672",
    }).where(Provider.id == w.other_provider_id).run()
    await _captures(w, db.settings, amounts_riding=(), amounts_art=(5500,))
    summary = await settle(db.settings, AFTER_WINDOW, confirmation=payouts.unconfirmed, gateway=None)
    [file_name] = summary.sepa_files
    tree = etree.fromstring((db.settings.data_dir / "payouts" / file_name).read_bytes())
    assert schema().validate(tree), schema().error_log
    ns = {"p": NS}
    [tx] = tree.xpath("//p:CdtTrfTxInf", namespaces=ns)
    assert tx.xpath("p:Cdtr/p:Nm/text()", namespaces=ns) == ["Laskutuspalvelu Ukko Oy"]
    assert tx.xpath("p:CdtrAcct/p:Id/p:IBAN/text()", namespaces=ns) == ["FI2112345600000785"]
    assert tx.xpath("p:RmtInf/p:Strd/p:CdtrRefInf/p:Ref/text()", namespaces=ns) == ["12345672"]
    assert tx.xpath("p:RmtInf/p:Strd/p:CdtrRefInf/p:Tp/p:CdOrPrtry/p:Cd/text()", namespaces=ns) == ["SCOR"]
    # The batch's own RF reference stays the end-to-end id, so the bank statement still names the batch.
    batch = await SettlementBatch.select().where(SettlementBatch.provider_id == w.other_provider_id).first().run()
    assert tx.xpath("p:PmtId/p:EndToEndId/text()", namespaces=ns) == [batch["reference"]]
    assert tx.xpath("p:Amt/p:InstdAmt/text()", namespaces=ns) == ["55.00"]
