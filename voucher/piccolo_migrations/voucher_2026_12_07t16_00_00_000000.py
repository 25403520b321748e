from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, BigInt, ForeignKey, SmallInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Client(Table, tablename="vc_client", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
              choices=None, db_column_name=None, secret=False)


ID = "2026-12-07T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "card consent (issue 16): a card's PIN hash, wrong tries and code-less total since the last consented "
    "payment; how each authorisation was consented to; one-time payment codes (vc_client_code)"
)

# Written by hand in the shape `piccolo migrations new voucher --auto` gives (the same parameters,
# checked by tests/core/test_migrations_match_tables.py), each column once.
NOT_NULL = {"null": False}
NULLABLE = {"default": None, "null": True}
CLIENT_CODE = (
    ("id", UUID, {"default": UUID4(), "null": False, "primary_key": True}),
    ("client", ForeignKey, {"references": Client, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                            "target_column": None, "null": True, "index": True}),
    ("code_hash", Varchar, {"length": 64, "default": "", "null": False, "index": True}),
    ("ceiling_cents", BigInt, {"default": 0, **NOT_NULL}),
    ("made_by", UUID, NULLABLE),
    ("created_at", Timestamptz, {"default": TimestamptzNow(), **NOT_NULL}),
    ("expires_at", Timestamptz, {"default": TimestamptzNow(), **NOT_NULL}),
    ("used_at", Timestamptz, NULLABLE),
    ("authorization_id", UUID, NULLABLE),
)
CARD = (
    ("codeless_cents", BigInt, {"default": 0, **NOT_NULL}),
    ("consent_failures", SmallInt, {"default": 0, **NOT_NULL}),
    ("pin_hash", Varchar, {"length": 200, **NULLABLE}),
    ("pin_set_at", Timestamptz, NULLABLE),
)
AUTHORIZATION = (("consent", Varchar, {"length": 8, "default": "", "null": False}),)


def _params(given: dict) -> dict:
    return {"primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
            "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    manager.add_table(class_name="ClientCode", tablename="vc_client_code", schema=None, columns=None)
    for class_name, table, columns in (("ClientCode", "vc_client_code", CLIENT_CODE), ("Card", "vc_card", CARD),
                                       ("Authorization", "vc_authorization", AUTHORIZATION)):
        for name, column_class, given in columns:
            manager.add_column(table_class_name=class_name, tablename=table, column_name=name, db_column_name=name,
                               column_class_name=column_class.__name__, column_class=column_class, params=_params(given),
                               schema=None)
    return manager
