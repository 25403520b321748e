"""Questionnaire reminders (voucher.evaluation.reminders): when a round opens and something of it is
still to fill, the client and their proxies get one message saying only that there is a questionnaire
and to sign in — once per round, however often the sweep runs; a round filled already is not
reminded of. And the research consents recorded on plans before the upgrade become the history's first
entries (migration 2026-12-09T10:00:02)."""

import datetime as dt
import importlib

from marketplace import notifications
from marketplace.booking.tables import Notification
from tests.voucher.evaluation_world import NOW, UTC, build, proxy_for
from voucher import plans
from voucher.evaluation import consent, outcomes
from voucher.evaluation.answers import record_answers
from voucher.evaluation.reminders import send_reminders
from voucher.tables import PlanConsent, QuestionnaireReminder, ResearchConsent


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), UTC)


async def test_each_round_is_reminded_of_once_and_a_filled_one_not_at_all(db):
    w = await build(db.settings.secret_key)
    proxy = await proxy_for(w)
    await plans.save_plan(w.counsellor, w.client_id, plans.PlanInput(follow_up_dates=[dt.date(2026, 4, 1)]), now=NOW)
    # 5 January: the start round is open.
    assert await send_reminders(NOW) == 1
    assert await send_reminders(NOW) == 0
    assert await send_reminders(NOW + dt.timedelta(days=3)) == 0
    rows = await Notification.select().where(Notification.kind == "questionnaire_due").output(load_json=True).run()
    assert sorted(str(r["user_id"]) for r in rows) == sorted([w.client.user_id, proxy.user_id])
    subject, body = notifications.render("questionnaire_due", "fi", rows[0]["params"], "https://hb.example")
    assert subject == "Sinulle on kysely" and "1.1.2026" in body and "https://hb.example/questionnaires" in body
    assert w.client_id not in body and "Asiakas" not in body  # nothing about the client but the date
    # Before the follow-up opens (a week before it) nothing; then once.
    assert await send_reminders(at(dt.date(2026, 3, 24))) == 0
    assert await send_reminders(at(dt.date(2026, 3, 25))) == 1
    assert await send_reminders(at(dt.date(2026, 4, 1))) == 0
    # The end round filled in full before the sweep: no reminder.
    end = dt.date(2026, 12, 31)
    for key, answers in (("who5", [3, 3, 3, 3, 3]), ("satisfaction", [4, 4, 4, 4, 4])):
        await record_answers(w.client_id, key, "end", answers, answered_on=dt.date(2026, 12, 18), due_on=end,
                             decision_id=w.decision_id)
    assert await send_reminders(at(dt.date(2026, 12, 20))) == 0
    assert await QuestionnaireReminder.count().run() == 2
    assert await Notification.count().where(Notification.kind == "questionnaire_due").run() == 4


async def test_a_revoked_decision_is_not_reminded_of(db):
    w = await build(db.settings.secret_key)
    from voucher.tables import BudgetDecision

    await BudgetDecision.update({BudgetDecision.status: "revoked"}).where(BudgetDecision.id == w.decision_id).run()
    assert await send_reminders(NOW) == 0


async def test_research_consents_on_plans_become_the_history(db):
    w = await build(db.settings.secret_key)
    second = await build(db.settings.secret_key, name="Asiakas 0002")
    await PlanConsent.insert(
        PlanConsent(client_id=w.client_id, kind="research", given_on=dt.date(2025, 11, 3), given_by=w.counsellor.user_id),
        PlanConsent(client_id=second.client_id, kind="research", given_on=dt.date(2025, 10, 1),
                    given_by=w.counsellor.user_id, withdrawn_on=dt.date(2025, 12, 1), withdrawn_by=w.counsellor.user_id),
        PlanConsent(client_id=second.client_id, kind="provider", given_on=dt.date(2025, 10, 1)),
    ).run()
    migration = importlib.import_module("voucher.piccolo_migrations.voucher_2026_12_09t10_00_02_000000")
    assert await migration.copy_plan_consents() == 3
    assert await outcomes.consenting_client_ids(w.organiser_id) == {w.client_id}
    history = (await consent.state_of(second.client_id)).history
    assert [(e.seq, e.state, e.recorded_as, e.at.astimezone(UTC)) for e in history] == [
        (2, "withdrawn", "counsellor", dt.datetime(2025, 12, 1, 10, 0, tzinfo=UTC)),
        (1, "given", "counsellor", dt.datetime(2025, 10, 1, 9, 0, tzinfo=UTC))]
    # Run again (the history has entries): nothing copied twice.
    assert await migration.copy_plan_consents() == 0
    assert await ResearchConsent.count().run() == 3
