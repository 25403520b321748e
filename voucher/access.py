"""Who may see or change a client's budget, cards and plan.

* the client themself, and a proxy with an active grant: read;
* counsellors and organiser admins of the client's organiser: read and change.

Every read of a client's data is written to the audit log (Finnish law requires access logs).
"""

from typing import Any

from core import audit
from core.errors import Forbidden, NotFound, Unauthenticated
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from voucher.tables import Client, ProxyGrant

STAFF_ROLES = ("counsellor", "organiser_admin")


def is_staff_of(actor: Actor, organiser_id: Any) -> bool:
    return actor.role in STAFF_ROLES and actor.organiser_id is not None and str(actor.organiser_id) == str(organiser_id)


def require_staff(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role not in STAFF_ROLES or not actor.organiser_id:
        raise Forbidden()


def county_rules_of(actor: Actor, organiser_id: Any) -> Any:
    """The county whose own rules ``actor`` may set (card rules, HB classes and tariffs, client-fee
    rules): its own organiser admin's, or any for the platform's operator (``hb import`` runs as one
    without an account). Anyone else: 403; no such id: 404."""
    if actor.role not in ("organiser_admin", "platform_admin"):
        raise Forbidden()
    oid = as_uuid(organiser_id)
    if oid is None:
        raise NotFound()
    if actor.role == "organiser_admin" and str(oid) != str(actor.organiser_id):
        raise Forbidden()
    return oid


async def load_client(client_id: Any) -> dict:
    """The client row (no access check: the caller made it)."""
    row = await Client.select().where(Client.id == require_uuid(client_id)).first().run()
    if not row:
        raise NotFound()
    return row


async def client_to_change(actor: Actor, client_id: Any) -> dict:
    require_staff(actor)
    row = await load_client(client_id)
    if not is_staff_of(actor, row["organiser_id"]):
        raise NotFound()
    return row


async def client_to_read(actor: Actor, client_id: Any, purpose: str) -> dict:
    """The client row if ``actor`` may read it; the read is audited."""
    if actor.is_anonymous:
        raise Unauthenticated()
    row = await load_client(client_id)
    allowed = is_staff_of(actor, row["organiser_id"]) or (
        actor.role == "client" and actor.client_id is not None and str(actor.client_id) == str(row["id"])
    )
    if not allowed and actor.role == "proxy" and actor.user_id:
        allowed = bool(
            await ProxyGrant.count().where(
                (ProxyGrant.client == row["id"])
                & (ProxyGrant.proxy_user_id == actor.user_id)
                & ProxyGrant.revoked_at.is_null()
            ).run()
        )
    if not allowed:
        # Staff of other organisers and providers are not told whether the client exists.
        raise Forbidden() if actor.role in ("client", "proxy") else NotFound()
    await audit.client_data_read(actor, row["id"], purpose, organiser_id=row["organiser_id"])
    return row
