"""The listing-change outbox the marketplace writes and search drains.

Every marketplace change that may alter what a listing shows in search (an approval, a suspension,
an edit, an import) calls ``enqueue`` inside its own write transaction, so the change and its
outbox row commit together. Search reads the pending rows (``pending``), re-derives each listing's
document through ``marketplace.catalogue.searchable`` and removes exactly the rows it handled
(``handled``); a crash in between leaves them for the next drain.
"""

from collections.abc import Iterable

import msgspec

from core import metrics
from marketplace.tables import ListingChange


class PendingChange(msgspec.Struct, frozen=True):
    id: int
    listing_id: str


async def enqueue(listing_ids: Iterable) -> None:
    rows = [ListingChange(listing_id=str(i)) for i in dict.fromkeys(str(i) for i in listing_ids)]
    if rows:
        await ListingChange.insert(*rows).run()


async def pending(limit: int) -> list[PendingChange]:
    """The oldest ``limit`` changes not yet handled, oldest first."""
    rows = await ListingChange.select(ListingChange.id, ListingChange.listing_id).order_by(ListingChange.id).limit(
        limit).run()
    return [PendingChange(id=r["id"], listing_id=r["listing_id"]) for r in rows]


async def handled(change_ids: list[int]) -> None:
    if change_ids:
        await ListingChange.delete().where(ListingChange.id.is_in(change_ids)).run()


async def discard_all() -> None:
    """After a full rebuild of the index every pending change is already in it."""
    await ListingChange.delete().where(ListingChange.id > -1).run()


@metrics.reader
async def _lag(settings) -> list[metrics.Sample]:
    """For /metrics: how far search is behind the marketplace — the oldest change it has not applied
    (rows are removed as they are applied; 0 when none waits), and how many wait."""
    row = await ListingChange.select(ListingChange.created_at).order_by(ListingChange.id).first().run()
    count = await ListingChange.count().run() if row else 0
    return [metrics.Sample("hb_search_index_lag_seconds", "Age of the oldest listing change not yet in the search index",
                           {}, metrics.age_seconds(row["created_at"]) if row else 0.0),
            *metrics.outbox("search", count, row["created_at"] if row else None)]
