"""Pure marketplace rules: validation of providers and listings, and the approval state machine.

No I/O here: services pass in what they read and act on what comes back.
"""

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum import iso11649
from stdnum.fi import ytunnus

from core.errors import Conflict, FieldError
from core.i18n import Key
from core.text import text_error  # noqa: F401 - the marketplace's text fields use the one check

UNITS = ("session", "hour", "day", "km", "package")
DELIVERY_MODES = ("at_provider", "at_client_home", "online")
LANGUAGES = ("fi", "sv", "en", "se", "ru", "et", "ar", "so", "fa", "uk", "sgn")
CONTENT_LANGS = ("fi", "sv", "en")
ACCESSIBILITY = (
    "wheelchair_access",
    "accessible_toilet",
    "lift",
    "hearing_loop",
    "easy_read",
    "large_print",
    "sign_language",
    "guide_dog_welcome",
    "step_free_transport",
)
APPROVAL_STATUSES = ("pending", "approved", "rejected", "changes_requested", "suspended")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
MAX_PRICE_CENTS = 10_000_000
# A free activity is priced 0 (docs/decisions/0037): it is listed, searched ("Maksuton") and booked
# like any other, but its booking moves no money. The price is still required: missing is an error.
FREE_PRICE_CENTS = 0

# The organiser's decisions on a provider or a listing, as transitions between statuses.
# Anything not listed here is refused with 409.
TRANSITIONS: dict[str, dict[str, str]] = {
    "pending": {"approve": "approved", "reject": "rejected", "request_changes": "changes_requested"},
    "changes_requested": {"resubmit": "pending", "reject": "rejected"},
    "rejected": {"resubmit": "pending"},
    "approved": {"suspend": "suspended", "reject": "rejected"},
    "suspended": {"reinstate": "approved", "reject": "rejected"},
}
DECISIONS = ("approve", "reject", "request_changes", "suspend", "reinstate")
# A decision that tells the provider "no" or "not yet" must say why.
REASON_REQUIRED = {"reject", "request_changes", "suspend"}


# A provider's approval covers the categories approved with it (marketplace.category_approvals).
# A category the provider adds later is an application of its own to each organiser; the organiser
# may also withdraw a category it approved.
CATEGORY_TRANSITIONS: dict[str, dict[str, str]] = {
    "pending": {"approve": "approved", "reject": "rejected"},
    "approved": {"reject": "rejected"},
}
# Approval statuses an organiser granted: evidence changed under them waits for its review.
GRANTED = ("approved", "suspended")


def price_valid(price: object) -> bool:
    """A listing's price: whole cents, 0 (free, explicit) up to ``MAX_PRICE_CENTS``; a missing,
    negative, fractional or boolean price is not one."""
    return isinstance(price, int) and not isinstance(price, bool) and FREE_PRICE_CENTS <= price <= MAX_PRICE_CENTS


def is_free(price_cents: object) -> bool:
    """A free activity (a valid price of exactly 0): no hold, no capture, no settlement."""
    return price_valid(price_cents) and price_cents == FREE_PRICE_CENTS


def next_status(current: str, action: str, transitions: dict[str, dict[str, str]] = TRANSITIONS) -> str:
    target = transitions.get(current, {}).get(action)
    if target is None:
        raise Conflict("approval.illegal_transition", field="action", status=Key(f"status.{current}"), action=action)
    return target


def provider_next_status(current: str, action: str, evidence_waiting: bool) -> str:
    """The organiser's decision on a provider's approval. While changed evidence waits for review,
    ``approve`` on an approved provider accepts the evidence and the approval stays approved."""
    if action == "approve" and current == "approved" and evidence_waiting:
        return "approved"
    return next_status(current, action)


def provider_actions(current: str, evidence_waiting: bool) -> list[str]:
    """The decisions an organiser may make on a provider's approval now."""
    actions = set(TRANSITIONS.get(current, {})) - {"resubmit"}
    if current == "approved" and evidence_waiting:
        actions.add("approve")
    return sorted(actions)


def check_reason(action: str, reason: str | None) -> list[FieldError]:
    if action in REASON_REQUIRED and not (reason or "").strip():
        return [FieldError(field="reason", key="approval.reason_required")]
    return []


def normalise_business_id(value: str) -> str:
    """Stored as written on paper: ``1234567-8``."""
    return ytunnus.format(value or "")


def business_id_error(value: str | None, field: str = "business_id") -> FieldError | None:
    if not (value or "").strip():
        return FieldError(field=field, key="field.required")
    try:
        ytunnus.validate(value)
    except StdnumError:
        return FieldError(field=field, key="provider.business_id_invalid")
    return None


def normalise_iban(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def iban_error(value: str | None, field: str = "iban") -> FieldError | None:
    if not (value or "").strip():
        return FieldError(field=field, key="field.required")
    try:
        IBAN(normalise_iban(value))
    except (SchwiftyException, ValueError):
        return FieldError(field=field, key="provider.iban_invalid")
    return None


def email_error(value: str | None, field: str = "email") -> FieldError | None:
    if not (value or "").strip():
        return FieldError(field=field, key="field.required")
    if not EMAIL.match(value.strip()) or len(value) > 254:
        return FieldError(field=field, key="field.email")
    return None


def choice_errors(values: list[str], allowed: tuple[str, ...] | list[str], field: str) -> list[FieldError]:
    bad = [v for v in values if v not in allowed]
    if bad:
        return [FieldError(field=field, key="field.choice", params={"choices": ", ".join(allowed)})]
    return []


def requirements_for(categories: list[str], category_requirements: dict[str, list[str]]) -> list[str]:
    """Every requirement of the given categories, in a stable order."""
    seen: list[str] = []
    for code in categories:
        for req in category_requirements.get(code, []):
            if req not in seen:
                seen.append(req)
    return seen


def evidence_status(
    categories: list[str], category_requirements: dict[str, list[str]], evidence: dict[str, bool]
) -> list[tuple[str, list[str], bool]]:
    """For the review page: each requirement, the categories that need it, and whether it is shown."""
    rows = []
    for req in requirements_for(categories, category_requirements):
        needed_by = [c for c in categories if req in category_requirements.get(c, [])]
        rows.append((req, needed_by, bool(evidence.get(req))))
    return rows


def listing_summary_status(review_statuses: list[str], approval_statuses: list[str], has_unsubmitted_edits: bool) -> str:
    """How the provider sees a listing: draft, submitted, changes_requested, approved or rejected.

    ``review_statuses`` are the statuses of the reviews of the latest submitted revision.
    """
    if has_unsubmitted_edits or (not review_statuses and not approval_statuses):
        return "draft"
    if "pending" in review_statuses:
        return "submitted"
    if "changes_requested" in review_statuses:
        return "changes_requested"
    if "approved" in approval_statuses or "approved" in review_statuses:
        return "approved"
    return "rejected"


# ----- reference prices on the listing review page (issue 18, decision 0039) -----

# A price more than this many percent above the county's median for its category and unit is flagged.
PRICE_FLAG_PERCENT = 50


def median_cents(prices: list[int]) -> int | None:
    """The median of ``prices`` in whole cents (an even count: the mean of the middle two, rounded
    half up); None when there is nothing to compare with."""
    if not prices:
        return None
    ordered = sorted(prices)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle] + 1) // 2


def reference_prices(peers: list[int], price: int) -> dict:
    """What the reviewer sees beside a price: the peers' count, median and range, and whether
    ``price`` is more than PRICE_FLAG_PERCENT % above the median (strictly: exactly +50 % is not).
    Free activities (price 0, decision 0037) are no price reference: a county's free evenings would
    pull the median of its paid courses down."""
    peers = [p for p in peers if p > 0]
    median = median_cents(peers)
    if median is None:
        return {"count": 0, "median": None, "min": None, "max": None, "above_median": False}
    return {"count": len(peers), "median": median, "min": min(peers), "max": max(peers),
            "above_median": price * 100 > median * (100 + PRICE_FLAG_PERCENT)}


# ----- registry checks (issue 18, decision 0039) -----

# What a registry check compares: the provider's own statement (evidence requirement) for each.
REGISTRY_STATEMENTS = {
    "prepayment_register": "prepayment_register",
    "soteri": "private_social_services_registration",
}
REGISTRY_FACTS = ("name", "active", "trade_register", "prepayment_register", "vat_register", "soteri")


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def compare_registry(name: str, evidence: dict[str, bool], found: dict) -> list[dict]:
    """Each registry fact beside the provider's own statement: ``{"fact", "own", "registry",
    "mismatch"}``. ``own`` is None where the provider states nothing (VAT, trade register, status);
    ``registry`` is None where the registry was not asked (Soteri without its URL). A mismatch is a
    name that differs, a stated register the registry does not show (or the other way round), or a
    business ID that is not active."""
    rows = []
    for fact in REGISTRY_FACTS:
        if fact not in found or found[fact] is None:
            continue
        registry = found[fact]
        if fact == "name":
            own = name
            mismatch = not _same_name(name, registry)
        elif fact in REGISTRY_STATEMENTS:
            own = bool(evidence.get(REGISTRY_STATEMENTS[fact]))
            mismatch = own != bool(registry)
        else:
            own = None
            mismatch = fact == "active" and not registry
        rows.append({"fact": fact, "own": own, "registry": registry, "mismatch": mismatch})
    return rows


# --- Provider kinds (docs/decisions/0036) -------------------------------------------------------

# company: a business with a business ID (every provider before kinds); association: a registered
# association, which has a business ID too; light_entrepreneur: a person who invoices through an
# invoicing service (laskutuspalvelu) — the person is the provider, the service is paid;
# private_person: free or expense-free activities only, no business ID and no bank details.
PROVIDER_KINDS = ("company", "association", "light_entrepreneur", "private_person")
DEFAULT_KIND = "company"
# The kinds that are a natural person: strong e-ID identification before any approval.
PERSON_KINDS = ("light_entrepreneur", "private_person")
# The kinds with a business ID of their own.
BUSINESS_KINDS = ("company", "association")


def normalise_reference(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def finnish_reference_valid(value: str) -> bool:
    """A Finnish national reference number (viitenumero: 4–20 digits, the last a 7-3-1 check digit
    over the others from the right) or an international RF creditor reference (ISO 11649)."""
    ref = normalise_reference(value)
    if ref.startswith("RF"):
        try:
            iso11649.validate(ref)
        except StdnumError:
            return False
        return True
    if not ref.isdigit() or not 4 <= len(ref) <= 20:
        return False
    body, check = ref[:-1], int(ref[-1])
    total = sum(int(d) * (7, 3, 1)[i % 3] for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def kind_errors(
    kind: str, *, business_id: str, iban: str, invoicing_service_name: str, payment_reference: str
) -> list[FieldError]:
    """What a provider of ``kind`` must and must not give: each problem names its field.

    ``iban`` is the account payouts go to: the provider's own (company, association) or the
    invoicing service's (light entrepreneur); a private person gives none.
    """
    if kind not in PROVIDER_KINDS:
        return [FieldError(field="kind", key="field.choice", params={"choices": ", ".join(PROVIDER_KINDS)})]
    errors: list[FieldError] = []
    if kind in BUSINESS_KINDS:
        if not (business_id or "").strip():
            errors.append(FieldError(field="business_id", key="provider.business_id_required"))
        elif err := business_id_error(business_id):
            errors.append(err)
    elif (business_id or "").strip() and (err := business_id_error(business_id)):
        errors.append(err)  # a person may give a business ID of their own, but a valid one
    if kind == "private_person":
        if (iban or "").strip():
            errors.append(FieldError(field="iban", key="provider.private_no_bank"))
        if (invoicing_service_name or "").strip() or (payment_reference or "").strip():
            errors.append(FieldError(field="invoicing_service_name" if (invoicing_service_name or "").strip()
                                     else "payment_reference", key="provider.private_no_bank"))
        return errors
    if err := iban_error(iban):
        errors.append(err)
    if kind == "light_entrepreneur":
        if not (invoicing_service_name or "").strip():
            errors.append(FieldError(field="invoicing_service_name", key="provider.invoicing_service_required"))
        if not (payment_reference or "").strip():
            errors.append(FieldError(field="payment_reference", key="provider.payment_reference_required"))
        elif not finnish_reference_valid(payment_reference):
            errors.append(FieldError(field="payment_reference", key="provider.payment_reference_invalid"))
    elif (invoicing_service_name or "").strip() or (payment_reference or "").strip():
        errors.append(FieldError(field="invoicing_service_name" if (invoicing_service_name or "").strip()
                                 else "payment_reference", key="provider.invoicing_only_light"))
    return errors


def requirements_of_kind(category: dict, kind: str) -> list[str]:
    """A category's requirements for a provider of ``kind``: the organiser's list for that kind in
    ``requirements_by_kind``, else the category's ``requirements`` (companies and associations
    always, and any kind the category names no list for)."""
    by_kind = category.get("requirements_by_kind") or {}
    if kind in by_kind:
        return list(by_kind[kind] or [])
    return list(category.get("requirements") or [])


def paid_listing_allowed(kind: str, price_cents: int) -> bool:
    """A private person lists free activities only (price 0)."""
    return kind != "private_person" or price_cents == 0
