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
from collections.abc import Awaitable, Callable

from core.settings import Settings
from voucher import authorisation, plan_tasks
from voucher.evaluation import reminders as questionnaire_reminders_module

log = logging.getLogger("hb.voucher")
SWEEP_EVERY_S = 600
REMIND_EVERY_S = 900
FIRST_RUN_AFTER_S = 60


async def _repeat(app, work: Callable[..., Awaitable[int]], every_s: int, done: str, failed: str) -> None:
    """Run ``work(now)`` every ``every_s`` seconds after a first wait; log how many it did, and keep
    going when a round fails (the next round retries)."""
    await asyncio.sleep(FIRST_RUN_AFTER_S)
    while True:
        try:
            count = await work(app.state.clock())
            if count:
                log.info(done, extra={"status": count})
        except Exception:  # noqa: BLE001 - keep going; the next round retries
            log.exception(failed)
        await asyncio.sleep(every_s)


async def expiry_sweeper(app, settings: Settings) -> None:
    await _repeat(app, authorisation.sweep_expired, SWEEP_EVERY_S, "expired holds released", "hold expiry sweep failed")


async def plan_reminders(app, settings: Settings) -> None:
    await _repeat(app, plan_tasks.send_reminders, REMIND_EVERY_S, "plan follow-up reminders written",
                  "plan follow-up reminders failed")


async def questionnaire_reminders(app, settings: Settings) -> None:
    await _repeat(app, questionnaire_reminders_module.send_reminders, REMIND_EVERY_S,
                  "questionnaire reminders written", "questionnaire reminders failed")
