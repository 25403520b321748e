from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-28T07:28:04:256093"
VERSION = "1.38.0"
DESCRIPTION = "Spending rolled up by the client's home municipality too; the rollups start again to include it"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="admin", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="SpendMonth",
        tablename="ad_spend_month",
        column_name="client_municipality",
        db_column_name="client_municipality",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 100,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    async def start_the_rollups_again():
        # The rollups are derived data: emptied, the next refresh rebuilds them with the new column.
        from piccolo.engine import engine_finder

        engine = engine_finder()
        for table in ("ad_spend_month", "ad_client_month", "ad_client_gas", "ad_rollup_state"):
            await engine.run_ddl(f"DELETE FROM {table}")

    manager.add_raw(start_the_rollups_again)
    return manager
