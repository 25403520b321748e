from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from core.db import add_check

ID = "2026-12-09T10:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = ("one questionnaire per county and key, one answer per occasion, one reminder per occasion; the "
               "research consent's history is append-only and its words known")

# The database's own last word (after 10:00:00 made the tables). PostgreSQL gets CHECK constraints and
# a trigger, SQLite triggers (core.db.add_check). The consent's history refuses UPDATE; a row leaves
# only with its client (the foreign key's cascade).
CHECKS = (
    ("vc_research_consent", "vc_research_consent_words",
     "{n}state IN ('given', 'withdrawn') AND {n}recorded_as IN ('client', 'proxy', 'counsellor') "
     "AND {n}how IN ('in_app', 'in_person', 'paper', 'phone') AND {n}seq >= 1"),
    ("vc_questionnaire_answer", "vc_questionnaire_answer_occasion",
     "{n}occasion IN ('start', 'follow_up', 'end')"),
    ("vc_questionnaire", "vc_questionnaire_kind", "{n}kind IN ('who5', 'satisfaction', 'custom')"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="voucher", description=DESCRIPTION)

    async def constraints():
        engine = engine_finder()
        await engine.run_ddl("CREATE UNIQUE INDEX vc_questionnaire_one_key ON vc_questionnaire (organiser_id, key)")
        await engine.run_ddl(
            "CREATE UNIQUE INDEX vc_questionnaire_answer_once ON vc_questionnaire_answer "
            "(client, decision_id, questionnaire_key, occasion, due_on)")
        await engine.run_ddl(
            "CREATE UNIQUE INDEX vc_questionnaire_reminder_once ON vc_questionnaire_reminder "
            "(decision_id, occasion, due_on)")
        await engine.run_ddl("CREATE UNIQUE INDEX vc_research_consent_order ON vc_research_consent (client, seq)")
        for table, name, condition in CHECKS:
            await add_check(engine, table, name, condition)
        if engine.engine_type == "sqlite":
            await engine.run_ddl(
                "CREATE TRIGGER IF NOT EXISTS vc_research_consent_no_update BEFORE UPDATE ON vc_research_consent "
                "BEGIN SELECT RAISE(ABORT, 'research consent history is append-only'); END")
        else:
            await engine.run_ddl(
                "CREATE OR REPLACE FUNCTION vc_research_consent_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'research consent history is append-only'; END; $$ LANGUAGE plpgsql")
            await engine.run_ddl(
                "CREATE TRIGGER vc_research_consent_append_only BEFORE UPDATE ON vc_research_consent "
                "FOR EACH ROW EXECUTE FUNCTION vc_research_consent_append_only()")

    manager.add_raw(constraints)
    return manager
