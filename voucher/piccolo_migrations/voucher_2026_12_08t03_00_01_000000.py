from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-08T03:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "own share: one rule per code and organiser, one counter per client, rule and month, checked by the database"

UNIQUE = (
    ("vc_fee_rule_code", "vc_fee_rule", "organiser_id, code"),
    ("vc_fee_usage_month", "vc_fee_usage", "client_id, rule_code, month"),
)
# The database's own last word (as for the ledger's counters): a month's counter never below zero,
# a split's parts never negative.
CHECKS = (
    ("vc_fee_usage", "vc_fee_usage_not_negative", "{n}used_cents >= 0"),
    ("vc_authorization", "vc_authorization_client_share", "{n}client_share_cents >= 0"),
    ("vc_capture", "vc_capture_client_share", "{n}client_share_cents >= 0"),
    ("vc_refund", "vc_refund_client_share", "{n}client_share_cents >= 0"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def constraints():
        engine = engine_finder()
        for name, table, columns in UNIQUE:
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        for table, name, condition in CHECKS:
            await add_check(engine, table, name, condition)
        # Holds written before own shares existed asked for what the budget holds.
        await engine.run_ddl("UPDATE vc_authorization SET gross_cents = amount_cents WHERE gross_cents = 0")

    manager.add_raw(constraints)
    return manager
