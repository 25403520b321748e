from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "idempotency records are core's now (hb_idempotency, core migration 2026-12-07T12:00, which runs "
    "first): the keys still kept move there, so a retry across the upgrade is still a replay; "
    "vc_idempotency goes"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def move_keys():
        from piccolo.engine import engine_finder

        # Raw steps run before the drop below (piccolo's MigrationManager.run).
        await engine_finder().run_ddl(
            "INSERT INTO hb_idempotency (id, scope, key, request_hash, status_code, body, created_at) "
            "SELECT id, scope, key, request_hash, status_code, body, created_at FROM vc_idempotency"
        )

    manager.add_raw(move_keys)
    manager.drop_table(class_name="IdempotencyRecord", tablename="vc_idempotency", schema=None)
    return manager
