from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "a county may turn password sign-in off for its staff (they then sign in with its identity provider)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    manager.add_column(
        table_class_name="Organiser", tablename="mp_organiser", column_name="staff_password_login",
        db_column_name="staff_password_login", column_class_name="Boolean", column_class=Boolean,
        params={"default": True, "null": False, "primary_key": False, "unique": False, "index": False,
                "index_method": IndexMethod.btree, "choices": None, "db_column_name": None, "secret": False},
        schema=None,
    )
    return manager
