from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "idempotency records move to core (hb_idempotency), one store for the card API and bookings; "
    "the voucher's migration 2026-12-07T12:00 copies vc_idempotency's rows here and drops it"
)


def _params(**given) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "IdempotencyRecord", "tablename": "hb_idempotency", "schema": None}

    manager.add_table(class_name="IdempotencyRecord", tablename="hb_idempotency", schema=None, columns=None)
    manager.add_column(**table, column_name="id", db_column_name="id", column_class_name="UUID", column_class=UUID,
                       params=_params(default=UUID4(), primary_key=True))
    manager.add_column(**table, column_name="scope", db_column_name="scope", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=80, default=""))
    manager.add_column(**table, column_name="key", db_column_name="key", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=255, default=""))
    manager.add_column(**table, column_name="request_hash", db_column_name="request_hash",
                       column_class_name="Varchar", column_class=Varchar, params=_params(length=64, default=""))
    manager.add_column(**table, column_name="status_code", db_column_name="status_code", column_class_name="Integer",
                       column_class=Integer, params=_params(default=None, null=True))
    manager.add_column(**table, column_name="body", db_column_name="body", column_class_name="Text",
                       column_class=Text, params=_params(default=None, null=True))
    manager.add_column(**table, column_name="created_at", db_column_name="created_at",
                       column_class_name="Timestamptz", column_class=Timestamptz,
                       params=_params(default=TimestamptzNow(), index=True))

    return manager
