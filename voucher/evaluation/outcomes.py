"""The read side of client-reported outcomes, for the console's comparison, dashboard and research
export (issue 19): which clients consent to research, and every filled questionnaire with its score.

Neither checks who asks nor filters by consent: the caller does both (statistics and exports keep
only ``consenting_client_ids``).
"""

import datetime as dt
from typing import Any

import msgspec

from core.ids import require_uuid
from voucher.evaluation import consent
from voucher.tables import QuestionnaireAnswer


class OutcomeAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """One filled questionnaire.

    ``score``: WHO-5 0–100 (raw sum × 4, higher is better); ``satisfaction`` the mean of its items on
    1–5 (5 the most satisfied), to two decimals; a county's own questionnaire the mean on its own
    scale. None only for an answer whose questionnaire is not scored."""

    client_id: str
    questionnaire_key: str  # who5 | satisfaction | a county's own key
    occasion: str  # start | follow_up | end
    answered_on: dt.date
    score: float | None
    by_proxy: bool
    decision_id: str | None = None
    due_on: dt.date | None = None
    answers: tuple[int, ...] = ()


def to_answer(row: dict) -> OutcomeAnswer:
    return OutcomeAnswer(client_id=str(row["client"]), questionnaire_key=row["questionnaire_key"],
                         occasion=row["occasion"], answered_on=row["answered_on"],
                         score=float(row["score"]) if row["score"] is not None else None, by_proxy=bool(row["by_proxy"]),
                         decision_id=str(row["decision_id"]) if row["decision_id"] else None, due_on=row["due_on"],
                         answers=tuple(row["answers"] or ()))


async def consenting_client_ids(organiser_id: Any) -> set:
    """Ids (str) of the county's clients whose latest research consent is "given" (withdrawn, or never
    asked: left out)."""
    return {client for client, state in (await consent.latest_states(organiser_id)).items() if state == "given"}


async def outcome_answers(organiser_id: Any) -> list[OutcomeAnswer]:
    """Every filled questionnaire of the county's clients, by client and date (not filtered by consent)."""
    rows = await QuestionnaireAnswer.select().where(QuestionnaireAnswer.organiser_id == require_uuid(organiser_id)).order_by(
        QuestionnaireAnswer.client).order_by(QuestionnaireAnswer.answered_on).output(load_json=True).run()
    return [to_answer(row) for row in rows]


async def answers_of(client_id: Any) -> list[OutcomeAnswer]:
    """One client's filled questionnaires by date (the caller checked access)."""
    rows = await QuestionnaireAnswer.select().where(QuestionnaireAnswer.client == require_uuid(client_id)).order_by(
        QuestionnaireAnswer.answered_on).output(load_json=True).run()
    return [to_answer(row) for row in rows]
