"""``/organiser/hb-classes``: a county's HB classes per service and their tariffs, as its admin sets
them and its counsellors read them; and the counsellor's form that gives a client a class
(``/counsellor/clients/{id}/classes``, shown on the client's page). No JavaScript: each form posts
and redirects, or shows itself again with every error beside its field. Changes go through
``voucher.hb_classes`` (audited); the page lists the latest."""

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import audit, i18n
from core.db import in_write_transaction
from core.errors import DomainError, FieldError, Invalid
from core.identity import Actor, require
from core.ids import as_uuid
from core.web import current_time, form_errors, page, redirect, request_lang
from voucher import card_rules, domain, hb_classes, marketplace_port, tariffs

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PATH = "/organiser/hb-classes"
HISTORY = 15
CLASS_FIELDS = ("category", "code", "name_fi", "name_sv", "name_en", "criteria", "units_per_month", "unit")
TARIFF_FIELDS = ("t_class", "t_price", "t_valid_from")


async def _categories(lang: str) -> list[tuple[str, str]]:
    names = await marketplace_port.category_names()
    return sorted(((code, i18n.pick(texts, lang)) for code, texts in names.items()), key=lambda c: c[1])


def _tariff_now(tariff_list: list[hb_classes.TariffRead], today: dt.date) -> tuple[Any, list]:
    past = [t for t in tariff_list if t.valid_from <= today]
    return (past[-1] if past else None), [t for t in tariff_list if t.valid_from > today]


async def _context(actor: Actor, lang: str, organiser_id: str, today: dt.date) -> dict:
    categories = await _categories(lang)
    names = dict(categories)
    classes = await hb_classes.classes_of(organiser_id)
    service_tariffs: dict[str, list[hb_classes.TariffRead]] = {}
    for category, t in await hb_classes.tariffs_of(organiser_id):
        if t.class_code == tariffs.SERVICE_WIDE:
            service_tariffs.setdefault(category, []).append(t)
    services = []
    for code in sorted({c.category for c in classes} | set(service_tariffs), key=lambda c: names.get(c, c)):
        rows = []
        for c in (c for c in classes if c.category == code):
            now, coming = _tariff_now(c.tariffs or service_tariffs.get(code, []), today)
            rows.append({"c": c, "now": now, "coming": coming, "own": bool(c.tariffs)})
        now, coming = _tariff_now(service_tariffs.get(code, []), today)
        services.append({"code": code, "name": names.get(code, code), "classes": rows, "service_now": now,
                         "service_coming": coming})
    history = await audit.history("hb_classes", organiser_id, organiser_id=as_uuid(organiser_id), limit=HISTORY)
    for event in history:  # a tariff's date as a date, for the reader's own format
        details = event.get("details") or {}
        if details.get("valid_from"):
            details["valid_on"] = dt.date.fromisoformat(details["valid_from"])
    return {"services": services, "categories": categories, "units": [(u, i18n.t(f"voucher.hb.unit.{u}", lang))
                                                                       for u in tariffs.UNITS],
            "class_choices": [(f"{code}:", f"{name}: {i18n.t('voucher.hb.whole_service', lang)}") for code, name in categories]
            + [(f"{c.category}:{c.code}", f"{names.get(c.category, c.category)}: {c.code} {i18n.pick(c.names, lang)}")
               for c in classes],
            "may_edit": actor.role == "organiser_admin", "changes": history, "category_names": names, "today": today}


def _class_form(c: hb_classes.ClassRead | None) -> dict[str, str]:
    if c is None:
        return {"unit": "day"}
    return {"category": c.category, "code": c.code, "name_fi": c.names.get("fi", ""), "name_sv": c.names.get("sv", ""),
            "name_en": c.names.get("en", ""), "criteria": c.criteria, "units_per_month": str(c.units_per_month),
            "unit": c.unit}


def _today(request: Request) -> dt.date:
    return domain.helsinki_date(current_time(request))


@get(PATH, include_in_schema=False)
async def classes_page(request: Request, actor: Actor) -> Any:
    organiser_id = card_rules.readable_by(actor)
    lang = request_lang(request)
    context = await _context(actor, lang, organiser_id, _today(request))
    editing = request.query_params.get("edit")
    chosen = next((r["c"] for s in context["services"] for r in s["classes"] if r["c"].id == editing), None)
    return page(request, "voucher/hb_classes.html", form=_class_form(chosen), tariff_form={}, errors={},
                saved=request.query_params.get("saved") == "1", **context)


def _int(text: str, field: str, errors: list[FieldError]) -> int:
    try:
        return int(text.strip())
    except ValueError:
        errors.append(FieldError(field=field, key="voucher.error.hb_units_range"))
        return 0


@post(PATH, include_in_schema=False)
async def class_save(request: Request, actor: Actor, data: Form) -> Any:
    require(actor, "organiser_admin")
    organiser_id = card_rules.readable_by(actor)
    lang = request_lang(request)
    form = {name: str(data.get(name) or "")[:4000 if name == "criteria" else 200] for name in CLASS_FIELDS}
    errors: list[FieldError] = []
    units = _int(form["units_per_month"], "units_per_month", errors)
    try:
        if errors:
            raise Invalid("error.validation", errors=errors)
        body = hb_classes.ClassInput(category=form["category"], code=form["code"].strip(),
                                     names={"fi": form["name_fi"], "sv": form["name_sv"], "en": form["name_en"]},
                                     criteria=form["criteria"], units_per_month=units, unit=form["unit"])
        known = await marketplace_port.category_codes()
        await in_write_transaction(lambda: hb_classes.save_class(actor, organiser_id, body, known_categories=known))
    except Invalid as exc:
        errors_shown = {{"names.fi": "name_fi"}.get(k, k): v for k, v in form_errors(exc, lang).items()}
        context = await _context(actor, lang, organiser_id, _today(request))
        return page(request, "voucher/hb_classes.html", status_code=400, form=form, tariff_form={}, errors=errors_shown,
                    saved=False, **context)
    return redirect(f"{PATH}?saved=1")


@post(f"{PATH}/tariffs", include_in_schema=False)
async def tariff_add(request: Request, actor: Actor, data: Form) -> Any:
    require(actor, "organiser_admin")
    organiser_id = card_rules.readable_by(actor)
    lang = request_lang(request)
    form = {name: str(data.get(name) or "")[:100] for name in TARIFF_FIELDS}
    today = _today(request)
    errors: list[FieldError] = []
    cents = valid_from = None
    try:
        cents = domain.parse_euros(form["t_price"])
    except ValueError:
        errors.append(FieldError(field="t_price", key="voucher.error.euros"))
    try:
        valid_from = dt.date.fromisoformat(form["t_valid_from"])
    except ValueError:
        errors.append(FieldError(field="t_valid_from", key="voucher.error.date"))
    category, _, class_code = form["t_class"].partition(":")
    if not category:
        errors.append(FieldError(field="t_class", key="field.required"))
    try:
        if errors:
            raise Invalid("error.validation", errors=errors)
        body = hb_classes.TariffInput(category=category, class_code=class_code, valid_from=valid_from, cents_per_unit=cents)
        known = await marketplace_port.category_codes()
        await in_write_transaction(lambda: hb_classes.add_tariff(actor, organiser_id, body, today=today,
                                                                  known_categories=known, prefix="t_"))
    except Invalid as exc:
        shown = {{"t_cents_per_unit": "t_price", "t_class_code": "t_class", "t_category": "t_class"}.get(k, k): v
                 for k, v in form_errors(exc, lang).items()}
        context = await _context(actor, lang, organiser_id, today)
        return page(request, "voucher/hb_classes.html", status_code=400, form=_class_form(None), tariff_form=form,
                    errors=shown, saved=False, **context)
    return redirect(f"{PATH}?saved=1#tariff-h")


# --- The client's classes on the counsellor's client page -----------------------------------------


def class_label(code: str, name: str) -> str:
    """"Luokka 2" as it is named, with its code when the name does not say it."""
    if not name:
        return code
    return name if code in name.split() else f"{name} ({code})"


async def client_section(client: dict, lang: str, today: dt.date) -> dict:
    """What the client page's "HB-luokat" section shows: the current class per service on ``today``
    (the app's clock, as the rest of the page), the history and the choices (the caller has checked
    and audited the read)."""
    history = await hb_classes.client_class_history(client["id"])
    names = dict(await _categories(lang))
    classes = await hb_classes.classes_of(client["organiser_id"])
    label = {(c.category, c.code): class_label(c.code, i18n.pick(c.names, lang)) for c in classes}
    current = hb_classes.classes_on(history, today)
    return {"hb_current": [(names.get(cat, cat), label.get((cat, code), code)) for cat, code in sorted(current.items())],
            "hb_history": [{"service": names.get(h.category, h.category), "class": label.get((h.category, h.class_code),
                            h.class_code) or i18n.t("voucher.hb.no_class", lang), "from": h.valid_from, "reason": h.reason}
                           for h in history],
            "hb_choices": [("", i18n.t("voucher.hb.choose", lang))]
            + [(f"{c.category}:{c.code}", f"{names.get(c.category, c.category)}: {label[(c.category, c.code)]}")
               for c in classes if c.active]
            + [(f"{code}:", f"{names.get(code, code)}: {i18n.t('voucher.hb.no_class', lang)}")
               for code in sorted({c.category for c in classes})]}


def client_class_input(data: dict) -> hb_classes.ClientClassInput:
    """The client page's class form → the input (``hb_class`` is ``category:code``; ``category:`` = no
    class); every missing field a form error at once."""
    category, _, code = str(data.get("hb_class") or "").partition(":")
    errors = []
    if not category:
        errors.append(FieldError(field="hb_class", key="field.required"))
    valid_from = None
    try:
        valid_from = dt.date.fromisoformat(str(data.get("valid_from") or ""))
    except ValueError:
        errors.append(FieldError(field="valid_from", key="voucher.error.date"))
    reason = str(data.get("hb_reason") or "").strip()[:2000]
    if not reason:
        errors.append(FieldError(field="hb_reason", key="voucher.error.reason_required"))
    if errors:
        raise Invalid("error.validation", errors=errors)
    return hb_classes.ClientClassInput(category=category[:64], class_code=code[:16], valid_from=valid_from, reason=reason)


def client_class_errors(exc: DomainError, lang: str) -> dict[str, str]:
    return {{"class_code": "hb_class", "reason": "hb_reason"}.get(k, k): v for k, v in form_errors(exc, lang).items()}


route_handlers = [classes_page, class_save, tariff_add]
