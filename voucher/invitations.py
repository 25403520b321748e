"""Invitations: who may invite whom, and what accepting one creates. The one place of the rule: the
JSON API, the pages and ``hb demo`` all come through ``invite`` and ``accept``.

Who may invite whom (docs/api.md §Accounts, ``may_invite``):

* a platform admin — an organiser admin of any organiser; and the first staff account of a
  provider that has none (an imported provider otherwise never gets one: docs/decisions/0027);
* an organiser admin — its own county's organiser admins and counsellors;
* a counsellor or an organiser admin — a client of its own county (the client's account) and that
  client's proxies, with rights ⊆ ``view``, ``book``, ``pay``;
* a client — their own proxies;
* provider staff — more staff of their own provider.

Anything else is 403 and creates nothing; an id the inviter may not see is refused the same way as
one that does not exist. Accepting creates the account with the invitation's role and scope, a
proxy's grant for the client with the rights invited, and — when the person signed in with a strong
e-ID — the link to that identity (``core.identity.link_external_identity``) instead of a password.
A client's invitation accepted by strong e-ID must be the client's own: the national identity
number must match the client's keyed hash (``voucher.budgets.national_id_hash``) or nothing is
created. The token's life (hash, expiry, single use under concurrency) is ``core.invitations``'.
"""

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from core import audit, identity
from core import invitations as tokens
from core.clock import utcnow
from core.db import in_write_transaction
from core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    Gone,
    Invalid,
    NotFound,
    Unauthenticated,
    field_errors,
)
from core.identity import Actor, VerifiedIdentity
from core.ids import as_uuid
from core.invitations import InvitationRow
from core.password_reset import password_problem
from core.text import text_error
from marketplace import catalogue, directory
from marketplace.booking.domain import PROXY_RIGHTS
from marketplace.domain import email_error
from voucher import access, budgets, proxies
from voucher.tables import Client

ROLES = ("organiser_admin", "counsellor", "client", "proxy", "provider_staff", "platform_admin")
# Who may invite anyone at all (the pages show the invitations page to them only).
INVITERS = ("platform_admin", "organiser_admin", "counsellor", "client", "provider_staff")
Lang = Literal["fi", "sv", "en"]


class InvitationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(max_length=254)]
    role: Annotated[str, msgspec.Meta(max_length=32)]
    organiser_id: str | None = None
    client_id: str | None = None
    provider_id: str | None = None
    rights: list[str] | None = None
    # The name the account starts with (the person may change it when accepting).
    display_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    # The language of the e-mail and of the account.
    language: Lang | None = None


class InvitationCreated(msgspec.Struct, kw_only=True):
    id: str
    # The link to accept: shown once; only a hash of its token is kept.
    url: str
    expires_at: dt.datetime


class InvitationRead(msgspec.Struct, kw_only=True):
    id: str
    email: str
    role: str
    status: str
    organiser_id: str | None
    client_id: str | None
    provider_id: str | None
    rights: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime
    accepted_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_sent_at: dt.datetime | None
    sent_count: int


class AcceptBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    password: Annotated[str, msgspec.Meta(max_length=1000)]
    display_name: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class Accepted(msgspec.Struct, kw_only=True):
    user_id: str


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """What an invitation would give, as found in the database: the role, the organiser it belongs
    to (a client's or proxy's: the client's county), and whether the provider has staff already."""

    role: str
    organiser_id: str | None = None
    client_id: str | None = None
    provider_id: str | None = None
    provider_has_staff: bool = True


class PendingInvitation(msgspec.Struct, frozen=True, kw_only=True):
    """A pending invitation without its token: what the e-ID sign-in needs to accept it
    (``accept_pending``) when it found it by the person's national identity number."""

    id: str
    role: str
    client_id: str | None
    organiser_id: str | None
    expires_at: dt.datetime


class InvitationView(msgspec.Struct, frozen=True, kw_only=True):
    """What the accept page shows about an invitation: who invites, to what."""

    status: str
    role: str
    email: str
    display_name: str
    inviter_name: str
    organiser_name: str
    provider_name: str
    client_name: str
    rights: tuple[str, ...]
    expires_at: dt.datetime


def _same(a: Any, b: Any) -> bool:
    return a is not None and b is not None and str(a) == str(b)


def may_invite(inviter: Actor, target: Target) -> bool:
    """The rule (see the module's text). Pure: the target's facts were looked up already."""
    if inviter.user_id is None or inviter.via_api_key:
        return False
    who, role = inviter.role, target.role
    if role == "organiser_admin":
        return target.organiser_id is not None and (
            who == "platform_admin" or (who == "organiser_admin" and _same(inviter.organiser_id, target.organiser_id)))
    if role == "counsellor":
        return who == "organiser_admin" and _same(inviter.organiser_id, target.organiser_id)
    if role in ("client", "proxy"):
        if target.client_id is None or target.organiser_id is None:
            return False
        if who in access.STAFF_ROLES:
            return _same(inviter.organiser_id, target.organiser_id)
        return role == "proxy" and who == "client" and _same(inviter.client_id, target.client_id)
    if role == "provider_staff":
        if target.provider_id is None:
            return False
        if who == "provider_staff":
            return _same(inviter.provider_id, target.provider_id)
        return who == "platform_admin" and not target.provider_has_staff
    return False


def roles_for(inviter: Actor) -> tuple[str, ...]:
    """The roles an inviter may invite to some scope (the form's choices)."""
    return {
        "platform_admin": ("organiser_admin", "provider_staff"),
        "organiser_admin": ("organiser_admin", "counsellor", "client", "proxy"),
        "counsellor": ("client", "proxy"),
        "client": ("proxy",),
        "provider_staff": ("provider_staff",),
    }.get(inviter.role, ()) if inviter.user_id and not inviter.via_api_key else ()


async def _target(role: str, organiser_id: Any, client_id: Any, provider_id: Any) -> Target:
    """The target's facts from the database; ids that name nothing stay None (→ refused)."""
    organiser = client = provider = None
    has_staff = True
    if role in ("client", "proxy"):
        row = await _client(client_id)
        if row:
            client, organiser = str(row["id"]), str(row["organiser_id"])
    elif role == "provider_staff":
        pid = as_uuid(provider_id)
        brief = await catalogue.provider_brief(pid) if pid else None
        if brief:
            provider = str(brief["id"])
            has_staff = bool(await identity.users_with("provider_staff", provider_id=provider))
    elif as_uuid(organiser_id) and str(as_uuid(organiser_id)) in await directory.organiser_names():
        organiser = str(as_uuid(organiser_id))
    return Target(role=role, organiser_id=organiser, client_id=client, provider_id=provider,
                  provider_has_staff=has_staff)


async def _client(client_id: Any) -> dict | None:
    cid = as_uuid(client_id)
    return await Client.select().where(Client.id == cid).first().run() if cid else None


def _defaults(inviter: Actor, data: InvitationCreate) -> InvitationCreate:
    """A scope left out is the inviter's own (a counsellor's county, a client themself, a
    provider's staff their provider)."""
    return msgspec.structs.replace(
        data,
        organiser_id=data.organiser_id or (inviter.organiser_id if data.role in ("organiser_admin", "counsellor") else None),
        client_id=data.client_id or (inviter.client_id if inviter.role == "client" else None),
        provider_id=data.provider_id or (inviter.provider_id if inviter.role == "provider_staff" else None),
    )


def _field_errors(data: InvitationCreate) -> list[FieldError]:
    errors = []
    if err := email_error(data.email):
        errors.append(err)
    if err := text_error(data.display_name, "display_name", 200):
        errors.append(err)
    if data.role == "proxy":
        if not data.rights or any(r not in PROXY_RIGHTS for r in data.rights):
            errors.append(FieldError(field="rights", key="field.choice", params={"choices": ", ".join(PROXY_RIGHTS)}))
    elif data.rights:
        errors.append(FieldError(field="rights", key="invitation.rights_only_for_proxy"))
    return errors


def _link(settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/invitations/{token}"


def _read(row: InvitationRow, now: dt.datetime) -> InvitationRead:
    return InvitationRead(
        id=row.id, email=row.email, role=row.role, status=row.status(now), organiser_id=row.organiser_id,
        client_id=row.client_id, provider_id=row.provider_id, rights=list(row.rights), created_at=row.created_at,
        expires_at=row.expires_at, accepted_at=row.accepted_at, revoked_at=row.revoked_at,
        last_sent_at=row.last_sent_at, sent_count=row.sent_count)


def _audit_details(row: InvitationRow) -> dict:
    # Never the e-mail address: the log is append-only and a client's address would name them.
    return {"invitation_id": row.id, "role": row.role, "client_id": row.client_id, "provider_id": row.provider_id,
            "rights": list(row.rights)}


class Issued(msgspec.Struct, frozen=True, kw_only=True):
    """An invitation just made (or renewed) and its token, to mail and to show once."""

    invitation: InvitationRow
    token: str
    created: InvitationCreated


async def invite(actor: Actor, data: InvitationCreate, *, settings, now: dt.datetime | None = None,
                 lang: str = "fi") -> Issued:
    """Invite a person (``may_invite``): 400 naming the field for a bad body, 403 outside the
    rule, 409 when the e-mail already has an account (or the client one), nothing written then."""
    if actor.is_anonymous:
        raise Unauthenticated()
    now = now or utcnow()
    if data.role not in ROLES:
        raise Invalid("field.choice", field="role", errors=[FieldError(
            field="role", key="field.choice", params={"choices": ", ".join(ROLES)})], choices=", ".join(ROLES))
    data = _defaults(actor, data)
    target = await _target(data.role, data.organiser_id, data.client_id, data.provider_id)
    if not may_invite(actor, target):
        raise Forbidden("invitation.not_allowed")
    field_errors(_field_errors(data))
    email = data.email.strip().lower()

    async def op() -> Issued:
        if await identity.account_by_email(email):
            raise Conflict("invitation.email_taken", field="email")
        if data.role == "client" and await identity.users_with("client", client_id=target.client_id):
            raise Conflict("invitation.client_has_account", field="client_id")
        row, token = await tokens.create(
            email=email, role=data.role, invited_by=actor.user_id, days=settings.invitation_days, now=now,
            display_name=(data.display_name or "").strip(), language=data.language or lang,
            organiser_id=as_uuid(target.organiser_id), client_id=as_uuid(target.client_id),
            provider_id=as_uuid(target.provider_id), rights=data.rights or ())
        await audit.record(actor, "invitation.created", "invitation", row.id, organiser_id=target.organiser_id,
                           details=_audit_details(row))
        return Issued(invitation=row, token=token,
                      created=InvitationCreated(id=row.id, url=_link(settings, token), expires_at=row.expires_at))

    return await in_write_transaction(op)


async def sent(actor: Actor, *, now: dt.datetime | None = None, status: str | None = None, role: str | None = None,
               q: str = "", page: int = 1, per_page: int = 20) -> tuple[list[InvitationRead], int]:
    """The inviter's own invitations, newest first, filtered and paged."""
    _require_inviter(actor)
    now = now or utcnow()
    rows, total = await tokens.sent_by(actor.user_id, now, status=status if status in tokens.STATUSES else None,
                                       role=role if role in ROLES else None, q=q[:254], page=page, per_page=per_page)
    return [_read(r, now) for r in rows], total


def _require_inviter(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Unauthenticated()
    if not roles_for(actor):
        raise Forbidden()


async def resend(actor: Actor, invitation_id: Any, *, settings, now: dt.datetime | None = None) -> Issued:
    """A new link for the inviter's open invitation (the old one stops working; the expiry starts
    again), if the inviter still may invite to it. 404 for anyone else's or an accepted or revoked one."""
    _require_inviter(actor)
    now = now or utcnow()
    current = await tokens.by_id(invitation_id)
    if current is None or not _same(current.invited_by, actor.user_id):
        raise NotFound()
    target = await _target(current.role, current.organiser_id, current.client_id, current.provider_id)
    if not may_invite(actor, target):
        raise Forbidden("invitation.not_allowed")

    async def op() -> Issued:
        renewed = await tokens.renew(current.id, actor.user_id, days=settings.invitation_days, now=now)
        if renewed is None:
            raise NotFound()
        row, token = renewed
        await audit.record(actor, "invitation.resent", "invitation", row.id, organiser_id=row.organiser_id,
                           details=_audit_details(row))
        return Issued(invitation=row, token=token,
                      created=InvitationCreated(id=row.id, url=_link(settings, token), expires_at=row.expires_at))

    return await in_write_transaction(op)


async def revoke(actor: Actor, invitation_id: Any, *, now: dt.datetime | None = None) -> InvitationRead:
    """End the inviter's own invitation that is not accepted yet (again: nothing more happens)."""
    _require_inviter(actor)
    now = now or utcnow()

    async def op() -> InvitationRead:
        before = await tokens.by_id(invitation_id)
        row = await tokens.revoke(invitation_id, actor.user_id, now)
        if row is None:
            raise NotFound()
        if before is not None and before.revoked_at is None:
            await audit.record(actor, "invitation.revoked", "invitation", row.id, organiser_id=row.organiser_id,
                               details=_audit_details(row))
        return _read(row, now)

    return await in_write_transaction(op)


async def mailed(invitation_id: Any, now: dt.datetime | None = None) -> None:
    """Count a sending the SMTP server accepted."""
    await tokens.mark_sent(invitation_id, now or utcnow())


# --- Accepting -------------------------------------------------------------------------------------


async def view(token: str, now: dt.datetime | None = None) -> InvitationView:
    """What the accept page shows; 404 for an unknown token (a used one says so: 410)."""
    now = now or utcnow()
    row = await tokens.by_token(token)
    if row is None:
        raise NotFound("invitation.unknown")
    status = row.status(now)
    if status != "pending":
        raise Gone(f"invitation.{status}")
    inviter = (await identity.users_by_id([row.invited_by])).get(row.invited_by or "")
    organiser_name = provider_name = client_name = ""
    if row.organiser_id:
        organiser_name = (await directory.organiser_names()).get(row.organiser_id, "")
    if row.provider_id:
        brief = await catalogue.provider_brief(row.provider_id)
        provider_name = brief["name"] if brief else ""
    if client := await _client(row.client_id):
        client_name = client["display_name"]
    return InvitationView(status=status, role=row.role, email=row.email, display_name=row.display_name,
                          inviter_name=inviter.display_name if inviter else "", organiser_name=organiser_name,
                          provider_name=provider_name, client_name=client_name, rights=row.rights,
                          expires_at=row.expires_at)


async def accept(token: str, *, password: str | None = None, display_name: str | None = None,
                 identity: VerifiedIdentity | None = None, settings) -> str:
    """Accept an invitation by its token with a new password, or with a strong e-ID (``identity``):
    the new account's id. 404 for an unknown or forged token, 410 for a used, revoked or expired one,
    400 naming the field for a weak password or a bad name, 403 when a client's e-ID is not the
    client's, 409 when the e-mail (or the e-ID) has an account already — and nothing created then.
    The caller starts the session."""
    return await _accept(token=token, password=password, display_name=display_name, verified=identity,
                         settings=settings)


async def accept_pending(invitation_id: Any, *, identity: VerifiedIdentity, display_name: str | None = None,
                         settings) -> str:
    """Accept a pending invitation the e-ID sign-in found by the person's national identity number
    (``pending_client_invitation_for``): the same checks and effects as ``accept`` with an identity."""
    return await _accept(invitation_id=invitation_id, password=None, display_name=display_name, verified=identity,
                         settings=settings)


async def pending_client_invitation(client_id: Any) -> PendingInvitation | None:
    """The client's newest pending invitation to a client account, without its token."""
    row = await tokens.pending_for_client(client_id, utcnow())
    return _pending(row) if row else None


async def pending_client_invitation_for(verified: VerifiedIdentity, *, settings) -> PendingInvitation | None:
    """The pending client invitation of the person a strong e-ID names: the client whose keyed hash
    of the national identity number (per county) matches. None without a national ID or a match."""
    if not verified.national_id:
        return None
    pending = await tokens.pending_client_invitations(utcnow())
    wanted = {budgets.national_id_hash(settings.secret_key, row.organiser_id, verified.national_id): row
              for row in pending if row.organiser_id and row.client_id}
    matched = await Client.select(Client.id, Client.national_id_hash).where(
        Client.national_id_hash.is_in(list(wanted))).run() if wanted else []
    rows = [wanted[m["national_id_hash"]] for m in matched if _same(wanted[m["national_id_hash"]].client_id, m["id"])]
    if not rows:
        return None
    return _pending(max(rows, key=lambda r: r.created_at))


def _pending(row: InvitationRow) -> PendingInvitation:
    return PendingInvitation(id=row.id, role=row.role, client_id=row.client_id, organiser_id=row.organiser_id,
                             expires_at=row.expires_at)


async def _accept(*, token: str | None = None, invitation_id: Any = None, password: str | None,
                  display_name: str | None, verified: VerifiedIdentity | None, settings) -> str:
    if (password is None) == (verified is None):
        raise Invalid("invitation.password_or_identity", field="password")
    errors = []
    if password is not None and (problem := password_problem(password, password)):
        errors.append(FieldError(field="password", key=problem, params={"min": 12}))
    if err := text_error(display_name, "display_name", 200):
        errors.append(err)
    field_errors(errors)
    # argon2 takes its time on purpose: hash before the write transaction, not inside it.
    password_hash = identity.hash_password(password) if password is not None else None
    now = utcnow()

    async def op() -> str:
        row = await tokens.claim(now, token=token, invitation_id=invitation_id)
        if row is None:
            found = await (tokens.by_token(token) if token is not None else tokens.by_id(invitation_id))
            if found is None:
                raise NotFound("invitation.unknown")
            raise Gone(f"invitation.{found.status(now)}")
        return await _create_account(row, password_hash, (display_name or "").strip(), verified, settings)

    try:
        return await in_write_transaction(op)
    except Exception as exc:  # two invitations to one address accepted at once: the database refuses one
        if "unique" in str(exc).lower() and not isinstance(exc, (Conflict, Gone, NotFound)):
            raise Conflict("invitation.email_taken", field="email") from None
        raise


async def _create_account(row: InvitationRow, password_hash: str | None, display_name: str,
                          verified: VerifiedIdentity | None, settings) -> str:
    if await identity.account_by_email(row.email):
        raise Conflict("invitation.email_taken", field="email")
    if verified is not None and await identity.external_identity_taken(settings.secret_key, verified.issuer,
                                                                        verified.subject):
        raise Conflict("invitation.identity_taken", field="identity")
    scope: dict[str, Any] = {}
    client = None
    if row.role in ("client", "proxy"):
        client = await _client(row.client_id)
        if client is None:
            raise Gone("invitation.revoked")
        scope["organiser_id"] = client["organiser_id"]
        if row.role == "client":
            scope["client_id"] = client["id"]
            if await identity.users_with("client", client_id=client["id"]):
                raise Conflict("invitation.client_has_account", field="client_id")
            if verified is not None and not _is_the_client(client, verified, settings):
                raise Forbidden("invitation.identity_mismatch")
    elif row.role == "provider_staff":
        scope["provider_id"] = as_uuid(row.provider_id)
    elif row.organiser_id:
        scope["organiser_id"] = as_uuid(row.organiser_id)
    name = display_name or row.display_name or (verified.name if verified and verified.name else "") \
        or row.email.split("@")[0]
    user_id = await identity.create_user(email=row.email, display_name=name[:200], role=row.role,
                                         password_hash=password_hash, language=row.language, **scope)
    if verified is not None:
        await identity.link_external_identity(settings.secret_key, user_id, verified.issuer, verified.subject)
    await tokens.set_accepted_user(row.id, user_id)
    newcomer = Actor(user_id=user_id, role=row.role, display_name=name,
                     client_id=str(client["id"]) if client is not None and row.role == "client" else None,
                     organiser_id=str(scope["organiser_id"]) if scope.get("organiser_id") else None)
    if row.role == "proxy" and client is not None:
        await proxies.grant_on_invitation(client, user_id, list(row.rights), granted_by=row.invited_by,
                                          invitation_id=row.id)
    await audit.record(newcomer, "invitation.accepted", "invitation", row.id, organiser_id=row.organiser_id,
                       details={**_audit_details(row), "user_id": user_id,
                                "method": "strong_identity" if verified is not None else "password"})
    return user_id


def _is_the_client(client: dict, verified: VerifiedIdentity, settings) -> bool:
    stored = client["national_id_hash"]
    if not stored or not verified.national_id:
        return False
    return stored == budgets.national_id_hash(settings.secret_key, client["organiser_id"], verified.national_id)
