"""Idempotent requests: the card API's money-moving POSTs and bookings share this one implementation.

A request with an ``Idempotency-Key`` first claims the key by inserting a row (unique on caller and
key) in the same transaction as its effect, then stores its response in that row before commit:

* a replay finds the committed row and gets the stored status and body back, byte for byte;
* the same key with a different request (another body or endpoint) is a 409 (the caller names its
  code: ``voucher.error.idempotency_key_reused``, ``booking.error.idempotency_key_reused``);
* the same key sent concurrently: on PostgreSQL the second INSERT waits on the first one's
  uncommitted index entry, then finds the row (ON CONFLICT DO NOTHING) once the first commits and
  replays its response; on SQLite the write transactions run one after another. Either way the
  effect happens once, and the replays never reach a limit the first request used (a card's daily
  limit, a slot's last place). If the first transaction fails, its claim is rolled back with it.

Keys are kept ``KEEP_KEYS`` (like Stripe, at least 24 hours); the app's sweeper forgets older ones.
"""

import asyncio
import datetime as dt
import hashlib
import logging
from collections.abc import Awaitable, Callable

import msgspec

from core.db import in_write_transaction
from core.errors import Conflict
from core.identity import Actor
from core.settings import Settings
from core.tables import IdempotencyRecord

__all__ = ["KEEP_KEYS", "Stored", "caller_scope", "fingerprint", "prune", "run", "sweeper"]

log = logging.getLogger("hb.idempotency")
KEEP_KEYS = dt.timedelta(hours=48)
SWEEP_EVERY_S = 600
FIRST_SWEEP_AFTER_S = 60


class Stored(msgspec.Struct, frozen=True):
    """A response as it was first given: status and the exact body bytes."""

    status_code: int
    body: bytes


def caller_scope(actor: Actor) -> str | None:
    """Whose idempotency keys these are: the API key, or the signed-in user."""
    if actor.api_key_id:
        return f"key:{actor.api_key_id}"
    if actor.user_id:
        return f"user:{actor.user_id}"
    return None


def fingerprint(method: str, path: str, body: msgspec.Struct | None) -> str:
    """What makes two requests "the same": endpoint and decoded body (not its whitespace)."""
    encoded = msgspec.json.encode(body) if body is not None else b""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + encoded).hexdigest()


async def _claim(scope: str, key: str, request_hash: str, reused: str) -> tuple[object | None, Stored | None]:
    inserted = await IdempotencyRecord.insert(
        IdempotencyRecord(scope=scope, key=key, request_hash=request_hash)
    ).on_conflict(action="DO NOTHING").returning(IdempotencyRecord.id).run()
    if inserted:
        return inserted[0]["id"], None
    row = await IdempotencyRecord.select(
        IdempotencyRecord.request_hash, IdempotencyRecord.status_code, IdempotencyRecord.body
    ).where((IdempotencyRecord.scope == scope) & (IdempotencyRecord.key == key)).first().run()
    if row is None or row["request_hash"] != request_hash or row["status_code"] is None:
        raise Conflict(reused)
    return None, Stored(row["status_code"], row["body"].encode())


async def run(
    scope: str | None,
    key: str | None,
    request_hash: str,
    op: Callable[[], Awaitable[Stored]],
    *,
    reused: str,
) -> Stored:
    """Run a use case once per (caller, Idempotency-Key), in one write transaction with its claim;
    without a key (or a caller) it simply runs. ``reused``: the 409's code for a key sent again
    with another request."""
    if not key or not scope:
        return await in_write_transaction(op)

    async def claimed() -> Stored:
        record_id, prior = await _claim(scope, key[:255], request_hash, reused)
        if prior is not None:
            return prior
        stored = await op()
        await IdempotencyRecord.update(
            {IdempotencyRecord.status_code: stored.status_code, IdempotencyRecord.body: stored.body.decode()}
        ).where(IdempotencyRecord.id == record_id).run()
        return stored

    return await in_write_transaction(claimed)


async def prune(before: dt.datetime) -> int:
    """Forget keys older than ``before``."""
    gone = await IdempotencyRecord.delete().where(IdempotencyRecord.created_at < before).returning(
        IdempotencyRecord.id
    ).run()
    return len(gone)


async def sweeper(app, settings: Settings) -> None:
    """Background work: forget keys older than ``KEEP_KEYS`` (by the app's clock). Harmless in
    several workers at once."""
    await asyncio.sleep(FIRST_SWEEP_AFTER_S)
    while True:
        try:
            await prune(app.state.clock() - KEEP_KEYS)
        except Exception:  # noqa: BLE001 - the next round retries
            log.exception("forgetting old idempotency keys failed")
        await asyncio.sleep(SWEEP_EVERY_S)
