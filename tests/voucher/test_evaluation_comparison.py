"""Issue 19, deliverable 3: the comparison group's CSV import — all or nothing with an error per row
and field, idempotent (the same file again changes nothing), and `hb evaluation import-comparison`
with its summary. Both databases."""

import json
import os
import subprocess
import sys

import pytest

from core.errors import Invalid
from core.identity import Actor
from tests import world
from voucher.evaluation import comparison
from voucher.tables import ComparisonClient, ComparisonMonth

ADMIN = Actor(role="platform_admin", display_name="test")
HEADER = "pseudonym;client_group;municipality;age_band;month;service_cost_cents;admin_minutes;who5_start;who5_end;satisfaction;gas_change"
GOOD = "\n".join([
    HEADER,
    "V001;older_people;Tuusula;75-84;2026-01;120000;90;3 2 3 2 2;60;4,5;1,5",
    "V001;older_people;Tuusula;75-84;2026-02;130000;60;;;;",
    "V002;families;Kerava;35-44;2026-01;45000;30;52;48;3;-0.5",
]) + "\n"


async def _county() -> str:
    loaded = await world.load(world.document(counties=[world.county("org-a")]))
    return loaded["refs"]["org-a"]


async def test_a_valid_file_is_written_and_the_same_file_again_changes_nothing(db):
    organiser_id = await _county()
    first = await comparison.import_csv(ADMIN, organiser_id, GOOD.encode())
    assert (first.clients_created, first.months_created, first.unchanged) == (2, 3, 0)
    v1 = await ComparisonClient.select().where(ComparisonClient.pseudonym == "V001").first().run()
    # Raw WHO-5 answers become the score (sum × 4); the outcome columns of the first row hold for all.
    assert (v1["who5_start"], v1["who5_end"], v1["satisfaction_x100"], v1["gas_change_x100"]) == (48, 60, 450, 150)
    again = await comparison.import_csv(ADMIN, organiser_id, GOOD.encode())
    assert (again.clients_created, again.clients_updated, again.months_created, again.months_updated,
            again.unchanged) == (0, 0, 0, 0, 3)
    assert await ComparisonMonth.count().run() == 3
    changed = await comparison.import_csv(ADMIN, organiser_id, GOOD.replace("130000", "131000").encode())
    assert (changed.months_updated, changed.unchanged) == (1, 2)
    feb = await ComparisonMonth.select().where(ComparisonMonth.service_cost_cents == 131000).run()
    assert len(feb) == 1


async def test_a_file_with_errors_writes_nothing_and_names_each_row_and_field(db):
    organiser_id = await _county()
    bad = "\n".join([
        HEADER,
        "V001;older_people;Tuusula;75-84;2026-01;120000;90;;;;",  # fine on its own
        "131052-308T;families;Kerava;35-44;2026-01;45000;30;;;;",  # an identity code as pseudonym
        "V003;pensioners;Kerava;35-44;2026-13;-5;30;63;;7;",  # group, month, cost, WHO-5, satisfaction
        "V001;families;Tuusula;75-84;2026-01;1;1;;;;",  # same month again
        "V004;families;Kerava;35-44;2026-01;100",  # too few columns
    ])
    with pytest.raises(Invalid) as caught:
        await comparison.import_csv(ADMIN, organiser_id, bad.encode())
    found = {(e.ref, e.field, e.key) for e in caught.value.errors}
    assert ("3", "pseudonym", "evaluation.csv.identity_code") in found
    assert {("4", f) for f in ("client_group", "month", "service_cost_cents", "who5_start", "satisfaction")} <= {
        (r, f) for r, f, _ in found}
    assert ("5", "month", "evaluation.csv.duplicate_month") in found
    assert ("6", "file", "evaluation.csv.columns") in found
    assert all(e.localised("fi").message for e in caught.value.errors)
    assert await ComparisonClient.count().run() == 0 and await ComparisonMonth.count().run() == 0

    with pytest.raises(Invalid) as header:
        await comparison.import_csv(ADMIN, organiser_id, b"pseudonym,month\nV1,2026-01\n")
    assert {e.field for e in header.value.errors} == {"client_group", "municipality", "age_band", "service_cost_cents"}
    with pytest.raises(Invalid):
        await comparison.import_csv(ADMIN, organiser_id, "ä".encode("latin-1"))


def _hb(args, env):
    return subprocess.run([sys.executable, "-m", "hb.cli", *args], capture_output=True, text=True, env=env, timeout=120)


async def test_cli_imports_with_a_summary_and_refuses_a_bad_file(db, tmp_path):
    env = {**os.environ, "HB_DATA_DIR": str(tmp_path / "cli"), "HB_SECRET_KEY": "x" * 40}
    if db.is_postgres:
        env["HB_DATABASE_URL"] = db.settings.database_url
    else:
        env.pop("HB_DATABASE_URL", None)
    doc = tmp_path / "county.json"
    doc.write_text(json.dumps(world.document(counties=[world.county("org-cli")])))
    assert _hb(["import", str(doc)], env).returncode == 0
    source = tmp_path / "vertailu.csv"
    source.write_text(GOOD, encoding="utf-8")
    first = _hb(["evaluation", "import-comparison", str(source)], env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["summary"]["months_created"] == 3
    assert "row(s) checked" in first.stderr and "Done: 3 row(s)" in first.stderr
    second = _hb(["evaluation", "import-comparison", str(source)], env)
    assert json.loads(second.stdout)["summary"]["unchanged"] == 3
    source.write_text(GOOD.replace("2026-02", "2026-2"), encoding="utf-8")
    failed = _hb(["evaluation", "import-comparison", str(source), "--lang", "en"], env)
    assert failed.returncode == 1
    assert json.loads(failed.stdout)["errors"] == [{"ref": "3", "field": "month", "message": "A month such as 2026-03."}]
    assert "nothing was imported" in failed.stderr


async def test_two_imports_of_the_same_file_at_once_write_it_once(db):
    import asyncio

    organiser_id = await _county()
    one, two = await asyncio.gather(comparison.import_csv(ADMIN, organiser_id, GOOD.encode()),
                                    comparison.import_csv(ADMIN, organiser_id, GOOD.encode()))
    assert sorted([one.months_created, two.months_created]) == [0, 3]
    assert await ComparisonClient.count().run() == 2 and await ComparisonMonth.count().run() == 3
