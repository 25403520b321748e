"""What bookings ask the voucher and the identity store — the one place they do.

A booking's money is an authorisation hold in the voucher's ledger, decided by the voucher's own
rules (``decide_and_hold``: card status and caps, validity, the provider's and listing's standing,
the line and its swap rule) and resolved by its own ``capture_hold`` / ``release_hold``.

INTERIM (see marketplace/BOOKING_NEEDS.md): the voucher authorises a card by its token, which the
booking flow never has. Until it offers ``authorise_for_client(...)``, ``hold`` below finds the
client's active card by client id and writes the authorisation the way ``authorise_once`` does —
the only place outside the voucher that writes its tables, marked ``# INTERIM`` line by line.
The same goes for the few reads the voucher and core.identity have no function for yet
(a proxy's rights per client, the proxies a client has, users to notify). Each becomes a one-line
delegation when its service exists; nothing else in the marketplace changes.
"""

import datetime as dt
import json
import uuid
from typing import Any

import msgspec
from piccolo.querystring import QueryString

from core import audit, db, i18n
from core.errors import NotFound
from core.identity import Actor
from voucher import access, authorisation, budgets, ledger, marketplace_port, plans
from voucher import domain as vdomain
from voucher.authorisation.authorise import Snapshot, decide_and_hold
from voucher.messages import decline_key

PROXY_RIGHTS = plans.PROXY_RIGHTS  # view | book | pay


class Hold(msgspec.Struct, frozen=True, kw_only=True):
    approved: bool
    authorization_id: str | None = None
    decline_code: str | None = None
    message: str | None = None
    line_available_cents: int | None = None


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


async def _rows(sql: str, *args: Any) -> list[dict]:
    return list(await db.engine().run_querystring(QueryString(sql, *args)) or [])


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

# INTERIM: the voucher's snapshot, found by the client's active card instead of a card token.
_CARD_SQL = (
    """
SELECT c.id AS card_id, c.status AS card_status, c.per_transaction_limit_cents AS per_tx,
       c.daily_limit_cents AS daily, c.spend_day, c.spend_day_cents,
       cl.id AS client_id, cl.organiser_id, cl.language,
       d.id AS decision_id, d.start AS d_start, d."end" AS d_end,"""
    + ledger.LINE_STATE_SQL
    + """FROM vc_card c
JOIN vc_client cl ON cl.id = c.client
LEFT JOIN vc_budget_decision d
  ON d.client = cl.id AND d.status = 'active' AND d.start <= {} AND d."end" >= {}
LEFT JOIN vc_budget_line l ON l.decision = d.id
WHERE c.client = {} AND c.status <> 'closed'
ORDER BY c.status = 'active' DESC, c.created_at DESC, d.start DESC, l.position
"""
)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


async def _snapshot(client_id: Any, today: dt.date, now: dt.datetime) -> Snapshot:
    rows = await _rows(_CARD_SQL, now, now, today, today, _uuid(client_id))
    if not rows:
        return Snapshot()
    first = rows[0]
    card_rows = [r for r in rows if r["card_id"] == first["card_id"]]
    decision_id = first["decision_id"]
    return Snapshot(
        card_id=str(first["card_id"]),
        card_status=first["card_status"],
        client_id=str(first["client_id"]),
        organiser_id=str(first["organiser_id"]),
        language=first["language"],
        per_tx=first["per_tx"],
        daily=first["daily"],
        day_used=first["spend_day_cents"] if _as_date(first["spend_day"]) == today else 0,
        decision_start=_as_date(first["d_start"]) if decision_id else None,
        decision_end=_as_date(first["d_end"]) if decision_id else None,
        lines=tuple(ledger.line_state(r) for r in card_rows if r["line_id"] is not None and r["decision_id"] == decision_id),
    )


async def hold(
    actor: Actor,
    *,
    client_id: Any,
    listing_id: Any,
    amount_cents: int,
    expires_at: dt.datetime,
    description: str,
    now: dt.datetime,
    lang: str,
    on_behalf_of: Any = None,
) -> Hold:
    """Authorise a hold on the client's budget for a booking, inside the caller's write transaction,
    with the card's rules and decline codes. A decline writes nothing (the caller rolls back)."""
    from voucher.tables import Authorization  # INTERIM: until voucher.authorise_for_client exists

    today = vdomain.helsinki_date(now)
    snap = await _snapshot(client_id, today, now)
    seller = None
    if snap.card_status == "active" and vdomain.within_validity(today, snap.decision_start, snap.decision_end):
        seller = await marketplace_port.seller_facts(None, snap.organiser_id, listing_id)
    outcome = await decide_and_hold(snap, seller, amount_cents, today, now)
    if not outcome.approved:
        code = outcome.code or vdomain.CARD_INACTIVE
        return Hold(approved=False, decline_code=code, message=i18n.t(decline_key(code), lang),
                    line_available_cents=outcome.line_available_cents)
    provider = _uuid(seller.provider_id)
    auth = Authorization(  # INTERIM: the row authorise_once writes, with source 'booking'
        card_id=snap.card_id, client_id=snap.client_id, organiser_id=snap.organiser_id, provider_id=provider,
        listing_id=_uuid(listing_id), amount_cents=amount_cents, description=description,
        source=authorisation.ORGANISER_SOURCE, actor_user_id=actor.user_id, created_at=now,
        line_available_cents=outcome.line_available_cents, status=vdomain.APPROVED, line_id=outcome.line_id,
        swap=outcome.swap, category=outcome.category, expires_at=expires_at, hold_transfer_id=uuid.uuid4(),
    )
    await Authorization.insert(auth).run()
    await ledger.record(ledger.HOLD, ledger.line_account(outcome.line_id), ledger.payable_account(provider),
                        amount_cents, status="pending", now=now, id=auth.hold_transfer_id, expires_at=expires_at,
                        authorization_id=auth.id)
    await audit.record(actor, "voucher.authorization.approved", "authorization", auth.id,
                       organiser_id=snap.organiser_id, on_behalf_of=on_behalf_of,
                       details={"amount_cents": amount_cents, "line_id": outcome.line_id, "provider_id": str(provider),
                                "source": authorisation.ORGANISER_SOURCE})
    return Hold(approved=True, authorization_id=str(auth.id), line_available_cents=outcome.line_available_cents)


async def _authorization(authorization_id: Any) -> dict:
    from voucher.tables import Authorization  # INTERIM: voucher's load_authorization needs a payer

    row = await Authorization.select().where(Authorization.id == _uuid(authorization_id)).first().run()
    if not row:
        raise NotFound()
    return row


async def capture(actor: Actor | None, authorization_id: Any, amount_cents: int, now: dt.datetime) -> str:
    """Capture ``amount_cents`` of the booking's hold (the rest returns to the line); the capture id."""
    read = await authorisation.capture_hold(actor, await _authorization(authorization_id), amount_cents, now)
    return read.id


async def release(actor: Actor | None, authorization_id: Any, now: dt.datetime) -> None:
    """Void the booking's hold. A hold that already expired has returned its money: nothing to do."""
    auth = await _authorization(authorization_id)
    if auth["status"] == vdomain.APPROVED and auth["expires_at"] <= now:
        return
    if auth["status"] in (vdomain.VOIDED, vdomain.EXPIRED):
        return
    await authorisation.release_hold(actor, auth, vdomain.VOIDED, now)


async def authorization_status(authorization_id: Any, now: dt.datetime) -> str | None:
    if not authorization_id:
        return None
    return authorisation.to_read(await _authorization(authorization_id), now).status


# --- Proxies -------------------------------------------------------------------------------------


async def proxy_rights(user_id: Any, client_id: Any) -> set[str]:
    """The rights the proxy holds for the client now (union of active grants)."""
    rows = await _rows(  # INTERIM: voucher.plans has no reader by proxy yet
        "SELECT rights FROM vc_proxy_grant WHERE client = {} AND proxy_user_id = {} AND revoked_at IS NULL",
        _uuid(client_id), _uuid(user_id),
    )
    rights: set[str] = set()
    for row in rows:
        value = row["rights"]
        rights.update(json.loads(value) if isinstance(value, str) else value or [])
    return rights


class ProxiedClient(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    label: str
    organiser_id: str
    rights: tuple[str, ...]


async def clients_of_proxy(user_id: Any) -> list[ProxiedClient]:
    rows = await _rows(  # INTERIM
        """SELECT g.client AS client_id, g.rights, c.display_name, c.organiser_id FROM vc_proxy_grant g
JOIN vc_client c ON c.id = g.client WHERE g.proxy_user_id = {} AND g.revoked_at IS NULL ORDER BY c.display_name""",
        _uuid(user_id),
    )
    merged: dict[str, ProxiedClient] = {}
    for row in rows:
        value = row["rights"]
        rights = set(json.loads(value) if isinstance(value, str) else value or [])
        key = str(row["client_id"])
        if key in merged:
            rights |= set(merged[key].rights)
        merged[key] = ProxiedClient(client_id=key, label=row["display_name"], organiser_id=str(row["organiser_id"]),
                                    rights=tuple(sorted(rights)))
    return list(merged.values())


class ProxyGrantRead(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    proxy_user_id: str
    proxy_name: str
    proxy_email: str
    rights: tuple[str, ...]
    granted_at: dt.datetime


async def grants_of(client_id: Any) -> list[ProxyGrantRead]:
    """The client's active proxy grants with who the proxies are (caller checked access)."""
    rows = await _rows(  # INTERIM: voucher.plans.proxies_of gives no names
        """SELECT g.id, g.proxy_user_id, g.rights, g.granted_at, u.display_name, u.email FROM vc_proxy_grant g
LEFT JOIN hb_user u ON u.id = g.proxy_user_id WHERE g.client = {} AND g.revoked_at IS NULL ORDER BY g.granted_at""",
        _uuid(client_id),
    )
    return [
        ProxyGrantRead(id=str(r["id"]), proxy_user_id=str(r["proxy_user_id"]), proxy_name=r["display_name"] or "",
                       proxy_email=r["email"] or "",
                       rights=tuple(json.loads(r["rights"]) if isinstance(r["rights"], str) else r["rights"] or ()),
                       granted_at=r["granted_at"])
        for r in rows
    ]


async def grant_by_client(actor: Actor, client: dict, proxy_user_id: Any, rights: list[str]) -> str:
    """The client themself grants a proxy rights (voucher.plans.grant_proxy is for counsellors)."""
    from voucher.tables import ProxyGrant  # INTERIM: until voucher lets a client grant its own proxies

    grant = ProxyGrant(client=client["id"], proxy_user_id=_uuid(proxy_user_id), rights=sorted(set(rights)),
                       granted_by=actor.user_id, reason="client")
    await ProxyGrant.insert(grant).run()
    await audit.record(actor, "voucher.proxy.granted", "client", client["id"], organiser_id=client["organiser_id"],
                       details={"proxy_user_id": str(proxy_user_id), "rights": sorted(set(rights)), "by": "client"})
    return str(grant.id)


async def revoke_by_client(actor: Actor, client: dict, grant_id: Any, now: dt.datetime) -> None:
    from voucher.tables import ProxyGrant  # INTERIM

    rows = await ProxyGrant.update({ProxyGrant.revoked_at: now}).where(
        (ProxyGrant.id == _uuid(grant_id)) & (ProxyGrant.client == client["id"]) & ProxyGrant.revoked_at.is_null()
    ).returning(ProxyGrant.proxy_user_id).run()
    if not rows:
        raise NotFound()  # not this client's grant, or revoked already
    await audit.record(actor, "voucher.proxy.revoked", "client", client["id"], organiser_id=client["organiser_id"],
                       details={"proxy_user_id": str(rows[0]["proxy_user_id"]), "by": "client"})


# --- Users (core.identity has no lookups by scope yet) -------------------------------------------


class UserBrief(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    language: str
    display_name: str


def _briefs(rows: list[dict]) -> list[UserBrief]:
    return [UserBrief(id=str(r["id"]), email=r["email"], language=r["language"] or "fi", display_name=r["display_name"])
            for r in rows]


_USER_COLUMNS = "SELECT id, email, language, display_name FROM hb_user WHERE active = {} AND "


async def provider_staff(provider_id: Any) -> list[UserBrief]:
    return _briefs(await _rows(_USER_COLUMNS + "role = 'provider_staff' AND provider_id = {}", True, _uuid(provider_id)))


async def organiser_admins(organiser_id: Any) -> list[UserBrief]:
    return _briefs(await _rows(_USER_COLUMNS + "role = 'organiser_admin' AND organiser_id = {}", True, _uuid(organiser_id)))


async def client_side_users(client_id: Any) -> list[UserBrief]:
    """The client's own accounts and their proxies with an active grant."""
    return _briefs(await _rows(
        _USER_COLUMNS + "(client_id = {} OR id IN (SELECT proxy_user_id FROM vc_proxy_grant WHERE client = {} "
        "AND revoked_at IS NULL))", True, _uuid(client_id), _uuid(client_id),
    ))


async def proxy_user_by_email(email: str) -> UserBrief | None:
    found = _briefs(await _rows(_USER_COLUMNS + "role = 'proxy' AND email = {}", True, (email or "").strip().lower()))
    return found[0] if found else None


async def works_for_provider(user_id: Any, provider_id: Any) -> bool:
    """Is this person staff of the provider? Their account is scoped to it, or their e-mail is the
    provider's own (the same test as the organiser's anomaly rule ``proxy_is_provider_staff``)."""
    rows = await _rows(
        """SELECT 1 AS hit FROM hb_user u JOIN mp_provider p ON p.id = {}
WHERE u.id = {} AND (u.provider_id = p.id OR LOWER(u.email) = LOWER(p.email))""",
        _uuid(provider_id), _uuid(user_id),
    )
    return bool(rows)
