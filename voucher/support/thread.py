"""The client's message thread with the county's counsellors (docs/decisions/0035).

One thread per client. On the client's side write the client and every proxy with a grant in force;
on the other, the counsellors of the client's county. Anyone else — another county's staff, a proxy
of someone else, a provider — is told nothing (404); the county's organiser admins are not in the
thread (403). Every read of the thread is a logged read of the client's data; opening it marks the
other side's messages read. A message written tells the other side by the notification outbox
(``marketplace.notifications``): "you have a new message" and the link, never the text. Bodies are
never logged or audited: the audit entry says a message was sent and how long it was.
"""

import datetime as dt
import uuid
from typing import Any

import msgspec

from core import audit, identity
from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor, UserBrief
from marketplace import notifications
from voucher import access, proxies
from voucher.disputes.notice import client_side
from voucher.support import domain
from voucher.tables import ClientMessage

NOTICE = "client_message"


class MessageRead(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    client_id: uuid.UUID
    # client | proxy | counsellor, the writer's name as it was, and the writer's side (client | staff)
    author_role: str
    author_label: str
    side: str
    body: str
    created_at: dt.datetime
    # When the other side first opened the thread after it (None: not yet).
    read_at: dt.datetime | None


class ThreadPage(msgspec.Struct, kw_only=True):
    client_id: uuid.UUID
    client_label: str
    items: list[MessageRead]
    total: int
    page: int
    per_page: int


class MessageCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    body: str


class Party(msgspec.Struct, frozen=True, kw_only=True):
    client: dict
    side: str
    role: str


async def party(actor: Actor, client_id: Any) -> Party:
    """How ``actor`` stands to the client's thread, or 404 (403 for the county's admins)."""
    if actor.is_anonymous:
        raise Unauthenticated()
    client = await access.load_client(client_id)
    if actor.role == domain.BOOKING_ROLE and access.is_staff_of(actor, client["organiser_id"]):
        return Party(client=client, side=domain.STAFF_SIDE, role=actor.role)
    if actor.role == "organiser_admin" and access.is_staff_of(actor, client["organiser_id"]):
        raise Forbidden()
    standing = await proxies.acting_for(actor, client["id"], "view")
    if standing == "client":
        return Party(client=client, side=domain.CLIENT_SIDE, role="client")
    if standing in ("proxy", "no_right"):  # any grant in force: the thread is the client's side's
        return Party(client=client, side=domain.CLIENT_SIDE, role="proxy")
    raise NotFound()


def _read(row: dict) -> MessageRead:
    return msgspec.convert({**row, "client_id": row["client"]}, MessageRead, strict=False)


async def thread(actor: Actor, client_id: Any, *, page: int = 1, per_page: int = 20,
                 now: dt.datetime) -> ThreadPage:
    """A page of the thread, newest first; a logged read that marks the other side's messages read."""
    who = await party(actor, client_id)
    client = who.client

    async def op() -> ThreadPage:
        await audit.client_data_read(actor, client["id"], "messages", organiser_id=client["organiser_id"])
        await ClientMessage.update({ClientMessage.read_at: now}).where(
            (ClientMessage.client == client["id"]) & (ClientMessage.side != who.side)
            & ClientMessage.read_at.is_null()).run()
        where = ClientMessage.client == client["id"]
        total = await ClientMessage.count().where(where).run()
        rows = await ClientMessage.select().where(where).order_by(ClientMessage.created_at, ascending=False).limit(
            per_page).offset((page - 1) * per_page).run()
        return ThreadPage(client_id=client["id"], client_label=client["display_name"], items=[_read(r) for r in rows],
                          total=total, page=page, per_page=per_page)

    return await in_write_transaction(op)


async def unread(client_id: Any, side: str) -> int:
    """How many of the other side's messages ``side`` has not opened yet (the caller checked access)."""
    return await ClientMessage.count().where(
        (ClientMessage.client == client_id) & (ClientMessage.side != side) & ClientMessage.read_at.is_null()).run()


async def send(actor: Actor, client_id: Any, data: MessageCreate, *, now: dt.datetime) -> MessageRead:
    """Write a message to the thread and tell the other side (without the text); audited."""
    who = await party(actor, client_id)
    client = who.client
    key = domain.body_error(data.body)
    if key:
        raise Invalid("error.validation", field="body",
                      errors=[FieldError(field="body", key=key, params={"max": domain.BODY_MAX})])
    body = data.body.strip()

    async def op() -> MessageRead:
        row = ClientMessage(id=uuid.uuid4(), client=client["id"], organiser_id=client["organiser_id"],
                            author_id=actor.user_id, author_role=who.role, author_label=actor.display_name[:200],
                            side=who.side, body=body, created_at=now)
        await ClientMessage.insert(row).run()
        # The audit log keeps that a message was written, never what it says.
        await audit.record(actor, "voucher.message.sent", "client", client["id"], organiser_id=client["organiser_id"],
                           on_behalf_of=client["id"] if who.role == "proxy" else None,
                           details={"message_id": str(row.id), "side": who.side, "chars": len(body)})
        await _notify(who, client, now)
        return _read({**row.to_dict(), "client": client["id"]})

    return await in_write_transaction(op)


async def _notify(who: Party, client: dict, now: dt.datetime) -> None:
    """Tell the other side there is a message: the client's own counsellor (or, when the client has
    none, the county's counsellors), or the client's accounts and proxies. The text stays in the app."""
    recipients: list[tuple[UserBrief, str]]
    if who.side == domain.CLIENT_SIDE:
        ids = [client["counsellor_id"]] if client["counsellor_id"] else None
        staff = await identity.users_with(domain.BOOKING_ROLE, organiser_id=client["organiser_id"], user_ids=ids)
        if not staff and ids:
            staff = await identity.users_with(domain.BOOKING_ROLE, organiser_id=client["organiser_id"])
        recipients = [(u, f"/counsellor/clients/{client['id']}/messages") for u in staff]
    else:
        users, proxy_ids = await client_side(client["id"])
        recipients = [(u, f"/messages?client={client['id']}" if u.id in proxy_ids else "/messages") for u in users]
    for user, path in recipients:
        await notifications.notify_user(NOTICE, {"id": user.id, "email": user.email, "language": user.language},
                                        {"path": path}, now=now)
