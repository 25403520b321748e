"""Write transactions for booking use cases: ``BEGIN IMMEDIATE`` on SQLite, an ordinary transaction
on PostgreSQL (core.db.write_transaction), run again from the start when the database reports a
deadlock or a busy timeout. The runner is the voucher's; it belongs in core.db (BOOKING_NEEDS.md)."""

from voucher.idempotency import in_write_transaction

__all__ = ["in_write_transaction"]
