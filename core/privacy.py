"""Data-subject rights for a client: an organiser admin of the client's organiser can export
everything the platform holds about the client (JSON), and pseudonymise the client once the
retention period is over, without moving a cent in the ledger.

What is held, and where: each package that keeps rows about a client answers for them through one
small module with ``records`` (for the export), ``last_activity`` (for the retention date) and
``pseudonymise`` (run in the caller's transaction) — a ``Holder``. The kernel imports none of them:
the composition root registers them (``register``, called by hb.wiring): the voucher's
(``voucher.privacy``: the client record itself, decisions, lines, cards, plan and goals, proxies,
authorisations, captures, refunds), the bookings' (bookings and their history, reviews,
notifications) and the organiser console's (anomaly flags, rollups).
Beside them: the user accounts that sign in as the client, and the access log: every audit event
whose subject is the client, including every read of their data (Finnish law gives the client the
right to know who looked).

Retention: social-welfare client documents are kept a fixed time after the last entry; the default
here is ``RETENTION_YEARS`` after the later of the last decision's end and the last authorisation.
The audit log is append-only and keeps its rows; they name the client only by the platform's
pseudonymous id, and the pseudonymisation is itself audited.
"""

import datetime as dt
import hashlib
import uuid
from typing import Annotated, Any, Protocol

import msgspec
from litestar import Request, Response, get, post
from litestar.params import Parameter

from core import audit, db
from core.clock import utcnow
from core.errors import Conflict, Forbidden, NotFound, Unauthenticated
from core.identity import Actor
from core.tables import AuditEvent, Invitation, User, UserSession

RETENTION_YEARS = 12
EXPORT_FORMAT = "hb-client-export/1"


class Holder(Protocol):
    """What a package that holds rows about a client answers (a module with these functions)."""

    async def records(self, client_id: Any) -> dict: ...

    async def last_activity(self, client_id: Any) -> list: ...

    async def pseudonymise(self, client_id: Any, pseudonym: str, at: dt.datetime) -> None:
        """Run inside the caller's write transaction."""


class ClientRecordHolder(Holder, Protocol):
    """The holder of the client record itself (the voucher): who the client is and whose."""

    async def client_row(self, client_id: Any) -> dict | None: ...


class _Registry:
    client: ClientRecordHolder | None = None
    others: tuple[Holder, ...] = ()


def register(client: ClientRecordHolder, *others: Holder) -> None:
    """Name the packages that hold rows about a client: ``client`` holds the client record, the
    ``others`` more rows about them. Called by the composition root (hb.wiring); calling it again
    replaces the earlier answer."""
    _Registry.client, _Registry.others = client, others


def _client_holder() -> ClientRecordHolder:
    if _Registry.client is None:
        raise RuntimeError("core.privacy: no holders registered (the app factory and `hb` call hb.wiring.wire())")
    return _Registry.client


def _holders() -> list[Holder]:
    return [_client_holder(), *_Registry.others]


async def _records(client_id: Any) -> dict:
    held: dict = {}
    for holder in _holders():
        part = await holder.records(client_id)
        assert not held.keys() & part.keys(), f"{holder.__name__} reuses an export key"
        held.update(part)
    return held


async def _last_activity(client_id: Any) -> list:
    return [when for holder in _holders() for when in await holder.last_activity(client_id)]


async def _client_for_admin(actor: Actor, client_id: Any) -> dict:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "organiser_admin" or not actor.organiser_id or actor.via_api_key:
        raise Forbidden()
    try:
        cid = uuid.UUID(str(client_id))
    except ValueError:
        raise NotFound() from None
    row = await _client_holder().client_row(cid)
    if not row or str(row["organiser_id"]) != str(actor.organiser_id):
        raise NotFound()
    return row


def _plain(value: Any) -> Any:
    return msgspec.json.decode(msgspec.json.encode(value, enc_hook=str))


async def export_client(actor: Actor, client_id: Any) -> dict:
    client = await _client_for_admin(actor, client_id)
    await audit.client_data_read(actor, client["id"], "data_subject_export", organiser_id=client["organiser_id"])
    users = await User.select(User.id, User.email, User.display_name, User.role, User.language, User.active,
                              User.created_at).where(User.client_id == client["id"]).run()
    records = await _records(client["id"])
    proxy_ids = [p["proxy_user_id"] for p in records["proxies"]]
    proxies = await User.select(User.id, User.display_name, User.email).where(User.id.is_in(proxy_ids or [None])).run()
    # Invitations to the client's account and to their proxies' (the addresses the county used).
    invitations = await Invitation.select(
        Invitation.id, Invitation.email, Invitation.role, Invitation.display_name, Invitation.rights,
        Invitation.created_at, Invitation.expires_at, Invitation.accepted_at, Invitation.revoked_at,
    ).where(Invitation.client_id == client["id"]).order_by(Invitation.created_at).output(load_json=True).run()
    access_log = await AuditEvent.select(
        AuditEvent.at, AuditEvent.actor_role, AuditEvent.actor_label, AuditEvent.action, AuditEvent.purpose,
        AuditEvent.reason,
    ).where((AuditEvent.subject_type == "client") & (AuditEvent.subject_id == str(client["id"]))).order_by(
        AuditEvent.at).run()
    return _plain({
        "format": EXPORT_FORMAT,
        "exported_at": utcnow(),
        "client": {k: v for k, v in client.items() if k != "national_id_hash"}
        | {"national_id_on_record": client["national_id_hash"] is not None},
        "user_accounts": users,
        "proxy_users": proxies,
        "invitations": invitations,
        **records,
        "access_log": access_log,
    })


def retention_over_on(activity: list) -> dt.date:
    days = [a.date() if isinstance(a, dt.datetime) else a for a in activity if a is not None]
    last = max(days) if days else dt.date.min
    try:
        return last.replace(year=last.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return last.replace(year=last.year + RETENTION_YEARS, day=28)


def pseudonym(client_id: Any) -> str:
    return "Pseudonymisoitu " + hashlib.sha256(str(client_id).encode()).hexdigest()[:8]


async def pseudonymise_client(actor: Actor, client_id: Any, reason: str, at: dt.datetime | None = None) -> dict:
    at = at or utcnow()
    client = await _client_for_admin(actor, client_id)
    over_on = retention_over_on(await _last_activity(client["id"]) + [client["created_at"]])
    if at.date() < over_on:
        raise Conflict("privacy.retention_not_over", date=over_on.isoformat())
    name = pseudonym(client["id"])
    async with db.write_transaction():
        for holder in _holders():
            await holder.pseudonymise(client["id"], name, at)
        accounts = [u["id"] for u in await User.select(User.id).where(User.client_id == client["id"]).run()]
        for user_id in accounts:
            await User.update({User.email: f"pseudonymised-{user_id}@invalid", User.display_name: name,
                               User.password_hash: None, User.active: False}).where(User.id == user_id).run()
        # Invitations for the client keep no address or name; an open one can no longer be accepted.
        await Invitation.update({Invitation.revoked_at: at}).where(
            (Invitation.client_id == client["id"]) & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()).run()
        for row in await Invitation.select(Invitation.id).where(Invitation.client_id == client["id"]).run():
            await Invitation.update({Invitation.email: f"pseudonymised-{row['id']}@invalid",
                                     Invitation.display_name: ""}).where(Invitation.id == row["id"]).run()
        if accounts:
            await UserSession.update({UserSession.ended_at: at}).where(
                UserSession.user_id.is_in(accounts) & UserSession.ended_at.is_null()).run()
        await audit.record(actor, "client.pseudonymised", "client", client["id"], organiser_id=client["organiser_id"],
                           purpose="retention", reason=reason)
    return {"client_id": str(client["id"]), "display_name": name, "pseudonymised_at": at.isoformat()}


# --- HTTP --------------------------------------------------------------------------------------


class PseudonymiseRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class Pseudonymised(msgspec.Struct, kw_only=True):
    client_id: str
    display_name: str
    pseudonymised_at: str


ClientId = Annotated[str, Parameter(description="The client's platform id")]


@get("/api/v1/clients/{client_id:str}/data-export", tags=["data-subject rights"],
     summary="Everything held about the client, as JSON (organiser admin; the read is audited)")
async def data_export(client_id: ClientId, actor: Actor) -> Response[dict[str, Any]]:
    body = await export_client(actor, client_id)
    return Response(body, headers={"Content-Disposition": f'attachment; filename="client-{client_id}.json"'})


@post("/api/v1/clients/{client_id:str}/pseudonymise", tags=["data-subject rights"], status_code=200,
      summary="Pseudonymise the client after the retention period (ledger balances are kept)")
async def pseudonymise_endpoint(client_id: ClientId, data: PseudonymiseRequest, actor: Actor,
                                request: Request) -> Pseudonymised:
    return Pseudonymised(**await pseudonymise_client(actor, client_id, data.reason))


route_handlers = [data_export, pseudonymise_endpoint]
