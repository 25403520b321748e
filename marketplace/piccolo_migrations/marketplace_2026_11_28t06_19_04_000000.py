from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T06:19:04:000000"
VERSION = "1.38.0"
DESCRIPTION = "booking constraints: a slot is never overbooked, ratings stay in range; indexes for the booking lists"

# Checks the database keeps whatever code runs. PostgreSQL gets CHECK constraints; SQLite cannot add
# them to an existing table, so it gets triggers that abort the offending INSERT or UPDATE.
# ``{n}`` stands for the row: nothing in a CHECK, ``NEW.`` in a trigger.
CHECKS = {
    "mp_slot": {
        "mp_slot_within_capacity": "{n}booked >= 0 AND {n}booked <= {n}capacity",
    },
    "mp_booking": {
        "mp_booking_amounts": "{n}quantity > 0 AND {n}amount_cents > 0 AND {n}captured_cents >= 0 "
                              "AND {n}captured_cents <= {n}amount_cents",
    },
    "mp_review": {
        "mp_review_ranges": "{n}stars BETWEEN 1 AND 5 AND {n}recommend BETWEEN 0 AND 10",
    },
    "mp_booking_policy": {
        "mp_booking_policy_ranges": "{n}cancellation_hours >= 0 AND {n}late_cancellation_fee_percent BETWEEN 0 AND 100 "
                                    "AND {n}no_show_fee_percent BETWEEN 0 AND 100",
    },
}

INDEXES = (
    "CREATE INDEX IF NOT EXISTS mp_booking_provider_status ON mp_booking (provider_id, status, starts_at)",
    "CREATE INDEX IF NOT EXISTS mp_booking_client_status ON mp_booking (client_id, status, starts_at)",
    "CREATE INDEX IF NOT EXISTS mp_booking_due ON mp_booking (dispute_until) WHERE status = 'delivered'",
    "CREATE INDEX IF NOT EXISTS mp_notification_unsent ON mp_notification (next_attempt_at) WHERE email_status = 'pending'",
    "CREATE INDEX IF NOT EXISTS mp_notification_user ON mp_notification (user_id, created_at)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def constraints_and_indexes():
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for table, checks in CHECKS.items():
            for name, condition in checks.items():
                if engine.engine_type == "sqlite":
                    for op in ("INSERT", "UPDATE"):
                        await engine.run_ddl(
                            f"CREATE TRIGGER IF NOT EXISTS {name}_{op.lower()} BEFORE {op} ON {table} "
                            f"FOR EACH ROW WHEN NOT ({condition.format(n='NEW.')}) "
                            f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                        )
                else:
                    await engine.run_ddl(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({condition.format(n='')})")
        for ddl in INDEXES:
            await engine.run_ddl(ddl)

    manager.add_raw(constraints_and_indexes)
    return manager
