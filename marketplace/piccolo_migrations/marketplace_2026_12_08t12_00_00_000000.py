from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-08T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "free listings (docs/decisions/0037): a booking may cost 0, and a booking that costs 0 never has an "
    "authorisation (it moves no money)"
)

# The check of marketplace_2026_11_28t06_19_04_000000 ("amount_cents > 0"), replaced. PostgreSQL
# keeps it as a CHECK constraint; SQLite as the two triggers that abort an offending INSERT/UPDATE.
NAME = "mp_booking_amounts"
CONDITION = (
    "{n}quantity > 0 AND {n}amount_cents >= 0 AND {n}captured_cents >= 0 AND {n}captured_cents <= {n}amount_cents "
    "AND ({n}amount_cents > 0 OR {n}authorization_id IS NULL)"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def free_bookings():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("INSERT", "UPDATE"):
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS {NAME}_{op.lower()}")
                await engine.run_ddl(
                    f"CREATE TRIGGER {NAME}_{op.lower()} BEFORE {op} ON mp_booking "
                    f"FOR EACH ROW WHEN NOT ({CONDITION.format(n='NEW.')}) "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}'); END"
                )
        else:
            await engine.run_ddl(f"ALTER TABLE mp_booking DROP CONSTRAINT IF EXISTS {NAME}")
            await engine.run_ddl(f"ALTER TABLE mp_booking ADD CONSTRAINT {NAME} CHECK ({CONDITION.format(n='')})")

    manager.add_raw(free_bookings)
    return manager
