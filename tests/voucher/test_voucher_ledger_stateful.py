"""Acceptance 1: random authorise / capture / void / expire / refund / settle sequences, with the
ledger's invariants checked after every step (hypothesis stateful testing, both databases)."""

import asyncio
import datetime as dt
import json
import uuid

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from admin import payouts
from core import db as core_db
from core.errors import Conflict, Invalid
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher import budgets, ledger
from voucher.schemas import AuthorizationRequest, LineInput
from voucher.settlement import settle
from voucher.tables import Authorization, BudgetLine

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
        self.run(settle(self.db.settings, self.now, confirmation=payouts.unconfirmed))

    @invariant()
    def books_balance(self):
        if hasattr(self, "w"):
            self.run(check_invariants(self.w, self.now))


async def check_invariants(w, now):
    # The books as a whole: balanced transfers, no line below zero, counters = the rows behind them,
    # holds resolved at most once, each capture in at most one batch.
    await ledger.check_books()
    # And what the client is told right now, with holds past their expiry no longer counting.
    lines = await BudgetLine.select().where(BudgetLine.client_id == w.client_id).run()
    auths = await Authorization.select().where(Authorization.line_id.is_in([l["id"] for l in lines])).run()
    budget = {l.category: l for l in (await budgets.budget(w.counsellor, w.client_id, now=now)).lines}
    for line in lines:
        live = sum(a["amount_cents"] for a in auths
                   if a["line_id"] == line["id"] and a["status"] == "approved" and a["expires_at"] > now)
        b = budget[line["category"]]
        assert (b.granted_cents, b.held_cents, b.spent_cents) == (line["granted_cents"], live, line["spent_cents"])
        assert b.available_cents == b.granted_cents - b.held_cents - b.spent_cents >= 0


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
    await asyncio.to_thread(_drive, db, 8, 25)
