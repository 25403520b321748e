"""The plan's parts besides goals: needs, means (keinot) and close persons with their tasks
(``PlanItem``), and consents (``PlanConsent``); the reads of proposals and tasks the plan shows.

Counsellors of the client's county write; every change is audited on the subject ``plan`` with the
client's id, so one history answers "who changed what when" (voucher.plan_proposals.history). An
item is never edited in place: removing keeps the row (``removed_at``), so an old version stays
readable. A close person's name or role is personal data: it is never written to the audit log or a
URL, and the search never sees it.
"""

import datetime as dt
from typing import Annotated, Any

import msgspec

from core import audit
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import FieldError, Invalid, NotFound, field_errors
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from voucher import access, marketplace_port, plan_domain
from voucher.evaluation import consent as research_consent
from voucher.tables import ClientPlan, PlanConsent, PlanGoal, PlanItem, PlanProposal, PlanTask


class ItemInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: str  # need | means | close_person
    text: Annotated[str, msgspec.Meta(max_length=plan_domain.TEXT_MAX)]
    goal_id: str | None = None
    category: Annotated[str, msgspec.Meta(max_length=64)] = ""
    person_label: Annotated[str, msgspec.Meta(max_length=plan_domain.LABEL_MAX)] = ""


class ConsentInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    kind: str  # provider | research
    provider_id: str | None = None
    # When the client gave it (default: today).
    given_on: dt.date | None = None


class ItemRead(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    text: str
    goal_id: str | None
    category: str
    person_label: str
    created_at: dt.datetime
    created_by: str | None
    removed_at: dt.datetime | None


class ConsentRead(msgspec.Struct, kw_only=True):
    id: str
    kind: str
    provider_id: str | None
    provider_name: str
    given_on: dt.date
    given_by: str | None
    withdrawn_on: dt.date | None
    withdrawn_by: str | None

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None


class ProposalRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    kind: str
    text: str
    person_label: str
    target_kind: str
    target_id: str | None
    proposed_as: str
    proposed_by: str | None
    status: str
    decline_reason: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    result_id: str | None


class TaskRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    kind: str
    due_on: dt.date
    assignee_id: str | None
    done_at: dt.datetime | None
    note: str


def _s(value: Any) -> str | None:
    return str(value) if value is not None else None


def item_read(row: dict) -> ItemRead:
    return ItemRead(id=str(row["id"]), kind=row["kind"], text=row["text"], goal_id=_s(row["goal_id"]),
                    category=row["category"], person_label=row["person_label"], created_at=row["created_at"],
                    created_by=_s(row["created_by"]), removed_at=row["removed_at"])


def proposal_read(row: dict) -> ProposalRead:
    return ProposalRead(
        id=str(row["id"]), client_id=str(row["client_id"]), kind=row["kind"], text=row["text"],
        person_label=row["person_label"], target_kind=row["target_kind"], target_id=_s(row["target_id"]),
        proposed_as=row["proposed_as"], proposed_by=_s(row["proposed_by"]), status=row["status"],
        decline_reason=row["decline_reason"], created_at=row["created_at"], decided_at=row["decided_at"],
        result_id=_s(row["result_id"]))


def task_read(row: dict) -> TaskRead:
    return TaskRead(id=str(row["id"]), client_id=str(row["client_id"]), kind=row["kind"], due_on=row["due_on"],
                    assignee_id=_s(row["assignee_id"]), done_at=row["done_at"], note=row["note"])


async def plan_row(client: dict) -> dict:
    """The client's plan row, made when the first part is written (in the caller's transaction)."""
    row = await ClientPlan.select().where(ClientPlan.client == client["id"]).first().run()
    if row:
        return row
    plan = ClientPlan(client=client["id"])
    await ClientPlan.insert(plan).run()
    return {"id": plan.id, "responsible_user_id": None}


async def items_of(client_id: Any, *, removed: bool = False) -> list[ItemRead]:
    where = PlanItem.client_id == client_id
    if not removed:
        where &= PlanItem.removed_at.is_null()
    return [item_read(r) for r in await PlanItem.select().where(where).order_by(PlanItem.created_at).run()]


async def consents_of(client_id: Any) -> list[ConsentRead]:
    rows = await PlanConsent.select().where(PlanConsent.client_id == client_id).order_by(PlanConsent.given_on).run()
    names = await marketplace_port.provider_names([r["provider_id"] for r in rows if r["provider_id"]])
    return [ConsentRead(id=str(r["id"]), kind=r["kind"], provider_id=_s(r["provider_id"]),
                        provider_name=names.get(str(r["provider_id"]), "") if r["provider_id"] else "",
                        given_on=r["given_on"], given_by=_s(r["given_by"]), withdrawn_on=r["withdrawn_on"],
                        withdrawn_by=_s(r["withdrawn_by"])) for r in rows]


async def proposals_of(client_id: Any) -> list[ProposalRead]:
    rows = await PlanProposal.select().where(PlanProposal.client_id == client_id).order_by(
        PlanProposal.created_at, ascending=False).run()
    return [proposal_read(r) for r in rows]


async def tasks_of(client_id: Any) -> list[TaskRead]:
    """The client's follow-up tasks in date order (those taken off the plan left out)."""
    rows = await PlanTask.select().where((PlanTask.client_id == client_id) & PlanTask.cancelled_at.is_null()).order_by(
        PlanTask.due_on).run()
    return [task_read(r) for r in rows]


async def goal_ids(client_id: Any) -> set[str]:
    rows = await PlanGoal.select(PlanGoal.id).where(PlanGoal.plan.client == client_id).run()
    return {str(r["id"]) for r in rows}


async def target_exists(client_id: Any, kind: str, target_id: Any) -> bool:
    """Whether ``target_id`` is one of the client's goals, or one of its items of ``kind``, in force."""
    target = as_uuid(target_id)
    if target is None:
        return False
    if kind == "goal":
        return str(target) in await goal_ids(client_id)
    return bool(await PlanItem.count().where((PlanItem.id == target) & (PlanItem.client_id == client_id)
                                             & (PlanItem.kind == kind) & PlanItem.removed_at.is_null()).run())


async def _item_field_errors(client_id: Any, data: ItemInput, prefix: str = "") -> list[FieldError]:
    errors = plan_domain.item_errors(data.kind, data.text, data.person_label, field_prefix=prefix)
    if data.kind == "goal":
        errors.append(FieldError(field=f"{prefix}kind", key="voucher.plan.error.kind"))
    if data.kind == "means":
        if data.goal_id and str(as_uuid(data.goal_id)) not in await goal_ids(client_id):
            errors.append(FieldError(field=f"{prefix}goal_id", key="voucher.plan.error.target"))
        if data.category and data.category not in await marketplace_port.category_codes():
            errors.append(FieldError(field=f"{prefix}category", key="voucher.error.unknown_category"))
    return errors


async def insert_item(actor: Actor, client: dict, data: ItemInput, *, proposal_id: Any = None) -> str:
    """Write an item into the client's plan, in the caller's transaction (checked by the caller)."""
    await plan_row(client)
    item = PlanItem(
        client_id=client["id"], kind=data.kind, text=data.text.strip(),
        goal_id=as_uuid(data.goal_id) if data.kind == "means" and data.goal_id else None,
        category=data.category if data.kind == "means" else "",
        person_label=data.person_label.strip() if data.kind == "close_person" else "",
        proposal_id=proposal_id, created_by=actor.user_id, created_at=utcnow())
    await PlanItem.insert(item).run()
    # What changed and where, never the text itself (a close person's name stays out of the log).
    await audit.record(actor, "voucher.plan.item_added", "plan", client["id"], organiser_id=client["organiser_id"],
                       details={"part": data.kind, "item_id": str(item.id),
                                **({"proposal_id": str(proposal_id)} if proposal_id else {})})
    return str(item.id)


async def add_item(actor: Actor, client_id: Any, data: ItemInput) -> ItemRead:
    async def op() -> str:
        client = await access.client_to_change(actor, client_id)
        if errors := await _item_field_errors(client["id"], data):
            field_errors(errors)
        return await insert_item(actor, client, data)

    item_id = await in_write_transaction(op)
    return item_read(await PlanItem.select().where(PlanItem.id == item_id).first().run())


async def remove_item(actor: Actor, item_id: Any, reason: str = "") -> ItemRead:
    async def op() -> Any:
        row = await PlanItem.select().where(PlanItem.id == require_uuid(item_id)).first().run()
        if not row:
            raise NotFound()
        client = await access.client_to_change(actor, row["client_id"])
        done = await PlanItem.update({PlanItem.removed_at: utcnow(), PlanItem.removed_by: actor.user_id}).where(
            (PlanItem.id == row["id"]) & PlanItem.removed_at.is_null()).returning(PlanItem.id).run()
        if done:
            await audit.record(actor, "voucher.plan.item_removed", "plan", client["id"],
                               organiser_id=client["organiser_id"], reason=reason[:2000],
                               details={"part": row["kind"], "item_id": str(row["id"])})
        return row["id"]

    return item_read(await PlanItem.select().where(PlanItem.id == await in_write_transaction(op)).first().run())


async def approved_providers(organiser_id: Any) -> dict[str, str]:
    """The providers the county has approved (id → name), for choosing whom data may be shared with."""
    return await marketplace_port.approved_providers(organiser_id)


async def give_consent(actor: Actor, client_id: Any, data: ConsentInput, today: dt.date) -> ConsentRead:
    if data.kind not in plan_domain.CONSENT_KINDS:
        raise Invalid("voucher.plan.error.kind", field="kind")

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        provider = None
        if data.kind == "provider":
            provider = as_uuid(data.provider_id)
            if provider is None or str(provider) not in await approved_providers(client["organiser_id"]):
                raise Invalid("voucher.plan.error.provider", field="provider_id")
        in_force = PlanConsent.count().where(
            (PlanConsent.client_id == client["id"]) & (PlanConsent.kind == data.kind)
            & PlanConsent.withdrawn_on.is_null())
        if provider is not None:
            in_force = in_force.where(PlanConsent.provider_id == provider)
        if await in_force.run():
            raise Invalid("voucher.plan.error.consent_exists", field="provider_id" if provider else "kind")
        await plan_row(client)
        consent = PlanConsent(client_id=client["id"], kind=data.kind, provider_id=provider,
                              given_on=data.given_on or today, given_by=actor.user_id)
        if data.kind == "research":
            # The research consent's own history is the record (docs/decisions/0042); it writes this
            # row beside it.
            await research_consent.append(client["id"], "given", recorded_as="counsellor", how="in_person",
                                          recorded_by=actor.user_id, at=research_consent.noon(consent.given_on))
            consent = (await PlanConsent.objects().where(
                (PlanConsent.client_id == client["id"]) & (PlanConsent.kind == "research")
                & PlanConsent.withdrawn_on.is_null()).first().run())
        else:
            await PlanConsent.insert(consent).run()
        await audit.record(actor, "voucher.plan.consent_given", "plan", client["id"],
                           organiser_id=client["organiser_id"],
                           details={"part": "consent", "consent_id": str(consent.id), "kind": data.kind,
                                    **({"provider_id": str(provider)} if provider else {})})
        return client["id"], consent.id

    client_key, consent_id = await in_write_transaction(op)
    return next(c for c in await consents_of(client_key) if c.id == str(consent_id))


async def withdraw_consent(actor: Actor, consent_id: Any, today: dt.date) -> ConsentRead:
    async def op() -> Any:
        row = await PlanConsent.select().where(PlanConsent.id == require_uuid(consent_id)).first().run()
        if not row:
            raise NotFound()
        client = await access.client_to_change(actor, row["client_id"])
        done = await PlanConsent.update({PlanConsent.withdrawn_on: today, PlanConsent.withdrawn_by: actor.user_id}).where(
            (PlanConsent.id == row["id"]) & PlanConsent.withdrawn_on.is_null()).returning(PlanConsent.id).run()
        if done and row["kind"] == "research":  # the research consent's history says so too (0042)
            await research_consent.append(client["id"], "withdrawn", recorded_as="counsellor", how="in_person",
                                          recorded_by=actor.user_id, at=research_consent.noon(today))
        if done:
            await audit.record(actor, "voucher.plan.consent_withdrawn", "plan", client["id"],
                               organiser_id=client["organiser_id"],
                               details={"part": "consent", "consent_id": str(row["id"]), "kind": row["kind"]})
        return row["client_id"]

    client_key = await in_write_transaction(op)
    return next(c for c in await consents_of(client_key) if c.id == str(consent_id))


async def _client_of(table, row_id: Any) -> str:
    row = await table.select(table.client_id).where(table.id == require_uuid(row_id)).first().run()
    if not row:
        raise NotFound()
    return str(row["client_id"])


async def client_of_item(item_id: Any) -> str:
    """Whose plan an item is in (for a page's way back; the service checked access)."""
    return await _client_of(PlanItem, item_id)


async def client_of_consent(consent_id: Any) -> str:
    return await _client_of(PlanConsent, consent_id)


async def client_of_proposal(proposal_id: Any) -> str:
    return await _client_of(PlanProposal, proposal_id)
