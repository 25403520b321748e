from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "captures and refunds say who pays them: platform | card_network (Stripe Issuing, never settled again)"

SETTLED_BY = {
    "length": 16,
    "default": "platform",
    "null": False,
    "primary_key": False,
    "unique": False,
    "index": False,
    "index_method": IndexMethod.btree,
    "choices": None,
    "db_column_name": None,
    "secret": False,
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for class_name, table in (("Capture", "vc_capture"), ("Refund", "vc_refund")):
        manager.add_column(
            table_class_name=class_name,
            tablename=table,
            column_name="settled_by",
            db_column_name="settled_by",
            column_class_name="Varchar",
            column_class=Varchar,
            params=SETTLED_BY,
            schema=None,
        )
    return manager
