"""Issue 21, deliverable 5: point-in-time recovery, as docs/operations.md tells an operator to do it.

A cluster archives its WAL to a directory (``archive_mode = on``, ``archive_command``); a base
backup is taken (``pg_basebackup``); a provider and listing are imported before the chosen moment
and another after it; then the server is lost. A new cluster is made from the base backup with
``restore_command`` reading the archive and ``recovery_target_time`` set to the moment, and is
promoted when it gets there; ``hb search reindex`` rebuilds the search index from it. What was
written before the moment is there — in the database and in search — and what came after is not.
"""

import asyncio
import shutil
import subprocess

import httpx

from core import db as core_db
from core.settings import Settings
from tests import world
from tests.hardening.test_faults import SECRET, bound
from tests.hardening.world import run_hb
from tests.ops.pg import Node, as_postgres, give_to_postgres, need_server_binaries, sql, wait_for

COUNTY = world.county("org-a")
CATEGORY = world.category("sport-riding", names={"fi": "Liikunta ja ratsastus"})


def provider_document(ref: str, business_number: int, name: str, title: str, *, full: bool = False) -> dict:
    business_id = world.business_id(business_number)
    return world.document(
        counties=[COUNTY] if full else [], categories=[CATEGORY] if full else [],
        providers=[world.provider(ref, business_id, name, email=f"{ref}@example.test")],
        listings=[world.listing(f"lst-{ref}", ref, "sport-riding", title={"fi": title})])


async def _archived(url: str, segment: str) -> bool:
    rows = await sql(url, "SELECT last_archived_wal FROM pg_stat_archiver")
    return bool(rows[0]["last_archived_wal"]) and rows[0]["last_archived_wal"] >= segment


async def _promoted(url: str) -> bool:
    try:
        rows = await sql(url, "SELECT pg_is_in_recovery() AS r")
    except Exception:  # noqa: BLE001 - still starting
        return False
    return rows[0]["r"] is False


async def test_restore_to_a_moment_keeps_what_came_before_and_drops_what_came_after(tmp_path):
    need_server_binaries()
    primary, restored = Node(), Node()
    try:
        archive, base = primary.dir / "archive", primary.dir / "base"
        archive.mkdir()
        give_to_postgres(archive)
        primary.init()
        primary.configure(wal_level="replica", archive_mode="on",
                          archive_command=f"test ! -f {archive}/%f && cp %p {archive}/%f")
        primary.start()
        await sql(primary.url_of("postgres"), "CREATE DATABASE hb")
        settings = Settings.from_env({"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": SECRET,
                                      "HB_DATABASE_URL": primary.url_of("hb")})
        # The imports run as `hb import` does (in this process: three child processes cost seconds).
        async with bound(settings):
            await core_db.migrate(quiet=True)
            await world.load(provider_document("prov-base", 9603082, "Talli Tuulenpesä Oy", "Ratsastusterapia",
                                               full=True), settings)
            await asyncio.to_thread(primary.run, "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port),
                                    "-U", "postgres", "-D", str(base), "-X", "stream", "--no-sync", "--checkpoint=fast")

            await world.load(provider_document("prov-before", 1819093, "Ennen Oy", "Aamutalli"), settings)
            target = (await sql(primary.url_of("hb"), "SELECT clock_timestamp()::text AS t"))[0]["t"]
            await asyncio.sleep(1.1)
            await world.load(provider_document("prov-after", 2345678, "Jälkeen Oy", "Iltatalli"), settings)
        segment = (await sql(primary.url_of("hb"), "SELECT pg_walfile_name(pg_switch_wal()) AS s"))[0]["s"]
        await wait_for(lambda: _archived(primary.url_of("postgres"), segment), "the last WAL segment to be archived")
        await asyncio.to_thread(primary.stop, "immediate")  # the server is lost

        # The restore: the base backup, the archive, the moment.
        subprocess.run(as_postgres(["cp", "-a", str(base), str(restored.data)]), check=True, timeout=60)
        restored.configure(archive_mode="off", restore_command=f"cp {archive}/%f %p",
                           recovery_target_time=target, recovery_target_action="promote")
        (restored.data / "recovery.signal").touch()
        give_to_postgres(restored.data / "recovery.signal")
        restored.start()
        await wait_for(lambda: _promoted(restored.url_of("hb")), "the restored cluster to reach the moment and promote", 60)

        names = {r["name"] for r in await sql(restored.url_of("hb"), "SELECT name FROM mp_provider")}
        assert names == {"Talli Tuulenpesä Oy", "Ennen Oy"}, names

        # The search index is derived data: rebuilt from the restored database, in a new data dir.
        again = Settings.from_env({"HB_DATA_DIR": str(tmp_path / "restored"), "HB_SECRET_KEY": SECRET,
                                   "HB_DATABASE_URL": restored.url_of("hb")})
        reindex = run_hb(again, "search", "reindex")
        assert "2 listings searchable" in reindex.stderr, reindex.stderr
        titles = await _searchable_titles(again)
        assert titles == {"Ratsastusterapia", "Aamutalli"}, titles
    finally:
        primary.destroy()
        restored.destroy()
        shutil.rmtree(tmp_path / "data", ignore_errors=True)


async def _searchable_titles(settings: Settings) -> set[str]:
    """What the search API finds, served in-process by the app on the restored database."""
    from core import db as core_db
    from hb.app import create_app
    from tests.conftest import Lifespan

    previous = core_db._current.get("engine")
    app = create_app(settings, run_workers=False)
    try:
        async with Lifespan(app):
            transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
                r = await client.get("/api/v1/search/listings", params={"per_page": "50"})
                assert r.status_code == 200, r.text
                return {hit["title"] for hit in r.json()["hits"]}
    finally:
        if previous is not None:
            core_db.bind(previous)
