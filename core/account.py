"""A signed-in person's own account: who they are on the platform (role and scope), their open
sessions — each can be ended, or every other one at once — and a new password (the current one
required, the password policy of core.password_reset, argon2; every other session ends).

Every step is audited. Guessing the current password counts against the same limit as signing in
(core.ratelimit.check_login). What the account's scope is called (the county, the provider, the
client's pseudonym, the clients a proxy acts for) is other packages' data: they register a
``ScopeNames`` function here (``register_scope_names``, by the composition root), and the page shows
what it answers.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from litestar import Request, delete, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import audit, db, identity
from core.errors import FieldError, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor, SessionBrief
from core.password_reset import MIN_PASSWORD_LENGTH, password_problem
from core.ratelimit import check_login
from core.web import form_errors, page, redirect, request_lang


class ScopeName(msgspec.Struct, frozen=True, kw_only=True):
    """One line of "what this account belongs to": a catalogue key for the kind (e.g.
    ``account.scope.organiser``) and the name."""

    kind: str
    name: str


ScopeNames = Callable[[Actor], Awaitable[list[ScopeName]]]
_scope_names: list[ScopeNames] = []


def register_scope_names(*functions: ScopeNames) -> None:
    """Who names an account's scope (calling it again replaces the list: wiring is idempotent)."""
    _scope_names[:] = list(functions)


async def scope_names(actor: Actor) -> list[ScopeName]:
    out: list[ScopeName] = []
    for function in _scope_names:
        out += await function(actor)
    return out


def _person(actor: Actor) -> Actor:
    """The signed-in person (never an API key): their own account is theirs alone."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.via_api_key or not actor.user_id:
        raise Forbidden()
    return actor


# --- Service -------------------------------------------------------------------------------------


class AccountRead(msgspec.Struct, kw_only=True):
    id: str
    email: str
    display_name: str
    role: str
    organiser_id: str | None
    provider_id: str | None
    client_id: str | None
    scope: list[ScopeName]
    sessions: list[SessionBrief]


async def account(actor: Actor) -> AccountRead:
    actor = _person(actor)
    row = await identity.user_row(actor.user_id)
    if row is None:
        raise NotFound()
    return AccountRead(id=row.id, email=row.email, display_name=row.display_name, role=row.role,
                       organiser_id=row.organiser_id, provider_id=row.provider_id, client_id=row.client_id,
                       scope=await scope_names(actor),
                       sessions=await identity.open_sessions(actor.user_id, actor.session_id))


async def end_session(actor: Actor, session_id: str) -> None:
    """End one of the person's own sessions (404 for anyone else's or an ended one)."""
    actor = _person(actor)

    async def op() -> None:
        if not await identity.end_sessions(actor.user_id, only=session_id):
            raise NotFound()
        await audit.record(actor, "account.session_ended", "user", actor.user_id,
                           details={"current": str(session_id) == str(actor.session_id)})

    await db.in_write_transaction(op)


async def end_other_sessions(actor: Actor) -> int:
    """End every open session of the person but the one this request came with."""
    actor = _person(actor)

    async def op() -> int:
        ended = await identity.end_sessions(actor.user_id, keep=actor.session_id)
        await audit.record(actor, "account.other_sessions_ended", "user", actor.user_id, details={"ended": ended})
        return ended

    return await db.in_write_transaction(op)


class PasswordChange(msgspec.Struct, kw_only=True):
    current_password: str
    new_password: str
    # The form asks twice; the API may leave it out.
    new_password_confirm: str | None = None


async def change_password(actor: Actor, data: PasswordChange, address: str) -> int:
    """Set a new password when the current one is right and the new one passes the policy; every
    other session of the person ends (this one stays). Returns how many sessions ended. Bad input is
    400 naming the field, and changes nothing."""
    actor = _person(actor)
    errors: list[FieldError] = []
    new = data.new_password or ""
    confirm = new if data.new_password_confirm is None else data.new_password_confirm
    if problem := password_problem(new, confirm):
        errors.append(FieldError(field="new_password_confirm" if problem == "password.mismatch" else "new_password",
                                 key=problem, params={"min": MIN_PASSWORD_LENGTH}))
    me = (await identity.users_by_id([actor.user_id])).get(actor.user_id)
    if me is None:
        raise NotFound()
    # A stolen session must not become a way to guess the password: the sign-in limit counts here too.
    await check_login(me.email, address)
    if not await identity.password_matches(actor.user_id, data.current_password or ""):
        errors.insert(0, FieldError(field="current_password", key="account.password_wrong"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)

    async def op() -> int:
        await identity.set_password(actor.user_id, new)
        ended = await identity.end_sessions(actor.user_id, keep=actor.session_id)
        await audit.record(actor, "account.password_changed", "user", actor.user_id, details={"sessions_ended": ended})
        return ended

    return await db.in_write_transaction(op)


# --- JSON API ------------------------------------------------------------------------------------


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


class Ended(msgspec.Struct):
    ended: int


@get("/api/v1/account", tags=["accounts"], summary="The signed-in person's account: role, scope, open sessions")
async def account_api(actor: Actor) -> AccountRead:
    return await account(actor)


@get("/api/v1/account/sessions", tags=["accounts"], summary="The signed-in person's open sessions")
async def sessions_api(actor: Actor) -> list[SessionBrief]:
    return (await account(actor)).sessions


@delete("/api/v1/account/sessions/{session_id:str}", tags=["accounts"], status_code=204,
        summary="End one of the person's own sessions (ending the current one signs out)")
async def end_session_api(actor: Actor, session_id: str) -> None:
    await end_session(actor, session_id)


@post("/api/v1/account/sessions/end-others", tags=["accounts"], status_code=200,
      summary="End every other session of the person")
async def end_others_api(actor: Actor) -> Ended:
    return Ended(ended=await end_other_sessions(actor))


@post("/api/v1/account/password", tags=["accounts"], status_code=200,
      summary="Change the password (the current one required); every other session ends")
async def password_api(request: Request, actor: Actor, data: PasswordChange) -> Ended:
    return Ended(ended=await change_password(actor, data, _address(request)))


# --- Pages ---------------------------------------------------------------------------------------

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def _render(request: Request, actor: Actor, *, status_code: int = 200, errors: dict | None = None,
                  notice: str | None = None) -> Any:
    me = await account(actor)
    response = page(request, "account.html", status_code=status_code, me=me, errors=errors or {},
                    notice=notice or request.query_params.get("done"), min_password=MIN_PASSWORD_LENGTH)
    response.headers["Cache-Control"] = "no-store"
    return response


@get("/account", include_in_schema=False)
async def account_page(request: Request, actor: Actor) -> Any:
    return await _render(request, actor)


@post("/account/sessions/{session_id:str}/end", include_in_schema=False)
async def end_session_page(request: Request, actor: Actor, session_id: str) -> Any:
    await end_session(actor, session_id)
    if str(session_id) == str(actor.session_id):
        return redirect("/login")
    return redirect(f"/account?done=session_ended&lang={request_lang(request)}")


@post("/account/sessions/end-others", include_in_schema=False)
async def end_others_page(request: Request, actor: Actor) -> Any:
    await end_other_sessions(actor)
    return redirect(f"/account?done=others_ended&lang={request_lang(request)}")


@post("/account/password", include_in_schema=False)
async def password_page(request: Request, actor: Actor, data: Form) -> Any:
    change = PasswordChange(current_password=str(data.get("current_password") or ""),
                            new_password=str(data.get("new_password") or ""),
                            new_password_confirm=str(data.get("new_password_confirm") or ""))
    try:
        await change_password(actor, change, _address(request))
    except Invalid as exc:
        return await _render(request, actor, status_code=400, errors=form_errors(exc, request_lang(request)))
    return redirect(f"/account?done=password_changed&lang={request_lang(request)}")


route_handlers = [account_api, sessions_api, end_session_api, end_others_api, password_api, account_page,
                  end_session_page, end_others_page, password_page]
