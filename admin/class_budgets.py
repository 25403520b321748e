"""``/organiser/budgets`` ("Budjetit luokittain"): the county's budgets by service and HB class, and
the counsellors' overrides of computed lines (how many lines and budgets deviate, by how much, and
each overridden line with its reason; clients by pseudonym only, as on every console list). Filters:
the period (months) and the client group; ``?format=csv`` downloads the same figures (semicolons,
decimal commas; ``&section=overrides`` the overridden lines). The figures come from the voucher's
``voucher.class_reporting``; the page only lays them out."""

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import Parameter

from admin import access, dashboard, domain
from admin.pages import render
from admin.figures import Column, Figure, to_csv
from core import i18n, reporting_db
from core.identity import Actor
from core.web import Pager, current_time, paging, request_lang
from voucher import class_reporting, marketplace_port, own_share

FromMonth = Annotated[str | None, Parameter(query="from", required=False)]
ToMonth = Annotated[str | None, Parameter(query="to", required=False)]
PER_PAGE = 20


def _m(fi: str, sv: str, en: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv, "en": en}


i18n.register({
    "admin.nav.budgets": _m("Budjetit luokittain", "Budgetar per klass", "Budgets by class"),
    "admin.budgets.title": _m("Budjetit luokittain", "Budgetar per klass", "Budgets by class"),
    "admin.budgets.lead": _m(
        "Voimassa olevat budjettipäätökset, joiden kausi osuu aikaväliin {start}–{end}. Summat ovat päätösten "
        "koko myönnetyt summat.",
        "Gällande budgetbeslut vars period infaller under {start}–{end}. Beloppen är besluten beviljade belopp i sin helhet.",
        "Active budget decisions whose period meets {start}–{end}. The amounts are the decisions' whole granted amounts."),
    "admin.budgets.group": _m("Asiakasryhmä", "Klientgrupp", "Client group"),
    "admin.budgets.all_groups": _m("Kaikki", "Alla", "All"),
    "admin.budgets.by_class": _m("Budjetit palveluittain ja luokittain", "Budgetar per tjänst och klass",
                                 "Budgets by service and class"),
    "admin.budgets.overrides": _m("Poikkeamat lasketusta", "Avvikelser från beräknat", "Overrides of the computation"),
    "admin.budgets.override_lines": _m("Poikkeavat rivit", "Avvikande rader", "Overridden lines"),
    "admin.budgets.no_class": _m("ei luokkaa", "ingen klass", "no class"),
    "admin.budgets.kpi_lines": _m("Luokista laskettuja rivejä {computed}, joista poikkeaa {overridden}",
                                  "Rader beräknade från klasser {computed}, av vilka {overridden} avviker",
                                  "Lines computed from classes {computed}, of which {overridden} overridden"),
    "admin.budgets.kpi_budgets": _m("Luokista laskettuja budjetteja {computed}, joista poikkeaa {overridden}",
                                    "Budgetar beräknade från klasser {computed}, av vilka {overridden} avviker",
                                    "Budgets computed from classes {computed}, of which {overridden} overridden"),
    "admin.budgets.kpi_deviation": _m("Poikkeama yhteensä", "Avvikelse totalt", "Total deviation"),
    "admin.budgets.kpi_average": _m("Keskimäärin riviä kohden", "I genomsnitt per rad", "Average per line"),
    "admin.budgets.kpi_percent": _m("Poikkeama lasketusta", "Avvikelse från beräknat", "Deviation from computed"),
    "admin.budgets.own_share": _m("Omavastuut", "Självrisker", "Own shares"),
    "admin.budgets.own_share_lead": _m(
        "Toteutuneet maksut {start}–{end} palautukset vähennettyinä: palvelun hinta, budjetin osuus ja asiakkaan "
        "itse maksama osuus (asiakasmaksu), jonka palveluntuottaja perii asiakkaalta.",
        "Genomförda betalningar {start}–{end} med återbetalningar avdragna: tjänstens pris, budgetens del och "
        "klientens egen del (klientavgift) som tjänsteproducenten tar ut av klienten.",
        "Payments made {start}–{end} less refunds: the price, the budget's part and the client's own part (client "
        "fee) that the provider collects from the client."),
    "admin.budgets.own_share_table": _m("Omavastuut palveluittain ja asiakasryhmittäin",
                                        "Självrisker per tjänst och klientgrupp", "Own shares by service and client group"),
    "admin.budgets.csv_own_share": _m("Lataa CSV: omavastuut", "Ladda ner CSV: självrisker", "Download CSV: own shares"),
    "admin.budgets.col.gross": _m("Hinta yhteensä", "Pris totalt", "Price in total"),
    "admin.budgets.col.budget_part": _m("Budjetin osuus", "Budgetens del", "Budget's part"),
    "admin.budgets.col.client_part": _m("Asiakkaan osuus", "Klientens del", "Client's part"),
    "admin.budgets.total": _m("Yhteensä", "Totalt", "Total"),
    "admin.budgets.csv_overrides": _m("Lataa CSV: poikkeavat rivit", "Ladda ner CSV: avvikande rader",
                                      "Download CSV: overridden lines"),
    "admin.budgets.col.service": _m("Palvelu", "Tjänst", "Service"),
    "admin.budgets.col.class": _m("Luokka", "Klass", "Class"),
    "admin.budgets.col.clients": _m("Asiakkaita", "Klienter", "Clients"),
    "admin.budgets.col.lines": _m("Rivejä", "Rader", "Lines"),
    "admin.budgets.col.granted": _m("Myönnetty", "Beviljat", "Granted"),
    "admin.budgets.col.average": _m("Keskiarvo / asiakas", "Medeltal / klient", "Average / client"),
    "admin.budgets.col.overridden": _m("Poikkeavia", "Avvikande", "Overridden"),
    "admin.budgets.col.deviation": _m("Poikkeama", "Avvikelse", "Deviation"),
    "admin.budgets.col.deviation_pct": _m("Poikkeama %", "Avvikelse %", "Deviation %"),
    "admin.budgets.col.client": _m("Asiakas", "Klient", "Client"),
    "admin.budgets.col.client_group": _m("Asiakasryhmä", "Klientgrupp", "Client group"),
    "admin.budgets.col.period": _m("Päätöksen kausi", "Beslutets period", "Decision period"),
    "admin.budgets.col.computed": _m("Laskettu", "Beräknat", "Computed"),
    "admin.budgets.col.granted_line": _m("Myönnetty", "Beviljat", "Granted"),
    "admin.budgets.col.reason": _m("Peruste", "Grund", "Reason"),
    "event.voucher.class_report.read": _m("Budjetit luokittain luettu", "Budgetar per klass lästa", "Budgets by class read"),
})


def _class_figure(report: class_reporting.ClassReport, names: dict[str, str], lang: str) -> Figure:
    rows = [{"key": f"{r.category}:{r.hb_class}", "service": names.get(r.category, r.category),
             "class": r.hb_class or i18n.t("admin.budgets.no_class", lang), "clients": r.clients, "lines": r.lines,
             "granted": r.granted_cents, "average": r.average_cents, "overridden": r.overridden_lines,
             "deviation": r.deviation_cents} for r in report.rows]
    return Figure(id="by_class", title="admin.budgets.by_class", rows=rows, columns=[
        Column("service", "admin.budgets.col.service"), Column("class", "admin.budgets.col.class"), Column("key", "admin.col.key", csv_only=True),
        Column("clients", "admin.budgets.col.clients", "int"), Column("lines", "admin.budgets.col.lines", "int"),
        Column("granted", "admin.budgets.col.granted", "money"), Column("average", "admin.budgets.col.average", "money"),
        Column("overridden", "admin.budgets.col.overridden", "int"), Column("deviation", "admin.budgets.col.deviation", "money")])


def _override_figure(lines: list[class_reporting.OverrideLine], names: dict[str, str], lang: str) -> Figure:
    rows = [{"key": o.client_id, "client": o.client, "group": i18n.t(f"voucher.group.{o.client_group}", lang),
             "period": f"{i18n.local_date(o.start, lang)}–{i18n.local_date(o.end, lang)}",
             "service": names.get(o.category, o.category), "class": o.hb_class, "computed": o.computed_cents,
             "granted": o.granted_cents, "deviation": o.deviation_cents,
             "pct": class_reporting.half_up(o.deviation_cents * 1000, o.computed_cents) if o.computed_cents else None,
             "reason": o.reason} for o in lines]
    return Figure(id="overrides", title="admin.budgets.override_lines", rows=rows, columns=[
        Column("client", "admin.budgets.col.client"), Column("group", "admin.budgets.col.client_group"), Column("period", "admin.budgets.col.period"),
        Column("service", "admin.budgets.col.service"), Column("class", "admin.budgets.col.class"),
        Column("computed", "admin.budgets.col.computed", "money"), Column("granted", "admin.budgets.col.granted_line", "money"),
        Column("deviation", "admin.budgets.col.deviation", "money"), Column("pct", "admin.budgets.col.deviation_pct", "permille"),
        Column("reason", "admin.budgets.col.reason")])


def _own_share_figure(totals: list[own_share.Total], names: dict[str, str], lang: str) -> Figure:
    """The own-share totals (voucher.own_share.totals) by service and client group, with a sum row:
    the price, the budget's part and the client's part; the parts add up to the price on every row."""
    rows = [{"key": f"{r.category}:{r.client_group}", "service": names.get(r.category, r.category),
             "group": i18n.t(f"voucher.group.{r.client_group}", lang) if r.client_group else "",
             "gross": r.gross_cents, "budget": r.budget_cents, "client": r.client_cents} for r in totals]
    total = {"key": "total", "service": i18n.t("admin.budgets.total", lang), "group": "",
             "gross": sum(r.gross_cents for r in totals), "budget": sum(r.budget_cents for r in totals),
             "client": sum(r.client_cents for r in totals)} if rows else None
    return Figure(id="own_share", title="admin.budgets.own_share_table", rows=rows, total=total, columns=[
        Column("service", "admin.budgets.col.service"), Column("group", "admin.budgets.col.client_group"),
        Column("key", "admin.col.key", csv_only=True), Column("gross", "admin.budgets.col.gross", "money"),
        Column("budget", "admin.budgets.col.budget_part", "money"), Column("client", "admin.budgets.col.client_part", "money")])


@get("/organiser/budgets", include_in_schema=False)
async def budgets_page(request: Request, actor: Actor, first: FromMonth = None, last: ToMonth = None) -> Any:
    async with reporting_db.reads() as source:  # the reporting replica, when there is one
        return await _budgets(request, actor, first, last, source)


async def _budgets(request: Request, actor: Actor, first: str | None, last: str | None, source: reporting_db.Source) -> Any:
    organiser_id = access.organiser_of_admin(actor)
    lang = request_lang(request)
    params = request.query_params
    period = domain.period_from(first, last, domain.helsinki_date(current_time(request)))
    group = params.get("group") if params.get("group") in dashboard.GROUPS else None
    report = await class_reporting.report(actor, organiser_id, period.first_day, period.last_day, group)
    names = {code: i18n.pick(texts, lang) for code, texts in (await marketplace_port.category_names()).items()}
    by_class = _class_figure(report, names, lang)
    query = f"from={period.first:%Y-%m}&to={period.last:%Y-%m}" + (f"&group={group}" if group else "")
    totals = [r for r in await own_share.totals(organiser_id, period.first_day, period.last_day)
              if group is None or r.client_group == group]
    shares = _own_share_figure(totals, names, lang)
    if params.get("format") == "csv" and params.get("section") == "own_share":
        name = f"hb-omavastuut-{period.first:%Y-%m}-{period.last:%Y-%m}"
        return Response(content=to_csv(shares, lang).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"})
    if params.get("format") == "csv":
        overrides = params.get("section") == "overrides"
        if overrides:
            await class_reporting.shown_overrides(actor, organiser_id, report.overrides)
        figure = _override_figure(report.overrides, names, lang) if overrides else by_class
        name = f"hb-{'poikkeamat' if overrides else 'luokat'}-{period.first:%Y-%m}-{period.last:%Y-%m}"
        return Response(content=to_csv(figure, lang).encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"', "Cache-Control": "no-store"})
    number, per_page = paging(params.get("page"), PER_PAGE)
    pager = Pager(page=number, per_page=per_page, total=len(report.overrides))
    shown = report.overrides[pager.offset:pager.offset + per_page]
    await class_reporting.shown_overrides(actor, organiser_id, shown)
    return render(request, "admin/budgets.html", period=period, report=report, by_class=by_class,
                  overrides=_override_figure(shown, names, lang), pager=pager, query=query, group=group,
                  groups=[(g, i18n.t(f"voucher.group.{g}", lang)) for g in dashboard.GROUPS],
                  own_share=shares, source=source)


route_handlers = [budgets_page]
