import os

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="admin",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=["admin.tables"], exclude_imported=True),
    migration_dependencies=["core.piccolo_app", "marketplace.piccolo_app", "voucher.piccolo_app"],
    commands=[],
)
