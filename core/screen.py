"""One screen in front of every route handler for what no handler can take:

* a NUL character in any text — the path, a query parameter, a form field, a JSON key or string —
  PostgreSQL cannot store one (it answered 500) and no person types one;
* JSON nested deeper than ``MAX_JSON_DEPTH``: the decoder recurses and runs out of stack (500).

Both are a 400 naming the field (``lines[0].category``, as the API names fields), before anything
is decoded for the handler. The body is read through Litestar's own request, which enforces the
body size limit and keeps the bytes for the handler. Mounted ASGI apps (the raw-table admin) get
their bodies untouched.
"""

from typing import Any

import msgspec
from litestar import Request
from litestar.handlers import HTTPRouteHandler
from litestar.middleware.base import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from core.errors import FieldError, Invalid

# The deepest body here (an import document) nests six levels.
MAX_JSON_DEPTH = 32
NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _nul_in(field: str) -> Invalid:
    return Invalid("field.nul_character", field=field, name=field,
                   errors=[FieldError(field=field, key="field.nul_character", params={"name": field})])


def screen_pairs(pairs) -> None:
    """Query parameters or form fields: (name, value) pairs."""
    for name, value in pairs:
        if NUL in name or (isinstance(value, str) and NUL in value):
            raise _nul_in(name)


def screen_json(body: bytes) -> None:
    """Refuse a JSON body nested too deeply or holding a NUL anywhere. A body that is not JSON is
    left to its handler."""
    try:
        value = msgspec.json.decode(body)
    except RecursionError:
        raise Invalid("error.too_deep", field="body", max=MAX_JSON_DEPTH) from None
    except msgspec.DecodeError:
        return
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise _nul_in(path or "body")
        elif isinstance(item, (dict, list)):
            if depth >= MAX_JSON_DEPTH:
                raise Invalid("error.too_deep", field="body", max=MAX_JSON_DEPTH)
            if isinstance(item, list):
                stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))
                continue
            for key, child in item.items():
                name = f"{path}.{key}" if path else key
                if NUL in key:
                    raise _nul_in(name)
                stack.append((child, name, depth + 1))


class InputScreen(ASGIMiddleware):
    """Route middleware (after routing, before CSRF, guards and the handler); what it refuses is
    answered by the app's one mapping of errors."""

    scopes = ("http",)  # type: ignore[assignment]

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if isinstance(scope.get("route_handler"), HTTPRouteHandler):
            await self._screen(Request(scope, receive))
        await next_app(scope, receive, send)

    @staticmethod
    async def _screen(request: Request) -> None:
        if NUL in request.scope.get("path", ""):
            raise _nul_in("path")
        screen_pairs(request.query_params.multi_items())
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return
        if request.content_type[0] in FORMS:
            screen_pairs((await request.form()).multi_items())
        elif body := await request.body():
            # Whatever the content type says: a JSON handler decodes the body all the same.
            screen_json(body)
