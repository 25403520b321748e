"""The plan as a working document: its pure rules (no I/O).

* What the client or a proxy may propose, and what each proposal must say.
* Which items a counsellor writes, and what each must say.
* Follow-up dates → tasks: which dates need a task, which open tasks lost their date.
* A task's state for the caseload (overdue, due soon, later, done) and when the client is reminded.
"""

import datetime as dt
from collections.abc import Iterable

from core.errors import FieldError
from core.text import text_error

# What a plan holds besides its goals (each a ``PlanItem``).
ITEM_KINDS = ("need", "means", "close_person")
# What the client's side may propose: a new goal or item, or a comment on a goal or item.
PROPOSAL_KINDS = ("goal", *ITEM_KINDS, "comment")
COMMENT_TARGETS = ("goal", *ITEM_KINDS)
PROPOSAL_STATES = ("open", "accepted", "declined")
CONSENT_KINDS = ("provider", "research")
TASK_KINDS = ("follow_up",)
# The client is e-mailed this many days before a follow-up (once per task).
REMINDER_DAYS = 7
# The caseload's "due soon": a task within this many days.
DUE_SOON_DAYS = 14
TEXT_MAX = 2000
LABEL_MAX = 200


def item_errors(kind: str, text: str, person_label: str = "", *, field_prefix: str = "") -> list[FieldError]:
    """What is wrong with a plan item (or a proposal of one): its text is always needed; a close
    person also needs the name or role the client chose."""
    errors: list[FieldError] = []
    if kind not in ITEM_KINDS and kind != "goal":
        return [FieldError(field=f"{field_prefix}kind", key="voucher.plan.error.kind")]
    if err := text_error(text, f"{field_prefix}text", 500 if kind == "goal" else TEXT_MAX, required=True):
        errors.append(err)
    if kind == "close_person" and (err := text_error(person_label, f"{field_prefix}person_label", LABEL_MAX,
                                                     required=True)):
        errors.append(err)
    return errors


def proposal_errors(kind: str, text: str, person_label: str = "", target_kind: str = "",
                    target_id: str | None = None) -> list[FieldError]:
    """What is wrong with a proposal before it is looked up (a comment's target is checked to exist
    by the service)."""
    if kind not in PROPOSAL_KINDS:
        return [FieldError(field="kind", key="voucher.plan.error.kind")]
    if kind != "comment":
        return item_errors(kind, text, person_label)
    errors = []
    if err := text_error(text, "text", TEXT_MAX, required=True):
        errors.append(err)
    if target_kind not in COMMENT_TARGETS or not target_id:
        errors.append(FieldError(field="target_id", key="voucher.plan.error.target"))
    return errors


def decline_error(reason: str) -> FieldError | None:
    """A decline needs a reason the client reads."""
    return text_error(reason, "reason", TEXT_MAX, required=True)


def may_propose(standing: str, proxy_rights: Iterable[str]) -> bool:
    """The client themself, or a proxy with any grant in force (its ``view`` right is enough: a
    proposal changes nothing until the counsellor accepts it). ``standing``: client | proxy | ""."""
    return standing == "client" or (standing == "proxy" and bool(set(proxy_rights)))


def follow_up_changes(wanted: Iterable[dt.date], open_tasks: dict[dt.date, str], done: Iterable[dt.date],
                      today: dt.date) -> tuple[list[dt.date], list[str]]:
    """The plan's follow-up dates are now ``wanted``: the dates that need a new task (today or later,
    not already open or done), and the open tasks (by id) whose date is no longer in the plan."""
    wanted = set(wanted)
    taken = set(open_tasks) | set(done)
    new = sorted(d for d in wanted if d >= today and d not in taken)
    dropped = [task_id for day, task_id in sorted(open_tasks.items()) if day not in wanted]
    return new, dropped


def task_state(due_on: dt.date, today: dt.date, done: bool) -> str:
    """done | overdue | due (today or within DUE_SOON_DAYS) | later."""
    if done:
        return "done"
    if due_on < today:
        return "overdue"
    return "due" if due_on <= today + dt.timedelta(days=DUE_SOON_DAYS) else "later"


def reminder_due(due_on: dt.date, today: dt.date, days: int = REMINDER_DAYS) -> bool:
    """The client is reminded from ``days`` before the follow-up until its day (not after)."""
    return today <= due_on <= today + dt.timedelta(days=days)


def next_follow_up(dates: Iterable[dt.date], today: dt.date) -> dt.date | None:
    """The next follow-up date from today on, if any."""
    return min((d for d in dates if d >= today), default=None)
