"""Everything the search package mounts: API, pages, the index backend and its sync worker."""

import marketplace.messages  # noqa: F401 - facet labels come from the marketplace's texts
import search.messages  # noqa: F401
from search import controllers, pages, sync

route_handlers = [*controllers.route_handlers, *pages.route_handlers]
on_startup = [sync.on_startup]
on_shutdown = [sync.on_shutdown]
workers = [sync.worker]
