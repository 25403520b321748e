"""The ledger invariants of issue 3, checked over a whole database (not a test; the load script and
the hardening tests call it after their runs).

READS THE VOUCHER'S TABLES DIRECTLY (the one place outside voucher/ that does): a check of the books
must look at the rows themselves, not at what the services say about them. HARDENING_NEEDS.md asks
the voucher for a ``voucher.ledger.check_books()`` to replace it.
"""

from collections import defaultdict

from voucher import ledger
from voucher.tables import Authorization, BudgetLine, Capture, Refund, SettlementBatch, SettlementItem, Transfer


async def check_books() -> dict:
    """Return a summary; raise AssertionError naming the first invariant that does not hold.

    * every transfer is a positive amount between two different accounts (balanced by construction),
      and all account balances sum to zero;
    * no line is below zero: granted − held − spent ≥ 0 and every counter ≥ 0, swap used ≤ cap;
    * the counters agree with the rows behind them: held = the approved (unresolved) holds on the
      line, spent = captures − refunds, and the line's ledger balance = granted − held − spent;
    * every hold transfer belongs to one authorisation and resolves at most once;
    * each capture is settled in at most one batch, and each batch is the sum of its items.
    """
    transfers = await Transfer.select().run()
    balance: dict = defaultdict(int)
    for t in transfers:
        assert t["amount_cents"] > 0 and t["debit_account_id"] != t["credit_account_id"], f"unbalanced transfer {t['id']}"
        if t["kind"] == ledger.HOLD and t["status"] != "pending":
            continue
        balance[t["credit_account_id"]] += t["amount_cents"]
        balance[t["debit_account_id"]] -= t["amount_cents"]
    assert sum(balance.values()) == 0, "account balances do not sum to zero"

    auths = await Authorization.select(
        Authorization.id, Authorization.line_id, Authorization.status, Authorization.amount_cents,
        Authorization.hold_transfer_id,
    ).run()
    held: dict = defaultdict(int)
    for a in auths:
        if a["status"] == "approved":
            held[a["line_id"]] += a["amount_cents"]
    hold_ids = [a["hold_transfer_id"] for a in auths if a["hold_transfer_id"]]
    assert len(hold_ids) == len(set(hold_ids)), "a hold transfer serves two authorisations"
    holds = {t["id"]: t for t in transfers if t["kind"] == ledger.HOLD}
    for a in auths:
        if a["hold_transfer_id"]:
            t = holds.get(a["hold_transfer_id"])
            assert t is not None, f"authorisation {a['id']} lost its hold transfer"
            assert (t["status"] == "pending") == (a["status"] == "approved"), f"hold of {a['id']} resolved twice or never"

    captures = await Capture.select(Capture.id, Capture.line_id, Capture.amount_cents).run()
    refunds = await Refund.select(Refund.capture, Refund.amount_cents).run()
    refunded: dict = defaultdict(int)
    for r in refunds:
        refunded[r["capture"]] += r["amount_cents"]
    spent: dict = defaultdict(int)
    for c in captures:
        assert refunded[c["id"]] <= c["amount_cents"], f"capture {c['id']} refunded beyond its amount"
        spent[c["line_id"]] += c["amount_cents"] - refunded[c["id"]]

    lines = await BudgetLine.select().run()
    for line in lines:
        lid = line["id"]
        g, h, s = line["granted_cents"], line["held_cents"], line["spent_cents"]
        assert h >= 0 and s >= 0 and g - h - s >= 0, f"line {lid} below zero: {g} − {h} − {s}"
        assert h == held[lid], f"line {lid}: held counter {h} ≠ approved holds {held[lid]}"
        assert s == spent[lid], f"line {lid}: spent counter {s} ≠ captures − refunds {spent[lid]}"
        assert balance[ledger.line_account(lid)] == g - h - s, f"line {lid}: ledger balance ≠ available"
        if line["swap_cap_cents"] is not None:
            assert 0 <= line["swap_used_cents"] <= line["swap_cap_cents"], f"line {lid}: swap over its cap"

    items = await SettlementItem.select().run()
    settled = [i["capture_id"] for i in items if i["capture_id"]]
    assert len(settled) == len(set(settled)), "a capture is in two settlement batches"
    for batch in await SettlementBatch.select().run():
        total = sum(i["amount_cents"] for i in items if i["batch"] == batch["id"])
        assert batch["total_cents"] == total, f"batch {batch['id']} total ≠ its items"
    return {
        "transfers": len(transfers),
        "authorisations": len(auths),
        "captures": len(captures),
        "lines": len(lines),
        "held_cents": sum(held.values()),
        "spent_cents": sum(spent.values()),
    }
