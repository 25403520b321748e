from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-09T31:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a partial index on a line's live holds: the authorisation's 'expired but not swept' sum reads none of the others"

# Every authorisation's snapshot sums, per budget line, the holds still 'approved' whose expiry has
# passed (voucher.ledger.LINE_STATE_SQL, vc_authorise). With only the line_id index that read visits
# every authorisation the line ever had — hundreds on a busy line, thousands on one card in the
# benchmark's worst case. Only live holds are in this index, ordered by expiry, so the sum reads
# the expired ones (normally none). Both engines support partial indexes.


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def index():
        await engine_finder().run_ddl(
            "CREATE INDEX IF NOT EXISTS vc_authorization_live_holds ON vc_authorization (line_id, expires_at) "
            "WHERE status = 'approved'")

    manager.add_raw(index)
    return manager
