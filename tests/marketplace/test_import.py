"""`hb import` / POST /api/v1/imports: idempotent by ref, all or nothing (docs/api.md)."""

import copy
import json
import os
import subprocess
import sys

import pytest

from core.errors import Invalid
from core.tables import ApiKey, AuditEvent
from marketplace import catalogue, importer
from marketplace.tables import Listing, ListingApproval, ListingRevision, Organiser, Provider, ProviderApproval, ServiceCategory
from tests.helpers import login
from tests.world import ADMIN, example_document, make_user
from voucher import importer as voucher_importer

TABLES = (Organiser, ServiceCategory, Provider, ProviderApproval, Listing, ListingRevision, ListingApproval, ApiKey, AuditEvent)


async def _counts() -> dict:
    return {t.__name__: await t.count().run() for t in TABLES}


def _doc():
    return example_document()


async def test_importing_twice_gives_same_ids_and_no_duplicates(db):
    first = await importer.import_document(_doc(), actor=ADMIN, clients=voucher_importer)
    counts = await _counts()
    second = await importer.import_document(_doc(), actor=ADMIN, clients=voucher_importer)
    assert first["refs"] == second["refs"]
    assert set(first["api_keys"]) == {"prov-tuulenpesa", "prov-sivellin", "prov-kyyti"}
    assert second["api_keys"] == {}  # keys are printed once, on the import that created them
    assert await _counts() == counts
    assert second["summary"] == {"created": 0, "updated": 0, "decisions": 0}


async def test_imported_state_is_what_the_file_says(db):
    refs = (await importer.import_document(_doc(), actor=ADMIN, clients=voucher_importer))["refs"]
    assert await catalogue.provider_standing(refs["prov-tuulenpesa"], refs["org-keusote"]) == "approved"
    assert await catalogue.provider_standing(refs["prov-kyyti"], refs["org-keusote"]) == "pending"
    live = await catalogue.live_listing(refs["lst-ratsastusterapia"], refs["org-keusote"])
    assert live["price_cents"] == 7500 and live["title"]["sv"] == "Ridterapi"
    assert await catalogue.live_listing(refs["lst-asiointikyyti"], refs["org-keusote"]) is None
    key_row = await ApiKey.select().where(ApiKey.provider_id == refs["prov-tuulenpesa"]).first().run()
    assert key_row["key_hash"] and len(key_row["key_hash"]) == 64


async def test_a_changed_record_is_updated(db):
    doc = _doc()
    refs = (await importer.import_document(doc, actor=ADMIN, clients=voucher_importer))["refs"]
    changed = copy.deepcopy(doc)
    changed["listings"][0]["price_cents"] = 8000
    changed["providers"][2]["approvals"][0]["status"] = "approved"
    again = await importer.import_document(changed, actor=ADMIN, clients=voucher_importer)
    assert again["refs"] == refs
    assert (await catalogue.live_listing(refs["lst-ratsastusterapia"], refs["org-keusote"]))["price_cents"] == 8000
    assert await catalogue.provider_standing(refs["prov-kyyti"], refs["org-keusote"]) == "approved"
    audit = await AuditEvent.select().where(AuditEvent.action == "provider_approval.imported").run()
    assert any(a["details"] and "approved" in str(a["details"]) for a in audit)


async def test_one_bad_iban_rejects_the_whole_file_and_changes_nothing(db):
    await importer.import_document(_doc(), actor=ADMIN, clients=voucher_importer)
    before = await _counts()
    bad = _doc()
    bad["providers"][1]["iban"] = "FI7057421809679291"
    bad["listings"][0]["price_cents"] = 1  # a valid change that must not be applied either
    with pytest.raises(Invalid) as caught:
        await importer.import_document(bad, actor=ADMIN, clients=voucher_importer)
    errors = [(e.ref, e.field) for e in caught.value.errors]
    assert errors == [("prov-sivellin", "iban")]
    assert await _counts() == before
    price = await Listing.select(Listing.price_cents).where(Listing.ref == "lst-ratsastusterapia").first().run()
    assert price["price_cents"] == 7500


async def test_every_invalid_record_is_listed(db):
    bad = _doc()
    bad["providers"][0]["business_id"] = "9603082-9"
    bad["listings"][1]["price_cents"] = -100
    bad["listings"][2]["category"] = "no-such-category"
    bad["listings"][2]["unit"] = "minute"
    with pytest.raises(Invalid) as caught:
        await importer.import_document(bad, actor=ADMIN, clients=voucher_importer)
    errors = {(e.ref, e.field) for e in caught.value.errors}
    assert errors >= {("prov-tuulenpesa", "business_id"), ("lst-taideopetus-kotiin", "price_cents"),
                      ("lst-asiointikyyti", "category"), ("lst-asiointikyyti", "unit")}
    assert await Provider.count().run() == 0


async def test_import_api_is_for_organiser_admins_only(client, db):
    body = json.dumps(_doc()).encode()
    anonymous = await client.post("/api/v1/imports", content=body, headers={"content-type": "application/json"})
    assert anonymous.status_code == 401
    staff = await make_user("provider_staff", email="staff@test.example")
    await login(client, staff)
    assert (await client.post("/api/v1/imports", content=body, headers={"content-type": "application/json"})).status_code == 403
    admin = await make_user("platform_admin", email="root@test.example")
    await login(client, admin)
    response = await client.post("/api/v1/imports", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert "lst-ratsastusterapia" in response.json()["refs"]
    bad = _doc()
    bad["providers"][1]["iban"] = "FI7057421809679291"
    response = await client.post("/api/v1/imports", json=bad)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "iban", "message": response.json()["errors"][0]["message"], "ref": "prov-sivellin"}]


def _hb(args, env):
    return subprocess.run([sys.executable, "-m", "hb.cli", *args], capture_output=True, text=True, env=env, timeout=120)


async def test_cli_import_twice_and_bad_file(db, tmp_path):
    env = {**os.environ, "HB_DATA_DIR": str(tmp_path / "cli"), "HB_SECRET_KEY": "x" * 40}
    if db.is_postgres:
        env["HB_DATABASE_URL"] = db.settings.database_url
    else:
        env.pop("HB_DATABASE_URL", None)
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(_doc()))
    first = _hb(["import", str(source)], env)
    assert first.returncode == 0, first.stderr
    second = _hb(["import", str(source)], env)
    assert second.returncode == 0, second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["refs"] == two["refs"] and len(one["api_keys"]) == 3 and two["api_keys"] == {}
    bad = _doc()
    bad["providers"][1]["iban"] = "FI7057421809679291"
    source.write_text(json.dumps(bad))
    failed = _hb(["import", str(source)], env)
    assert failed.returncode == 1
    assert json.loads(failed.stdout)["errors"][0]["ref"] == "prov-sivellin"
    assert "iban" in failed.stderr
    missing = _hb(["import", str(tmp_path / "nope.json")], env)
    assert missing.returncode == 2 and "no such file" in missing.stderr
