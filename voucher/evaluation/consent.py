"""The client's research consent (docs/decisions/0042): may the client's data — their answers to the
questionnaires, their decisions, spending and the time spent on them — be used in the pilot's research?

An append-only history in ``vc_research_consent`` (the database refuses UPDATE): each entry says
given or withdrawn, who recorded it (the client, a proxy acting for them, or a counsellor recording
what the client said) and how (in the app, in person, on paper, by phone), and when. The latest entry
(highest ``seq``) is in force; nobody's consent is assumed.

The plan's "research use" consent (``vc_plan_consent``, kind ``research``) is the same consent: the
plan's page records it through ``append`` and every entry here keeps that row in step (given: a row in
force; withdrawn: its ``withdrawn_on`` set), so the plan and the research agree.

``append`` is the trusted writer (no access check): the services below check who may, and tests and
imports may call it directly with a client id.
"""

import datetime as dt
from typing import Any

import msgspec

from core import audit, db
from core.clock import HELSINKI, utcnow
from core.db import in_write_transaction
from core.errors import Forbidden, Invalid, NotFound
from core.identity import Actor
from core.ids import require_uuid
from voucher import access, proxies
from voucher.tables import Client, PlanConsent, ResearchConsent

STATES = ("given", "withdrawn")
RECORDED_AS = ("client", "proxy", "counsellor")
HOW = ("in_app", "in_person", "paper", "phone")
# How a counsellor may record what the client said (in the app is the client's own way).
COUNSELLOR_HOW = ("in_person", "paper", "phone")


class ConsentEntry(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    state: str  # given | withdrawn
    recorded_as: str  # client | proxy | counsellor
    recorded_by: str | None
    how: str  # in_app | in_person | paper | phone
    at: dt.datetime


class ConsentState(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    # given | withdrawn | none (never asked)
    state: str
    history: list[ConsentEntry]  # newest first

    @property
    def given(self) -> bool:
        return self.state == "given"


async def append(client_id: Any, state: str, *, recorded_as: str, how: str, recorded_by: Any = None,
                 at: dt.datetime | None = None) -> ConsentEntry:
    """Add an entry to the client's history, in the caller's transaction or its own; the plan's
    research consent follows. No access check and no audit (the services do both)."""
    if state not in STATES:
        raise Invalid("voucher.research.error.state", field="state")
    if recorded_as not in RECORDED_AS:
        raise Invalid("voucher.research.error.recorded_as", field="recorded_as")
    if how not in HOW:
        raise Invalid("voucher.research.error.how", field="how")
    at = at or utcnow()
    cid = require_uuid(client_id)

    async def op() -> ConsentEntry:
        # The client's row locked (PostgreSQL) so two entries at once take turns for their ``seq``;
        # SQLite's write transaction already runs one writer at a time.
        query = Client.select(Client.id, Client.organiser_id).where(Client.id == cid)
        found = await (query if db.is_sqlite() else query.lock_rows()).run()
        client = found[0] if found else None
        if client is None:
            raise NotFound()
        last = await ResearchConsent.select(ResearchConsent.seq).where(ResearchConsent.client == cid).order_by(
            ResearchConsent.seq, ascending=False).first().run()
        seq = (last["seq"] if last else 0) + 1
        await ResearchConsent.insert(ResearchConsent(
            client=cid, organiser_id=client["organiser_id"], seq=seq, state=state, recorded_as=recorded_as,
            recorded_by=recorded_by, how=how, at=at)).run()
        await _mirror_to_plan(cid, state, recorded_by, at.astimezone(HELSINKI).date())
        return ConsentEntry(seq=seq, state=state, recorded_as=recorded_as,
                            recorded_by=str(recorded_by) if recorded_by else None, how=how, at=at)

    return await in_write_transaction(op)


async def _mirror_to_plan(client_id: Any, state: str, by: Any, day: dt.date) -> None:
    in_force = PlanConsent.select(PlanConsent.id).where(
        (PlanConsent.client_id == client_id) & (PlanConsent.kind == "research") & PlanConsent.withdrawn_on.is_null())
    if state == "withdrawn":
        await PlanConsent.update({PlanConsent.withdrawn_on: day, PlanConsent.withdrawn_by: by}).where(
            (PlanConsent.client_id == client_id) & (PlanConsent.kind == "research")
            & PlanConsent.withdrawn_on.is_null()).run()
    elif not await in_force.first().run():
        await PlanConsent.insert(PlanConsent(client_id=client_id, kind="research", given_on=day, given_by=by)).run()


async def state_of(client_id: Any) -> ConsentState:
    """The client's consent now and its history, newest first (the caller checked access)."""
    rows = await ResearchConsent.select().where(ResearchConsent.client == require_uuid(client_id)).order_by(
        ResearchConsent.seq, ascending=False).run()
    history = [ConsentEntry(seq=r["seq"], state=r["state"], recorded_as=r["recorded_as"],
                            recorded_by=str(r["recorded_by"]) if r["recorded_by"] else None, how=r["how"], at=r["at"])
               for r in rows]
    return ConsentState(client_id=str(client_id), state=history[0].state if history else "none", history=history)


async def latest_states(organiser_id: Any) -> dict[str, str]:
    """Each client of the county with a history: client id → the state in force (given | withdrawn)."""
    rows = await ResearchConsent.select(ResearchConsent.client, ResearchConsent.seq, ResearchConsent.state).where(
        ResearchConsent.organiser_id == require_uuid(organiser_id)).order_by(ResearchConsent.seq).run()
    latest: dict[str, str] = {}
    for row in rows:  # ascending seq: the last one written wins
        latest[str(row["client"])] = row["state"]
    return latest


def noon(day: dt.date) -> dt.datetime:
    """When a consent given on ``day`` is written: now if that is today (Helsinki), else that day's
    noon in Helsinki."""
    now = utcnow()
    if now.astimezone(HELSINKI).date() == day:
        return now
    return dt.datetime.combine(day, dt.time(12), HELSINKI).astimezone(dt.timezone.utc)


# --- Who may record it ------------------------------------------------------------------------------


async def read(actor: Actor, client_id: Any) -> ConsentState:
    """The consent and its history for the client, a proxy of theirs or the county's staff; audited."""
    client = await access.client_to_read(actor, client_id, "research_consent")
    return await state_of(client["id"])


async def set_own(actor: Actor, client_id: Any, state: str, now: dt.datetime) -> ConsentState:
    """The client (or a proxy acting for them, with any grant) gives or withdraws in the app; audited.
    The same state again writes nothing."""
    acting = await proxies.acting_for(actor, client_id, "view")
    if acting not in ("client", "proxy"):
        raise Forbidden() if actor.role in ("client", "proxy") else NotFound()
    client = await access.client_to_read(actor, client_id, "research_consent")
    return await _set(actor, client, state, recorded_as=acting, how="in_app", now=now)


async def record_for(actor: Actor, client_id: Any, state: str, how: str, now: dt.datetime) -> ConsentState:
    """A counsellor of the county records what the client said (in person, on paper, by phone); audited."""
    client = await access.client_to_change(actor, client_id)
    if how not in COUNSELLOR_HOW:
        raise Invalid("voucher.research.error.how", field="how")
    return await _set(actor, client, state, recorded_as="counsellor", how=how, now=now)


async def _set(actor: Actor, client: dict, state: str, *, recorded_as: str, how: str, now: dt.datetime) -> ConsentState:
    if state not in STATES:
        raise Invalid("voucher.research.error.state", field="state")

    async def op() -> None:
        current = await state_of(client["id"])
        if current.state == state:
            return
        entry = await append(client["id"], state, recorded_as=recorded_as, how=how, recorded_by=actor.user_id, at=now)
        await audit.record(actor, f"voucher.research_consent.{state}", "client", client["id"],
                           organiser_id=client["organiser_id"],
                           on_behalf_of=client["id"] if recorded_as == "proxy" else None,
                           details={"seq": entry.seq, "recorded_as": recorded_as, "how": how})

    await in_write_transaction(op)
    return await state_of(client["id"])
