"""`hb import` of clients, decisions and cards: idempotent by ref, all or nothing."""

import copy
import json
import uuid

import pytest

from core.errors import Invalid
from core.identity import Actor
from core.tables import AuditEvent
from marketplace import importer
from tests.voucher.vhelpers import NOW
from tests.world import ADMIN, consent_code, example_document
from voucher import authorisation as auth
from voucher import importer as voucher_importer
from voucher.schemas import AuthorizationRequest
from voucher.tables import BudgetDecision, BudgetLine, Card, Client, Transfer

TABLES = (Client, BudgetDecision, BudgetLine, Card, Transfer)


async def _counts() -> dict:
    return {t.__name__: await t.count().run() for t in TABLES}


@pytest.fixture(autouse=True)
def same_secret(db, monkeypatch):
    # apply_clients hashes card tokens with the settings' secret; the importer may not pass settings yet.
    monkeypatch.setenv("HB_SECRET_KEY", db.settings.secret_key)


async def test_clients_decisions_and_cards_import_once(db):
    first = await importer.import_document(example_document(), actor=ADMIN, settings=db.settings, clients=voucher_importer)
    refs = first["refs"]
    assert {"cli-0001", "dec-0001", "card-0001"} <= set(refs)
    lines = await BudgetLine.select().where(BudgetLine.decision == refs["dec-0001"]).order_by(BudgetLine.position).output(
        load_json=True).run()
    assert [(l["category"], l["granted_cents"], l["may_fund"], l["swap_cap_cents"]) for l in lines] == [
        ("day-activities", 540000, ["culture-art", "sport-riding"], 270000),
        ("transport", 120000, [], None),
    ]
    card = await Card.select().where(Card.ref == "card-0001").first().run()
    assert card["token_hash"] != "hbc_test_0001_4f9a" and card["token_hint"] == "4f9a"
    assert (card["per_transaction_limit_cents"], card["daily_limit_cents"]) == (20000, 40000)
    client = await Client.select().where(Client.ref == "cli-0001").first().run()
    assert client["display_name"] == "Asiakas 0001" and client["national_id_hash"] is None
    assert client["municipality"] == ""

    counts = await _counts()
    again = await importer.import_document(example_document(), actor=ADMIN, settings=db.settings, clients=voucher_importer)
    assert again["refs"] == refs and again["summary"] == {"created": 0, "updated": 0, "decisions": 0}
    assert await _counts() == counts

    # The imported card pays for the imported provider's approved listing, by the imported decision,
    # with the one-time code the client made for it.
    provider = Actor(role="provider_staff", provider_id=refs["prov-tuulenpesa"], api_key_id=str(uuid.uuid4()))
    code = await consent_code(refs["cli-0001"], 7500, db.settings, now=NOW)
    req = AuthorizationRequest(card_token="hbc_test_0001_4f9a", amount_cents=7500, listing_id=refs["lst-ratsastusterapia"],
                               client_code=code)
    got = json.loads((await auth.authorise(provider, req, settings=db.settings, now=NOW)).body)
    assert got["status"] == "approved" and got["line_available_cents"] == 540000 - 7500


async def test_a_changed_decision_and_card_are_updated_and_audited(db):
    doc = example_document()
    refs = (await importer.import_document(doc, actor=ADMIN, settings=db.settings, clients=voucher_importer))["refs"]
    changed = copy.deepcopy(doc)
    changed["clients"][0]["decision"]["lines"][1]["amount_cents"] = 100000
    changed["clients"][0]["card"]["daily_limit_cents"] = 30000
    changed["clients"][0]["municipality"] = "Tuusula"
    result = await importer.import_document(changed, actor=ADMIN, settings=db.settings, clients=voucher_importer)
    assert result["refs"] == refs and result["summary"]["updated"] == 3
    assert (await Client.select().where(Client.ref == "cli-0001").first().run())["municipality"] == "Tuusula"
    transport = await BudgetLine.select().where(
        (BudgetLine.decision == refs["dec-0001"]) & (BudgetLine.category == "transport")).first().run()
    assert transport["granted_cents"] == 100000
    # The ledger explains it: the line's grant transfers sum to its grant.
    ledger = await Transfer.select().where(Transfer.kind.is_in(["grant", "grant_reduction"])).run()
    assert sum(t["amount_cents"] if t["kind"] == "grant" else -t["amount_cents"] for t in ledger) == 540000 + 100000
    events = await AuditEvent.select().where(AuditEvent.action == "voucher.decision.changed").run()
    assert len(events) == 1 and events[0]["subject_id"] == refs["dec-0001"]
    assert (await Card.select().where(Card.ref == "card-0001").first().run())["daily_limit_cents"] == 30000


async def test_one_bad_client_record_rejects_the_whole_file(db):
    await importer.import_document(example_document(), actor=ADMIN, settings=db.settings, clients=voucher_importer)
    before = await _counts()
    bad = example_document()
    bad["providers"][0]["name"] = "Talli Tuulenpesä Oy (uusi nimi)"  # valid, must not be applied either
    client = bad["clients"][0]
    client["decision"]["lines"][0]["amount_cents"] = -1
    client["decision"]["lines"][1]["category"] = "no-such-category"
    client["language"] = "de"
    second = copy.deepcopy(client)
    second.update(ref="cli-0002", organiser="org-nowhere", language="sv")
    second["decision"] = dict(second["decision"], ref="dec-0002", lines=[{"category": "transport", "amount_cents": 100}])
    second["card"] = dict(second["card"], ref="card-0002")
    bad["clients"].append(second)
    with pytest.raises(Invalid) as caught:
        await importer.import_document(bad, actor=ADMIN, settings=db.settings, clients=voucher_importer)
    errors = {(e.ref, e.field) for e in caught.value.errors}
    assert ("cli-0001", "language") in errors
    assert ("cli-0002", "organiser") in errors
    assert await _counts() == before

    client["language"] = "fi"
    with pytest.raises(Invalid) as caught:
        await importer.import_document(bad, actor=ADMIN, settings=db.settings, clients=voucher_importer)
    errors = {(e.ref, e.field) for e in caught.value.errors}
    assert ("dec-0001", "decision.lines[0].amount_cents") in errors
    assert ("dec-0001", "decision.lines[1].category") in errors
    assert await _counts() == before


async def test_a_card_token_already_in_use_rejects_the_file(db):
    await importer.import_document(example_document(), actor=ADMIN, settings=db.settings, clients=voucher_importer)
    before = await _counts()
    doc = example_document()
    twin = copy.deepcopy(doc["clients"][0])
    twin.update(ref="cli-0009", decision=None)
    twin["card"] = dict(twin["card"], ref="card-0009")
    doc["clients"].append(twin)
    with pytest.raises(Invalid) as caught:
        await importer.import_document(doc, actor=ADMIN, settings=db.settings, clients=voucher_importer)
    assert [(e.ref, e.field) for e in caught.value.errors] == [("card-0009", "card.token")]
    assert await _counts() == before


async def test_a_pseudonym_holding_a_national_identity_number_is_refused(db):
    # Valid or not, a string shaped like a personal identity code never becomes a client's name.
    before = await _counts()
    for pseudonym in ("Matti 131052-308T", "Asiakas 010594Y9032", "131052 - 308T"):
        doc = example_document()
        doc["clients"][0]["display_name"] = pseudonym
        with pytest.raises(Invalid) as caught:
            await importer.import_document(doc, actor=ADMIN, settings=db.settings, clients=voucher_importer)
        assert ("cli-0001", "display_name") in {(e.ref, e.field) for e in caught.value.errors}
        assert await _counts() == before
