from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (JSON, UUID, Boolean, Date, DoublePrecision, ForeignKey, Integer, Timestamptz,
                                          Varchar)
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.defaults.uuid import UUID4
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Client(Table, tablename="vc_client", schema=None):
    id = UUID(default=UUID4(), null=False, primary_key=True, unique=False, index=False, index_method=IndexMethod.btree,
              choices=None, db_column_name=None, secret=False)


ID = "2026-12-09T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "client-reported outcomes and research consent (issue 19): a county's questionnaires (vc_questionnaire), "
    "the answers (vc_questionnaire_answer), the reminders sent (vc_questionnaire_reminder) and the research "
    "consent's history (vc_research_consent)"
)

# Written by hand in the shape `piccolo migrations new voucher --auto` gives (the same parameters,
# checked by tests/core/test_migrations_match_tables.py), each column once.
NOT_NULL = {"null": False}
NULLABLE = {"default": None, "null": True}
PK = ("id", UUID, {"default": UUID4(), "null": False, "primary_key": True})
CLIENT = ("client", ForeignKey, {"references": Client, "on_delete": OnDelete.cascade, "on_update": OnUpdate.cascade,
                                 "target_column": None, "null": True, "index": True})
ORGANISER = ("organiser_id", UUID, {"default": UUID4(), "null": False, "index": True})


def _varchar(name: str, length: int) -> tuple:
    return (name, Varchar, {"length": length, "default": "", **NOT_NULL})


def _json(name: str, default: str) -> tuple:
    return (name, JSON, {"default": default, **NOT_NULL})


def _now(name: str) -> tuple:
    return (name, Timestamptz, {"default": TimestamptzNow(), **NOT_NULL})


QUESTIONNAIRE = (
    PK, ORGANISER, _varchar("key", 40), _varchar("kind", 16), _json("title", "{}"), _json("intro", "{}"),
    _json("items", "[]"), _json("scale", "{}"), _json("occasions", "[]"),
    ("active", Boolean, {"default": True, **NOT_NULL}),
    ("version", Integer, {"default": 1, **NOT_NULL}),
    ("updated_by", UUID, NULLABLE), _now("updated_at"),
)
ANSWER = (
    PK, CLIENT, ORGANISER,
    ("decision_id", UUID, {**NULLABLE, "index": True}),
    _varchar("questionnaire_key", 40),
    ("questionnaire_version", Integer, {"default": 1, **NOT_NULL}),
    _varchar("occasion", 16),
    ("due_on", Date, {"default": DateNow(), **NOT_NULL}),
    ("answered_on", Date, {"default": DateNow(), **NOT_NULL}),
    _now("answered_at"), _json("answers", "[]"),
    ("score", DoublePrecision, NULLABLE),
    ("by_proxy", Boolean, {"default": False, **NOT_NULL}),
    ("answered_by", UUID, NULLABLE),
)
REMINDER = (
    PK, CLIENT, ORGANISER,
    ("decision_id", UUID, {"default": UUID4(), **NOT_NULL}),
    _varchar("occasion", 16),
    ("due_on", Date, {"default": DateNow(), **NOT_NULL}),
    _now("sent_at"),
)
CONSENT = (
    PK, CLIENT, ORGANISER,
    ("seq", Integer, {"default": 0, **NOT_NULL}),
    _varchar("state", 16), _varchar("recorded_as", 16),
    ("recorded_by", UUID, NULLABLE),
    _varchar("how", 16), _now("at"),
)


def _params(given: dict) -> dict:
    return {"primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
            "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)
    for class_name, table, columns in (("Questionnaire", "vc_questionnaire", QUESTIONNAIRE),
                                       ("QuestionnaireAnswer", "vc_questionnaire_answer", ANSWER),
                                       ("QuestionnaireReminder", "vc_questionnaire_reminder", REMINDER),
                                       ("ResearchConsent", "vc_research_consent", CONSENT)):
        manager.add_table(class_name=class_name, tablename=table, schema=None, columns=None)
        for name, column_class, given in columns:
            manager.add_column(table_class_name=class_name, tablename=table, column_name=name, db_column_name=name,
                               column_class_name=column_class.__name__, column_class=column_class, params=_params(given),
                               schema=None)
    return manager
