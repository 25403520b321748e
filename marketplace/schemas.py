"""HTTP bodies of the marketplace API (msgspec Structs)."""

from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Text4000 = Annotated[str, msgspec.Meta(max_length=4000)]


class EvidenceItem(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    provided: bool
    detail: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ProviderRegistration(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Text200
    email: Annotated[str, msgspec.Meta(max_length=254)]
    # company | association | light_entrepreneur | private_person (docs/decisions/0036)
    kind: Annotated[str, msgspec.Meta(max_length=32)] = "company"
    # Required for a company or an association; a person kind needs none.
    business_id: Annotated[str, msgspec.Meta(max_length=20)] = ""
    # Where payouts go: the provider's own account, a light entrepreneur's invoicing service's;
    # a private person gives none.
    iban: Annotated[str, msgspec.Meta(max_length=42)] = ""
    invoicing_service_name: Text200 = ""
    payment_reference: Annotated[str, msgspec.Meta(max_length=40)] = ""
    phone: Annotated[str, msgspec.Meta(max_length=32)] = ""
    website: Annotated[str, msgspec.Meta(max_length=300)] = ""
    description: Text4000 = ""
    languages: list[str] = []
    municipalities: list[str] = []
    categories: list[str] = []
    organisers: list[str] = []
    evidence: dict[str, EvidenceItem] = {}
    # The first staff account of the provider, created with the registration.
    contact_name: Text200 = ""
    password: Annotated[str, msgspec.Meta(max_length=200)] = ""


class ProviderUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Text200 | UnsetType = UNSET
    iban: Annotated[str, msgspec.Meta(max_length=42)] | UnsetType = UNSET
    invoicing_service_name: Text200 | UnsetType = UNSET
    payment_reference: Annotated[str, msgspec.Meta(max_length=40)] | UnsetType = UNSET
    email: Annotated[str, msgspec.Meta(max_length=254)] | UnsetType = UNSET
    phone: Annotated[str, msgspec.Meta(max_length=32)] | UnsetType = UNSET
    website: Annotated[str, msgspec.Meta(max_length=300)] | UnsetType = UNSET
    description: Text4000 | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET
    municipalities: list[str] | UnsetType = UNSET
    categories: list[str] | UnsetType = UNSET
    organisers: list[str] | UnsetType = UNSET
    evidence: dict[str, EvidenceItem] | UnsetType = UNSET
    merchant_id: Annotated[str, msgspec.Meta(max_length=100)] | None | UnsetType = UNSET


class CategoryApplicationRead(msgspec.Struct, kw_only=True):
    """One category under one organiser's approval: usable only when ``approved``."""

    id: str
    category: str
    status: str  # pending | approved | rejected
    reason: str


class ApprovalRead(msgspec.Struct, kw_only=True):
    id: str
    organiser_id: str
    organiser_name: str
    status: str
    reason: str
    decided_at: str | None
    categories: list[CategoryApplicationRead] = []
    # Evidence changed after the organiser's decision and waits for its review.
    evidence_under_review: bool = False


class ProviderRead(msgspec.Struct, kw_only=True):
    id: str
    name: str
    kind: str
    business_id: str | None
    iban: str
    invoicing_service_name: str
    payment_reference: str
    identified_with_eid_at: str | None
    email: str
    phone: str
    website: str
    description: str
    languages: list[str]
    municipalities: list[str]
    categories: list[str]
    evidence: dict[str, EvidenceItem]
    merchant_id: str | None
    approvals: list[ApprovalRead]


class ProviderCreated(msgspec.Struct, kw_only=True):
    id: str
    user_id: str | None
    approvals: list[ApprovalRead]


class LocalisedText(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True, frozen=True):
    fi: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    sv: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    en: Annotated[str, msgspec.Meta(max_length=4000)] = ""


class ListingInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(max_length=64)]
    title: LocalisedText
    description: LocalisedText = LocalisedText()
    price_cents: int
    unit: str
    delivery_mode: str
    municipality: Annotated[str, msgspec.Meta(max_length=100)]
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    accessibility: list[str] = []
    languages: list[str] = []
    capacity: int = 1
    provider_id: str | None = None


class ListingUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(max_length=64)] | UnsetType = UNSET
    title: LocalisedText | UnsetType = UNSET
    description: LocalisedText | UnsetType = UNSET
    price_cents: int | UnsetType = UNSET
    unit: str | UnsetType = UNSET
    delivery_mode: str | UnsetType = UNSET
    municipality: Annotated[str, msgspec.Meta(max_length=100)] | UnsetType = UNSET
    address: Annotated[str, msgspec.Meta(max_length=300)] | UnsetType = UNSET
    accessibility: list[str] | UnsetType = UNSET
    languages: list[str] | UnsetType = UNSET
    capacity: int | UnsetType = UNSET


class ListingApprovalRead(msgspec.Struct, kw_only=True):
    organiser_id: str
    organiser_name: str
    status: str
    reason: str
    live_revision: int | None
    pending_revision: int | None


class ListingRead(msgspec.Struct, kw_only=True):
    id: str
    provider_id: str
    status: str
    category: str
    title: dict[str, str]
    description: dict[str, str]
    price_cents: int
    unit: str
    delivery_mode: str
    municipality: str
    address: str
    accessibility: list[str]
    languages: list[str]
    capacity: int
    revision: int | None
    approvals: list[ListingApprovalRead]


class Decision(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    action: str
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ReviewItem(msgspec.Struct, kw_only=True):
    kind: str  # provider | listing | category
    id: str
    organiser_id: str
    provider_id: str
    provider_name: str
    listing_id: str | None
    title: str
    status: str
    submitted_at: str
    is_change: bool = False
    # The category applied for (kind "category").
    category: str | None = None


class ReviewQueue(msgspec.Struct, kw_only=True):
    items: list[ReviewItem]
    total: int
    page: int
    per_page: int


class CategoryRead(msgspec.Struct, kw_only=True):
    code: str
    names: dict[str, str]
    traditional: bool
    requirements: list[str]


class OrganiserRead(msgspec.Struct, kw_only=True):
    id: str
    name: str
    business_id: str
    municipalities: list[str]


class ApiKeyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(max_length=200)] = ""


class ApiKeyCreated(msgspec.Struct, kw_only=True):
    id: str
    key: str
    prefix: str
    label: str
    # What the key may do: "terminal" = the card payment API only (core.identity.API_KEY_SCOPES).
    scopes: list[str]


class ApiKeyRead(msgspec.Struct, kw_only=True):
    id: str
    prefix: str
    label: str
    created_at: str
    revoked_at: str | None
    scopes: list[str]
