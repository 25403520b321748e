"""The embedded backend's own promises: its index file, several processes, and its typo finder."""

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis import analyse_query, typo_cost
from search.documents import ListingDocument, SearchQuery
from search.embedded import EmbeddedBackend, EmbeddedSearch
from search.embedded.vocabulary import Vocabulary

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


async def test_the_index_lives_in_its_file_and_survives_a_restart(tmp_path):
    first = EmbeddedBackend.in_data_dir(tmp_path)
    await first.upsert([listing("a", "Keramiikkapaja"), listing("b", "Puutyöpaja")])
    await first.delete(["b"])
    await first.close()
    second = EmbeddedBackend.in_data_dir(tmp_path)
    assert (tmp_path / "search" / "index.sqlite3").exists()
    assert await ids(second, "paja") == {"a"}
    assert await second.count() == 1
    await second.close()


async def test_writes_of_another_backend_on_the_same_file_are_seen_by_the_next_search(tmp_path):
    server, cli = EmbeddedBackend(tmp_path / "index.sqlite3"), EmbeddedBackend(tmp_path / "index.sqlite3")
    await server.upsert([listing("a", "Keramiikkapaja")])
    assert await ids(server, "keramiikkapaja") == {"a"}
    await cli.upsert([listing("b", "Keramiikkapaja aikuisille")])
    assert await ids(server, "keramiikkapaja") == {"a", "b"}
    await cli.delete(["a"])
    assert await ids(server, "keramiikkapaja") == {"b"}
    await cli.clear()
    assert await ids(server, "keramiikkapaja") == set()
    await server.upsert([listing("c", "Keramiikkapaja")])
    assert await ids(cli, "keramiikkapaja") == {"c"}
    await server.close()
    await cli.close()


WRITER = textwrap.dedent("""
    import asyncio, sys
    sys.path.insert(0, {root!r})
    from search.documents import ListingDocument
    from search.embedded import EmbeddedBackend, EmbeddedSearch

    async def main():
        backend = EmbeddedBackend({path!r})
        for batch in range(20):
            await backend.upsert([ListingDocument(
                id=f"cli-{{batch}}-{{n}}", organisers=["o"], provider_id="p", provider_name="Tuonti Oy",
                category="transport", category_names={{"fi": "Kuljetuspalvelut"}}, title={{"fi": "Asiointikyyti"}},
                description={{}}, price_cents=100, unit="km", municipality="Kerava", delivery_mode="at_client_home",
                languages=["fi"], accessibility=[], updated_at="") for n in range(10)])
        await backend.close()

    asyncio.run(main())
""")


async def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "index.sqlite3"
    server = EmbeddedBackend(path)
    process = subprocess.Popen([sys.executable, "-c", WRITER.format(root=str(ROOT), path=str(path))])
    for batch in range(20):
        await server.upsert([listing(f"web-{batch}-{n}", "Keramiikkapaja") for n in range(10)])
        await server.search(SearchQuery(q="asiointikyyti"))
        await asyncio.sleep(0.005)
    assert await asyncio.to_thread(process.wait, 60) == 0
    assert await server.count() == 400
    assert len(await ids(server, "keramiikkapaja")) == 100  # one page of 100 …
    assert (await server.search(SearchQuery(q="keramiikkapaja"))).total == 200
    assert (await server.search(SearchQuery(q="asiointikyyti"))).total == 200
    await server.close()


async def test_frequent_words_and_many_deletions_stay_correct():
    backend = EmbeddedBackend()
    await backend.upsert([listing(f"d{n}", f"Yhteinen retki {n}") for n in range(1500)])
    assert (await backend.search(SearchQuery(q="yhteinen"))).total == 1500
    await backend.upsert([listing(f"e{n}", "Yhteinen ilta") for n in range(10)])  # a dense word grows
    assert (await backend.search(SearchQuery(q="yhteinen"))).total == 1510
    await backend.delete([f"d{n}" for n in range(1200)])  # enough dead slots to rebuild the index
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


# --- the typo finder against brute force ------------------------------------------------------

LETTERS = "aeiklmnorstuy"
words = st.text(alphabet=LETTERS, min_size=3, max_size=12)


def brute_force(vocabulary: list[str], word: str, limit: int, prefix: bool) -> dict[str, int]:
    found: dict[str, int] = {}
    for term in set(vocabulary):
        if term == word:
            continue
        starts = {term}
        if prefix:
            starts = {term[:size] for size in range(max(1, len(word) - limit), len(word) + limit + 1)
                      if size <= len(term) and term[:size] != word}
        costs = [c for c in (typo_cost(word, start, limit) for start in starts) if c is not None]
        if costs:
            found[term] = min(costs)
    return found


def mutate(word: str, edits: list[tuple[int, int, str]]) -> str:
    for kind, at, letter in edits:
        at = at % (len(word) + 1)
        if kind == 0:
            word = word[:at] + letter + word[at:]
        elif kind == 1 and len(word) > 1:
            word = word[:at] + word[at + 1:]
        elif kind == 2:
            word = word[:at] + letter + word[at + 1:]
        elif at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word


@settings(max_examples=300, deadline=None)
@given(
    vocabulary=st.lists(words, min_size=1, max_size=60),
    pick=st.integers(min_value=0),
    edits=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 20), st.sampled_from(LETTERS)), max_size=3),
    prefix=st.booleans(),
)
def test_every_word_within_the_typo_budget_is_found_and_nothing_else(vocabulary, pick, edits, prefix):
    vocab = Vocabulary()
    for term in vocabulary:
        vocab.add(term)
    word = mutate(vocabulary[pick % len(vocabulary)], edits)
    for limit in (1, 2):
        if len(word) >= 4 + limit:  # always so under the typo budgets (1 from 5 letters, 2 from 9)
            assert vocab.with_typos(word, limit, prefix) == brute_force(vocabulary, word, limit, prefix)


def test_words_added_later_are_found_too():
    vocab = Vocabulary()
    vocab.add("ratsastus")
    assert vocab.with_typos("ratsastsu", 2, False) == {"ratsastus": 1}
    vocab.add("ratsastaja")
    assert set(vocab.with_typos("ratsastaa", 2, False)) == {"ratsastus", "ratsastaja"}
    assert vocab.with_prefix("ratsast") == ["ratsastaja", "ratsastus"]
    vocab.add("invataksi")
    assert vocab.containing_part("taksi") == ["invataksi"]
