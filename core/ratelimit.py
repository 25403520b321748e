"""Login throttling per e-mail and per address, kept in the database so every worker sees it."""

import hashlib
from datetime import timedelta

from core.errors import RateLimited
from core.identity import now
from core.tables import LoginThrottle

WINDOW = timedelta(minutes=15)
MAX_PER_ACCOUNT = 10
MAX_PER_ADDRESS = 50


def _bucket(kind: str, value: str) -> str:
    # Hashed: the throttle table must not become a list of e-mail addresses.
    return kind + ":" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:40]


async def check_login(email: str, address: str) -> None:
    since = now() - WINDOW
    buckets = [(_bucket("acct", email), MAX_PER_ACCOUNT), (_bucket("addr", address), MAX_PER_ADDRESS)]
    for bucket, limit in buckets:
        count = await LoginThrottle.count().where((LoginThrottle.bucket == bucket) & (LoginThrottle.at > since)).run()
        if count >= limit:
            raise RateLimited(retry_after=int(WINDOW.total_seconds()))
    await LoginThrottle.insert(*[LoginThrottle(bucket=bucket) for bucket, _ in buckets]).run()
