"""Who has an account, for the people who administer them: an organiser admin sees their county's
accounts — its admins and counsellors, its clients' own accounts and the proxies acting for its
clients — and a platform admin every account, each with their last sign-in; both can deactivate an
account in their reach (``core.identity.deactivate_user``: inactive, every session ended, every API
key it made revoked, in one transaction with the audit entry) and reactivate it.

Nobody deactivates their own account (an administrator could lock a county out of itself), and an
organiser admin never reaches platform admins, provider staff or another county's people: such an
account is answered 404, as if it did not exist. Also here: what an account's scope is called, for
its owner's account page (``scope_names``, registered with core.account by the composition root).
"""

from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from core import audit, db, i18n, identity
from core.account import ScopeName
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from core.identity import Actor, Deactivated, UserRow
from core.web import Pager, page, paging, redirect, request_lang
from marketplace import catalogue, directory
from voucher import proxies
from voucher import reporting as voucher_reporting

# The accounts of a county an organiser admin administers.
COUNTY_ROLES = ("organiser_admin", "counsellor", "client", "proxy")
STATUSES = ("active", "inactive")


class UserQuery(msgspec.Struct, kw_only=True):
    q: str = ""
    role: str = ""
    status: str = ""  # "", "active" or "inactive"
    page: int = 1
    per_page: int = 20


class ReasonInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


def _administrator(actor: Actor) -> Actor:
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.via_api_key or not actor.user_id:
        raise Forbidden()
    if actor.role == "platform_admin" or (actor.role == "organiser_admin" and actor.organiser_id):
        return actor
    raise Forbidden()


def roles_for(actor: Actor) -> tuple[str, ...]:
    """The roles whose accounts ``actor`` administers."""
    return identity.ROLES if actor.role == "platform_admin" else COUNTY_ROLES


async def users(actor: Actor, query: UserQuery) -> tuple[list[UserRow], int]:
    """One page of the accounts in the actor's reach (by e-mail) and how many match."""
    actor = _administrator(actor)
    wanted = [query.role] if query.role in roles_for(actor) else list(roles_for(actor))
    active = {"active": True, "inactive": False}.get(query.status)
    if actor.role == "platform_admin":
        return await identity.user_page(roles=wanted, q=query.q, active=active, page=query.page,
                                        per_page=query.per_page)
    return await identity.user_page(
        organiser_id=actor.organiser_id, also_user_ids=await proxies.proxies_in_county(actor.organiser_id),
        also_client_ids=await voucher_reporting.client_ids_of(actor.organiser_id), roles=wanted, q=query.q,
        active=active, page=query.page, per_page=query.per_page)


async def _in_reach(actor: Actor, target: UserRow) -> bool:
    if actor.role == "platform_admin":
        return True
    if target.role not in COUNTY_ROLES:
        return False
    if target.organiser_id == actor.organiser_id:
        return True
    if target.role == "client" and target.client_id:
        client = (await voucher_reporting.clients([target.client_id])).get(target.client_id)
        return client is not None and client.organiser_id == actor.organiser_id
    if target.role == "proxy":
        return target.id in await proxies.proxies_in_county(actor.organiser_id)
    return False


async def _target(actor: Actor, user_id: str) -> UserRow:
    actor = _administrator(actor)
    target = await identity.user_row(user_id)
    if target is None or not await _in_reach(actor, target):
        raise NotFound()
    if target.id == actor.user_id:
        raise Forbidden("users.error.self")
    return target


async def deactivate(actor: Actor, user_id: str, reason: str = "") -> Deactivated:
    """Deactivate an account in the actor's reach: from the next request on, none of its sessions
    or the API keys it made are accepted. 409 when it is inactive already."""
    target = await _target(actor, user_id)

    async def op() -> Deactivated:
        done = await identity.deactivate_user(target.id)
        if done is None:
            raise Conflict("users.error.state")
        await audit.record(actor, "user.deactivated", "user", target.id, organiser_id=actor.organiser_id,
                           reason=reason, details={"role": target.role, "sessions_ended": done.sessions_ended,
                                                   "api_keys_revoked": done.api_keys_revoked})
        return done

    return await db.in_write_transaction(op)


async def reactivate(actor: Actor, user_id: str, reason: str = "") -> UserRow:
    target = await _target(actor, user_id)

    async def op() -> None:
        if not await identity.reactivate_user(target.id):
            raise Conflict("users.error.state")
        await audit.record(actor, "user.reactivated", "user", target.id, organiser_id=actor.organiser_id,
                           reason=reason, details={"role": target.role})

    await db.in_write_transaction(op)
    return await identity.user_row(target.id)


# --- What an account belongs to (core.account's page) ----------------------------------------------


async def scope_names(actor: Actor) -> list[ScopeName]:
    """The county, provider or client the account is scoped to, and the clients a proxy acts for
    (by pseudonym; each shown client is a read of their data, in the access log)."""
    out: list[ScopeName] = []
    if actor.organiser_id and actor.role in ("organiser_admin", "counsellor"):
        try:
            out.append(ScopeName(kind="account.scope.organiser", name=(await catalogue.organiser(actor.organiser_id))["name"]))
        except NotFound:
            pass
    if actor.provider_id and actor.role == "provider_staff" and (
            name := (await directory.provider_names([actor.provider_id])).get(actor.provider_id)):
        out.append(ScopeName(kind="account.scope.provider", name=name))
    shown: list[tuple[str, str]] = []
    if actor.role == "client" and actor.client_id and (
            client := (await voucher_reporting.clients([actor.client_id])).get(actor.client_id)):
        out.append(ScopeName(kind="account.scope.client", name=client.display_name))
        shown.append((client.id, client.organiser_id))
    if actor.role == "proxy" and actor.user_id:
        for proxied in await proxies.clients_of_proxy(actor.user_id):
            out.append(ScopeName(kind="account.scope.proxy_for", name=proxied.display_name))
            shown.append((proxied.client_id, proxied.organiser_id))
    if shown:
        async with db.write_transaction():
            for client_id, organiser_id in shown:
                await audit.client_data_read(actor, client_id, "account.scope", organiser_id=organiser_id)
    return out


# --- JSON API ------------------------------------------------------------------------------------


@get("/api/v1/users", tags=["accounts"],
     summary="Accounts an administrator administers (the county's, or all for a platform admin), with last sign-in")
async def users_api(
    actor: Actor,
    q: str = Parameter(default="", max_length=100, description="Part of the e-mail or name"),
    role: str = Parameter(default="", max_length=32),
    status: str = Parameter(default="", max_length=16, description="active or inactive"),
    page_number: int = Parameter(query="page", default=1, ge=1, le=100_000),
    per_page: int = Parameter(default=20, ge=1, le=100),
) -> Response[list[UserRow]]:
    if role and role not in identity.ROLES:
        raise Invalid("field.choice", field="role", choices=", ".join(identity.ROLES))
    if status and status not in STATUSES:
        raise Invalid("field.choice", field="status", choices=", ".join(STATUSES))
    rows, total = await users(actor, UserQuery(q=q, role=role, status=status, page=page_number, per_page=per_page))
    return Response(rows, headers={"X-Total-Count": str(total)})


@post("/api/v1/users/{user_id:str}/deactivate", tags=["accounts"], status_code=200,
      summary="Deactivate an account: its sessions end and the API keys it made are revoked at once (audited)")
async def deactivate_api(actor: Actor, user_id: str, data: ReasonInput) -> Deactivated:
    return await deactivate(actor, user_id, data.reason)


@post("/api/v1/users/{user_id:str}/reactivate", tags=["accounts"], status_code=200,
      summary="Let a deactivated account sign in again (audited)")
async def reactivate_api(actor: Actor, user_id: str, data: ReasonInput) -> UserRow:
    return await reactivate(actor, user_id, data.reason)


# --- Pages ---------------------------------------------------------------------------------------

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _query(request: Request) -> UserQuery:
    params = request.query_params
    number, per_page = paging(params.get("page"), 20)
    return UserQuery(q=(params.get("q") or "").strip()[:100], role=params.get("role") or "",
                     status=params.get("status") if params.get("status") in STATUSES else "", page=number,
                     per_page=per_page)


@get("/users", include_in_schema=False)
async def users_page(request: Request, actor: Actor) -> Any:
    query = _query(request)
    rows, total = await users(actor, query)
    lang = request_lang(request)
    names = await directory.organiser_names() if actor.role == "platform_admin" else {}
    back = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("done", "lang")])
    response = page(request, "admin/users.html", rows=rows, query=query, organiser_names=names, back=back,
                    pager=Pager(page=query.page, per_page=query.per_page, total=total),
                    roles=[(r, i18n.t(f"role.{r}", lang)) for r in roles_for(actor)],
                    done=request.query_params.get("done"))
    response.headers["Cache-Control"] = "no-store"
    return response


def _back(request: Request, data: dict, done: str) -> Any:
    back = str(data.get("back") or "")
    # Only this page's own query string goes back (never another address).
    query = back if back and not any(c in back for c in "/\\:") else ""
    sep = "&" if query else ""
    return redirect(f"/users?{query}{sep}done={done}")


@post("/users/{user_id:str}/deactivate", include_in_schema=False)
async def deactivate_page(request: Request, actor: Actor, user_id: str, data: Form) -> Any:
    await deactivate(actor, user_id, str(data.get("reason") or "")[:2000])
    return _back(request, data, "deactivated")


@post("/users/{user_id:str}/reactivate", include_in_schema=False)
async def reactivate_page(request: Request, actor: Actor, user_id: str, data: Form) -> Any:
    await reactivate(actor, user_id, str(data.get("reason") or "")[:2000])
    return _back(request, data, "reactivated")


route_handlers = [users_api, deactivate_api, reactivate_api, users_page, deactivate_page, reactivate_page]
