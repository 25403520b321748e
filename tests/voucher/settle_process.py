"""Runs `settle` in its own process for the crash test: CRASH_AT names the step after which the
process dies at once (os._exit, no clean-up), as a power cut or a kill -9 would leave it."""

import asyncio
import datetime as dt
import os

from core import db
from core.settings import Settings
from voucher.settlement import settle
from voucher.settlement.connect import StripeConnect


async def main() -> None:
    settings = Settings.from_env()
    engine = db.bind(db.make_engine(settings))
    await db.start(engine)
    crash_at = os.environ.get("CRASH_AT")

    def checkpoint(step: str) -> None:
        if step == crash_at:
            os._exit(137)

    gateway = StripeConnect("sk_test_crash", api_base=os.environ["STRIPE_URL"])
    await settle(settings, dt.datetime.fromisoformat(os.environ["SETTLE_NOW"]), gateway=gateway, checkpoint=checkpoint)
    await db.stop(engine)


if __name__ == "__main__":
    asyncio.run(main())
