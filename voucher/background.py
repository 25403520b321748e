"""Background work the app runs: the hold-expiry sweeper and the settlement schedule.

The sweeper also forgets idempotency keys older than 48 hours. Neither is needed for correctness of balances (expired holds never count, swept or not); the
sweeper tidies the counters, and the schedule runs ``hb settle`` so batches close without a cron.
Both are idempotent, so several app workers running them at once is harmless.
"""

import asyncio
import datetime as dt
import logging

from core.settings import Settings
from voucher import authorisation, idempotency, settlement

log = logging.getLogger("hb.voucher")
SWEEP_EVERY_S = 600
SETTLE_EVERY_S = 3600
FIRST_RUN_AFTER_S = 60
KEEP_IDEMPOTENCY_KEYS = dt.timedelta(hours=48)


async def expiry_sweeper(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            swept = await authorisation.sweep_expired()
            await idempotency.prune(authorisation.utcnow() - KEEP_IDEMPOTENCY_KEYS)
            if swept:
                log.info("expired holds released", extra={"status": swept})
        except Exception:  # noqa: BLE001 - keep sweeping; the next round retries
            log.exception("hold expiry sweep failed")
        await asyncio.sleep(SWEEP_EVERY_S)


async def settlement_schedule(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            await settlement.settle(
                settings, authorisation.utcnow(), gateway=settlement.gateway_from(settings), progress=log.info
            )
        except Exception:  # noqa: BLE001 - keep the schedule; the next round continues the state machine
            log.exception("scheduled settlement failed")
        await asyncio.sleep(SETTLE_EVERY_S)
