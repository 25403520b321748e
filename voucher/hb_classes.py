"""HB classes and tariffs of an organiser, the client's classes, and the decision lines computed
from them (the rule itself: ``voucher.tariffs``; docs/decisions/0032).

Who may: an organiser's own admin sets classes and adds tariffs (also the operator's import); the
county's staff set a client's class. Every change is audited; a tariff is never changed or removed,
a new price is a new tariff from a date. Reading a client's classes is a read of their data.
"""

import datetime as dt
from typing import Annotated, Any

import msgspec

import voucher.hb_class_messages  # noqa: F401 - registers the texts of classes, tariffs and overrides
from core import audit, i18n
from core.errors import FieldError, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid
from voucher import access, tariffs
from voucher.tables import ClientClass, HbClass, HbTariff

Code = Annotated[str, msgspec.Meta(min_length=1, max_length=tariffs.CLASS_CODE_MAX)]
Category = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class ClassInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Category
    code: Code
    names: dict[str, Annotated[str, msgspec.Meta(max_length=200)]]
    criteria: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    units_per_month: int
    unit: str
    active: bool = True


class TariffInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Category
    class_code: Annotated[str, msgspec.Meta(max_length=tariffs.CLASS_CODE_MAX)] = ""  # "" = the whole service
    valid_from: dt.date
    cents_per_unit: int


class ClientClassInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Category
    class_code: Annotated[str, msgspec.Meta(max_length=tariffs.CLASS_CODE_MAX)]  # "" = no class from the date
    valid_from: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class TariffRead(msgspec.Struct, kw_only=True):
    class_code: str
    valid_from: dt.date
    cents_per_unit: int


class ClassRead(msgspec.Struct, kw_only=True):
    id: str
    category: str
    code: str
    names: dict[str, str]
    criteria: str
    units_per_month: int
    unit: str
    active: bool
    tariffs: list[TariffRead]  # the class's own, oldest first


class ClientClassRead(msgspec.Struct, kw_only=True):
    category: str
    class_code: str
    valid_from: dt.date
    reason: str
    set_at: dt.datetime


class ProposedMonth(msgspec.Struct, kw_only=True):
    month: str  # YYYY-MM
    days: int
    days_in_month: int
    cents_per_unit: int
    cents: int


class ProposedLine(msgspec.Struct, kw_only=True):
    category: str
    hb_class: str
    units_per_month: int
    unit: str
    computed_cents: int
    months: list[ProposedMonth]
    computation: str  # as the decision form shows it, e.g. "3 pv/kk × 95,00 € × 12 kk = 3 420,00 €"


class Proposal(msgspec.Struct, kw_only=True):
    client_id: str
    start: dt.date
    end: dt.date
    lines: list[ProposedLine]
    # Services where the client has a class but no tariff was in force: {category, hb_class, on}.
    missing: list[dict] = []


def _raise(errors: list[FieldError]) -> None:
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)


# --- Reading ----------------------------------------------------------------------------------


async def classes_of(organiser_id: Any) -> list[ClassRead]:
    """The organiser's classes by service and code, each with its own tariffs."""
    oid = as_uuid(organiser_id)
    rows = await HbClass.select().where(HbClass.organiser_id == oid).order_by(HbClass.category).order_by(
        HbClass.code).output(load_json=True).run()
    by_class: dict[tuple[str, str], list[TariffRead]] = {}
    for t in await tariffs_of(oid):
        by_class.setdefault((t[0], t[1].class_code), []).append(t[1])
    return [ClassRead(id=str(r["id"]), category=r["category"], code=r["code"], names=dict(r["names"] or {}),
                      criteria=r["criteria"], units_per_month=r["units_per_month"], unit=r["unit"], active=r["active"],
                      tariffs=by_class.get((r["category"], r["code"]), [])) for r in rows]


async def tariffs_of(organiser_id: Any) -> list[tuple[str, TariffRead]]:
    """(category, tariff) for every tariff of the organiser, oldest first."""
    rows = await HbTariff.select().where(HbTariff.organiser_id == as_uuid(organiser_id)).order_by(
        HbTariff.valid_from).run()
    return [(r["category"], TariffRead(class_code=r["class_code"], valid_from=r["valid_from"],
                                       cents_per_unit=r["cents_per_unit"])) for r in rows]


async def _domain_tariffs(organiser_id: Any) -> list[tariffs.Tariff]:
    return [tariffs.Tariff(category=c, class_code=t.class_code, valid_from=t.valid_from, cents_per_unit=t.cents_per_unit)
            for c, t in await tariffs_of(organiser_id)]


# --- Writing: classes and tariffs -----------------------------------------------------------------


def class_field_errors(data: ClassInput, known_categories: set[str] | None, prefix: str = "") -> list[FieldError]:
    errors = [FieldError(field=prefix + f, key=f"voucher.error.{k}")
              for f, k in tariffs.class_errors(data.code, data.names, data.units_per_month, data.unit)]
    if known_categories is not None and data.category not in known_categories:
        errors.insert(0, FieldError(field=prefix + "category", key="voucher.error.unknown_category"))
    return errors


def _class_values(data: ClassInput) -> dict:
    names = {lang: (data.names.get(lang) or "").strip() for lang in i18n.LANGS if (data.names.get(lang) or "").strip()}
    return {"names": names, "criteria": data.criteria.strip(), "units_per_month": data.units_per_month,
            "unit": data.unit, "active": data.active}


async def save_class(actor: Actor, organiser_id: Any, data: ClassInput, *, known_categories: set[str],
                     reason: str = "") -> bool:
    """Create or change a class (by service and code) in the caller's transaction; True when
    anything changed (audited ``voucher.hb_class.saved`` with the previous and new values)."""
    oid = access.county_rules_of(actor, organiser_id)
    _raise(class_field_errors(data, known_categories))
    values = _class_values(data)
    row = await HbClass.select().where((HbClass.organiser_id == oid) & (HbClass.category == data.category)
                                       & (HbClass.code == data.code)).first().output(load_json=True).run()
    if row is None:
        await HbClass.insert(HbClass(organiser_id=oid, category=data.category, code=data.code, **values)).run()
        before = None
    else:
        before = {k: row[k] for k in values}
        if before == values:
            return False
        await HbClass.update({getattr(HbClass, k): v for k, v in values.items()}).where(HbClass.id == row["id"]).run()
    await audit.record(actor, "voucher.hb_class.saved", "hb_classes", oid, organiser_id=oid, reason=reason,
                       details={"category": data.category, "code": data.code, "from": before, "to": values})
    return True


async def add_tariff(actor: Actor, organiser_id: Any, data: TariffInput, *, today: dt.date | None,
                     known_categories: set[str], reason: str = "", prefix: str = "") -> bool:
    """Add a tariff from ``valid_from`` in the caller's transaction (audited ``voucher.hb_tariff.added``).

    Never retroactive: a class's (or service's) first tariff may have any date; each later one
    starts today or later and after the latest one it has (``today`` None: only after the latest,
    for an import bringing in the history of a class that had no tariffs). The same tariff again changes nothing
    (an import run twice); another price for a date that has one is refused."""
    oid = access.county_rules_of(actor, organiser_id)
    errors = []
    if data.category not in known_categories:
        errors.append(FieldError(field=prefix + "category", key="voucher.error.unknown_category"))
    if data.class_code and not await HbClass.exists().where(
            (HbClass.organiser_id == oid) & (HbClass.category == data.category) & (HbClass.code == data.class_code)).run():
        errors.append(FieldError(field=prefix + "class_code", key="voucher.error.hb_class_unknown"))
    _raise(errors)
    rows = await HbTariff.select(HbTariff.valid_from, HbTariff.cents_per_unit).where(
        (HbTariff.organiser_id == oid) & (HbTariff.category == data.category) & (HbTariff.class_code == data.class_code)).run()
    if any(r["valid_from"] == data.valid_from and r["cents_per_unit"] == data.cents_per_unit for r in rows):
        return False
    if key := tariffs.tariff_error(data.cents_per_unit, data.valid_from, [r["valid_from"] for r in rows], today):
        field = "cents_per_unit" if key == "hb_tariff_range" else "valid_from"
        _raise([FieldError(field=prefix + field, key=f"voucher.error.{key}")])
    await HbTariff.insert(HbTariff(organiser_id=oid, category=data.category, class_code=data.class_code,
                                   valid_from=data.valid_from, cents_per_unit=data.cents_per_unit,
                                   created_by=as_uuid(actor.user_id))).run()
    await audit.record(actor, "voucher.hb_tariff.added", "hb_classes", oid, organiser_id=oid, reason=reason,
                       details={"category": data.category, "class_code": data.class_code,
                                "valid_from": data.valid_from.isoformat(), "cents_per_unit": data.cents_per_unit})
    return True


# --- The client's classes -------------------------------------------------------------------------


async def client_class_history(client_id: Any) -> list[ClientClassRead]:
    """Every class the client has been given, newest date first (the caller checked access)."""
    rows = await ClientClass.select().where(ClientClass.client_id == as_uuid(client_id)).order_by(
        ClientClass.valid_from, ascending=False).order_by(ClientClass.created_at, ascending=False).run()
    return [ClientClassRead(category=r["category"], class_code=r["class_code"], valid_from=r["valid_from"],
                            reason=r["reason"], set_at=r["created_at"]) for r in rows]


def classes_on(history: list[ClientClassRead], day: dt.date) -> dict[str, str]:
    """category → the client's class on ``day`` (the latest set with a date on or before it; a
    later entry of the same date wins). Services whose class is "" (none) are left out."""
    out: dict[str, str] = {}
    for entry in sorted(history, key=lambda e: (e.valid_from, e.set_at)):
        if entry.valid_from <= day:
            out[entry.category] = entry.class_code
    return {c: code for c, code in out.items() if code}


async def set_client_class(actor: Actor, client_id: Any, data: ClientClassInput) -> None:
    """Give the client a class of a service from a date (``""``: no class), with the reason (audited)."""
    client = await access.client_to_change(actor, client_id)
    await record_client_class(actor, client, data)


async def record_client_class(actor: Actor | None, client: dict, data: ClientClassInput) -> None:
    """``set_client_class`` for a client whose change the caller has allowed (also the import)."""
    errors = []
    if data.class_code and not await HbClass.exists().where(
            (HbClass.organiser_id == client["organiser_id"]) & (HbClass.category == data.category)
            & (HbClass.code == data.class_code) & (HbClass.active == True)).run():  # noqa: E712
        errors.append(FieldError(field="class_code", key="voucher.error.hb_class_unknown"))
    if not data.reason.strip():
        errors.append(FieldError(field="reason", key="voucher.error.reason_required"))
    _raise(errors)
    await ClientClass.insert(ClientClass(client_id=client["id"], organiser_id=client["organiser_id"],
                                         category=data.category, class_code=data.class_code, valid_from=data.valid_from,
                                         reason=data.reason.strip(), set_by=as_uuid(actor.user_id) if actor else None)).run()
    await audit.record(actor, "voucher.client_class.set", "client", client["id"], organiser_id=client["organiser_id"],
                       reason=data.reason.strip(), details={"category": data.category, "class_code": data.class_code,
                                                            "valid_from": data.valid_from.isoformat()})


# --- Computing ------------------------------------------------------------------------------------


def _unit_short(unit: str, lang: str) -> str:
    return i18n.t(f"voucher.hb.unit_short.{unit}", lang)


def computation_text(c: tariffs.Computed, lang: str) -> str:
    """The computation as a counsellor checks it: ``3 pv/kk × 95,00 € × 12 kk = 3 420,00 €`` (a
    part month as ``× 15/31 kk``; a tariff change starts a new term)."""
    per_month = i18n.t("voucher.hb.per_month", lang, units=c.units_per_month, unit=_unit_short(c.unit, lang))
    month = i18n.t("voucher.hb.month_short", lang)
    terms = []
    for s in tariffs.segments(c):
        count = str(s.months) if s.months else f"{s.days}/{s.days_in_month}"
        terms.append(f"{per_month} × {i18n.money(s.cents_per_unit, lang)} × {count} {month}")
    return " + ".join(terms) + f" = {i18n.money(c.cents, lang)}"


async def class_definitions(organiser_id: Any) -> dict[tuple[str, str], tariffs.HbClass]:
    rows = await HbClass.select(HbClass.category, HbClass.code, HbClass.units_per_month, HbClass.unit).where(
        HbClass.organiser_id == as_uuid(organiser_id)).run()
    return {(r["category"], r["code"]): tariffs.HbClass(category=r["category"], code=r["code"],
                                                       units_per_month=r["units_per_month"], unit=r["unit"]) for r in rows}


async def proposal_for(client: dict, start: dt.date, end: dt.date, lang: str) -> Proposal:
    """The lines the client's classes give for the period (the client's access already checked)."""
    if end < start:
        _raise([FieldError(field="end", key="voucher.error.end_before_start")])
    if (end - start).days >= tariffs.MAX_PERIOD_DAYS:
        _raise([FieldError(field="end", key="voucher.error.hb_period_too_long")])
    chosen = classes_on(await client_class_history(client["id"]), end)
    definitions = await class_definitions(client["organiser_id"])
    known = await _domain_tariffs(client["organiser_id"])
    lines, missing = [], []
    for category, code in sorted(chosen.items()):
        definition = definitions.get((category, code))
        if definition is None:
            continue
        result = tariffs.compute(definition, known, start, end)
        if isinstance(result, tariffs.NoTariff):
            missing.append({"category": category, "hb_class": code, "on": result.on.isoformat()})
            continue
        lines.append(ProposedLine(
            category=category, hb_class=code, units_per_month=result.units_per_month, unit=result.unit,
            computed_cents=result.cents, computation=computation_text(result, lang),
            months=[ProposedMonth(month=f"{m.month:%Y-%m}", days=m.days, days_in_month=m.days_in_month,
                                  cents_per_unit=m.cents_per_unit, cents=m.cents) for m in result.months]))
    return Proposal(client_id=str(client["id"]), start=start, end=end, lines=lines, missing=missing)


async def proposal(actor: Actor, client_id: Any, start: dt.date, end: dt.date, lang: str = "fi") -> Proposal:
    access.require_staff(actor)
    client = await access.client_to_read(actor, client_id, "decision_proposal")
    if not access.is_staff_of(actor, client["organiser_id"]):
        raise NotFound()
    return await proposal_for(client, start, end, lang)


async def line_columns(organiser_id: Any, lines: list, start: dt.date, end: dt.date,
                       kept: dict[str, dict] | None = None, prefix: str = "") -> list[dict]:
    """For each decision line (``LineInput``): its ``hb_class``, ``computed_cents`` and
    ``override_reason`` as stored. A line with a class is computed now with the tariffs in force;
    ``kept`` (category → the stored line, when the period is unchanged) keeps what an unchanged
    line was computed as when it was granted, so a later tariff never moves a decision. An amount
    other than the computed one needs a reason (else 400 naming ``lines[i].override_reason``)."""
    definitions = await class_definitions(organiser_id) if any(getattr(l, "hb_class", None) for l in lines) else {}
    known = await _domain_tariffs(organiser_id) if definitions else []
    out, errors = [], []
    for i, line in enumerate(lines):
        code = getattr(line, "hb_class", None) or None
        reason = (getattr(line, "override_reason", "") or "").strip()
        if code is None:
            out.append({"hb_class": None, "computed_cents": None, "override_reason": ""})
            continue
        if (end - start).days >= tariffs.MAX_PERIOD_DAYS:
            errors.append(FieldError(field=f"{prefix}lines[{i}].hb_class", key="voucher.error.hb_period_too_long"))
            continue
        stored = (kept or {}).get(line.category)
        if stored is not None and stored.get("hb_class") == code and stored.get("computed_cents") is not None:
            computed = stored["computed_cents"]
        else:
            definition = definitions.get((line.category, code))
            if definition is None:
                errors.append(FieldError(field=f"{prefix}lines[{i}].hb_class", key="voucher.error.hb_class_unknown"))
                continue
            result = tariffs.compute(definition, known, start, end)
            if isinstance(result, tariffs.NoTariff):
                errors.append(FieldError(field=f"{prefix}lines[{i}].hb_class", key="voucher.error.hb_no_tariff",
                                         params={"date": result.on.isoformat()}))
                continue
            computed = result.cents
        overridden = tariffs.is_override(line.amount_cents, computed)
        if overridden and not reason:
            errors.append(FieldError(field=f"{prefix}lines[{i}].override_reason", key="voucher.error.override_reason"))
        out.append({"hb_class": code, "computed_cents": computed, "override_reason": reason if overridden else ""})
    _raise(errors)
    return out
