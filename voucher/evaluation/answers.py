"""Filled questionnaires: which rounds a client has open, and writing one's answers with the score the
domain computes (``record_answers``; the trusted writer, which tests call directly)."""

import datetime as dt
from typing import Any

import msgspec

from core import audit
from core.clock import HELSINKI, utcnow
from core.db import in_write_transaction
from core.errors import Conflict, Invalid, NotFound
from core.identity import Actor
from core.ids import require_uuid
from voucher import access, plans, proxies
from voucher.evaluation import domain, questionnaires
from voucher.evaluation.domain import QuestionnaireDef, Round
from voucher.evaluation.outcomes import OutcomeAnswer, to_answer
from voucher.tables import BudgetDecision, Client, QuestionnaireAnswer


async def record_answers(client_id: Any, questionnaire_key: str, occasion: str, answers: list[int], *,
                         answered_on: dt.date, due_on: dt.date | None = None, decision_id: Any = None,
                         by_proxy: bool = False, answered_by: Any = None,
                         questionnaire: QuestionnaireDef | None = None) -> OutcomeAnswer:
    """Write a client's answers to one questionnaire at one occasion, scored by the domain (WHO-5
    0–100, the others the mean on their scale). ``questionnaire`` defaults to the county's version of
    ``questionnaire_key``; ``due_on`` to ``answered_on``. No access check and no audit (the form's
    service does both): tests and imports call it with a client id. ValueError on answers that do not
    fit; Conflict when that round was answered already."""
    if occasion not in domain.OCCASIONS:
        raise ValueError(f"unknown occasion {occasion!r}")
    cid = require_uuid(client_id)
    client = await Client.select(Client.id, Client.organiser_id).where(Client.id == cid).first().run()
    if client is None:
        raise NotFound()
    definition = questionnaire or await questionnaires.one(client["organiser_id"], questionnaire_key)
    score = definition.score(answers)  # ValueError when the answers do not fit

    async def op() -> dict:
        inserted = await QuestionnaireAnswer.insert(QuestionnaireAnswer(
            client=cid, organiser_id=client["organiser_id"], decision_id=require_uuid(decision_id) if decision_id else None,
            questionnaire_key=definition.key, questionnaire_version=definition.version, occasion=occasion,
            due_on=due_on or answered_on, answered_on=answered_on, answered_at=utcnow(), answers=list(answers),
            score=score, by_proxy=by_proxy, answered_by=answered_by,
        )).on_conflict(action="DO NOTHING").returning(QuestionnaireAnswer.id).run()
        if not inserted:
            raise Conflict("voucher.questionnaire.error.answered")
        return await QuestionnaireAnswer.select().where(QuestionnaireAnswer.id == inserted[0]["id"]).first().output(
            load_json=True).run()

    return to_answer(await in_write_transaction(op))


# --- The client's rounds ------------------------------------------------------------------------------


class OpenQuestionnaire(msgspec.Struct, frozen=True, kw_only=True):
    """One questionnaire the client may fill now: the round it belongs to and whether it is done."""

    id: str  # the form's address: decision id, occasion, date and key
    round: Round
    questionnaire: QuestionnaireDef
    answered_on: dt.date | None = None


def form_id(round_: Round, key: str) -> str:
    return f"{round_.decision_id}.{round_.occasion}.{round_.due_on.isoformat()}.{key}"


async def client_rounds(client_id: Any, organiser_id: Any) -> list[Round]:
    """Every round of the client's active decisions, in date order."""
    decisions = await BudgetDecision.select(BudgetDecision.id, BudgetDecision.start, BudgetDecision.end).where(
        (BudgetDecision.client == client_id) & (BudgetDecision.status == "active")).order_by(BudgetDecision.start).run()
    follow_ups = await plans.follow_up_dates(client_id) if decisions else []
    out: list[Round] = []
    for decision in decisions:
        out += domain.rounds(str(decision["id"]), decision["start"], decision["end"], follow_ups)
    return sorted(out, key=lambda r: (r.due_on, r.occasion))


async def open_for(client_id: Any, organiser_id: Any, today: dt.date) -> list[OpenQuestionnaire]:
    """The questionnaires of the client's rounds open today, each with the date it was answered on (None:
    still to fill); the county's active questionnaires asked at that occasion."""
    active = await questionnaires.active_of_county(organiser_id)
    rounds = [r for r in await client_rounds(client_id, organiser_id) if r.is_open(today)]
    if not rounds:
        return []
    done = {(str(a["decision_id"]), a["occasion"], a["due_on"], a["questionnaire_key"]): a["answered_on"]
            for a in await QuestionnaireAnswer.select(
                QuestionnaireAnswer.decision_id, QuestionnaireAnswer.occasion, QuestionnaireAnswer.due_on,
                QuestionnaireAnswer.questionnaire_key, QuestionnaireAnswer.answered_on).where(
                QuestionnaireAnswer.client == client_id).run()}
    return [OpenQuestionnaire(id=form_id(r, q.key), round=r, questionnaire=q,
                              answered_on=done.get((r.decision_id, r.occasion, r.due_on, q.key)))
            for r in rounds for q in active if r.occasion in q.occasions]


async def find_open(client_id: Any, organiser_id: Any, form: str, today: dt.date) -> OpenQuestionnaire:
    for candidate in await open_for(client_id, organiser_id, today):
        if candidate.id == form:
            return candidate
    raise NotFound()


async def submit(actor: Actor, client_id: Any, form: str, given: dict[str, str], now: dt.datetime) -> OutcomeAnswer:
    """The client, or a proxy acting for them (any grant; recorded as by proxy), fills an open
    questionnaire. Each item must have an answer on the scale (400 naming the item); a round answered
    already is 409. Audited."""
    acting = await proxies.acting_for(actor, client_id, "view")
    if acting not in ("client", "proxy"):
        raise NotFound()
    client = await access.client_to_read(actor, client_id, "questionnaire")
    today = now.astimezone(HELSINKI).date()
    found = await find_open(client["id"], client["organiser_id"], form, today)
    if found.answered_on is not None:
        raise Conflict("voucher.questionnaire.error.answered")
    values, errors = domain.parse_answers(found.questionnaire, given)
    if errors:
        raise Invalid(errors=errors)

    async def op() -> OutcomeAnswer:
        saved = await record_answers(client["id"], found.questionnaire.key, found.round.occasion, values,
                                     answered_on=today, due_on=found.round.due_on, decision_id=found.round.decision_id,
                                     by_proxy=acting == "proxy", answered_by=actor.user_id,
                                     questionnaire=found.questionnaire)
        await audit.record(actor, "voucher.questionnaire.answered", "client", client["id"],
                           organiser_id=client["organiser_id"],
                           on_behalf_of=client["id"] if acting == "proxy" else None,
                           details={"key": found.questionnaire.key, "occasion": found.round.occasion,
                                    "due_on": found.round.due_on.isoformat(), "by_proxy": acting == "proxy"})
        return saved

    return await in_write_transaction(op)
