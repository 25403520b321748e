"""Keeps the search index in step with the database through the marketplace's listing-change
outbox (``marketplace.listing_changes``).

Marketplace changes write an outbox row in their own transaction. ``drain`` re-derives each
affected listing's document from the database and upserts it (or deletes it when the listing is no
longer live anywhere), then removes exactly the outbox rows it handled. A crash in between leaves
the rows in place, so the next drain (the server's worker, the next start, or ``hb import``)
catches up; re-applying a document is harmless.

With the embedded backend only one process writes the index (tantivy's writer lock): whichever
drains first takes it and keeps it. Any other process that drains — a second server worker,
`hb import` while the server runs — gets `WriterBusy` and leaves the rows to the holder, which
applies them within a fraction of a second; every process reads the same index.
"""

import asyncio
import contextlib
import logging
import weakref

from marketplace import catalogue, listing_changes
from search.backend import SearchBackend, make_backend
from search.documents import ListingDocument
from search.embedded import WriterBusy

log = logging.getLogger("hb.search")
POLL_SECONDS = 0.2
# A process that cannot take the writer lock looks again this often (the holder may have stopped).
BUSY_SECONDS = 1.0
BATCH = 500


def to_document(listing_id: str, entry: dict) -> ListingDocument:
    content = entry["content"]
    return ListingDocument(
        id=listing_id,
        organisers=sorted(entry["organisers"]),
        provider_id=entry["provider_id"],
        provider_name=entry["provider_name"],
        category=content["category"],
        category_names=entry["category_names"],
        title=content["title"],
        description=content.get("description") or {},
        price_cents=int(content["price_cents"]),
        unit=content["unit"],
        municipality=content["municipality"],
        delivery_mode=content["delivery_mode"],
        languages=list(content.get("languages") or []),
        accessibility=list(content.get("accessibility") or []),
        updated_at=entry["revision"].get("created_at").isoformat() if hasattr(entry["revision"].get("created_at"), "isoformat") else "",
    )


async def documents(listing_ids: list[str]) -> tuple[list[ListingDocument], list[str]]:
    """The documents of the listings that are live, and the ids of those that are not."""
    entries = await catalogue.searchable(listing_ids)
    docs = [to_document(lid, entry) for lid, entry in entries.items() if entry]
    gone = [lid for lid, entry in entries.items() if not entry]
    return docs, gone


async def apply(backend: SearchBackend, listing_ids: list[str]) -> tuple[int, int]:
    docs, gone = await documents(listing_ids)
    if docs:
        await backend.upsert(docs)
    if gone:
        await backend.delete(gone)
    return len(docs), len(gone)


# One drain at a time per process (per event loop): two concurrent drains — the server's worker and
# an import's after-commit drain — would both read the same outbox rows, and the slower one's
# `handled` could then delete a newer row that reused a deleted row's id (SQLite reuses them).
_DRAINING: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = weakref.WeakKeyDictionary()


def _drain_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _DRAINING.get(loop)
    if lock is None:
        lock = _DRAINING[loop] = asyncio.Lock()
    return lock


async def drain(settings=None, backend: SearchBackend | None = None) -> int:
    """Apply every pending outbox row; returns how many listings were refreshed.

    With a backend of its own (``settings`` given), a drain that finds another process writing
    the embedded index returns 0 and leaves the rows to that process."""
    own = backend is None
    if own:
        if settings is None:
            return 0
        backend = make_backend(settings)
    try:
        async with _drain_lock():
            return await _drain_all(backend)
    except WriterBusy:
        if not own:
            raise
        return 0
    finally:
        if own:
            await backend.close()


async def _drain_all(backend: SearchBackend) -> int:
    total = 0
    while True:
        changes = await listing_changes.pending(BATCH)
        if not changes:
            return total
        listing_ids = list(dict.fromkeys(c.listing_id for c in changes))
        await apply(backend, listing_ids)
        await listing_changes.handled([c.id for c in changes])
        total += len(listing_ids)


async def reindex(backend: SearchBackend, progress=print) -> dict:
    """Rebuild the index from the database: every live listing in, everything else out.

    The embedded backend builds a new index beside the one in use and swaps it in at once
    (`replace_all`), so searches go on meanwhile; outbox rows still pending then are applied to
    the new index by the next drain (harmless). Other backends are cleared and refilled."""
    ids = await catalogue.all_listing_ids()
    replace_all = getattr(backend, "replace_all", None)
    if replace_all is None:
        await backend.clear()
    collected: list[ListingDocument] = []
    indexed = removed = 0
    for start in range(0, len(ids), BATCH):
        if replace_all is None:
            added, gone = await apply(backend, ids[start:start + BATCH])
        else:
            docs, missing = await documents(ids[start:start + BATCH])
            collected += docs
            added, gone = len(docs), len(missing)
        indexed += added
        removed += gone
        progress(f"  {min(start + BATCH, len(ids))}/{len(ids)} listings checked, {indexed} indexed")
    if replace_all is None:
        await listing_changes.discard_all()
    else:
        await replace_all(collected)
    return {"listings": len(ids), "indexed": indexed, "not_live": removed}


async def rebuild(settings, progress=print) -> dict:
    """``reindex`` on the configured backend (`hb search reindex`, and `hb restore` after a restore)."""
    backend = make_backend(settings)
    try:
        return await reindex(backend, progress=progress)
    finally:
        await backend.close()


async def worker(app, settings) -> None:
    """Runs inside the web server: applies outbox rows within a fraction of a second."""
    backend = app.state.search
    can_write = getattr(backend, "can_write", None)
    while True:
        try:
            if can_write is not None and not await can_write():
                await asyncio.sleep(BUSY_SECONDS)  # another process holds the writer and drains
                continue
            await drain(backend=backend)
        except asyncio.CancelledError:
            raise
        except WriterBusy:  # another process writes the index and drains the outbox
            await asyncio.sleep(BUSY_SECONDS)
        except Exception as exc:  # noqa: BLE001 - keep syncing; the rows stay for the next round
            log.warning("search sync failed", extra={"error": type(exc).__name__})
            await asyncio.sleep(2)
        await asyncio.sleep(POLL_SECONDS)


async def on_startup(app, settings) -> None:
    backend = make_backend(settings)
    app.state.search = backend
    with contextlib.suppress(Exception):
        warm = getattr(backend, "warm", None)
        if warm:
            await warm()
        if getattr(backend, "outdated", False):
            # The embedded index on disk was written with other fields (an upgrade): rebuild it.
            log.warning("search index written by an older version: rebuilding it from the database")
            await reindex(backend, progress=lambda _line: None)
        await drain(backend=backend)


async def on_shutdown(app, settings) -> None:
    backend = getattr(app.state, "search", None)
    if backend is not None:
        await backend.close()
