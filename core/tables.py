"""Identity, audit, rate-limit and idempotency tables, and the outbox of published facts. Columns only;
rules live in core.identity, core.audit, core.ratelimit, core.idempotency and core.facts."""

import uuid

from piccolo.columns import JSON, UUID, BigSerial, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class User(Table, tablename="hb_user"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    email = Varchar(length=254, unique=True, index=True)
    display_name = Varchar(length=200)
    password_hash = Text(null=True, default=None)
    # client | proxy | provider_staff | counsellor | organiser_admin | platform_admin
    role = Varchar(length=32, index=True)
    language = Varchar(length=2, default="fi")
    # Scope of the role. Plain ids, not foreign keys: identity sits below the business packages.
    organiser_id = UUID(null=True, default=None, index=True)
    provider_id = UUID(null=True, default=None, index=True)
    client_id = UUID(null=True, default=None, index=True)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ExternalIdentity(Table, tablename="hb_external_identity"):
    """A login method other than a password (e.g. Suomi.fi e-ID over OIDC) mapped to a user.

    ``subject_hash`` is a keyed hash of the identity provider's subject, so no national identity
    number is stored even when the provider's subject carries one.
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    user_id = UUID(index=True)
    issuer = Varchar(length=200)
    subject_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())


class UserSession(Table, tablename="hb_session"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    token_hash = Varchar(length=64, unique=True)
    user_id = UUID(index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
    # When the session last made a request, to within core.identity.LAST_SEEN_STEP (written at most
    # that often, so a request does not write each time); shown on the person's account page.
    last_seen_at = Timestamptz(null=True, default=None)


class ApiKey(Table, tablename="hb_api_key"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    # The first characters of the key, shown in lists so a person can tell keys apart.
    prefix = Varchar(length=16, index=True)
    key_hash = Varchar(length=64, unique=True)
    provider_id = UUID(null=True, default=None, index=True)
    organiser_id = UUID(null=True, default=None, index=True)
    label = Varchar(length=200, default="")
    # What the key may do, space-separated (core.identity.API_KEY_SCOPES); a route accepts a key
    # only if it names one of them (core.web.require_sign_in).
    scopes = Varchar(length=200, default="terminal")
    created_by = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)


class AuditEvent(Table, tablename="hb_audit_event"):
    """Append-only: database triggers (see the migration) refuse UPDATE and DELETE."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor_user_id = UUID(null=True, default=None, index=True)
    actor_role = Varchar(length=32, default="")
    actor_label = Varchar(length=200, default="")
    on_behalf_of = UUID(null=True, default=None)
    action = Varchar(length=64, index=True)
    subject_type = Varchar(length=64, index=True)
    subject_id = Varchar(length=64, index=True)
    organiser_id = UUID(null=True, default=None, index=True)
    purpose = Varchar(length=64, default="")
    reason = Text(default="")
    details = JSON(default="{}")
    request_id = Varchar(length=64, default="")


class RateLimitCounter(Table, tablename="hb_rate_limit_counter"):
    """Attempts in one rate-limit bucket's current window (core.ratelimit): one row per bucket,
    claimed by conditional updates so parallel requests and server processes share one count."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # A kind and a hash (an e-mail address or a client address is never stored).
    bucket = Varchar(length=128, unique=True)
    window_start = Timestamptz(default=TimestamptzNow())
    hits = Integer(default=0)


class PasswordReset(Table, tablename="hb_password_reset"):
    """A password-reset link: single use, expiring, and only a hash of its token is kept
    (core.password_reset)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    user_id = UUID(index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class IdempotencyRecord(Table, tablename="hb_idempotency"):
    """The first response to a request carrying an ``Idempotency-Key``, stored with its effect
    (core.idempotency). Unique on (scope, key): see the migration."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # Who sent it (API key or user) — keys of different callers never collide.
    scope = Varchar(length=80)
    key = Varchar(length=255)
    request_hash = Varchar(length=64)
    status_code = Integer(null=True, default=None)
    body = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


class Fact(Table, tablename="hb_fact"):
    """A fact a package published in the transaction that made it true (core.facts), waiting for
    the package that keeps a read model of it. Rows are taken (deleted) as they are applied."""

    id = BigSerial(primary_key=True)
    # "<package>.<what>", e.g. "voucher.capture"; the payload's shape is the publisher's.
    kind = Varchar(length=64)
    payload = Text()
    at = Timestamptz(default=TimestamptzNow())


class OidcLogin(Table, tablename="hb_oidc_login"):
    """One e-ID sign-in under way (core.eid): made when the browser leaves for the identity
    provider, claimed once when it comes back. Only hashes: the state itself lives in the browser's
    cookie and the provider's redirect, the nonce and PKCE verifier are derived from it with the
    platform secret, and an invitation's token stays in the cookie (its hash binds it here)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    state_hash = Varchar(length=64, unique=True)
    # "eid" (clients, Suomi.fi), "staff" (the organisation's identity provider) or "identify" (a
    # signed-in provider staff member identifying with e-ID; invitation_hash then binds the account)
    kind = Varchar(length=16)
    invitation_hash = Varchar(length=64, null=True, default=None)
    next_path = Varchar(length=300, default="/")
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)


class Invitation(Table, tablename="hb_invitation"):
    """An invitation to an account (core.invitations): single use, expiring, and only a hash of its
    token is kept. Who may invite whom, and what accepting creates, is voucher.invitations'."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    # SHA-256 of a 256-bit random token; the token itself is never stored (a resend makes a new one).
    token_hash = Varchar(length=64, unique=True)
    email = Varchar(length=254, index=True)
    # The role the account will have (core.identity.ROLES) and its scope, as on hb_user.
    role = Varchar(length=32)
    display_name = Varchar(length=200, default="")
    language = Varchar(length=2, default="fi")
    organiser_id = UUID(null=True, default=None, index=True)
    client_id = UUID(null=True, default=None, index=True)
    provider_id = UUID(null=True, default=None, index=True)
    # A proxy's rights for the client (view, book, pay); empty for every other role.
    rights = JSON(default="[]")
    invited_by = UUID(null=True, default=None, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    accepted_at = Timestamptz(null=True, default=None)
    accepted_user_id = UUID(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_sent_at = Timestamptz(null=True, default=None)
    sent_count = Integer(default=0)
