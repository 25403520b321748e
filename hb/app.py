"""The Litestar app factory: one place where settings, database, routes and plugins are wired, and
every package's slice (routes, templates, static files, background work) is named."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import YamlRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from piccolo.engine.base import Engine

import admin
import core
import core.messages  # noqa: F401 - registers the foundation's messages
import marketplace
import search
import voucher
from admin import routes as admin_routes
from core import db, identity, leader
from core import routes as core_routes
from core.clock import utcnow
from core.http import EXCEPTION_HANDLERS, RequestContext, configure_logging, document_problems
from core.ratelimit import api_rate_guard, api_rate_limiter
from core.screen import InputScreen
from core.settings import Settings
from core.web import current_time, get_actor, require_sign_in
from hb import wiring
from marketplace import routes as marketplace_routes
from search import routes as search_routes
from voucher import routes as voucher_routes

log = logging.getLogger("hb")

# Every package's Litestar slice, named here: its routes, the background work it runs in the server
# (a missing worker would silently drop e.g. the settlement schedule that holds payouts to a changed
# account), and the packages whose templates/ and static/ folders the app serves.
ROUTE_HANDLERS = [
    *core_routes.route_handlers,
    *marketplace_routes.route_handlers,
    *voucher_routes.route_handlers,
    *search_routes.route_handlers,
    *admin_routes.route_handlers,
]
ON_STARTUP = [*search_routes.on_startup]
# The background jobs run in one server process of several (core.leader); the search index's
# own worker runs in each process (search/ keeps its index per process).
WORKERS = [*core_routes.workers, *marketplace_routes.workers, *voucher_routes.workers, *admin_routes.workers]
EVERY_PROCESS_WORKERS = [*search_routes.workers]
ON_SHUTDOWN = [*search_routes.on_shutdown]
PACKAGES = (core, marketplace, voucher, search, admin)
# Template folders a slice keeps beside its package's own (the booking slice's, in marketplace/booking/).
TEMPLATE_DIRS = [*marketplace_routes.template_dirs]


def _package_dirs(name: str) -> list[Path]:
    """Each package's ``templates`` or ``static`` folder, in the packages' order."""
    folders = (Path(package.__file__).resolve().parent / name for package in PACKAGES)
    return [folder for folder in folders if folder.is_dir()]


class _OnceRenderedYaml(YamlRenderPlugin):
    """The YAML form of the OpenAPI document, rendered on its first request and then served as
    those bytes: the document changes only when the app is built, and pure-Python ``yaml.dump``
    of it costs ~0.3 s of CPU (anyone may ask for it, signed in or not)."""

    def __init__(self) -> None:
        super().__init__()
        self._rendered: bytes | None = None

    def render(self, request, openapi_schema) -> bytes:
        if self._rendered is None:
            self._rendered = super().render(request, openapi_schema)
        return self._rendered


def _openapi_config() -> OpenAPIConfig:
    config = OpenAPIConfig(
        title="HB platform API",
        version="1.0.0",
        description="Personal budgets in Finnish social care: marketplace, HB card and follow-up.",
        path="/schema",
    )
    config.render_plugins = [_OnceRenderedYaml() if isinstance(p, YamlRenderPlugin) else p for p in config.render_plugins]
    return config


def create_app(settings: Settings | None = None, *, engine: Engine | None = None, run_workers: bool = True) -> Litestar:
    """Build the app. ``engine`` lets tests hand over an engine they bound already."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    identity.configure_passwords(settings)
    wiring.wire()
    import_wiring = wiring.import_wiring(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        own_engine = engine is None
        eng = db.bind(engine or db.make_engine(settings))
        if own_engine:
            await db.start(eng)
        if not settings.is_postgres and await db.pending_migrations():
            await db.migrate(quiet=True)
        app.state.engine = eng
        tasks: list[asyncio.Task] = []
        for hook in ON_STARTUP:
            await hook(app, settings)
        if run_workers:
            for worker in EVERY_PROCESS_WORKERS:
                tasks.append(asyncio.create_task(worker(app, settings)))
            tasks.append(asyncio.create_task(
                leader.lead(settings, lambda: [asyncio.create_task(worker(app, settings)) for worker in WORKERS])))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for hook in ON_SHUTDOWN:
                with contextlib.suppress(Exception):
                    await hook(app, settings)
            if own_engine:
                await db.stop(eng)

    app = Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            create_static_files_router(path="/static", directories=_package_dirs("static"), include_in_schema=False),
        ],
        lifespan=[lifespan],
        dependencies={
            "actor": Provide(get_actor),
            "now": Provide(current_time, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False),
            # What the marketplace's imports route needs from above it (marketplace.importer.ImportWiring).
            "import_wiring": Provide(lambda: import_wiring, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        # NUL characters and too deeply nested JSON are refused for every route, in one place.
        middleware=[InputScreen()],
        # The rate limit comes first: a flood of made-up API keys is refused before any lookup.
        guards=[api_rate_guard, require_sign_in],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="hb_csrf",
            cookie_secure=settings.https,
            cookie_httponly=True,
            cookie_samesite="lax",
            exclude=["/api/", "/webhooks/", "/health", "/schema"],
        ),
        template_config=TemplateConfig(directory=_package_dirs("templates") + TEMPLATE_DIRS, engine=JinjaTemplateEngine),
        openapi_config=_openapi_config(),
        # The one clock (core.clock): handlers get it as ``now``, background jobs read it here.
        state=State(
            {"settings": settings, "clock": utcnow, "api_rate_limiter": api_rate_limiter(settings)}
        ),
        request_max_body_size=5 * 1024 * 1024,
    )
    RequestContext.around(app, https=settings.https)
    document_problems(app)
    return app
