"""Everything the marketplace mounts on the app."""

import marketplace.booking_messages  # noqa: F401 - registers the booking texts
import marketplace.messages  # noqa: F401 - registers the marketplace's texts
from marketplace import booking_controllers, booking_pages, bookings, controllers, notifications, pages
from marketplace.booking import staff_pages

route_handlers = [
    *controllers.route_handlers,
    *pages.route_handlers,
    *booking_controllers.route_handlers,
    *booking_pages.route_handlers,
    *staff_pages.route_handlers,
]
# The dispute-window clock (auto-capture and reminders) and the e-mail outbox sender.
workers = [bookings.dispute_window_worker, notifications.sender]
