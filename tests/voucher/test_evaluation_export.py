"""Issue 19, deliverable 5: the research export holds only clients whose consent is in force (a
withdrawal honoured by the next export), under pseudonyms new in every export; k-anonymity coarsens
and, on a crafted small group, refuses; every export and refusal is audited. Both databases."""

import csv
import datetime as dt
import io
import json
import zipfile

import pyarrow.parquet as pq
import pytest

from core.tables import AuditEvent
from tests import world
from voucher.evaluation import admin_time, consent, export
from voucher.evaluation.age_band import set_age_band
from voucher.evaluation.answers import record_answers
from voucher.schemas import LineInput

NOW = dt.datetime(2026, 6, 30, 9, tzinfo=dt.timezone.utc)


async def _county(secret: str, people: list[tuple[str, str, str]]) -> tuple[str, object, list[str]]:
    """A county with a client per (group, municipality, age band), each consenting, with a WHO-5
    answer and a time entry."""
    loaded = await world.load(world.document(counties=[world.county("org-x")], categories=[world.category("day-activities")]))
    organiser_id = loaded["refs"]["org-x"]
    counsellor = (await world.person("counsellor", organiser_id=organiser_id, password=None)).actor
    ids = []
    for i, (group, municipality, band) in enumerate(people):
        made = await world.voucher_client(counsellor, secret, [LineInput(category="day-activities", amount_cents=50_000)],
                                          name=f"Tutkittava {i}", group=group, municipality=municipality)
        await set_age_band(counsellor, made.id, band)
        await consent.append(made.id, "given", recorded_as="counsellor", how="paper")
        await record_answers(made.id, "who5", "start", [3, 3, 3, 3, 3], answered_on=dt.date(2026, 1, 10))
        await admin_time.log(counsellor, admin_time.TimeInput(worked_on="2026-02-02", minutes="30", kind="contact",
                                                              client_id=made.id), dt.date(2026, 6, 30))
        ids.append(made.id)
    return organiser_id, counsellor, ids


def _csv_files(data: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
                for name in archive.namelist() if name.endswith(".csv")}


async def test_only_consenting_clients_under_new_pseudonyms_and_withdrawal_honoured(db):
    secret = db.settings.secret_key
    organiser_id, counsellor, ids = await _county(secret, [("families", "Tuusula", "25-34")] * 6)
    first = await export.build(counsellor, organiser_id, "Keusote", secret, NOW)
    assert first.steps == [] and len(first.tables["clients"]) == 6
    files = _csv_files(export.to_zip(first, "csv"))
    assert {r["measure"] for r in files["outcomes"]} == {"who5"} and len(files["outcomes"]) == 6
    assert sum(int(r["minutes"]) for r in files["admin_time"]) == 180
    assert {r["start_month"] for r in files["decisions"]} == {"2026-01"}
    text = json.dumps(first.tables)
    assert not any(client_id in text for client_id in ids)

    await consent.append(ids[0], "withdrawn", recorded_as="client", how="in_app")
    second = await export.build(counsellor, organiser_id, "Keusote", secret, NOW)
    assert len(second.tables["clients"]) == 5
    # Pseudonyms are new in every export: none of the first export's appears in the second.
    assert not {r["pseudonym"] for r in first.tables["clients"]} & {r["pseudonym"] for r in second.tables["clients"]}
    assert len({r["pseudonym"] for r in second.tables["outcomes"]}) == 5

    parquet = export.to_zip(second, "parquet")
    with zipfile.ZipFile(io.BytesIO(parquet)) as archive:
        table = pq.read_table(io.BytesIO(archive.read("clients.parquet")))
        assert table.num_rows == 5 and table.column_names == ["pseudonym", "client_group", "municipality", "age_band"]
        assert json.loads(archive.read("manifest.json"))["rows"]["clients"] == 5
    made = await AuditEvent.select(AuditEvent.details).where(AuditEvent.action == "evaluation.export.made").run()
    assert [json.loads(r["details"]) if isinstance(r["details"], str) else r["details"] for r in made][-1]["clients"] == 5


async def test_k_anonymity_coarsens_then_refuses_a_small_group(db):
    secret = db.settings.secret_key
    mixed = [("families", "Tuusula", band) for band in ("18-24", "25-34", "35-44", "45-54", "55-64")]
    organiser_id, counsellor, _ = await _county(secret, mixed)
    coarse = await export.build(counsellor, organiser_id, "Keusote", secret, NOW)
    assert coarse.steps == ["age_band"] and {r["age_band"] for r in coarse.tables["clients"]} == {"18-64"}

    # Two older people in Kerava cannot hide among five families in Tuusula: refused, nothing given.
    more = await world.person("counsellor", organiser_id=organiser_id, password=None)
    for i, band in enumerate(("75-84", "85+")):
        made = await world.voucher_client(more.actor, secret, [LineInput(category="day-activities", amount_cents=50_000)],
                                          name=f"Pieni {i}", group="older_people", municipality="Kerava")
        await set_age_band(more.actor, made.id, band)
        await consent.append(made.id, "given", recorded_as="counsellor", how="paper")
    with pytest.raises(export.ExportRefused) as refused:
        await export.build(counsellor, organiser_id, "Keusote", secret, NOW)
    assert refused.value.params == {"k": 5, "classes": 1} and refused.value.status == 409
    audit = await AuditEvent.select(AuditEvent.action).where(AuditEvent.action.like("evaluation.export.%")).order_by(
        AuditEvent.at).run()
    assert [r["action"] for r in audit] == ["evaluation.export.made", "evaluation.export.refused"]
