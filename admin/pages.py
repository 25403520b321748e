"""Pages of the organiser console and the counsellor's follow-up (HTML, CSV). Thin handlers: each
decodes its query or form, calls one service and renders; the services check who may see what."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from admin import access, anomalies, dashboard, domain, followup, payouts, views
from admin.figures import shown, to_csv
from core import audit, i18n, reporting_db
from core.errors import Conflict, NotFound
from core.identity import Actor
from core.web import current_time, page, paging, redirect, request_lang
from voucher import caseload, plan_tasks

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
TASK_FILTERS = ("due", "overdue", "all")
FromMonth = Annotated[str | None, Parameter(query="from", required=False)]
ToMonth = Annotated[str | None, Parameter(query="to", required=False)]


def render(request: Request, template: str, **context: Any) -> Any:
    """``page`` with the console's helpers: ``cell`` (a figure's cell in the reader's language) and
    the current query string without its page number (for export links)."""
    lang = request_lang(request)
    query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "lang")])
    return page(request, template, cell=lambda kind, value: shown(kind, value, lang), request_query=query, **context)


# --- Counsellor: caseload and one client ------------------------------------------------------------


def _caseload_query(request: Request, actor: Actor) -> followup.CaseloadQuery:
    params = request.query_params
    number, per_page = paging(params.get("page"), params.get("per_page") or 20)
    group = params.get("group") or ""
    return followup.CaseloadQuery(
        group=group if group in dashboard.GROUPS else "", q=(params.get("q") or "").strip()[:100],
        alerts_only=params.get("alerts") == "1",
        # ``all=1`` is the older link for the county's clients.
        scope=params.get("scope") or ("county" if params.get("all") == "1" else ""), page=number, per_page=per_page,
    )


@get("/follow-up/caseload", include_in_schema=False)
async def caseload_page(request: Request, actor: Actor) -> Any:
    lang = request_lang(request)
    query = _caseload_query(request, actor)
    scope = caseload.scope_for(actor, query.scope or None)
    # The follow-up tasks (voucher.plan_tasks): the counsellor's own in "mine", else the county's.
    task_filter = request.query_params.get("tasks") if request.query_params.get("tasks") in TASK_FILTERS else "due"
    async with reporting_db.reads() as source:  # the reporting replica, when there is one
        clients, pager = await followup.caseload(actor, current_time(request), lang, query)
        tasks, task_total = await plan_tasks.open_tasks(
            actor, domain.helsinki_date(current_time(request)), assignee_id=scope.counsellor_id,
            states={"due": ("overdue", "due"), "overdue": ("overdue",), "all": ()}[task_filter])
    return render(request, "admin/caseload.html", clients=clients, pager=pager, query=query, source=source,
                tasks=tasks, task_total=task_total, task_filter=task_filter, task_filters=TASK_FILTERS,
                scope=scope.name, scopes=caseload.SCOPES,
                groups=[(g, i18n.t(f"voucher.group.{g}", lang)) for g in dashboard.GROUPS])


@get("/follow-up/caseload.csv", include_in_schema=False)
async def caseload_csv(request: Request, actor: Actor) -> Response:
    lang = request_lang(request)
    query = _caseload_query(request, actor)
    query.page, query.per_page = 1, 10_000
    async with reporting_db.reads():
        clients, _ = await followup.caseload(actor, current_time(request), lang, query)
    return _csv(views.caseload_figure(clients), lang, "hb-asiakkaat", request)


@get("/follow-up/clients/{client_id:str}", include_in_schema=False)
async def client_page(request: Request, actor: Actor, client_id: str) -> Any:
    lang = request_lang(request)
    view = await followup.client_view(actor, client_id, current_time(request), lang)
    return render(request, "admin/client.html", view=view, charts=views.client_charts(view, lang))


# --- Organiser: dashboard ----------------------------------------------------------------------------


@get("/organiser/dashboard", include_in_schema=False)
async def dashboard_page(request: Request, actor: Actor, first: FromMonth = None, last: ToMonth = None) -> Any:
    organiser_id = _organiser(actor)
    lang = request_lang(request)
    now = current_time(request)
    period = domain.period_from(first, last, domain.helsinki_date(now))
    async with reporting_db.reads() as source:
        board = await dashboard.build(organiser_id, period, now, lang, refresh=not source.used)
    await audit.record(actor, "admin.dashboard.read", "organiser", organiser_id, organiser_id=organiser_id,
                       details={"period": period.label()})
    return render(request, "admin/dashboard.html", board=board, charts=views.dashboard_charts(board, lang), source=source,
                order=views.DASHBOARD_ORDER, query=f"from={period.first:%Y-%m}&to={period.last:%Y-%m}")


@get("/organiser/dashboard/export/{figure_id:str}", include_in_schema=False)
async def dashboard_csv(request: Request, actor: Actor, figure_id: str, first: FromMonth = None,
                        last: ToMonth = None) -> Response:
    organiser_id = _organiser(actor)
    lang = request_lang(request)
    now = current_time(request)
    period = domain.period_from(first, last, domain.helsinki_date(now))
    async with reporting_db.reads() as source:
        board = await dashboard.build(organiser_id, period, now, lang, refresh=not source.used)
    figure = board.figures.get(figure_id)
    if figure is None:
        raise NotFound()
    await audit.record(actor, "admin.dashboard.exported", "organiser", organiser_id, organiser_id=organiser_id,
                       details={"period": period.label(), "figure": figure_id})
    return _csv(figure, lang, f"hb-{figure_id}-{period.first:%Y-%m}-{period.last:%Y-%m}", request)


def _organiser(actor: Actor) -> str:
    return access.organiser_of_admin(actor)


def _csv(figure, lang: str, name: str, request: Request) -> Response:
    """``?format=data`` gives the machine-readable variant; the default opens in a spreadsheet."""
    spreadsheet = request.query_params.get("format") != "data"
    suffix = "" if spreadsheet else "-data"
    return Response(
        content=to_csv(figure, lang, spreadsheet=spreadsheet).encode("utf-8"), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}{suffix}.csv"', "Cache-Control": "no-store"},
    )


# --- Organiser: anomaly flags ----------------------------------------------------------------------


@get("/organiser/anomalies", include_in_schema=False)
async def anomalies_page(request: Request, actor: Actor) -> Any:
    params = request.query_params
    number, per_page = paging(params.get("page"), params.get("per_page") or 20)
    status = params.get("status") if params.get("status") in ("open", "reviewed", "all") else "open"
    query = anomalies.FlagQuery(rule=params.get("rule") or "", status=status, page=number, per_page=per_page)
    rows, pager, counts = await anomalies.flags(actor, query)
    return render(request, "admin/anomalies.html", flags=rows, pager=pager, query=query, counts=counts,
                rules=anomalies.RULES, scanned=params.get("scanned"))


@post("/organiser/anomalies/scan", include_in_schema=False)
async def anomalies_scan(request: Request, actor: Actor) -> Any:
    organiser_id = _organiser(actor)
    now = current_time(request)
    found = await anomalies.scan(organiser_id, now - dt.timedelta(days=anomalies.SCAN_DAYS), now)
    return redirect(f"/organiser/anomalies?scanned={found}")


@get("/organiser/anomalies/{flag_id:str}", include_in_schema=False)
async def anomaly_page(request: Request, actor: Actor, flag_id: str) -> Any:
    flag = await anomalies.flag(actor, flag_id)
    return render(request, "admin/anomaly.html", flag=flag, facts=views.evidence_facts(flag, request_lang(request)),
                reviewed=request.query_params.get("reviewed") == "1")


@post("/organiser/anomalies/{flag_id:str}/review", include_in_schema=False)
async def anomaly_review(request: Request, actor: Actor, flag_id: str, data: Form) -> Any:
    await anomalies.mark_reviewed(actor, flag_id, str(data.get("note") or ""), current_time(request))
    return redirect(f"/organiser/anomalies/{flag_id}?reviewed=1")


# --- Organiser: payouts waiting for two admins -----------------------------------------------------


@get("/organiser/payouts", include_in_schema=False)
async def payouts_page(request: Request, actor: Actor) -> Any:
    rows = await payouts.waiting(actor, current_time(request))
    return render(request, "admin/payouts.html", batches=rows, done=request.query_params.get("done"))


@post("/organiser/payouts/{batch_id:str}/confirm", include_in_schema=False)
async def payout_confirm(request: Request, actor: Actor, batch_id: str) -> Any:
    try:
        row = await payouts.confirm(actor, batch_id, current_time(request))
    except Conflict as exc:
        # Confirming twice, or a second time by the same admin: said on the same page, with the
        # list, not on an error page that leads nowhere.
        rows = await payouts.waiting(actor, current_time(request))
        return render(request, "admin/payouts.html", status_code=409, batches=rows, done=None, problem=exc.key)
    return redirect("/organiser/payouts?done=" + ("2" if row["second_by"] else "1"))


route_handlers = [
    caseload_page, caseload_csv, client_page, dashboard_page, dashboard_csv, anomalies_page, anomalies_scan,
    anomaly_page, anomaly_review, payouts_page, payout_confirm,
]
