"""Invitations to an account: the token and its life. A person outside the demo gets an account only
through one (or, for the first platform admin, ``hb admin create``).

* A token is 256 random bits, shown once (in the link) and stored only as its SHA-256
  (``core.identity.token_hash``), like a password-reset link's. A resend makes a new token and
  starts the expiry again; the old link stops working.
* Accepting claims the invitation by one conditional UPDATE — ``accepted_at IS NULL AND revoked_at IS
  NULL AND expires_at > now`` … ``RETURNING`` — inside the write transaction that creates the account
  (``claim``), so of two accepts racing exactly one creates anything: on PostgreSQL the second waits
  for the first's row lock and then finds the row claimed; on SQLite write transactions run one at a
  time. If creating the account fails, the claim rolls back with it.

Who may invite whom, and what accepting creates (the account's role and scope, a proxy's grant,
the link to a strong e-ID), is ``voucher.invitations``: that package sees the organisers, clients and
providers the rule is about. This module knows none of them.
"""

import datetime as dt
import json
import secrets
from datetime import timedelta
from typing import Any

import msgspec

from core.identity import token_hash
from core.ids import as_uuid
from core.tables import Invitation

STATUSES = ("pending", "accepted", "revoked", "expired")


class InvitationRow(msgspec.Struct, frozen=True, kw_only=True):
    """An invitation as stored: never its token."""

    id: str
    email: str
    role: str
    display_name: str
    language: str
    organiser_id: str | None
    client_id: str | None
    provider_id: str | None
    rights: tuple[str, ...]
    invited_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    accepted_user_id: str | None
    revoked_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    sent_count: int

    def status(self, now: dt.datetime) -> str:
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        return "pending" if self.expires_at > now else "expired"


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _row(r: dict) -> InvitationRow:
    rights = r["rights"]
    if isinstance(rights, str):
        rights = json.loads(rights or "[]")
    return InvitationRow(
        id=str(r["id"]), email=r["email"], role=r["role"], display_name=r["display_name"] or "",
        language=r["language"] or "fi", organiser_id=_str(r["organiser_id"]), client_id=_str(r["client_id"]),
        provider_id=_str(r["provider_id"]), rights=tuple(rights or ()), invited_by=_str(r["invited_by"]),
        created_at=r["created_at"], expires_at=r["expires_at"], accepted_at=r["accepted_at"],
        accepted_user_id=_str(r["accepted_user_id"]), revoked_at=r["revoked_at"], last_sent_at=r["last_sent_at"],
        sent_count=r["sent_count"] or 0,
    )


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def create(*, email: str, role: str, invited_by: Any, days: int, now: dt.datetime, display_name: str = "",
                 language: str = "fi", organiser_id: Any = None, client_id: Any = None, provider_id: Any = None,
                 rights: list[str] | tuple[str, ...] = ()) -> tuple[InvitationRow, str]:
    """A new invitation (the caller checked who may invite whom): the row and its token, shown once."""
    token = new_token()
    rows = await Invitation.insert(Invitation(
        token_hash=token_hash(token), email=email.strip().lower(), role=role, display_name=display_name,
        language=language, organiser_id=organiser_id, client_id=client_id, provider_id=provider_id,
        rights=sorted(set(rights)), invited_by=invited_by, created_at=now, expires_at=now + timedelta(days=days),
    )).returning(*Invitation.all_columns()).run()
    return _row(rows[0]), token


async def by_token(token: str) -> InvitationRow | None:
    """The invitation a token names, whatever its state (None for an unknown or forged token)."""
    if not token or len(token) > 200:
        return None
    row = await Invitation.select().where(Invitation.token_hash == token_hash(token)).first().run()
    return _row(row) if row else None


async def by_id(invitation_id: Any) -> InvitationRow | None:
    uid = as_uuid(invitation_id)
    if uid is None:
        return None
    row = await Invitation.select().where(Invitation.id == uid).first().run()
    return _row(row) if row else None


async def claim(now: dt.datetime, *, token: str | None = None, invitation_id: Any = None) -> InvitationRow | None:
    """Mark a pending invitation accepted, by its token or (for a strong e-ID that found it by the
    person's national ID) by its id: the row, or None when it is used, revoked, expired or unknown.
    Call it inside the write transaction that creates the account."""
    where = Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null() & (Invitation.expires_at > now)
    if token is not None:
        if not token or len(token) > 200:
            return None
        where &= Invitation.token_hash == token_hash(token)
    else:
        uid = as_uuid(invitation_id)
        if uid is None:
            return None
        where &= Invitation.id == uid
    rows = await Invitation.update({Invitation.accepted_at: now}).where(where).returning(
        *Invitation.all_columns()).run()
    return _row(rows[0]) if rows else None


async def set_accepted_user(invitation_id: Any, user_id: Any) -> None:
    await Invitation.update({Invitation.accepted_user_id: as_uuid(user_id)}).where(
        Invitation.id == as_uuid(invitation_id)).run()


async def renew(invitation_id: Any, invited_by: Any, *, days: int, now: dt.datetime) -> tuple[InvitationRow, str] | None:
    """A resend: a new token and a new expiry for the inviter's own invitation that is not accepted
    or revoked (an expired one opens again). None when there is no such invitation."""
    uid, by = as_uuid(invitation_id), as_uuid(invited_by)
    if uid is None or by is None:
        return None
    token = new_token()
    rows = await Invitation.update({
        Invitation.token_hash: token_hash(token), Invitation.expires_at: now + timedelta(days=days),
    }).where((Invitation.id == uid) & (Invitation.invited_by == by) & Invitation.accepted_at.is_null()
             & Invitation.revoked_at.is_null()).returning(*Invitation.all_columns()).run()
    return (_row(rows[0]), token) if rows else None


async def mark_sent(invitation_id: Any, now: dt.datetime) -> None:
    await Invitation.update({Invitation.last_sent_at: now, Invitation.sent_count: Invitation.sent_count + 1}).where(
        Invitation.id == as_uuid(invitation_id)).run()


async def revoke(invitation_id: Any, invited_by: Any, now: dt.datetime) -> InvitationRow | None:
    """End the inviter's own invitation that is not accepted yet (revoking twice changes nothing
    more). None when there is no such invitation."""
    uid, by = as_uuid(invitation_id), as_uuid(invited_by)
    if uid is None or by is None:
        return None
    rows = await Invitation.update({Invitation.revoked_at: now}).where(
        (Invitation.id == uid) & (Invitation.invited_by == by) & Invitation.accepted_at.is_null()
        & Invitation.revoked_at.is_null()).returning(*Invitation.all_columns()).run()
    if rows:
        return _row(rows[0])
    row = await Invitation.select().where((Invitation.id == uid) & (Invitation.invited_by == by)
                                          & Invitation.revoked_at.is_not_null()).first().run()
    return _row(row) if row else None


def _status_where(status: str | None, now: dt.datetime):
    open_ = Invitation.accepted_at.is_null() & Invitation.revoked_at.is_null()
    return {
        "pending": open_ & (Invitation.expires_at > now),
        "expired": open_ & (Invitation.expires_at <= now),
        "accepted": Invitation.accepted_at.is_not_null(),
        "revoked": Invitation.accepted_at.is_null() & Invitation.revoked_at.is_not_null(),
    }.get(status or "")


async def sent_by(invited_by: Any, now: dt.datetime, *, status: str | None = None, role: str | None = None,
                  q: str = "", page: int = 1, per_page: int = 20) -> tuple[list[InvitationRow], int]:
    """The inviter's invitations, newest first, filtered by status, role and part of the e-mail."""
    by = as_uuid(invited_by)
    if by is None:
        return [], 0
    where = Invitation.invited_by == by
    if (condition := _status_where(status, now)) is not None:
        where &= condition
    if role:
        where &= Invitation.role == role
    if q.strip():
        # E-mail addresses are stored in lower case: LIKE on a lower-case pattern matches on both databases.
        where &= Invitation.email.like("%" + q.strip().lower().replace("%", "").replace("_", "").replace("\\", "") + "%")
    total = await Invitation.count().where(where).run()
    rows = await Invitation.select().where(where).order_by(Invitation.created_at, ascending=False).offset(
        (page - 1) * per_page).limit(per_page).run()
    return [_row(r) for r in rows], total


async def pending_for_client(client_id: Any, now: dt.datetime, role: str = "client") -> InvitationRow | None:
    """The newest pending invitation of ``role`` for this client (None when there is none)."""
    cid = as_uuid(client_id)
    if cid is None:
        return None
    where = (Invitation.client_id == cid) & (Invitation.role == role) & _status_where("pending", now)
    row = await Invitation.select().where(where).order_by(Invitation.created_at, ascending=False).first().run()
    return _row(row) if row else None


async def pending_client_invitations(now: dt.datetime) -> list[InvitationRow]:
    """Every pending invitation to a client account (a strong e-ID looks for the person's among them)."""
    where = (Invitation.role == "client") & _status_where("pending", now)
    return [_row(r) for r in await Invitation.select().where(where).run()]
