"""Follow-up tasks: each follow-up date in a client's plan is a task for the plan's responsible
counsellor (the client's counsellor when the plan names none), shown in the caseload and on the
plan page, where it is marked done with a note. The client is reminded by e-mail
``plan_domain.REMINDER_DAYS`` days before, once per task (``reminded_at`` claimed by a conditional
update), through the notification outbox; the message says only the date and to sign in.
"""

import datetime as dt
import logging
from typing import Annotated, Any

import msgspec

from core import audit, i18n
from core.clock import HELSINKI, utcnow
from core.db import in_write_transaction
from core.errors import NotFound
from core.identity import Actor
from core.ids import require_uuid
from marketplace import notifications
from voucher import access, plan_domain
from voucher.disputes.notice import client_side
from voucher.plan_parts import TaskRead, task_read
from voucher.tables import Client, PlanTask

log = logging.getLogger("hb.voucher")
REMINDER_KIND = "plan_follow_up"
PLAN_PATH = "/plan"


class TaskDone(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # What was done at the follow-up (e.g. the goals were scored).
    note: Annotated[str, msgspec.Meta(max_length=plan_domain.TEXT_MAX)] = ""


class CaseloadTask(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    client_name: str
    kind: str
    due_on: dt.date
    assignee_id: str | None
    state: str  # overdue | due | later (voucher.plan_domain.task_state)


async def sync_follow_ups(actor: Actor, client: dict, dates: list[dt.date], assignee: Any, today: dt.date) -> None:
    """Make the client's open follow-up tasks match the plan's dates, in the caller's transaction:
    a task for each new date (today or later), the open tasks of dates taken off cancelled, and every
    open task given to ``assignee``."""
    rows = await PlanTask.select().where((PlanTask.client_id == client["id"]) & (PlanTask.kind == "follow_up")).run()
    open_tasks = {r["due_on"]: str(r["id"]) for r in rows if r["done_at"] is None and r["cancelled_at"] is None}
    done = [r["due_on"] for r in rows if r["done_at"] is not None]
    cancelled = {r["due_on"]: r["id"] for r in rows if r["done_at"] is None and r["cancelled_at"] is not None}
    new, dropped = plan_domain.follow_up_changes(dates, open_tasks, done, today)
    now = utcnow()
    for day in new:
        if day in cancelled:  # the date was taken off and put back: the same task again
            await PlanTask.update({PlanTask.cancelled_at: None, PlanTask.assignee_id: assignee}).where(
                PlanTask.id == cancelled[day]).run()
        else:
            await PlanTask.insert(PlanTask(client_id=client["id"], organiser_id=client["organiser_id"],
                                           kind="follow_up", due_on=day, assignee_id=assignee, created_at=now)).run()
    if dropped:
        await PlanTask.update({PlanTask.cancelled_at: now}).where(PlanTask.id.is_in(dropped)).run()
    await PlanTask.update({PlanTask.assignee_id: assignee}).where(
        (PlanTask.client_id == client["id"]) & PlanTask.done_at.is_null() & PlanTask.cancelled_at.is_null()).run()
    if new or dropped:
        await audit.record(actor, "voucher.plan.tasks_changed", "plan", client["id"],
                           organiser_id=client["organiser_id"],
                           details={"part": "follow_up", "added": [d.isoformat() for d in new],
                                    "cancelled": len(dropped)})


async def open_tasks(actor: Actor, today: dt.date, *, assignee_id: Any = None, states: tuple[str, ...] = (),
                     limit: int = 50) -> tuple[list[CaseloadTask], int]:
    """The open tasks of the actor's county (``assignee_id``: only theirs), earliest first, with
    their client's pseudonym; ``states`` narrows to overdue / due / later. The total before the limit."""
    access.require_staff(actor)
    where = (PlanTask.organiser_id == require_uuid(actor.organiser_id)) & PlanTask.done_at.is_null() \
        & PlanTask.cancelled_at.is_null()
    if assignee_id:
        where &= PlanTask.assignee_id == require_uuid(assignee_id)
    soon = today + dt.timedelta(days=plan_domain.DUE_SOON_DAYS)
    if states and set(states) <= {"overdue", "due"}:
        where &= PlanTask.due_on <= soon
        if states == ("overdue",):
            where &= PlanTask.due_on < today
    total = await PlanTask.count().where(where).run()
    rows = await PlanTask.select().where(where).order_by(PlanTask.due_on).limit(limit).run()
    names = {str(r["id"]): r["display_name"] for r in await Client.select(Client.id, Client.display_name).where(
        Client.id.is_in([r["client_id"] for r in rows] or [None])).run()}
    for client_id in names:  # each client whose follow-up is shown is a read of their data
        await audit.client_data_read(actor, client_id, "plan.tasks", organiser_id=actor.organiser_id)
    return [CaseloadTask(id=str(r["id"]), client_id=str(r["client_id"]), client_name=names.get(str(r["client_id"]), ""),
                         kind=r["kind"], due_on=r["due_on"], assignee_id=str(r["assignee_id"]) if r["assignee_id"] else None,
                         state=plan_domain.task_state(r["due_on"], today, False)) for r in rows], total


async def mark_done(actor: Actor, task_id: Any, data: TaskDone, now: dt.datetime) -> TaskRead:
    async def op() -> Any:
        row = await PlanTask.select().where(PlanTask.id == require_uuid(task_id)).first().run()
        if not row:
            raise NotFound()
        client = await access.client_to_change(actor, row["client_id"])
        done = await PlanTask.update({PlanTask.done_at: now, PlanTask.done_by: actor.user_id,
                                      PlanTask.note: data.note.strip()}).where(
            (PlanTask.id == row["id"]) & PlanTask.done_at.is_null()).returning(PlanTask.id).run()
        if done:
            await audit.record(actor, "voucher.plan.task_done", "plan", client["id"],
                               organiser_id=client["organiser_id"],
                               details={"part": "follow_up", "task_id": str(row["id"]),
                                        "due_on": row["due_on"].isoformat()})
        return row["id"]

    return task_read(await PlanTask.select().where(PlanTask.id == await in_write_transaction(op)).first().run())


async def send_reminders(now: dt.datetime, days: int = plan_domain.REMINDER_DAYS) -> int:
    """Tell each client (and their proxies) of a follow-up ``days`` days ahead, once per task: the
    task is claimed by setting ``reminded_at`` where it is still null, and the messages are written in
    the same transaction. Returns how many tasks were reminded of."""
    today = now.astimezone(HELSINKI).date()
    candidates = await PlanTask.select(PlanTask.id, PlanTask.due_on).where(
        PlanTask.reminded_at.is_null() & PlanTask.done_at.is_null() & PlanTask.cancelled_at.is_null()
        & (PlanTask.due_on >= today) & (PlanTask.due_on <= today + dt.timedelta(days=days))).run()
    reminded = 0
    for candidate in candidates:
        if not plan_domain.reminder_due(candidate["due_on"], today, days):
            continue

        async def op(task_id=candidate["id"]) -> bool:
            claimed = await PlanTask.update({PlanTask.reminded_at: now}).where(
                (PlanTask.id == task_id) & PlanTask.reminded_at.is_null()).returning(
                PlanTask.client_id, PlanTask.due_on).run()
            if not claimed:
                return False  # another worker told them
            users, _ = await client_side(claimed[0]["client_id"])
            for user in users:
                lang = user.language or "fi"
                params = {"date": i18n.local_date(claimed[0]["due_on"], lang), "path": PLAN_PATH}
                await notifications.notify_user(REMINDER_KIND, {"id": user.id, "email": user.email, "language": lang},
                                                params, now=now)
            return True

        reminded += await in_write_transaction(op)
    return reminded


async def next_open(client_ids: list[Any], today: dt.date) -> dict[str, tuple[dt.date, str]]:
    """Each client's earliest open follow-up task: client id → (its date, overdue | due | later)."""
    rows = await PlanTask.select(PlanTask.client_id, PlanTask.due_on).where(
        PlanTask.client_id.is_in([require_uuid(c) for c in client_ids] or [None]) & PlanTask.done_at.is_null()
        & PlanTask.cancelled_at.is_null()).order_by(PlanTask.due_on).run()
    out: dict[str, tuple[dt.date, str]] = {}
    for row in rows:
        out.setdefault(str(row["client_id"]), (row["due_on"], plan_domain.task_state(row["due_on"], today, False)))
    return out
