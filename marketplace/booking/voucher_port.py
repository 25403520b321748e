"""What bookings ask the voucher and the identity store — the one place they do.

A booking's money is an authorisation hold in the voucher's ledger, decided by the voucher's own
rules (``voucher.authorisation.authorise_for_client``: the client's active card, its caps, validity,
the provider's and listing's standing, the line and its swap rule) and resolved by its own
``capture_booking_hold`` / ``release_booking_hold``. Proxies are the voucher's
(``voucher.proxies``); the people to notify are core.identity's. Everything here delegates to
those services, in the shapes the booking code uses; nothing here reads another package's tables.
"""

import datetime as dt
from typing import Any

import msgspec

from core import identity
from core.identity import Actor, UserBrief
from marketplace import catalogue
from voucher import access, authorisation, budgets, proxies
from voucher import domain as vdomain

PROXY_RIGHTS = proxies.PROXY_RIGHTS  # view | book | pay

__all__ = [
    "PROXY_RIGHTS", "Hold", "LinePreview", "ProxiedClient", "ProxyGrantRead", "UserBrief", "authorization_status",
    "budget", "capture", "client_side_users", "client_to_read", "clients_of_proxy", "grant_by_client", "grants_of",
    "hold", "organiser_admins", "paying_line", "provider_staff", "proxy_rights", "proxy_user_by_email", "release",
    "revoke_by_client", "works_for_provider",
]


class Hold(msgspec.Struct, frozen=True, kw_only=True):
    approved: bool
    authorization_id: str | None = None
    decline_code: str | None = None
    message: str | None = None
    line_available_cents: int | None = None


# --- Clients and budgets (voucher services) -----------------------------------------------------


async def client_to_read(actor: Actor, client_id: Any, purpose: str) -> dict:
    """The client row (pseudonym, organiser, language) if ``actor`` may read it; audited."""
    return await access.client_to_read(actor, client_id, purpose)


async def budget(client_id: Any, now: dt.datetime):
    """The client's budget right now — the very numbers of the budget API (caller checked access)."""
    return await budgets.budget_for(client_id, now)


class LinePreview(msgspec.Struct, frozen=True, kw_only=True):
    category: str
    available_cents: int


async def paying_line(client_id: Any, category: str, now: dt.datetime) -> LinePreview | None:
    """The line the voucher would take a hold for ``category`` from, and what it has room for."""
    _decision, lines = await budgets.current_lines(client_id, now)
    best: LinePreview | None = None
    by_id = {line.id: line for line in lines}
    for candidate in vdomain.candidate_lines(lines, [category]):
        line = by_id[candidate.line_id]
        room = vdomain.room_cents(line, candidate.swap)
        if best is None or room > best.available_cents:
            best = LinePreview(category=line.category, available_cents=room)
    return best


# --- The hold and its resolution ------------------------------------------------------------------


async def hold(actor: Actor, **request: Any) -> Hold:
    """Authorise a hold on the client's budget for a booking, inside the caller's write transaction,
    with the card's rules and decline codes; ``request``: the keyword arguments of
    ``voucher.authorisation.authorise_for_client`` (client_id, listing_id, amount_cents, expires_at,
    description, now, lang, on_behalf_of). A decline writes nothing (the caller rolls back)."""
    read = await authorisation.authorise_for_client(actor, **request)
    if read.status != vdomain.APPROVED:
        return Hold(approved=False, decline_code=read.decline_code, message=read.message,
                    line_available_cents=read.line_available_cents)
    return Hold(approved=True, authorization_id=read.id, line_available_cents=read.line_available_cents)


async def capture(actor: Actor | None, authorization_id: Any, amount_cents: int, now: dt.datetime) -> str:
    """Capture ``amount_cents`` of the booking's hold (the rest returns to the line); the capture id."""
    return (await authorisation.capture_booking_hold(actor, authorization_id, amount_cents, now)).id


async def release(actor: Actor | None, authorization_id: Any, now: dt.datetime) -> None:
    """Void the booking's hold. A hold that already expired has returned its money: nothing to do."""
    await authorisation.release_booking_hold(actor, authorization_id, now)


async def authorization_status(authorization_id: Any, now: dt.datetime) -> str | None:
    if not authorization_id:
        return None
    return authorisation.to_read(await authorisation.load_for_resolution(authorization_id), now).status


# --- Proxies -------------------------------------------------------------------------------------


async def proxy_rights(user_id: Any, client_id: Any) -> set[str]:
    """The rights the proxy holds for the client now (union of active grants)."""
    return await proxies.rights_of(user_id, client_id)


class ProxiedClient(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    label: str
    organiser_id: str
    rights: tuple[str, ...]


async def clients_of_proxy(user_id: Any) -> list[ProxiedClient]:
    return [ProxiedClient(client_id=c.client_id, label=c.display_name, organiser_id=c.organiser_id, rights=c.rights)
            for c in await proxies.clients_of_proxy(user_id)]


ProxyGrantRead = proxies.ProxyRead


async def grants_of(client_id: Any) -> list[ProxyGrantRead]:
    """The client's active proxy grants with who the proxies are (caller checked access)."""
    return await proxies.active_proxies(client_id)


async def grant_by_client(actor: Actor, proxy_user_id: Any, rights: list[str]) -> str:
    """The client themself grants a proxy rights (audited; inside the caller's transaction)."""
    read = await proxies.grant_own_proxy(actor, proxies.ProxyInput(proxy_user_id=str(proxy_user_id), rights=rights))
    return read.id


async def revoke_by_client(actor: Actor, grant_id: Any, now: dt.datetime) -> None:
    """The client ends a grant of theirs (not theirs, or ended already: NotFound)."""
    await proxies.revoke_own_proxy(actor, grant_id, now)


# --- Users (core.identity) ------------------------------------------------------------------------


async def provider_staff(provider_id: Any) -> list[UserBrief]:
    return await identity.users_with("provider_staff", provider_id=provider_id)


async def organiser_admins(organiser_id: Any) -> list[UserBrief]:
    return await identity.users_with("organiser_admin", organiser_id=organiser_id)


async def client_side_users(client_id: Any) -> list[UserBrief]:
    """The client's own accounts and their proxies with an active grant."""
    own = await identity.users_with(None, client_id=client_id)
    proxy_ids = [i for i in await proxies.proxy_user_ids(client_id) if i not in {u.id for u in own}]
    return own + (await identity.users_with(None, user_ids=proxy_ids) if proxy_ids else [])


async def proxy_user_by_email(email: str) -> UserBrief | None:
    return await identity.user_by_email(email, role="proxy")


async def works_for_provider(user_id: Any, provider_id: Any) -> bool:
    """Is this person staff of the provider? (core.identity's rule, shared with the organiser's
    anomaly ``proxy_is_provider_staff``, asked with the provider's e-mail by the catalogue.)"""
    return await catalogue.works_for_provider(user_id, provider_id)
