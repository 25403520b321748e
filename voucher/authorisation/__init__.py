"""Card authorisation, capture, void, refund — the money-moving use cases (API.md §2).

Each use case runs in one write transaction (voucher.idempotency) with its idempotency claim, its
conditional counter updates (voucher.ledger), its ledger transfers and its audit entry.
"""

from voucher.authorisation.authorise import authorise, authorise_once
from voucher.authorisation.common import ORGANISER_SOURCE, caller_scope, to_read, utcnow
from voucher.authorisation.resolve import (
    capture,
    capture_hold,
    get_authorization,
    refund,
    refund_capture,
    release_hold,
    sweep_expired,
    void,
)

__all__ = [
    "ORGANISER_SOURCE", "authorise", "authorise_once", "caller_scope", "capture", "capture_hold",
    "get_authorization", "refund", "refund_capture", "release_hold", "sweep_expired", "to_read", "utcnow", "void",
]
