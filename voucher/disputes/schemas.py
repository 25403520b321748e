"""The shapes of disputes and payments: the public API's dispute (API §8) and what the pages read."""

import datetime as dt
from typing import Annotated

import msgspec

from voucher.disputes.domain import REASON_MAX


class DisputeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=REASON_MAX)]


class DisputeRead(msgspec.Struct, kw_only=True):
    """A capture's dispute: ``open`` until the organiser resolves it as ``refunded``,
    ``partly_refunded`` or ``released``."""

    id: str
    capture_id: str
    status: str
    reason: str
    created_at: dt.datetime
    refund_cents: int = 0
    resolution_reason: str = ""
    resolved_at: dt.datetime | None = None


class PaymentRead(msgspec.Struct, kw_only=True):
    """One payment from a client's budget, as the client (or proxy) reads it: a live hold, or a
    capture with its state (voucher.disputes.domain.STATES)."""

    id: str
    # hold | capture
    kind: str
    state: str
    created_at: dt.datetime
    amount_cents: int
    refunded_cents: int = 0
    provider_name: str = ""
    listing_title: dict[str, str] = {}
    dispute_until: dt.datetime | None = None
    # The hold's end (a hold), or None.
    expires_at: dt.datetime | None = None
    dispute: DisputeRead | None = None
    # True while the reader may still dispute it (the window is open, no dispute yet).
    disputable: bool = False
    # Own share (docs/decisions/0033): what the client pays the provider themself beside amount_cents
    # (the budget's part).
    client_share_cents: int = 0


class DisputeView(msgspec.Struct, kw_only=True):
    """A dispute as the organiser (and the client's counsellor) reads it."""

    id: str
    capture_id: str
    client_id: str
    client_label: str
    provider_name: str
    listing_title: dict[str, str]
    amount_cents: int
    refunded_cents: int
    # What a refund may still return: the capture less what was refunded already.
    refundable_cents: int
    reason: str
    raised_as: str
    status: str
    created_at: dt.datetime
    captured_at: dt.datetime
    refund_cents: int = 0
    resolution_reason: str = ""
    resolved_at: dt.datetime | None = None


class ProviderPayment(msgspec.Struct, kw_only=True):
    """A capture as its provider reads it: what it is for, and why it is not paid yet, or the batch
    that paid it. No client data."""

    capture_id: str
    created_at: dt.datetime
    amount_cents: int
    refunded_cents: int
    state: str
    listing_title: dict[str, str] = {}
    dispute_until: dt.datetime | None = None
    card_network: bool = False
    batch_reference: str | None = None
    batch_status: str | None = None
    paid_at: dt.datetime | None = None
