"""Card authorisation, capture, void, refund — the money-moving use cases (docs/api.md).

Each use case runs in one write transaction (core.db.in_write_transaction) with its idempotency
claim, its conditional counter updates (voucher.ledger), its ledger transfers and its audit entry.
The booking flow's holds (``authorise_for_client``, ``capture_booking_hold``,
``release_booking_hold``) run inside the booking's own write transaction.
"""

from voucher.authorisation.authorise import authorise, authorise_for_client, authorise_once
from voucher.authorisation.common import ORGANISER_SOURCE, load_for_resolution, to_read
from voucher.authorisation.resolve import (
    capture,
    capture_booking_hold,
    capture_hold,
    get_authorization,
    refund,
    refund_capture,
    release_booking_hold,
    release_hold,
    sweep_expired,
    void,
)

__all__ = [
    "ORGANISER_SOURCE", "authorise", "authorise_for_client", "authorise_once", "capture",
    "capture_booking_hold", "capture_hold", "get_authorization", "load_for_resolution", "refund", "refund_capture",
    "release_booking_hold", "release_hold", "sweep_expired", "to_read", "void",
]
