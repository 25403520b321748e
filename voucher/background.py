"""Background work the app runs: the hold-expiry sweeper, the plan follow-up reminders
(``plan_reminders``: each client told once, ``voucher.plan_tasks.send_reminders``) and the
questionnaire reminders (``questionnaire_reminders``: once per round,
``voucher.evaluation.reminders.send_reminders``).

It is not needed for correctness of balances (expired holds never count, swept or not); it tidies
the counters. It is idempotent, so several app workers running it at once is harmless. (The settlement schedule runs with the
console's payout-confirmation rule, in admin/background.py.)
"""

import asyncio
import logging

from core.settings import Settings
from voucher import authorisation, plan_tasks
from voucher.evaluation import reminders as questionnaire_reminders_module

log = logging.getLogger("hb.voucher")
SWEEP_EVERY_S = 600
REMIND_EVERY_S = 900
FIRST_RUN_AFTER_S = 60


async def expiry_sweeper(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            swept = await authorisation.sweep_expired(app.state.clock())
            if swept:
                log.info("expired holds released", extra={"status": swept})
        except Exception:  # noqa: BLE001 - keep sweeping; the next round retries
            log.exception("hold expiry sweep failed")
        await asyncio.sleep(SWEEP_EVERY_S)


async def plan_reminders(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            told = await plan_tasks.send_reminders(app.state.clock())
            if told:
                log.info("plan follow-up reminders written", extra={"status": told})
        except Exception:  # noqa: BLE001 - keep reminding; the next round retries
            log.exception("plan follow-up reminders failed")
        await asyncio.sleep(REMIND_EVERY_S)


async def questionnaire_reminders(app, settings: Settings) -> None:
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            told = await questionnaire_reminders_module.send_reminders(app.state.clock())
            if told:
                log.info("questionnaire reminders written", extra={"status": told})
        except Exception:  # noqa: BLE001 - keep reminding; the next round retries
            log.exception("questionnaire reminders failed")
        await asyncio.sleep(REMIND_EVERY_S)
