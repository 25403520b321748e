"""Everything the voucher mounts on the app: its API, pages, Stripe webhook and background work."""

import voucher.invitation_messages  # noqa: F401 - registers the invitations' texts
import voucher.messages  # noqa: F401 - registers the voucher's texts
from voucher import background, card_rules_page, controllers, invitation_routes, pages

route_handlers = [*controllers.route_handlers, *pages.route_handlers, *invitation_routes.route_handlers,
                  *card_rules_page.route_handlers]
workers = [background.expiry_sweeper]
