from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-07T16:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "the card consent's counters and one-time codes are checked by the database (after 16:00 added them)"

# The database's own last word on the counters (as for the ledger's): wrong tries stay within 0…3 (3 =
# blocked) and the code-less total never goes below zero; a code's ceiling is positive. PostgreSQL gets
# CHECK constraints; SQLite cannot add one to an existing table, so it gets triggers that abort the
# offending INSERT or UPDATE (core.db.add_check).
CHECKS = (
    ("vc_card", "vc_card_consent_counters", "{n}consent_failures BETWEEN 0 AND 3 AND {n}codeless_cents >= 0"),
    ("vc_client_code", "vc_client_code_ceiling", "{n}ceiling_cents > 0"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def checks():
        engine = engine_finder()
        for table, name, condition in CHECKS:
            await add_check(engine, table, name, condition)

    manager.add_raw(checks)
    return manager
