"""Worlds for the follow-up tests, made through the voucher's own services (as a counsellor and a
provider's terminal would), on top of the voucher's test world (tests/voucher/vhelpers.py)."""

import datetime as dt
import json
import uuid

import msgspec

from core import db, identity
from core.identity import Actor
from marketplace.tables import ServiceCategory
from tests import world as world_records
from tests.voucher.vhelpers import World, make_world
from voucher import authorisation as auth
from voucher import budgets, cards, plans
from voucher.schemas import AuthorizationRequest, ClientCreate, DecisionCreate, LineInput
from voucher.tables import Card

UTC = dt.timezone.utc


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=UTC)


async def mark_traditional() -> None:
    """The seed's split: day activities and transport are traditional, art and riding are not."""
    for code, traditional in (("day-activities", True), ("transport", True), ("culture-art", False), ("sport-riding", False)):
        await ServiceCategory.update({ServiceCategory.traditional: traditional}).where(ServiceCategory.code == code).run()


class Client(msgspec.Struct, kw_only=True):
    id: str
    token: str
    decision_id: str


async def add_client(w: World, secret: str, name: str, group: str, *, lines: list[LineInput] | None = None,
                     start: dt.date = dt.date(2026, 1, 1), end: dt.date = dt.date(2026, 12, 31),
                     counsellor: Actor | None = None, municipality: str = "") -> Client:
    who = counsellor or w.counsellor
    client = await budgets.create_client(
        who, ClientCreate(display_name=name, client_group=group, municipality=municipality), secret)
    decision = await budgets.create_decision(who, client.id, DecisionCreate(
        start=start, end=end, reason="päätös",
        lines=lines or [
            LineInput(category="day-activities", amount_cents=300000, may_fund=["culture-art", "sport-riding"]),
            LineInput(category="transport", amount_cents=80000),
        ],
    ))
    token = f"hbc_{uuid.uuid4().hex[:16]}"
    async with db.write_transaction():
        await cards.insert_card(client.id, token, secret, per_transaction_limit_cents=None, daily_limit_cents=None)
    return Client(id=client.id, token=token, decision_id=decision.id)


async def client_code(settings, token: str, amount: int, when: dt.datetime) -> str:
    """The one-time code the card's client makes at /client/pay for a payment of ``amount``."""
    card = await Card.select(Card.client).where(Card.token_hash == cards.token_hash(settings.secret_key, token)).first().run()
    return await world_records.consent_code(str(card["client"]), amount, settings, now=when)


async def pay(settings, provider: Actor, token: str, amount: int, when: dt.datetime, *, listing: str | None = None,
              capture: int | None = None, quantity: int | None = None) -> dict:
    """Authorise — the client approving it with a one-time code — and capture ``capture`` of it
    (None → the whole amount; 0 → leave it held); ``quantity``: how many units of the listing the
    payment is for (its price ceiling)."""
    code = await client_code(settings, token, amount, when)
    stored = await auth.authorise(provider, AuthorizationRequest(card_token=token, amount_cents=amount, listing_id=listing,
                                                                 quantity=quantity, client_code=code),
                                  settings=settings, now=when)
    got = json.loads(stored.body)
    assert got["status"] == "approved", got
    out = {"authorization_id": got["id"]}
    amount_to_capture = amount if capture is None else capture
    if amount_to_capture:
        cap = json.loads((await auth.capture(provider, got["id"], amount_to_capture, now=when, settings=settings)).body)
        out["capture_id"] = cap["id"]
    return out


async def void(provider: Actor, authorization_id: str, when: dt.datetime) -> None:
    await auth.void(provider, authorization_id, now=when)


async def refund(provider: Actor, capture_id: str, amount: int, when: dt.datetime) -> None:
    await auth.refund(provider, capture_id, amount, now=when)


async def add_goal(w: World, client_id: str, title: str, scores: list[tuple[dt.datetime, int]]) -> str:
    """A goal in the client's plan, scored at these times (as a counsellor records them then)."""
    plan = await plans.add_goal(w.counsellor, client_id, plans.GoalInput(title=title, levels={"0": "odotettu"}))
    goal_id = plan.goals[-1].id
    for when, score in scores:
        await plans.score_goal(w.counsellor, goal_id, plans.ScoreInput(score=score, scored_at=when), now=when)
    return goal_id


async def organiser_admin(organiser_id: str, email: str | None = None) -> Actor:
    email = email or f"admin-{uuid.uuid4().hex[:6]}@test.example"
    user_id = await identity.create_user(email=email, display_name="Järjestäjä", role="organiser_admin",
                                         organiser_id=organiser_id, password="admin-salasana-2026")
    return Actor(user_id=user_id, role="organiser_admin", display_name="Järjestäjä", organiser_id=organiser_id)


# The follow-up's payments are terminal payments of any amount without a listing (test data for sums
# and flags): the county lets both providers' categories be paid so ("open amount", issue 16), up to
# 2 000 € at a time.
OPEN_AMOUNT = {"open_amount": world_records.open_amount(**{"sport-riding": 200_000, "culture-art": 200_000})}


async def world(secret: str, card_rules: dict | None = None) -> World:
    """A voucher world whose unique marketplace values (providers' business ids, merchant id, card
    token) differ from every other world's, so several live in one database. ``card_rules``: the
    county's (default ``OPEN_AMOUNT``)."""
    n = uuid.uuid4().int % 9_000_000 + 1_000_000
    return await make_world(secret, tag=f"{n:07d}-0{(n + 1) % 10_000_000:07d}-0",
                            card_rules=OPEN_AMOUNT if card_rules is None else card_rules)
