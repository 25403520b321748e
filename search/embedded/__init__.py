"""Embedded search backend: runs in-process with no server; the default when no Meilisearch is set.

Why this design (docs/decisions/0053, 0054): the listings live in a tantivy index on disk under
`data_dir/search/` (engine.py), fed by our own Finnish-first analysis (fields.py: exact forms,
stems, compound parts, typo forms) and ranked by tantivy queries whose constant scores keep the
match levels and ranking rules (query.py); the total and the facet counts come from one walk over
a compact facet field, and only the places that can reach the page are scored. Tantivy does the
postings, prefix and fuzzy matching, filters and counts in Rust; every server process reads the
same files, one of them writes, and `hb search reindex` swaps in a new generation at once.
"""

import asyncio
from collections.abc import Sequence
from pathlib import Path

from search.documents import ListingDocument, SearchQuery, SearchResult
from search.embedded.engine import EmbeddedSearch, WriterBusy

FOLDER = "search"


class EmbeddedBackend:
    """The `SearchBackend` protocol over `EmbeddedSearch`; blocking work runs in a worker thread."""

    def __init__(self, path: Path | None = None) -> None:
        """`path` is the index folder; None keeps the index in memory (one process only: tests, demos)."""
        self._engine = EmbeddedSearch(path)

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> "EmbeddedBackend":
        return cls(Path(data_dir) / FOLDER)

    async def upsert(self, docs: Sequence[ListingDocument]) -> None:
        await asyncio.to_thread(self._engine.upsert, list(docs))

    async def delete(self, ids: Sequence[str]) -> None:
        await asyncio.to_thread(self._engine.delete, list(ids))

    async def search(self, q: SearchQuery) -> SearchResult:
        return await asyncio.to_thread(self._engine.search, q)

    async def clear(self) -> None:
        await asyncio.to_thread(self._engine.clear)

    async def count(self) -> int:
        return await asyncio.to_thread(self._engine.count)

    async def health(self) -> bool:
        return await asyncio.to_thread(self._engine.healthy)

    async def warm(self) -> None:
        """Open the index now rather than on the first search (e.g. at app start)."""
        await asyncio.to_thread(self._engine.refresh)

    @property
    def outdated(self) -> bool:
        """The index on disk had other fields (written by an older version) and was replaced by an
        empty one: the server rebuilds it from the database at start."""
        return self._engine.outdated

    async def can_write(self) -> bool:
        """Whether this process may write (holds tantivy's writer lock, or could take it now)."""
        return await asyncio.to_thread(self._engine.can_write)

    async def replace_all(self, docs: Sequence[ListingDocument]) -> int:
        """Build a new index of exactly `docs` and swap it in atomically (`hb search reindex`)."""
        return await asyncio.to_thread(self._engine.rebuild, [list(docs)])

    async def close(self) -> None:
        await asyncio.to_thread(self._engine.close)


__all__ = ["EmbeddedBackend", "EmbeddedSearch", "WriterBusy"]
