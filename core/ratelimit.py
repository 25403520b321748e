"""Rate limits.

* Login and password reset: per e-mail address and per client address, counted in the database
  so every server process sees the same counts. Each bucket is one ``RateLimitCounter`` row (its
  name holds a hash, so the table never becomes a list of e-mail addresses) with the start of its
  window and the attempts in it. An attempt is claimed by one conditional update — ``hits + 1``
  only while ``hits < limit`` in a running window, or a new window once the old one has passed —
  never by counting first and writing afterwards: on PostgreSQL the update locks the bucket's row
  and a parallel attempt waits for it, then re-checks its condition against the committed count;
  on SQLite write transactions run one at a time. The buckets of one attempt are claimed in one
  transaction, so an attempt refused by one bucket counts in none.
* The card authorisation API (``/api/v1/authorizations…``, ``/api/v1/captures…``): per API key (or
  session) and per client address, a token bucket in the process's memory, checked by the app-wide
  guard ``api_rate_guard`` before the caller is even looked up — a flood of made-up keys costs no
  database work. On SQLite (one server process) the buckets are in the process's memory. On
  PostgreSQL, where ``hb serve --workers N`` runs several processes, they are shared through the
  database (``SharedApiRateLimiter``, docs/decisions/0048): each process leases tokens from the
  bucket's row in chunks of a twentieth of the window's limit, one conditional statement per
  chunk, so N processes together never pass more than the limit and the hot path writes to the
  database once per chunk, not once per request.

Every refusal is ``RateLimited`` → 429 with a problem body and ``Retry-After``.
"""

import asyncio
import hashlib
import math
import time
from datetime import timedelta

from piccolo.querystring import QueryString

from core.clock import utcnow
from core import db
from core.db import in_write_transaction
from core.errors import RateLimited
from core.tables import RateLimitCounter

# Login: every attempt counts, right password or not.
WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 10
MAX_PER_ADDRESS = 50

# Password reset requests, counted the same whether or not the e-mail address has an account.
RESET_WINDOW = timedelta(hours=1)
RESET_PER_ACCOUNT = 3
RESET_PER_ADDRESS = 20

# Accepting an invitation (a token in a link): per client address, right token or not. A token is
# 256 random bits, so this is not what stops guessing; it keeps a flood of made-up tokens (and of
# argon2 hashes of the passwords sent with them) cheap to refuse.
INVITATION_WINDOW = timedelta(minutes=15)
INVITATION_PER_ADDRESS = 30


def _bucket(kind: str, value: str) -> str:
    # Hashed: the counter table must not become a list of e-mail addresses.
    return kind + ":" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


async def _claim(bucket: str, limit: int, window: timedelta) -> None:
    """Count one attempt in ``bucket``, or raise ``RateLimited`` if its window is full."""
    at = utcnow()
    counter = RateLimitCounter
    started = await counter.insert(counter(bucket=bucket, window_start=at, hits=1)).on_conflict(
        action="DO NOTHING").returning(counter.id).run()
    if started:
        return
    counted = await counter.update({counter.hits: counter.hits + 1}).where(
        (counter.bucket == bucket) & (counter.window_start > at - window) & (counter.hits < limit)
    ).returning(counter.id).run()
    if counted:
        return
    renewed = await counter.update({counter.hits: 1, counter.window_start: at}).where(
        (counter.bucket == bucket) & (counter.window_start <= at - window)
    ).returning(counter.id).run()
    if renewed:
        return
    row = await counter.select(counter.window_start).where(counter.bucket == bucket).first().run()
    wait = (row["window_start"] + window - at).total_seconds()
    raise RateLimited(retry_after=max(1, math.ceil(wait)))


async def _claim_all(buckets: list[tuple[str, int]], window: timedelta) -> None:
    async def op() -> None:
        for bucket, limit in buckets:
            await _claim(bucket, limit, window)

    await in_write_transaction(op)


async def check_login(email: str, address: str) -> None:
    await _claim_all([(_bucket("acct", email), MAX_PER_ACCOUNT), (_bucket("addr", address), MAX_PER_ADDRESS)], WINDOW)


async def check_password_reset(email: str, address: str) -> None:
    """Counted the same whether or not the address has an account (no enumeration by 429s)."""
    await _claim_all(
        [(_bucket("reset-acct", email), RESET_PER_ACCOUNT), (_bucket("reset-addr", address), RESET_PER_ADDRESS)],
        RESET_WINDOW,
    )


# Starting an e-ID sign-in writes a row and signs a request: counted per client address.
EID_WINDOW = timedelta(minutes=15)
EID_PER_ADDRESS = 60


async def check_eid_start(address: str) -> None:
    await _claim_all([(_bucket("eid-addr", address), EID_PER_ADDRESS)], EID_WINDOW)


async def check_invitation(address: str) -> None:
    await _claim_all([(_bucket("invite-addr", address), INVITATION_PER_ADDRESS)], INVITATION_WINDOW)


# Setting a card's PIN or making a one-time payment code (each costs an argon2 hash or gives out a
# code that pays): per signed-in account and per client address.
CARD_CONSENT_WINDOW = timedelta(minutes=15)
CARD_CONSENT_PER_ACCOUNT = 20
CARD_CONSENT_PER_ADDRESS = 60


async def check_card_consent(user_id: str, address: str) -> None:
    await _claim_all([(_bucket("consent-acct", user_id), CARD_CONSENT_PER_ACCOUNT),
                      (_bucket("consent-addr", address), CARD_CONSENT_PER_ADDRESS)], CARD_CONSENT_WINDOW)


# --- The authorisation API -------------------------------------------------------------------

API_PREFIXES = ("/api/v1/authorizations", "/api/v1/captures")


class TokenBuckets:
    """``rate`` requests per second on average, up to ``burst`` at once, per key. ``rate`` 0 turns
    the limit off."""

    def __init__(self, rate: float, burst: int, *, clock=time.monotonic, max_keys: int = 50_000) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.max_keys = max_keys
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str) -> float:
        """0 when a request may go ahead (and is counted); else seconds until one may."""
        if self.rate <= 0:
            return 0.0
        t = self.clock()
        tokens, last = self._state.get(key, (float(self.burst), t))
        tokens = min(float(self.burst), tokens + (t - last) * self.rate)
        if tokens < 1:
            self._state[key] = (tokens, t)
            return (1 - tokens) / self.rate
        if len(self._state) >= self.max_keys and key not in self._state:
            self._prune(t)
        self._state[key] = (tokens - 1, t)
        return 0.0

    def _prune(self, t: float) -> None:
        """Forget keys whose bucket has filled up again (they are as good as new)."""
        for key, (tokens, last) in list(self._state.items()):
            if tokens + (t - last) * self.rate >= self.burst:
                del self._state[key]


class ApiRateLimiter:
    def __init__(self, per_key: float, per_address: float, burst_seconds: float = 4.0) -> None:
        self.by_key = TokenBuckets(per_key, max(1, int(per_key * burst_seconds)))
        self.by_address = TokenBuckets(per_address, max(1, int(per_address * burst_seconds)))

    @classmethod
    def from_settings(cls, settings) -> "ApiRateLimiter":
        """``HB_API_RATE_PER_KEY`` / ``HB_API_RATE_PER_ADDRESS`` (core.settings): requests per second,
        0 = no limit; defaults 50/s per key and 100/s per address."""
        return cls(settings.api_rate_per_key, settings.api_rate_per_address)

    def check(self, credential: str | None, address: str) -> None:
        waits = [self.by_address.take(address)]
        if credential:
            waits.append(self.by_key.take(hashlib.sha256(credential.encode()).hexdigest()))
        wait = max(waits)
        if wait > 0:
            raise RateLimited(retry_after=max(1, math.ceil(wait)))


# One statement: lease up to ``chunk`` tokens from the bucket's window (a new window once the old
# one has passed), never past ``limit``; answers what was granted and when the window started. The
# row is locked (FOR UPDATE) so parallel leases from several processes add up exactly.
_LEASE_SQL = """
WITH old AS (
  SELECT id, hits, window_start, window_start <= {}::timestamptz - make_interval(secs => {}::float8) AS renew
    FROM hb_rate_limit_counter WHERE bucket = {}::varchar FOR UPDATE
), upd AS (
  UPDATE hb_rate_limit_counter c
     SET window_start = CASE WHEN old.renew THEN {}::timestamptz ELSE old.window_start END,
         hits = CASE WHEN old.renew THEN LEAST({}::int, {}::int) ELSE LEAST({}::int, old.hits + {}::int) END
    FROM old WHERE c.id = old.id
  RETURNING c.hits - CASE WHEN old.renew THEN 0 ELSE old.hits END AS granted, c.window_start
)
SELECT granted, window_start FROM upd
"""
_START_SQL = """
INSERT INTO hb_rate_limit_counter (id, bucket, window_start, hits) VALUES (gen_random_uuid(), {}::varchar, {}::timestamptz, LEAST({}::int, {}::int))
ON CONFLICT (bucket) DO NOTHING RETURNING hits AS granted, window_start
"""


class SharedApiRateLimiter:
    """The authorisation API's limits shared by every server process through the database
    (PostgreSQL; docs/decisions/0048). A bucket allows ``rate × window_s`` requests per window of
    ``window_s`` seconds (the in-memory limiter's burst); a process leases a chunk of them at a
    time and spends it locally until the window ends. Leased but unspent tokens lapse with the
    window, so the processes together stay within the limit (at the cost of refusing a little early)."""

    def __init__(self, per_key: float, per_address: float, window_s: float = 4.0, *, clock=utcnow) -> None:
        self.window_s = window_s
        self.key_limit = int(per_key * window_s) if per_key > 0 else 0
        self.address_limit = int(per_address * window_s) if per_address > 0 else 0
        self.clock = clock
        self._local: dict[str, tuple[int, object]] = {}  # bucket → (tokens left, window's end)
        self._locks: dict[str, asyncio.Lock] = {}
        self._refused: dict[str, object] = {}  # bucket → the end of its spent window

    @classmethod
    def from_settings(cls, settings) -> "SharedApiRateLimiter":
        return cls(settings.api_rate_per_key, settings.api_rate_per_address)

    async def _take(self, bucket: str, limit: int) -> float:
        """0 when a request may go ahead (and is counted); else seconds until the window ends."""
        if limit <= 0:
            return 0.0
        if self._spend(bucket):
            return 0.0
        refused_until = self._refused.get(bucket)
        if refused_until is not None and self.clock() < refused_until:
            # The window is spent (another lease said so): refused without asking the database again.
            return max(0.001, (refused_until - self.clock()).total_seconds())
        # One lease in flight per bucket in this process: the requests waiting for it then spend it.
        lock = self._locks.setdefault(bucket, asyncio.Lock())
        async with lock:
            if self._spend(bucket):
                return 0.0
            return await self._lease(bucket, limit)

    def _spend(self, bucket: str) -> bool:
        tokens, ends = self._local.get(bucket, (0, None))
        if tokens > 0 and self.clock() < ends:
            self._local[bucket] = (tokens - 1, ends)
            return True
        return False

    async def _lease(self, bucket: str, limit: int) -> float:
        at = self.clock()
        chunk = max(1, limit // 20)
        window = timedelta(seconds=self.window_s)
        rows = await db.engine().run_querystring(QueryString(
            _LEASE_SQL, at, self.window_s, bucket, at, chunk, limit, limit, chunk))
        if not rows:
            rows = await db.engine().run_querystring(QueryString(_START_SQL, bucket, at, chunk, limit)) or (
                await db.engine().run_querystring(QueryString(_LEASE_SQL, at, self.window_s, bucket, at, chunk, limit,
                                                               limit, chunk)))
        granted, started = rows[0]["granted"], rows[0]["window_start"]
        if len(self._local) > 50_000:
            self._local.clear()
            self._refused.clear()
            self._locks = {bucket: self._locks[bucket]}
        if granted <= 0:
            self._local.pop(bucket, None)
            self._refused[bucket] = started + window
            return max(0.001, (started + window - at).total_seconds())
        self._local[bucket] = (granted - 1, started + window)
        return 0.0

    async def check(self, credential: str | None, address: str) -> None:
        waits = [await self._take(_bucket("api-addr", address), self.address_limit)]
        if credential:
            waits.append(await self._take(_bucket("api-key", credential), self.key_limit))
        wait = max(waits)
        if wait > 0:
            raise RateLimited(retry_after=max(1, math.ceil(wait)))


def api_rate_limiter(settings) -> "ApiRateLimiter | SharedApiRateLimiter":
    """The app's limiter: shared through the database on PostgreSQL (several server processes),
    in memory on SQLite (one)."""
    if settings.is_postgres:
        return SharedApiRateLimiter.from_settings(settings)
    return ApiRateLimiter.from_settings(settings)


async def api_rate_guard(connection, handler) -> None:
    """App-wide guard, first in line: limits the authorisation API per credential and per address."""
    path = connection.scope.get("path", "")
    if not path.startswith(API_PREFIXES):
        return
    limiter: ApiRateLimiter | SharedApiRateLimiter | None = getattr(connection.app.state, "api_rate_limiter", None)
    if limiter is None:
        return
    auth = connection.headers.get("authorization", "")
    credential = auth[7:].strip() if auth.lower().startswith("bearer ") else connection.cookies.get("hb_session")
    address = connection.client.host if connection.client else "unknown"
    if isinstance(limiter, SharedApiRateLimiter):
        await limiter.check(credential, address)
    else:
        limiter.check(credential, address)
