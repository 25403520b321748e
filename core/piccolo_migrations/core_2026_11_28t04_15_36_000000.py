from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-28T04:15:36:000000"
VERSION = "1.38.0"
DESCRIPTION = "make the audit log append-only"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="core", description=DESCRIPTION)

    async def audit_append_only():
        # The audit log is append-only for application code: the database itself refuses
        # UPDATE and DELETE on it.
        from piccolo.engine import engine_finder

        engine = engine_finder()
        if engine.engine_type == "sqlite":
            for op in ("UPDATE", "DELETE"):
                await engine.run_ddl(
                    f"CREATE TRIGGER IF NOT EXISTS hb_audit_event_no_{op.lower()} "
                    f"BEFORE {op} ON hb_audit_event "
                    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
                )
        else:
            await engine.run_ddl(
                "CREATE OR REPLACE FUNCTION hb_audit_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql"
            )
            await engine.run_ddl(
                "CREATE TRIGGER hb_audit_event_append_only BEFORE UPDATE OR DELETE "
                "ON hb_audit_event FOR EACH ROW EXECUTE FUNCTION hb_audit_append_only()"
            )

    manager.add_raw(audit_append_only)

    return manager
