from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, UUID, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "invitations to an account (core.invitations): single use, expiring, only the token's hash kept; "
    "every person outside the demo gets an account through one"
)


def _params(**given) -> dict:
    return {"null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
            "choices": None, "db_column_name": None, "secret": False, **given}


def _scope(**given) -> dict:
    return _params(default=None, null=True, **given)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    table = {"table_class_name": "Invitation", "tablename": "hb_invitation", "schema": None}

    def column(name: str, cls, **params) -> None:
        manager.add_column(**table, column_name=name, db_column_name=name, column_class_name=cls.__name__,
                           column_class=cls, params=_params(**params))

    manager.add_table(class_name="Invitation", tablename="hb_invitation", schema=None, columns=None)
    column("id", UUID, default=UUID4(), primary_key=True)
    column("token_hash", Varchar, length=64, default="", unique=True)
    column("email", Varchar, length=254, default="", index=True)
    column("role", Varchar, length=32, default="")
    column("display_name", Varchar, length=200, default="")
    column("language", Varchar, length=2, default="fi")
    for name in ("organiser_id", "client_id", "provider_id"):
        manager.add_column(**table, column_name=name, db_column_name=name, column_class_name="UUID",
                           column_class=UUID, params=_scope(index=True))
    column("rights", JSON, default="[]")
    manager.add_column(**table, column_name="invited_by", db_column_name="invited_by", column_class_name="UUID",
                       column_class=UUID, params=_scope(index=True))
    column("created_at", Timestamptz, default=TimestamptzNow())
    column("expires_at", Timestamptz, default=TimestamptzNow())
    manager.add_column(**table, column_name="accepted_at", db_column_name="accepted_at",
                       column_class_name="Timestamptz", column_class=Timestamptz, params=_scope())
    manager.add_column(**table, column_name="accepted_user_id", db_column_name="accepted_user_id",
                       column_class_name="UUID", column_class=UUID, params=_scope())
    for name in ("revoked_at", "last_sent_at"):
        manager.add_column(**table, column_name=name, db_column_name=name, column_class_name="Timestamptz",
                           column_class=Timestamptz, params=_scope())
    column("sent_count", Integer, default=0)

    return manager
