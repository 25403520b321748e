import os

from piccolo.conf.apps import AppConfig

# Search owns no table: the index is derived data, and the listing-change outbox it drains is the
# marketplace's (marketplace.tables.ListingChange). The app stays for its migration history.
APP_CONFIG = AppConfig(
    app_name="search",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[],
    migration_dependencies=["core.piccolo_app", "marketplace.piccolo_app"],
    commands=[],
)
