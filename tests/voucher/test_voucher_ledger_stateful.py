"""Acceptance 1: random authorise / capture / void / expire / refund / settle sequences, with the
ledger's invariants checked after every step (hypothesis stateful testing, both databases)."""

import asyncio
import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from core import db as core_db
from core.errors import Conflict, Invalid
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher import budgets
from voucher.schemas import AuthorizationRequest, LineInput
from voucher.settlement import settle
from voucher.tables import Authorization, BudgetLine, Capture, Refund, SettlementBatch, SettlementItem, Transfer

LINES = [
    LineInput(category="day-activities", amount_cents=20000, may_fund=["sport-riding"], swap_cap_cents=8000),
    LineInput(category="culture-art", amount_cents=6000),
]


class LedgerMachine(RuleBasedStateMachine):
    """Drives the services; ``run`` executes a coroutine on the machine's own event loop."""

    db = None  # set by the test
    run = None

    authorizations = Bundle("authorizations")
    captures = Bundle("captures")

    @initialize()
    def world(self):
        # Each example gets its own organiser, providers, client and lines; invariants are scoped to it.
        self.w = self.run(make_world(self.db.settings.secret_key, lines=LINES, tag=uuid.uuid4().hex))
        self.now = NOW

    def _authorise(self, actor, amount, listing):
        req = AuthorizationRequest(card_token=self.w.token, amount_cents=amount, listing_id=listing)
        stored = self.run(auth.authorise(actor, req, settings=self.db.settings, now=self.now))
        return json.loads(stored.body)

    @rule(target=authorizations, amount=st.integers(1, 9000), where=st.sampled_from(["riding", "art", "any", "pending"]))
    def authorise(self, amount, where):
        actor = self.w.other_provider if where == "art" else self.w.provider
        listing = {"riding": self.w.listing_riding, "art": self.w.listing_art, "any": None,
                   "pending": self.w.listing_pending}[where]
        got = self._authorise(actor, amount, listing)
        if where == "pending":
            assert got["decline_code"] == "listing_not_approved"
        if got["status"] == "approved":
            assert got["line_available_cents"] >= 0
        return (got["id"], actor, amount)

    @rule(target=captures, a=authorizations, share=st.floats(0.01, 1.0))
    def capture(self, a, share):
        auth_id, actor, amount = a
        try:
            got = json.loads(self.run(auth.capture(actor, auth_id, max(1, int(amount * share)), now=self.now)).body)
            return (got["id"], actor)
        except (Conflict, Invalid):
            return None  # declined, already resolved or expired: nothing moved

    @rule(a=authorizations)
    def void(self, a):
        auth_id, actor, _ = a
        try:
            self.run(auth.void(actor, auth_id, now=self.now))
        except (Conflict, Invalid):
            pass

    @rule(c=captures, amount=st.integers(1, 5000))
    def refund(self, c, amount):
        if c is None:
            return
        capture_id, actor = c
        try:
            self.run(auth.refund(actor, capture_id, amount, now=self.now))
        except Invalid:
            pass  # more than is left to refund

    @rule(days=st.integers(0, 8), hours=st.integers(0, 23))
    def time_passes(self, days, hours):
        self.now += dt.timedelta(days=days, hours=hours)

    @rule()
    def sweep(self):
        self.run(auth.sweep_expired(self.now))

    @rule()
    def settle(self):
        self.run(settle(self.db.settings, self.now))

    @invariant()
    def books_balance(self):
        if hasattr(self, "w"):
            self.run(check_invariants(self.w, self.now))


async def check_invariants(w, now):
    lines = await BudgetLine.select().where(BudgetLine.client_id == w.client_id).output(load_json=True).run()
    line_ids = [l["id"] for l in lines]
    transfers = await Transfer.select().run()
    # Every transfer is one balanced pair: a positive amount from one account into another.
    assert all(t["amount_cents"] > 0 and t["debit_account_id"] != t["credit_account_id"] for t in transfers)
    assert sum(_balances(transfers, now).values()) == 0
    auths = await Authorization.select().where(Authorization.line_id.is_in(line_ids)).run()
    caps = await Capture.select().where(Capture.line_id.is_in(line_ids)).run()
    refunds = await Refund.select().where(Refund.capture.is_in([c["id"] for c in caps] or [None])).run()
    budget = {l.category: l for l in (await budgets.budget(w.counsellor, w.client_id, now=now)).lines}
    from voucher import ledger

    balances = _balances(transfers, now)
    for line in lines:
        lid = line["id"]
        live = [a for a in auths if a["line_id"] == lid and a["status"] == "approved" and a["expires_at"] > now]
        held = sum(a["amount_cents"] for a in live)
        line_caps = [c for c in caps if c["line_id"] == lid]
        spent = sum(c["amount_cents"] for c in line_caps) - sum(
            r["amount_cents"] for r in refunds if r["capture"] in {c["id"] for c in line_caps})
        # No line below zero, and the counters agree with the holds and captures behind them.
        assert line["held_cents"] >= 0 and line["spent_cents"] >= 0
        assert line["granted_cents"] - line["held_cents"] - line["spent_cents"] >= 0
        assert line["spent_cents"] == spent
        b = budget[line["category"]]
        assert (b.granted_cents, b.held_cents, b.spent_cents) == (line["granted_cents"], held, spent)
        assert b.available_cents == b.granted_cents - b.held_cents - b.spent_cents >= 0
        # The ledger says the same: the line account's balance is what is available.
        assert balances[ledger.line_account(lid)] == b.available_cents
        if line["swap_cap_cents"] is not None:
            assert line["swap_used_cents"] <= line["swap_cap_cents"]
    # Each capture is in at most one batch, and each batch is the sum of its items.
    items = await SettlementItem.select().run()
    settled = [i["capture_id"] for i in items if i["capture_id"]]
    assert len(settled) == len(set(settled))
    for batch in await SettlementBatch.select().run():
        assert batch["total_cents"] == sum(i["amount_cents"] for i in items if i["batch"] == batch["id"]) > 0


def _balances(transfers, now) -> dict:
    """Credit-minus-debit per account; a pending hold counts only while live."""
    out: dict = {}
    for t in transfers:
        if t["kind"] == "hold" and not (t["status"] == "pending" and t["expires_at"] > now):
            continue
        out[t["credit_account_id"]] = out.get(t["credit_account_id"], 0) + t["amount_cents"]
        out[t["debit_account_id"]] = out.get(t["debit_account_id"], 0) - t["amount_cents"]
    return out


def _drive(db, examples: int, steps: int) -> None:
    """Run the machine on its own event loop and engine (the test's loop waits meanwhile)."""
    loop = asyncio.new_event_loop()
    engine = core_db.make_engine(db.settings)
    try:
        loop.run_until_complete(core_db.start(engine))
        core_db.bind(engine)
        LedgerMachine.db = db
        LedgerMachine.run = staticmethod(loop.run_until_complete)
        run_state_machine_as_test(
            LedgerMachine,
            settings=settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                              suppress_health_check=list(HealthCheck)),
        )
    finally:
        loop.run_until_complete(core_db.stop(engine))
        loop.close()
        core_db.bind(db.engine)


async def test_random_money_movements_keep_the_books(db):
    await asyncio.to_thread(_drive, db, 10, 25)
