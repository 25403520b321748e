from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-07T10:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a hold a booking made gets its own source (booking_hold): only the booking moves it"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def mark_booking_holds():
        # Until now a booking's hold shared the source 'booking' with an organiser's own API
        # payments; the holds a booking names are the booking's (the marketplace's tables are
        # migrated before the voucher's, so mp_booking exists here).
        await engine_finder().run_ddl(
            "UPDATE vc_authorization SET source = 'booking_hold' WHERE source = 'booking' AND id IN "
            "(SELECT authorization_id FROM mp_booking WHERE authorization_id IS NOT NULL)"
        )

    manager.add_raw(mark_booking_holds)
    return manager
