"""``/organiser/evaluation`` and its parts (issue 19, deliverables 3–5), for the county's organiser
admins: the HB | comparison figures per client group with their intervals (admin.evaluation), the
minimum group size, the comparison group's CSV upload, the research export (voucher.evaluation.export)
and the printable pilot report. Without JavaScript; every read and export is audited."""

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

import admin.evaluation_messages  # noqa: F401 - registers the texts
from admin import access, charts, domain, evaluation
from admin.pages import render
from core import audit, i18n
from core.errors import DomainError, Invalid
from core.identity import Actor
from core.settings import Settings
from core.web import current_time, form_errors, redirect, request_lang
from marketplace import directory
from voucher.evaluation import comparison, export, reads
from voucher.evaluation.stats import DEFAULT_K

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
FromMonth = Annotated[str | None, Parameter(query="from", required=False)]
ToMonth = Annotated[str | None, Parameter(query="to", required=False)]
# The comparison CSV: up to 20 MB (200 000 rows), beyond the app's 5 MB default.
UPLOAD_BODY_LIMIT = 21 * 1024 * 1024
ERRORS_SHOWN = 200


def _measures(board: evaluation.Evaluation, lang: str) -> list[dict]:
    """Each measure as the page shows it: a row per group with both sides' texts."""
    out = []
    for measure in evaluation.MEASURES:
        rows = []
        for row in board.rows:
            sides = {}
            for side in ("hb", "comparison"):
                e = getattr(row, side)[measure]
                sides[side] = {"value": None if e.suppressed else evaluation.number(measure, e.value, lang),
                               "interval": None if e.suppressed else evaluation.interval(measure, e, lang),
                               "clients": e.clients, "suppressed": e.suppressed, "estimate": e}
            rows.append({"group": row.group, "label": evaluation.group_label(row.group, lang), **sides})
        out.append({"id": measure, "title": i18n.t(f"evaluation.measure.{measure}", lang), "rows": rows})
    return out


async def _context(request: Request, actor: Actor, first: str | None, last: str | None) -> dict:
    organiser_id = access.organiser_of_admin(actor)
    lang = request_lang(request)
    now = current_time(request)
    period = domain.period_from(first, last, domain.helsinki_date(now))
    board = await evaluation.build(organiser_id, period)
    await audit.record(actor, "evaluation.read", "organiser", organiser_id, organiser_id=organiser_id,
                       details={"period": period.label()})
    return {"board": board, "period": period, "measures": _measures(board, lang), "k": DEFAULT_K,
            "query": f"from={period.first:%Y-%m}&to={period.last:%Y-%m}", "today": domain.helsinki_date(now)}


@get("/organiser/evaluation", include_in_schema=False)
async def evaluation_page(request: Request, actor: Actor, first: FromMonth = None, last: ToMonth = None) -> Any:
    context = await _context(request, actor, first, last)
    return render(request, "admin/evaluation.html", errors={}, refused=None,
                  saved=request.query_params.get("saved") == "1", **context)


@post("/organiser/evaluation/settings", include_in_schema=False)
async def evaluation_settings(request: Request, actor: Actor, data: Form) -> Any:
    organiser_id = access.organiser_of_admin(actor)
    try:
        await comparison.set_min_group_size(actor, organiser_id, str(data.get("min_group_size") or ""))
    except Invalid as exc:
        context = await _context(request, actor, None, None)
        return render(request, "admin/evaluation.html", status_code=400, errors=form_errors(exc, request_lang(request)),
                      refused=None, saved=False, **context)
    return redirect("/organiser/evaluation?saved=1")


@post("/organiser/evaluation/export", include_in_schema=False)
async def evaluation_export(request: Request, actor: Actor, settings: Settings, data: Form) -> Any:
    organiser_id = access.organiser_of_admin(actor)
    fmt = str(data.get("format") or "csv")
    if fmt not in export.FORMATS:
        raise Invalid("field.not_allowed", field="format")
    region = (await directory.organiser_names()).get(organiser_id, "")
    now = current_time(request)
    try:
        made = await export.build(actor, organiser_id, region, settings.secret_key, now)
    except export.ExportRefused as exc:
        context = await _context(request, actor, None, None)
        return render(request, "admin/evaluation.html", status_code=409, errors={}, saved=False,
                      refused=i18n.t(exc.key, request_lang(request), **exc.params), **context)
    name = f"hb-tutkimusaineisto-{domain.helsinki_date(now):%Y-%m-%d}-{fmt}.zip"
    return Response(content=export.to_zip(made, fmt), media_type="application/zip", status_code=200,
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


async def _comparison_page(request: Request, actor: Actor, *, status_code: int = 200, problems: list | None = None,
                           summary: comparison.ImportSummary | None = None) -> Any:
    organiser_id = access.organiser_of_admin(actor)
    clients, months = await reads.comparison_size(organiser_id)
    return render(request, "admin/evaluation_comparison.html", status_code=status_code, clients=clients, months=months,
                  problems=(problems or [])[:ERRORS_SHOWN], problem_count=len(problems or []), summary=summary,
                  columns=", ".join(comparison.REQUIRED + comparison.OPTIONAL))


@get("/organiser/evaluation/comparison", include_in_schema=False)
async def comparison_page(request: Request, actor: Actor) -> Any:
    return await _comparison_page(request, actor)


@post("/organiser/evaluation/comparison", include_in_schema=False, request_max_body_size=UPLOAD_BODY_LIMIT)
async def comparison_upload(request: Request, actor: Actor) -> Any:
    # The role is checked before the body is read.
    organiser_id = access.organiser_of_admin(actor)
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if hasattr(upload, "read") else b""
    lang = request_lang(request)
    try:
        summary = await comparison.import_csv(actor, organiser_id, data)
    except DomainError as exc:
        problems = [{"row": e.ref or "", "field": e.field, "message": e.localised(lang).message} for e in exc.errors] or [
            {"row": "", "field": exc.field or "file", "message": i18n.t(exc.key, lang, **exc.params)}]
        return await _comparison_page(request, actor, status_code=400, problems=problems)
    return await _comparison_page(request, actor, summary=summary)


@get("/organiser/evaluation/report", include_in_schema=False)
async def report_page(request: Request, actor: Actor, first: FromMonth = None, last: ToMonth = None) -> Any:
    context = await _context(request, actor, first, last)
    lang = request_lang(request)
    names = (i18n.t("evaluation.col.hb", lang), i18n.t("evaluation.col.comparison", lang))
    drawn = {}
    for m in context["measures"]:
        items = [(r["label"], *(_shown(r[side]["estimate"]) for side in ("hb", "comparison"))) for r in m["rows"]]
        drawn[m["id"]] = charts.paired_bar_chart(
            f"chart-{m['id']}", m["title"], i18n.t("evaluation.report.chart_desc", lang, title=m["title"]), names, items,
            lambda value, measure=m["id"]: evaluation.number(measure, value, lang))
    return render(request, "admin/evaluation_report.html", charts=drawn, **context)


def _shown(e) -> tuple:
    return (None, None, None) if e.suppressed else (e.value, e.low, e.high)


route_handlers = [evaluation_page, evaluation_settings, evaluation_export, comparison_page, comparison_upload, report_page]
