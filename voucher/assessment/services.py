"""Need and suitability assessments: record a new version, read the versions, the county's
criteria, and the check a new budget decision makes (docs/decisions/0031).

Who may: the county's counsellors and admins record and read (``voucher.access.client_to_change``
/ ``client_to_read``); the client and a proxy holding ``view`` read their own (a proxy without it:
403). Every read is audited as a read of the client's data; every new version is audited with its
version, outcome and who recorded it. A version is never changed: a correction is a new version.
"""

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns import Column

from core import audit, db
from core.clock import HELSINKI
from core.errors import FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor, users_by_id
from core.ids import as_uuid
from core.text import text_error
from voucher import access, marketplace_port, proxies
from voucher.assessment import domain
from voucher.assessment.schemas import (
    CriteriaRead,
    CriterionAnswer,
    NeedArea,
    NeedAssessmentInput,
    NeedAssessmentRead,
    SuitabilityInput,
    SuitabilityRead,
)
from voucher.tables import Client, NeedAssessment, SuitabilityAssessment, SuitabilityCriteria

HISTORY_MAX = 100  # versions a list returns, newest first


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(HELSINKI).date()


def _raise(problems: list[tuple[str, str]], texts: list[FieldError | None] = ()) -> None:
    errors = [e for e in texts if e] + [FieldError(field=f, key=k) for f, k in problems]
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)


async def _lock_client(client_id: Any) -> None:
    """Take the client's row for the rest of the transaction (PostgreSQL: a no-op update locks it;
    SQLite's ``BEGIN IMMEDIATE`` already lets one writer in), so two saves of the same client get
    versions n and n+1, and a decision and a new suitability outcome do not pass each other."""
    await Client.raw("UPDATE vc_client SET updated_at = updated_at WHERE id = {}", as_uuid(client_id)).run()


async def _reader(actor: Actor, client_id: Any, purpose: str) -> dict:
    """The client row for a read: staff of the county, the client, a proxy holding ``view``."""
    if actor.role == "proxy" and await proxies.acting_for(actor, client_id, "view") == "no_right":
        raise Forbidden("voucher.assessment.error.view_right")
    return await access.client_to_read(actor, client_id, purpose)


async def _names(rows: list[dict]) -> dict[str, str]:
    users = await users_by_id({r["created_by"] for r in rows if r["created_by"]})
    return {k: v.display_name for k, v in users.items()}


def _need_read(row: dict, names: dict[str, str]) -> NeedAssessmentRead:
    by = str(row["created_by"]) if row["created_by"] else None
    return NeedAssessmentRead(
        id=str(row["id"]), client_id=str(row["client_id"]), version=row["version"], assessed_on=row["assessed_on"],
        areas=msgspec.convert(row["areas"] or [], list[NeedArea]), participants=list(row["participants"] or []),
        client_view=row["client_view"], created_by=by, created_by_name=names.get(by or "", ""),
        created_at=row["created_at"])


def _suitability_read(row: dict, names: dict[str, str]) -> SuitabilityRead:
    by = str(row["created_by"]) if row["created_by"] else None
    return SuitabilityRead(
        id=str(row["id"]), client_id=str(row["client_id"]), version=row["version"], assessed_on=row["assessed_on"],
        criteria=msgspec.convert(row["criteria"] or [], list[CriterionAnswer]), outcome=row["outcome"],
        reason=row["reason"], created_by=by, created_by_name=names.get(by or "", ""), created_at=row["created_at"])


async def _versions(table, client_id: Any, limit: int = HISTORY_MAX) -> list[dict]:
    return await table.select().where(table.client_id == as_uuid(client_id)).order_by(
        table.version, ascending=False).limit(limit).output(load_json=True).run()


async def _latest_version(table, client_id: Any) -> int | None:
    row = await table.select(table.version).where(table.client_id == as_uuid(client_id)).order_by(
        table.version, ascending=False).first().run()
    return row["version"] if row else None


# --- Need assessments -----------------------------------------------------------------------------


async def need_assessments_for(client_id: Any) -> list[NeedAssessmentRead]:
    """Every version, newest first (no access check: the caller made it)."""
    rows = await _versions(NeedAssessment, client_id)
    names = await _names(rows)
    return [_need_read(r, names) for r in rows]


async def need_assessments(actor: Actor, client_id: Any) -> list[NeedAssessmentRead]:
    client = await _reader(actor, client_id, "need_assessments")
    return await need_assessments_for(client["id"])


def _need_text_errors(data: NeedAssessmentInput) -> list[FieldError | None]:
    errors = [text_error(a.need, f"areas[{i}].need", domain.TEXT_MAX) for i, a in enumerate(data.areas)]
    errors += [text_error(p, f"participants[{i}]", domain.NAME_MAX) for i, p in enumerate(data.participants)]
    return errors + [text_error(data.client_view, "client_view", domain.TEXT_MAX)]


async def record_need(actor: Actor, client_id: Any, data: NeedAssessmentInput, now: dt.datetime) -> NeedAssessmentRead:
    """Save a new version of the client's need assessment (the county's counsellor or admin)."""
    known = await marketplace_port.category_codes()
    _raise(domain.need_problems(data.areas, data.participants, known, data.assessed_on, _today(now)),
           _need_text_errors(data))
    areas = [{"category": a.category, "level": a.level, "need": a.need.strip()} for a in data.areas]
    participants = [p.strip() for p in data.participants if p.strip()]

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        await _lock_client(client["id"])
        version = domain.next_version(await _latest_version(NeedAssessment, client["id"]))
        row = NeedAssessment(client_id=client["id"], organiser_id=client["organiser_id"], version=version,
                             assessed_on=data.assessed_on, areas=areas, client_view=data.client_view.strip(),
                             participants=participants, created_by=as_uuid(actor.user_id), created_at=now)
        await NeedAssessment.insert(row).run()
        await audit.record(actor, "voucher.need_assessment.recorded", "client", client["id"],
                           organiser_id=client["organiser_id"],
                           details={"version": version, "assessed_on": str(data.assessed_on),
                                    "areas": {a["category"]: a["level"] for a in areas}})
        return row.id

    new_id = await db.in_write_transaction(op)
    row = await NeedAssessment.select().where(NeedAssessment.id == new_id).first().output(load_json=True).run()
    return _need_read(row, await _names([row]))


# --- Suitability --------------------------------------------------------------------------------


async def suitability_for(client_id: Any) -> list[SuitabilityRead]:
    """Every version, newest first (no access check: the caller made it)."""
    rows = await _versions(SuitabilityAssessment, client_id)
    names = await _names(rows)
    return [_suitability_read(r, names) for r in rows]


async def latest_suitability(client_id: Any) -> SuitabilityRead | None:
    """The latest version (no access check: the caller made it), or None when never assessed."""
    rows = await _versions(SuitabilityAssessment, client_id, limit=1)
    return _suitability_read(rows[0], await _names(rows)) if rows else None


async def suitability(actor: Actor, client_id: Any) -> list[SuitabilityRead]:
    client = await _reader(actor, client_id, "suitability")
    return await suitability_for(client["id"])


def _suitability_text_errors(data: SuitabilityInput) -> list[FieldError | None]:
    errors = [text_error(a.grounds, f"criteria[{i}].grounds", domain.TEXT_MAX) for i, a in enumerate(data.criteria)]
    return errors + [text_error(data.reason, "reason", domain.TEXT_MAX)]


async def record_suitability(actor: Actor, client_id: Any, data: SuitabilityInput,
                             now: dt.datetime) -> SuitabilityRead:
    """Save a new version of the client's suitability assessment against the county's criteria as
    they are now (the answers are kept with the criteria's words, so a later change of the list
    leaves this version readable)."""

    async def op() -> Any:
        client = await access.client_to_change(actor, client_id)
        criteria = (await criteria_for(client["organiser_id"])).criteria
        _raise(domain.suitability_problems(data.criteria, criteria, data.outcome, data.reason, data.assessed_on,
                                           _today(now)), _suitability_text_errors(data))
        answers = [{"criterion": a.criterion.strip(), "met": a.met, "grounds": a.grounds.strip()}
                   for a in domain.in_county_order(data.criteria, criteria)]
        await _lock_client(client["id"])
        version = domain.next_version(await _latest_version(SuitabilityAssessment, client["id"]))
        row = SuitabilityAssessment(client_id=client["id"], organiser_id=client["organiser_id"], version=version,
                                    assessed_on=data.assessed_on, criteria=answers, outcome=data.outcome,
                                    reason=data.reason.strip(), created_by=as_uuid(actor.user_id), created_at=now)
        await SuitabilityAssessment.insert(row).run()
        await audit.record(actor, "voucher.suitability.recorded", "client", client["id"],
                           organiser_id=client["organiser_id"], reason=data.reason.strip(),
                           details={"version": version, "outcome": data.outcome, "assessed_on": str(data.assessed_on),
                                    "met": sum(1 for a in answers if a["met"]), "criteria": len(answers)})
        return row.id

    new_id = await db.in_write_transaction(op)
    row = await SuitabilityAssessment.select().where(SuitabilityAssessment.id == new_id).first().output(
        load_json=True).run()
    return _suitability_read(row, await _names([row]))


async def require_decision_allowed(client_id: Any, ref: str | None = None) -> None:
    """Inside a decision's write transaction: refuse (400, field ``client``) when the client's latest
    suitability outcome is not ``suitable``. A client never assessed may have a decision."""
    await _lock_client(client_id)
    latest = await SuitabilityAssessment.select(SuitabilityAssessment.outcome).where(
        SuitabilityAssessment.client_id == as_uuid(client_id)).order_by(
        SuitabilityAssessment.version, ascending=False).first().run()
    if not domain.decision_allowed(latest["outcome"] if latest else None):
        raise Invalid("voucher.error.not_suitable", field="client",
                      errors=[FieldError(field="client", key="voucher.error.not_suitable", ref=ref)])


# --- The county's criteria ------------------------------------------------------------------------


async def criteria_for(organiser_id: Any) -> CriteriaRead:
    """The county's criteria; the defaults (``domain.DEFAULT_CRITERIA``) while it has set none."""
    oid = as_uuid(organiser_id)
    if oid is None:
        raise NotFound()
    row = await SuitabilityCriteria.select(SuitabilityCriteria.criteria).where(
        SuitabilityCriteria.organiser_id == oid).first().output(load_json=True).run()
    if row is None:
        return CriteriaRead(organiser_id=str(oid), criteria=list(domain.DEFAULT_CRITERIA), default=True)
    return CriteriaRead(organiser_id=str(oid), criteria=list(row["criteria"] or []), default=False)


def county_of(actor: Actor) -> str:
    """The county whose criteria ``actor`` may read: a county admin's or counsellor's own."""
    access.require_staff(actor)
    return str(actor.organiser_id)


async def save_criteria(actor: Actor, criteria: list[str], now: dt.datetime) -> bool:
    """Set the county admin's own county's criteria (one per item, blanks dropped); True when
    anything changed. Earlier assessments keep the words they were made with. Audited with the
    previous and the new list."""
    if actor.role != "organiser_admin" or not actor.organiser_id:
        raise Forbidden()
    cleaned = [c.strip() for c in criteria if c.strip()]
    _raise(domain.criteria_problems(cleaned),
           [text_error(c, f"criteria[{i}]", domain.CRITERION_MAX) for i, c in enumerate(cleaned)])
    oid = as_uuid(actor.organiser_id)

    async def op() -> bool:
        before = await criteria_for(oid)
        if not before.default and before.criteria == cleaned:
            return False
        values: dict[Column, Any] = {SuitabilityCriteria.criteria: cleaned,
                                     SuitabilityCriteria.updated_by: as_uuid(actor.user_id),
                                     SuitabilityCriteria.updated_at: now}
        await SuitabilityCriteria.insert(SuitabilityCriteria(
            organiser_id=oid, **{column._meta.name: v for column, v in values.items()})).on_conflict(
            target=SuitabilityCriteria.organiser_id, action="DO UPDATE", values=list(values)).run()
        await audit.record(actor, "voucher.suitability_criteria.changed", "suitability_criteria", oid,
                           organiser_id=oid, details={"from": before.criteria, "to": cleaned})
        return True

    return await db.in_write_transaction(op)
