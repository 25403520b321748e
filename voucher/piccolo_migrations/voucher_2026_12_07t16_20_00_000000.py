from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, BigInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T16:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "captures may be disputed: each capture's dispute window (dispute_until) and dispute state, and "
    "the disputes with their resolutions (vc_capture_dispute)"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


# (table class, table, column, column class, params)
CAPTURE_COLUMNS = [
    ("dispute_until", Timestamptz, _params(default=None, null=True, index=True)),
    ("dispute_state", Varchar, _params(length=16, default="", index=True)),
]
DISPUTE_COLUMNS = [
    ("id", UUID, _params(default=UUID4(), primary_key=True)),
    ("capture_id", UUID, _params(default=UUID4(), unique=True)),
    ("client_id", UUID, _params(default=UUID4(), index=True)),
    ("organiser_id", UUID, _params(default=UUID4(), index=True)),
    ("provider_id", UUID, _params(default=UUID4(), index=True)),
    ("raised_by", UUID, _params(default=None, null=True)),
    ("raised_as", Varchar, _params(length=16, default="client")),
    ("reason", Text, _params(default="")),
    ("status", Varchar, _params(length=24, default="open", index=True)),
    ("refund_cents", BigInt, _params(default=0)),
    ("resolution_reason", Text, _params(default="")),
    ("resolved_by", UUID, _params(default=None, null=True)),
    ("resolved_at", Timestamptz, _params(default=None, null=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for name, column_class, params in CAPTURE_COLUMNS:
        manager.add_column(
            table_class_name="Capture", tablename="vc_capture", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    manager.add_table(class_name="CaptureDispute", tablename="vc_capture_dispute", schema=None, columns=None)
    for name, column_class, params in DISPUTE_COLUMNS:
        manager.add_column(
            table_class_name="CaptureDispute", tablename="vc_capture_dispute", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
