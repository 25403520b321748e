"""Everything the voucher mounts on the app: its API, pages, Stripe webhook and background work."""

import voucher.messages  # noqa: F401 - registers the voucher's texts
from voucher import background, controllers, pages

route_handlers = [*controllers.route_handlers, *pages.route_handlers]
workers = [background.expiry_sweeper]
