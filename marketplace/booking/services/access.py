"""How an actor stands to a booking: its client (or their proxy, with the rights the client gave),
staff of the booked provider, the client's organiser, or the platform itself; and who may rate it."""

from collections.abc import Mapping
from typing import Any

import msgspec

from core.errors import Forbidden
from core.identity import Actor
from marketplace import catalogue
from marketplace.booking import domain
from marketplace.booking.ports import voucher
from marketplace.booking.services.records import load

# The platform's own hand: the dispute-window clock (auto_complete).
SYSTEM = Actor(role="system", display_name="HB platform")


class Side(msgspec.Struct, frozen=True, kw_only=True):
    """How an actor stands to a booking."""

    side: str | None
    # The client a proxy acts for (None otherwise).
    on_behalf_of: str | None = None
    proxy_rights: frozenset[str] = frozenset()
    # A proxy who works for the booked provider may not act for the client there.
    proxy_is_staff: bool = False
    # Counsellors of the client's organiser may read bookings (never act on them).
    may_read: bool = False


async def side_of(actor: Actor, booking: Mapping[str, Any]) -> Side:
    """``booking``: its row, or at least its ``client_id``, ``provider_id`` and ``organiser_id``."""
    if actor.is_anonymous:
        return Side(side=None)
    if actor.role == "client" and actor.client_id and str(actor.client_id) == str(booking["client_id"]):
        return Side(side=domain.CLIENT, may_read=True)
    if actor.role == "proxy" and actor.user_id:
        rights = await voucher().proxy_rights(actor.user_id, booking["client_id"])
        if rights:
            return Side(side=domain.CLIENT, on_behalf_of=str(booking["client_id"]), proxy_rights=frozenset(rights),
                        proxy_is_staff=await catalogue.works_for_provider(actor.user_id, booking["provider_id"]),
                        may_read=True)
    if actor.role == "provider_staff" and actor.provider_id and str(actor.provider_id) == str(booking["provider_id"]):
        return Side(side=domain.PROVIDER, may_read=True)
    if actor.organiser_id and str(actor.organiser_id) == str(booking["organiser_id"]):
        if actor.role == "organiser_admin":
            return Side(side=domain.ORGANISER, may_read=True)
        if actor.role == "counsellor":
            return Side(side=None, may_read=True)
    if actor.role == "system":
        return Side(side=domain.SYSTEM, may_read=True)
    return Side(side=None)


def require(side: Side, transition: domain.Transition) -> None:
    """Refuse (403) an actor whose side may not make ``transition``."""
    if side.side != transition.side:
        raise Forbidden("booking.error.not_your_action")
    if side.on_behalf_of:
        if transition.proxy_right and transition.proxy_right not in side.proxy_rights:
            raise Forbidden("booking.error.proxy_right")
        if side.proxy_is_staff:
            raise Forbidden("booking.error.proxy_is_staff")


# A review speaks for the client (its score counts in the organiser's follow-up): a proxy writes
# one only with the right to confirm or dispute the delivery.
REVIEW_PROXY_RIGHT = "pay"


def may_review(side: Side) -> bool:
    """May this side rate the booking: its client, or their proxy holding ``pay`` who does not
    work for the provider (the booking's state is the caller's to check)."""
    if side.side != domain.CLIENT or side.proxy_is_staff:
        return False
    return not side.on_behalf_of or REVIEW_PROXY_RIGHT in side.proxy_rights


async def require_review_right(actor: Actor, booking_id: Any) -> None:
    """Refuse (403) a proxy without ``pay`` before a page validates its review form (``reviews.write``
    checks the same itself)."""
    side = await side_of(actor, await load(booking_id))
    if side.on_behalf_of and not may_review(side):
        raise Forbidden("booking.error.proxy_right")
