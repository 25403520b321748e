import datetime as dt
import json
import uuid

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-07T10:12:49:000000"
VERSION = "1.38.0"
DESCRIPTION = "one application per approval and category; existing approvals keep the categories they covered"

# Until now an approval covered whatever categories the provider listed. An approval that was
# granted (approved, or suspended after it) keeps covering all of them; any other approval's
# categories wait with its application, so the organiser's decision on it covers them.
GRANTED = ("approved", "suspended")


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def cover_current_categories():
        engine = engine_finder()
        await engine.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS mp_provider_category_approval_one "
            "ON mp_provider_category_approval (approval, category)"
        )
        rows = await engine.run_querystring(QueryString(
            "SELECT pa.id AS approval, pa.status AS status, pa.decided_at AS decided_at, p.categories AS categories "
            "FROM mp_provider_approval pa JOIN mp_provider p ON p.id = pa.provider"
        ))
        now = dt.datetime.now(dt.timezone.utc)
        for row in rows:
            categories = row["categories"]
            if isinstance(categories, str):
                categories = json.loads(categories)
            granted = row["status"] in GRANTED
            for code in dict.fromkeys(categories or []):
                await engine.run_querystring(QueryString(
                    "INSERT INTO mp_provider_category_approval "
                    "(id, approval, category, status, reason, reviewer_id, submitted_at, decided_at) "
                    "VALUES ({}, {}, {}, {}, '', NULL, {}, {})",
                    uuid.uuid4(), row["approval"], code, "approved" if granted else "pending", now,
                    (row["decided_at"] or now) if granted else None,
                ))

    manager.add_raw(cover_current_categories)
    return manager
