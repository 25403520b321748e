"""/client/pay and its JSON API: the client (or a proxy with ``pay``) sets the card's PIN and makes
one-time payment codes (voucher.card_consent). The page works without JavaScript; a code is shown
once, in the answer to the form that made it (no-store), never in a URL."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post, put
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n, ratelimit
from core.errors import FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from core.settings import Settings
from core.web import StrictBody, form_errors, page, redirect, request_lang
from voucher import card_consent, domain
from voucher.card_consent import CodeInput, CodeMade, ConsentRead, PinInput

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PAGE = "/client/pay"


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _limited(request: Request, actor: Actor) -> None:
    """Sensitive writes are counted per account and address (core.ratelimit) once someone is signed in."""
    if actor.is_anonymous:
        raise Unauthenticated()
    await ratelimit.check_card_consent(str(actor.user_id), _address(request))


async def _acting_for(actor: Actor, requested: str | None) -> tuple[str | None, list]:
    """The client the page is about: the client themself; for a proxy, the one asked for, or the only
    one who gave them ``pay`` (else a choice)."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if actor.role == "client" and actor.client_id:
        return str(actor.client_id), []
    if actor.role != "proxy":
        raise Forbidden()
    if requested:
        return requested, []
    choices = await card_consent.payable_clients(actor)
    return (choices[0].client_id if len(choices) == 1 else None), choices


def _no_store(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    return response


async def _page(request: Request, actor: Actor, client_id: str, now: dt.datetime, *, status_code: int = 200,
                errors: dict | None = None, form: dict | None = None, made: CodeMade | None = None) -> Any:
    state = await card_consent.consent_state(actor, client_id, now)
    lang = request_lang(request)
    done = request.query_params.get("done") == "pin" and not errors
    return _no_store(page(request, "voucher/pay.html", status_code=status_code, state=state,
                          errors=errors or {}, form=form or {}, made=made, done=done,
                          code_minutes=card_consent.CODE_MINUTES,
                          clock=lambda value: i18n.local_time(value, lang)))


@get(PAGE, include_in_schema=False)
async def pay_page(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client_id, choices = await _acting_for(actor, request.query_params.get("client"))
    if client_id is None:
        return page(request, "voucher/choose_client.html", clients=choices, target=PAGE, title="voucher.pay.title_proxy",
                    choose="voucher.pay.choose", nobody="voucher.pay.nobody")
    return await _page(request, actor, client_id, now)


def _back(actor: Actor, client_id: str, **params: str) -> str:
    if actor.role == "proxy":
        params["client"] = client_id
    return PAGE + ("?" + urlencode(params) if params else "")


async def _form_client(request: Request, actor: Actor, data: dict) -> str:
    """Whose card a form is about (counted by the rate limit first): a client's own, whatever it names."""
    await _limited(request, actor)
    client_id, _ = await _acting_for(actor, str(data.get("client_id") or "") or None)
    if client_id is None:
        raise Forbidden()
    return client_id


@post(PAGE + "/pin", include_in_schema=False)
async def pin_submit(request: Request, actor: Actor, settings: Settings, data: Form, now: dt.datetime) -> Any:
    client_id = await _form_client(request, actor, data)
    try:
        await card_consent.set_pin(actor, client_id, str(data.get("pin") or "")[:20], settings=settings, now=now,
                                   again=str(data.get("pin_again") or "")[:20])
    except Invalid as exc:
        # What was typed is not shown again: a PIN never goes back into a page.
        return await _page(request, actor, client_id, now, status_code=400, errors=form_errors(exc, request_lang(request)))
    return redirect(_back(actor, client_id, done="pin") + "#pin-h")


@post(PAGE + "/codes", include_in_schema=False)
async def code_submit(request: Request, actor: Actor, settings: Settings, data: Form, now: dt.datetime) -> Any:
    client_id = await _form_client(request, actor, data)
    typed = str(data.get("ceiling") or "")[:40]
    lang = request_lang(request)
    try:
        try:
            ceiling = domain.parse_euros(typed)
        except ValueError:
            raise Invalid("error.validation", errors=[FieldError(field="ceiling", key="voucher.error.euros")],
                          field="ceiling") from None
        made = await card_consent.make_code(actor, client_id, ceiling, settings=settings, now=now)
    except Invalid as exc:
        errors = {("ceiling" if k == "ceiling_cents" else k): v for k, v in form_errors(exc, lang).items()}
        return await _page(request, actor, client_id, now, status_code=400, errors=errors, form={"ceiling": typed})
    return await _page(request, actor, client_id, now, made=made)


class CardConsentController(Controller):
    """The same as a JSON API, for the client's or a proxy's own app (docs/api.md)."""

    path = "/api/v1/clients/{client_id:str}"
    tags = ["card consent"]

    @get("/card-consent", summary="The client's card: whether a PIN is set or blocked, the exemption, live codes")
    async def read(self, client_id: str, actor: Actor, now: dt.datetime) -> ConsentRead:
        return await card_consent.consent_state(actor, client_id, now)

    @put("/card-pin", summary="Set or change the card's PIN (4–6 digits); also ends a block",
         dto=StrictBody[PinInput], return_dto=None)
    async def set_pin(self, request: Request, client_id: str, data: PinInput, actor: Actor, settings: Settings,
                      now: dt.datetime) -> ConsentRead:
        await _limited(request, actor)
        return await card_consent.set_pin(actor, client_id, data.pin, settings=settings, now=now)

    @post("/codes", status_code=201, summary="Make a one-time payment code (shown once, valid 5 minutes)",
          dto=StrictBody[CodeInput], return_dto=None)
    async def make_code(self, request: Request, client_id: str, data: CodeInput, actor: Actor, settings: Settings,
                        now: dt.datetime) -> Response[CodeMade]:
        await _limited(request, actor)
        made = await card_consent.make_code(actor, client_id, data.ceiling_cents, settings=settings, now=now)
        return Response(content=made, status_code=201, headers={"Cache-Control": "no-store"})


route_handlers = [pay_page, pin_submit, code_submit, CardConsentController]
