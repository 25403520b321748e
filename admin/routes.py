"""Everything the organiser console mounts on the app: its pages, the raw-table admin for platform
admins, and its background work."""

import admin.messages  # noqa: F401 - registers the console's texts
from admin import background, class_budgets, evaluation_pages, pages, raw, users

route_handlers = [*pages.route_handlers, *class_budgets.route_handlers, *evaluation_pages.route_handlers, *users.route_handlers, raw.mount]
workers = [background.fact_drainer, background.rollup_refresher, background.anomaly_watch, background.settlement_schedule]
