"""Whom a booking tells: the provider's staff, the organiser's admins, the client's own accounts and
their proxies (core.identity's users; the proxies' grants are the voucher's, through ports)."""

from typing import Any

from core import identity
from core.identity import UserBrief
from marketplace.booking.ports import voucher


async def provider_staff(provider_id: Any) -> list[UserBrief]:
    return await identity.users_with("provider_staff", provider_id=provider_id)


async def organiser_admins(organiser_id: Any) -> list[UserBrief]:
    return await identity.users_with("organiser_admin", organiser_id=organiser_id)


async def client_side_users(client_id: Any) -> list[UserBrief]:
    """The client's own accounts and their proxies with an active grant."""
    own = await identity.users_with(None, client_id=client_id)
    proxy_ids = [i for i in await voucher().proxy_user_ids(client_id) if i not in {u.id for u in own}]
    return own + (await identity.users_with(None, user_ids=proxy_ids) if proxy_ids else [])


async def proxy_user_by_email(email: str) -> UserBrief | None:
    return await identity.user_by_email(email, role="proxy")
