from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-08T02:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "HB classes and tariffs are unique per organiser, service and code (and date); tariffs positive"

# Raw steps run before a migration's own column changes, so these come after 02:00:00 made the tables.
UNIQUE = (
    ("vc_hb_class_code", "vc_hb_class", "organiser_id, category, code"),
    ("vc_hb_tariff_from", "vc_hb_tariff", "organiser_id, category, class_code, valid_from"),
)
CHECKS = (
    ("vc_hb_tariff", "vc_hb_tariff_positive", "{n}cents_per_unit > 0"),
    ("vc_hb_class", "vc_hb_class_units", "{n}units_per_month > 0"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def constraints():
        engine = engine_finder()
        for name, table, columns in UNIQUE:
            await engine.run_ddl(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        await engine.run_ddl("CREATE INDEX IF NOT EXISTS vc_client_class_by_client ON vc_client_class (client_id, category, valid_from)")
        for table, name, condition in CHECKS:
            await add_check(engine, table, name, condition)

    manager.add_raw(constraints)
    return manager
