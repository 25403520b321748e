"""What the voucher tells the packages above it: each payment and each goal score as a fact, written
in the transaction that books it (core.facts).

The organiser console keeps its figures in tables of its own and fills them from these facts, so
it never reads the voucher's tables and a column renamed here cannot change its sums silently: the
shapes below are the contract. A fact says what happened and to what (ids, amounts, times); what it
means for a figure — a client's group, a listing's municipality — the reader asks when it applies
the fact.

* ``voucher.capture``: money moved from a line (or the overrun) to a provider;
* ``voucher.refund``: some of a capture came back;
* ``voucher.goal_score``: a client's goal was scored (Goal Attainment Scaling).
"""

import datetime as dt
import uuid
from typing import Any

import msgspec

from core import facts
from voucher.tables import BudgetLine

CAPTURE = "voucher.capture"
REFUND = "voucher.refund"
GOAL_SCORE = "voucher.goal_score"


class CaptureFact(msgspec.Struct, frozen=True, kw_only=True):
    capture_id: uuid.UUID
    # None for a Stripe capture no authorisation preceded.
    authorization_id: uuid.UUID | None
    organiser_id: uuid.UUID
    client_id: uuid.UUID | None
    provider_id: uuid.UUID
    # None when the money came from the overrun, not from a budget line.
    line_id: uuid.UUID | None
    listing_id: uuid.UUID | None
    # What was bought: the authorisation's category, else the line's, else "".
    category: str
    # The authorisation's source (api | booking | booking_hold | stripe), "" without one.
    source: str
    # Why an accountant should look at it (voucher.tables.Capture.flag), "" when fine.
    flag: str
    # The authorisation's amount (0 without one).
    authorised_cents: int
    amount_cents: int
    at: dt.datetime


class RefundFact(msgspec.Struct, frozen=True, kw_only=True):
    refund_id: uuid.UUID
    capture_id: uuid.UUID
    organiser_id: uuid.UUID
    provider_id: uuid.UUID
    amount_cents: int
    at: dt.datetime


class GoalScoreFact(msgspec.Struct, frozen=True, kw_only=True):
    score_id: uuid.UUID
    goal_id: uuid.UUID
    client_id: uuid.UUID
    organiser_id: uuid.UUID
    score: int
    # When the goal was assessed, and when the score was written down.
    scored_at: dt.datetime
    recorded_at: dt.datetime


KINDS: dict[str, type[msgspec.Struct]] = {CAPTURE: CaptureFact, REFUND: RefundFact, GOAL_SCORE: GoalScoreFact}


async def capture_booked(capture: Any, authorization: dict | None) -> None:
    """Publish a capture row (``voucher.tables.Capture``) just written, with its authorisation's row."""
    auth = authorization or {}
    category = auth.get("category") or ""
    if not category and capture.line_id:
        line = await BudgetLine.select(BudgetLine.category).where(BudgetLine.id == capture.line_id).first().run()
        category = line["category"] if line else ""
    await facts.publish(CAPTURE, msgspec.convert({
        "capture_id": capture.id, "authorization_id": capture.authorization_id, "organiser_id": capture.organiser_id,
        "client_id": capture.client_id, "provider_id": capture.provider_id, "line_id": capture.line_id,
        "listing_id": auth.get("listing_id"), "category": category, "source": auth.get("source") or "",
        "flag": capture.flag or "", "authorised_cents": int(auth.get("amount_cents") or 0),
        "amount_cents": capture.amount_cents, "at": capture.created_at,
    }, CaptureFact), at=capture.created_at)


async def refund_booked(refund: Any) -> None:
    """Publish a refund row (``voucher.tables.Refund``) just written."""
    await facts.publish(REFUND, msgspec.convert({
        "refund_id": refund.id, "capture_id": refund.capture, "organiser_id": refund.organiser_id,
        "provider_id": refund.provider_id, "amount_cents": refund.amount_cents, "at": refund.created_at,
    }, RefundFact), at=refund.created_at)


async def goal_scored(score: Any, client: dict) -> None:
    """Publish a goal score row (``voucher.tables.GoalScore``) just written, for ``client``."""
    await facts.publish(GOAL_SCORE, msgspec.convert({
        "score_id": score.id, "goal_id": score.goal, "client_id": client["id"], "organiser_id": client["organiser_id"],
        "score": score.score, "scored_at": score.scored_at, "recorded_at": score.recorded_at,
    }, GoalScoreFact), at=score.recorded_at)
