"""Background work the app runs: the hold-expiry sweeper.

The sweeper also forgets idempotency keys older than 48 hours. It is not needed for correctness of
balances (expired holds never count, swept or not); it tidies the counters. It is idempotent, so
several app workers running it at once is harmless. (The settlement schedule runs with the
console's payout-confirmation rule, in admin/background.py.)
"""

import asyncio
import datetime as dt
import logging

from core.settings import Settings
from voucher import authorisation, idempotency

log = logging.getLogger("hb.voucher")
SWEEP_EVERY_S = 600
FIRST_RUN_AFTER_S = 60
KEEP_IDEMPOTENCY_KEYS = dt.timedelta(hours=48)


async def expiry_sweeper(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            now = app.state.clock()
            swept = await authorisation.sweep_expired(now)
            await idempotency.prune(now - KEEP_IDEMPOTENCY_KEYS)
            if swept:
                log.info("expired holds released", extra={"status": swept})
        except Exception:  # noqa: BLE001 - keep sweeping; the next round retries
            log.exception("hold expiry sweep failed")
        await asyncio.sleep(SWEEP_EVERY_S)
