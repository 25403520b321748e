"""HTTP plumbing: request ids and structured logs, security headers, and the one mapping from
errors to RFC 9457 problem details (JSON) or an error page (HTML)."""

import json
import logging
import re
import sqlite3
import sys
import time
import uuid
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.types import ASGIApp, Receive, Scope, Send

from core import i18n, metrics
from core.audit import request_id_var
from core.errors import DomainError, FieldError, Forbidden, Invalid, NotFound, Unauthenticated, Unavailable, from_validation
from core.web import LANG_COOKIE, page, request_lang, wants_json

log = logging.getLogger("hb")
PROBLEM_JSON = "application/problem+json"
_REQUEST_ID_OK = re.compile(r"^[A-Za-z0-9._-]{1,64}$")



# Paths under which inline styles are allowed (scripts never are): a bundled single-page app that
# styles its icons inline, such as the raw-table admin, registers its mount here.
_INLINE_STYLE_PREFIXES: list[str] = []


def allow_inline_styles(prefix: str) -> None:
    if prefix not in _INLINE_STYLE_PREFIXES:
        _INLINE_STYLE_PREFIXES.append(prefix)


def _csp(path: str) -> bytes:
    styles = "'self' 'unsafe-inline'" if path.startswith(tuple(_INLINE_STYLE_PREFIXES)) else "'self'"
    return (f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
            "base-uri 'none'; object-src 'none'").encode()

class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or request_id_var.get(),
        }
        for key in ("method", "route", "status", "duration_ms", "role", "error"):
            if hasattr(record, key):
                payload[key] = getattr(record, key)
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("hb")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
    # The ORM's own lines ("Running Sqlite version …") in the same structured form, warnings only.
    orm = logging.getLogger("piccolo")
    orm.handlers[:] = [handler]
    orm.setLevel(max(logging.WARNING, root.level))
    orm.propagate = False


class RequestContext:
    """Request id, one structured log line per request (no query strings: they may carry personal
    data), security headers and the language cookie — on every answer.

    It wraps the whole app (``around``), not its routes: Litestar answers an unknown path, a wrong
    method and a refused CSRF token (its CSRF check raises) in its outermost layer, beyond any
    route's middleware, so a route middleware would send those without these headers and log them
    as 500s or not at all."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.https = https

    @classmethod
    def around(cls, app, https: bool) -> None:
        """Put this around everything ``app`` (a Litestar app) answers with."""
        app.asgi_handler = cls(app.asgi_handler, https)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID_OK.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        csp = _csp(scope.get("path", ""))  # before routing: a mount rewrites the scope's path
        started = time.perf_counter()
        status_holder = {"status": 500}
        query = scope.get("query_string", b"").decode("latin-1")
        lang_param = None
        for part in query.split("&"):
            if part.startswith("lang="):
                lang_param = i18n.normalise_lang(part[5:])

        async def send_wrapper(message: Any) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                extra = [
                    (b"x-request-id", request_id.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", csp),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if self.https:
                    extra.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
                if lang_param:
                    cookie = f"{LANG_COOKIE}={lang_param}; Path=/; Max-Age=31536000; SameSite=Lax"
                    extra.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            # The matched route's whole template ("/api/v1/authorizations/{authorization_id}", a
            # mount's prefix); an unknown path is not logged or counted by name (it may be anything typed).
            template = (scope.get("path_template") or None) if scope.get("route_handler") is not None else None
            seconds = time.perf_counter() - started
            metrics.request_done(scope.get("method"), template, status_holder["status"], seconds)
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "route": template,
                    "status": status_holder["status"],
                    "duration_ms": round(seconds * 1000, 1),
                    "role": getattr(scope.get("hb_actor"), "role", "anonymous"),
                    "request_id": request_id,
                },
            )
            request_id_var.reset(token)


def _problem(request: Request, exc: DomainError, status: int | None = None) -> Response:
    lang = request_lang(request)
    status = status or exc.status
    body: dict[str, Any] = {
        "type": f"https://hb-platform.example/problems/{exc.type_slug}",
        "title": i18n.t(exc.default_key, lang),
        "status": status,
        "detail": i18n.t(exc.key, lang, **exc.params),
    }
    if exc.key != exc.default_key and i18n.has(exc.key):
        body["code"] = exc.key
    if exc.field:
        body["field"] = exc.field
    if exc.errors:
        body["errors"] = [
            {k: v for k, v in {"field": e.field, "message": e.localised(lang).message, "ref": e.ref}.items() if v}
            for e in exc.errors
        ]
    if request_id_var.get():
        body["request_id"] = request_id_var.get()
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=_retry_after(exc, status))


def _retry_after(exc: DomainError, status: int) -> dict:
    if status == 429 and exc.params.get("retry_after"):
        return {"Retry-After": str(exc.params["retry_after"])}
    if status == 503:
        return {"Retry-After": "5"}
    return {}


def _error_page(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, Unauthenticated):
        from urllib.parse import quote

        return Response(
            content="",
            status_code=303,
            headers={"Location": f"/login?next={quote(request.url.path)}"},
        )
    lang = request_lang(request)
    response = page(
        request,
        "error.html",
        status_code=exc.status,
        title=i18n.t(exc.default_key, lang),
        detail=i18n.t(exc.key, lang, **exc.params),
    )
    response.headers.update(_retry_after(exc, exc.status))
    return response


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    if wants_json(request):
        return _problem(request, exc)
    return _error_page(request, exc)


def _field_from_message(item: dict) -> str:
    key = item.get("key")
    message = item.get("message", "")
    match = re.search(r"at `\$\.([^`]+)`", message)
    if match:
        path = match.group(1)
        path = re.sub(r"\[(\d+)\]", r".\1", path)
        return path
    match = re.search(r"Object missing required field `([^`]+)`", message)
    if match:
        return match.group(1)
    match = re.search(r"Object contains unknown field `([^`]+)`", message)
    if match:
        return match.group(1)
    return key or "body"


def validation_handler(request: Request, exc: ValidationException) -> Response:
    errors: list[FieldError] = []
    for item in exc.extra or []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        errors.append(from_validation(message, field=_field_from_message(item)))
    if not errors:
        errors.append(from_validation(str(exc.detail), field="body"))
    return domain_error_handler(request, Invalid("error.validation", errors=errors, field=errors[0].field))


def http_exception_handler(request: Request, exc: HTTPException) -> Response:
    if isinstance(exc, NotFoundException):
        mapped: DomainError = NotFound()
    elif isinstance(exc, NotAuthorizedException):
        mapped = Unauthenticated()
    elif isinstance(exc, PermissionDeniedException):
        mapped = Forbidden("error.csrf" if "csrf" in str(exc.detail).lower() else "error.forbidden")
    elif exc.status_code == 405:
        mapped = Invalid("error.invalid")
        mapped.status = 405
        return _problem(request, mapped, status=405) if wants_json(request) else _error_page(request, mapped)
    elif exc.status_code >= 500:
        mapped = Unavailable()
    else:
        mapped = Invalid("error.invalid")
        mapped.status = exc.status_code
        return _problem(request, mapped, status=exc.status_code) if wants_json(request) else _error_page(request, mapped)
    return domain_error_handler(request, mapped)


def _is_database_outage(exc: BaseException) -> bool:
    names = {type(e).__name__ for e in _chain(exc)}
    outage = {
        "ConnectionRefusedError",
        "ConnectionResetError",
        "CannotConnectNowError",
        "ConnectionDoesNotExistError",
        "ConnectionFailureError",
        "InterfaceError",
        "TooManyConnectionsError",
        "PostgresConnectionError",
        "TimeoutError",
        # The server is shutting down or crashed under the request (a failover's first moment),
        # no listed host takes writes yet (HB_DATABASE_URL with several hosts, the standby not yet
        # promoted), or the session found itself on a read-only server: all retryable.
        "AdminShutdownError",
        "CrashShutdownError",
        "TargetServerAttributeNotMatched",
        "ReadOnlySQLTransactionError",
    }
    if names & outage:
        return True
    return any(isinstance(e, sqlite3.OperationalError) and "locked" not in str(e) for e in _chain(exc))


def _chain(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def internal_error_handler(request: Request, exc: Exception) -> Response:
    if _is_database_outage(exc):
        log.warning("database unavailable", extra={"error": type(exc).__name__})
        return domain_error_handler(request, Unavailable())
    log.error("unhandled error", exc_info=exc, extra={"error": type(exc).__name__})
    err = DomainError("error.internal")
    err.status = 500
    if wants_json(request):
        return _problem(request, err, status=500)
    return _error_page(request, err)


EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    ValidationException: validation_handler,
    HTTPException: http_exception_handler,
    Exception: internal_error_handler,
}

__all__ = ["EXCEPTION_HANDLERS", "RequestContext", "configure_logging", "MediaType"]


def document_problems(app) -> None:
    """Say in the OpenAPI document what every error really is: an RFC 9457 problem
    (``application/problem+json``). Each operation's error responses get the Problem schema and a
    ``default`` response covers the statuses an operation does not list (401, 403, 404, 409, 429,
    503 …), so clients and schema-driven tests (schemathesis) see the document and the API agree.

    Done when the document is first built (the first request for it), not while the app is built:
    building it for ~200 operations costs more than the rest of ``create_app``. Litestar builds the
    document in its own OpenAPI plugin; the app's instance is given a subclass that adds the
    problems to what it builds (``_build_openapi`` is Litestar 2's one place for that)."""
    from litestar._openapi.plugin import OpenAPIPlugin

    class ProblemDocumentingOpenAPIPlugin(OpenAPIPlugin):
        __slots__ = ()

        def _build_openapi(self):
            openapi = super()._build_openapi()
            _add_problems(openapi)
            return openapi

    app.plugins.get(OpenAPIPlugin).__class__ = ProblemDocumentingOpenAPIPlugin


def _add_problems(schema) -> None:
    from litestar.openapi.spec import Components, OpenAPIMediaType, OpenAPIResponse, Reference, Schema
    from litestar.openapi.spec.enums import OpenAPIType

    text, integer = Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.INTEGER)
    problem = Schema(
        type=OpenAPIType.OBJECT,
        required=["type", "title", "status"],
        properties={
            "type": text, "title": text, "status": integer, "detail": text, "code": text, "field": text,
            "request_id": text,
            "errors": Schema(type=OpenAPIType.ARRAY, items=Schema(
                type=OpenAPIType.OBJECT, properties={"field": text, "message": text, "ref": text})),
        },
        description="RFC 9457 problem details",
    )
    schema.components = schema.components or Components()
    schema.components.schemas = {**(schema.components.schemas or {}), "Problem": problem}
    content = {PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    for item in (schema.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            responses = operation.responses or {}
            for status, response in list(responses.items()):
                if status.isdigit() and int(status) >= 400 and isinstance(response, OpenAPIResponse):
                    response.content = dict(content)
            responses.setdefault("default", OpenAPIResponse(description="A problem (RFC 9457)", content=dict(content)))
            operation.responses = responses
