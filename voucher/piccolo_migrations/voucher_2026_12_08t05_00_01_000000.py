from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-08T05:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "a client has at most one standing purchase consent in force; consents and messages are checked by the database"

# The database's own last word (after 05:00:00 made the tables): one standing consent in force per
# client (a partial unique index, on both engines), a consent's kind and way are known words, and a
# message has a body of 1–4000 characters from a known side. PostgreSQL gets CHECK constraints,
# SQLite triggers (core.db.add_check).
CHECKS = (
    ("vc_purchase_consent", "vc_purchase_consent_kind",
     "({n}kind = 'standing' AND {n}given_how = 'in_app' AND {n}booking_id IS NULL) OR "
     "({n}kind = 'booking' AND {n}given_how IN ('in_person', 'phone', 'message') AND {n}booking_id IS NOT NULL)"),
    ("vc_client_message", "vc_client_message_body",
     "length({n}body) BETWEEN 1 AND 4000 AND {n}side IN ('client', 'staff')"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def constraints():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX vc_purchase_consent_one_standing ON vc_purchase_consent (client) "
            "WHERE kind = 'standing' AND revoked_at IS NULL")
        await engine.run_ddl("CREATE INDEX vc_client_message_thread ON vc_client_message (client, created_at)")
        for table, name, condition in CHECKS:
            await add_check(engine, table, name, condition)

    manager.add_raw(constraints)
    return manager
