from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "rate limits count in one row per bucket, claimed by conditional updates (parallel attempts "
    "could all pass a count of attempt rows); the attempt rows go"
)


def _params(**given) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "RateLimitCounter", "tablename": "hb_rate_limit_counter", "schema": None}

    manager.add_table(class_name="RateLimitCounter", tablename="hb_rate_limit_counter", schema=None, columns=None)
    manager.add_column(**table, column_name="id", db_column_name="id", column_class_name="UUID", column_class=UUID,
                       params=_params(default=UUID4(), primary_key=True))
    manager.add_column(**table, column_name="bucket", db_column_name="bucket", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=128, default="", unique=True))
    manager.add_column(**table, column_name="window_start", db_column_name="window_start",
                       column_class_name="Timestamptz", column_class=Timestamptz, params=_params(default=TimestamptzNow()))
    manager.add_column(**table, column_name="hits", db_column_name="hits", column_class_name="Integer",
                       column_class=Integer, params=_params(default=0))
    manager.drop_table(class_name="LoginThrottle", tablename="hb_login_throttle", schema=None)

    return manager
