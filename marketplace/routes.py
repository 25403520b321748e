"""Everything the marketplace mounts on the app."""

from pathlib import Path

import marketplace.booking.messages  # noqa: F401 - registers the booking texts
import marketplace.messages  # noqa: F401 - registers the marketplace's texts
from marketplace import controllers, document_pages, documents, notifications, organisers, pages, registry
from marketplace.booking import controllers as booking_controllers
from marketplace.booking import pages as booking_pages
from marketplace.booking import services as bookings
from marketplace.booking import staff_pages

route_handlers = [
    *controllers.route_handlers,
    *pages.route_handlers,
    *document_pages.route_handlers,
    *organisers.route_handlers,
    *booking_controllers.route_handlers,
    *booking_pages.route_handlers,
    *staff_pages.route_handlers,
]
# Templates beside the package's own ``marketplace/templates`` (the app adds these to its loader).
template_dirs = [Path(booking_pages.__file__).resolve().parent / "templates"]
# The dispute-window clock (auto-capture and reminders), the e-mail outbox sender, the evidence expiry
# sweep (reminders 30 and 7 days ahead, listings out of search at expiry) and, with registry checks
# on, the check of new registrations.
workers = [bookings.dispute_window_worker, notifications.sender, documents.worker, registry.new_registrations_worker]
