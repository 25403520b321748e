"""Caseloads: which counsellor a client has, and which clients a list shows.

* A counsellor takes on a client no counsellor has, and hands their own client over to another
  active counsellor of the county (or back to the county, with nobody). Another counsellor's client
  is not theirs to take: the organiser admin reassigns any client of the county. Every change is
  audited with who, from whom, to whom and why, and is made by a compare-and-set on the counsellor
  read a moment before, so two people changing one client at once cannot both win unseen.
* Every list of clients — the counsellor's client list (``voucher.budgets.clients_of``, the pages
  and ``GET /api/v1/clients``) and the follow-up of caseloads (``voucher.reporting.caseload_page``,
  admin.followup) — takes its scope from ``scope_for`` here, so the same person with the same
  choice sees the same clients everywhere. A counsellor sees their own caseload by default; an
  organiser admin (who has no caseload of their own) the county's clients. Either may choose
  ``mine``, ``unassigned`` (the county's clients nobody has taken yet) or ``county``.
"""

from typing import Annotated, Any

import msgspec

from core import audit, identity
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Forbidden, Invalid
from core.identity import Actor
from core.ids import as_uuid
from voucher import access
from voucher.tables import Client

SCOPES = ("mine", "unassigned", "county")


class CaseloadScope(msgspec.Struct, frozen=True, kw_only=True):
    name: str  # one of SCOPES
    # Only this counsellor's clients (``mine``) …
    counsellor_id: str | None = None
    # … or only clients with no counsellor (``unassigned``); neither: the whole county.
    unassigned: bool = False


def default_scope(actor: Actor) -> str:
    return "mine" if actor.role == "counsellor" else "county"


def scope_for(actor: Actor, requested: str | None = None) -> CaseloadScope:
    """The clients a list shows ``actor`` when they ask for ``requested`` (unknown or empty: the
    default for their role)."""
    name = requested if requested in SCOPES else default_scope(actor)
    if name == "mine":
        return CaseloadScope(name=name, counsellor_id=actor.user_id)
    return CaseloadScope(name=name, unassigned=name == "unassigned")


class CounsellorAssign(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    # The new counsellor; null hands the client back to the county (nobody).
    counsellor_id: str | None
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


async def counsellors_of(organiser_id: Any) -> list[identity.UserBrief]:
    """The county's active counsellors, by e-mail."""
    return await identity.users_with("counsellor", organiser_id=organiser_id)


async def counsellor_error(organiser_id: Any, counsellor_id: Any, field: str = "counsellor_id") -> FieldError | None:
    """Why ``counsellor_id`` cannot hold a client of the county (None: it can): it must be an
    active counsellor's account scoped to that county."""
    if as_uuid(counsellor_id) is None or not await identity.users_with(
            "counsellor", organiser_id=organiser_id, user_ids=[counsellor_id]):
        return FieldError(field=field, key="voucher.error.not_a_counsellor")
    return None


def _may_move(actor: Actor, current: str | None, new: str | None) -> bool:
    if actor.role == "organiser_admin":
        return True
    # A counsellor: take on a client nobody has, or pass on (or give back) their own.
    if current is None:
        return new == actor.user_id
    return current == actor.user_id


async def assign(actor: Actor, client_id: Any, data: CounsellorAssign) -> dict:
    """Give the client the counsellor ``data`` names (audited); returns the client's row."""
    client = await access.client_to_change(actor, client_id)
    current = str(client["counsellor_id"]) if client["counsellor_id"] else None
    new = data.counsellor_id
    if new is not None:
        if err := await counsellor_error(client["organiser_id"], new):
            raise Invalid("error.validation", errors=[err], field=err.field)
        new = str(as_uuid(new))
    if new == current:
        return client
    if not _may_move(actor, current, new):
        raise Forbidden("voucher.error.caseload_not_yours")

    async def op() -> dict:
        expected = Client.counsellor_id.is_null() if current is None else Client.counsellor_id == as_uuid(current)
        moved = await Client.update({Client.counsellor_id: as_uuid(new) if new else None}).where((Client.id == client["id"]) & expected).returning(
            Client.id).run()
        if not moved:
            raise Conflict("voucher.error.caseload_changed")
        await audit.record(actor, "voucher.client.counsellor_changed", "client", client["id"],
                           organiser_id=client["organiser_id"], reason=data.reason,
                           details={"from": current, "to": new})
        return {**client, "counsellor_id": new}

    return await in_write_transaction(op)
