from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, UUID, BigInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "own share (docs/decisions/0033): the organiser's client-fee rules (vc_fee_rule), the monthly cap's "
    "counters (vc_fee_usage), a line's fee rule, and the client part beside the budget's on "
    "authorisations, captures and refunds"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


NEW_TABLES = {
    ("FeeRule", "vc_fee_rule"): [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("code", Varchar, _params(length=64, default="")),
        ("name", JSON, _params(default="{}")),
        ("kind", Varchar, _params(length=16, default="none")),
        ("value", BigInt, _params(default=0)),
        ("monthly_cap_cents", BigInt, _params(default=None, null=True)),
        ("decision_ref", Text, _params(default="")),
        ("updated_by", UUID, _params(default=None, null=True)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("FeeUsage", "vc_fee_usage"): [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("rule_code", Varchar, _params(length=64, default="")),
        ("month", Varchar, _params(length=7, default="")),
        ("used_cents", BigInt, _params(default=0)),
    ],
}
NEW_COLUMNS = [
    ("BudgetLine", "vc_budget_line", "fee_rule", Varchar, _params(length=64, default=None, null=True)),
    ("Authorization", "vc_authorization", "gross_cents", BigInt, _params(default=0)),
    ("Authorization", "vc_authorization", "client_share_cents", BigInt, _params(default=0)),
    ("Authorization", "vc_authorization", "fee_rule", Varchar, _params(length=64, default="")),
    ("Authorization", "vc_authorization", "fee_month", Varchar, _params(length=7, default="")),
    ("Capture", "vc_capture", "client_share_cents", BigInt, _params(default=0)),
    ("Refund", "vc_refund", "client_share_cents", BigInt, _params(default=0)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for (class_name, tablename), columns in NEW_TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
            )
    for class_name, tablename, name, column_class, params in NEW_COLUMNS:
        manager.add_column(
            table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
            column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
        )
    return manager
