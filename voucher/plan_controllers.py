"""JSON API of the plan as a working document (docs/api.md "Client plans"; docs/decisions/0034):
the client's side proposes, the counsellor accepts or declines; the counsellor writes the plan's
items and consents and marks follow-up tasks done. The plan itself is read and saved by
``voucher.controllers.PlanController`` (its read grew these parts additively)."""

import datetime as dt

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter

from core.identity import Actor
from voucher import access, domain, plan_parts, plan_proposals, plan_tasks, plans
from voucher.plan_parts import ConsentInput, ConsentRead, ItemInput, ItemRead, ProposalRead, TaskRead


class RemoveInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: str = ""


class PlanWorkController(Controller):
    path = "/api/v1"
    tags = ["client plans"]

    @post("/clients/{client_id:str}/plan/proposals", status_code=201,
          summary="The client, or a proxy with any grant, proposes a goal, need, means, close person's task or a comment")
    async def propose(self, client_id: str, data: plan_proposals.ProposalInput, actor: Actor) -> ProposalRead:
        return await plan_proposals.propose(actor, client_id, data)

    @post("/plan-proposals/{proposal_id:str}/accept", status_code=200,
          summary="Accept a proposal: copied into the plan, history kept")
    async def accept(self, proposal_id: str, actor: Actor) -> ProposalRead:
        return await plan_proposals.accept(actor, proposal_id)

    @post("/plan-proposals/{proposal_id:str}/decline", status_code=200,
          summary="Decline a proposal with a reason the client reads")
    async def decline(self, proposal_id: str, data: plan_proposals.DeclineInput, actor: Actor) -> ProposalRead:
        return await plan_proposals.decline(actor, proposal_id, data)

    @post("/clients/{client_id:str}/plan/items", status_code=201,
          summary="Add a need, a means or a close person and their task to the plan")
    async def add_item(self, client_id: str, data: ItemInput, actor: Actor) -> ItemRead:
        return await plan_parts.add_item(actor, client_id, data)

    @post("/plan-items/{item_id:str}/remove", status_code=200, summary="Take an item off the plan (kept in history)")
    async def remove_item(self, item_id: str, data: RemoveInput, actor: Actor) -> ItemRead:
        return await plan_parts.remove_item(actor, item_id, data.reason)

    @post("/clients/{client_id:str}/plan/consents", status_code=201,
          summary="Record a consent: sharing with an approved provider, or research use")
    async def give_consent(self, client_id: str, data: ConsentInput, actor: Actor, now: dt.datetime) -> ConsentRead:
        return await plan_parts.give_consent(actor, client_id, data, domain.helsinki_date(now))

    @post("/plan-consents/{consent_id:str}/withdraw", status_code=200, summary="Record that a consent was withdrawn")
    async def withdraw_consent(self, consent_id: str, actor: Actor, now: dt.datetime) -> ConsentRead:
        return await plan_parts.withdraw_consent(actor, consent_id, domain.helsinki_date(now))

    @get("/clients/{client_id:str}/plan/history", summary="Who changed what when in the plan")
    async def history(self, client_id: str, actor: Actor) -> list[plan_proposals.HistoryEntry]:
        access.require_staff(actor)
        client = await access.client_to_read(actor, client_id, "plan.history")
        return await plan_proposals.history(client, await plans.plan_for(client["id"]))

    @get("/plan-tasks", summary="Open follow-up tasks of the county (mine=true: the caller's)")
    async def tasks(self, actor: Actor, now: dt.datetime, mine: bool = Parameter(default=True),
                    which: str = Parameter(query="state", default="", pattern="^(|overdue|due)$"),
                    ) -> list[plan_tasks.CaseloadTask]:
        states = ("overdue",) if which == "overdue" else ("overdue", "due") if which == "due" else ()
        found, _ = await plan_tasks.open_tasks(actor, domain.helsinki_date(now),
                                               assignee_id=actor.user_id if mine else None, states=states, limit=200)
        return found

    @post("/plan-tasks/{task_id:str}/done", status_code=200, summary="Mark a follow-up task done, with a note")
    async def task_done(self, task_id: str, data: plan_tasks.TaskDone, actor: Actor, now: dt.datetime) -> TaskRead:
        return await plan_tasks.mark_done(actor, task_id, data, now)


route_handlers = [PlanWorkController]
