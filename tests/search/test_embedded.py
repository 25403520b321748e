"""The embedded backend's own promises: its folder on disk, one writer and many readers across
processes, the atomic swap of a rebuilt index, and the typo rules tantivy's fuzzy query keeps."""

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import analyse_query
from search.documents import ListingDocument, SearchQuery
from search.embedded import EmbeddedBackend, EmbeddedSearch, WriterBusy
from search.embedded.engine import POINTER

ROOT = Path(__file__).resolve().parents[2]


def listing(doc_id: str, title: str, description: str = "Kuvaus.") -> ListingDocument:
    return ListingDocument(
        id=doc_id, organisers=["org-test"], provider_id="prov-test", provider_name="Testi Oy",
        category="art-culture", category_names={"fi": "Taide ja kulttuuri"}, title={"fi": title},
        description={"fi": description}, price_cents=1000, unit="session", municipality="Kerava",
        delivery_mode="at_provider", languages=["fi"], accessibility=[], updated_at="2026-11-20T10:00:00+02:00",
    )


async def ids(backend: EmbeddedBackend, q: str) -> set[str]:
    result = await backend.search(SearchQuery(q=q, per_page=100))
    return {hit.id for hit in result.hits}


async def test_the_index_lives_in_its_folder_and_survives_a_restart(tmp_path):
    first = EmbeddedBackend.in_data_dir(tmp_path)
    await first.upsert([listing("a", "Keramiikkapaja"), listing("b", "Puutyöpaja")])
    await first.delete(["b"])
    await first.close()
    second = EmbeddedBackend.in_data_dir(tmp_path)
    generation = (tmp_path / "search" / POINTER).read_text().strip()
    assert (tmp_path / "search" / generation / "meta.json").exists()
    assert await ids(second, "paja") == {"a"}
    assert await second.count() == 1
    await second.close()


async def test_backends_of_one_process_share_the_index_and_its_writer(tmp_path):
    server, cli = EmbeddedBackend(tmp_path / "search"), EmbeddedBackend(tmp_path / "search")
    await server.upsert([listing("a", "Keramiikkapaja")])
    await cli.upsert([listing("b", "Keramiikkapaja aikuisille")])
    assert await ids(server, "keramiikkapaja") == {"a", "b"}
    await cli.delete(["a"])
    assert await ids(server, "keramiikkapaja") == {"b"}
    await cli.close()  # the other backend keeps the index open and writable
    await server.clear()
    assert await ids(server, "keramiikkapaja") == set()
    await server.close()


READER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from search.documents import SearchQuery
    from search.embedded import EmbeddedSearch, WriterBusy

    engine = EmbeddedSearch({path!r})
    try:
        engine.upsert([])  # nothing to write: no lock needed
        engine.delete(["x"])
        print("wrote", flush=True)
    except WriterBusy:
        print("busy", flush=True)
    print("ready", engine.count(), flush=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = {{h.id for h in engine.search(SearchQuery(q="asiointikyyti")).hits}}
        if "later" in found:
            print("seen", flush=True)
            break
        time.sleep(0.02)
    engine.close()
""")


async def test_another_process_reads_the_same_index_and_sees_a_commit_at_once_but_cannot_write(tmp_path):
    path = tmp_path / "search"
    writer = EmbeddedBackend(path)
    await writer.upsert([listing("first", "Asiointikyyti")])
    process = subprocess.Popen([sys.executable, "-c", READER.format(root=str(ROOT), path=str(path))],
                               stdout=subprocess.PIPE, text=True)
    lines = []
    for _ in range(2):
        lines.append(await asyncio.to_thread(process.stdout.readline))
    assert lines == ["busy\n", "ready 1\n"]  # the writer lock is ours; reading needs none
    started = time.monotonic()
    await writer.upsert([listing("later", "Asiointikyyti Keravalla")])
    assert await asyncio.to_thread(process.stdout.readline) == "seen\n"
    assert time.monotonic() - started < 1.0
    assert await asyncio.to_thread(process.wait, 30) == 0
    await writer.close()


async def test_a_process_that_cannot_write_says_so_and_still_searches(tmp_path):
    path = tmp_path / "search"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(ROOT)!r})
            from search.embedded import EmbeddedSearch
            from tests.search.test_embedded import listing
            engine = EmbeddedSearch({str(path)!r})
            engine.upsert([listing("held", "Keramiikkapaja")])
            print("holding", flush=True)
            sys.stdin.readline()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert await asyncio.to_thread(holder.stdout.readline) == "holding\n"
        reader = EmbeddedBackend(path)
        assert await reader.can_write() is False
        with pytest.raises(WriterBusy):
            await reader.upsert([listing("mine", "Keramiikkapaja")])
        assert await ids(reader, "keramiikkapaja") == {"held"}
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert await asyncio.to_thread(holder.wait, 30) == 0
        assert await reader.can_write() is True  # the lock went with the process
        await reader.upsert([listing("mine", "Keramiikkapaja")])
        assert await ids(reader, "keramiikkapaja") == {"held", "mine"}
        await reader.close()
    finally:
        if holder.poll() is None:
            holder.kill()


async def test_a_rebuild_is_swapped_in_at_once_and_old_generations_go(tmp_path):
    path = tmp_path / "search"
    server, cli = EmbeddedBackend(path), EmbeddedSearch(path)
    await server.upsert([listing("old", "Keramiikkapaja")])
    for round_ in range(3):
        await asyncio.to_thread(cli.rebuild, [[listing(f"new-{round_}", "Keramiikkapaja"), listing("x", "Kuoro")]])
        assert await ids(server, "keramiikkapaja") == {f"new-{round_}"}
    await server.upsert([listing("after", "Keramiikkapaja")])  # the writer follows the swap
    assert await ids(server, "keramiikkapaja") == {"new-2", "after"}
    assert len(list(path.glob("tantivy-*"))) == 2  # the one in use and the one just replaced
    cli.close()
    await server.close()


async def test_frequent_words_and_many_deletions_stay_correct():
    backend = EmbeddedBackend()
    await backend.upsert([listing(f"d{n}", f"Yhteinen retki {n}") for n in range(1500)])
    assert (await backend.search(SearchQuery(q="yhteinen"))).total == 1500
    await backend.upsert([listing(f"e{n}", "Yhteinen ilta") for n in range(10)])
    assert (await backend.search(SearchQuery(q="yhteinen"))).total == 1510
    await backend.delete([f"d{n}" for n in range(1200)])
    result = await backend.search(SearchQuery(q="yhteinen", per_page=100))
    assert result.total == 310 and not any(hit.id in {"d0", "d1199"} for hit in result.hits)
    await backend.upsert([listing("d5", "Kokonaan uusi otsikko")])
    assert "d5" not in await ids(backend, "retki") and await ids(backend, "otsikko") == {"d5"}
    await backend.close()


async def test_the_last_of_two_versions_in_one_batch_wins():
    backend = EmbeddedBackend()
    await backend.upsert([listing("x", "Ensimmäinen"), listing("x", "Toinen")])
    assert await ids(backend, "toinen") == {"x"} and await ids(backend, "ensimmäinen") == set()
    assert await backend.count() == 1
    await backend.close()


async def test_missing_and_empty_texts_are_indexed_without_fuss():
    backend = EmbeddedBackend()
    doc = listing("y", "Otsikko")
    doc.description = {"fi": "", "sv": " "}
    doc.title["en"] = ""
    await backend.upsert([doc])
    assert await ids(backend, "otsikko") == {"y"}
    await backend.close()


async def test_a_typo_on_the_first_letter_counts_twice():
    backend = EmbeddedBackend()
    await backend.upsert([listing("ride", "Kyyti"), listing("therapy", "Ratsastusterapia")])
    assert await ids(backend, "kyyri") == {"ride"}  # 5 letters: one typo
    assert await ids(backend, "ryyti") == set()  # ... but not on the first letter
    assert await ids(backend, "aatsastusterapia") == {"therapy"}  # 9 letters and more: that one fits
    assert await ids(backend, "aatsastusterapua") == set()
    await backend.close()


@settings(max_examples=60, deadline=None)
@given(titles=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=5))
def test_any_title_can_be_indexed_and_found_by_its_own_words(titles):
    engine = EmbeddedSearch(None)
    engine.upsert([listing(f"t{n}", title) for n, title in enumerate(titles)])
    for n, title in enumerate(titles):
        result = engine.search(SearchQuery(q=title, per_page=100))
        if analyse_query(title):
            assert f"t{n}" in {hit.id for hit in result.hits}
    engine.close()


def test_an_index_written_with_other_fields_is_replaced_and_rebuilt(tmp_path):
    # An upgrade that changes the index's fields: the old files cannot be searched with the new
    # fields; the index opens empty, says it needs a rebuild (the server then rebuilds it from
    # the database at start), and a rebuild brings the listings back.
    root = tmp_path / "search"
    (root / "tantivy-1").mkdir(parents=True)
    older = tantivy.SchemaBuilder()
    older.add_text_field("title")
    tantivy.Index(older.build(), path=str(root / "tantivy-1"))
    (root / POINTER).write_text("tantivy-1\n")
    engine = EmbeddedSearch(root)
    assert engine.outdated
    assert engine.count() == 0
    engine.rebuild([[listing("a", "Keramiikkapaja")]])
    assert not engine.outdated
    assert {hit.id for hit in engine.search(SearchQuery(q="keramiikkapaja")).hits} == {"a"}
    engine.close()
