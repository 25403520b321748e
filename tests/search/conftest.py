"""Search backends for the contract tests: embedded always, Meilisearch when HB_MEILI_URL is set.

No database is involved. With HB_MEILI_URL set the Meilisearch run is never skipped: an
unreachable server fails it (so CI cannot pass without it).
"""

import os
import uuid

import pytest
import pytest_asyncio

from search.embedded import EmbeddedBackend
from search.meili import MeiliBackend
from tests.search.listings_fixture import listings

BACKENDS = ["embedded", "meilisearch"]


async def _open(kind: str, folder) -> EmbeddedBackend | MeiliBackend:
    if kind == "embedded":
        return EmbeddedBackend(folder / "search")
    url = os.environ.get("HB_MEILI_URL")
    if not url:
        pytest.skip("HB_MEILI_URL is not set: the Meilisearch contract run needs a running server")
    backend = MeiliBackend(url, os.environ.get("HB_MEILI_KEY"), index_uid=f"hb_test_{uuid.uuid4().hex[:12]}")
    if not await backend.health():
        pytest.fail(f"HB_MEILI_URL={url} is set but Meilisearch does not answer as healthy")
    return backend


async def _dispose(backend) -> None:
    if isinstance(backend, MeiliBackend):
        await backend.drop_index()
    await backend.close()


@pytest.fixture(scope="session")
def fixture_docs():
    return listings()


@pytest_asyncio.fixture(scope="session", loop_scope="session", params=BACKENDS)
async def loaded_backend(request, tmp_path_factory, fixture_docs):
    """A backend holding the fixture listings. Tests must not write to it."""
    backend = await _open(request.param, tmp_path_factory.mktemp("search-loaded"))
    await backend.upsert(fixture_docs)
    yield backend
    await _dispose(backend)


@pytest_asyncio.fixture(loop_scope="session", params=BACKENDS)
async def fresh_backend(request, tmp_path):
    """An empty backend of its own, for tests that write."""
    backend = await _open(request.param, tmp_path)
    yield backend
    await _dispose(backend)
