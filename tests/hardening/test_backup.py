"""`hb backup` / `hb restore` round trip on SQLite and PostgreSQL: every row of every table comes back
exactly as it was at the backup, later changes are gone, the search index is rebuilt from the
database, and a bad or foreign file is refused without touching the data."""

import datetime as dt
import io
import json

from core import db as core_db
from core.identity import Actor
from search.backend import make_backend
from tests import world as tests_world
from tests.hardening.world import CARDS, load_world, run_hb
from voucher import authorisation
from voucher.schemas import AuthorizationRequest


async def snapshot() -> dict:
    """Every table's rows, in a stable order (the migration table included)."""
    out = {}
    for table in core_db.all_tables():
        rows = await table.select().run()
        out[table._meta.tablename] = sorted((json.dumps(r, sort_keys=True, default=str) for r in rows))
    return out


async def _spend(settings, world, amount: int) -> dict:
    provider = Actor(role="provider_staff", provider_id=world["refs"]["prov-a"], display_name="terminal",
                     api_key_id="00000000-0000-0000-0000-000000000001")
    now = dt.datetime.now(dt.timezone.utc)
    code = await tests_world.consent_code(world["refs"]["cli-a1"], amount, settings, now=now)
    req = AuthorizationRequest(card_token=CARDS["cli-a1"], amount_cents=amount, listing_id=world["refs"]["lst-riding"],
                               client_code=code)
    got = json.loads((await authorisation.authorise(provider, req, settings=settings, now=now)).body)
    assert got["status"] == "approved", got
    await authorisation.capture(provider, got["id"], amount - 100, now=now)
    return got


async def _search_count(settings) -> int:
    backend = make_backend(settings)
    try:
        return await backend.count()
    finally:
        await backend.close()


async def test_backup_then_restore_gives_back_exactly_the_backed_up_database(db, tmp_path):
    world = await load_world(db.settings)
    await _spend(db.settings, world, 7500)
    before = await snapshot()
    assert sum(len(v) for v in before.values()) > 50
    file = tmp_path / "hb-backup.bin"

    out = run_hb(db.settings, "backup", str(file))
    assert "Backed up" in out.stderr and file.stat().st_size > 0

    # Life goes on after the backup: money moves, the index is emptied.
    await _spend(db.settings, world, 2000)
    backend = make_backend(db.settings)
    await backend.clear()
    await backend.close()
    assert await snapshot() != before and await _search_count(db.settings) == 0

    out = run_hb(db.settings, "restore", str(file))
    assert "Restored" in out.stderr, out.stderr
    assert await snapshot() == before
    assert await _search_count(db.settings) == 2  # both approved listings, rebuilt from the database

    # The restored database works: the next authorisation sees the restored balance.
    got = await _spend(db.settings, world, 1000)
    assert got["line_available_cents"] == 5_000_000 - 7400 - 1000


async def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(db, tmp_path):
    world = await load_world(db.settings)
    await _spend(db.settings, world, 3000)
    good = tmp_path / "good.bin"
    run_hb(db.settings, "backup", str(good))
    before = await snapshot()

    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    junk = tmp_path / "junk.bin"
    junk.write_text("not a backup")
    for bad in (truncated, junk, tmp_path / "missing.bin"):
        result = run_hb(db.settings, "restore", str(bad), check=False)
        assert result.returncode != 0 and "hb restore:" in result.stderr and "Traceback" not in result.stderr, result.stderr
        assert await snapshot() == before


async def test_evidence_documents_are_backed_up_beside_the_database_and_restored(db, tmp_path):
    """Issue 18: a provider's uploaded documents are files under HB_DATA_DIR/evidence/, not rows;
    `hb backup FILE` writes them to FILE.evidence.tar and `hb restore FILE` puts them back, so the
    restored document rows open their files again. A tampered archive is refused before anything
    is restored."""
    import shutil
    import tarfile

    from marketplace import documents
    from marketplace.evidence_store import store_for
    from tests.hardening.roles import evidence_document

    world = await load_world(db.settings)
    provider = Actor(role="provider_staff", provider_id=world["refs"]["prov-a"], display_name="Talli",
                     user_id="00000000-0000-0000-0000-0000000000aa")
    document_id = await evidence_document(db.settings, provider, world["refs"]["prov-a"])
    evidence = db.settings.data_dir / "evidence"
    [stored] = list(evidence.iterdir())
    file = tmp_path / "hb-backup.bin"

    out = run_hb(db.settings, "backup", str(file))
    assert "Backed up 1 evidence documents" in out.stderr, out.stderr
    archive = tmp_path / "hb-backup.bin.evidence.tar"
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [stored.name]

    # The disk with the documents is lost; the restore brings them back.
    shutil.rmtree(evidence)
    out = run_hb(db.settings, "restore", str(file))
    assert "Restored 1 evidence documents" in out.stderr, out.stderr
    assert (evidence / stored.name).read_bytes() == b"%PDF-1.4 matrix"
    assert (evidence / stored.name).stat().st_mode & 0o777 == 0o600
    data, content_type = await documents.open_document(provider, document_id, store=store_for(db.settings))
    assert data == b"%PDF-1.4 matrix" and content_type == "application/pdf"

    # An archive that names anything but an evidence key is refused, and nothing is restored.
    with tarfile.open(archive, "a") as tar:
        sneaky = tarfile.TarInfo("../secret.key")
        sneaky.size = 1
        tar.addfile(sneaky, io.BytesIO(b"x"))
    before = await snapshot()
    refused = run_hb(db.settings, "restore", str(file), check=False)
    assert refused.returncode == 1 and "not an evidence file" in refused.stderr and "nothing was changed" in refused.stderr
    assert await snapshot() == before
