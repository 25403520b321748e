"""`hb import` for clients, their budget decisions and cards, and the counties' card rules (the
format: docs/api.md).

Passed to the marketplace's importer (``marketplace.importer.ClientRecords``) by whoever composes
the platform: ``validate_clients`` and ``validate_organisers`` during validation (every problem as a
``FieldError`` with the record's ref), ``owners`` for the importer's scope check (whose county
already holds each ref), ``apply_organisers`` and ``apply_clients`` inside its single write
transaction, so the whole file is still all or nothing. Idempotent by ``ref``: an unchanged record
writes nothing, a changed one is updated (decision changes go through the audited decision service,
card rules through ``voucher.card_rules.save``).
"""

import datetime as dt
import re
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from core import audit, identity
from core.clock import utcnow
from core.errors import Conflict, FieldError, Invalid, from_validation, validation_path
from core.identity import Actor
from core.ids import as_uuid
from core.settings import Settings
from voucher import budgets, card_rules, cards, domain, hb_classes, marketplace_port, own_share
from voucher import tariffs as domain_tariffs
from voucher.assessment import services as assessments
from voucher.schemas import DecisionCreate, DecisionUpdate, LineInput
from voucher.tables import BudgetDecision, BudgetLine, Card, Client

Ref = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
Cents = Annotated[int, msgspec.Meta(ge=0, le=10**12)]


class ImportLine(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: str
    amount_cents: int
    may_fund: list[str] = []
    swap_cap_cents: int | None = None
    # The HB class the line is computed from; amount_cents other than the computed amount needs
    # override_reason (voucher.hb_classes.line_columns).
    hb_class: Annotated[str, msgspec.Meta(min_length=1, max_length=16)] | None = None
    override_reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    # The code of the organiser's client-fee rule (its ``client_fees`` or one it has already).
    fee_rule: str | None = None


class ImportDecision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ref: Ref
    start: dt.date
    end: dt.date
    lines: Annotated[list[ImportLine], msgspec.Meta(min_length=1)]
    reason: str = "hb import"


class ImportCard(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ref: Ref
    token: Annotated[str, msgspec.Meta(min_length=8, max_length=200)]
    per_transaction_limit_cents: Cents | None = None
    daily_limit_cents: Cents | None = None


class ImportClient(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ref: Ref
    organiser: str
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    client_group: str
    language: Literal["fi", "sv", "en"] = "fi"
    municipality: Annotated[str, msgspec.Meta(max_length=100)] = ""
    national_id: str | None = None
    # The client's counsellor: an active counsellor's account of the same organiser. Absent: the
    # client's counsellor stays as it is (nobody, for a new client).
    counsellor_email: Annotated[str, msgspec.Meta(min_length=3, max_length=254)] | None = None
    decision: ImportDecision | None = None
    card: ImportCard | None = None
    # The client's HB classes: one per service, from a date (absent: left as they are).
    hb_classes: list["ImportClientClass"] | None = None


class ImportClientClass(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    code: Annotated[str, msgspec.Meta(max_length=16)]
    valid_from: dt.date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] = "hb import"


# --- A county's card rules: the voucher's fields of an ``organisers[]`` record ---------------------


class ImportCardConsent(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    single_cents: int
    # null: no cumulative limit (required, so that "no limit" is never a forgotten field).
    cumulative_cents: int | None


class ImportOpenAmount(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    cap_cents: int


class ImportFeeRule(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: str
    name: dict[str, str]
    kind: str
    # per_unit: cents per unit; percent: basis points of the price (1 000 = 10 %); none: 0.
    value: int = 0
    monthly_cap_cents: int | None = None
    decision_ref: str = ""

    def view(self) -> own_share.RuleView:
        return own_share.RuleView(code=self.code, name=self.name, kind=self.kind, value=self.value,
                                  monthly_cap_cents=self.monthly_cap_cents, decision_ref=self.decision_ref)


class ImportCardRules(msgspec.Struct, kw_only=True):
    """The card-rule fields of an organiser record (its other fields are the marketplace's). An
    absent field leaves that rule as it is — the default for a county that never set it."""

    ref: str
    card_consent: ImportCardConsent | UnsetType = UNSET
    price_tolerance_bp: int | UnsetType = UNSET
    open_amount: list[ImportOpenAmount] | UnsetType = UNSET
    # The county's client-fee rules (docs/decisions/0033), each added or changed by its code; rules
    # the list does not name stay as they are.
    client_fees: list[ImportFeeRule] | UnsetType = UNSET

    @property
    def names_rules(self) -> bool:
        return any(v is not UNSET for v in (self.card_consent, self.price_tolerance_bp, self.open_amount,
                                            self.client_fees))

    @property
    def names_card_rules(self) -> bool:
        return any(v is not UNSET for v in (self.card_consent, self.price_tolerance_bp, self.open_amount))

    def merged(self, current: domain.CardRules) -> domain.CardRules:
        """``current`` with what the record sets."""
        values = card_rules.to_dict(current)
        if self.card_consent is not UNSET:
            values.update(single_cents=self.card_consent.single_cents, cumulative_cents=self.card_consent.cumulative_cents)
        if self.price_tolerance_bp is not UNSET:
            values["tolerance_bp"] = self.price_tolerance_bp
        if self.open_amount is not UNSET:
            values["open_amount"] = {o.category: o.cap_cents for o in self.open_amount}
        return domain.CardRules(**values)


def _card_rule_records(doc: dict, errors: list[FieldError] | None = None) -> list[ImportCardRules]:
    """The organiser records that set card rules (a malformed one: its errors, when asked)."""
    items = doc.get("organisers", [])
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("ref"), str):
            continue  # the marketplace names what is wrong with the record itself
        try:
            parsed = msgspec.convert(item, ImportCardRules)
        except msgspec.ValidationError as exc:
            if errors is not None:
                errors.append(from_validation(str(exc), field=_nested_field(str(exc)), ref=item["ref"]))
            continue
        if parsed.names_rules:
            out.append(parsed)
    return out


def _nested_field(message: str) -> str:
    """The field a msgspec message names, a missing or unknown one inside its object too
    (``card_consent.cumulative_cents``, where ``validation_path`` stops at ``card_consent``)."""
    path = validation_path(message) or ""
    named = _NAMED_FIELD.search(message)
    if named and path and path != named.group(1):
        return f"{path}.{named.group(1)}"
    return path or "card_consent"


_NAMED_FIELD = re.compile(r"Object (?:missing required|contains unknown) field `([^`]+)`")


async def validate_organisers(doc: dict, context: dict) -> list[FieldError]:
    """Every problem with the card rules the file's organisers set (``voucher.domain.card_rules_errors``,
    field names as in the file)."""
    errors: list[FieldError] = []
    categories: set[str] = set(context.get("category_refs", ()))
    for record in _card_rule_records(doc, errors):
        if record.open_amount is not UNSET:
            seen: set[str] = set()
            for i, item in enumerate(record.open_amount):
                if item.category in seen:
                    errors.append(FieldError(field=f"open_amount[{i}].category", key="voucher.error.duplicate_open_amount",
                                             ref=record.ref))
                seen.add(item.category)
        if record.client_fees is not UNSET:
            codes: set[str] = set()
            for i, fee in enumerate(record.client_fees):
                if fee.code in codes:
                    errors.append(FieldError(field=f"client_fees[{i}].code", key="import.duplicate_ref", ref=record.ref))
                codes.add(fee.code)
                for err in own_share.rule_errors(fee.view(), f"client_fees[{i}]."):
                    errors.append(FieldError(field=err.field, key=err.key, ref=record.ref))
        # The rules a record sets are checked beside the defaults (no rule's check depends on one
        # the record does not set); the stored ones are merged in when the file is applied.
        rules = record.merged(domain.CardRules())
        errors += [FieldError(field=field, key=f"voucher.error.{key}", ref=record.ref)
                   for field, key in domain.card_rules_errors(rules, categories)]
    return errors + _hb_errors(doc, categories)


async def apply_organisers(doc: dict, ids: dict, actor: Actor, counters: dict) -> None:
    """Write the (validated) card rules of the file's organisers in the caller's transaction: each
    record's rules merged into the county's current ones, saved when they differ (audited)."""
    await _apply_hb(doc, ids, actor, counters)
    records = _card_rule_records(doc)
    if not records:
        return
    known = await marketplace_port.category_codes()
    for record in records:
        organiser_id = ids["organisers"][record.ref]
        for fee in record.client_fees or []:
            if await own_share.save_rule(actor, organiser_id, fee.view(), reason="hb import"):
                counters["updated"] += 1
        if not record.names_card_rules:
            continue
        merged = record.merged(await card_rules.rules_for(organiser_id))
        if await card_rules.save(actor, organiser_id, merged, known_categories=known, reason="hb import"):
            counters["updated"] += 1


# --- A county's HB classes and tariffs: ``organisers[].hb_classes`` and ``hb_service_tariffs`` ------


class ImportTariff(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    valid_from: dt.date
    cents_per_unit: int


class ImportServiceTariff(ImportTariff, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


class ImportHbClass(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    code: Annotated[str, msgspec.Meta(min_length=1, max_length=16)]
    names: dict[str, Annotated[str, msgspec.Meta(max_length=200)]]
    criteria: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    units_per_month: int
    unit: str
    active: bool = True
    tariffs: list[ImportTariff] = []


class ImportHbClasses(msgspec.Struct, kw_only=True):
    """The HB fields of an organiser record: absent leaves the county's classes and tariffs as they
    are; listed classes are created or changed, listed tariffs added (a tariff is never removed or
    changed: the same one again writes nothing)."""

    ref: str
    hb_classes: list[ImportHbClass] | UnsetType = UNSET
    hb_service_tariffs: list[ImportServiceTariff] | UnsetType = UNSET


def _hb_records(doc: dict, errors: list[FieldError] | None = None) -> list[ImportHbClasses]:
    items = doc.get("organisers", [])
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("ref"), str):
            continue
        if "hb_classes" not in item and "hb_service_tariffs" not in item:
            continue
        try:
            out.append(msgspec.convert({k: item[k] for k in ("ref", "hb_classes", "hb_service_tariffs") if k in item},
                                       ImportHbClasses))
        except msgspec.ValidationError as exc:
            if errors is not None:
                errors.append(from_validation(str(exc), field=validation_path(str(exc)) or "hb_classes", ref=item["ref"]))
    return out


def _class_input(c: ImportHbClass) -> hb_classes.ClassInput:
    return hb_classes.ClassInput(category=c.category, code=c.code, names=c.names, criteria=c.criteria,
                                 units_per_month=c.units_per_month, unit=c.unit, active=c.active)


def _hb_errors(doc: dict, categories: set[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    for record in _hb_records(doc, errors):
        seen: set[tuple[str, str]] = set()
        for i, c in enumerate(record.hb_classes or []):
            prefix = f"hb_classes[{i}]."
            errors += [FieldError(field=e.field, key=e.key, params=e.params, ref=record.ref)
                       for e in hb_classes.class_field_errors(_class_input(c), categories, prefix)]
            if (c.category, c.code) in seen:
                errors.append(FieldError(field=prefix + "code", key="import.duplicate_ref", ref=record.ref))
            seen.add((c.category, c.code))
            dates: set[dt.date] = set()
            for j, t in enumerate(c.tariffs):
                if not 0 < t.cents_per_unit <= domain_tariffs.MAX_CENTS_PER_UNIT:
                    errors.append(FieldError(field=f"{prefix}tariffs[{j}].cents_per_unit",
                                             key="voucher.error.hb_tariff_range", ref=record.ref))
                if t.valid_from in dates:
                    errors.append(FieldError(field=f"{prefix}tariffs[{j}].valid_from",
                                             key="voucher.error.hb_tariff_exists", ref=record.ref))
                dates.add(t.valid_from)
        for j, t in enumerate(record.hb_service_tariffs or []):
            if t.category not in categories:
                errors.append(FieldError(field=f"hb_service_tariffs[{j}].category",
                                         key="voucher.error.unknown_category", ref=record.ref))
            if not 0 < t.cents_per_unit <= domain_tariffs.MAX_CENTS_PER_UNIT:
                errors.append(FieldError(field=f"hb_service_tariffs[{j}].cents_per_unit",
                                         key="voucher.error.hb_tariff_range", ref=record.ref))
    return errors


async def _apply_hb(doc: dict, ids: dict, actor: Actor, counters: dict) -> None:
    records = _hb_records(doc)
    if not records:
        return
    known = await marketplace_port.category_codes()
    today = domain.helsinki_date(utcnow())
    for record in records:
        organiser_id = ids["organisers"][record.ref]
        # A class (or service) with no tariff yet may bring its whole history, in date order; one
        # that has tariffs gets new ones only from today on (voucher.tariffs.tariff_error).
        had = {(category, t.class_code) for category, t in await hb_classes.tariffs_of(organiser_id)}
        try:
            for i, c in enumerate(record.hb_classes or []):
                if await hb_classes.save_class(actor, organiser_id, _class_input(c), known_categories=known, reason="hb import"):
                    counters["updated"] += 1
                for j, t in sorted(enumerate(c.tariffs), key=lambda item: item[1].valid_from):
                    tariff = hb_classes.TariffInput(category=c.category, class_code=c.code, valid_from=t.valid_from,
                                                    cents_per_unit=t.cents_per_unit)
                    if await hb_classes.add_tariff(actor, organiser_id, tariff, known_categories=known, reason="hb import",
                                                   today=today if (c.category, c.code) in had else None,
                                                   prefix=f"hb_classes[{i}].tariffs[{j}]."):
                        counters["updated"] += 1
            for j, t in sorted(enumerate(record.hb_service_tariffs or []), key=lambda item: item[1].valid_from):
                tariff = hb_classes.TariffInput(category=t.category, valid_from=t.valid_from, cents_per_unit=t.cents_per_unit)
                if await hb_classes.add_tariff(actor, organiser_id, tariff, known_categories=known, reason="hb import",
                                               today=today if (t.category, "") in had else None,
                                               prefix=f"hb_service_tariffs[{j}]."):
                    counters["updated"] += 1
        except Invalid as exc:  # a tariff that would rewrite history: the whole file fails, naming it
            raise Invalid("import.invalid", errors=[FieldError(field=e.field, key=e.key, params=e.params, ref=record.ref)
                                                    for e in exc.errors or []]) from None


# --- Clients -----------------------------------------------------------------------------------


def _parse(doc: dict, errors: list[FieldError]) -> list[ImportClient]:
    items = doc.get("clients", [])
    if not isinstance(items, list):
        errors.append(FieldError(field="clients", key="import.not_a_list"))
        return []
    parsed = []
    for index, item in enumerate(items):
        ref = item.get("ref") if isinstance(item, dict) else None
        try:
            parsed.append(msgspec.convert(item, ImportClient))
        except msgspec.ValidationError as exc:
            errors.append(from_validation(str(exc), field=(validation_path(str(exc)) or "record") if ref else f"clients[{index}]",
                                          ref=str(ref) if ref else None))
    return parsed


async def validate_clients(doc: dict, context: dict) -> list[FieldError]:
    """Every problem with the file's clients, decisions and cards, as ``{ref, field, message}``."""
    errors: list[FieldError] = []
    clients = _parse(doc, errors)
    organisers: set[str] = set(context.get("organiser_refs", ()))
    categories: set[str] = set(context.get("category_refs", ()))
    seen: set[str] = set()
    fee_codes: dict[str, set[str]] = {}

    def add(record_ref: str, field: str, key: str, **params) -> None:
        errors.append(FieldError(field=field, key=key, params=params, ref=record_ref))

    for c in clients:
        for ref in (c.ref, c.decision and c.decision.ref, c.card and c.card.ref):
            if ref and ref in seen:
                add(ref, "ref", "import.duplicate_ref")
            if ref:
                seen.add(ref)
        if c.organiser not in organisers:
            add(c.ref, "organiser", "voucher.error.unknown_ref", ref=c.organiser)
        if err := budgets.pseudonym_error(c.display_name):
            errors.append(FieldError(field=err.field, key=err.key, params=err.params, ref=c.ref))
        if c.client_group not in budgets.CLIENT_GROUPS:
            add(c.ref, "client_group", "field.choice", choices=", ".join(budgets.CLIENT_GROUPS))
        if c.decision:
            specs = [_spec(line) for line in c.decision.lines]
            for err in budgets.decision_field_errors(c.decision.start, c.decision.end, specs, categories, "decision."):
                errors.append(FieldError(field=err.field, key=err.key, params=err.params, ref=c.decision.ref))
            known_fees = fee_codes.get(c.organiser)
            if known_fees is None:
                known_fees = fee_codes[c.organiser] = await _fee_codes(doc, c.organiser)
            for i, line in enumerate(c.decision.lines):
                if line.fee_rule and line.fee_rule not in known_fees:
                    add(c.decision.ref, f"decision.lines[{i}].fee_rule", "voucher.error.unknown_fee_rule")
        if c.card and c.card.token.strip() != c.card.token:
            add(c.card.ref, "card.token", "field.surrounding_spaces")
    errors += await _counsellor_errors(clients)
    # Refs already used by another client's decision or card would be taken over: refuse.
    for c in clients:
        existing = await Client.select(Client.id).where(Client.ref == c.ref).first().run()
        owner = existing["id"] if existing else None
        if c.decision:
            row = await BudgetDecision.select(BudgetDecision.client).where(BudgetDecision.ref == c.decision.ref).first().run()
            if row and row["client"] != owner:
                add(c.decision.ref, "decision.ref", "import.duplicate_ref")
        if c.card:
            row = await Card.select(Card.client).where(Card.ref == c.card.ref).first().run()
            if row and row["client"] != owner:
                add(c.card.ref, "card.ref", "import.duplicate_ref")
    return errors


async def _counsellors(clients: list[ImportClient]) -> dict[str, str | None]:
    """Client ref → the id of the counsellor its ``counsellor_email`` names (None: no such active
    counsellor of the client's organiser; an organiser only in this file has none yet)."""
    named = [c for c in clients if c.counsellor_email is not None]
    organisers = await marketplace_port.organiser_ids_by_ref() if named else {}
    out: dict[str, str | None] = {}
    for c in named:
        organiser_id = organisers.get(c.organiser)
        found = await identity.user_by_email(c.counsellor_email, "counsellor", organiser_id) if organiser_id else None
        out[c.ref] = found.id if found else None
    return out


async def _counsellor_errors(clients: list[ImportClient]) -> list[FieldError]:
    return [FieldError(field="counsellor_email", key="voucher.error.import_counsellor", ref=ref)
            for ref, counsellor_id in (await _counsellors(clients)).items() if counsellor_id is None]


async def owners(doc: dict) -> dict[str, dict[str, str]]:
    """The organiser (id) of every client, decision and card the file names by a ref the platform
    already holds, per kind; the file may be malformed (this runs beside validation)."""
    items = [c for c in doc.get("clients", []) if isinstance(c, dict)] if isinstance(doc.get("clients"), list) else []

    def refs(part: str | None) -> list[str]:
        found = [(c.get(part) if part else c) for c in items]
        return [p["ref"] for p in found if isinstance(p, dict) and isinstance(p.get("ref"), str)]

    out: dict[str, dict[str, str]] = {"clients": {}, "decisions": {}, "cards": {}}
    if wanted := refs(None):
        for r in await Client.select(Client.ref, Client.organiser_id).where(Client.ref.is_in(wanted)).run():
            out["clients"][r["ref"]] = str(r["organiser_id"])
    if wanted := refs("decision"):
        for r in await BudgetDecision.select(BudgetDecision.ref, BudgetDecision.organiser_id).where(
                BudgetDecision.ref.is_in(wanted)).run():
            out["decisions"][r["ref"]] = str(r["organiser_id"])
    if wanted := refs("card"):
        for r in await Card.select(Card.ref, Card.client.organiser_id.as_alias("organiser_id")).where(
                Card.ref.is_in(wanted)).run():
            out["cards"][r["ref"]] = str(r["organiser_id"])
    return out


async def _fee_codes(doc: dict, organiser_ref: str) -> set[str]:
    """The client-fee codes an organiser will have: its record's ``client_fees`` and those it has."""
    codes = {fee.code for r in _card_rule_records(doc) if r.ref == organiser_ref for fee in r.client_fees or []}
    organiser_id = (await marketplace_port.organiser_ids_by_ref()).get(organiser_ref)
    return codes | {rule.code for rule in await own_share.rules_of(organiser_id)}


def _spec(line: ImportLine) -> domain.LineSpec:
    return domain.LineSpec(category=line.category, amount_cents=line.amount_cents, may_fund=tuple(line.may_fund),
                           swap_cap_cents=line.swap_cap_cents, fee_rule=line.fee_rule)


async def apply_clients(
    doc: dict, ids: dict, actor: Actor, counters: dict, settings: Settings | None = None
) -> dict[str, str]:
    """Write the (validated) clients in the caller's transaction; returns ref → platform id."""
    settings = settings or Settings.from_env()
    clients = msgspec.convert(doc.get("clients", []), list[ImportClient])
    known = await marketplace_port.category_codes()
    refs: dict[str, str] = {}
    counsellors = await _counsellors(clients)
    for c in clients:
        organiser_id = ids["organisers"][c.organiser]
        client = await _upsert_client(actor, c, organiser_id, counsellors.get(c.ref), settings, counters)
        refs[c.ref] = str(client["id"])
        if c.decision:
            refs[c.decision.ref] = str(await _upsert_decision(actor, client, c.decision, known, counters))
        if c.card:
            refs[c.card.ref] = str(await _upsert_card(actor, client, c.card, settings, counters))
        if c.hb_classes:
            await _upsert_client_classes(actor, client, c.hb_classes, counters)
    return refs


async def _upsert_client_classes(actor: Actor, client: dict, classes: list[ImportClientClass], counters: dict) -> None:
    """Each listed class the client does not have from that date already is set (audited)."""
    history = await hb_classes.client_class_history(client["id"])
    have = {(h.category, h.class_code, h.valid_from) for h in history}
    for c in classes:
        if (c.category, c.code, c.valid_from) in have:
            continue
        try:
            await hb_classes.record_client_class(actor, client, hb_classes.ClientClassInput(
                category=c.category, class_code=c.code, valid_from=c.valid_from, reason=c.reason))
        except Invalid as exc:
            raise Invalid("import.invalid", errors=[FieldError(field=f"hb_classes.{e.field}", key=e.key, params=e.params,
                                                               ref=client["ref"]) for e in exc.errors or []]) from None
        counters["created"] += 1


async def _upsert_client(actor: Actor, c: ImportClient, organiser_id: Any, counsellor_id: str | None,
                         settings: Settings, counters: dict) -> dict:
    values = {
        "organiser_id": organiser_id,
        "display_name": c.display_name.strip(),
        "client_group": c.client_group,
        "language": c.language,
        "municipality": c.municipality,
    }
    if c.counsellor_email is not None:
        if counsellor_id is None:  # validated before the transaction; gone since (deactivated)
            raise Invalid("import.invalid", errors=[
                FieldError(field="counsellor_email", key="voucher.error.import_counsellor", ref=c.ref)])
        values["counsellor_id"] = as_uuid(counsellor_id)
    row = await Client.select().where(Client.ref == c.ref).first().run()
    if c.national_id:
        values["national_id_hash"] = budgets.national_id_hash(settings.secret_key, organiser_id, c.national_id)
        # One record of a person per county (the hash is unique): the same person under a second
        # ref — in this file or already on the platform — is refused, and the transaction with it.
        holder = await Client.select(Client.id).where(Client.national_id_hash == values["national_id_hash"]).first().run()
        if holder and (row is None or holder["id"] != row["id"]):
            raise Conflict("voucher.error.national_id_in_use", field="national_id", errors=[
                FieldError(field="national_id", key="voucher.error.national_id_in_use", ref=c.ref)])
    if row is None:
        client = Client(ref=c.ref, **values)
        await Client.insert(client).run()
        counters["created"] += 1
        if client.counsellor_id:
            await _counsellor_changed(actor, client.id, organiser_id, None, client.counsellor_id)
        return await Client.select().where(Client.id == client.id).first().run()
    changed = {k: v for k, v in values.items() if str(row[k]) != str(v)}
    if changed:
        await Client.update({getattr(Client, k): v for k, v in changed.items()}).where(Client.id == row["id"]).run()
        counters["updated"] += 1
        if "counsellor_id" in changed:
            await _counsellor_changed(actor, row["id"], organiser_id, row["counsellor_id"], changed["counsellor_id"])
    return {**row, **changed}


async def _counsellor_changed(actor: Actor, client_id: Any, organiser_id: Any, old: Any, new: Any) -> None:
    """The same audit entry as a hand-over on a page (voucher.caseload)."""
    await audit.record(actor, "voucher.client.counsellor_changed", "client", client_id, organiser_id=organiser_id,
                       reason="hb import", details={"from": str(old) if old else None, "to": str(new) if new else None})


def _lines_input(d: ImportDecision) -> list[LineInput]:
    return [LineInput(category=l.category, amount_cents=l.amount_cents, may_fund=list(l.may_fund),
                      swap_cap_cents=l.swap_cap_cents, hb_class=l.hb_class, override_reason=l.override_reason,
                      fee_rule=l.fee_rule)
            for l in d.lines]


async def _upsert_decision(actor: Actor, client: dict, d: ImportDecision, known: set[str], counters: dict) -> Any:
    row = await BudgetDecision.select().where(BudgetDecision.ref == d.ref).first().run()
    if row is None:
        counters["created"] += 1
        # The same rule as a counsellor's new decision: none while the latest suitability is not "suitable".
        await assessments.require_decision_allowed(client["id"], ref=d.ref)
        return await budgets.insert_decision(
            actor, client, DecisionCreate(start=d.start, end=d.end, lines=_lines_input(d), reason=d.reason), ref=d.ref
        )
    current = await BudgetLine.select().where(BudgetLine.decision == row["id"]).order_by(BudgetLine.position).output(
        load_json=True
    ).run()
    now_lines = [(l["category"], l["granted_cents"], list(l["may_fund"] or []), l["swap_cap_cents"], l["hb_class"],
                  l["override_reason"] or "", l["fee_rule"]) for l in current]
    new_lines = [(l.category, l.amount_cents, list(l.may_fund), l.swap_cap_cents, l.hb_class,
                  l.override_reason.strip() if l.hb_class else "", l.fee_rule) for l in d.lines]
    if (row["start"], row["end"], now_lines) == (d.start, d.end, new_lines):
        return row["id"]
    counters["updated"] += 1
    change = DecisionUpdate(reason=d.reason, start=d.start, end=d.end, lines=_lines_input(d))
    return await budgets.apply_decision_change(actor, client, row, change, known)


async def _upsert_card(actor: Actor, client: dict, c: ImportCard, settings: Settings, counters: dict) -> Any:
    hashed = cards.token_hash(settings.secret_key, c.token)
    row = await Card.select().where(Card.ref == c.ref).first().run()
    if await Card.exists().where((Card.token_hash == hashed) & (Card.ref.is_null() | (Card.ref != c.ref))).run():
        # Another card has this token: the whole import fails, naming the record.
        raise Invalid("import.invalid", errors=[FieldError(field="card.token", key="voucher.error.token_in_use", ref=c.ref)])
    if row is None:
        counters["created"] += 1
        created = await cards.insert_card(
            client["id"], c.token, settings.secret_key, ref=c.ref,
            per_transaction_limit_cents=c.per_transaction_limit_cents, daily_limit_cents=c.daily_limit_cents,
        )
        await audit.record(actor, "voucher.card.imported", "card", created["id"], organiser_id=client["organiser_id"])
        return created["id"]
    values = {
        "token_hash": hashed,
        "token_hint": c.token[-4:],
        "per_transaction_limit_cents": c.per_transaction_limit_cents,
        "daily_limit_cents": c.daily_limit_cents,
    }
    changed = {k: v for k, v in values.items() if row[k] != v}
    if changed:
        await Card.update({getattr(Card, k): v for k, v in changed.items()}).where(Card.id == row["id"]).run()
        await audit.record(actor, "voucher.card.imported", "card", row["id"], organiser_id=client["organiser_id"],
                           details={"changed": sorted(changed)})
        counters["updated"] += 1
    return row["id"]
