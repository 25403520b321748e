"""``/time-log``: a counsellor's or organiser admin's administrative time — a form to log minutes
(day, type, a client or none, a note) and the entries with filters (type, days, whose) and pages —
and the client page's small "Työaika" section (log for this client, the client's total, the age
band). Works without JavaScript."""

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

import voucher.evaluation.time_messages  # noqa: F401 - registers the texts
from core import i18n
from core.clock import HELSINKI
from core.errors import DomainError
from core.identity import Actor
from core.web import current_time, form_errors, page, paging, redirect, request_lang
from voucher import access
from voucher.evaluation import admin_time, age_band
from voucher.evaluation.stats import AGE_BANDS

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _today(request: Request) -> dt.date:
    return current_time(request).astimezone(HELSINKI).date()


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _query(request: Request) -> admin_time.EntryQuery:
    params = request.query_params
    number, per_page = paging(params.get("page"), params.get("per_page") or 20)
    return admin_time.EntryQuery(kind=params.get("kind") if params.get("kind") in admin_time.KINDS else "",
                                 first=_date(params.get("from")), last=_date(params.get("to")),
                                 who="county" if params.get("who") == "county" else "mine", page=number, per_page=per_page)


async def _render(request: Request, actor: Actor, *, form: dict, errors: dict, status_code: int = 200) -> Any:
    lang = request_lang(request)
    query = _query(request)
    rows, pager, minutes = await admin_time.entries(actor, query)
    return page(request, "voucher/time_log.html", status_code=status_code, rows=rows, pager=pager, minutes=minutes,
                query=query, form=form, errors=errors, today=_today(request),
                kinds=[(k, i18n.t(f"time.kind.{k}", lang)) for k in admin_time.KINDS],
                saved=request.query_params.get("saved") == "1")


@get("/time-log", include_in_schema=False)
async def time_log_page(request: Request, actor: Actor) -> Any:
    access.require_staff(actor)
    return await _render(request, actor, form={}, errors={})


@post("/time-log", include_in_schema=False)
async def time_log_add(request: Request, actor: Actor, data: Form) -> Any:
    access.require_staff(actor)
    fields = {k: str(data.get(k) or "") for k in ("worked_on", "minutes", "kind", "note", "client_id")}
    back = str(data.get("back") or "")
    try:
        await admin_time.log(actor, admin_time.TimeInput(**fields), _today(request))
    except DomainError as exc:
        if back == "client" and fields["client_id"]:
            return redirect(f"/counsellor/clients/{fields['client_id']}?time=invalid#time-h")
        return await _render(request, actor, form=fields, errors=form_errors(exc, request_lang(request)), status_code=400)
    if back == "client" and fields["client_id"]:
        return redirect(f"/counsellor/clients/{fields['client_id']}?time=1#time-h")
    return redirect("/time-log?saved=1")


@post("/counsellor/clients/{client_id:str}/age-band", include_in_schema=False)
async def age_band_set(request: Request, actor: Actor, client_id: str, data: Form) -> Any:
    await age_band.set_age_band(actor, client_id, str(data.get("age_band") or ""))
    return redirect(f"/counsellor/clients/{client_id}?age_band=1#time-h")


async def client_section(client: dict, lang: str, today: dt.date) -> dict:
    """What the client page's "Työaika" section shows."""
    return {"time_minutes": await admin_time.client_minutes(client["id"]),
            "time_kinds": [(k, i18n.t(f"time.kind.{k}", lang)) for k in admin_time.KINDS],
            "time_today": today, "age_band": await age_band.age_band_of(client["id"]), "age_bands": AGE_BANDS}


route_handlers = [time_log_page, time_log_add, age_band_set]
