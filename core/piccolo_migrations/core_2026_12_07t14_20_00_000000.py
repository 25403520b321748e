from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "e-ID sign-ins under way (core.eid): each made when the browser leaves for the identity provider "
    "and claimed once when it comes back; only hashes are kept"
)


def _params(**given) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "OidcLogin", "tablename": "hb_oidc_login", "schema": None}

    manager.add_table(class_name="OidcLogin", tablename="hb_oidc_login", schema=None, columns=None)
    manager.add_column(**table, column_name="id", db_column_name="id", column_class_name="UUID", column_class=UUID,
                       params=_params(default=UUID4(), primary_key=True))
    manager.add_column(**table, column_name="state_hash", db_column_name="state_hash", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=64, default="", unique=True))
    manager.add_column(**table, column_name="kind", db_column_name="kind", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=16, default=""))
    manager.add_column(**table, column_name="invitation_hash", db_column_name="invitation_hash",
                       column_class_name="Varchar", column_class=Varchar,
                       params=_params(length=64, default=None, null=True))
    manager.add_column(**table, column_name="next_path", db_column_name="next_path", column_class_name="Varchar",
                       column_class=Varchar, params=_params(length=300, default="/"))
    manager.add_column(**table, column_name="created_at", db_column_name="created_at",
                       column_class_name="Timestamptz", column_class=Timestamptz, params=_params(default=TimestamptzNow()))
    manager.add_column(**table, column_name="expires_at", db_column_name="expires_at",
                       column_class_name="Timestamptz", column_class=Timestamptz,
                       params=_params(default=TimestamptzNow(), index=True))
    manager.add_column(**table, column_name="used_at", db_column_name="used_at", column_class_name="Timestamptz",
                       column_class=Timestamptz, params=_params(default=None, null=True))

    return manager
