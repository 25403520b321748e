"""Data-subject rights for what the organiser console holds about a client, in the shape
core.privacy asks of each package: ``records`` for the export, ``last_activity``, and
``pseudonymise`` after the retention period.

The console holds anomaly flags about a client (amounts, times, capture ids, a proxy's name, the
reviewer's note), its copies of the client's payments and goal scores (admin.facts: amounts, times,
ids, scores — no notes) and rollups: a client's monthly spending per provider and category and
their GAS change. Amounts, dates and ids stay (they are the organiser's accounts and statistics); what could
name a person — a proxy's name in a flag's evidence, the reviewer's free-text note — goes.
"""

import datetime as dt
from typing import Any

from admin.tables import AnomalyFlag, ClientGas, ClientMonth, GoalScoreRecord, Movement
from core.ids import as_uuid


async def records(client_id: Any) -> dict:
    cid = as_uuid(client_id)
    return {
        "anomaly_flags": await AnomalyFlag.select().where(AnomalyFlag.client_id == cid).order_by(
            AnomalyFlag.occurred_at).output(load_json=True).run(),
        "monthly_spending": await ClientMonth.select(
            ClientMonth.month, ClientMonth.provider_id, ClientMonth.category, ClientMonth.net_cents,
        ).where(ClientMonth.client_id == cid).order_by(ClientMonth.month).run(),
        "gas_change": await ClientGas.select().where(ClientGas.id == cid).run(),
        "follow_up_payments": await Movement.select().where(Movement.client_id == cid).order_by(Movement.created_at).run(),
        "follow_up_goal_scores": await GoalScoreRecord.select().where(GoalScoreRecord.client_id == cid).order_by(
            GoalScoreRecord.scored_at).run(),
    }


async def last_activity(client_id: Any) -> list[dt.datetime]:
    """Nothing here is the client's own activity: the flags follow their payments, which the
    voucher dates."""
    return []


async def pseudonymise(client_id: Any, pseudonym: str, at: dt.datetime) -> None:
    """Strip what could name a person from the client's flags, in the caller's transaction."""
    cid = as_uuid(client_id)
    for flag in await AnomalyFlag.select(AnomalyFlag.id, AnomalyFlag.evidence).where(
            AnomalyFlag.client_id == cid).output(load_json=True).run():
        evidence = dict(flag["evidence"] or {})
        facts = dict(evidence.get("facts") or {})
        if "proxy" in facts:
            facts["proxy"] = pseudonym
        evidence["facts"] = facts
        await AnomalyFlag.update({AnomalyFlag.evidence: evidence, AnomalyFlag.review_note: ""}).where(
            AnomalyFlag.id == flag["id"]).run()
