"""HTTP bodies of the voucher API (the card and budget APIs of docs/api.md, and the counsellor API)."""

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from voucher.domain import MAX_CENTS

Cents = Annotated[int, msgspec.Meta(ge=0, le=MAX_CENTS)]
PositiveCents = Annotated[int, msgspec.Meta(gt=0, le=MAX_CENTS)]
Text200 = Annotated[str, msgspec.Meta(max_length=200)]
Lang = Literal["fi", "sv", "en"]
# A card PIN (4–6 digits) or a one-time payment code (6 digits), as a payment carries it.
ClientCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{4,6}$")]


# --- Card authorisation API (docs/api.md) --------------------------------------------------------


class AuthorizationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    card_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    amount_cents: PositiveCents
    listing_id: str | None = None
    description: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    # Extension: an organiser's own booking flow names the provider when it names no listing.
    provider_id: str | None = None
    # Issue 16 (API §8): the booking the payment is for — its listing, price and client bind it.
    booking_id: str | None = None
    # The client's consent: their card's PIN or a one-time code from /client/pay, checked and then
    # forgotten (never stored or logged).
    client_code: ClientCode | None = None
    # How many units (sessions, hours, km…) of the listing the payment is for: the price ceiling
    # is the listing's price × quantity plus the county's tolerance. null = 1.
    quantity: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None


class AuthorizationRead(msgspec.Struct, kw_only=True):
    id: str
    status: str
    decline_code: str | None
    message: str | None
    amount_cents: int
    expires_at: str | None
    line_available_cents: int | None
    captured_cents: int = 0
    # Own share (docs/decisions/0033), only when the paying line's client-fee rule split the price:
    # the price asked (gross), the budget's part (= amount_cents, what is held) and the client's part,
    # which the provider collects from the client itself.
    gross_cents: int | msgspec.UnsetType = msgspec.UNSET
    budget_cents: int | msgspec.UnsetType = msgspec.UNSET
    client_share_cents: int | msgspec.UnsetType = msgspec.UNSET


class CaptureRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    amount_cents: PositiveCents


class CaptureRead(msgspec.Struct, kw_only=True):
    id: str
    authorization_id: str | None
    amount_cents: int
    status: str = "captured"
    refunded_cents: int = 0
    # The client's own share that goes with the capture (only when there is one; amount_cents is the budget's).
    client_share_cents: int | msgspec.UnsetType = msgspec.UNSET


class RefundRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    amount_cents: PositiveCents


class RefundRead(msgspec.Struct, kw_only=True):
    id: str
    capture_id: str
    amount_cents: int
    status: str = "refunded"
    # The client's own share the provider returns to the client (only when there is one).
    client_share_cents: int | msgspec.UnsetType = msgspec.UNSET


# --- Budget read API (docs/api.md) ---------------------------------------------------------------


class Period(msgspec.Struct, kw_only=True):
    start: str
    end: str


class BudgetLineRead(msgspec.Struct, kw_only=True):
    category: str
    granted_cents: int
    held_cents: int
    spent_cents: int
    available_cents: int
    may_fund: list[str] = []
    swap_cap_cents: int | None = None
    # The line's client-fee rule (own share, docs/decisions/0033): its code and names; only when it has one.
    fee_rule: str | msgspec.UnsetType = msgspec.UNSET
    fee_rule_name: dict[str, str] | msgspec.UnsetType = msgspec.UNSET


class BudgetRead(msgspec.Struct, kw_only=True):
    client_id: str
    period: Period | None
    lines: list[BudgetLineRead]
    total_available_cents: int


# --- Clients, decisions, cards (counsellor API) -------------------------------------------------


class ClientCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    display_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    client_group: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    language: Lang = "fi"
    municipality: Annotated[str, msgspec.Meta(max_length=100)] = ""
    # Only a keyed hash of it is stored; it is never shown again.
    national_id: str | None = None
    counsellor_id: str | None = None


class ClientRead(msgspec.Struct, kw_only=True):
    id: str
    display_name: str
    client_group: str
    language: str
    organiser_id: str
    counsellor_id: str | None
    municipality: str = ""


class LineInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    amount_cents: Cents
    may_fund: list[str] = []
    swap_cap_cents: Cents | None = None
    # Issue 17: the HB class the line is computed from (voucher.hb_classes; null: not computed) and,
    # when amount_cents differs from the computed amount, why (required then).
    hb_class: Annotated[str, msgspec.Meta(min_length=1, max_length=16)] | None = None
    override_reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    # The code of the organiser's client-fee rule the line's purchases follow (docs/decisions/0033).
    fee_rule: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class DecisionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    start: dt.date
    end: dt.date
    lines: list[LineInput]
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    carry_over: bool = True
    co_payment_rule: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class DecisionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A change to a decision. Every change must say why (it is audited)."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    start: dt.date | UnsetType = UNSET
    end: dt.date | UnsetType = UNSET
    # The complete new set of lines: lines not listed are removed (only if nothing was used on them).
    lines: list[LineInput] | UnsetType = UNSET
    status: Literal["active", "revoked"] | UnsetType = UNSET


class DecisionLineRead(msgspec.Struct, kw_only=True):
    id: str
    category: str
    amount_cents: int
    may_fund: list[str]
    swap_cap_cents: int | None
    held_cents: int
    spent_cents: int
    hb_class: str | None = None
    computed_cents: int | None = None  # null: not computed from a class
    override_reason: str = ""
    # The client-fee rule the line follows (docs/decisions/0033), or None.
    fee_rule: str | None = None


class DecisionRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    start: dt.date
    end: dt.date
    status: str
    lines: list[DecisionLineRead]


class CardIssue(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    per_transaction_limit_cents: Cents | None = None
    daily_limit_cents: Cents | None = None


class CardUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: Literal["active", "frozen"] | UnsetType = UNSET
    per_transaction_limit_cents: Cents | None | UnsetType = UNSET
    daily_limit_cents: Cents | None | UnsetType = UNSET
    reason: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class CardRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    status: str
    token_hint: str
    per_transaction_limit_cents: int | None
    daily_limit_cents: int | None
    replaced_by: str | None = None


class CardIssued(msgspec.Struct, kw_only=True):
    """The only response that ever carries a card's token (and its QR code as SVG)."""

    card: CardRead
    token: str
    qr_svg: str


# --- Settlement (providers' remittance) ---------------------------------------------------------


class RemittanceItem(msgspec.Struct, kw_only=True):
    capture_id: str | None
    refund_id: str | None
    amount_cents: int
    # Own share (docs/decisions/0033): what the provider collected from the client itself with the
    # capture (a refund: returned to the client, negative); never part of the payout. Only when there is one.
    client_share_cents: int | msgspec.UnsetType = msgspec.UNSET


class SettlementRead(msgspec.Struct, kw_only=True):
    id: str
    provider_id: str
    organiser_id: str
    period_start: dt.date
    period_end: dt.date
    total_cents: int
    status: str
    method: str
    reference: str
    payout_reference: str | None
    items: list[RemittanceItem]
    # When the batch was closed and when it was paid (None while it waits).
    closed_at: dt.datetime | None = None
    paid_at: dt.datetime | None = None
