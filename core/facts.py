"""Facts one package tells another through the database: an outbox written in the same
transaction as the change it reports, and taken by the package that keeps a read model of it.

A package above may not read a lower package's tables, yet the organiser console sums a year of the
voucher's payments. So the voucher *publishes* each payment as a fact (``voucher.facts``) in the
transaction that books it — the fact exists exactly when the payment does — and the console
*takes* the facts into tables of its own (``admin.facts``), which it reads as it likes.

* ``publish`` joins the caller's write transaction and refuses to run outside one: a fact written
  on its own could outlive a change that rolled back, or be missing for one that committed.
* ``take`` deletes the oldest facts and returns them, inside the taker's write transaction: what the
  taker writes from them and their removal commit together, so each fact is applied exactly once.
  Two takers at once do not share a fact — on PostgreSQL the second one's DELETE waits for the
  first one's rows and finds them gone; on SQLite write transactions run one at a time.
* Facts are applied in ``id`` order within a take. A fact about a row that an earlier transaction
  wrote (a refund of a capture) is published after that transaction committed, so it never comes
  before its origin.

One package takes the facts today (the console); a second taker would need a cursor of its own.
"""

import datetime as dt
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import db, metrics
from core.tables import Fact


class Published(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    payload: bytes
    at: dt.datetime


async def publish(kind: str, payload: msgspec.Struct, *, at: dt.datetime | None = None) -> None:
    """Write ``payload`` as a fact of ``kind``, in the caller's write transaction."""
    if db.engine().current_transaction.get() is None:
        raise RuntimeError(f"fact {kind} published outside the transaction of the change it reports")
    row = Fact(kind=kind, payload=msgspec.json.encode(payload).decode())
    if at is not None:
        row.at = at
    await Fact.insert(row).run()


async def newest() -> int | None:
    """The id of the newest fact waiting (None: nothing waits) — a cheap read before a taker opens
    a write transaction, and the mark up to which it takes."""
    row = await Fact.select(Fact.id).order_by(Fact.id, ascending=False).first().run()
    return int(row["id"]) if row else None


async def oldest() -> int | None:
    row = await Fact.select(Fact.id).order_by(Fact.id).first().run()
    return int(row["id"]) if row else None


async def take(limit: int, *, upto: int | None = None) -> list[Published]:
    """Remove up to ``limit`` of the oldest facts (with ids up to ``upto``, if given) and return
    them, oldest first, inside the caller's write transaction."""
    if db.engine().current_transaction.get() is None:
        raise RuntimeError("facts are taken inside the transaction that applies them")
    table = Fact._meta.tablename
    bound, args = (" WHERE id <= {}", [upto]) if upto is not None else ("", [])
    rows = await db.engine().run_querystring(QueryString(
        f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table}{bound} ORDER BY id LIMIT {{}})"
        " RETURNING id, kind, payload, at", *args, limit,
    ))
    return sorted((_published(r) for r in rows or []), key=lambda fact: fact.id)


def _published(row: dict[str, Any]) -> Published:
    at = row["at"]
    if not isinstance(at, dt.datetime):
        at = dt.datetime.fromisoformat(str(at))
    return Published(id=int(row["id"]), kind=row["kind"], payload=str(row["payload"]).encode(),
                     at=at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc))


@metrics.reader
async def _waiting(settings) -> list[metrics.Sample]:
    """The facts outbox's backlog for /metrics: what the console has not yet applied."""
    row = await Fact.select(Fact.at).order_by(Fact.id).first().run()
    count = await Fact.count().run() if row else 0
    return metrics.outbox("facts", count, row["at"] if row else None)
