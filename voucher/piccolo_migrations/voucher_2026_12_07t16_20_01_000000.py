from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T16:20:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "captures made before disputes existed had their window already: dispute_until = created_at"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def windows_passed():
        # Raw steps run before a migration's column changes, so this is its own migration, after the
        # one that adds the column. Settlement takes these as before (their window is behind them).
        await engine_finder().run_ddl("UPDATE vc_capture SET dispute_until = created_at WHERE dispute_until IS NULL")

    manager.add_raw(windows_passed)
    return manager
