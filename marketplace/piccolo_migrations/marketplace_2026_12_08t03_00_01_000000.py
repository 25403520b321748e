from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-08T03:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "bookings made before own shares: the budget paid the whole amount; the parts add up, checked"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def backfill():
        engine = engine_finder()
        await engine.run_ddl("UPDATE mp_booking SET budget_cents = amount_cents WHERE budget_cents = 0")
        await add_check(engine, "mp_booking", "mp_booking_share_parts",
                        "{n}client_share_cents >= 0 AND {n}budget_cents + {n}client_share_cents = {n}amount_cents")

    manager.add_raw(backfill)
    return manager
