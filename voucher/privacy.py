"""The voucher's part of data-subject rights (a ``core.privacy.ClientRecordHolder``, registered by
hb.wiring): the client record itself, what else the voucher holds about one client, and how to
pseudonymise it.

Pseudonymisation keeps every amount, date, category, client group and id (the ledger, settlement and
follow-up statistics are untouched, so balances do not move) and removes what can point at the person:
the pseudonym chosen by the counsellor, the keyed hash of the national ID number, import refs, the
plan's free text and goal titles, score notes, payment descriptions and decline messages, proxy
grants' reasons, the reasons written in disputes of payments (the client's and the organiser's), the
need and suitability assessments' words (the needs described, the client's view, who took part, the
grounds and the reason; their service areas, levels, criteria met and outcomes stay), the reasons of the
client's HB classes and of overridden budget lines, the text of the client's messages and the names of
those who wrote them on the client's side (a standing consent to bookings ends, like proxy grants); cards are closed, their token hashes replaced by
random values and their PINs removed. Questionnaire answers (numbers on a scale, no text) and the
research consent's history stay as they are: they say nothing that points at the person.
"""

import secrets
from typing import Any

from voucher.tables import (
    Authorization,
    BudgetDecision,
    BudgetLine,
    Capture,
    CaptureDispute,
    Card,
    Client,
    ClientAgeBand,
    ClientClass,
    ClientCode,
    ClientMessage,
    ClientPlan,
    FeeUsage,
    GoalScore,
    NeedAssessment,
    PlanConsent,
    PlanGoal,
    PlanItem,
    PlanProposal,
    PlanTask,
    ProxyGrant,
    PurchaseConsent,
    QuestionnaireAnswer,
    QuestionnaireReminder,
    Refund,
    ResearchConsent,
    SuitabilityAssessment,
    TimeEntry,
)

# What a pseudonymised message says instead (the thread keeps its dates and sides; a body is never empty).
REMOVED_BODY = "–"


async def client_row(client_id: Any) -> dict | None:
    return await Client.select().where(Client.id == client_id).first().run()


async def last_activity(client_id: Any) -> list:
    """Dates and times that mark the client's last activity (decision ends, authorisations)."""
    ends = await BudgetDecision.select(BudgetDecision.end).where(BudgetDecision.client == client_id).run()
    auths = await Authorization.select(Authorization.created_at).where(Authorization.client_id == client_id).order_by(
        Authorization.created_at, ascending=False).limit(1).run()
    return [r["end"] for r in ends] + [r["created_at"] for r in auths]


async def records(client_id: Any) -> dict:
    plans = await ClientPlan.select().where(ClientPlan.client == client_id).run()
    goals = await PlanGoal.select().where(PlanGoal.plan.is_in([p["id"] for p in plans] or [None])).run()
    scores = await GoalScore.select().where(GoalScore.goal.is_in([g["id"] for g in goals] or [None])).run()
    decisions = await BudgetDecision.select().where(BudgetDecision.client == client_id).run()
    lines = await BudgetLine.select().where(BudgetLine.client_id == client_id).run()
    # A card's token and PIN are secrets of the card, not data about the person: not even their hashes.
    cards = await Card.select(*[c for c in Card._meta.columns if c._meta.name not in ("token_hash", "pin_hash")]).where(
        Card.client == client_id).run()
    codes = await ClientCode.select(*[c for c in ClientCode._meta.columns if c._meta.name != "code_hash"]).where(
        ClientCode.client == client_id).run()
    captures = await Capture.select().where(Capture.client_id == client_id).run()
    return {
        "proxies": await ProxyGrant.select().where(ProxyGrant.client == client_id).run(),
        "plans": plans,
        "goals": goals,
        "goal_scores": scores,
        "decisions": decisions,
        "budget_lines": lines,
        "cards": cards,
        "payment_codes": codes,
        "authorisations": await Authorization.select().where(Authorization.client_id == client_id).run(),
        "captures": captures,
        "refunds": await Refund.select().where(Refund.capture.is_in([c["id"] for c in captures] or [None])).run(),
        "capture_disputes": await CaptureDispute.select().where(CaptureDispute.client_id == client_id).run(),
        "need_assessments": await NeedAssessment.select().where(NeedAssessment.client_id == client_id).run(),
        "suitability_assessments": await SuitabilityAssessment.select().where(
            SuitabilityAssessment.client_id == client_id).run(),
        "hb_classes": await ClientClass.select().where(ClientClass.client_id == client_id).run(),
        "plan_items": await PlanItem.select().where(PlanItem.client_id == client_id).run(),
        "plan_consents": await PlanConsent.select().where(PlanConsent.client_id == client_id).run(),
        "plan_proposals": await PlanProposal.select().where(PlanProposal.client_id == client_id).run(),
        "plan_tasks": await PlanTask.select().where(PlanTask.client_id == client_id).run(),
        "purchase_consents": await PurchaseConsent.select().where(PurchaseConsent.client == client_id).run(),
        "messages": await ClientMessage.select().where(ClientMessage.client == client_id).order_by(
            ClientMessage.created_at).run(),
        # Own share: what the client's part took of each rule's monthly cap (docs/decisions/0033).
        "own_share_months": await FeeUsage.select().where(FeeUsage.client_id == client_id).run(),
        # The pilot's evaluation: staff time logged for the client, and the client's age band.
        "time_entries": await TimeEntry.select().where(TimeEntry.client_id == client_id).run(),
        "age_band": await ClientAgeBand.select().where(ClientAgeBand.client_id == client_id).run(),
        # Client-reported outcomes and the research consent's history (docs/decisions/0041, 0042).
        "questionnaire_answers": await QuestionnaireAnswer.select().where(QuestionnaireAnswer.client == client_id).order_by(
            QuestionnaireAnswer.answered_at).run(),
        "questionnaire_reminders": await QuestionnaireReminder.select().where(
            QuestionnaireReminder.client == client_id).run(),
        "research_consent": await ResearchConsent.select().where(ResearchConsent.client == client_id).order_by(
            ResearchConsent.seq).run(),
    }


async def pseudonymise(client_id: Any, pseudonym: str, at) -> None:
    """Run inside the caller's write transaction."""
    await Client.update({Client.display_name: pseudonym, Client.national_id_hash: None, Client.ref: None,
                         Client.updated_at: at}).where(Client.id == client_id).run()
    plans = [p["id"] for p in await ClientPlan.select(ClientPlan.id).where(ClientPlan.client == client_id).run()]
    if plans:
        await ClientPlan.update({ClientPlan.needs: "", ClientPlan.updated_at: at}).where(ClientPlan.id.is_in(plans)).run()
        goals = [g["id"] for g in await PlanGoal.select(PlanGoal.id).where(PlanGoal.plan.is_in(plans)).run()]
        if goals:
            await PlanGoal.update({PlanGoal.title: "", PlanGoal.levels: "{}"}).where(PlanGoal.id.is_in(goals)).run()
            await GoalScore.update({GoalScore.note: ""}).where(GoalScore.goal.is_in(goals)).run()
    await ProxyGrant.update({ProxyGrant.reason: ""}).where(ProxyGrant.client == client_id).run()
    await ProxyGrant.update({ProxyGrant.revoked_at: at}).where(
        (ProxyGrant.client == client_id) & ProxyGrant.revoked_at.is_null()).run()
    await BudgetDecision.update({BudgetDecision.ref: None}).where(BudgetDecision.client == client_id).run()
    await BudgetLine.update({BudgetLine.override_reason: ""}).where(BudgetLine.client_id == client_id).run()
    await ClientClass.update({ClientClass.reason: ""}).where(ClientClass.client_id == client_id).run()
    for card in await Card.select(Card.id, Card.status).where(Card.client == client_id).run():
        values = {Card.token_hash: secrets.token_hex(32), Card.token_hint: "", Card.ref: None, Card.pin_hash: None}
        if card["status"] != "closed":
            values.update({Card.status: "closed", Card.closed_at: at})
        await Card.update(values).where(Card.id == card["id"]).run()
    await Authorization.update({Authorization.description: None, Authorization.message: None}).where(
        Authorization.client_id == client_id).run()
    await CaptureDispute.update({CaptureDispute.reason: "", CaptureDispute.resolution_reason: ""}).where(
        CaptureDispute.client_id == client_id).run()
    await _assessments_without_words(client_id)
    await ClientMessage.update({ClientMessage.body: REMOVED_BODY}).where(ClientMessage.client == client_id).run()
    await TimeEntry.update({TimeEntry.note: ""}).where(TimeEntry.client_id == client_id).run()
    await ClientMessage.update({ClientMessage.author_label: ""}).where(
        (ClientMessage.client == client_id) & (ClientMessage.side == "client")).run()
    await PurchaseConsent.update({PurchaseConsent.revoked_at: at}).where(
        (PurchaseConsent.client == client_id) & PurchaseConsent.revoked_at.is_null()
        & (PurchaseConsent.kind == "standing")).run()


async def _assessments_without_words(client_id: Any) -> None:
    """Each version keeps its areas, levels, criteria met and outcome; its words go."""
    for row in await NeedAssessment.select(NeedAssessment.id, NeedAssessment.areas).where(
            NeedAssessment.client_id == client_id).output(load_json=True).run():
        areas = [{**area, "need": ""} for area in row["areas"] or []]
        await NeedAssessment.update({NeedAssessment.areas: areas, NeedAssessment.client_view: "",
                                     NeedAssessment.participants: []}).where(NeedAssessment.id == row["id"]).run()
    for row in await SuitabilityAssessment.select(SuitabilityAssessment.id, SuitabilityAssessment.criteria).where(
            SuitabilityAssessment.client_id == client_id).output(load_json=True).run():
        criteria = [{**answer, "grounds": ""} for answer in row["criteria"] or []]
        await SuitabilityAssessment.update({SuitabilityAssessment.criteria: criteria,
                                            SuitabilityAssessment.reason: ""}).where(
            SuitabilityAssessment.id == row["id"]).run()
    # The plan's words (a close person's name among them) go; the rows' dates stay for the figures.
    await PlanItem.update({PlanItem.text: "", PlanItem.person_label: ""}).where(PlanItem.client_id == client_id).run()
    await PlanProposal.update({PlanProposal.text: "", PlanProposal.person_label: "", PlanProposal.decline_reason: ""}).where(
        PlanProposal.client_id == client_id).run()
    await PlanTask.update({PlanTask.note: ""}).where(PlanTask.client_id == client_id).run()
