from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "own share (docs/decisions/0033): a booking's price split into the budget's part and the client's"

_PARAMS = {"default": 0, "null": False, "primary_key": False, "unique": False, "index": False,
           "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name in ("budget_cents", "client_share_cents"):
        manager.add_column(
            table_class_name="Booking", tablename="mp_booking", column_name=name, db_column_name=name,
            column_class_name="BigInt", column_class=BigInt, params=dict(_PARAMS), schema=None,
        )
    return manager
