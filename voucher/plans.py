"""The client plan (asiakassuunnitelma): needs, the client's own goals followed by Goal Attainment
Scaling (−2…+2, scored over time), the responsible worker and follow-up dates. Its other parts —
needs, means and close persons as items, consents — are ``voucher.plan_parts``; the client's
proposals ``voucher.plan_proposals``; follow-up tasks and reminders ``voucher.plan_tasks``
(docs/decisions/0034). The proxies who act for the client are ``voucher.proxies`` (re-exported here
for the callers that know them by this module).

Counsellors write; the client and their proxies read, and propose through ``voucher.plan_proposals``.
Every change is audited.
"""

import datetime as dt
from typing import Annotated, Any

import msgspec

from core import audit
from core.clock import utcnow
from core.errors import Invalid, NotFound, field_errors
from core.identity import Actor, users_by_id
from core.ids import require_uuid
from core.text import text_error
from voucher import access, caseload, domain, facts, plan_parts, plan_tasks
from core.db import in_write_transaction
from voucher.plan_parts import ConsentRead, ItemRead, ProposalRead, TaskRead
from voucher.proxies import PROXY_RIGHTS, ProxyInput, ProxyRead, grant_proxy, proxies_of, revoke_proxy
from voucher.tables import ClientPlan, GoalScore, PlanGoal

__all__ = [
    "PROXY_RIGHTS", "GoalInput", "GoalRead", "PlanInput", "PlanRead", "ProxyInput", "ProxyRead", "ScoreInput",
    "ScoreRead", "add_goal", "follow_up_dates", "grant_proxy", "plan_for", "proxies_of", "read_plan", "revoke_proxy", "save_plan",
    "score_goal",
]


class PlanInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    needs: Annotated[str, msgspec.Meta(max_length=10000)] = ""
    follow_up_dates: list[dt.date] = []
    # A counsellor of the client's county; left out: the one who saves (as before).
    responsible_user_id: str | None | msgspec.UnsetType = msgspec.UNSET


class GoalInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    # What each GAS level means for this client, e.g. {"0": "walks to the shop with help"}.
    levels: dict[str, str] = {}


class ScoreInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    score: int
    # When the goal was assessed, if not now (a follow-up meeting last week).
    scored_at: dt.datetime | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ScoreRead(msgspec.Struct, kw_only=True):
    score: int
    scored_at: dt.datetime
    note: str


class GoalRead(msgspec.Struct, kw_only=True):
    id: str
    title: str
    levels: dict[str, str]
    scores: list[ScoreRead]

    @property
    def latest(self) -> int | None:
        return self.scores[-1].score if self.scores else None


class PlanRead(msgspec.Struct, kw_only=True):
    id: str | None
    client_id: str
    needs: str
    follow_up_dates: list[dt.date]
    goals: list[GoalRead]
    # Added with the plan as a working document (docs/decisions/0034); older readers ignore them.
    responsible_user_id: str | None = None
    responsible_name: str = ""
    need_items: list[ItemRead] = []
    means: list[ItemRead] = []
    close_persons: list[ItemRead] = []
    consents: list[ConsentRead] = []
    proposals: list[ProposalRead] = []
    # The follow-up tasks (staff only; empty for the client's side).
    tasks: list[TaskRead] = []


async def plan_for(client_id: Any, *, staff: bool = True) -> PlanRead:
    plan = await ClientPlan.select().where(ClientPlan.client == client_id).output(load_json=True).first().run()
    if not plan:
        return PlanRead(id=None, client_id=str(client_id), needs="", follow_up_dates=[], goals=[],
                        proposals=await plan_parts.proposals_of(client_id))
    goals = await PlanGoal.select().where(PlanGoal.plan == plan["id"]).order_by(PlanGoal.position).output(
        load_json=True).run()
    scores = await GoalScore.select().where(GoalScore.goal.is_in([g["id"] for g in goals] or [None])).order_by(
        GoalScore.scored_at).run()
    items = await plan_parts.items_of(client_id)
    responsible = str(plan["responsible_user_id"]) if plan["responsible_user_id"] else None
    names = await users_by_id([responsible] if responsible else [])
    return PlanRead(
        id=str(plan["id"]),
        client_id=str(client_id),
        needs=plan["needs"],
        responsible_user_id=responsible,
        responsible_name=names[responsible].display_name if responsible in names else "",
        need_items=[i for i in items if i.kind == "need"],
        means=[i for i in items if i.kind == "means"],
        close_persons=[i for i in items if i.kind == "close_person"],
        consents=await plan_parts.consents_of(client_id),
        proposals=await plan_parts.proposals_of(client_id),
        tasks=await plan_parts.tasks_of(client_id) if staff else [],
        follow_up_dates=[dt.date.fromisoformat(str(d)) for d in plan["follow_up_dates"] or []],
        goals=[
            GoalRead(id=str(g["id"]), title=g["title"], levels=g["levels"] or {},
                     scores=[ScoreRead(score=s["score"], scored_at=s["scored_at"], note=s["note"])
                             for s in scores if s["goal"] == g["id"]])
            for g in goals
        ],
    )


async def follow_up_dates(client_id: Any) -> list[dt.date]:
    """The plan's follow-up dates alone (the client's /budget names the next one without reading the
    whole plan)."""
    row = await ClientPlan.select(ClientPlan.follow_up_dates).where(ClientPlan.client == client_id).output(
        load_json=True).first().run()
    return [dt.date.fromisoformat(str(d)) for d in (row or {}).get("follow_up_dates") or []]


async def read_plan(actor: Actor, client_id: Any) -> PlanRead:
    client = await access.client_to_read(actor, client_id, "plan")
    return await plan_for(client["id"], staff=access.is_staff_of(actor, client["organiser_id"]))


_plan_row = plan_parts.plan_row


async def save_plan(actor: Actor, client_id: Any, data: PlanInput, now: dt.datetime | None = None) -> PlanRead:
    """Write the needs, follow-up dates and responsible worker; the follow-up tasks follow the dates."""
    now = now or utcnow()

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        responsible = actor.user_id if data.responsible_user_id is msgspec.UNSET else data.responsible_user_id
        if responsible and (err := await caseload.counsellor_error(client["organiser_id"], responsible,
                                                                   "responsible_user_id")):
            field_errors([err])
        plan = await _plan_row(client)
        dates = sorted(set(data.follow_up_dates))
        await ClientPlan.update({
            ClientPlan.needs: data.needs,
            ClientPlan.follow_up_dates: [d.isoformat() for d in dates],
            ClientPlan.responsible_user_id: responsible,
            ClientPlan.updated_at: now,
        }).where(ClientPlan.id == plan["id"]).run()
        await audit.record(actor, "voucher.plan.saved", "plan", client["id"], organiser_id=client["organiser_id"],
                           details={"part": "plan", "follow_up_dates": [d.isoformat() for d in dates],
                                    "responsible_user_id": str(responsible) if responsible else None})
        await plan_tasks.sync_follow_ups(actor, client, dates, responsible or client["counsellor_id"],
                                         domain.helsinki_date(now))
        return client["id"]

    return await plan_for(await in_write_transaction(op))


async def add_goal(actor: Actor, client_id: Any, data: GoalInput) -> PlanRead:
    if err := text_error(data.title, "title", 500, required=True):
        field_errors([err])
    bad = [k for k in data.levels if k not in {str(s) for s in domain.GAS_SCORES}]
    if bad:
        raise Invalid("voucher.error.gas_range", field="levels")

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        await insert_goal(actor, client, data)
        return client["id"]

    return await plan_for(await in_write_transaction(op))


async def insert_goal(actor: Actor, client: dict, data: GoalInput, proposal_id: Any = None) -> str:
    """Write a goal into the client's plan, in the caller's transaction (checked by the caller)."""
    plan = await _plan_row(client)
    count = await PlanGoal.count().where(PlanGoal.plan == plan["id"]).run()
    goal = PlanGoal(plan=plan["id"], title=data.title.strip(), levels=data.levels, position=count)
    await PlanGoal.insert(goal).run()
    await audit.record(actor, "voucher.goal.added", "goal", goal.id, organiser_id=client["organiser_id"],
                       details={"client_id": str(client["id"])})
    await audit.record(actor, "voucher.plan.item_added", "plan", client["id"], organiser_id=client["organiser_id"],
                       details={"part": "goal", "item_id": str(goal.id),
                                **({"proposal_id": str(proposal_id)} if proposal_id else {})})
    return str(goal.id)


async def score_goal(actor: Actor, goal_id: Any, data: ScoreInput, now: dt.datetime | None = None) -> PlanRead:
    if not domain.gas_score_valid(data.score):
        raise Invalid("voucher.error.gas_range", field="score")

    async def op() -> Any:
        goal = await PlanGoal.select(PlanGoal.id, PlanGoal.plan.client).where(
            PlanGoal.id == require_uuid(goal_id)).first().run()
        if not goal:
            raise NotFound()
        client = await access.client_to_change(actor, goal["plan.client"])
        recorded = now or utcnow()
        score = GoalScore(goal=goal["id"], score=data.score, note=data.note, scored_by=actor.user_id,
                          scored_at=data.scored_at or recorded, recorded_at=recorded)
        await GoalScore.insert(score).run()
        await facts.goal_scored(score, client)
        await audit.record(actor, "voucher.goal.scored", "goal", goal["id"], organiser_id=client["organiser_id"],
                           details={"score": data.score})
        return client["id"]

    return await plan_for(await in_write_transaction(op))
