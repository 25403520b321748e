from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, Timestamptz, Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder

ID = "2026-12-08T11:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "provider kinds (decision 0036): mp_provider.kind, the invoicing service and payment reference of a "
    "light entrepreneur, identified_with_eid_at, business_id may be null; mp_category.requirements_by_kind"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


PROVIDER_COLUMNS = [
    ("kind", Varchar, _params(length=32, default="company", index=True)),
    ("invoicing_service_name", Varchar, _params(length=200, default="")),
    ("payment_reference", Varchar, _params(length=35, default="")),
    ("identified_with_eid_at", Timestamptz, _params(default=None, null=True)),
]


class _Manager(MigrationManager):
    """PostgreSQL drops business_id's NOT NULL as Piccolo does it. SQLite cannot drop a NOT NULL;
    removing one changes nothing on disk, so the table's definition is edited in place
    (sqlite.org/lang_altertable.html, "making other kinds of table schema changes")."""

    async def _run_alter_columns(self, backwards: bool = False):
        engine = engine_finder()
        if engine.engine_type != "sqlite":
            await super()._run_alter_columns(backwards=backwards)
            return
        row = await engine.run_ddl("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'mp_provider'")
        sql = row[0]["sql"]
        old, new = '"business_id" VARCHAR(9) UNIQUE NOT NULL', '"business_id" VARCHAR(9) UNIQUE'
        changed = sql.replace(new, old) if backwards else sql.replace(old, new)
        if changed == sql:
            raise RuntimeError(f"mp_provider.business_id is not as this migration expects: {sql}")
        version = (await engine.run_ddl("PRAGMA schema_version"))[0]["schema_version"]
        await engine.run_ddl("PRAGMA writable_schema = ON")
        await engine.run_ddl("UPDATE sqlite_master SET sql = '" + changed.replace("'", "''")
                             + "' WHERE type = 'table' AND name = 'mp_provider'")
        await engine.run_ddl(f"PRAGMA schema_version = {version + 1}")
        await engine.run_ddl("PRAGMA writable_schema = OFF")


async def forwards():
    manager = _Manager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name, column_class, params in PROVIDER_COLUMNS:
        manager.add_column(
            table_class_name="Provider", tablename="mp_provider", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    manager.add_column(
        table_class_name="ServiceCategory", tablename="mp_category", column_name="requirements_by_kind",
        db_column_name="requirements_by_kind", column_class_name="JSON", column_class=JSON,
        params=_params(default="{}"), schema=None,
    )

    manager.alter_column(
        table_class_name="Provider", tablename="mp_provider", column_name="business_id",
        db_column_name="business_id", params={"default": None, "null": True},
        old_params={"default": "", "null": False}, column_class=Varchar, old_column_class=Varchar, schema=None,
    )
    return manager
