"""``/organiser/card-rules``: a county's rules for card payments, as its admin sets them and its
counsellors read them — the exemption from the client's consent (a payment, and code-less payments
together), the price tolerance, and the categories a payment with no listing may be in ("open
amount"), each with its cap. Amounts in euros, the tolerance in per cent; no JavaScript. Each save
goes through ``voucher.card_rules.save`` (audited with the previous and the new values), and the
page lists the changes."""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import audit, i18n
from core.db import in_write_transaction
from core.errors import FieldError, Invalid
from core.identity import Actor, require
from core.ids import as_uuid
from core.web import form_errors, page, redirect, request_lang
from voucher import card_rules, domain, marketplace_port

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PATH = "/organiser/card-rules"
HISTORY = 10


def _form_of(rules: domain.CardRules, codes: list[str]) -> dict[str, str]:
    """The rules as the form shows them (euros and per cent, as a person types them)."""
    form = {"single": domain.euros_text(rules.single_cents), "cumulative": domain.euros_text(rules.cumulative_cents),
            "tolerance": domain.percent_text(rules.tolerance_bp)}
    form.update({f"cap_{code}": domain.euros_text(rules.open_amount.get(code)) for code in codes})
    return form


def _rules_of(form: dict[str, str], codes: list[str]) -> domain.CardRules:
    """The form's texts as rules; every text that is not a number is a field error (all at once)."""
    errors: list[FieldError] = []

    def read(name: str, parse, required: bool = True) -> int | None:
        text = form.get(name, "").strip()
        if not text and not required:
            return None
        try:
            return parse(text)
        except ValueError:
            errors.append(FieldError(field=name, key="voucher.error.percent" if parse is domain.parse_percent
                                     else "voucher.error.euros"))
            return None

    single = read("single", domain.parse_euros)
    cumulative = read("cumulative", domain.parse_euros, required=False)
    tolerance = read("tolerance", domain.parse_percent)
    caps = {code: read(f"cap_{code}", domain.parse_euros, required=False) for code in codes}
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    return domain.CardRules(single_cents=single, cumulative_cents=cumulative, tolerance_bp=tolerance,
                            open_amount={code: cap for code, cap in caps.items() if cap is not None})


def _form_field(field: str, rules: domain.CardRules) -> str:
    """A rule's field as the import names it (``voucher.domain.card_rules_errors``) → the form's."""
    if field.startswith("open_amount[") and field.endswith("].cap_cents"):
        index = int(field[len("open_amount["):-len("].cap_cents")])
        return f"cap_{list(rules.open_amount)[index]}"
    return {"card_consent.single_cents": "single", "card_consent.cumulative_cents": "cumulative",
            "price_tolerance_bp": "tolerance"}.get(field, field)


def _changes(history: list[dict], names: dict[str, str], lang: str) -> list[dict]:
    """The audited changes as people read them: when, who, and each rule from what to what."""

    def shown(rule: str, value: Any) -> str:
        if rule == "tolerance_bp":
            return f"{domain.percent_text(value or 0)} %"
        if rule == "open_amount":
            return ", ".join(f"{names.get(code, code)} {i18n.money(cap, lang)}" for code, cap in (value or {}).items()) \
                or i18n.t("voucher.card_rules.none", lang)
        if value is None:
            return i18n.t("voucher.card_rules.no_limit", lang)
        return i18n.money(value, lang)

    out = []
    for event in history:
        details = event.get("details") or {}
        before, after = details.get("from") or {}, details.get("to") or {}
        out.append({"at": event["at"], "who": event["actor_label"], "reason": event.get("reason") or "",
                    "items": [{"rule": i18n.t(f"voucher.card_rules.rule.{rule}", lang),
                               "before": shown(rule, before.get(rule)), "after": shown(rule, after.get(rule))}
                              for rule in details.get("changed", [])]})
    return out


async def _context(actor: Actor, lang: str, organiser_id: str) -> dict:
    names = await marketplace_port.category_names()
    categories = sorted(((code, i18n.pick(texts, lang)) for code, texts in names.items()), key=lambda c: c[1])
    county = (await marketplace_port.organisers([organiser_id])).get(organiser_id)
    history = await audit.history("card_rules", organiser_id, organiser_id=as_uuid(organiser_id), limit=HISTORY)
    return {"rules": await card_rules.rules_for(organiser_id), "categories": categories,
            "category_names": dict(categories), "county": county.name if county else "",
            "may_edit": actor.role == "organiser_admin",
            "changes": _changes([e for e in history if e["action"] == "voucher.card_rules.changed"], dict(categories), lang)}


@get(PATH, include_in_schema=False)
async def card_rules_page(request: Request, actor: Actor) -> Any:
    organiser_id = card_rules.readable_by(actor)
    context = await _context(actor, request_lang(request), organiser_id)
    return page(request, "voucher/card_rules.html", form=_form_of(context["rules"], [c for c, _ in context["categories"]]),
                errors={}, saved=request.query_params.get("saved") == "1", **context)


@post(PATH, include_in_schema=False)
async def card_rules_save(request: Request, actor: Actor, data: Form) -> Any:
    require(actor, "organiser_admin")
    organiser_id = card_rules.readable_by(actor)
    lang = request_lang(request)
    codes = list(await marketplace_port.category_codes())
    form = {name: str(data.get(name) or "")[:40] for name in ("single", "cumulative", "tolerance",
                                                               *(f"cap_{code}" for code in codes))}
    rules = None
    try:
        rules = _rules_of(form, codes)
        await in_write_transaction(lambda: card_rules.save(actor, organiser_id, rules, known_categories=set(codes)))
    except Invalid as exc:
        errors = form_errors(exc, lang)
        if rules is not None:
            errors = {_form_field(field, rules): message for field, message in errors.items()}
        context = await _context(actor, lang, organiser_id)
        return page(request, "voucher/card_rules.html", status_code=400, form=form, errors=errors, saved=False, **context)
    return redirect(f"{PATH}?saved=1")


route_handlers = [card_rules_page, card_rules_save]
