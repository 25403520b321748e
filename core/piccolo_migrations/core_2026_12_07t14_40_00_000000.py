from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a session's last request (to within a few minutes), for the person's account page"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)
    manager.add_column(
        table_class_name="UserSession", tablename="hb_session", schema=None, column_name="last_seen_at",
        db_column_name="last_seen_at", column_class_name="Timestamptz", column_class=Timestamptz,
        params={"default": None, "null": True, "primary_key": False, "unique": False, "index": False,
                "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False},
    )
    return manager
