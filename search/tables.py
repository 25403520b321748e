"""Search tables: the outbox that keeps the index in step with the database."""

from piccolo.columns import BigSerial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class SearchOutbox(Table, tablename="search_outbox"):
    """One row per change that may affect a listing's search document.

    Written in the same transaction as the change itself, so the index can always catch up: the
    sync worker re-derives the listing's document from the database and upserts or deletes it.
    """

    id = BigSerial(primary_key=True)
    listing_id = Varchar(length=64, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    processed_at = Timestamptz(null=True, default=None, index=True)
