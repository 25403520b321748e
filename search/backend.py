"""The one interface the platform searches through, and the factory that picks an implementation."""

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from search.documents import ListingDocument, SearchQuery, SearchResult
from search.embedded import EmbeddedBackend


@runtime_checkable
class SearchBackend(Protocol):
    async def upsert(self, docs: Sequence[ListingDocument]) -> None:
        """Add or replace documents by id; visible to the next search once this returns."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Remove documents by id (unknown ids are ignored); visible once this returns."""

    async def search(self, q: SearchQuery) -> SearchResult: ...

    async def clear(self) -> None:
        """Remove every document."""

    async def count(self) -> int: ...

    async def health(self) -> bool: ...

    async def close(self) -> None: ...


class _SearchSettings(Protocol):
    data_dir: Path
    meili_url: str | None
    meili_key: str | None


def make_backend(settings: _SearchSettings) -> SearchBackend:
    """Meilisearch when `meili_url` is set, else the embedded index under `data_dir/search/`."""
    if settings.meili_url:
        # Imported only when configured: the Meilisearch SDK (with pydantic) costs ~0.5 s to import,
        # which the embedded default, every `hb` command and each test server would pay for nothing.
        from search.meili import MeiliBackend

        return MeiliBackend(settings.meili_url, settings.meili_key)
    return EmbeddedBackend.in_data_dir(settings.data_dir)
