"""Reminders to fill the questionnaires: when a round of a client's decision opens (its start, a
follow-up, its end; ``voucher.evaluation.domain.rounds``) and something of it is still to fill, the
client and their proxies get one message through the notification outbox (in the app and by e-mail,
saying only that there is a questionnaire and to sign in). Once per round: the round is claimed by a
row in ``vc_questionnaire_reminder`` (unique per decision, occasion and date) in the same transaction
as the messages."""

import datetime as dt
import uuid
from typing import Any

from core import i18n
from core.clock import HELSINKI
from core.db import in_write_transaction
from marketplace import notifications
from voucher.disputes.notice import client_side
from voucher.evaluation import domain, questionnaires
from voucher.evaluation import messages as _texts  # noqa: F401 - the reminder's texts, registered
from voucher.tables import BudgetDecision, ClientPlan, QuestionnaireAnswer, QuestionnaireReminder

REMINDER_KIND = "questionnaire_due"
PATH = "/questionnaires"
LOOK_AHEAD_DAYS = max(domain.OPENS_BEFORE.values())


async def _still_to_fill(client_id: Any, round_: domain.Round, keys: set[str]) -> bool:
    answered = {r["questionnaire_key"] for r in await QuestionnaireAnswer.select(QuestionnaireAnswer.questionnaire_key).where(
        (QuestionnaireAnswer.client == client_id) & (QuestionnaireAnswer.decision_id == uuid.UUID(round_.decision_id))
        & (QuestionnaireAnswer.occasion == round_.occasion) & (QuestionnaireAnswer.due_on == round_.due_on)).run()}
    return bool(keys - answered)


async def send_reminders(now: dt.datetime) -> int:
    """Remind each client of each round open today that has a questionnaire still to fill, once.
    Returns how many rounds were reminded of."""
    today = now.astimezone(HELSINKI).date()
    decisions = await BudgetDecision.select(BudgetDecision.id, BudgetDecision.client, BudgetDecision.organiser_id,
                                            BudgetDecision.start, BudgetDecision.end).where(
        (BudgetDecision.status == "active") & (BudgetDecision.start <= today + dt.timedelta(days=LOOK_AHEAD_DAYS))
        & (BudgetDecision.end >= today - dt.timedelta(days=domain.CLOSES_AFTER_DAYS))).run()
    sent = {(str(r["decision_id"]), r["occasion"], r["due_on"]) for r in await QuestionnaireReminder.select(
        QuestionnaireReminder.decision_id, QuestionnaireReminder.occasion, QuestionnaireReminder.due_on).where(
        QuestionnaireReminder.decision_id.is_in([d["id"] for d in decisions] or [None])).run()}
    # Every candidate's plan follow-up dates in one read (voucher.plans.follow_up_dates, for many).
    plan_dates = {str(r["client"]): [dt.date.fromisoformat(str(d)) for d in r["follow_up_dates"] or []]
                  for r in await ClientPlan.select(ClientPlan.client, ClientPlan.follow_up_dates).where(
                      ClientPlan.client.is_in(list({d["client"] for d in decisions}) or [None])).output(
                      load_json=True).run()}
    asked: dict[str, list] = {}
    reminded = 0
    for decision in decisions:
        organiser = str(decision["organiser_id"])
        if organiser not in asked:
            asked[organiser] = await questionnaires.active_of_county(organiser)
        follow_ups = plan_dates.get(str(decision["client"]), [])
        for round_ in domain.rounds(str(decision["id"]), decision["start"], decision["end"], follow_ups):
            keys = {q.key for q in asked[organiser] if round_.occasion in q.occasions}
            if not keys or not round_.is_open(today) or (round_.decision_id, round_.occasion, round_.due_on) in sent:
                continue
            if not await _still_to_fill(decision["client"], round_, keys):
                continue
            reminded += await in_write_transaction(lambda r=round_, d=decision: _remind(d, r, now))
    return reminded


async def _remind(decision: dict, round_: domain.Round, now: dt.datetime) -> bool:
    claimed = await QuestionnaireReminder.insert(QuestionnaireReminder(
        client=decision["client"], organiser_id=decision["organiser_id"], decision_id=decision["id"],
        occasion=round_.occasion, due_on=round_.due_on, sent_at=now,
    )).on_conflict(action="DO NOTHING").returning(QuestionnaireReminder.id).run()
    if not claimed:
        return False  # another worker reminded them
    users, _ = await client_side(decision["client"])
    for user in users:
        lang = user.language or "fi"
        params = {"date": i18n.local_date(round_.due_on, lang), "occasion": round_.occasion, "path": PATH}
        await notifications.notify_user(REMINDER_KIND, {"id": user.id, "email": user.email, "language": lang},
                                        params, now=now)
    return True
