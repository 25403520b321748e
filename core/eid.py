"""Signing in with strong e-ID (clients, through Suomi.fi or a broker) or with the county's own
identity provider (staff): ``GET /login/eid`` sends the browser to the issuer, ``GET
/login/eid/callback`` brings it back. The protocol is ``core.oidc``; this module decides who the
person is here.

* The sign-in under way is a row (``OidcLogin``) keyed by the hash of a 256-bit ``state`` that
  lives in an HttpOnly cookie and in the issuer's redirect; it is claimed once by a conditional
  UPDATE, so a replayed callback, a state from another browser or an expired attempt is refused
  before the code is ever sent to the issuer. The nonce and the PKCE verifier are derived from the
  state with the platform secret: nothing that could finish a sign-in is stored.
* An e-ID person is, in this order: the account an invitation in the sign-in creates
  (``EidAccounts.accept_invitation``); the account already linked to their issuer and subject
  (``ExternalIdentity``); the active client account of the client whose identity number matches
  by the county's keyed hash (``EidAccounts.client_account``, then linked); the account a pending
  client invitation for that client creates (``EidAccounts.accept_client_invitation``). Anyone else
  is refused with a page that says to ask their counsellor, and nothing is created.
* A staff person (staff issuer) is the active admin or counsellor already linked, or the one whose
  e-mail the issuer says it verified (then linked). A county may turn password sign-in off for its
  staff (``EidAccounts.staff_password_login``; ``password_allowed``).
* A signed-in provider staff member identifies with e-ID (``GET /login/eid?as=identify``): the
  sign-in under way is bound to that account (its row's kind is ``identify`` and it holds a hash of
  the account id, so only the same session can finish it); the callback links the e-ID to the
  account (refused if it belongs to another) and hands the person to
  ``EidAccounts.identify_staff``, which records the identification where the provider's kind
  needs it (the marketplace: decision 0036). No new session: the person is already signed in.
* Every sign-in, link and refusal is audited, without the identity number or the subject.

The kernel knows no client or organiser: what it needs from the packages above it is the
``EidAccounts`` below, installed by the composition root (``hb.wiring``).
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar import Request, get
from litestar.response import Redirect

from core import audit, db, oidc
from core.clock import utcnow
from core.errors import DomainError
from core.identity import (
    SESSION_COOKIE,
    Actor,
    VerifiedIdentity,
    keyed_hash,
    role_of,
    start_session,
    token_hash,
)
from core.ratelimit import check_eid_start
from core.settings import Settings
from core.tables import ExternalIdentity, OidcLogin, User
from core.web import landing, page, request_lang, safe_next

log = logging.getLogger("hb.eid")
STATE_COOKIE = "hb_eid"
LOGIN_MINUTES = 10
STAFF_ROLES = ("counsellor", "organiser_admin", "platform_admin")
# Who may identify with e-ID while signed in (``as=identify``): a provider's staff, whose provider
# may need its person identified (decision 0036).
IDENTIFY_ROLES = ("provider_staff",)
IDENTIFY = "identify"
# Staff whose county decides whether they may use a password.
COUNTY_STAFF_ROLES = ("counsellor", "organiser_admin")


# --- What the kernel needs from above ----------------------------------------------------------


@dataclass(frozen=True)
class EidAccounts:
    """The packages' part of an e-ID sign-in.

    ``client_account(identity, settings)``: the active client account of a client whose identity
    number matches ``identity.national_id`` (the voucher's clients, hashed per county), or None.
    ``staff_password_login(organiser_id)``: may the county's staff sign in with a password?
    ``accept_invitation(token, *, identity, settings)``: the account an invitation creates for this
    identity (the invitations service; raises a ``DomainError`` when it refuses).
    ``accept_client_invitation(identity, settings)``: the account a pending client invitation for
    the client with this identity number creates, or None.
    ``identify_staff(actor, identity)``: the signed-in staff member ``actor`` was identified with
    strong e-ID (already linked to the account); record it where the package needs it, or raise a
    ``DomainError`` when this account has nothing to identify (then nothing is kept)."""

    client_account: Callable[[VerifiedIdentity, Settings], Awaitable[str | None]]
    staff_password_login: Callable[[Any], Awaitable[bool]]
    accept_invitation: Callable[..., Awaitable[str]] | None = None
    accept_client_invitation: Callable[[VerifiedIdentity, Settings], Awaitable[str | None]] | None = None
    identify_staff: Callable[[Actor, VerifiedIdentity], Awaitable[None]] | None = None


_accounts: EidAccounts | None = None


def install(accounts: EidAccounts) -> None:
    global _accounts
    _accounts = accounts


def accounts() -> EidAccounts:
    if _accounts is None:
        raise RuntimeError("core.eid.install(...) was not called: the composition root wires e-ID accounts")
    return _accounts


class Refused(Exception):
    """No account for this person (or not this way): ``key`` says why on the page, ``reason`` in
    the audit log."""

    def __init__(self, key: str, status: int = 403, reason: str = "") -> None:
        super().__init__(key)
        self.key, self.status, self.reason = key, status, reason or key.rsplit(".", 1)[-1]


# --- The sign-in under way -----------------------------------------------------------------------


def derived(secret: str, state: str) -> tuple[str, str]:
    """The nonce and the PKCE code verifier of the sign-in with this state (43+ characters each)."""
    nonce = hmac.new(secret.encode(), f"oidc-nonce:{state}".encode(), hashlib.sha256).hexdigest()
    verifier = hmac.new(secret.encode(), f"oidc-pkce:{state}".encode(), hashlib.sha256).hexdigest()
    return nonce, verifier


def redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + "/login/eid/callback"


def identify_binding(user_id: Any) -> str:
    """What an identification's row holds in place of an invitation: the hash of the account it is
    for, so a callback in another session cannot finish it."""
    return token_hash(f"identify:{user_id}")


async def begin(settings: Settings, config: oidc.IssuerConfig, *, invitation: str | None, next_path: str,
                lang: str, identify_for: Any = None) -> tuple[str, str]:
    """A new sign-in: (state, the issuer's URL to send the browser to). ``identify_for``: the
    signed-in account this e-ID identification is for (``as=identify``)."""
    state = secrets.token_urlsafe(32)
    nonce, verifier = derived(settings.secret_key, state)
    url = await oidc.authorization_url(config, state=state, nonce=nonce, code_verifier=verifier,
                                       redirect_uri=redirect_uri(settings), lang=lang)
    now = utcnow()
    await OidcLogin.delete().where(OidcLogin.expires_at < now - timedelta(days=1)).run()
    binding = identify_binding(identify_for) if identify_for else (token_hash(invitation) if invitation else None)
    await OidcLogin.insert(OidcLogin(
        state_hash=token_hash(state), kind=IDENTIFY if identify_for else config.kind, invitation_hash=binding,
        next_path=next_path[:300], expires_at=now + timedelta(minutes=LOGIN_MINUTES),
    )).run()
    return state, url


async def claim(state: str) -> dict | None:
    """The sign-in with this state, claimed for this callback; None when it is unknown, used or
    expired."""
    now = utcnow()
    rows = await OidcLogin.update({OidcLogin.used_at: now}).where(
        (OidcLogin.state_hash == token_hash(state)) & OidcLogin.used_at.is_null() & (OidcLogin.expires_at > now)
    ).returning(OidcLogin.kind, OidcLogin.invitation_hash, OidcLogin.next_path).run()
    return rows[0] if rows else None


# --- Who the person is here --------------------------------------------------------------------


def subject_hash(settings: Settings, identity: VerifiedIdentity) -> str:
    return keyed_hash(settings.secret_key, f"{identity.issuer}|{identity.subject}")


async def _linked(settings: Settings, identity: VerifiedIdentity) -> dict | None:
    row = await ExternalIdentity.select(ExternalIdentity.user_id).where(
        ExternalIdentity.subject_hash == subject_hash(settings, identity)).first().run()
    if not row:
        return None
    return await User.select(User.id, User.role, User.active).where(User.id == row["user_id"]).first().run()


async def link(settings: Settings, user_id: Any, identity: VerifiedIdentity) -> None:
    """Remember that this issuer's subject is this account (a keyed hash only)."""
    await ExternalIdentity.insert(ExternalIdentity(
        user_id=user_id, issuer=identity.issuer[:200], subject_hash=subject_hash(settings, identity))).run()
    await audit.record(_system(user_id), "eid.linked", "user", user_id, purpose="sign_in",
                       details={"issuer": identity.issuer[:200]})


def _system(user_id: Any) -> Actor:
    return Actor(user_id=str(user_id), role="user", display_name="e-ID sign-in")


async def person(settings: Settings, kind: str, identity: VerifiedIdentity, invitation: str | None) -> tuple[str, str]:
    """The account this verified person signs in to, and how it was found; ``Refused`` when none."""
    if kind == "staff":
        return await _staff(settings, identity)
    ports = accounts()
    if invitation:
        if ports.accept_invitation is None:
            raise Refused("eid.refused.invitation", 404)
        if await _linked(settings, identity):
            # One e-ID signs in to one account: a person who has one already cannot link another.
            raise Refused("eid.refused.already_linked", 409)
        try:
            return await ports.accept_invitation(invitation, identity=identity, settings=settings), "invitation"
        except DomainError as exc:
            raise Refused(exc.key, exc.status, reason="invitation") from None
    linked = await _linked(settings, identity)
    if linked:
        if not linked["active"]:
            raise Refused("eid.refused.inactive", 403)
        return str(linked["id"]), "linked"
    if identity.national_id:
        user_id = await ports.client_account(identity, settings)
        if user_id:
            await link(settings, user_id, identity)
            return user_id, "national_id"
        if ports.accept_client_invitation is not None:
            user_id = await ports.accept_client_invitation(identity, settings)
            if user_id:
                return user_id, "client_invitation"
    raise Refused("eid.refused.no_account", 403)


async def _staff(settings: Settings, identity: VerifiedIdentity) -> tuple[str, str]:
    linked = await _linked(settings, identity)
    if linked:
        if not linked["active"] or linked["role"] not in STAFF_ROLES:
            raise Refused("eid.refused.no_staff_account", 403)
        return str(linked["id"]), "linked"
    if identity.email:
        row = await User.select(User.id).where(
            (User.email == identity.email) & (User.active == True) & User.role.is_in(list(STAFF_ROLES))
        ).first().run()
        if row:
            await link(settings, row["id"], identity)
            return str(row["id"]), "verified_email"
    raise Refused("eid.refused.no_staff_account", 403)


async def identify(settings: Settings, actor: Actor, identity: VerifiedIdentity) -> str:
    """The signed-in ``actor`` was identified with e-ID: link the identity to the account (unless
    it is already; refused when it is another account's) and let the package record it. Run in the
    caller's write transaction, so a refusal keeps nothing."""
    if actor.role not in IDENTIFY_ROLES or not actor.user_id:
        raise Refused("eid.refused.identify_not_needed", 403, reason="identify_role")
    ports = accounts()
    if ports.identify_staff is None:
        raise Refused("eid.refused.identify_not_needed", 404, reason="identify_unwired")
    linked = await _linked(settings, identity)
    if linked and str(linked["id"]) != str(actor.user_id):
        raise Refused("eid.refused.identify_other_account", 409, reason="identify_other_account")
    if not linked:
        await link(settings, actor.user_id, identity)
    try:
        await ports.identify_staff(actor, identity)
    except DomainError as exc:
        raise Refused(exc.key if exc.key.startswith("eid.") else "eid.refused.identify_not_needed", exc.status,
                      reason="identify") from None
    return "identified" if linked else "linked_and_identified"


async def password_allowed(user_id: Any) -> bool:
    """May this account sign in with a password? Not a county's admin or counsellor when the
    county has turned password sign-in off for its staff."""
    user = await User.select(User.role, User.organiser_id).where(User.id == user_id).first().run()
    if not user or user["role"] not in COUNTY_STAFF_ROLES or not user["organiser_id"]:
        return True
    return await accounts().staff_password_login(user["organiser_id"])


# --- Routes ------------------------------------------------------------------------------------


def _refusal(request: Request, key: str, status: int, *, kind: str = "eid") -> Any:
    response = page(request, "eid_refused.html", status_code=status, message_key=key, kind=kind)
    response.delete_cookie(STATE_COOKIE, path="/login/eid")
    return response


async def _audit_refusal(kind: str, reason: str) -> None:
    log.info("e-ID sign-in refused: %s, %s", kind, reason[:200])
    await audit.record(None, "eid.refused", "eid", kind, purpose="sign_in", reason=reason[:200])


@get("/login/eid", include_in_schema=False, opt={"public": True})
async def eid_start(request: Request, settings: Settings, actor: Actor, invitation: str | None = None,
                    next: str | None = None) -> Any:
    """Off to the identity provider: ``as=staff`` for the county's own, e-ID otherwise;
    ``as=identify``: e-ID for the signed-in provider staff member (nothing else may)."""
    wanted = request.query_params.get("as")
    kind = "staff" if wanted == "staff" else "eid"
    config = oidc.issuer_config(settings, kind)
    if config is None:
        return _refusal(request, "eid.refused.not_configured", 404, kind=kind)
    identify_for = None
    if wanted == IDENTIFY:
        if actor.role not in IDENTIFY_ROLES or not actor.user_id:
            return _refusal(request, "eid.refused.identify_not_needed", 403, kind=kind)
        identify_for = actor.user_id
    await check_eid_start(request.client.host if request.client else "unknown")
    invitation = (invitation or "").strip()[:200] or None
    if invitation and (kind != "eid" or identify_for):
        invitation = None
    try:
        state, url = await begin(settings, config, invitation=invitation, next_path=safe_next(next),
                                 lang=request_lang(request), identify_for=identify_for)
    except oidc.OidcError as exc:
        await _audit_refusal(kind, exc.reason)
        return _refusal(request, "eid.refused.unavailable", 503, kind=kind)
    response = Redirect(path=url, status_code=303)
    response.set_cookie(STATE_COOKIE, f"{state}.{invitation or ''}", httponly=True, secure=settings.https,
                        samesite="lax", max_age=LOGIN_MINUTES * 60, path="/login/eid")
    return response


@get("/login/eid/callback", include_in_schema=False, opt={"public": True})
async def eid_callback(request: Request, settings: Settings, actor: Actor) -> Any:
    # (``state`` is a name Litestar keeps for the app's state: the query is read as it came.)
    query = request.query_params
    state, code, error = query.get("state") or "", query.get("code") or "", query.get("error")
    cookie_state, _, invitation = (request.cookies.get(STATE_COOKIE) or "").partition(".")
    if not state or not cookie_state or not secrets.compare_digest(state.encode(), cookie_state.encode()):
        await _audit_refusal("eid", "state")
        return _refusal(request, "eid.refused.state", 400)
    login = await claim(state)
    identifying = login is not None and login["kind"] == IDENTIFY
    # An identification is finished only by the session that began it; a sign-in only with its invitation.
    binding = (identify_binding(actor.user_id) if actor.user_id else "") if identifying else (
        token_hash(invitation) if invitation else "")
    if login is None or (login["invitation_hash"] or "") != binding:
        await _audit_refusal("eid", "state")
        return _refusal(request, "eid.refused.state", 400)
    kind = "eid" if identifying else login["kind"]
    if error or not code:
        await _audit_refusal(kind, "cancelled")
        return _refusal(request, "eid.refused.cancelled", 400, kind=kind)
    config = oidc.issuer_config(settings, kind)
    if config is None:
        return _refusal(request, "eid.refused.not_configured", 404, kind=kind)
    # RFC 9207: an issuer that names itself in its answer must be the one this sign-in went to
    # (an answer from another issuer is a mix-up attack).
    if query.get("iss") and query.get("iss").rstrip("/") != config.issuer:
        await _audit_refusal(kind, "issuer")
        return _refusal(request, "eid.refused.failed", 400, kind=kind)
    nonce, verifier = derived(settings.secret_key, state)
    try:
        identity = await oidc.finish(config, code=code, code_verifier=verifier, nonce=nonce,
                                     redirect_uri=redirect_uri(settings))
    except oidc.OidcError as exc:
        log.warning("e-ID sign-in failed: %s", exc)
        await _audit_refusal(kind, exc.reason)
        unreachable = exc.reason in ("unreachable", "config")
        return _refusal(request, "eid.refused.unavailable" if unreachable else "eid.refused.failed",
                        503 if unreachable else 400, kind=kind)

    if identifying:
        async def identified() -> str:
            how = await identify(settings, actor, identity)
            await audit.record(actor, "eid.identified", "user", actor.user_id, purpose="identification",
                               details={"how": how})
            return how

        try:
            await db.in_write_transaction(identified)
        except Refused as exc:
            await _audit_refusal(IDENTIFY, exc.reason)
            return _refusal(request, exc.key, exc.status, kind=kind)
        response = Redirect(path=safe_next(login["next_path"]), status_code=303)
        response.delete_cookie(STATE_COOKIE, path="/login/eid")
        return response

    async def sign_in() -> str:
        # One transaction: an account, its link and the audit entry are written together or not at all.
        user_id, how = await person(settings, kind, identity, invitation or None)
        await audit.record(_system(user_id), "eid.sign_in", "user", user_id, purpose="sign_in",
                           details={"kind": kind, "how": how})
        return user_id

    try:
        user_id = await db.in_write_transaction(sign_in)
    except Refused as exc:
        await _audit_refusal(kind, exc.reason)
        return _refusal(request, exc.key, exc.status, kind=kind)
    token = await start_session(user_id, settings.session_hours, request.cookies.get(SESSION_COOKIE))
    response = Redirect(path=landing(await role_of(user_id), safe_next(login["next_path"])), status_code=303)
    response.delete_cookie(STATE_COOKIE, path="/login/eid")
    response.set_cookie(SESSION_COOKIE, token, httponly=True, secure=settings.https, samesite="lax",
                        max_age=settings.session_hours * 3600, path="/")
    return response


route_handlers = [eid_start, eid_callback]
