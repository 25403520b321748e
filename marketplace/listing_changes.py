"""Enqueue index updates. Called by other packages inside their own write transactions."""

from collections.abc import Iterable

from search.tables import SearchOutbox


async def enqueue(listing_ids: Iterable) -> None:
    rows = [SearchOutbox(listing_id=str(i)) for i in dict.fromkeys(str(i) for i in listing_ids)]
    if rows:
        await SearchOutbox.insert(*rows).run()
