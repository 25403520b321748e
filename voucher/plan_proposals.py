"""The client's side drafts the plan with the counsellor: the client, or a proxy with any grant in
force, proposes a goal, a need, a means, a close person's task, or comments on a goal or item
(docs/decisions/0034). A counsellor of the county accepts — a goal or item is copied into the plan
and the proposal marked accepted, one transaction — or declines with a reason the client reads.

The plan's history (``history``) is the audit log of the subject ``plan`` and of its goals: who
changed what when, each item named by what it says today (the log itself holds ids only).
"""

import datetime as dt
from typing import Annotated, Any

import msgspec

from core import audit
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated, field_errors
from core.identity import Actor
from core.ids import require_uuid
from voucher import access, plan_domain, plan_parts, plans, proxies
from voucher.plan_parts import ItemInput, ProposalRead, proposal_read
from voucher.tables import PlanProposal


class ProposalInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: str  # goal | need | means | close_person | comment
    text: Annotated[str, msgspec.Meta(max_length=plan_domain.TEXT_MAX)]
    # A close person's name or role, as the client wants it written.
    person_label: Annotated[str, msgspec.Meta(max_length=plan_domain.LABEL_MAX)] = ""
    # A comment: the goal or item it is about (target_kind goal | need | means | close_person).
    target_kind: str = ""
    target_id: str | None = None


class DeclineInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=plan_domain.TEXT_MAX)]


class HistoryEntry(msgspec.Struct, kw_only=True):
    at: dt.datetime
    who: str
    role: str
    action: str
    part: str
    # What the goal or item says (empty for the plan's own fields, consents and tasks).
    what: str
    reason: str


async def _standing(actor: Actor, client: dict) -> str:
    if actor.role == "client":
        return "client" if actor.client_id and str(actor.client_id) == str(client["id"]) else ""
    if actor.role == "proxy" and actor.user_id:
        rights = await proxies.rights_of(actor.user_id, client["id"])
        return "proxy" if plan_domain.may_propose("proxy", rights) else ""
    return ""


async def propose(actor: Actor, client_id: Any, data: ProposalInput) -> ProposalRead:
    if actor.is_anonymous:
        raise Unauthenticated()

    async def op() -> Any:
        # A proxy without a grant and anyone else is refused before the client's existence is told,
        # and before the proposal is looked at.
        client = await access.client_to_read(actor, client_id, "plan.propose")
        standing = await _standing(actor, client)
        if not standing:
            raise Forbidden()
        if errors := plan_domain.proposal_errors(data.kind, data.text, data.person_label, data.target_kind,
                                                 data.target_id):
            field_errors(errors)
        if data.kind == "comment" and not await plan_parts.target_exists(client["id"], data.target_kind,
                                                                          data.target_id):
            raise Invalid("voucher.plan.error.target", field="target_id")
        row = PlanProposal(
            client_id=client["id"], organiser_id=client["organiser_id"], kind=data.kind, text=data.text.strip(),
            person_label=data.person_label.strip() if data.kind == "close_person" else "",
            target_kind=data.target_kind if data.kind == "comment" else "",
            target_id=require_uuid(data.target_id) if data.kind == "comment" else None,
            proposed_by=actor.user_id, proposed_as=standing, created_at=utcnow())
        await PlanProposal.insert(row).run()
        await audit.record(actor, "voucher.plan.proposed", "plan", client["id"], organiser_id=client["organiser_id"],
                           details={"part": data.kind, "proposal_id": str(row.id)})
        return row.id

    proposal_id = await in_write_transaction(op)
    return proposal_read(await PlanProposal.select().where(PlanProposal.id == proposal_id).first().run())


async def _open_proposal(actor: Actor, proposal_id: Any) -> tuple[dict, dict]:
    row = await PlanProposal.select().where(PlanProposal.id == require_uuid(proposal_id)).first().run()
    if not row:
        raise NotFound()
    client = await access.client_to_change(actor, row["client_id"])
    if row["status"] != "open":
        raise Conflict("voucher.plan.error.decided")
    return row, client


async def accept(actor: Actor, proposal_id: Any) -> ProposalRead:
    """Copy the proposal into the plan (a goal or item; a comment is acknowledged) and mark it
    accepted, in one transaction; a proposal is decided once."""

    async def op() -> Any:
        row, client = await _open_proposal(actor, proposal_id)
        result = None
        if row["kind"] == "goal":
            result = await plans.insert_goal(actor, client, plans.GoalInput(title=row["text"]), proposal_id=row["id"])
        elif row["kind"] in plan_domain.ITEM_KINDS:
            result = await plan_parts.insert_item(actor, client, ItemInput(
                kind=row["kind"], text=row["text"], person_label=row["person_label"]), proposal_id=row["id"])
        claimed = await PlanProposal.update({
            PlanProposal.status: "accepted", PlanProposal.decided_by: actor.user_id, PlanProposal.decided_at: utcnow(),
            PlanProposal.result_id: result,
        }).where((PlanProposal.id == row["id"]) & (PlanProposal.status == "open")).returning(PlanProposal.id).run()
        if not claimed:
            raise Conflict("voucher.plan.error.decided")
        await audit.record(actor, "voucher.plan.proposal_accepted", "plan", client["id"],
                           organiser_id=client["organiser_id"],
                           details={"part": row["kind"], "proposal_id": str(row["id"]),
                                    **({"item_id": result} if result else {})})
        return row["id"]

    key = await in_write_transaction(op)
    return proposal_read(await PlanProposal.select().where(PlanProposal.id == key).first().run())


async def decline(actor: Actor, proposal_id: Any, data: DeclineInput) -> ProposalRead:
    async def op() -> Any:
        row, client = await _open_proposal(actor, proposal_id)
        if err := plan_domain.decline_error(data.reason):
            field_errors([err])
        claimed = await PlanProposal.update({
            PlanProposal.status: "declined", PlanProposal.decided_by: actor.user_id, PlanProposal.decided_at: utcnow(),
            PlanProposal.decline_reason: data.reason.strip(),
        }).where((PlanProposal.id == row["id"]) & (PlanProposal.status == "open")).returning(PlanProposal.id).run()
        if not claimed:
            raise Conflict("voucher.plan.error.decided")
        await audit.record(actor, "voucher.plan.proposal_declined", "plan", client["id"],
                           organiser_id=client["organiser_id"],
                           details={"part": row["kind"], "proposal_id": str(row["id"])})
        return row["id"]

    key = await in_write_transaction(op)
    return proposal_read(await PlanProposal.select().where(PlanProposal.id == key).first().run())


async def history(client: dict, plan: plans.PlanRead, limit: int = 200) -> list[HistoryEntry]:
    """Who changed what when in the client's plan, newest first (the caller has checked access)."""
    entries = await audit.history("plan", client["id"], organiser_id=client["organiser_id"], limit=limit)
    for goal in plan.goals:  # the scores are audited on the goal itself
        entries += [{**e, "details": {"part": "goal", "item_id": goal.id}}
                    for e in await audit.history("goal", goal.id, organiser_id=client["organiser_id"])
                    if e["action"] == "voucher.goal.scored"]
    texts: dict[str, str] = {g.id: g.title for g in plan.goals}
    texts.update({i.id: (f"{i.person_label}: {i.text}" if i.person_label else i.text)
                  for i in await plan_parts.items_of(client["id"], removed=True)})
    proposals = {p.id: p for p in plan.proposals}
    out = []
    for e in entries:
        details = e["details"] or {}
        what = texts.get(details.get("item_id", ""), "")
        if not what and details.get("proposal_id") in proposals:
            what = proposals[details["proposal_id"]].text
        out.append(HistoryEntry(at=e["at"], who=e["actor_label"], role=e["actor_role"], action=e["action"],
                                part=details.get("part", ""),
                                what=what, reason=e["reason"] or ""))
    out.sort(key=lambda h: h.at, reverse=True)
    return out[:limit]

