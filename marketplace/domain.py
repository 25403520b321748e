"""Pure marketplace rules: validation of providers and listings, and the approval state machine.

No I/O here: services pass in what they read and act on what comes back.
"""

import re

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
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
