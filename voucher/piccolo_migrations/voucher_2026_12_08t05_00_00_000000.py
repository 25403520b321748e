from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Client(Table, tablename="vc_client", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
              choices=None, db_column_name=None, secret=False)


ID = "2026-12-08T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "supported purchasing (issue 17): the client's consents to a counsellor booking for them "
    "(vc_purchase_consent) and the client's message thread with the county's counsellors (vc_client_message)"
)

# Written by hand in the shape `piccolo migrations new voucher --auto` gives (the same parameters,
# checked by tests/core/test_migrations_match_tables.py), each column once.
NOT_NULL = {"null": False}
NULLABLE = {"default": None, "null": True}
CLIENT = ("client", ForeignKey, {"references": Client, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                                 "target_column": None, "null": True, "index": True})
PURCHASE_CONSENT = (
    ("id", UUID, {"default": UUID4(), "null": False, "primary_key": True}),
    CLIENT,
    ("organiser_id", UUID, {"default": UUID4(), "null": False, "index": True}),
    ("kind", Varchar, {"length": 16, "default": "", **NOT_NULL}),
    ("given_how", Varchar, {"length": 16, "default": "", **NOT_NULL}),
    ("given_at", Timestamptz, {"default": TimestamptzNow(), **NOT_NULL}),
    ("recorded_by", UUID, NULLABLE),
    ("recorded_as", Varchar, {"length": 16, "default": "", **NOT_NULL}),
    ("booking_id", UUID, {**NULLABLE, "unique": True}),
    ("created_at", Timestamptz, {"default": TimestamptzNow(), **NOT_NULL}),
    ("revoked_at", Timestamptz, NULLABLE),
    ("revoked_by", UUID, NULLABLE),
)
CLIENT_MESSAGE = (
    ("id", UUID, {"default": UUID4(), "null": False, "primary_key": True}),
    CLIENT,
    ("organiser_id", UUID, {"default": UUID4(), "null": False, "index": True}),
    ("author_id", UUID, NULLABLE),
    ("author_role", Varchar, {"length": 16, "default": "", **NOT_NULL}),
    ("author_label", Varchar, {"length": 200, "default": "", **NOT_NULL}),
    ("side", Varchar, {"length": 8, "default": "", **NOT_NULL}),
    ("body", Text, {"default": "", **NOT_NULL}),
    ("created_at", Timestamptz, {"default": TimestamptzNow(), "null": False, "index": True}),
    ("read_at", Timestamptz, NULLABLE),
)


def _params(given: dict) -> dict:
    return {"primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
            "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for class_name, table, columns in (("PurchaseConsent", "vc_purchase_consent", PURCHASE_CONSENT),
                                       ("ClientMessage", "vc_client_message", CLIENT_MESSAGE)):
        manager.add_table(class_name=class_name, tablename=table, schema=None, columns=None)
        for name, column_class, given in columns:
            manager.add_column(table_class_name=class_name, tablename=table, column_name=name, db_column_name=name,
                               column_class_name=column_class.__name__, column_class=column_class, params=_params(given),
                               schema=None)
    return manager
