"""The database's decision is the rule's: ``vc_decide`` (PostgreSQL, the one-call authorisation of
issue 20) answers what ``voucher.domain.decide`` answers, on 800 generated facts and one named
payment per outcome — every decline code the decision gives, approvals with the same candidate
lines in the same order, categories and consent route. (``own_share_covers_price`` and ``wrong_client_code`` come after the decision, from the
line's hold and the code's check; the one-call path leaves those payments to the Python path.)
"""

import asyncio
import datetime as dt
import json

import asyncpg
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voucher import domain

TODAY = dt.date(2026, 6, 15)
CATS = ("a", "b", "c")
# What the decision itself can answer (the two others come after it: see the module docstring).
DECIDE_CODES = set(domain.DECLINE_CODES) - {domain.OWN_SHARE_COVERS_PRICE, domain.WRONG_CLIENT_CODE}

cents = st.integers(min_value=0, max_value=12_000)
maybe_cents = st.one_of(st.none(), cents)
mostly_true = st.sampled_from([True, True, True, True, False])
mostly_false = st.sampled_from([False, False, False, False, True])
days = st.one_of(st.none(), st.integers(min_value=-2, max_value=2).map(lambda d: TODAY + dt.timedelta(days=d)))


@st.composite
def lines(draw):
    out = []
    for i in range(draw(st.integers(min_value=0, max_value=3))):
        granted = draw(cents)
        held = draw(st.integers(min_value=0, max_value=granted))
        spent = draw(st.integers(min_value=0, max_value=granted - held))
        expired = draw(st.sampled_from([0, 0, 0, held]))
        swap_used = draw(st.integers(min_value=0, max_value=3000))
        fee = draw(st.one_of(st.none(), st.none(), st.builds(
            domain.FeeRule, code=st.just("fee"), kind=st.sampled_from(domain.FEE_KINDS),
            value=st.integers(min_value=0, max_value=10_000))))
        out.append(domain.LineState(
            id=f"l{i}", category=draw(st.sampled_from(CATS)), granted_cents=granted, held_cents=held,
            spent_cents=spent, may_fund=tuple(draw(st.lists(st.sampled_from(CATS), max_size=2, unique=True))),
            swap_cap_cents=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=6000))),
            swap_used_cents=swap_used, expired_held_cents=expired,
            expired_swap_cents=draw(st.integers(min_value=0, max_value=swap_used)),
            fee_rule_code="fee" if fee else None, fee=fee))
    return tuple(out)


@st.composite
def facts(draw):
    single = draw(st.integers(min_value=0, max_value=8000))
    rules = domain.CardRules(
        single_cents=single,
        cumulative_cents=draw(st.one_of(st.none(), st.integers(min_value=single, max_value=single + 10_000))),
        tolerance_bp=draw(st.sampled_from([0, 0, 200, 5000])),
        open_amount=draw(st.dictionaries(st.sampled_from(CATS), st.integers(min_value=1, max_value=9000), max_size=2)))
    listing_approved = draw(st.sampled_from([None, None, True, True, False]))
    return domain.AuthorisationFacts(
        amount_cents=draw(st.integers(min_value=1, max_value=10_000)),
        today=TODAY,
        card_status=draw(st.sampled_from(["active"] * 6 + ["frozen", "closed", None])),
        decision_start=draw(days) if draw(mostly_false) else TODAY - dt.timedelta(days=1),
        decision_end=draw(days) if draw(mostly_false) else TODAY + dt.timedelta(days=1),
        provider_approved=draw(mostly_true),
        listing_approved=listing_approved,
        purchase_categories=tuple(draw(st.lists(st.sampled_from(CATS), max_size=3, unique=True))),
        lines=draw(lines()),
        per_transaction_limit_cents=draw(st.one_of(st.none(), st.none(), cents)),
        daily_limit_cents=draw(st.one_of(st.none(), st.none(), cents)),
        day_used_cents=draw(st.integers(min_value=0, max_value=5000)),
        rules=rules,
        listing_price_cents=draw(st.one_of(st.none(), cents)) if listing_approved is not None else None,
        quantity=draw(st.integers(min_value=1, max_value=4)),
        booking=draw(st.one_of(st.none(), st.none(), st.builds(domain.BookingTerms, amount_cents=cents, taken_cents=cents))),
        payer_is_provider_staff=draw(mostly_false),
        earlier_near_exemption=draw(st.integers(min_value=0, max_value=3)),
        consent=draw(st.one_of(st.none(), st.builds(domain.ConsentFacts, code_given=st.booleans(), codeless_cents=cents))),
    )


def as_json(f: domain.AuthorisationFacts) -> str:
    """The facts as vc_authorise hands them to vc_decide."""
    def line(x: domain.LineState) -> dict:
        return {"id": x.id, "category": x.category, "granted_cents": x.granted_cents, "held_cents": x.held_cents,
                "spent_cents": x.spent_cents, "may_fund": list(x.may_fund), "swap_cap_cents": x.swap_cap_cents,
                "swap_used_cents": x.swap_used_cents, "expired_held_cents": x.expired_held_cents,
                "expired_swap_cents": x.expired_swap_cents,
                "fee": {"kind": x.fee.kind, "value": x.fee.value} if x.fee else None}

    return json.dumps({
        "amount_cents": f.amount_cents, "today": f.today.isoformat(), "card_status": f.card_status,
        "decision_start": f.decision_start.isoformat() if f.decision_start else None,
        "decision_end": f.decision_end.isoformat() if f.decision_end else None,
        "provider_approved": f.provider_approved, "listing_approved": f.listing_approved,
        "purchase_categories": list(f.purchase_categories), "lines": [line(x) for x in f.lines],
        "per_transaction_limit_cents": f.per_transaction_limit_cents, "daily_limit_cents": f.daily_limit_cents,
        "day_used_cents": f.day_used_cents,
        "rules": {"single_cents": f.rules.single_cents, "cumulative_cents": f.rules.cumulative_cents,
                  "tolerance_bp": f.rules.tolerance_bp, "open_amount": f.rules.open_amount},
        "listing_price_cents": f.listing_price_cents, "quantity": f.quantity,
        "booking": {"amount_cents": f.booking.amount_cents, "taken_cents": f.booking.taken_cents} if f.booking else None,
        "payer_is_provider_staff": f.payer_is_provider_staff, "earlier_near_exemption": f.earlier_near_exemption,
        "consent": {"code_given": f.consent.code_given, "codeless_cents": f.consent.codeless_cents} if f.consent else None,
    })


def expected(f: domain.AuthorisationFacts) -> dict:
    """The Python rule's answer, in vc_decide's shape."""
    d = domain.decide(f)
    if isinstance(d, domain.Decline):
        if d.code == domain.INSUFFICIENT_FUNDS:
            return {"code": d.code, "categories": list(domain.priced_categories(f))}
        return {"code": d.code}
    return {"candidates": [{"line_id": c.line_id, "swap": c.swap} for c in d.candidates],
            "categories": list(d.categories), "consent": d.consent}


BASE = domain.AuthorisationFacts(
    amount_cents=1000, today=TODAY, card_status="active", decision_start=TODAY - dt.timedelta(days=1),
    decision_end=TODAY + dt.timedelta(days=1), provider_approved=True, listing_approved=True,
    purchase_categories=("a",), lines=(domain.LineState(id="l0", category="a", granted_cents=10_000),),
    listing_price_cents=2000, consent=domain.ConsentFacts(code_given=False, codeless_cents=0))
# One payment per outcome, so every decline code and consent route is checked whatever is generated.
NAMED = [msgspec.structs.replace(BASE, **change) for change in (
    {},  # approved under the exemption
    {"card_status": "frozen"},
    {"decision_end": TODAY - dt.timedelta(days=1)},
    {"provider_approved": False},
    {"payer_is_provider_staff": True},
    {"listing_approved": False},
    {"purchase_categories": ("b",)},
    {"listing_approved": None, "listing_price_cents": None},  # no open-amount category: listing_required
    {"listing_price_cents": 500},
    {"per_transaction_limit_cents": 500},
    {"daily_limit_cents": 1500, "day_used_cents": 1000},
    {"amount_cents": 6000, "listing_price_cents": 7000},  # over the exemption, no code
    {"lines": (domain.LineState(id="l0", category="a", granted_cents=500),)},
    {"amount_cents": 6000, "listing_price_cents": 7000, "consent": domain.ConsentFacts(code_given=True)},
    {"consent": None},
)]


def _check_many(url: str) -> set[str]:
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(url))
    seen: set[str] = set()
    try:
        @settings(max_examples=800, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
        @given(facts())
        def agree(f: domain.AuthorisationFacts) -> None:
            got = json.loads(loop.run_until_complete(conn.fetchval("SELECT vc_decide($1::jsonb)::text", as_json(f))))
            want = expected(f)
            assert got == want, (f, got, want)
            seen.add(want.get("code", "approve:" + want.get("consent", "")))

        agree()
        for f in NAMED:
            got = json.loads(loop.run_until_complete(conn.fetchval("SELECT vc_decide($1::jsonb)::text", as_json(f))))
            want = expected(f)
            assert got == want, (f, got, want)
            seen.add(want.get("code", "approve:" + want.get("consent", "")))
    finally:
        loop.run_until_complete(conn.close())
        loop.close()
    return seen


async def test_the_database_decides_as_the_python_rule(db):
    if not db.is_postgres:
        pytest.skip("vc_decide is PostgreSQL's; SQLite runs voucher.domain.decide itself")
    seen = await asyncio.to_thread(_check_many, db.settings.database_url)
    # Every decline code the decision gives was generated and agreed on, and approvals by each route.
    assert DECIDE_CODES <= seen, DECIDE_CODES - seen
    assert {"approve:exempt", "approve:code", "approve:"} <= seen, seen
