"""The rollups stay exact: refreshes racing each other add each range once, a rebuild gives the same
rows, and what happened after the rollup's mark is read live."""

import asyncio
import datetime as dt

from admin import dashboard, domain, rollup
from admin.tables import ClientGas, ClientMonth, SpendMonth
from tests.admin.builders import add_client, add_goal, at, pay, refund, world
from voucher.tables import Capture, Refund

NOW = at(2026, 4, 20, 12)


async def _spend_totals() -> tuple[int, int, int]:
    rows = await SpendMonth.select(SpendMonth.captured_cents, SpendMonth.refunded_cents).run()
    net = await ClientMonth.select(ClientMonth.net_cents).run()
    return sum(r["captured_cents"] for r in rows), sum(r["refunded_cents"] for r in rows), sum(r["net_cents"] for r in net)


async def test_racing_refreshes_roll_up_each_payment_once_and_a_rebuild_agrees(db):
    w = await world(db.settings.secret_key)
    c = await add_client(w, db.settings.secret_key, "Asiakas Kilpa", "young_adults")
    for month in (1, 2, 3, 4):
        got = await pay(db.settings, w.provider, c.token, 5000 + month, at(2026, month, 10))
        if month == 2:
            await refund(w.provider, got["capture_id"], 1200, at(2026, 3, 1))
    await add_goal(w, c.id, "Liikun", [(at(2026, 1, 5), -2), (at(2026, 4, 1), 0)])

    await asyncio.gather(*(rollup.refresh(NOW) for _ in range(4)))
    captured = sum(r["amount_cents"] for r in await Capture.select(Capture.amount_cents).run())
    refunded = sum(r["amount_cents"] for r in await Refund.select(Refund.amount_cents).run())
    assert await _spend_totals() == (captured, refunded, captured - refunded)
    assert (await ClientGas.select(ClientGas.change_x100, ClientGas.goals).where(ClientGas.id == c.id).first().run()) == {
        "change_x100": 200, "goals": 1}

    # Later payments: the next refresh adds only them; the dashboard reads the newest ones live.
    await pay(db.settings, w.provider, c.token, 777, NOW + dt.timedelta(minutes=5))
    await rollup.refresh(NOW + dt.timedelta(minutes=10))  # the new payment is younger than the lag
    assert await _spend_totals() == (captured, refunded, captured - refunded)
    period = domain.period_from("2026-01", "2026-04", NOW.date())
    board = await dashboard.build(w.organiser_id, period, NOW + dt.timedelta(minutes=10), "fi")
    assert board.summary["total_net_cents"] == captured + 777 - refunded

    await rollup.rebuild()
    await rollup.refresh(NOW + dt.timedelta(hours=2))
    assert await _spend_totals() == (captured + 777, refunded, captured + 777 - refunded)
    board = await dashboard.build(w.organiser_id, period, NOW + dt.timedelta(hours=2), "fi")
    assert board.summary["total_net_cents"] == captured + 777 - refunded
