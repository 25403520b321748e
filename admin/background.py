"""Background work of the console: apply the voucher's facts as they come, keep the rollups near the
clock, watch for anomalies, and run settlement on its schedule.

The drain, the rollups and the watch are not needed for correct figures (a dashboard read applies
the facts that wait, rolls up what is missing and reads the rest live); they keep page views quick
and flags fresh. The schedule runs ``hb settle`` so batches close without a cron, with the console's
two-admin rule for payouts to a changed bank account (settlement refuses to run without it). All
are idempotent, so several app workers — and a CLI run — at once are harmless (each fact is taken
once; admin.rollup claims each range once; flags are keyed; settlement claims each batch and payout
once).
"""

import asyncio
import datetime as dt
import logging

from admin import anomalies, facts, payouts, rollup
from core.settings import Settings
from voucher import settlement

log = logging.getLogger("hb.admin")
ROLLUP_EVERY_S = 300
# The voucher's facts are applied this often, so that a page view rarely finds many waiting.
DRAIN_EVERY_S = 10
WATCH_EVERY_S = 600
SETTLE_EVERY_S = 3600
FIRST_RUN_AFTER_S = 30
SETTLE_FIRST_RUN_AFTER_S = 60


async def fact_drainer(app, settings: Settings) -> None:
    await asyncio.sleep(DRAIN_EVERY_S)
    while True:
        try:
            await facts.drain()
        except Exception:  # noqa: BLE001 - the facts wait for the next round
            log.exception("applying the voucher's facts failed")
        await asyncio.sleep(DRAIN_EVERY_S)


async def rollup_refresher(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            await rollup.refresh(app.state.clock())
        except Exception:  # noqa: BLE001 - the next round catches up
            log.exception("follow-up rollup failed")
        await asyncio.sleep(ROLLUP_EVERY_S)


async def anomaly_watch(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            now = app.state.clock()
            found = await anomalies.scan_all(now - dt.timedelta(days=anomalies.WATCH_DAYS), now)
            if found:
                log.info("anomaly flags raised", extra={"status": found})
        except Exception:  # noqa: BLE001 - the next round retries
            log.exception("anomaly watch failed")
        await asyncio.sleep(WATCH_EVERY_S)


async def settlement_schedule(app, settings: Settings) -> None:
    await asyncio.sleep(SETTLE_FIRST_RUN_AFTER_S)
    while True:
        try:
            await settle(settings, app.state.clock())
        except Exception:  # noqa: BLE001 - keep the schedule; the next round continues the state machine
            log.exception("scheduled settlement failed")
        await asyncio.sleep(SETTLE_EVERY_S)


async def settle(settings: Settings, now: dt.datetime) -> settlement.SettleSummary:
    """One scheduled settlement run: Stripe Connect when configured, and payouts to a changed
    account held until two organiser admins confirm them."""
    return await settlement.settle(
        settings, now, confirmation=payouts.unconfirmed, gateway=settlement.gateway_from(settings), progress=log.info
    )
