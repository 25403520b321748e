from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-08T04:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "one follow-up task per client, kind and date (so saving the plan twice makes one task)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def one_task_a_day():
        # Raw steps run before a migration's column changes: the table is made by the one before.
        await engine_finder().run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS vc_plan_task_one_a_day ON vc_plan_task (client_id, kind, due_on)")

    manager.add_raw(one_task_a_day)
    return manager
