"""Marketplace tables. Columns only; rules live in marketplace.domain and marketplace.services."""

import uuid

from piccolo.columns import JSON, UUID, BigInt, BigSerial, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Organiser(Table, tablename="mp_organiser"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    name = Varchar(length=200)
    business_id = Varchar(length=9)
    municipalities = JSON(default="[]")
    # daily | weekly | monthly: how often settlement batches close for this organiser
    settlement_period = Varchar(length=16, default="daily")
    iban = Varchar(length=34, default="")
    bic = Varchar(length=11, default="")
    # Whether the county's staff (admins, counsellors) may sign in with a password; off → only
    # through the county's own identity provider (core.eid, HB_OIDC_STAFF_ISSUER).
    staff_password_login = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ServiceCategory(Table, tablename="mp_category"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    code = Varchar(length=64, unique=True)
    name_fi = Varchar(length=200)
    name_sv = Varchar(length=200, default="")
    name_en = Varchar(length=200, default="")
    traditional = Boolean(default=True)
    requirements = JSON(default="[]")
    # Requirements per provider kind, set by the organiser: {"private_person": [], ...}; a kind not
    # named uses ``requirements`` (marketplace.domain.requirements_of_kind).
    requirements_by_kind = JSON(default="{}")


class Provider(Table, tablename="mp_provider"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    # company | association | light_entrepreneur | private_person (marketplace.domain, decision 0036)
    kind = Varchar(length=32, default="company", index=True)
    # None for a light entrepreneur or a private person without one of their own.
    business_id = Varchar(length=9, unique=True, null=True, default=None)
    name = Varchar(length=200)
    # Where payouts go: the provider's own account, or a light entrepreneur's invoicing service's;
    # "" for a private person (no bank details).
    iban = Varchar(length=34)
    # A light entrepreneur's invoicing service and the reference it needs on every payment.
    invoicing_service_name = Varchar(length=200, default="")
    payment_reference = Varchar(length=35, default="")
    # When the person (light entrepreneur, private person) was identified with strong e-ID.
    identified_with_eid_at = Timestamptz(null=True, default=None)
    email = Varchar(length=254)
    phone = Varchar(length=32, default="")
    website = Varchar(length=300, default="")
    description = Text(default="")
    languages = JSON(default="[]")
    municipalities = JSON(default="[]")
    # Categories the provider wants to list in (their requirements decide the evidence asked for).
    categories = JSON(default="[]")
    merchant_id = Varchar(length=100, null=True, default=None, unique=True)
    stripe_account_id = Varchar(length=100, null=True, default=None)
    iban_changed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProviderEvidence(Table, tablename="mp_provider_evidence"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    provider = ForeignKey(references=Provider, index=True)
    requirement = Varchar(length=64)
    provided = Boolean(default=False)
    # What the provider says about it: register entry, insurer and policy number, ...
    detail = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())


class ProviderDocument(Table, tablename="mp_provider_document"):
    """A document the provider uploaded as evidence of one requirement (insurance, police record
    extract, licence), valid between two dates. The file lives in the evidence store
    (marketplace.evidence_store) under ``storage_key``, a random name — never the uploaded one."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    provider = ForeignKey(references=Provider, index=True)
    requirement = Varchar(length=64, index=True)
    storage_key = Varchar(length=64, unique=True)
    # What the content is (sniffed from its bytes): application/pdf, image/jpeg, image/png.
    content_type = Varchar(length=32)
    size_bytes = Integer()
    sha256 = Varchar(length=64)
    valid_from = Timestamptz()
    valid_until = Timestamptz(index=True)
    uploaded_by = UUID(null=True, default=None)
    uploaded_at = Timestamptz(default=TimestamptzNow())


class ProviderApproval(Table, tablename="mp_provider_approval"):
    id = UUID(primary_key=True, default=uuid.uuid4)
    provider = ForeignKey(references=Provider, index=True)
    organiser = ForeignKey(references=Organiser, index=True)
    # pending | approved | rejected | changes_requested | suspended
    status = Varchar(length=32, default="pending", index=True)
    reason = Text(default="")
    reviewer_id = UUID(null=True, default=None)
    submitted_at = Timestamptz(default=TimestamptzNow(), index=True)
    decided_at = Timestamptz(null=True, default=None)
    valid_until = Timestamptz(null=True, default=None)
    # Set when the provider's staff change their evidence after this approval was decided: the
    # new evidence waits for the organiser's review (the approval stays as it is meanwhile).
    evidence_changed_at = Timestamptz(null=True, default=None)
    # Sent markers of the expiry sweep (marketplace.documents.sweep): the valid_until each reminder
    # (30 and 7 days before) and the expiry itself were handled for — a later, longer validity
    # starts them afresh, the same one never twice.
    reminded_30_for = Timestamptz(null=True, default=None)
    reminded_7_for = Timestamptz(null=True, default=None)
    expired_for = Timestamptz(null=True, default=None)


class ProviderCategoryApproval(Table, tablename="mp_provider_category_approval"):
    """One category the provider applied for with one organiser: the approval covers it once approved.

    A category is usable with the organiser (paid, listed, found) only when this row is
    ``approved`` and the provider's approval there is too (marketplace.category_approvals).
    """

    id = UUID(primary_key=True, default=uuid.uuid4)
    approval = ForeignKey(references=ProviderApproval, index=True)
    category = Varchar(length=64)
    # pending | approved | rejected
    status = Varchar(length=32, default="pending", index=True)
    reason = Text(default="")
    reviewer_id = UUID(null=True, default=None)
    submitted_at = Timestamptz(default=TimestamptzNow(), index=True)
    decided_at = Timestamptz(null=True, default=None)


class Listing(Table, tablename="mp_listing"):
    """The provider's working copy. What an organiser approved lives in ListingRevision."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    ref = Varchar(length=100, unique=True, null=True, default=None)
    provider = ForeignKey(references=Provider, index=True)
    category = Varchar(length=64, index=True)
    title_fi = Varchar(length=200)
    title_sv = Varchar(length=200, default="")
    title_en = Varchar(length=200, default="")
    description_fi = Text(default="")
    description_sv = Text(default="")
    description_en = Text(default="")
    price_cents = BigInt()
    unit = Varchar(length=16)
    delivery_mode = Varchar(length=32)
    municipality = Varchar(length=100)
    address = Varchar(length=300, default="")
    accessibility = JSON(default="[]")
    languages = JSON(default="[]")
    capacity = Integer(default=1)
    # draft | submitted | changes_requested | approved | rejected (the provider's view, summarised)
    status = Varchar(length=32, default="draft", index=True)
    current_revision = UUID(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ListingRevision(Table, tablename="mp_listing_revision"):
    """An immutable snapshot of a listing's content, as submitted for review."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    number = Integer()
    content = JSON()
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = UUID(null=True, default=None)


class ListingApproval(Table, tablename="mp_listing_approval"):
    """A listing's standing with one organiser, and the revision that is live there."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    organiser = ForeignKey(references=Organiser, index=True)
    # pending | approved | rejected | changes_requested | suspended
    status = Varchar(length=32, default="pending", index=True)
    live_revision = UUID(null=True, default=None)
    reason = Text(default="")
    reviewer_id = UUID(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)


class ListingReview(Table, tablename="mp_listing_review"):
    """One revision waiting for (or having had) one organiser's decision."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    listing = ForeignKey(references=Listing, index=True)
    organiser = ForeignKey(references=Organiser, index=True)
    revision = UUID()
    # pending | approved | rejected | changes_requested | superseded
    status = Varchar(length=32, default="pending", index=True)
    submitted_at = Timestamptz(default=TimestamptzNow(), index=True)
    decided_at = Timestamptz(null=True, default=None)
    reviewer_id = UUID(null=True, default=None)
    reason = Text(default="")


class ListingChange(Table, tablename="search_outbox"):
    """The listing-change outbox: one row per change that may affect a listing's search document
    (an approval, a suspension, an edit), written in the same transaction as the change itself.

    Search drains it (``marketplace.listing_changes.pending`` / ``handled``): it re-derives the
    listing's document from the marketplace and upserts or deletes it, so the index can always
    catch up. The table keeps the name it had when search owned it (``search_outbox``); the
    migrations ``marketplace_2026_12_07t12_13_00`` and ``search_2026_12_07t12_13_00`` moved the
    class between the apps without touching the database."""

    id = BigSerial(primary_key=True)
    listing_id = Varchar(length=64, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    processed_at = Timestamptz(null=True, default=None, index=True)


class RegistryCheck(Table, tablename="mp_registry_check"):
    """One look at the Finnish open registries for a provider (marketplace.registry): asked by a
    reviewer or made on registration. ``status`` checked | not_found | unavailable; ``facts`` what
    the registries said (name, active, trade_register, prepayment_register, vat_register, soteri)."""

    id = UUID(primary_key=True, default=uuid.uuid4)
    provider = ForeignKey(references=Provider, index=True)
    business_id = Varchar(length=9)
    status = Varchar(length=16)
    facts = JSON(default="{}")
    # Why the registry could not be asked (a timeout, an HTTP status), for the reviewer and the log.
    error = Varchar(length=200, default="")
    checked_by = UUID(null=True, default=None)
    checked_at = Timestamptz(default=TimestamptzNow(), index=True)
