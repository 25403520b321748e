"""Administrative time (issue 19, deliverable 4): counsellors and the county's admins log the
minutes a client contact or a task took, with its kind; the dashboard sets them against client-months
and budget euros. A counsellor sees and logs their own entries; an organiser admin also sees the
county's. An entry names a client of the worker's own county, or none (a task for no one client).
"""

import datetime as dt
from typing import Any

import msgspec

from core import audit, db
from core.errors import FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from core.web import Pager
from voucher import access
from voucher.tables import Client, TimeEntry

KINDS = ("contact", "meeting", "decision", "plan", "payments", "other")
MAX_MINUTES = 600  # one entry is at most a working day's ten hours
NOTE_MAX = 500
BACK_DAYS = 366


class TimeInput(msgspec.Struct, kw_only=True):
    worked_on: str = ""
    minutes: str = ""
    kind: str = ""
    note: str = ""
    client_id: str = ""


class Entry(msgspec.Struct, kw_only=True):
    id: str
    worked_on: dt.date
    minutes: int
    kind: str
    note: str
    client_id: str | None
    client: str  # the client's pseudonym, "" for a task without a client
    user_label: str


class EntryQuery(msgspec.Struct, kw_only=True):
    kind: str = ""
    client_id: str = ""
    first: dt.date | None = None
    last: dt.date | None = None
    # mine | county (an organiser admin's choice; a counsellor sees their own)
    who: str = "mine"
    page: int = 1
    per_page: int = 20


def _staff(actor: Actor) -> str:
    access.require_staff(actor)
    if actor.via_api_key or not actor.user_id:
        raise Forbidden()
    return str(actor.organiser_id)


def entry_errors(data: TimeInput, today: dt.date) -> tuple[dict, list[FieldError]]:
    """The entry's values, or what is wrong with each field (pure)."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    try:
        values["worked_on"] = dt.date.fromisoformat(data.worked_on.strip())
        if values["worked_on"] > today:
            errors.append(FieldError(field="worked_on", key="time.future"))
        elif values["worked_on"] < today - dt.timedelta(days=BACK_DAYS):
            errors.append(FieldError(field="worked_on", key="time.too_old", params={"days": BACK_DAYS}))
    except ValueError:
        errors.append(FieldError(field="worked_on", key="field.date"))
    text = data.minutes.strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_MINUTES:
        errors.append(FieldError(field="minutes", key="field.range", params={"min": 1, "max": MAX_MINUTES}))
    else:
        values["minutes"] = int(text)
    if data.kind not in KINDS:
        errors.append(FieldError(field="kind", key="field.not_allowed"))
    values["kind"] = data.kind
    if len(data.note) > NOTE_MAX:
        errors.append(FieldError(field="note", key="field.too_long", params={"max": NOTE_MAX}))
    values["note"] = data.note.strip()
    return values, errors


async def log(actor: Actor, data: TimeInput, today: dt.date) -> str:
    """Write one entry of the actor's own time; a named client must be of the actor's county."""
    organiser_id = _staff(actor)
    values, errors = entry_errors(data, today)
    client_id = None
    if data.client_id.strip():
        try:
            client = await access.load_client(data.client_id.strip())
        except (NotFound, Invalid):
            client = None
        if client is None or not access.is_staff_of(actor, client["organiser_id"]):
            errors.append(FieldError(field="client_id", key="time.unknown_client"))
        else:
            client_id = client["id"]
    if errors:
        raise Invalid("error.invalid", field=errors[0].field, errors=errors)
    entry = TimeEntry(organiser_id=as_uuid(organiser_id), client_id=client_id, user_id=as_uuid(actor.user_id),
                      user_label=actor.display_name or "", **values)
    async with db.write_transaction():
        await entry.save().run()
    return str(entry.id)


async def entries(actor: Actor, query: EntryQuery) -> tuple[list[Entry], Pager, int]:
    """The entries the actor may see for the filter, newest first, a page of them, and the minutes
    of all that match. Each client shown is a read of that client's data (audited)."""
    organiser_id = _staff(actor)
    where = TimeEntry.organiser_id == as_uuid(organiser_id)
    if not (actor.role == "organiser_admin" and query.who == "county"):
        where &= TimeEntry.user_id == as_uuid(actor.user_id)
    if query.kind in KINDS:
        where &= TimeEntry.kind == query.kind
    if query.client_id:
        where &= TimeEntry.client_id == require_uuid(query.client_id, field="client_id")
    if query.first:
        where &= TimeEntry.worked_on >= query.first
    if query.last:
        where &= TimeEntry.worked_on <= query.last
    total = await TimeEntry.count().where(where).run()
    minutes = sum(r["minutes"] for r in await TimeEntry.select(TimeEntry.minutes).where(where).run())
    pager = Pager(page=query.page, per_page=query.per_page, total=total)
    rows = await TimeEntry.select().where(where).order_by(TimeEntry.worked_on, ascending=False).order_by(
        TimeEntry.created_at, ascending=False).limit(query.per_page).offset(pager.offset).run()
    ids = list({r["client_id"] for r in rows if r["client_id"]})
    names = {str(c["id"]): c["display_name"] for c in await Client.select(Client.id, Client.display_name).where(
        Client.id.is_in(ids)).run()} if ids else {}
    for client_id in names:
        await audit.client_data_read(actor, client_id, "time_log", organiser_id=organiser_id)
    return [Entry(id=str(r["id"]), worked_on=r["worked_on"], minutes=r["minutes"], kind=r["kind"], note=r["note"],
                  client_id=str(r["client_id"]) if r["client_id"] else None,
                  client=names.get(str(r["client_id"]), "") if r["client_id"] else "", user_label=r["user_label"])
            for r in rows], pager, minutes


async def client_minutes(client_id: Any) -> int:
    """Every minute logged for one client (the counsellor's client page shows it)."""
    rows = await TimeEntry.select(TimeEntry.minutes).where(TimeEntry.client_id == require_uuid(client_id)).run()
    return sum(r["minutes"] for r in rows)
