"""The Litestar app factory: one place where settings, database, routes and plugins are wired."""

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

import core.messages  # noqa: F401 - registers the foundation's messages
from admin import routes as admin_routes
from core import db, identity
from core import routes as core_routes
from core.clock import utcnow
from core.http import EXCEPTION_HANDLERS, RequestContext, configure_logging, document_problems
from core.ratelimit import ApiRateLimiter, api_rate_guard
from core.screen import InputScreen
from core.settings import Settings
from core.web import current_time, get_actor, require_sign_in
from core.wiring import wire
from marketplace import routes as marketplace_routes
from search import routes as search_routes
from voucher import routes as voucher_routes

log = logging.getLogger("hb")
PACKAGES = ("core", "marketplace", "voucher", "search", "admin")
ROOT = Path(__file__).resolve().parent.parent


# Every package's Litestar slice. A package that fails to import stops the app: a missing slice
# would silently drop its routes or, worse, its background jobs (the settlement schedule that holds
# payouts to a changed account lives in admin's workers).
_SLICES = (core_routes, marketplace_routes, voucher_routes, search_routes, admin_routes)


def _package_routes() -> list:
    return [handler for module in _SLICES for handler in getattr(module, "route_handlers", [])]


def _package_hooks(attr: str) -> list:
    return [hook for module in _SLICES for hook in getattr(module, attr, [])]


def _template_dirs() -> list[Path]:
    """Each package's ``templates/``, and the folders a slice names beside it (``template_dirs``)."""
    own = [ROOT / name / "templates" for name in PACKAGES if (ROOT / name / "templates").is_dir()]
    return own + _package_hooks("template_dirs")


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
    wire()
    configure_logging(settings.log_level)
    identity.configure_passwords(settings)

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
        for hook in _package_hooks("on_startup"):
            await hook(app, settings)
        if run_workers:
            for worker in _package_hooks("workers"):
                tasks.append(asyncio.create_task(worker(app, settings)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            for hook in _package_hooks("on_shutdown"):
                with contextlib.suppress(Exception):
                    await hook(app, settings)
            if own_engine:
                await db.stop(eng)

    static_dirs = [ROOT / name / "static" for name in PACKAGES if (ROOT / name / "static").is_dir()]
    app = Litestar(
        route_handlers=[
            *_package_routes(),
            create_static_files_router(path="/static", directories=static_dirs, include_in_schema=False),
        ],
        lifespan=[lifespan],
        dependencies={
            "actor": Provide(get_actor),
            "now": Provide(current_time, sync_to_thread=False),
            "settings": Provide(lambda: settings, sync_to_thread=False),
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
        template_config=TemplateConfig(directory=_template_dirs(), engine=JinjaTemplateEngine),
        openapi_config=_openapi_config(),
        # The one clock (core.clock): handlers get it as ``now``, background jobs read it here.
        state=State(
            {"settings": settings, "clock": utcnow, "api_rate_limiter": ApiRateLimiter.from_settings(settings)}
        ),
        request_max_body_size=5 * 1024 * 1024,
    )
    RequestContext.around(app, https=settings.https)
    document_problems(app)
    return app
