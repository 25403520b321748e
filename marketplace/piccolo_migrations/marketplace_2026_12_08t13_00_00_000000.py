from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import UUID, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-12-08T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "evidence as documents that expire: the provider's uploaded documents with their validity "
    "(mp_provider_document) and the expiry sweep's sent markers on each approval"
)


class Provider(Table, tablename="mp_provider", schema=None):
    id = UUID(primary_key=True, default=UUID4())


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


APPROVAL_COLUMNS = [
    ("reminded_30_for", Timestamptz, _params(default=None, null=True)),
    ("reminded_7_for", Timestamptz, _params(default=None, null=True)),
    ("expired_for", Timestamptz, _params(default=None, null=True)),
]
DOCUMENT_COLUMNS = [
    ("id", UUID, _params(default=UUID4(), primary_key=True)),
    ("provider", ForeignKey, _params(default=None, null=True, index=True, references=Provider,
                                     on_delete=OnDelete.cascade, on_update=OnUpdate.cascade, target_column=None)),
    ("requirement", Varchar, _params(length=64, default="", index=True)),
    ("storage_key", Varchar, _params(length=64, default="", unique=True)),
    ("content_type", Varchar, _params(length=32, default="")),
    ("size_bytes", Integer, _params(default=0)),
    ("sha256", Varchar, _params(length=64, default="")),
    ("valid_from", Timestamptz, _params(default=TimestamptzNow())),
    ("valid_until", Timestamptz, _params(default=TimestamptzNow(), index=True)),
    ("uploaded_by", UUID, _params(default=None, null=True)),
    ("uploaded_at", Timestamptz, _params(default=TimestamptzNow())),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name, column_class, params in APPROVAL_COLUMNS:
        manager.add_column(
            table_class_name="ProviderApproval", tablename="mp_provider_approval", column_name=name,
            db_column_name=name, column_class_name=column_class.__name__, column_class=column_class, params=params,
            schema=None,
        )
    manager.add_table(class_name="ProviderDocument", tablename="mp_provider_document", schema=None, columns=None)
    for name, column_class, params in DOCUMENT_COLUMNS:
        manager.add_column(
            table_class_name="ProviderDocument", tablename="mp_provider_document", column_name=name,
            db_column_name=name, column_class_name=column_class.__name__, column_class=column_class, params=params,
            schema=None,
        )
    return manager
