"""The double-entry ledger: accounts, balanced transfers, and the budget-line counters.

Every movement is one ``Transfer`` row taking ``amount_cents`` from a debit account into a credit
account, so each transfer balances by construction and all account balances sum to zero. Accounts:

    funding:<organiser>  → line:<line>       grant (and its reduction, the other way)
    line:<line>          → payable:<provider> hold (pending), capture (posted); refund the other way
    payable:<provider>   → clearing:<org>    a settlement batch is closed
    clearing:<org>       → bank:<org>        the batch is paid
    overrun:<org>        → payable:<provider> what Stripe captured beyond any hold (flagged)
    payable:<provider>   → issuing:<org>     the card network paid a Stripe Issuing capture from the
                                             Issuing balance (a refund through it the other way);
                                             such money never goes through clearing and bank

A line's balance in the ledger (credits posted − debits posted − live pending debits) equals its
counters ``granted − spent − held`` on ``BudgetLine``; the counters are what the hot path reads and
changes, in the same transaction as the transfer rows.

How a line never goes below zero, under any concurrency, on SQLite and on PostgreSQL
-----------------------------------------------------------------------------------
Counters change only by single conditional UPDATE statements whose WHERE clause carries the rule,
e.g. ``held = held + n WHERE id = :line AND granted - held - spent >= n`` with ``RETURNING``; no row
back means "no". Nothing reads a balance and then writes one computed in Python.

* PostgreSQL (READ COMMITTED): an UPDATE locks the row it changes. A concurrent UPDATE of the same
  row waits for that lock, then re-evaluates its WHERE clause against the row as the first
  transaction committed it (EvalPlanQual) — so the second hold sees the first one's ``held`` and
  is refused if the money is gone. Two holds can never both pass on a stale balance.
* SQLite: every write transaction starts with ``BEGIN IMMEDIATE`` (core.db.write_transaction), which
  takes the database's single write lock before the first statement; writers run one after another,
  each seeing every earlier commit.
* Behind both, the migration puts the rule in the database itself (CHECK constraints on PostgreSQL,
  triggers on SQLite): ``granted - held - spent >= 0``, counters ``>= 0``, ``swap_used <= swap_cap``.
  Code that forgot the WHERE clause would fail, not overspend.

A pending hold resolves at most once: capture, void and expiry each change the authorisation with a
conditional UPDATE on ``status = 'approved'`` (and capture/void also on "not yet expired", expiry on
"expired"), so exactly one of racing resolutions gets the row back; only that one moves counters.
Locks are taken in one order — idempotency key, card, authorisation rows, budget lines (sorted) — so
transactions wait for each other instead of deadlocking.
"""

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from piccolo.columns.combination import WhereRaw

from core import metrics
from voucher import own_share
from voucher.domain import LineState
from voucher.tables import (
    Account,
    Authorization,
    BudgetLine,
    Capture,
    Refund,
    SettlementBatch,
    SettlementItem,
    Transfer,
)

_NAMESPACE = uuid.UUID("6f1d7f4e-2b1c-4a38-9d1e-7c0e5b8a9f10")

# Transfer kinds
GRANT = "grant"
GRANT_REDUCTION = "grant_reduction"
HOLD = "hold"
CAPTURE = "capture"
REFUND = "refund"
SETTLE = "settle"
PAYOUT = "payout"
OVERRUN = "overrun"
ISSUING = "issuing"


def account_id(code: str) -> uuid.UUID:
    """Accounts have ids derived from their codes, so no lookup is needed to post to one."""
    return uuid.uuid5(_NAMESPACE, code)


def funding_account(organiser_id: Any) -> uuid.UUID:
    return account_id(f"funding:{organiser_id}")


def line_account(line_id: Any) -> uuid.UUID:
    return account_id(f"line:{line_id}")


def payable_account(provider_id: Any) -> uuid.UUID:
    return account_id(f"payable:{provider_id}")


def clearing_account(organiser_id: Any) -> uuid.UUID:
    return account_id(f"clearing:{organiser_id}")


def bank_account(organiser_id: Any) -> uuid.UUID:
    return account_id(f"bank:{organiser_id}")


def overrun_account(organiser_id: Any) -> uuid.UUID:
    return account_id(f"overrun:{organiser_id}")


def issuing_account(organiser_id: Any) -> uuid.UUID:
    return account_id(f"issuing:{organiser_id}")


async def paid_by_card_network(capture: Any, *, now: dt.datetime | None = None) -> None:
    """The merchant was paid for ``capture`` (a Capture) by the card network, from the Issuing
    balance: the provider is owed nothing more, and settlement leaves the capture out."""
    await ensure_accounts(("issuing", capture.organiser_id, capture.organiser_id))
    await record(ISSUING, payable_account(capture.provider_id), issuing_account(capture.organiser_id),
                 capture.amount_cents, now=now, capture_id=capture.id)


async def refunded_by_card_network(refund: Any, *, now: dt.datetime | None = None) -> None:
    """The merchant gave ``refund`` (a Refund) back through the card network, into the Issuing
    balance: the provider owes nothing for it, and settlement does not net it."""
    await record(ISSUING, issuing_account(refund.organiser_id), payable_account(refund.provider_id),
                 refund.amount_cents, now=now, capture_id=refund.capture)


async def ensure_accounts(*specs: tuple[str, Any, Any]) -> None:
    """Register accounts (kind, owner id, organiser id) if they are new.

    An account is registered when money is first posted to it; a pending hold may name a
    provider's payable account before its first capture registers it (ids need no lookup).
    """
    rows = [
        Account(id=account_id(f"{kind}:{owner}"), code=f"{kind}:{owner}", kind=kind, organiser_id=organiser)
        for kind, owner, organiser in specs
    ]
    if rows:
        await Account.insert(*rows).on_conflict(action="DO NOTHING").run()


async def record(
    kind: str,
    debit: uuid.UUID,
    credit: uuid.UUID,
    amount_cents: int,
    *,
    status: str = "posted",
    now: dt.datetime | None = None,
    **links: Any,
) -> uuid.UUID:
    transfer = Transfer(
        kind=kind,
        debit_account_id=debit,
        credit_account_id=credit,
        amount_cents=amount_cents,
        status=status,
        **({"created_at": now} if now else {}),
        **links,
    )
    await Transfer.insert(transfer).run()
    return transfer.id


async def resolve_hold(transfer_ids: Iterable[Any], status: str, now: dt.datetime) -> None:
    ids = [i for i in transfer_ids if i]
    if ids:
        await Transfer.update({Transfer.status: status, Transfer.resolved_at: now}).where(
            Transfer.id.is_in(ids) & (Transfer.status == "pending")
        ).run()


# --- Budget-line counters: every change is one conditional UPDATE (see the module docstring) -------

_LINE_COUNTERS = (BudgetLine.granted_cents, BudgetLine.held_cents, BudgetLine.spent_cents)


def _available(row: dict) -> int:
    return row["granted_cents"] - row["held_cents"] - row["spent_cents"]


async def hold_line(line_id: Any, amount_cents: int, swap_cents: int) -> int | None:
    """Hold ``amount_cents`` on the line if it is available (and, for a swap, within the swap cap).

    Returns the line's available balance after the hold, or None when the line cannot pay.
    """
    return await _take(BudgetLine.held_cents, line_id, amount_cents, swap_cents)


async def spend_line(line_id: Any, amount_cents: int, swap_cents: int) -> int | None:
    """Spend without a hold (what Stripe captured beyond its hold), only if the line has the money."""
    return await _take(BudgetLine.spent_cents, line_id, amount_cents, swap_cents)


async def _take(counter, line_id: Any, amount_cents: int, swap_cents: int) -> int | None:
    where = (BudgetLine.id == line_id) & WhereRaw("granted_cents - held_cents - spent_cents >= {}", amount_cents)
    if swap_cents:
        where &= WhereRaw("(swap_cap_cents IS NULL OR swap_cap_cents - swap_used_cents >= {})", swap_cents)
    rows = await BudgetLine.update(
        {counter: counter + amount_cents, BudgetLine.swap_used_cents: BudgetLine.swap_used_cents + swap_cents}
    ).where(where).returning(*_LINE_COUNTERS).run()
    return _available(rows[0]) if rows else None


async def release_line(line_id: Any, amount_cents: int, swap_cents: int) -> None:
    """A hold ends without payment (void, expiry, the uncaptured rest, or a hold given back)."""
    await _move(line_id, held=-amount_cents, swap=-swap_cents)


async def post_line(line_id: Any, held_cents: int, captured_cents: int, released_swap_cents: int) -> None:
    """A hold of ``held_cents`` is captured for ``captured_cents``: held → spent, the rest released."""
    await _move(line_id, held=-held_cents, spent=captured_cents, swap=-released_swap_cents)


async def refund_line(line_id: Any, amount_cents: int, swap_cents: int) -> None:
    await _move(line_id, spent=-amount_cents, swap=-swap_cents)


async def regrant_line(line_id: Any, new_granted_cents: int) -> int | None:
    """Set the line's grant if it still covers what is held and spent; returns the change.

    Compare-and-set on the grant read a moment ago, so two counsellors changing one line at once
    each book the change they actually made (the loser re-reads and tries again). None: the new
    grant would be below what is held and spent.
    """
    while True:
        row = await BudgetLine.select(*_LINE_COUNTERS).where(BudgetLine.id == line_id).first().run()
        if row is None or row["held_cents"] + row["spent_cents"] > new_granted_cents:
            return None
        changed = await BudgetLine.update({BudgetLine.granted_cents: new_granted_cents}).where(
            (BudgetLine.id == line_id)
            & (BudgetLine.granted_cents == row["granted_cents"])
            & WhereRaw("held_cents + spent_cents <= {}", new_granted_cents)
        ).returning(BudgetLine.id).run()
        if changed:
            return new_granted_cents - row["granted_cents"]


async def _move(line_id: Any, *, held: int = 0, spent: int = 0, swap: int = 0) -> bool:
    """Add (signed) amounts to a line's counters; the guard keeps each counter from going negative.

    Used only for movements whose amounts the caller already owns (a hold it resolved, a capture
    it refunds), so the guard failing means the books are wrong: raise rather than continue.
    """
    values: dict = {}
    if held:
        values[BudgetLine.held_cents] = BudgetLine.held_cents + held
    if spent:
        values[BudgetLine.spent_cents] = BudgetLine.spent_cents + spent
    if swap:
        values[BudgetLine.swap_used_cents] = BudgetLine.swap_used_cents + swap
    if not values:
        return True
    where = (BudgetLine.id == line_id) & WhereRaw(
        "held_cents + {} >= 0 AND spent_cents + {} >= 0 AND swap_used_cents + {} >= 0", held, spent, swap
    )
    rows = await BudgetLine.update(values).where(where).returning(BudgetLine.id).run()
    if not rows:
        raise RuntimeError(f"ledger inconsistency on budget line {line_id}: {values}")
    return True


# --- Reading lines: counters plus the holds that expired but were not swept yet ---------------

# Columns of vc_budget_line ``l`` for voucher.domain.LineState; the two ``{}`` are "now".
LINE_STATE_SQL = """
       l.id AS line_id, l.category, l.granted_cents, l.held_cents, l.spent_cents, l.may_fund,
       l.swap_cap_cents, l.swap_used_cents, l.fee_rule AS line_fee_rule,
       (SELECT COALESCE(SUM(a.amount_cents), 0) FROM vc_authorization a
         WHERE a.line_id = l.id AND a.status = 'approved' AND a.expires_at <= {}) AS expired_held,
       (SELECT COALESCE(SUM(a.amount_cents), 0) FROM vc_authorization a
         WHERE a.line_id = l.id AND a.status = 'approved' AND a.swap AND a.expires_at <= {}) AS expired_swap
"""


def line_state(row: dict) -> LineState:
    may_fund = row["may_fund"]
    return LineState(
        id=str(row["line_id"]),
        category=row["category"],
        granted_cents=row["granted_cents"],
        held_cents=row["held_cents"],
        spent_cents=row["spent_cents"],
        may_fund=tuple(json.loads(may_fund) if isinstance(may_fund, str) else may_fund or ()),
        swap_cap_cents=row["swap_cap_cents"],
        swap_used_cents=row["swap_used_cents"],
        expired_held_cents=int(row["expired_held"] or 0),
        expired_swap_cents=int(row["expired_swap"] or 0),
        fee_rule_code=row.get("line_fee_rule") or None,
    )


# --- Expiry --------------------------------------------------------------------------------


async def expire_holds(now: dt.datetime, line_ids: Iterable[Any] | None = None) -> int:
    """Release every hold whose expiry has passed (all of them, or those on ``line_ids``).

    The conditional UPDATE on ``status = 'approved' AND expires_at <= now`` claims each hold for
    expiry at most once; a capture racing with it has the opposite condition on ``expires_at``, so
    one hold never gets two outcomes. Returns how many holds expired.
    """
    where = (Authorization.status == "approved") & (Authorization.expires_at <= now)
    if line_ids is not None:
        ids = list(line_ids)
        if not ids:
            return 0
        where &= Authorization.line_id.is_in(ids)
    expired = await Authorization.update(
        {Authorization.status: "expired", Authorization.resolved_at: now}
    ).where(where).returning(
        Authorization.line_id, Authorization.amount_cents, Authorization.swap, Authorization.hold_transfer_id,
        Authorization.client_id, Authorization.client_share_cents, Authorization.fee_rule, Authorization.fee_month,
    ).run()
    per_line: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in expired:
        per_line[str(row["line_id"])][0] += row["amount_cents"]
        per_line[str(row["line_id"])][1] += row["amount_cents"] if row["swap"] else 0
    for line_id in sorted(per_line):
        held, swap = per_line[line_id]
        await release_line(line_id, held, swap)
    for row in sorted(expired, key=lambda r: (str(r["client_id"]), r["fee_rule"], r["fee_month"])):
        # An expired hold's own share no longer counts towards the client's monthly cap.
        await own_share.give_back(row["client_id"], row["fee_rule"], row["fee_month"], row["client_share_cents"])
    await resolve_hold((r["hold_transfer_id"] for r in expired), "expired", now)
    metrics.hold("expired", len(expired))
    return len(expired)


# --- The books, checked ------------------------------------------------------------------------


async def _check_own_share() -> None:
    from voucher.tables import FeeUsage

    shares = await Authorization.select(
        Authorization.id, Authorization.status, Authorization.client_id, Authorization.fee_rule,
        Authorization.fee_month, Authorization.client_share_cents,
    ).where(Authorization.client_share_cents > 0).run()
    if not shares and not await FeeUsage.exists().where(FeeUsage.used_cents != 0).run():
        return
    caps = {c["authorization_id"]: c for c in await Capture.select(
        Capture.id, Capture.authorization_id, Capture.client_share_cents).where(
        Capture.authorization_id.is_in([a["id"] for a in shares] or [None])).run()}
    returned: dict = defaultdict(int)
    for r in await Refund.select(Refund.capture, Refund.client_share_cents).where(Refund.client_share_cents > 0).run():
        returned[r["capture"]] += r["client_share_cents"]
    expected: dict = defaultdict(int)
    for a in shares:
        key = (str(a["client_id"]), a["fee_rule"], a["fee_month"])
        cap = caps.get(a["id"])
        if a["status"] == "approved":
            expected[key] += a["client_share_cents"]
        elif cap is not None:
            _require(cap["client_share_cents"] <= a["client_share_cents"], f"capture {cap['id']} took more client part than its hold")
            _require(returned[cap["id"]] <= cap["client_share_cents"], f"capture {cap['id']} refunds more client part than it had")
            expected[key] += cap["client_share_cents"] - returned[cap["id"]]
    for row in await FeeUsage.select().run():
        key = (str(row["client_id"]), row["rule_code"], row["month"])
        _require(row["used_cents"] == expected.pop(key, 0), f"own share {key}: counter {row['used_cents']} is not its parts")
    _require(not any(expected.values()), f"own share parts without a counter: {dict(expected)}")


class BooksError(AssertionError):
    """An invariant of the ledger does not hold; the message names it and the row."""


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise BooksError(message)


async def check_books() -> dict:
    """Check the ledger's invariants over the whole database; return a summary or raise BooksError.

    * every transfer is a positive amount from one account into another (balanced by
      construction), and all account balances (live pending holds counted) sum to zero;
    * no line below zero: counters ≥ 0, granted − held − spent ≥ 0, swap used ≤ cap;
    * the counters are what the rows behind them say: held = the holds still ``approved`` on the
      line (expired-but-unswept ones included: the counter keeps them until released), spent =
      captures − refunds on the line, and the line account's balance = granted − held − spent;
    * each hold transfer serves one authorisation and is pending exactly while it is approved
      (a hold resolves at most once);
    * a capture is refunded at most its amount and settled in at most one batch; a batch's total
      is the sum of its items;
    * own share (docs/decisions/0033): each month's counter is what the client parts behind it say —
      live holds' client parts, plus captures' less their refunds' — and no refund returns more of
      the client part than its capture had.
    """
    transfers = await Transfer.select().run()
    balance: dict = defaultdict(int)
    for t in transfers:
        _require(t["amount_cents"] > 0 and t["debit_account_id"] != t["credit_account_id"], f"transfer {t['id']} is not a pair")
        if t["kind"] == HOLD and t["status"] != "pending":
            continue
        balance[t["credit_account_id"]] += t["amount_cents"]
        balance[t["debit_account_id"]] -= t["amount_cents"]
    _require(sum(balance.values()) == 0, "account balances do not sum to zero")

    holds = {t["id"]: t for t in transfers if t["kind"] == HOLD}
    auths = await Authorization.select(
        Authorization.id, Authorization.line_id, Authorization.status, Authorization.amount_cents,
        Authorization.hold_transfer_id,
    ).run()
    held: dict = defaultdict(int)
    serving: set = set()
    for a in auths:
        if a["status"] == "approved":
            held[a["line_id"]] += a["amount_cents"]
        if a["hold_transfer_id"] is None:
            continue
        _require(a["hold_transfer_id"] not in serving, f"hold {a['hold_transfer_id']} serves two authorisations")
        serving.add(a["hold_transfer_id"])
        hold = holds.get(a["hold_transfer_id"])
        _require(hold is not None, f"authorisation {a['id']} has no hold transfer")
        _require((hold["status"] == "pending") == (a["status"] == "approved"), f"hold of {a['id']} resolved wrongly")

    refunded: dict = defaultdict(int)
    for r in await Refund.select(Refund.capture, Refund.amount_cents).run():
        refunded[r["capture"]] += r["amount_cents"]
    spent: dict = defaultdict(int)
    captures = await Capture.select(Capture.id, Capture.line_id, Capture.amount_cents, Capture.refunded_cents).run()
    for c in captures:
        _require(refunded[c["id"]] == c["refunded_cents"] <= c["amount_cents"], f"capture {c['id']} refunds wrong")
        if c["line_id"] is not None:
            spent[c["line_id"]] += c["amount_cents"] - refunded[c["id"]]

    lines = await BudgetLine.select().run()
    for line in lines:
        lid, g, h, s = line["id"], line["granted_cents"], line["held_cents"], line["spent_cents"]
        _require(h >= 0 and s >= 0 and line["swap_used_cents"] >= 0, f"line {lid} has a negative counter")
        _require(g - h - s >= 0, f"line {lid} is below zero")
        _require(h == held[lid], f"line {lid}: held {h} but approved holds {held[lid]}")
        _require(s == spent[lid], f"line {lid}: spent {s} but captures − refunds {spent[lid]}")
        _require(balance[line_account(lid)] == g - h - s, f"line {lid}: ledger balance is not granted − held − spent")
        cap = line["swap_cap_cents"]
        _require(cap is None or line["swap_used_cents"] <= cap, f"line {lid}: swap used over its cap")

    await _check_own_share()

    items = await SettlementItem.select().run()
    settled = [i["capture_id"] for i in items if i["capture_id"]]
    _require(len(settled) == len(set(settled)), "a capture is in two settlement batches")
    per_batch: dict = defaultdict(int)
    for item in items:
        per_batch[item["batch"]] += item["amount_cents"]
    for batch in await SettlementBatch.select(SettlementBatch.id, SettlementBatch.total_cents).run():
        _require(batch["total_cents"] == per_batch[batch["id"]] > 0, f"batch {batch['id']} total is not its items")
    return {
        "transfers": len(transfers),
        "authorisations": len(auths),
        "captures": len(captures),
        "lines": len(lines),
        "held_cents": sum(held.values()),
        "spent_cents": sum(spent.values()),
    }
