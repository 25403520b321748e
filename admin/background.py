"""Background work of the console: keep the rollups near the clock and watch for anomalies.

Neither is needed for correct figures (a dashboard read rolls up what is missing and reads the rest
live); they keep page views quick and flags fresh. Both are idempotent, so several app workers
running them at once is harmless (admin.rollup claims each range once; flags are keyed).
"""

import asyncio
import datetime as dt
import logging

from admin import anomalies, rollup
from core.settings import Settings

log = logging.getLogger("hb.admin")
ROLLUP_EVERY_S = 300
WATCH_EVERY_S = 600
FIRST_RUN_AFTER_S = 30


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


async def rollup_refresher(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            await rollup.refresh(utcnow())
        except Exception:  # noqa: BLE001 - the next round catches up
            log.exception("follow-up rollup failed")
        await asyncio.sleep(ROLLUP_EVERY_S)


async def anomaly_watch(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            now = utcnow()
            found = await anomalies.scan_all(now - dt.timedelta(days=anomalies.WATCH_DAYS), now)
            if found:
                log.info("anomaly flags raised", extra={"status": found})
        except Exception:  # noqa: BLE001 - the next round retries
            log.exception("anomaly watch failed")
        await asyncio.sleep(WATCH_EVERY_S)
