"""Bookings' use cases: a client (or their proxy) books a slot of a listing; the price is held on
the client's budget at once; the provider confirms and delivers; the client's say-so — or the end of
the dispute window — releases the payment; a dispute waits for the organiser.

    requested ─confirm→ confirmed ─deliver→ delivered ─accept / auto_complete→ completed
        │                  │                    └─dispute→ disputed ─resolve_capture→ completed
        ├─decline→ declined ├─no_show→ no_show                     └─resolve_void→ voided
        └─cancel→ cancelled └─cancel→ cancelled

One module per use case: ``book`` (the request, its place and its hold), ``transitions`` (every step
after it), ``dispute_window`` (the platform's clock), ``queries`` (reading and lists); ``access``
says how an actor stands to a booking and ``records`` reads and writes its row and history. The
money is the voucher's, asked through marketplace.booking.ports.
"""

from marketplace.booking.services.access import SYSTEM, Side, may_review, require_review_right, side_of
from marketplace.booking.services.book import book
from marketplace.booking.services.dispute_window import complete_due, dispute_window_worker
from marketplace.booking.services.queries import (
    Filters,
    actions_for,
    cancellation_terms,
    captured_for_provider,
    captures_with_booking,
    free_delivered_by_category,
    list_for,
    parties,
    payment_terms,
    quantities,
    read_for,
)
from marketplace.booking.services.records import log_reads
from marketplace.booking.services.transitions import act

__all__ = [
    "SYSTEM", "Filters", "Side", "act", "actions_for", "book", "cancellation_terms", "captured_for_provider",
    "captures_with_booking", "complete_due", "free_delivered_by_category", "dispute_window_worker", "list_for", "log_reads", "may_review", "parties",
    "payment_terms", "quantities", "read_for", "require_review_right", "side_of",
]
