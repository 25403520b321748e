"""A client grants a proxy (a relative or an HB assistant) the right to search and see the budget
(``view``), to book (``book``) and to confirm or dispute a delivery (``pay``) for them; and takes it
back. The grants are kept by the voucher (asked through marketplace.booking.ports)."""

import datetime as dt
from typing import Any

from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from marketplace.booking import domain, people
from marketplace.booking.ports import ClientRef, ProxiedClient, ProxyGrant, voucher
from marketplace.booking.schemas import ProxyGrantInput


async def _own_client(actor: Actor, purpose: str) -> ClientRef:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "client" or not actor.client_id:
        raise Forbidden()
    return await voucher().client_to_read(actor, actor.client_id, purpose)


async def grants(actor: Actor) -> list[ProxyGrant]:
    client = await _own_client(actor, "proxies")
    return await voucher().grants_of(client.id)


async def grant(actor: Actor, data: ProxyGrantInput, now: dt.datetime | None = None) -> str:
    now = now or utcnow()
    rights = sorted(set(data.rights))
    errors = []
    if not rights or any(r not in domain.PROXY_RIGHTS for r in rights):
        errors.append(FieldError(field="rights", key="booking.error.rights"))
    proxy = await people.proxy_user_by_email(data.proxy_email)
    if proxy is None:
        errors.append(FieldError(field="proxy_email", key="booking.error.no_such_proxy"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    client = await _own_client(actor, "proxies")

    async def op() -> str:
        # A new grant replaces the proxy's earlier one, so the rights shown are the rights held.
        for existing in await voucher().grants_of(client.id):
            if str(existing.proxy_user_id) == proxy.id:
                await voucher().revoke_by_client(actor, existing.id, now)
        return await voucher().grant_by_client(actor, proxy.id, rights)

    return await in_write_transaction(op)


async def revoke(actor: Actor, grant_id: Any, now: dt.datetime | None = None) -> None:
    await _own_client(actor, "proxies")
    await voucher().revoke_by_client(actor, grant_id, now or utcnow())


async def clients_for(actor: Actor) -> list[ProxiedClient]:
    """The clients a proxy acts for, with the rights each granted."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "proxy" or not actor.user_id:
        raise Forbidden()
    return await voucher().clients_of_proxy(actor.user_id)
