"""Helpers shared by every page and API handler: the actor, the language, page rendering, forms,
paging."""

import datetime as dt
import math
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar import Request
from litestar.dto import MsgspecDTO
from litestar.exceptions import ClientException, ValidationException
from litestar.params import Parameter
from litestar.response import Redirect, Template
from litestar.typing import FieldDefinition

from core import i18n
from core.errors import DomainError, FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import ANONYMOUS, SESSION_COOKIE, Actor, actor_from_api_key, actor_from_session

T = TypeVar("T")
LANG_COOKIE = "hb_lang"

# The header of every idempotent route (core.idempotency): the card API's money-moving POSTs, booking.
IdempotencyKey = Annotated[
    str | None,
    Parameter(header="Idempotency-Key", required=False, max_length=255,
              description="Replaying a key with the same body returns the first response (the first booking, "
                          "for a booking); another body is 409."),
]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def is_json_media_type(content_type: str) -> bool:
    """The media type, parameters aside, is exactly application/json. A form may send
    ``text/plain; application/json`` cross-site without a preflight: that is not JSON."""
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


class StrictBody(MsgspecDTO[T], Generic[T]):
    """A JSON body decoded once, strictly, straight into its Struct: ``"amount_cents": "10"`` is
    malformed, not 10 (Litestar's own decoding is msgspec's lax mode). Money-moving routes take
    their body through it: ``@post(..., dto=StrictBody[AuthorizationRequest], return_dto=None)``;
    the OpenAPI document shows the Struct itself, as for any other body."""

    def decode_bytes(self, value: bytes) -> T:
        try:
            # An empty body is JSON null, as Litestar reads it: "expected an object", field ``body``.
            return msgspec.json.decode(value or b"null", type=self.model_type)
        except msgspec.ValidationError as exc:
            raise ValidationException(detail="Validation failed", extra=[{"key": "body", "message": str(exc)}]) from None
        except msgspec.DecodeError as exc:
            raise ClientException(detail=str(exc)) from None

    @classmethod
    def create_openapi_schema(cls, field_definition, handler_id, schema_creator):  # noqa: ANN001 - Litestar's hook
        return schema_creator.for_field_definition(FieldDefinition.from_annotation(cls.model_type))


def current_time(request: Request) -> dt.datetime:
    """The app's clock (``app.state.clock``; core.clock): every handler's ``now``. A test that
    fixes the clock there fixes it for every package's pages, API and background jobs."""
    return request.app.state.clock()


async def get_actor(request: Request) -> Actor:
    """Resolve (once per request) who is asking: an API key (Bearer) or a session cookie."""
    cached = request.scope.get("hb_actor")
    if cached is not None:
        return cached
    actor = ANONYMOUS
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        checked_in_call = bool(request.scope.get("hb_api_key_checked_in_call"))
        actor = await actor_from_api_key(auth[7:].strip(), checked_in_call=checked_in_call) or ANONYMOUS
    else:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            found = await actor_from_session(token)
            if found is not None:
                # A session cookie on a JSON API write must come with a JSON body: a cross-site
                # form cannot send one, so this stands in for the CSRF token pages carry.
                if (
                    request.url.path.startswith("/api/")
                    and request.scope.get("method") in UNSAFE_METHODS
                    and not is_json_media_type(request.headers.get("content-type", ""))
                ):
                    raise Forbidden("error.csrf")
                actor = found
    request.scope["hb_actor"] = actor
    return actor


# Paths that are public by nature: static files, the OpenAPI document, and webhooks (which
# authenticate by signature, not by session).
PUBLIC_PREFIXES = ("/static/", "/schema", "/webhooks/")


def api_key_scopes(*scopes: str) -> dict:
    """The route option that lets API keys holding one of ``scopes`` call a route
    (``opt=api_key_scopes(identity.TERMINAL)``); see ``require_sign_in``."""
    return {"api_key_scopes": frozenset(scopes)}


async def require_sign_in(connection, handler) -> None:
    """The app-wide guard: every route needs a signed-in actor unless it is marked public
    (``opt={"public": True}``), and an API key is accepted only by the routes that name one of its
    scopes (``opt=api_key_scopes(...)``), public ones included: elsewhere it is 403, whatever the
    role behind it may do when signed in. A new route is private, and closed to API keys, until
    someone decides otherwise."""
    if connection.headers.get("authorization", "").lower().startswith("bearer "):
        # A route whose one database call checks the key itself may take it from the process's
        # cache (core.identity.actor_from_api_key; docs/decisions/0047).
        connection.scope["hb_api_key_checked_in_call"] = bool(handler.opt.get("api_key_checked_in_call"))
        actor = await get_actor(connection)
        if actor.via_api_key and not actor.api_key_scopes & handler.opt.get("api_key_scopes", frozenset()):
            raise Forbidden("error.api_key_scope")
    if handler.opt.get("public") or connection.scope.get("path", "").startswith(PUBLIC_PREFIXES):
        return
    actor = await get_actor(connection)
    if actor.is_anonymous:
        raise Unauthenticated()


# Where each person lands after signing in when they asked for no page in particular: their own
# start page, not the front page they came from.
ROLE_HOME = {
    "client": "/client", "proxy": "/client", "provider_staff": "/provider", "counsellor": "/counsellor/clients",
    "organiser_admin": "/organiser/reviews", "platform_admin": "/users",
}


def landing(role: str | None, target: str) -> str:
    return ROLE_HOME.get(role or "", "/") if target == "/" else target


def safe_next(value: str | None) -> str:
    """A path on this site to go to after signing in; anything else (another site, ``//host``) is
    the front page."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def request_lang(request: Request) -> str:
    cached = request.scope.get("hb_lang")
    if cached:
        return cached
    lang = (
        i18n.normalise_lang(request.query_params.get("lang"))
        or i18n.normalise_lang(request.cookies.get(LANG_COOKIE))
        or (request.scope.get("hb_actor").language if request.scope.get("hb_actor") and request.scope.get("hb_actor").user_id else None)
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT_LANG
    )
    request.scope["hb_lang"] = lang
    return lang


def wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith(("/api/", "/webhooks/", "/health", "/schema")):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


class Pager(msgspec.Struct, kw_only=True):
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paging(page: Any, per_page: Any = 20, max_per_page: int = 100) -> tuple[int, int]:
    """Page number and size from user input; bad values fall back to sane ones."""
    try:
        p = max(1, int(page or 1))
    except (TypeError, ValueError):
        p = 1
    try:
        n = min(max_per_page, max(1, int(per_page or 20)))
    except (TypeError, ValueError):
        n = 20
    return p, n


def page(request: Request, template_name: str, *, status_code: int = 200, **context: Any) -> Template:
    lang = request_lang(request)
    actor = request.scope.get("hb_actor") or ANONYMOUS

    def tr(key: str, **params: Any) -> str:
        return i18n.t(key, lang, **params)

    def lang_url(code: str) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        params["lang"] = code
        from urllib.parse import urlencode

        return f"{request.url.path}?{urlencode(params)}"

    def page_url(number: int, param: str = "page") -> str:
        from urllib.parse import urlencode

        params = [(k, v) for k, v in request.query_params.multi_items() if k not in {param, "lang"}]
        params.append((param, str(number)))
        return f"{request.url.path}?{urlencode(params)}"

    return Template(
        template_name=template_name,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        context={
            "actor": actor,
            "lang": lang,
            "langs": i18n.LANGS,
            "t": tr,
            "money": lambda cents: i18n.money(cents, lang),
            "local_date": lambda value: i18n.local_date(value, lang),
            "local_datetime": lambda value: i18n.local_datetime(value, lang),
            "date_range": lambda start, end: i18n.date_range(start, end, lang),
            "event_label": lambda action: i18n.event_label(action, lang),
            "time_range": lambda start, end: i18n.time_range(start, end, lang),
            "pick": lambda texts: i18n.pick(texts, lang),
            "lang_url": lang_url,
            "page_url": page_url,
            "path": request.url.path,
            **context,
        },
    )


def set_session_cookie(response, token: str, settings) -> None:
    """The session cookie of a new sign-in (password, invitation, strong e-ID): HttpOnly, SameSite=Lax,
    Secure behind TLS, living as long as the session."""
    response.set_cookie(SESSION_COOKIE, token, httponly=True, secure=settings.https, samesite="lax",
                        max_age=settings.session_hours * 3600, path="/")


def redirect(path: str) -> Redirect:
    return Redirect(path=path, status_code=303)


def as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value if str(v) != ""]
    return [str(value)]


def form_errors(exc: DomainError, lang: str) -> dict[str, str]:
    """Field → translated message, for re-rendering a form next to its inputs."""
    out: dict[str, str] = {}
    for err in exc.errors:
        out.setdefault(err.field, err.localised(lang).message)
    if not out and exc.field:
        out[exc.field] = i18n.t(exc.key, lang, **exc.params)
    return out


def require_fields(data: dict, names: list[str]) -> list[FieldError]:
    return [
        FieldError(field=name, key="field.required")
        for name in names
        if not str(data.get(name) or "").strip()
    ]


def invalid(errors: list[FieldError]) -> Invalid:
    return Invalid("error.validation", errors=errors, field=errors[0].field if errors else None)
