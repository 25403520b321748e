"""Idempotent money-moving requests (the write-transaction runner they use is core.db's).

A request with an ``Idempotency-Key`` first claims the key by inserting a row (unique on caller and
key) in the same transaction as its effect, then stores its response in that row before commit:

* a replay finds the committed row and gets the stored status and body back, byte for byte;
* the same key with a different request (another body or endpoint) is a 409;
* the same key sent concurrently: on PostgreSQL the second INSERT waits on the first one's
  uncommitted index entry, then finds the row (ON CONFLICT DO NOTHING) once the first commits and
  replays its response; on SQLite the write transactions run one after another. Either way the
  effect happens once. If the first transaction fails, its claim is rolled back with it.
"""

import hashlib
from collections.abc import Awaitable, Callable

import msgspec

from core.db import in_write_transaction
from core.errors import Conflict
from voucher.tables import IdempotencyRecord

__all__ = ["Stored", "fingerprint", "in_write_transaction", "prune", "run"]


class Stored(msgspec.Struct, frozen=True):
    """A response as it was first given: status and the exact body bytes."""

    status_code: int
    body: bytes


def fingerprint(method: str, path: str, body: msgspec.Struct | None) -> str:
    """What makes two requests "the same": endpoint and decoded body (not its whitespace)."""
    encoded = msgspec.json.encode(body) if body is not None else b""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + encoded).hexdigest()


async def _claim(scope: str, key: str, request_hash: str) -> tuple[object | None, Stored | None]:
    inserted = await IdempotencyRecord.insert(
        IdempotencyRecord(scope=scope, key=key, request_hash=request_hash)
    ).on_conflict(action="DO NOTHING").returning(IdempotencyRecord.id).run()
    if inserted:
        return inserted[0]["id"], None
    row = await IdempotencyRecord.select(
        IdempotencyRecord.request_hash, IdempotencyRecord.status_code, IdempotencyRecord.body
    ).where((IdempotencyRecord.scope == scope) & (IdempotencyRecord.key == key)).first().run()
    if row is None or row["request_hash"] != request_hash or row["status_code"] is None:
        raise Conflict("voucher.error.idempotency_key_reused")
    return None, Stored(row["status_code"], row["body"].encode())


async def run(
    scope: str | None,
    key: str | None,
    request_hash: str,
    op: Callable[[], Awaitable[Stored]],
) -> Stored:
    """Run a money-moving use case once per (caller, Idempotency-Key)."""
    if not key or not scope:
        return await in_write_transaction(op)

    async def claimed() -> Stored:
        record_id, prior = await _claim(scope, key[:255], request_hash)
        if prior is not None:
            return prior
        stored = await op()
        await IdempotencyRecord.update(
            {IdempotencyRecord.status_code: stored.status_code, IdempotencyRecord.body: stored.body.decode()}
        ).where(IdempotencyRecord.id == record_id).run()
        return stored

    return await in_write_transaction(claimed)


async def prune(before) -> int:
    """Forget keys older than ``before`` (like Stripe, keys are kept for at least 24 hours)."""
    gone = await IdempotencyRecord.delete().where(IdempotencyRecord.created_at < before).returning(
        IdempotencyRecord.id
    ).run()
    return len(gone)
