"""Routes of the shared foundation: health, login/logout, the front page."""

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import db, eid, identity, metrics, oidc
from core.identity import SESSION_COOKIE, Actor
from core.errors import NotFound
from core.ratelimit import check_login
from core.settings import Settings
from core.web import landing, page, redirect, request_lang, safe_next, set_session_cookie


class Health(msgspec.Struct):
    status: str
    database: str
    search: str


@get("/health", tags=["operations"], summary="Liveness and dependencies", opt={"public": True})
async def health(request: Request) -> Response[Health]:
    database_ok = await db.ping()
    search_backend = getattr(request.app.state, "search", None)
    search_ok = True
    if search_backend is not None:
        try:
            search_ok = await search_backend.health()
        except Exception:  # noqa: BLE001 - any failure is "degraded"
            search_ok = False
    ok = database_ok and search_ok
    body = Health(
        status="ok" if ok else "degraded",
        database="ok" if database_ok else "degraded",
        search="ok" if search_ok else "degraded",
    )
    return Response(body, status_code=200 if ok else 503)


@get("/metrics", include_in_schema=False, opt={"public": True})
async def metrics_page(request: Request, settings: Settings) -> Response:
    """Prometheus metrics (core.metrics, docs/metrics.md). Off (404) until ``HB_METRICS_TOKEN`` or
    ``HB_METRICS_NETWORKS`` is set; then a scrape without the token from outside those networks is
    401, and nothing is read."""
    if not metrics.enabled(settings):
        raise NotFound()  # as any path the platform does not have
    if not metrics.allowed(settings, request.headers.get("authorization"), request.client.host if request.client else None):
        challenge = {"WWW-Authenticate": 'Bearer realm="metrics"'} if settings.metrics_token else {}
        return Response(content=b"401 Unauthorized\n", status_code=401, media_type="text/plain",
                        headers={**challenge, "Cache-Control": "no-store"})
    return Response(content=await metrics.render(settings), media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})


def _login_page(request: Request, settings: Settings, *, status_code: int = 200, next: str, error: str | None,
                email: str = "", request_reset: bool = False) -> Any:
    """The sign-in page: a password form, and the e-ID buttons for the issuers configured."""
    return page(request, "login.html", status_code=status_code, next=next, error=error, email=email,
                request_reset=request_reset, eid=oidc.issuer_config(settings, "eid") is not None,
                staff_eid=oidc.issuer_config(settings, "staff") is not None)


@get("/login", include_in_schema=False, opt={"public": True})
async def login_page(request: Request, settings: Settings, next: str | None = None, reset: str | None = None) -> Any:
    return _login_page(request, settings, next=safe_next(next), error=None, request_reset=bool(reset))


@post("/login", include_in_schema=False, opt={"public": True})
async def login_submit(
    request: Request,
    settings: Settings,
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Any:
    email = str(data.get("email") or "")
    await check_login(email, request.client.host if request.client else "unknown")
    user_id = await identity.password_login(email, str(data.get("password") or ""))
    target = safe_next(str(data.get("next") or "/"))
    if not user_id:
        return _login_page(request, settings, status_code=400, next=target, error="login.failed", email=email)
    if not await eid.password_allowed(user_id):
        # The county signs its staff in through its own identity provider only.
        return _login_page(request, settings, status_code=403, next=target, error="login.password_off", email=email)
    token = await identity.start_session(user_id, settings.session_hours, request.cookies.get(SESSION_COOKIE))
    response = redirect(landing(await identity.role_of(user_id), target))
    set_session_cookie(response, token, settings)
    return response


@post("/logout", include_in_schema=False, opt={"public": True})
async def logout(request: Request) -> Any:
    await identity.end_session(request.cookies.get(SESSION_COOKIE))
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@get("/", include_in_schema=False, opt={"public": True})
async def front_page(request: Request, actor: Actor) -> Any:
    return page(request, "home.html", lang=request_lang(request))


from core import account, idempotency, password_reset, privacy  # noqa: E402 - their routes join the foundation's

route_handlers = [health, metrics_page, login_page, login_submit, logout, front_page, *eid.route_handlers, *password_reset.route_handlers,
                  *privacy.route_handlers, *account.route_handlers]
# Forgets idempotency keys older than core.idempotency.KEEP_KEYS.
workers = [idempotency.sweeper, metrics.pool_sampler]
