"""Write transactions for booking use cases: ``BEGIN IMMEDIATE`` on SQLite, an ordinary transaction
on PostgreSQL (core.db.write_transaction), run again from the start when the database reports a
deadlock or a busy timeout (core.db.in_write_transaction)."""

from core.db import in_write_transaction

__all__ = ["in_write_transaction"]
