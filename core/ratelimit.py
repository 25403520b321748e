"""Rate limits.

* Login and password reset: per e-mail address and per client address, counted in the database
  (``LoginThrottle``) so every worker process sees the same counts. Buckets hold hashes, so the
  table never becomes a list of e-mail addresses.
* The card authorisation API (``/api/v1/authorizations…``, ``/api/v1/captures…``): per API key (or
  session) and per client address, a token bucket in the process's memory, checked by the app-wide
  guard ``api_rate_guard`` before the caller is even looked up — a flood of made-up keys costs no
  database work. In memory because this is the hot path (a database write per authorisation would
  halve its throughput); with several workers each enforces the limit on its own share.

Every refusal is ``RateLimited`` → 429 with a problem body and ``Retry-After``.
"""

import hashlib
import math
import time
from datetime import timedelta

from core.errors import RateLimited
from core.identity import now
from core.tables import LoginThrottle

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 10
MAX_PER_ADDRESS = 50

RESET_WINDOW = timedelta(hours=1)
RESET_PER_ACCOUNT = 3
RESET_PER_ADDRESS = 20


def _bucket(kind: str, value: str) -> str:
    # Hashed: the throttle table must not become a list of e-mail addresses.
    return kind + ":" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


async def _count_and_note(buckets: list[tuple[str, int]], window: timedelta) -> None:
    """Refuse when any bucket is full within ``window``; otherwise note one attempt in each."""
    since = now() - window
    for bucket, limit in buckets:
        rows = await LoginThrottle.select(LoginThrottle.at).where(
            (LoginThrottle.bucket == bucket) & (LoginThrottle.at > since)
        ).order_by(LoginThrottle.at).limit(limit).run()
        if len(rows) >= limit:
            # The oldest attempt in the window leaves it first.
            wait = (rows[0]["at"] + window - now()).total_seconds()
            raise RateLimited(retry_after=max(1, math.ceil(wait)))
    await LoginThrottle.insert(*[LoginThrottle(bucket=bucket) for bucket, _ in buckets]).run()


async def check_login(email: str, address: str) -> None:
    await _count_and_note([(_bucket("acct", email), MAX_PER_ACCOUNT), (_bucket("addr", address), MAX_PER_ADDRESS)], WINDOW)


async def check_password_reset(email: str, address: str) -> None:
    """Counted the same whether or not the address has an account (no enumeration by 429s)."""
    await _count_and_note(
        [(_bucket("reset-acct", email), RESET_PER_ACCOUNT), (_bucket("reset-addr", address), RESET_PER_ADDRESS)],
        RESET_WINDOW,
    )


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


async def api_rate_guard(connection, handler) -> None:
    """App-wide guard, first in line: limits the authorisation API per credential and per address."""
    path = connection.scope.get("path", "")
    if not path.startswith(API_PREFIXES):
        return
    limiter: ApiRateLimiter | None = getattr(connection.app.state, "api_rate_limiter", None)
    if limiter is None:
        return
    auth = connection.headers.get("authorization", "")
    credential = auth[7:].strip() if auth.lower().startswith("bearer ") else connection.cookies.get("hb_session")
    address = connection.client.host if connection.client else "unknown"
    limiter.check(credential, address)
