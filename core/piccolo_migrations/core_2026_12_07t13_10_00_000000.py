from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigSerial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T13:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "the outbox of published facts (core.facts): a package writes a fact in the transaction of the "
    "change, the package that keeps a read model of it takes it"
)


def _params(**given) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "Fact", "tablename": "hb_fact", "schema": None}

    manager.add_table(class_name="Fact", tablename="hb_fact", schema=None, columns=None)
    manager.add_column(**table, column_name="id", db_column_name="id", column_class_name="BigSerial",
                       column_class=BigSerial, params=_params(primary_key=True))
    manager.add_column(**table, column_name="kind", db_column_name="kind", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=64, default=""))
    manager.add_column(**table, column_name="payload", db_column_name="payload", column_class_name="Text",
                       column_class=Text, params=_params(default=""))
    manager.add_column(**table, column_name="at", db_column_name="at", column_class_name="Timestamptz",
                       column_class=Timestamptz, params=_params(default=TimestamptzNow()))

    return manager
