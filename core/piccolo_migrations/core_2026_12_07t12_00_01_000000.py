from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T12:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "an idempotency key is claimed once per caller: unique (scope, key) on hb_idempotency"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def unique_key():
        from piccolo.engine import engine_finder

        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS hb_idempotency_scope_key ON hb_idempotency (scope, key)"
        )

    manager.add_raw(unique_key)
    return manager
