from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import JSON, UUID, ForeignKey, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Provider(Table, tablename="mp_provider", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True, unique=False, index=False,
              index_method=IndexMethod.btree, choices=None, db_column_name="id", secret=False)


ID = "2026-12-08T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "registry checks: what the Finnish open registries said of a provider, and when (mp_registry_check)"


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


COLUMNS = [
    ("id", UUID, _params(default=UUID4(), primary_key=True)),
    ("provider", ForeignKey, _params(references=Provider, on_delete=OnDelete.cascade, on_update=OnUpdate.cascade,
                                     target_column=None, default=None, null=True, index=True)),
    ("business_id", Varchar, _params(length=9, default="")),
    ("status", Varchar, _params(length=16, default="")),
    ("facts", JSON, _params(default="{}")),
    ("error", Varchar, _params(length=200, default="")),
    ("checked_by", UUID, _params(default=None, null=True)),
    ("checked_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    manager.add_table(class_name="RegistryCheck", tablename="mp_registry_check", schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="RegistryCheck", tablename="mp_registry_check", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
