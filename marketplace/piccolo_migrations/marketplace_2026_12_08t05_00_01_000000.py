from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-08T05:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "bookings made before 05:00:00 were booked by the client or, when booked_by_proxy, by a proxy"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def roles():
        # Raw steps run before a migration's column changes, so this is its own migration.
        await engine_finder().run_ddl("UPDATE mp_booking SET booked_by_role = 'proxy' WHERE booked_by_proxy")

    manager.add_raw(roles)
    return manager
