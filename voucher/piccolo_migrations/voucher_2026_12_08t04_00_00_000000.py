from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Date, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "the plan as a working document: its needs, means and close persons (vc_plan_item), consents "
    "(vc_plan_consent), the client's proposals (vc_plan_proposal) and follow-up tasks (vc_plan_task)"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


def _id() -> tuple:
    return ("id", UUID, _params(default=UUID4(), primary_key=True))


def _uuid(name: str, index: bool = False) -> tuple:
    return (name, UUID, _params(default=None, null=True, index=index))


def _when(name: str) -> tuple:
    return (name, Timestamptz, _params(default=None, null=True))


def _created() -> tuple:
    return ("created_at", Timestamptz, _params(default=TimestamptzNow()))


# (class name, table, columns)
TABLES = [
    ("PlanItem", "vc_plan_item", [
        _id(), ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("kind", Varchar, _params(length=16, default="")), ("text", Text, _params(default="")),
        _uuid("goal_id"), ("category", Varchar, _params(length=64, default="")),
        ("person_label", Varchar, _params(length=200, default="")), _uuid("proposal_id"), _uuid("created_by"),
        _created(), _uuid("removed_by"), _when("removed_at"),
    ]),
    ("PlanConsent", "vc_plan_consent", [
        _id(), ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("kind", Varchar, _params(length=16, default="")), _uuid("provider_id"),
        ("given_on", Date, _params(default=DateNow())), _uuid("given_by"),
        ("withdrawn_on", Date, _params(default=None, null=True)), _uuid("withdrawn_by"), _created(),
    ]),
    ("PlanProposal", "vc_plan_proposal", [
        _id(), ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("kind", Varchar, _params(length=16, default="")), ("text", Text, _params(default="")),
        ("person_label", Varchar, _params(length=200, default="")),
        ("target_kind", Varchar, _params(length=16, default="")), _uuid("target_id"), _uuid("proposed_by"),
        ("proposed_as", Varchar, _params(length=16, default="client")),
        ("status", Varchar, _params(length=16, default="open", index=True)), _uuid("decided_by"),
        _when("decided_at"), ("decline_reason", Text, _params(default="")), _uuid("result_id"), _created(),
    ]),
    ("PlanTask", "vc_plan_task", [
        _id(), ("client_id", UUID, _params(default=UUID4(), index=True)),
        ("organiser_id", UUID, _params(default=UUID4(), index=True)),
        ("kind", Varchar, _params(length=16, default="follow_up")), ("due_on", Date, _params(default=DateNow(), index=True)),
        _uuid("assignee_id", index=True), _when("done_at"), _uuid("done_by"), ("note", Text, _params(default="")),
        _when("cancelled_at"), _when("reminded_at"), _created(),
    ]),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for class_name, tablename, columns in TABLES:
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=tablename, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
            )
    return manager
