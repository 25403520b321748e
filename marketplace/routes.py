"""Everything the marketplace mounts on the app."""

import marketplace.messages  # noqa: F401 - registers the marketplace's texts
from marketplace import controllers, pages

route_handlers = [*controllers.route_handlers, *pages.route_handlers]
