from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, UUID, BigInt, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "HB classes and tariffs per service (vc_hb_class, vc_hb_tariff), the client's classes "
    "(vc_client_class), and a budget line's class, computed amount and override reason"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


LINE_COLUMNS = [
    ("hb_class", Varchar, _params(length=16, default=None, null=True)),
    ("computed_cents", BigInt, _params(default=None, null=True)),
    ("override_reason", Text, _params(default="")),
]
TABLES = {
    ("HbClass", "vc_hb_class"): [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("category", Varchar, _params(length=64, default="")),
        ("code", Varchar, _params(length=16, default="")),
        ("names", JSON, _params(default="{}")),
        ("criteria", Text, _params(default="")),
        ("units_per_month", Integer, _params(default=1)),
        ("unit", Varchar, _params(length=16, default="day")),
        ("active", Boolean, _params(default=True)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("HbTariff", "vc_hb_tariff"): [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("category", Varchar, _params(length=64, default="")),
        ("class_code", Varchar, _params(length=16, default="")),
        ("valid_from", Date, _params(default=DateNow())),
        ("cents_per_unit", BigInt, _params(default=0)),
        ("created_by", UUID, _params(default=None, null=True)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("ClientClass", "vc_client_class"): [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("category", Varchar, _params(length=64, default="")),
        ("class_code", Varchar, _params(length=16, default="")),
        ("valid_from", Date, _params(default=DateNow())),
        ("reason", Text, _params(default="")),
        ("set_by", UUID, _params(default=None, null=True)),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for name, column_class, params in LINE_COLUMNS:
        manager.add_column(
            table_class_name="BudgetLine", tablename="vc_budget_line", column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
            )
    return manager
