from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import UUID, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-08T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "a booking says who booked it as which role (client, proxy, counsellor), a counsellor by name, and "
    "the client's consent a counsellor booked with (issue 17, supported purchasing)"
)

COLUMNS = (
    ("booked_by_role", Varchar, {"length": 16, "default": "client", "null": False}),
    ("booked_by_label", Varchar, {"length": 200, "default": "", "null": False}),
    ("purchase_consent_id", UUID, {"default": None, "null": True}),
)


def _params(given: dict) -> dict:
    return {"primary_key": False, "unique": False, "index": False, "index_method": IndexMethod.btree, "choices": None,
            "db_column_name": None, "secret": False, **given}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name, column_class, given in COLUMNS:
        manager.add_column(table_class_name="Booking", tablename="mp_booking", column_name=name, db_column_name=name,
                           column_class_name=column_class.__name__, column_class=column_class, params=_params(given),
                           schema=None)
    return manager
