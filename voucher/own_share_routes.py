"""Own share's routes: ``/organiser/client-fees`` (a county's client-fee rules, as its admin adds and
changes them and its counsellors read them; no JavaScript) and ``GET /api/v1/organisers/own-share``
(the county's own-share totals for a period, JSON or CSV). Each save goes through
``voucher.own_share.save_rule`` (audited with the previous and the new values)."""

import csv
import datetime as dt
import io
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from core import i18n
from core.db import in_write_transaction
from core.errors import FieldError, Invalid
from core.identity import Actor, require
from core.web import form_errors, page, redirect, request_lang
from voucher import domain, own_share

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PATH = "/organiser/client-fees"
FIELDS = ("code", "name_fi", "name_sv", "name_en", "kind", "value", "cap", "decision_ref")


def rule_text(rule: own_share.RuleView | None, lang: str) -> str:
    """A rule in words: "3,10 €/yksikkö, enintään 50,00 €/kk", "10 %", "Ei asiakasmaksua"."""
    if rule is None or rule.kind == domain.FEE_NONE:
        return i18n.t("own_share.none", lang)
    if rule.kind == domain.FEE_PER_UNIT:
        text = i18n.t("own_share.per_unit", lang, amount=i18n.money(rule.value, lang))
    else:
        text = f"{domain.percent_text(rule.value)} %"
    if rule.monthly_cap_cents is not None:
        text += ", " + i18n.t("own_share.per_month", lang, amount=i18n.money(rule.monthly_cap_cents, lang))
    return text


def _view_of(form: dict[str, str]) -> own_share.RuleView:
    """The form's texts as a rule; a number that is not one is a field error (all at once)."""
    errors: list[FieldError] = []
    kind = form.get("kind", "")
    value = cap = None
    try:
        text = form.get("value", "").strip() or "0"
        value = domain.parse_percent(text) if kind == domain.FEE_PERCENT else domain.parse_euros(text)
    except ValueError:
        errors.append(FieldError(field="value", key="voucher.error.percent" if kind == domain.FEE_PERCENT
                                 else "voucher.error.euros"))
    try:
        cap = domain.parse_euros(form["cap"]) if form.get("cap", "").strip() else None
    except ValueError:
        errors.append(FieldError(field="cap", key="voucher.error.euros"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    return own_share.RuleView(code=form.get("code", ""), kind=kind, value=value or 0, monthly_cap_cents=cap,
                              name={lang: form.get(f"name_{lang}", "") for lang in own_share.LANGS},
                              decision_ref=form.get("decision_ref", ""))


_FORM_FIELD = {"name.fi": "name_fi", "name": "name_fi", "monthly_cap_cents": "cap"}


async def _context(actor: Actor, lang: str, organiser_id: str) -> dict:
    rules = await own_share.rules_of(organiser_id)
    return {"rules": [{"rule": r, "text": rule_text(r, lang), "name": i18n.pick(r.name, lang) if r.name else r.code}
                      for r in rules],
            "may_edit": actor.role == "organiser_admin",
            "kind_options": [(k, i18n.t(f"own_share.kind.{k}", lang)) for k in domain.FEE_KINDS]}


@get(PATH, include_in_schema=False)
async def client_fees_page(request: Request, actor: Actor) -> Any:
    organiser_id = own_share.readable_by(actor)
    lang = request_lang(request)
    context = await _context(actor, lang, organiser_id)
    return page(request, "voucher/client_fees.html", form={"kind": domain.FEE_PER_UNIT}, errors={},
                saved=request.query_params.get("saved"), **context)


@post(PATH, include_in_schema=False)
async def client_fees_save(request: Request, actor: Actor, data: Form) -> Any:
    require(actor, "organiser_admin")
    organiser_id = own_share.readable_by(actor)
    lang = request_lang(request)
    form = {name: str(data.get(name) or "")[:500] for name in FIELDS}
    try:
        view = _view_of(form)
        changed = await in_write_transaction(lambda: own_share.save_rule(actor, organiser_id, view))
    except Invalid as exc:
        errors = {_FORM_FIELD.get(field, field): message for field, message in form_errors(exc, lang).items()}
        context = await _context(actor, lang, organiser_id)
        return page(request, "voucher/client_fees.html", status_code=400, form=form, errors=errors, saved=None,
                    **context)
    return redirect(f"{PATH}?saved={'1' if changed else '0'}")


# --- The totals, for the organiser's dashboard ---------------------------------------------------


def _day(text: str | None, field: str, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        raise Invalid("error.validation", field=field,
                      errors=[FieldError(field=field, key="voucher.error.date")]) from None


@get("/api/v1/organisers/own-share", tags=["budgets"],
     summary="Own-share totals of the county's payments in a period: price, the budget's part and the client's")
async def own_share_totals(actor: Actor, now: dt.datetime, start: str = Parameter(default=""),
                           end: str = Parameter(default=""), format: str = Parameter(default="json")) -> Response:
    """``start`` and ``end`` (ISO dates, inclusive) default to this Helsinki month so far; ``format=csv``
    gives the same rows as CSV."""
    require(actor, "organiser_admin")
    organiser_id = own_share.readable_by(actor)
    today = domain.helsinki_date(now)
    first, last = _day(start, "start", today.replace(day=1)), _day(end, "end", today)
    if last < first:
        raise Invalid("voucher.error.end_before_start", field="end")
    if last - first > dt.timedelta(days=3 * 366):
        raise Invalid("voucher.error.period_too_long", field="end")
    rows = await own_share.totals(organiser_id, first, last)
    if format == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["category", "client_group", "gross_cents", "budget_cents", "client_cents"])
        for r in rows:
            writer.writerow([r.category, r.client_group, r.gross_cents, r.budget_cents, r.client_cents])
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="own-share.csv"'})
    return Response(msgspec.json.encode(rows), media_type="application/json")


route_handlers = [client_fees_page, client_fees_save, own_share_totals]
