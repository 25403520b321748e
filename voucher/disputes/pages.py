"""The client's side of payments, without JavaScript: the payments on ``/budget`` (filtered by state
and paged), one payment's page (where a notification's link lands) and the dispute form — a
``<details>`` that opens a short reason field, like a booking's cancel confirmation."""

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n
from core.errors import Conflict, DomainError, Invalid
from core.identity import Actor
from core.web import Pager, form_errors, page, paging, redirect, request_lang
from voucher.disputes import domain, queries, services

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PER_PAGE = 20


async def may_dispute(actor: Actor, client_id: Any) -> bool:
    """Whether the reader may dispute the client's payments (the form is shown only then)."""
    try:
        await services.client_side_role(actor, client_id)
    except DomainError:
        return False
    return True


async def payments_context(request: Request, actor: Actor, client_id: Any, now: dt.datetime, window_days: int) -> dict:
    """What ``/budget`` shows of the client's payments (the page checked and logged the read)."""
    params = request.query_params
    state = params.get("state") if params.get("state") in domain.STATES else None
    number, per_page = paging(params.get("page"), PER_PAGE)
    payments, total = await queries.client_payments(client_id, now, state=state, page=number, per_page=per_page)
    return {"payments": payments, "payment_state": state, "payment_states": domain.STATES,
            "payments_pager": Pager(page=number, per_page=per_page, total=total), "dispute_window_days": window_days,
            "may_dispute": await may_dispute(actor, client_id)}


async def _payment_page(request: Request, actor: Actor, capture_id: str, now: dt.datetime, *, status_code: int = 200,
                        errors: dict | None = None, form: dict | None = None, done: bool = False) -> Any:
    payment, client = await queries.payment(actor, capture_id, now)
    return page(request, "voucher/payment.html", status_code=status_code, payment=payment, client=client,
                errors=errors or {}, form=form or {}, done=done, may_dispute=await may_dispute(actor, client["id"]))


@get("/budget/payments/{capture_id:str}", include_in_schema=False)
async def payment_page(request: Request, actor: Actor, capture_id: str, now: dt.datetime) -> Any:
    """One payment: what it was for, its state, and the dispute form while it may be disputed."""
    return await _payment_page(request, actor, capture_id, now, done=request.query_params.get("done") == "disputed")


@post("/budget/payments/{capture_id:str}/dispute", include_in_schema=False)
async def dispute_page(request: Request, actor: Actor, capture_id: str, data: Form, now: dt.datetime) -> Any:
    lang = request_lang(request)
    try:
        await services.dispute(actor, capture_id, str(data.get("reason") or "")[:domain.REASON_MAX + 1], now=now,
                               lang=lang)
    except (Invalid, Conflict) as exc:
        status = 409 if isinstance(exc, Conflict) else 400
        return await _payment_page(request, actor, capture_id, now, status_code=status, form=data,
                                   errors=_errors(exc, lang))
    return redirect(f"/budget/payments/{capture_id}?done=disputed")


def _errors(exc: DomainError, lang: str) -> dict[str, str]:
    """A refusal (the window closed, disputed already) is said where the reason was asked for."""
    return form_errors(exc, lang) or {"reason": i18n.t(exc.key, lang, **exc.params)}


route_handlers = [payment_page, dispute_page]
