"""Meilisearch backend (production), through meilisearch-python-sdk's AsyncClient.

Meilisearch does typos and prefixes itself with the same thresholds (settings below), but has no
Finnish stemming or decompounding. So each document also carries fields computed by
`search.analysis`: `stems` (the stem key of every word) and `parts` (the pieces of long words at
plausible compound boundaries), and an inflected query word is sent as its stem key, which
matches `stems` exactly and the words themselves by prefix. `also` carries the words of
`search.lexicon` that name the document's services in the other languages. Hits and highlights are built by the
same code as the embedded backend's. Writes wait for their task, so they are visible on return.

Listing ids must be Meilisearch document ids (letters, digits, `-` and `_`).
"""

import asyncio
import time
from collections.abc import Sequence

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.index import AsyncIndex
from meilisearch_python_sdk.models.search import SearchResults
from meilisearch_python_sdk.models.settings import (
    Faceting,
    MeilisearchSettings,
    MinWordSizeForTypos,
    Pagination,
    TypoTolerance,
)
from meilisearch_python_sdk.models.task import TaskInfo

from search import lexicon
from search.analysis import STEMMERS, STOP_WORDS, analyse_query, boundary_parts, strip_fi_ending, tokens
from search.documents import FREE, LANGUAGES, ListingDocument, SearchQuery, SearchResult, cost_values, price_bucket
from search.text import make_hits

INDEX_UID = "listings"
_TEXT_FIELDS = ("title", "category_names", "description")
SEARCHABLE = [f"title_{lang}" for lang in LANGUAGES] + [
    f"category_names_{lang}" for lang in LANGUAGES
] + ["provider_name", "municipality"] + [f"description_{lang}" for lang in LANGUAGES] + ["stems", "parts", "also"]
# Facet key in SearchResult → attribute in the index.
FACETS = {
    "category": "category",
    "municipality": "municipality",
    "delivery_mode": "delivery_mode",
    "language": "languages",
    "accessibility": "accessibility",
    "price": "price_bucket",
    "cost": "cost",
}
_FILTERABLE = sorted(set(FACETS.values()) | {"organisers", "has_accessibility", "price_cents"})
_RETRIEVED = ["id", "organisers", "provider_id", "provider_name", "category", "price_cents", "unit",
              "municipality", "delivery_mode", "languages", "accessibility", "updated_at"] + [
    f"{field}_{lang}" for field in _TEXT_FIELDS for lang in LANGUAGES]  # not stems, parts and also
_BATCH = 5000
_TASK_TIMEOUT_MS = 60_000


def index_settings() -> MeilisearchSettings:
    return MeilisearchSettings(
        searchable_attributes=SEARCHABLE,
        filterable_attributes=_FILTERABLE,
        sortable_attributes=["price_cents", "updated_at"],
        # Exactness before proximity and attribute: an exact word outranks a prefix or a part.
        ranking_rules=["words", "typo", "exactness", "proximity", "attribute", "sort"],
        stop_words=sorted(STOP_WORDS),
        typo_tolerance=TypoTolerance(
            enabled=True,
            min_word_size_for_typos=MinWordSizeForTypos(one_typo=5, two_typos=9),
            disable_on_attributes=["parts", "also"],
        ),
        faceting=Faceting(max_values_per_facet=1000),
        pagination=Pagination(max_total_hits=100_000),
    )


def to_meili_document(doc: ListingDocument) -> dict:
    record: dict = {
        "id": doc.id,
        "organisers": list(doc.organisers),
        "provider_id": doc.provider_id,
        "provider_name": doc.provider_name,
        "category": doc.category,
        "price_cents": doc.price_cents,
        "price_bucket": price_bucket(doc.price_cents),
        "cost": cost_values(doc.price_cents),
        "unit": doc.unit,
        "municipality": doc.municipality,
        "delivery_mode": doc.delivery_mode,
        "languages": list(doc.languages),
        "accessibility": list(doc.accessibility),
        "has_accessibility": bool(doc.accessibility),
        "updated_at": doc.updated_at,
    }
    stems: set[str] = set()
    parts: set[str] = set()
    also: set[str] = set()
    for field in _TEXT_FIELDS:
        values: dict[str, str] = getattr(doc, field)
        for lang in LANGUAGES:
            text = values.get(lang) or ""
            record[f"{field}_{lang}"] = text
            stem = STEMMERS[lang]
            for token in tokens(text):
                stems.add(stem(token.folded))
                pieces = boundary_parts(token.folded)
                parts |= pieces
                also |= lexicon.document_equivalents(lang, token.folded)
                for piece in pieces:
                    also |= lexicon.document_equivalents("fi", piece)
    record["stems"] = " ".join(sorted(stems))
    record["parts"] = " ".join(sorted(parts))
    record["also"] = " ".join(sorted(also))
    return record


def from_meili_document(record: dict) -> ListingDocument:
    def texts(field: str) -> dict[str, str]:
        return {lang: record[f"{field}_{lang}"] for lang in LANGUAGES if record.get(f"{field}_{lang}")}

    return ListingDocument(
        id=str(record["id"]),
        organisers=list(record.get("organisers", [])),
        provider_id=record.get("provider_id", ""),
        provider_name=record.get("provider_name", ""),
        category=record.get("category", ""),
        category_names=texts("category_names"),
        title=texts("title"),
        description=texts("description"),
        price_cents=int(record.get("price_cents", 0)),
        unit=record.get("unit", ""),
        municipality=record.get("municipality", ""),
        delivery_mode=record.get("delivery_mode", ""),
        languages=list(record.get("languages", [])),
        accessibility=list(record.get("accessibility", [])),
        updated_at=record.get("updated_at", ""),
    )


def meili_query(text: str) -> str:
    """The query as Meilisearch should see it: bare words, inflected ones as their stem key."""
    words = []
    for word in analyse_query(text):
        inflected = strip_fi_ending(word.folded) != word.folded
        words.append(word.keys["fi"] if inflected else word.raw)
    return " ".join(words)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def meili_filter(query: SearchQuery) -> list[str | list[str]]:
    """Filter expressions; the outer list is ANDed, an inner list is ORed."""
    out: list[str | list[str]] = []
    if query.categories:
        out.append([f"category = {_quoted(c)}" for c in query.categories])
    if query.municipalities:
        out.append([f"municipality = {_quoted(m)}" for m in query.municipalities])
    if query.delivery_mode:
        out.append(f"delivery_mode = {_quoted(query.delivery_mode)}")
    if query.language:
        out.append(f"languages = {_quoted(query.language)}")
    if query.organiser:
        out.append(f"organisers = {_quoted(query.organiser)}")
    if query.accessible:
        out.append("has_accessibility = true")
    if query.free:
        out.append(f"cost = {_quoted(FREE)}")
    if query.max_price_cents is not None:
        out.append(f"price_cents <= {int(query.max_price_cents)}")
    return out


def search_params(query: SearchQuery) -> dict:
    """Keyword arguments of `AsyncIndex.search` for a query."""
    offset, limit = query.window()
    return {
        "query": meili_query(query.q),
        "filter": meili_filter(query) or None,
        "facets": list(FACETS.values()),
        "page": offset // limit + 1,
        "hits_per_page": limit,
        "matching_strategy": "last",
        "attributes_to_retrieve": _RETRIEVED,
    }


def result_from_meili(results: SearchResults, query: SearchQuery, took_ms: int) -> SearchResult:
    words = analyse_query(query.q)
    distribution = results.facet_distribution or {}
    facets = {
        key: {value: count for value, count in distribution.get(attribute, {}).items() if count}
        for key, attribute in FACETS.items()
    }
    total = results.total_hits if results.total_hits is not None else results.estimated_total_hits
    return SearchResult(
        hits=make_hits([from_meili_document(hit) for hit in results.hits], words, query.lang),
        total=total or 0,
        facets=facets,
        took_ms=took_ms,
    )


class MeiliBackend:
    def __init__(
        self,
        url: str,
        api_key: str | None = None,
        *,
        index_uid: str = INDEX_UID,
        client: AsyncClient | None = None,
    ) -> None:
        self._client = client or AsyncClient(url, api_key, timeout=30)
        self._uid = index_uid
        self._ready = False
        self._setup = asyncio.Lock()

    async def _index(self) -> AsyncIndex:
        """The index, created and configured on first use by this process."""
        if not self._ready:
            async with self._setup:
                if not self._ready:
                    index = await self._client.get_or_create_index(self._uid, primary_key="id")
                    await self._wait(await index.update_settings(index_settings()))
                    self._ready = True
        return self._client.index(self._uid)

    async def _wait(self, task: TaskInfo) -> None:
        await self._client.wait_for_task(
            task.task_uid, timeout_in_ms=_TASK_TIMEOUT_MS, raise_for_status=True
        )

    async def upsert(self, docs: Sequence[ListingDocument]) -> None:
        if not docs:
            return
        index = await self._index()
        for start in range(0, len(docs), _BATCH):
            batch = [to_meili_document(doc) for doc in docs[start:start + _BATCH]]
            await self._wait(await index.add_documents(batch, primary_key="id"))

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        index = await self._index()
        await self._wait(await index.delete_documents(list(ids)))

    async def search(self, q: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        index = await self._index()
        results = await index.search(**search_params(q))
        return result_from_meili(results, q, round((time.perf_counter() - started) * 1000))

    async def clear(self) -> None:
        index = await self._index()
        await self._wait(await index.delete_all_documents())

    async def count(self) -> int:
        index = await self._index()
        return (await index.get_stats()).number_of_documents

    async def health(self) -> bool:
        try:
            return (await self._client.health()).status == "available"
        except Exception:  # noqa: BLE001 - any failure to answer means unhealthy
            return False

    async def close(self) -> None:
        await self._client.aclose()

    async def drop_index(self) -> None:
        """Delete the whole index (test clean-up)."""
        await self._client.delete_index_if_exists(self._uid)
        self._ready = False
