"""Everything the voucher mounts on the app: its API, pages, Stripe webhook and background work."""

import voucher.consent_messages  # noqa: F401 - registers the card consent's texts
import voucher.dispute_messages  # noqa: F401 - registers the payments' and disputes' texts
import voucher.invitation_messages  # noqa: F401 - registers the invitations' texts
import voucher.messages  # noqa: F401 - registers the voucher's texts
import voucher.own_share_messages  # noqa: F401 - registers own share's texts
from voucher import background, card_rules_page, consent_routes, controllers, invitation_routes, own_share_routes, pages
from voucher.disputes import controllers as dispute_controllers
from voucher.disputes import pages as dispute_pages

route_handlers = [*controllers.route_handlers, *pages.route_handlers, *invitation_routes.route_handlers,
                  *dispute_controllers.route_handlers, *dispute_pages.route_handlers, *card_rules_page.route_handlers,
                  *consent_routes.route_handlers, *own_share_routes.route_handlers]
workers = [background.expiry_sweeper]
