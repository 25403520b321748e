from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T12:13:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the listing-change outbox (search_outbox) belongs to the marketplace"

# The table stays, under the same name: its class is now marketplace.tables.ListingChange (see
# marketplace_2026_12_07t12_13_00_000000). This migration only records that search no longer owns
# it, so that `piccolo migrations new search --auto` does not offer to create it again; ``fake=True``:
# nothing is run against the database.


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="search", description=DESCRIPTION, fake=True)
    manager.drop_table(class_name="SearchOutbox", tablename="search_outbox", schema=None)
    return manager
