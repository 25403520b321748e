"""A client grants a proxy (a relative or an HB assistant) the right to search and see the budget
(``view``), to book (``book``) and to confirm or dispute a delivery (``pay``) for them; and takes it
back. The grants are the voucher's (``voucher.proxies``, through voucher_port)."""

import datetime as dt
from typing import Any

from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from marketplace.booking import voucher_port as port
from marketplace.booking.schemas import ProxyGrantInput


async def _own_client(actor: Actor, purpose: str) -> dict:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "client" or not actor.client_id:
        raise Forbidden()
    return await port.client_to_read(actor, actor.client_id, purpose)


async def grants(actor: Actor) -> list[port.ProxyGrantRead]:
    client = await _own_client(actor, "proxies")
    return await port.grants_of(client["id"])


async def grant(actor: Actor, data: ProxyGrantInput) -> str:
    rights = sorted(set(data.rights))
    errors = []
    if not rights or any(r not in port.PROXY_RIGHTS for r in rights):
        errors.append(FieldError(field="rights", key="booking.error.rights"))
    proxy = await port.proxy_user_by_email(data.proxy_email)
    if proxy is None:
        errors.append(FieldError(field="proxy_email", key="booking.error.no_such_proxy"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    client = await _own_client(actor, "proxies")

    async def op() -> str:
        # A new grant replaces the proxy's earlier one, so the rights shown are the rights held.
        for existing in await port.grants_of(client["id"]):
            if existing.proxy_user_id == proxy.id:
                await port.revoke_by_client(actor, existing.id, dt.datetime.now(dt.timezone.utc))
        return await port.grant_by_client(actor, proxy.id, rights)

    return await in_write_transaction(op)


async def revoke(actor: Actor, grant_id: Any) -> None:
    await _own_client(actor, "proxies")
    await port.revoke_by_client(actor, grant_id, dt.datetime.now(dt.timezone.utc))


async def clients_for(actor: Actor) -> list[port.ProxiedClient]:
    """The clients a proxy acts for, with the rights each granted."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role != "proxy" or not actor.user_id:
        raise Forbidden()
    return await port.clients_of_proxy(actor.user_id)
