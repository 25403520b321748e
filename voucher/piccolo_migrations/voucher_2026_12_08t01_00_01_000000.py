from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-08T01:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "an assessment's version is the client's one: unique (client_id, version) on vc_need_assessment and "
    "vc_suitability_assessment (two saves at once cannot both be version n)"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def unique_versions():
        from piccolo.engine import engine_finder

        for table in ("vc_need_assessment", "vc_suitability_assessment"):
            await engine_finder().run_ddl(
                f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_version ON {table} (client_id, version)"
            )

    manager.add_raw(unique_versions)
    return manager
