"""Validation of an `hb-import/1` document: every problem with every record, collected as
``{ref, field, message}`` before anything is written (the import is all or nothing). The clients
section and the organisers' card rules are the voucher's to check, through ``ClientRecords``."""

from typing import Any, Protocol

from core.errors import FieldError
from core.identity import Actor
from marketplace import domain
from marketplace.organisers import organiser_errors
from marketplace.tables import Organiser, Provider, ServiceCategory

FORMAT = "hb-import/1"
# The fields of an organiser record that are the voucher's: the county's card rules and client-fee rules.
CARD_RULE_FIELDS = ("card_consent", "price_tolerance_bp", "open_amount", "client_fees")


class ClientRecords(Protocol):
    """The voucher's parts of a file: the ``clients`` section (clients, budget decisions, cards) and
    the card rules of the ``organisers`` (``CARD_RULE_FIELDS``): ``voucher.importer``."""

    async def validate_clients(self, doc: dict, context: dict) -> list[FieldError]: ...

    async def validate_organisers(self, doc: dict, context: dict) -> list[FieldError]:
        """Problems with the card rules the file's organisers set."""
        ...

    async def apply_organisers(self, doc: dict, ids: dict, actor: Actor, counters: dict) -> None:
        """Write the organisers' card rules (after the organisers and categories are written)."""
        ...

    async def owners(self, doc: dict) -> dict[str, dict[str, str]]:
        """For each kind ("clients", "decisions", "cards"): ref → organiser id of every record the
        file names that the platform already holds."""
        ...

    async def apply_clients(self, doc: dict, ids: dict, actor: Actor, counters: dict, settings=None) -> dict[str, str]: ...


class _Errors:
    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, ref: Any, field: str, key: str, **params) -> None:
        self.items.append(FieldError(field=field, key=key, params=params, ref=str(ref) if ref is not None else None))

    def extend(self, ref: Any, errors: list[FieldError], prefix: str = "") -> None:
        for err in errors:
            self.items.append(FieldError(field=prefix + err.field, key=err.key, params=err.params, ref=str(ref)))


async def _kind_of(provider_ref: Any, kinds: dict[str, str]) -> str:
    """The kind of the provider a listing names: as the file gives it, else as registered."""
    if provider_ref in kinds:
        return kinds[provider_ref]
    if isinstance(provider_ref, str):
        row = await Provider.select(Provider.kind).where(Provider.ref == provider_ref).first().run()
        if row:
            return row["kind"]
    return domain.DEFAULT_KIND


def _records(doc: dict, section: str, errors: _Errors) -> list[dict]:
    value = doc.get(section, [])
    if not isinstance(value, list):
        errors.add(None, section, "import.not_a_list")
        return []
    seen: set[str] = set()
    out = []
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            errors.add(None, f"{section}[{index}]", "import.not_an_object")
            continue
        ref = item.get("ref")
        if not isinstance(ref, str) or not ref.strip() or len(ref) > 100:
            errors.add(None, f"{section}[{index}].ref", "field.required")
            continue
        if ref in seen:
            errors.add(ref, "ref", "import.duplicate_ref")
            continue
        seen.add(ref)
        out.append(item)
    return out


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _approvals_ok(item: dict, organiser_refs: set[str], errors: _Errors) -> None:
    approvals = item.get("approvals", [])
    if not isinstance(approvals, list):
        errors.add(item["ref"], "approvals", "import.not_a_list")
        return
    for i, approval in enumerate(approvals):
        if not isinstance(approval, dict) or approval.get("organiser") not in organiser_refs:
            errors.add(item["ref"], f"approvals[{i}].organiser", "import.unknown_ref")
        elif approval.get("status") not in domain.APPROVAL_STATUSES:
            errors.add(item["ref"], f"approvals[{i}].status", "field.choice", choices=", ".join(domain.APPROVAL_STATUSES))


def _texts_ok(ref: str, field: str, texts: dict, max_len: int, errors: "_Errors") -> None:
    """Each language's text by the same rule as the forms and the API (length, no bidi controls)."""
    for lang, value in texts.items():
        if not isinstance(value, str):
            errors.add(ref, f"{field}.{lang}", "field.text")
        elif err := domain.text_error(value, f"{field}.{lang}", max_len):
            errors.extend(ref, [err])


async def validate(doc: Any, clients: ClientRecords | None = None) -> tuple[list[FieldError], dict]:
    errors = _Errors()
    if not isinstance(doc, dict):
        errors.add(None, "format", "import.not_an_object")
        return errors.items, {}
    if doc.get("format") != FORMAT:
        errors.add(None, "format", "import.bad_format", expected=FORMAT)
    organisers = _records(doc, "organisers", errors)
    categories = _records(doc, "categories", errors)
    providers = _records(doc, "providers", errors)
    listings = _records(doc, "listings", errors)

    known_org_refs = {r["ref"] for r in await Organiser.select(Organiser.ref).where(Organiser.ref.is_not_null()).run()}
    organiser_refs = known_org_refs | {o["ref"] for o in organisers}
    known_categories = {r["code"] for r in await ServiceCategory.select(ServiceCategory.code).run()}
    category_refs = known_categories | {c["ref"] for c in categories}
    known_provider_refs = {r["ref"] for r in await Provider.select(Provider.ref).where(Provider.ref.is_not_null()).run()}
    provider_refs = known_provider_refs | {p["ref"] for p in providers}

    for o in organisers:
        # The one rule of an organiser record, the platform admin's form and API use it too.
        errors.extend(o["ref"], organiser_errors(o))
    for c in categories:
        names = c.get("names")
        if not isinstance(names, dict) or not isinstance(names.get("fi"), str) or not names["fi"].strip():
            errors.add(c["ref"], "names.fi", "field.required")
        else:
            _texts_ok(c["ref"], "names", names, 200, errors)
        if not isinstance(c.get("traditional", True), bool):
            errors.add(c["ref"], "traditional", "field.yes_no")
        if not _str_list(c.get("requirements", [])):
            errors.add(c["ref"], "requirements", "import.not_a_list")
        by_kind = c.get("requirements_by_kind", {})
        if not isinstance(by_kind, dict) or any(k not in domain.PROVIDER_KINDS or not _str_list(v) for k, v in by_kind.items()):
            errors.add(c["ref"], "requirements_by_kind", "field.structure")
        if len(c["ref"]) > 64:
            errors.add(c["ref"], "ref", "field.too_long", max=64)
    business_ids: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for p in providers:
        ref = p["ref"]
        kind = p.get("kind", domain.DEFAULT_KIND)
        texts = {f: p.get(f, "") for f in ("business_id", "iban", "invoicing_service_name", "payment_reference")}
        if not isinstance(kind, str) or any(not isinstance(v, str) for v in texts.values()):
            errors.add(ref, "kind", "field.structure")
        else:
            # The same rule per kind as the registration form and the API (decision 0036).
            errors.extend(ref, domain.kind_errors(kind, **texts))
            kinds[ref] = kind
        value = p.get("email")
        if err := domain.email_error(value if isinstance(value, str) else None):
            errors.extend(ref, [err])
        if err := domain.text_error(p.get("name") if isinstance(p.get("name"), str) else None, "name", 200, required=True):
            errors.extend(ref, [err])
        if isinstance(p.get("business_id"), str) and p["business_id"].strip() and not domain.business_id_error(p["business_id"]):
            bid = domain.normalise_business_id(p["business_id"])
            if bid in business_ids:
                errors.add(ref, "business_id", "provider.business_id_taken")
            business_ids[bid] = ref
            owner = await Provider.select(Provider.ref).where(Provider.business_id == bid).first().run()
            if owner and owner["ref"] != ref:
                errors.add(ref, "business_id", "provider.business_id_taken")
        if not _str_list(p.get("languages", [])):
            errors.add(ref, "languages", "import.not_a_list")
        else:
            errors.extend(ref, domain.choice_errors(p.get("languages", []), domain.LANGUAGES, "languages"))
        if not _str_list(p.get("municipalities", [])):
            errors.add(ref, "municipalities", "import.not_a_list")
        evidence = p.get("evidence", {})
        if not isinstance(evidence, dict) or not all(isinstance(v, bool) for v in evidence.values()):
            errors.add(ref, "evidence", "field.structure")
        if "phone" in p and (not isinstance(p["phone"], str) or (p["phone"] and not domain.PHONE.match(p["phone"]))):
            errors.add(ref, "phone", "provider.phone_invalid")
        if not isinstance(p.get("issue_api_key", False), bool):
            errors.add(ref, "issue_api_key", "field.yes_no")
        _approvals_ok(p, organiser_refs, errors)
    for item in listings:
        ref = item["ref"]
        if item.get("provider") not in provider_refs:
            errors.add(ref, "provider", "import.unknown_ref")
        if item.get("category") not in category_refs:
            errors.add(ref, "category", "provider.unknown_category")
        title = item.get("title")
        if not isinstance(title, dict) or not isinstance(title.get("fi"), str) or not title["fi"].strip():
            errors.add(ref, "title.fi", "field.required")
        else:
            _texts_ok(ref, "title", title, 200, errors)
        description = item.get("description", {})
        if not isinstance(description, dict) or any(not isinstance(v, str) for v in description.values()):
            errors.add(ref, "description", "field.structure")
        else:
            _texts_ok(ref, "description", description, 4000, errors)
        price = item.get("price_cents")
        if not domain.price_valid(price):
            errors.add(ref, "price_cents", "listing.price_invalid")
        elif not domain.paid_listing_allowed(await _kind_of(item.get("provider"), kinds), price):
            errors.add(ref, "price_cents", "listing.private_free_only")
        if item.get("unit") not in domain.UNITS:
            errors.add(ref, "unit", "field.choice", choices=", ".join(domain.UNITS))
        if item.get("delivery_mode") not in domain.DELIVERY_MODES:
            errors.add(ref, "delivery_mode", "field.choice", choices=", ".join(domain.DELIVERY_MODES))
        if not isinstance(item.get("municipality"), str) or not item["municipality"].strip():
            errors.add(ref, "municipality", "field.required")
        for list_field, allowed in (("languages", domain.LANGUAGES), ("accessibility", domain.ACCESSIBILITY)):
            if not _str_list(item.get(list_field, [])):
                errors.add(ref, list_field, "import.not_a_list")
            else:
                errors.extend(ref, domain.choice_errors(item.get(list_field, []), allowed, list_field))
        capacity = item.get("capacity", 1)
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not (1 <= capacity <= 1000):
            errors.add(ref, "capacity", "listing.capacity_invalid")
        if "address" in item and (not isinstance(item["address"], str) or len(item["address"]) > 300):
            errors.add(ref, "address", "field.too_long", max=300)
        _approvals_ok(item, organiser_refs, errors)
    context = {"organiser_refs": organiser_refs, "category_refs": category_refs, "provider_refs": provider_refs}
    if clients is not None:
        errors.items.extend(await clients.validate_organisers(doc, context))
    else:
        for o in organisers:
            errors.items.extend(FieldError(field=name, key="import.card_rules_unsupported", ref=o["ref"])
                                for name in CARD_RULE_FIELDS if name in o)
    if doc.get("clients") and clients is not None:
        errors.items.extend(await clients.validate_clients(doc, context))
    elif doc.get("clients"):
        errors.add(None, "clients", "import.clients_unsupported")
    return errors.items, context
