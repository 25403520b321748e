"""Routes of the shared foundation: health, login/logout, the front page."""

from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import db, identity
from core.identity import SESSION_COOKIE, Actor
from core.ratelimit import check_login
from core.settings import Settings
from core.web import page, redirect, request_lang, set_session_cookie


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


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


@get("/login", include_in_schema=False, opt={"public": True})
async def login_page(request: Request, next: str | None = None, reset: str | None = None) -> Any:
    return page(request, "login.html", next=_safe_next(next), error=None, email="", request_reset=bool(reset))


@post("/login", include_in_schema=False, opt={"public": True})
async def login_submit(
    request: Request,
    settings: Settings,
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Any:
    email = str(data.get("email") or "")
    await check_login(email, request.client.host if request.client else "unknown")
    user_id = await identity.password_login(email, str(data.get("password") or ""))
    target = _safe_next(str(data.get("next") or "/"))
    if not user_id:
        return page(
            request,
            "login.html",
            status_code=400,
            next=target,
            error="login.failed",
            email=email,
        )
    token = await identity.start_session(user_id, settings.session_hours, request.cookies.get(SESSION_COOKIE))
    response = redirect(target)
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


from core import idempotency, password_reset, privacy  # noqa: E402 - their routes join the foundation's

route_handlers = [health, login_page, login_submit, logout, front_page, *password_reset.route_handlers,
                  *privacy.route_handlers]
# Forgets idempotency keys older than core.idempotency.KEEP_KEYS.
workers = [idempotency.sweeper]
