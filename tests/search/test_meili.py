"""The Meilisearch adapter without a server: what it sends through the SDK and how it reads answers.

A small fake of the HTTP API sits behind httpx's MockTransport, so the SDK's own request
building, task waiting and response parsing run for real. The behaviour against a real server is
the contract suite's Meilisearch run (HB_MEILI_URL).
"""

import json
import re

import httpx2 as httpx  # the SDK speaks httpx2
import msgspec
import pytest
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk._http_requests import AsyncHttpRequests
from meilisearch_python_sdk.errors import MeilisearchTaskFailedError

from search.backend import SearchBackend, make_backend
from search.documents import SearchQuery
from search.embedded import EmbeddedBackend
from search.meili import MeiliBackend, index_settings, meili_filter, meili_query, to_meili_document

NOW = "2026-11-28T10:00:00Z"


class FakeMeili:
    """Just enough of the Meilisearch HTTP API; records every request it gets."""

    def __init__(self, fail_tasks: bool = False) -> None:
        self.requests: list[tuple[str, str, object]] = []
        self.documents: dict[str, dict] = {}
        self.polls: dict[int, int] = {}
        self.fail_tasks = fail_tasks
        self.index_exists = False

    def _task(self, kind: str) -> httpx.Response:
        uid = len(self.polls) + 1
        self.polls[uid] = 0
        return httpx.Response(202, json={"taskUid": uid, "indexUid": "listings", "status": "enqueued",
                                         "type": kind, "enqueuedAt": NOW})

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        path = request.url.path
        self.requests.append((request.method, path, body))
        if path == "/health":
            return httpx.Response(200, json={"status": "available"})
        if match := re.fullmatch(r"/tasks/(\d+)", path):
            uid = int(match.group(1))
            self.polls[uid] += 1
            status = "processing" if self.polls[uid] == 1 else ("failed" if self.fail_tasks else "succeeded")
            return httpx.Response(200, json={"uid": uid, "indexUid": "listings", "status": status,
                                             "type": "documentAdditionOrUpdate", "enqueuedAt": NOW,
                                             "error": {"message": "boom"} if status == "failed" else None})
        if path == "/indexes/listings" and request.method == "GET":
            if not self.index_exists:
                return httpx.Response(404, json={"message": "Index `listings` not found.", "code": "index_not_found",
                                                 "type": "invalid_request", "link": ""})
            return httpx.Response(200, json={"uid": "listings", "primaryKey": "id", "createdAt": NOW, "updatedAt": NOW})
        if path == "/indexes" and request.method == "POST":
            self.index_exists = True
            return self._task("indexCreation")
        if path == "/indexes/listings/settings":
            return self._task("settingsUpdate")
        if path == "/indexes/listings/documents" and request.method == "POST":
            self.documents.update({d["id"]: d for d in body})
            return self._task("documentAdditionOrUpdate")
        if path == "/indexes/listings/documents/delete-batch":
            for doc_id in body:
                self.documents.pop(doc_id, None)
            return self._task("documentDeletion")
        if path == "/indexes/listings/documents" and request.method == "DELETE":
            self.documents.clear()
            return self._task("documentDeletion")
        if path == "/indexes/listings/stats":
            return httpx.Response(200, json={"numberOfDocuments": len(self.documents), "isIndexing": False,
                                             "fieldDistribution": {}})
        if path == "/indexes/listings/search":
            hits = list(self.documents.values())[: body.get("hitsPerPage", 20)]
            return httpx.Response(200, json={
                "hits": hits, "query": body.get("q", ""), "processingTimeMs": 1, "hitsPerPage": body.get("hitsPerPage"),
                "page": body.get("page"), "totalPages": 1, "totalHits": 42,
                "facetDistribution": {"category": {"sport-riding": 2, "therapy": 0}, "languages": {"fi": 2, "sv": 1},
                                      "municipality": {"Tuusula": 2}, "delivery_mode": {"at_provider": 2},
                                      "accessibility": {}, "price_bucket": {"5000-10000": 2}},
            })
        return httpx.Response(404, json={"message": f"no fake for {request.method} {path}", "code": "x", "type": "x", "link": ""})


def backend_on(fake: FakeMeili) -> MeiliBackend:
    client = AsyncClient("http://meili.test", "master-key")
    client.http_client = httpx.AsyncClient(base_url="http://meili.test", headers=client._headers,
                                           transport=httpx.MockTransport(fake))
    client._http_requests = AsyncHttpRequests(client.http_client, json_handler=client.json_handler)
    return MeiliBackend("http://meili.test", client=client)


def sent(fake: FakeMeili, method: str, path: str) -> list:
    return [body for m, p, body in fake.requests if (m, p) == (method, path)]


async def test_the_index_is_created_configured_and_written_waiting_for_each_task(fixture_docs):
    fake = FakeMeili()
    backend = backend_on(fake)
    await backend.upsert(fixture_docs[:3])
    settings = sent(fake, "PATCH", "/indexes/listings/settings")[0]
    assert settings["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert settings["searchableAttributes"][:3] == ["title_fi", "title_sv", "title_en"]
    assert {"organisers", "category", "languages", "price_cents", "has_accessibility", "cost"} <= set(
        settings["filterableAttributes"])
    assert "ja" in settings["stopWords"]
    documents = sent(fake, "POST", "/indexes/listings/documents")[0]
    assert [d["id"] for d in documents] == [d.id for d in fixture_docs[:3]]
    assert all(count == 2 for count in fake.polls.values()), "every task was polled until it finished"
    # The settings are sent once per process, not on every write.
    await backend.delete(["ride-therapy-kids"])
    assert len(sent(fake, "PATCH", "/indexes/listings/settings")) == 1
    assert sent(fake, "POST", "/indexes/listings/documents/delete-batch") == [["ride-therapy-kids"]]
    assert await backend.count() == 2
    await backend.clear()
    assert await backend.count() == 0
    assert await backend.health() is True
    await backend.close()


async def test_a_failed_task_raises_instead_of_passing_silently(fixture_docs):
    backend = backend_on(FakeMeili(fail_tasks=True))
    with pytest.raises(MeilisearchTaskFailedError):
        await backend.upsert(fixture_docs[:1])
    await backend.close()


async def test_a_search_request_and_its_answer(fixture_docs):
    fake = FakeMeili()
    backend = backend_on(fake)
    await backend.upsert([d for d in fixture_docs if d.id in {"ride-therapy-kids", "ride-special-groups"}])
    query = SearchQuery(q='"ratsastusta" AND lapsille', categories=["sport-riding", 'x"y'], language="sv",
                        max_price_cents=7000, accessible=True, organiser="org-keusote", page=2, per_page=5, lang="sv")
    result = await backend.search(query)
    body = sent(fake, "POST", "/indexes/listings/search")[0]
    assert body["q"] == "ratsast laps"
    assert body["filter"] == [['category = "sport-riding"', 'category = "x\\"y"'], 'languages = "sv"',
                              'organisers = "org-keusote"', "has_accessibility = true", "price_cents <= 7000"]
    assert (body["page"], body["hitsPerPage"], body["matchingStrategy"]) == (2, 5, "last")
    assert set(body["facets"]) == {"category", "municipality", "delivery_mode", "languages", "accessibility", "price_bucket",
                                   "cost"}
    assert result.total == 42
    assert result.facets["language"] == {"fi": 2, "sv": 1}
    assert result.facets["category"] == {"sport-riding": 2}, "zero counts are left out"
    assert result.facets["price"] == {"5000-10000": 2}
    assert result.facets["cost"] == {}, "no free listing: the facet is empty"
    kids = next(h for h in result.hits if h.id == "ride-therapy-kids")
    assert kids.title == "Ridterapi för barn och unga" and kids.price_cents == 6500
    await backend.close()


def test_documents_carry_stems_compound_parts_and_other_languages_words_but_nothing_else(fixture_docs):
    taxi = next(d for d in fixture_docs if d.id == "invataxi-jarvenpaa")
    record = to_meili_document(taxi)
    assert "taksi" in record["parts"].split()
    assert "pyoratuol" in record["stems"].split()
    # "Invataksi" and "pyörätuoli" are found by a Swedish client too.
    assert {"taxi", "rullstol", "fardtjanst"} <= set(record["also"].split())
    assert record["has_accessibility"] is True and record["price_bucket"] == "0-2000" and record["cost"] == []
    assert record["title_sv"] == "" and record["title_en"] == "Wheelchair taxi"
    assert set(record) == {
        "id", "organisers", "provider_id", "provider_name", "category", "price_cents", "price_bucket", "cost", "unit",
        "municipality", "delivery_mode", "languages", "accessibility", "has_accessibility", "updated_at",
        "title_fi", "title_sv", "title_en", "category_names_fi", "category_names_sv", "category_names_en",
        "description_fi", "description_sv", "description_en", "stems", "parts", "also",
    }


def test_a_free_listing_is_faceted_and_filtered_as_free(fixture_docs):
    """The "Maksuton" facet on Meilisearch (docs/decisions/0037): the document says cost=free, the
    filter asks for it, and the facet distribution comes back under ``cost``."""
    free = msgspec.structs.replace(fixture_docs[0], price_cents=0)
    assert to_meili_document(free)["cost"] == ["free"]
    assert meili_filter(SearchQuery(free=True)) == ['cost = "free"']
    assert meili_filter(SearchQuery(free=False)) == []


@pytest.mark.parametrize(
    ("typed", "sent_as"),
    [
        ("ratsastus", "ratsastus"),
        ("ratsastusta", "ratsast"),
        ("terapiassa kotiin", "terap kot"),
        ("Päivätoiminta", "päivätoiminta"),
        ('"invataksi" -taksi* (NEAR)', "invataksi taksi near"),
        ("ja tai", "ja tai"),
        ("!!!", ""),
    ],
)
def test_query_words_as_meilisearch_gets_them(typed, sent_as):
    assert meili_query(typed) == sent_as


def test_no_filter_is_sent_for_an_unfiltered_query():
    assert meili_filter(SearchQuery(q="x")) == []
    assert index_settings().ranking_rules[0] == "words"


def test_the_factory_picks_by_settings(tmp_path):
    class Settings:
        data_dir = tmp_path
        meili_url = None
        meili_key = None

    embedded = make_backend(Settings())
    assert isinstance(embedded, EmbeddedBackend) and isinstance(embedded, SearchBackend)
    assert (tmp_path / "search" / "CURRENT").exists()  # the tantivy index in use, under data_dir/search/
    Settings.meili_url = "http://127.0.0.1:7700"
    assert isinstance(make_backend(Settings()), MeiliBackend)


@pytest.mark.parametrize(
    ("typed", "doc_id"),
    [("målning", "paint-fi"), ("invataxi", "taxi-fi"), ("hund", "dog-fi"), ("avlösning", "respite-fi"),
     ("riding", "ride-fi")],
)
def test_a_word_in_another_language_reaches_meilisearch_as_a_word_of_the_finnish_document(typed, doc_id):
    # Meilisearch matches whole words: the word sent for the query must be one of the `also` words
    # of exactly the listing the embedded backend finds (the contract test runs both).
    from search.analysis import fold
    from tests.search.test_contract import FINNISH_ONLY, listing

    records = {d: to_meili_document(listing(d, title)) for d, title in FINNISH_ONLY}
    sent = fold(meili_query(typed))
    assert [d for d, record in records.items() if sent in record["also"].split()] == [doc_id]
