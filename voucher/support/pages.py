"""Pages and JSON API of supported purchasing and the message thread (docs/decisions/0035), without
JavaScript (POST and redirect):

* ``POST /budget/purchase-consent`` — the client (or a proxy with ``book``) gives or takes back the
  standing consent "Asiakasohjaajani saa varata palveluja puolestani" on their budget page;
* ``/messages`` (a proxy: ``?client=``) — the client's side of the thread;
* ``/counsellor/clients/{id}/messages`` — the counsellors' side;
* ``GET/POST /api/v1/clients/{id}/messages`` — the same thread as JSON (docs/api.md).
"""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core.errors import Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from core.web import Pager, StrictBody, form_errors, page, paging, redirect, request_lang
from voucher import proxies
from voucher.support import consent, domain, thread
from voucher.support.thread import MessageCreate, MessageRead, ThreadPage

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PER_PAGE = 20


# --- The standing consent, on the client's budget page (/budget) ----------------------------------


async def budget_context(actor: Actor, client_id: Any) -> dict:
    """What /budget shows of supported purchasing and messages: the standing consent, whether the
    reader may change it (the client, or a proxy with ``book``), and the counsellors' unread messages."""
    return {
        "purchase_consent": await consent.standing(client_id),
        "may_consent": await proxies.acting_for(actor, client_id, "book") in ("client", "proxy"),
        "unread_messages": await thread.unread(client_id, domain.CLIENT_SIDE),
    }


def _budget_path(actor: Actor, client_id: str, **params: str) -> str:
    if actor.role == "proxy":
        params = {"client": client_id, **params}
    return "/budget" + ("?" + urlencode(params) if params else "") + "#purchase-consent-h"


@post("/budget/purchase-consent", include_in_schema=False)
async def purchase_consent_submit(actor: Actor, data: Form, now: dt.datetime) -> Any:
    if actor.is_anonymous:
        raise Unauthenticated()
    client_id = str(actor.client_id) if actor.role == "client" else str(data.get("client") or "")
    if data.get("action") == "revoke":
        await consent.revoke_standing(actor, client_id, now)
        return redirect(_budget_path(actor, client_id, consent="revoked"))
    await consent.give_standing(actor, client_id, now)
    return redirect(_budget_path(actor, client_id, consent="given"))


# --- The thread's pages ------------------------------------------------------------------------------


async def _thread_page(request: Request, actor: Actor, client_id: str, now: dt.datetime, *, post_to: str,
                       status_code: int = 200, errors: dict | None = None, form: dict | None = None) -> Any:
    number, per_page = paging(request.query_params.get("page"), PER_PAGE)
    found = await thread.thread(actor, client_id, page=number, per_page=per_page, now=now)
    return page(request, "voucher/messages.html", status_code=status_code, thread=found, post_to=post_to,
                staff=actor.role == domain.BOOKING_ROLE, errors=errors or {}, form=form or {},
                sent=request.query_params.get("sent") == "1" and not errors, body_max=domain.BODY_MAX,
                pager=Pager(page=number, per_page=per_page, total=found.total))


async def _send_form(request: Request, actor: Actor, client_id: str, data: dict, now: dt.datetime, *, back: str) -> Any:
    body = str(data.get("body") or "")[: domain.BODY_MAX * 2]
    try:
        await thread.send(actor, client_id, MessageCreate(body=body), now=now)
    except Invalid as exc:
        return await _thread_page(request, actor, client_id, now, post_to=back, status_code=400,
                                  errors=form_errors(exc, request_lang(request)), form={"body": body})
    return redirect(back + ("&" if "?" in back else "?") + "sent=1")


async def own_client(request: Request, actor: Actor) -> str | None:
    """The client a client-side page (/messages, /questionnaires) is about: the client themself; a
    proxy's ``?client=`` or only client (None: the proxy chooses)."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "client" and actor.client_id:
        return str(actor.client_id)
    if actor.role != "proxy":
        raise Forbidden()
    requested = request.query_params.get("client")
    if requested:
        return requested
    mine = await proxies.clients_of_proxy(actor.user_id)
    return mine[0].client_id if len(mine) == 1 else None


def _client_path(actor: Actor, client_id: str) -> str:
    return f"/messages?client={client_id}" if actor.role == "proxy" else "/messages"


@get("/messages", include_in_schema=False)
async def client_messages(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client_id = await own_client(request, actor)
    if client_id is None:
        return page(request, "voucher/choose_client.html", clients=await proxies.clients_of_proxy(actor.user_id),
                    target="/messages", title="voucher.messages.title", choose="voucher.messages.choose",
                    nobody="voucher.messages.nobody")
    return await _thread_page(request, actor, client_id, now, post_to=_client_path(actor, client_id))


@post("/messages", include_in_schema=False)
async def client_message_submit(request: Request, actor: Actor, data: Form, now: dt.datetime) -> Any:
    client_id = await own_client(request, actor)
    if client_id is None:
        raise Forbidden()
    return await _send_form(request, actor, client_id, data, now, back=_client_path(actor, client_id))


async def _counsellor_only(actor: Actor, client_id: str) -> None:
    """The counsellors' pages are theirs: the client's side uses /messages (outsiders: 404 as ever)."""
    if actor.role != domain.BOOKING_ROLE:
        await thread.party(actor, client_id)  # 404 / 403 as the thread answers
        raise Forbidden()


@get("/counsellor/clients/{client_id:str}/messages", include_in_schema=False)
async def counsellor_messages(request: Request, actor: Actor, client_id: str, now: dt.datetime) -> Any:
    await _counsellor_only(actor, client_id)
    return await _thread_page(request, actor, client_id, now, post_to=f"/counsellor/clients/{client_id}/messages")


@post("/counsellor/clients/{client_id:str}/messages", include_in_schema=False)
async def counsellor_message_submit(request: Request, actor: Actor, client_id: str, data: Form,
                                    now: dt.datetime) -> Any:
    await _counsellor_only(actor, client_id)
    return await _send_form(request, actor, client_id, data, now, back=f"/counsellor/clients/{client_id}/messages")


# --- The thread as JSON ------------------------------------------------------------------------------


class MessagesController(Controller):
    """The client's thread with the county's counsellors (docs/api.md): the client, their proxies and
    the county's counsellors; anyone else is told nothing (404)."""

    path = "/api/v1/clients/{client_id:str}/messages"
    tags = ["messages"]

    @get("/", summary="The client's message thread, newest first (a logged read; marks the other side's read)")
    async def read(self, request: Request, client_id: str, actor: Actor, now: dt.datetime) -> ThreadPage:
        number, per_page = paging(request.query_params.get("page"), request.query_params.get("per_page") or PER_PAGE)
        return await thread.thread(actor, client_id, page=number, per_page=per_page, now=now)

    @post("/", status_code=201, dto=StrictBody[MessageCreate], return_dto=None,
          summary="Write a message (1–4000 characters); the other side gets an e-mail notice without the text")
    async def write(self, client_id: str, data: MessageCreate, actor: Actor, now: dt.datetime) -> Response[MessageRead]:
        return Response(content=await thread.send(actor, client_id, data, now=now), status_code=201)


route_handlers = [purchase_consent_submit, client_messages, client_message_submit, counsellor_messages,
                  counsellor_message_submit, MessagesController]
