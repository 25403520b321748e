"""Who is asking: users, roles, password login, sessions and API keys.

A login method only proves who a person is and returns a user id; ``start_session`` is the one
place that turns that into a session. A Suomi.fi e-ID (OIDC) login is added as another method that
maps the identity provider's subject to a user through ``ExternalIdentity`` and then calls
``start_session`` — nothing else changes.
"""

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from piccolo.query.methods.select import Max

from core import db
from core.clock import utcnow
from core.errors import Forbidden, Unauthenticated
from core.ids import as_uuid
from core.tables import ApiKey, ExternalIdentity, User, UserSession

ROLES = ("client", "proxy", "provider_staff", "counsellor", "organiser_admin", "platform_admin")
SESSION_COOKIE = "hb_session"
API_KEY_PREFIX = "hbk_"
# What an API key may do. "terminal": the card payment API — authorise, read its authorisations,
# capture, void, refund — for a provider's terminal or app (or an organiser's own booking flow);
# nothing else, so a leaked key cannot change the bank account, e-mail or categories, make more
# keys or read bookings. A route accepts a key only when ``opt["api_key_scopes"]`` names one of the
# key's scopes (core.web.require_sign_in); every other route refuses it with 403.
TERMINAL = "terminal"
API_KEY_SCOPES = (TERMINAL,)

# argon2id at argon2-cffi's default cost (RFC 9106's low-memory profile: 64 MiB, 3 passes) unless
# ``configure_passwords`` is given other settings. A stored hash carries its own parameters, so a
# password hashed at one cost still verifies after the cost changes.
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login with an unknown e-mail like a real one; made at
# the current cost on first use.
_dummy_hash: str | None = None


def configure_passwords(settings) -> None:
    """Hash new passwords at the cost the settings ask for (``HB_ARGON2_MEMORY_KIB``,
    ``HB_ARGON2_TIME_COST``)."""
    global _hasher, _dummy_hash
    memory, passes = settings.argon2_memory_kib, settings.argon2_time_cost
    if (_hasher.memory_cost, _hasher.time_cost) != (memory, passes):
        _hasher = PasswordHasher(memory_cost=memory, time_cost=passes)
        _dummy_hash = None


class Actor(msgspec.Struct, kw_only=True, frozen=True):
    user_id: str | None = None
    role: str = "anonymous"
    display_name: str = ""
    language: str = "fi"
    organiser_id: str | None = None
    provider_id: str | None = None
    client_id: str | None = None
    api_key_id: str | None = None
    # An API key's scopes (API_KEY_SCOPES); empty for a person.
    api_key_scopes: frozenset[str] = frozenset()
    session_id: str | None = None
    # An API key taken from this process's cache without reading the database: the one call that
    # serves the request must check the key is still live (voucher.authorisation.in_database), or
    # ``check_api_key`` must (docs/decisions/0047).
    api_key_unchecked: bool = False

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.api_key_id is None

    @property
    def via_api_key(self) -> bool:
        return self.api_key_id is not None

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


ANONYMOUS = Actor()


class VerifiedIdentity(msgspec.Struct, kw_only=True, frozen=True):
    """What a strong sign-in (e-ID over OIDC, or a county's own identity provider) proved about a
    person, after the ID token's signature, encryption, nonce and audience were checked. Never
    stored as such: the subject is kept only as a keyed hash (``ExternalIdentity``), the national
    identity number only as the county's keyed hash on the client (``voucher.budgets.national_id_hash``)."""

    issuer: str
    subject: str
    national_id: str | None = None
    email: str | None = None
    name: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password")
    return _dummy_hash


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """Tokens are 256-bit random values, so a plain SHA-256 is a safe, fast lookup key."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_hash(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


async def create_user(
    *,
    email: str,
    display_name: str,
    role: str,
    password: str | None = None,
    language: str = "fi",
    organiser_id=None,
    provider_id=None,
    client_id=None,
    password_hash: str | None = None,
) -> str:
    """A new account. ``password_hash`` (from ``hash_password``) instead of ``password`` lets a
    caller hash before it opens its write transaction: argon2 takes its time on purpose."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    user = User(
        email=email.strip().lower(),
        display_name=display_name,
        role=role,
        password_hash=hash_password(password) if password else password_hash,
        language=language,
        organiser_id=organiser_id,
        provider_id=provider_id,
        client_id=client_id,
    )
    await user.save().run()
    return str(user.id)


async def password_login(email: str, password: str) -> str | None:
    """The password login method: the user id when e-mail and password match an active user."""
    row = await User.select(User.id, User.password_hash, User.active).where(
        User.email == (email or "").strip().lower()
    ).first().run()
    ok = verify_password(row["password_hash"] if row else None, password or "")
    if not row or not ok or not row["active"]:
        return None
    return str(row["id"])


async def external_login(secret: str, issuer: str, subject: str) -> str | None:
    """The shape of an external (e.g. Suomi.fi OIDC) login: subject → user id, nothing stored in clear."""
    row = await ExternalIdentity.select(ExternalIdentity.user_id).where(
        ExternalIdentity.subject_hash == external_subject_hash(secret, issuer, subject)
    ).first().run()
    return str(row["user_id"]) if row else None


async def role_of(user_id: Any) -> str | None:
    row = await User.select(User.role).where(User.id == user_id).first().run()
    return row["role"] if row else None


def external_subject_hash(secret: str, issuer: str, subject: str) -> str:
    """How an identity provider's subject is kept: a keyed hash of issuer and subject."""
    return keyed_hash(secret, f"{issuer}|{subject}")


async def external_identity_taken(secret: str, issuer: str, subject: str) -> bool:
    return await ExternalIdentity.exists().where(
        ExternalIdentity.subject_hash == external_subject_hash(secret, issuer, subject)).run()


async def link_external_identity(secret: str, user_id: Any, issuer: str, subject: str) -> None:
    """Let this strong identity (issuer and subject, kept only as a keyed hash) sign in as the user."""
    await ExternalIdentity.insert(ExternalIdentity(
        user_id=as_uuid(user_id), issuer=issuer[:200], subject_hash=external_subject_hash(secret, issuer, subject))).run()


async def start_session(user_id: str, hours: int, previous_token: str | None = None) -> str:
    """A fresh session for ``user_id``; any session carried by ``previous_token`` ends (rotation)."""
    token = secrets.token_urlsafe(32)
    async with db.write_transaction():
        if previous_token:
            await UserSession.update({UserSession.ended_at: utcnow()}).where(
                UserSession.token_hash == token_hash(previous_token)
            ).run()
        await UserSession.insert(
            UserSession(token_hash=token_hash(token), user_id=user_id, expires_at=utcnow() + timedelta(hours=hours))
        ).run()
    return token


async def end_session(token: str | None) -> None:
    if token:
        await UserSession.update({UserSession.ended_at: utcnow()}).where(
            UserSession.token_hash == token_hash(token)
        ).run()


def _actor_from_user(user: dict, **extra) -> Actor:
    return Actor(
        user_id=str(user["id"]),
        role=user["role"],
        display_name=user["display_name"],
        language=user["language"] or "fi",
        organiser_id=str(user["organiser_id"]) if user["organiser_id"] else None,
        provider_id=str(user["provider_id"]) if user["provider_id"] else None,
        client_id=str(user["client_id"]) if user["client_id"] else None,
        **extra,
    )


async def actor_from_session(token: str) -> Actor | None:
    session = await UserSession.select(UserSession.id, UserSession.user_id, UserSession.expires_at,
                                       UserSession.last_seen_at).where(
        (UserSession.token_hash == token_hash(token)) & (UserSession.ended_at.is_null())
    ).first().run()
    now = utcnow()
    if not session or session["expires_at"] <= now:
        return None
    user = await User.select().where((User.id == session["user_id"]) & (User.active == True)).first().run()  # noqa: E712
    if not user:
        return None
    if session["last_seen_at"] is None or now - session["last_seen_at"] >= LAST_SEEN_STEP:
        # At most one small write per session every few minutes, not one per request.
        await UserSession.update({UserSession.last_seen_at: now}).where(UserSession.id == session["id"]).run()
    return _actor_from_user(user, session_id=str(session["id"]))


# --- A person's own sessions (core.account shows them) -------------------------------------------

# How stale a session's ``last_seen_at`` may be: it is written when older than this.
LAST_SEEN_STEP = timedelta(minutes=5)


class SessionBrief(msgspec.Struct, frozen=True, kw_only=True):
    """One of a person's open sessions, as their account page shows it (never its token)."""

    id: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_seen_at: dt.datetime | None
    current: bool


async def open_sessions(user_id: Any, current_session_id: Any = None) -> list[SessionBrief]:
    """The user's sessions that are neither ended nor expired, newest first; ``current`` marks the
    one the request came with."""
    uid = as_uuid(user_id)
    if uid is None:
        return []
    rows = await UserSession.select(UserSession.id, UserSession.created_at, UserSession.expires_at,
                                    UserSession.last_seen_at).where(
        (UserSession.user_id == uid) & UserSession.ended_at.is_null() & (UserSession.expires_at > utcnow())
    ).order_by(UserSession.created_at, ascending=False).run()
    return [SessionBrief(id=str(r["id"]), created_at=r["created_at"], expires_at=r["expires_at"],
                         last_seen_at=r["last_seen_at"], current=str(r["id"]) == str(current_session_id))
            for r in rows]


async def end_sessions(user_id: Any, *, only: Any = None, keep: Any = None) -> int:
    """End the user's open sessions — just ``only`` if given, all but ``keep`` if given — and say how
    many ended. A session of another user is never touched (``only`` is matched with the user)."""
    uid = as_uuid(user_id)
    if uid is None:
        return 0
    where = (UserSession.user_id == uid) & UserSession.ended_at.is_null()
    if only is not None:
        sid = as_uuid(only)
        if sid is None:
            return 0
        where &= UserSession.id == sid
    if keep is not None and (kid := as_uuid(keep)) is not None:
        where &= UserSession.id != kid
    return len(await UserSession.update({UserSession.ended_at: utcnow()}).where(where).returning(UserSession.id).run())


async def password_matches(user_id: Any, password: str) -> bool:
    """Is ``password`` the active user's current password? (Verified at the same cost either way.)"""
    uid = as_uuid(user_id)
    row = await User.select(User.password_hash).where((User.id == uid) & (User.active == True)).first().run() if uid else None
    return verify_password(row["password_hash"] if row else None, password or "")


async def set_password(user_id: Any, password: str) -> None:
    await User.update({User.password_hash: hash_password(password)}).where(User.id == as_uuid(user_id)).run()


# --- Deactivation --------------------------------------------------------------------------------


class Deactivated(msgspec.Struct, frozen=True, kw_only=True):
    user_id: str
    sessions_ended: int
    api_keys_revoked: int


async def deactivate_user(user_id: Any) -> Deactivated | None:
    """Make the account inactive, end every session it has and revoke every API key it created, in
    one write transaction (the caller's, if one is open — the caller writes the audit entry in it):
    the very next request with any of its sessions or keys is refused. None when there is no such
    active account (nothing changes). Who may do it is the caller's rule (admin.users)."""
    uid = as_uuid(user_id)
    if uid is None:
        return None

    async def op() -> Deactivated | None:
        now = utcnow()
        if not await User.update({User.active: False}).where((User.id == uid) & (User.active == True)).returning(
                User.id).run():
            return None
        sessions = await UserSession.update({UserSession.ended_at: now}).where(
            (UserSession.user_id == uid) & UserSession.ended_at.is_null()).returning(UserSession.id).run()
        keys = await ApiKey.update({ApiKey.revoked_at: now}).where(
            (ApiKey.created_by == uid) & ApiKey.revoked_at.is_null()).returning(ApiKey.id).run()
        return Deactivated(user_id=str(uid), sessions_ended=len(sessions), api_keys_revoked=len(keys))

    return await db.in_write_transaction(op)


async def reactivate_user(user_id: Any) -> bool:
    """Let an inactive account sign in again (its ended sessions and revoked keys stay so: the
    person signs in afresh and makes new keys). False when there is no such inactive account."""
    uid = as_uuid(user_id)
    if uid is None:
        return False
    return bool(await User.update({User.active: True}).where((User.id == uid) & (User.active == False)).returning(
        User.id).run())


async def create_api_key(*, provider_id=None, organiser_id=None, label: str = "", created_by=None,
                         scopes: Iterable[str] = (TERMINAL,)) -> tuple[str, str]:
    """A new API key: returns (key id, the key itself). Only a hash is stored; show the key once."""
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(API_KEY_SCOPES):
        raise ValueError(f"API key scopes must be some of {API_KEY_SCOPES}, not {scopes}")
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        prefix=key[:12],
        key_hash=token_hash(key),
        provider_id=provider_id,
        organiser_id=organiser_id,
        label=label,
        scopes=" ".join(scopes),
        created_by=created_by,
    )
    await row.save().run()
    return str(row.id), key


async def revoke_api_key(key_id: str, *, provider_id=None, organiser_id=None) -> bool:
    query = ApiKey.update({ApiKey.revoked_at: utcnow()}).where((ApiKey.id == key_id) & ApiKey.revoked_at.is_null())
    if provider_id:
        query = query.where(ApiKey.provider_id == provider_id)
    if organiser_id:
        query = query.where(ApiKey.organiser_id == organiser_id)
    rows = await query.returning(ApiKey.id).run()
    return bool(rows)


# API keys seen live by this process, by the key's hash (docs/decisions/0047): a route whose one
# database call checks the key itself (``opt={"api_key_checked_in_call": True}``: the card
# authorisation) takes the actor from here with no read; every other route reads the key as before.
_KEY_CACHE: dict[str, Actor] = {}
_KEY_CACHE_MAX = 10_000


def forget_api_key(key_id: str | None) -> None:
    """Drop a key from this process's cache (it was found revoked)."""
    for digest in [d for d, a in _KEY_CACHE.items() if a.api_key_id == key_id]:
        _KEY_CACHE.pop(digest, None)


async def check_api_key(actor: Actor) -> None:
    """For an actor taken from the cache: raise Unauthenticated if its key was revoked since."""
    if not actor.api_key_unchecked:
        return
    if not await ApiKey.exists().where((ApiKey.id == actor.api_key_id) & ApiKey.revoked_at.is_null()).run():
        forget_api_key(actor.api_key_id)
        raise Unauthenticated()


async def actor_from_api_key(key: str, *, checked_in_call: bool = False) -> Actor | None:
    """The actor of an API key, read from the database — or, with ``checked_in_call`` (the route's
    own database call checks the key), from this process's cache, marked ``api_key_unchecked``."""
    if not key.startswith(API_KEY_PREFIX):
        return None
    digest = token_hash(key)
    if checked_in_call and (cached := _KEY_CACHE.get(digest)) is not None:
        return msgspec.structs.replace(cached, api_key_unchecked=True)
    row = await ApiKey.select(ApiKey.id, ApiKey.provider_id, ApiKey.organiser_id, ApiKey.label, ApiKey.scopes).where(
        (ApiKey.key_hash == digest) & ApiKey.revoked_at.is_null()
    ).first().run()
    if not row:
        _KEY_CACHE.pop(digest, None)
        return None
    actor = _api_key_actor(row)
    if len(_KEY_CACHE) >= _KEY_CACHE_MAX:
        _KEY_CACHE.clear()
    _KEY_CACHE[digest] = actor
    return actor


def _api_key_actor(row: dict) -> Actor:
    if row["provider_id"]:
        role = "provider_staff"
    else:
        role = "organiser_admin"
    return Actor(
        role=role,
        display_name=row["label"] or "API",
        provider_id=str(row["provider_id"]) if row["provider_id"] else None,
        organiser_id=str(row["organiser_id"]) if row["organiser_id"] else None,
        api_key_id=str(row["id"]),
        api_key_scopes=frozenset(row["scopes"].split()),
    )


# --- Account lists (admin.users) --------------------------------------------------------------------


class UserRow(msgspec.Struct, frozen=True, kw_only=True):
    """An account as an administrator's list shows it: no password hash, no session tokens."""

    id: str
    email: str
    display_name: str
    role: str
    active: bool
    organiser_id: str | None
    provider_id: str | None
    client_id: str | None
    created_at: dt.datetime
    # The start of its newest session: when the person last signed in (None: never).
    last_sign_in_at: dt.datetime | None = None


_ROW_COLUMNS = (User.id, User.email, User.display_name, User.role, User.active, User.organiser_id, User.provider_id,
                User.client_id, User.created_at)


def _opt(value: Any) -> str | None:
    return str(value) if value else None


async def _last_sign_ins(user_ids: list) -> dict[str, dt.datetime]:
    if not user_ids:
        return {}
    rows = await UserSession.select(UserSession.user_id, Max(UserSession.created_at, alias="last")).where(
        UserSession.user_id.is_in(user_ids)).group_by(UserSession.user_id).run()
    # SQLite hands an aggregate of a timestamp back as its stored text.
    return {str(r["user_id"]): dt.datetime.fromisoformat(r["last"]) if isinstance(r["last"], str) else r["last"]
            for r in rows}


def _user_row(row: dict, last: dict[str, dt.datetime]) -> UserRow:
    return UserRow(id=str(row["id"]), email=row["email"], display_name=row["display_name"], role=row["role"],
                   active=bool(row["active"]), organiser_id=_opt(row["organiser_id"]), provider_id=_opt(row["provider_id"]),
                   client_id=_opt(row["client_id"]), created_at=row["created_at"],
                   last_sign_in_at=last.get(str(row["id"])))


async def user_page(*, organiser_id: Any = None, also_user_ids: Iterable[Any] = (), also_client_ids: Iterable[Any] = (),
                    roles: Iterable[str] = (), q: str = "", active: bool | None = None, page: int = 1,
                    per_page: int = 20) -> tuple[list[UserRow], int]:
    """One page of accounts by e-mail, and how many match: every account, or with ``organiser_id``
    the county's — scoped to it, or one of ``also_user_ids`` (e.g. proxies of its clients), or the
    account of one of ``also_client_ids`` (its clients); ``roles``, ``q`` (part of the e-mail or
    name) and ``active`` narrow it."""
    where = User.id.is_not_null()
    if organiser_id is not None:
        where = User.organiser_id == as_uuid(organiser_id)
        if extra := [i for i in (as_uuid(x) for x in also_user_ids) if i]:
            where |= User.id.is_in(extra)
        if clients := [i for i in (as_uuid(x) for x in also_client_ids) if i]:
            where |= User.client_id.is_in(clients)
    if roles := [r for r in roles if r in ROLES]:
        where &= User.role.is_in(roles)
    if active is not None:
        where &= User.active == active
    if text := (q or "").strip().lower().replace("%", "").replace("_", "")[:100]:
        pattern = f"%{text}%"
        where &= User.email.like(pattern) | User.display_name.like(pattern) if db.is_sqlite() else (
            User.email.ilike(pattern) | User.display_name.ilike(pattern))
    total = await User.count().where(where).run()
    rows = await User.select(*_ROW_COLUMNS).where(where).order_by(User.email).limit(per_page).offset(
        (max(1, page) - 1) * per_page).run()
    last = await _last_sign_ins([r["id"] for r in rows])
    return [_user_row(r, last) for r in rows], total


async def user_row(user_id: Any) -> UserRow | None:
    """One account (active or not) as the lists show it."""
    uid = as_uuid(user_id)
    row = await User.select(*_ROW_COLUMNS).where(User.id == uid).first().run() if uid else None
    return _user_row(row, await _last_sign_ins([row["id"]])) if row else None


# --- Users by scope (whom to notify, who a proxy is) ------------------------------------------


class UserBrief(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    email: str
    language: str
    display_name: str
    # The provider the account works for, if its role is scoped to one.
    provider_id: str | None = None


_BRIEF_COLUMNS = (User.id, User.email, User.language, User.display_name, User.provider_id)


def _brief(row: dict) -> UserBrief:
    return UserBrief(id=str(row["id"]), email=row["email"], language=row["language"] or "fi",
                     display_name=row["display_name"], provider_id=str(row["provider_id"]) if row["provider_id"] else None)


async def users_with(role: str | None, *, provider_id: Any = None, organiser_id: Any = None, client_id: Any = None,
                     user_ids: Iterable[Any] | None = None) -> list[UserBrief]:
    """The active users with ``role`` (any role if None) in the scope given: e.g. a provider's
    staff (``"provider_staff", provider_id=``), an organiser's admins, a client's own accounts;
    ``user_ids`` narrows to those accounts (e.g. a client's proxies)."""
    where = User.active == True  # noqa: E712
    if role is not None:
        where &= User.role == role
    for column, value in ((User.provider_id, provider_id), (User.organiser_id, organiser_id),
                          (User.client_id, client_id)):
        if value is not None:
            scope = as_uuid(value)
            if scope is None:
                return []  # not an id: nobody is in that scope
            where &= column == scope
    if user_ids is not None:
        ids = [i for i in (as_uuid(x) for x in user_ids) if i]
        if not ids:
            return []
        where &= User.id.is_in(ids)
    return [_brief(r) for r in await User.select(*_BRIEF_COLUMNS).where(where).order_by(User.email).run()]


async def users_by_id(user_ids: Iterable[Any]) -> dict[str, UserBrief]:
    """Who these accounts are (active or not), by id; unknown ids are left out."""
    ids = [i for i in (as_uuid(x) for x in user_ids) if i]
    if not ids:
        return {}
    return {str(r["id"]): _brief(r) for r in await User.select(*_BRIEF_COLUMNS).where(User.id.is_in(ids)).run()}


async def user_by_email(email: str, role: str | None = None, organiser_id: Any = None) -> UserBrief | None:
    """The active user with this e-mail (and ``role``, and scoped to ``organiser_id``, if given)."""
    where = (User.email == (email or "").strip().lower()) & (User.active == True)  # noqa: E712
    if role is not None:
        where &= User.role == role
    if organiser_id is not None:
        if (org := as_uuid(organiser_id)) is None:
            return None
        where &= User.organiser_id == org
    row = await User.select(*_BRIEF_COLUMNS).where(where).first().run()
    return _brief(row) if row else None


class ApiKeyBrief(msgspec.Struct, frozen=True, kw_only=True):
    """What a provider's staff see of a key: never its hash."""

    id: uuid.UUID
    prefix: str
    label: str
    scopes: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


async def api_keys_of(provider_id: Any) -> list[ApiKeyBrief]:
    """A provider's keys, newest first."""
    rows = await ApiKey.select(ApiKey.id, ApiKey.prefix, ApiKey.label, ApiKey.scopes, ApiKey.created_at,
                               ApiKey.revoked_at).where(ApiKey.provider_id == provider_id).order_by(
        ApiKey.created_at, ascending=False).run()
    return msgspec.convert(rows, list[ApiKeyBrief])


async def has_api_key(provider_id: Any, label: str) -> bool:
    return await ApiKey.exists().where((ApiKey.provider_id == provider_id) & (ApiKey.label == label)).run()


async def account_by_email(email: str) -> UserBrief | None:
    """The account with this e-mail, active or not (an address names one account at most)."""
    row = await User.select(*_BRIEF_COLUMNS).where(User.email == (email or "").strip().lower()).first().run()
    return _brief(row) if row else None


async def address_used_elsewhere(email: str, provider_id: Any) -> bool:
    """Does an account other than this provider's own staff have this e-mail? (Then the provider may
    not take it as its contact address: its notices would reach that person.)"""
    return await User.exists().where(
        (User.email == (email or "").strip().lower())
        & ((User.role != "provider_staff") | User.provider_id.is_null() | (User.provider_id != provider_id))
    ).run()


def staff_match(user_provider_id: Any, user_email: str, provider_id: Any, provider_email: str | None) -> str | None:
    """How a person is staff of a provider, if they are: their account is scoped to it
    (``"provider_account"``), or their e-mail is the provider's own (``"same_email"``). The one
    statement of the rule: ``is_provider_staff`` and the organiser's anomaly rule
    ``proxy_is_provider_staff`` both ask it."""
    if user_provider_id is not None and str(user_provider_id) == str(provider_id):
        return "provider_account"
    if (user_email or "").lower() == (provider_email or "").lower():
        return "same_email"
    return None


async def is_provider_staff(user_id: Any, provider_id: Any, provider_email: str | None) -> bool:
    """Is this person staff of the provider (``staff_match``)? The provider's e-mail is the
    marketplace's to tell: ``marketplace.catalogue.works_for_provider`` asks with it."""
    uid, pid = as_uuid(user_id), as_uuid(provider_id)
    if uid is None or pid is None:
        return False
    user = await User.select(User.email, User.provider_id).where(User.id == uid).first().run()
    if not user:
        return False
    return staff_match(user["provider_id"], user["email"], pid, provider_email) is not None


def require(actor: Actor, *roles: str) -> Actor:
    """The actor, if signed in with one of ``roles``; otherwise 401 (anonymous) or 403."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if roles and actor.role not in roles:
        raise Forbidden()
    return actor
