from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON, UUID, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "need and suitability assessments (issue 17): versioned need assessments (vc_need_assessment), "
    "versioned suitability assessments (vc_suitability_assessment) and each county's criteria "
    "(vc_suitability_criteria)"
)


def _params(**given) -> dict:
    return {
        "null": False, "primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree,
        "choices": None, "db_column_name": None, "secret": False, **given,
    }


_VERSIONED_HEAD = [
    ("id", UUID, _params(default=UUID4(), primary_key=True)),
    ("client_id", UUID, _params(default=UUID4(), index=True)),
    ("organiser_id", UUID, _params(default=UUID4(), index=True)),
    ("version", Integer, _params(default=1)),
    ("assessed_on", Date, _params(default=DateNow())),
]
_VERSIONED_TAIL = [
    ("created_by", UUID, _params(default=None, null=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
]
# (class name, table, columns)
TABLES = [
    ("NeedAssessment", "vc_need_assessment", [
        *_VERSIONED_HEAD,
        ("areas", JSON, _params(default="[]")),
        ("client_view", Text, _params(default="")),
        ("participants", JSON, _params(default="[]")),
        *_VERSIONED_TAIL,
    ]),
    ("SuitabilityAssessment", "vc_suitability_assessment", [
        *_VERSIONED_HEAD,
        ("criteria", JSON, _params(default="[]")),
        ("outcome", Varchar, _params(length=16, default="")),
        ("reason", Text, _params(default="")),
        *_VERSIONED_TAIL,
    ]),
    ("SuitabilityCriteria", "vc_suitability_criteria", [
        ("id", UUID, _params(default=UUID4(), primary_key=True)),
        ("organiser_id", UUID, _params(default=UUID4(), unique=True)),
        ("criteria", JSON, _params(default="[]")),
        ("updated_by", UUID, _params(default=None, null=True)),
        ("updated_at", Timestamptz, _params(default=TimestamptzNow())),
    ]),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for class_name, table, columns in TABLES:
        manager.add_table(class_name=class_name, tablename=table, schema=None, columns=None)
        for name, column_class, params in columns:
            manager.add_column(
                table_class_name=class_name, tablename=table, column_name=name, db_column_name=name,
                column_class_name=column_class.__name__, column_class=column_class, params=params, schema=None,
            )
    return manager
