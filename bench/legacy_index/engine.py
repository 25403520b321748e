"""The embedded search engine, synchronous: a durable store and an in-memory index kept in step.

Writes go to the store only. Before every search the engine asks the store what changed since
the sequence number it last applied (one small query) and applies it, so a write made by this or
any other process is visible to the next search. When many slots are dead, or another process
cleared the index, the in-memory index is rebuilt from the store.
"""

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from search.analysis import analyse_query
from search.documents import ListingDocument, SearchQuery, SearchResult
from bench.legacy_index.index import InMemoryIndex
from bench.legacy_index.matching import match
from bench.legacy_index.ranking import buckets, page, partitions
from bench.legacy_index.store import DocumentStore
from search.text import make_hits

_REBUILD_MIN_DEAD = 1000
_BATCH = 5000


class EmbeddedSearch:
    def __init__(self, path: Path | None) -> None:
        self._store = DocumentStore(path)
        self._index: InMemoryIndex | None = None
        self._generation = -1
        self._seq = -1
        self._lock = threading.RLock()

    # --- writes -------------------------------------------------------------------------------

    def upsert(self, docs: Sequence[ListingDocument]) -> None:
        with self._lock:
            for start in range(0, len(docs), _BATCH):
                self._store.upsert(docs[start:start + _BATCH])

    def delete(self, ids: Sequence[str]) -> None:
        with self._lock:
            self._store.delete(ids)

    def clear(self) -> None:
        with self._lock:
            self._store.clear()

    def count(self) -> int:
        with self._lock:
            return self._store.count()

    def healthy(self) -> bool:
        with self._lock:
            return self._store.healthy()

    def close(self) -> None:
        with self._lock:
            self._store.close()
            self._index = None

    # --- keeping the index in step ------------------------------------------------------------

    def refresh(self) -> InMemoryIndex:
        """The in-memory index, brought up to date with the store."""
        with self._lock:
            generation, seq = self._store.head()
            index = self._index
            if index is None or generation != self._generation or self._too_many_dead(index):
                return self._rebuild()
            if seq != self._seq:
                generation, seq, rows = self._store.changes(self._seq)
                if generation != self._generation:
                    return self._rebuild()
                index.remove([doc_id for doc_id, body in rows if body is None])
                fresh = [self._store.decode(body) for _, body in rows if body is not None]
                for start in range(0, len(fresh), _BATCH):
                    index.add(fresh[start:start + _BATCH])
                self._seq = seq
            return index

    @staticmethod
    def _too_many_dead(index: InMemoryIndex) -> bool:
        return index.dead >= _REBUILD_MIN_DEAD and index.dead * 4 >= index.size

    def _rebuild(self) -> InMemoryIndex:
        generation, seq, bodies = self._store.snapshot()
        index = InMemoryIndex()
        batch: list[ListingDocument] = []
        for body in bodies:
            batch.append(self._store.decode(body))
            if len(batch) == _BATCH:
                index.add(batch)
                batch = []
        index.add(batch)
        index.vocab.prepare()
        self._index, self._generation, self._seq = index, generation, seq
        return index

    # --- searching ----------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        words = analyse_query(query.q)
        offset, limit = query.window()
        with self._lock:
            index = self.refresh()
            candidates = index.filtered(query)
            matches = []
            if words:
                # Words that match no live document are ignored; the rest are ranked by the
                # "words" rule, so the candidates are the documents matching the first of them.
                matches = [m for m in (match(index, word) for word in words) if m.any & index.alive]
                candidates = candidates & matches[0].any if matches else 0
            slots = page(buckets(candidates, partitions(candidates, matches)), offset, limit)
            facets = index.facet_counts(candidates)
            ids = [index.slot_ids[slot] for slot in slots]
            docs = self._store.fetch(ids)
        hits = make_hits([docs[i] for i in ids if i in docs], words, query.lang)
        return SearchResult(
            hits=hits,
            total=candidates.bit_count(),
            facets=facets,
            took_ms=round((time.perf_counter() - started) * 1000),
        )
