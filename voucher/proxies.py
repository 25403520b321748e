"""Proxies: the people (a relative, an HB assistant) a client lets act for them, with rights in the
booking's words (``marketplace.booking.domain.PROXY_RIGHTS``) — ``view`` (search and see the
budget), ``book`` (book and cancel) and ``pay`` (confirm or dispute a delivery, dispute a card
payment: voucher.disputes).

Who grants and revokes: counsellors and organiser admins of the client's organiser
(``grant_proxy`` / ``revoke_proxy``, the JSON API), or the client themself (``grant_own_proxy`` /
``revoke_own_proxy``, the client's own proxies page). Every grant and revocation is audited. A
proxy's rights for a client are the union of its active grants (``rights_of``).
"""

import datetime as dt
import json
from typing import Annotated, Any

import msgspec

from core import audit, identity
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import as_uuids, require_uuid
from marketplace.booking.domain import PROXY_RIGHTS
from voucher import access
from voucher.tables import ProxyGrant


class ProxyInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    proxy_user_id: str
    rights: list[str] = msgspec.field(default_factory=lambda: ["view"])
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ProxyRead(msgspec.Struct, kw_only=True):
    id: str
    proxy_user_id: str
    rights: list[str]
    granted_at: dt.datetime
    revoked_at: dt.datetime | None
    # Who the proxy is (their account's name and e-mail; empty if the account is gone).
    proxy_name: str = ""
    proxy_email: str = ""


class ProxiedClient(msgspec.Struct, frozen=True, kw_only=True):
    """A client a proxy acts for, with the rights the proxy holds for them."""

    client_id: str
    display_name: str
    organiser_id: str
    rights: tuple[str, ...]


def _rights(value: Any) -> list[str]:
    return list(json.loads(value) if isinstance(value, str) else value or [])


async def _reads(rows: list[dict]) -> list[ProxyRead]:
    people = await identity.users_by_id({r["proxy_user_id"] for r in rows})
    out = []
    for row in rows:
        person = people.get(str(row["proxy_user_id"]))
        out.append(ProxyRead(id=str(row["id"]), proxy_user_id=str(row["proxy_user_id"]), rights=_rights(row["rights"]),
                             granted_at=row["granted_at"], revoked_at=row["revoked_at"],
                             proxy_name=person.display_name if person else "", proxy_email=person.email if person else ""))
    return out


async def _read(grant_id: Any) -> ProxyRead:
    return (await _reads([await ProxyGrant.select().where(ProxyGrant.id == grant_id).first().run()]))[0]


def _valid_rights(rights: list[str]) -> list[str]:
    if not rights or any(r not in PROXY_RIGHTS for r in rights):
        raise Invalid("field.choice", field="rights", choices=", ".join(PROXY_RIGHTS))
    return sorted(set(rights))


async def _grant(actor: Actor, client: dict, data: ProxyInput, **by: str) -> ProxyRead:
    rights = _valid_rights(data.rights)
    proxy_user_id = require_uuid(data.proxy_user_id)
    grant = ProxyGrant(client=client["id"], proxy_user_id=proxy_user_id, rights=rights, granted_by=actor.user_id,
                       reason=data.reason)
    await ProxyGrant.insert(grant).run()
    await audit.record(actor, "voucher.proxy.granted", "client", client["id"], organiser_id=client["organiser_id"],
                       reason=data.reason, details={"proxy_user_id": str(proxy_user_id), "rights": rights, **by})
    return await _read(grant.id)


async def _revoke(actor: Actor, client: dict, row: dict, reason: str, now: dt.datetime | None, **by: str) -> bool:
    """End an active grant; False (and nothing audited) if it had ended already."""
    ended = await ProxyGrant.update({ProxyGrant.revoked_at: now or utcnow()}).where(
        (ProxyGrant.id == row["id"]) & ProxyGrant.revoked_at.is_null()).returning(ProxyGrant.id).run()
    if ended:
        await audit.record(actor, "voucher.proxy.revoked", "client", client["id"], organiser_id=client["organiser_id"],
                           reason=reason, details={"proxy_user_id": str(row["proxy_user_id"]), **by})
    return bool(ended)


async def _grant_row(grant_id: Any) -> dict:
    row = await ProxyGrant.select().where(ProxyGrant.id == require_uuid(grant_id)).first().run()
    if not row:
        raise NotFound()
    return row


# --- Granted by the client's counsellor or organiser admin ------------------------------------


async def grant_proxy(actor: Actor, client_id: Any, data: ProxyInput) -> ProxyRead:
    _valid_rights(data.rights)

    async def op() -> ProxyRead:
        return await _grant(actor, await access.client_to_change(actor, client_id), data)

    return await in_write_transaction(op)


async def revoke_proxy(actor: Actor, grant_id: Any, reason: str = "") -> ProxyRead:
    """End the grant (again: nothing changes, nothing more is audited) and show it."""

    async def op() -> ProxyRead:
        row = await _grant_row(grant_id)
        await _revoke(actor, await access.client_to_change(actor, row["client"]), row, reason, None)
        return await _read(row["id"])

    return await in_write_transaction(op)


async def proxies_of(actor: Actor, client_id: Any) -> list[ProxyRead]:
    """Every grant of the client, ended ones too, with who the proxies are; the read is audited."""
    client = await access.client_to_read(actor, client_id, "proxies")
    return await _reads(await ProxyGrant.select().where(ProxyGrant.client == client["id"]).order_by(
        ProxyGrant.granted_at).run())


# --- Granted by accepting an invitation -------------------------------------------------------


async def grant_on_invitation(client: dict, proxy_user_id: Any, rights: list[str], *, granted_by: Any,
                              invitation_id: str) -> None:
    """The grant a proxy's accepted invitation gives (``voucher.invitations``: the inviter was
    allowed to invite, the rights were checked then). In the caller's write transaction; audited
    as a grant by the inviter through the invitation."""
    rights = _valid_rights(rights)
    await ProxyGrant.insert(ProxyGrant(client=client["id"], proxy_user_id=require_uuid(proxy_user_id), rights=rights,
                                       granted_by=granted_by, reason="invitation")).run()
    inviter = Actor(user_id=str(granted_by) if granted_by else None, role="system", display_name="invitation")
    await audit.record(inviter, "voucher.proxy.granted", "client", client["id"], organiser_id=client["organiser_id"],
                       reason="invitation", details={"proxy_user_id": str(proxy_user_id), "rights": rights,
                                                     "invitation_id": invitation_id})


# --- Granted by the client themself -----------------------------------------------------------


async def _own_client(actor: Actor) -> dict:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "client" or not actor.client_id:
        raise Forbidden()
    return await access.load_client(actor.client_id)


async def grant_own_proxy(actor: Actor, data: ProxyInput) -> ProxyRead:
    """The client grants a proxy rights for themself (audited ``by: client``). Inside the caller's
    write transaction if one is open (e.g. to replace an earlier grant in the same step)."""
    _valid_rights(data.rights)

    async def op() -> ProxyRead:
        return await _grant(actor, await _own_client(actor), data, by="client")

    return await in_write_transaction(op)


async def revoke_own_proxy(actor: Actor, grant_id: Any, now: dt.datetime | None = None) -> None:
    """The client ends one of their proxies' grants (audited ``by: client``); not the client's
    grant, or ended already: NotFound."""

    async def op() -> None:
        client = await _own_client(actor)
        row = await _grant_row(grant_id)
        if str(row["client"]) != str(client["id"]) or not await _revoke(actor, client, row, "", now, by="client"):
            raise NotFound()

    await in_write_transaction(op)


# --- Reads for the other packages (the caller checked who may see them) -------------------------


async def active_proxies(client_id: Any) -> list[ProxyRead]:
    """The client's grants in force, oldest first, with who the proxies are."""
    return await _reads(await ProxyGrant.select().where(
        (ProxyGrant.client == require_uuid(client_id)) & ProxyGrant.revoked_at.is_null()
    ).order_by(ProxyGrant.granted_at).run())


class GrantBrief(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    client_id: str
    proxy_user_id: str
    granted_at: dt.datetime


async def grants_in_force(client_ids: list[Any]) -> list[GrantBrief]:
    """The grants in force for any of these clients (who acts for whom since when), oldest first."""
    ids = as_uuids(client_ids)
    if not ids:
        return []
    rows = await ProxyGrant.select(ProxyGrant.id, ProxyGrant.client, ProxyGrant.proxy_user_id, ProxyGrant.granted_at).where(
        ProxyGrant.client.is_in(ids) & ProxyGrant.revoked_at.is_null()).order_by(ProxyGrant.granted_at).run()
    return [GrantBrief(id=str(r["id"]), client_id=str(r["client"]), proxy_user_id=str(r["proxy_user_id"]),
                       granted_at=r["granted_at"]) for r in rows]


async def proxy_user_ids(client_id: Any) -> list[str]:
    """The accounts that hold an active grant for the client."""
    rows = await ProxyGrant.select(ProxyGrant.proxy_user_id).where(
        (ProxyGrant.client == require_uuid(client_id)) & ProxyGrant.revoked_at.is_null()).run()
    return sorted({str(r["proxy_user_id"]) for r in rows})


async def acting_for(actor: Actor, client_id: Any, right: str) -> str:
    """How ``actor`` stands to the client for an act that needs the proxy right ``right``:
    ``client`` (the client themself), ``proxy`` (a grant in force that includes it), ``no_right`` (a
    proxy of the client's whose grant lacks it) or ``""`` (neither). The callers decide what each
    answer means to the person asking (403, or 404 so a payment's existence is not told)."""
    if actor.role == "client":
        return "client" if actor.client_id and str(actor.client_id) == str(client_id) else ""
    if actor.role != "proxy" or not actor.user_id:
        return ""
    rights = await rights_of(actor.user_id, client_id)
    return "proxy" if right in rights else ("no_right" if rights else "")


async def rights_of(proxy_user_id: Any, client_id: Any) -> set[str]:
    """The rights the proxy holds for the client now (the union of its active grants)."""
    try:
        user, client = require_uuid(proxy_user_id), require_uuid(client_id)
    except NotFound:
        return set()
    rows = await ProxyGrant.select(ProxyGrant.rights).where(
        (ProxyGrant.client == client) & (ProxyGrant.proxy_user_id == user) & ProxyGrant.revoked_at.is_null()).run()
    return {right for row in rows for right in _rights(row["rights"])}


async def clients_of_proxy(proxy_user_id: Any) -> list[ProxiedClient]:
    """The clients the proxy acts for now, by name, with the rights held for each."""
    try:
        user = require_uuid(proxy_user_id)
    except NotFound:
        return []
    rows = await ProxyGrant.select(
        ProxyGrant.client, ProxyGrant.rights, ProxyGrant.client.display_name, ProxyGrant.client.organiser_id,
    ).where((ProxyGrant.proxy_user_id == user) & ProxyGrant.revoked_at.is_null()).order_by(
        ProxyGrant.client.display_name).run()
    merged: dict[str, tuple[dict, set[str]]] = {}
    for row in rows:
        merged.setdefault(str(row["client"]), (row, set()))[1].update(_rights(row["rights"]))
    return [ProxiedClient(client_id=key, display_name=row["client.display_name"],
                          organiser_id=str(row["client.organiser_id"]), rights=tuple(sorted(rights)))
            for key, (row, rights) in merged.items()]


async def proxies_in_county(organiser_id: Any) -> list[str]:
    """The accounts that act, by a grant in force, for any client of the organiser."""
    rows = await ProxyGrant.select(ProxyGrant.proxy_user_id).where(
        (ProxyGrant.client.organiser_id == require_uuid(organiser_id)) & ProxyGrant.revoked_at.is_null()).run()
    return sorted({str(r["proxy_user_id"]) for r in rows})
