"""Runs `settle` in its own process, as `hb settle` would, for the crash and concurrency tests.

CRASH_AT names the step after which the process dies at once (os._exit, no clean-up), as a power
cut or a kill -9 would leave it. With READY_FILE and GO_FILE it says it is ready (database bound)
and waits for GO_FILE, so several processes start settling at the same instant. It prints the
run's summary as JSON on stdout."""

import asyncio
import datetime as dt
import os
from pathlib import Path

import msgspec

from admin import payouts
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
    if os.environ.get("READY_FILE"):
        Path(os.environ["READY_FILE"]).touch()
        go = Path(os.environ["GO_FILE"])
        while not go.exists():
            await asyncio.sleep(0.001)
    summary = await settle(settings, dt.datetime.fromisoformat(os.environ["SETTLE_NOW"]), confirmation=payouts.unconfirmed,
                           gateway=gateway, checkpoint=checkpoint)
    print(msgspec.json.encode(summary).decode(), flush=True)
    await db.stop(engine)


if __name__ == "__main__":
    asyncio.run(main())
