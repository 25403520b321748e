"""Disputes of captured card payments: the pure rules (no I/O, no framework).

A capture may be disputed by its client (or a proxy holding ``pay``) until its ``dispute_until``;
settlement takes it only when that has passed with no dispute, or once its dispute is resolved. The
organiser resolves a dispute by refunding all that is left, refunding a part, or releasing the
payment to the provider. The same words name a payment's state for the client and the provider.
"""

import datetime as dt

# Capture.dispute_state
NOT_DISPUTED = ""
OPEN = "open"
RESOLVED = "resolved"

# CaptureDispute.status (open, then one outcome)
REFUNDED = "refunded"
PARTLY_REFUNDED = "partly_refunded"
RELEASED = "released"
OUTCOMES = (REFUNDED, PARTLY_REFUNDED, RELEASED)
# What the organiser's form asks: refund all, refund a part, or release.
ACTIONS = {"refund": REFUNDED, "partial": PARTLY_REFUNDED, "release": RELEASED}

REASON_MAX = 2000
BOOKING_HOLD_SOURCE = "booking_hold"

# A payment's state, as the client's budget page and the provider's settlements page name it.
HELD = "held"              # a live authorisation: the money is reserved, not taken
DISPUTABLE = "disputable"  # taken; the client may dispute it until dispute_until
DISPUTED = "disputed"      # disputed: the organiser decides; not paid on meanwhile
RESOLVED_STATE = "resolved"  # the organiser released it (or refunded a part): paid in the next settlement
DUE = "due"                # its window passed undisputed: paid in the next settlement
SETTLED = "settled"        # in a settlement batch (or paid by the card network)
REFUNDED_STATE = "refunded"  # all of it came back to the client's budget
STATES = (HELD, DISPUTABLE, DISPUTED, RESOLVED_STATE, DUE, SETTLED, REFUNDED_STATE)


def dispute_until(source: str, now: dt.datetime, window_days: int) -> dt.datetime:
    """Until when a capture made ``now`` may be disputed.

    A booking's own hold is captured by the booking's transitions only: the client confirmed the
    delivery, the booking's own dispute window closed, or the organiser resolved the booking's
    dispute — the client had their window before the money moved, so the capture's ends at once.
    Every other capture (a terminal's, an organiser's API payment, Stripe Issuing's) gets the window.
    """
    if source == BOOKING_HOLD_SOURCE:
        return now
    return now + dt.timedelta(days=window_days)


def dispute_refusal(until: dt.datetime | None, state: str, now: dt.datetime) -> str | None:
    """Why the capture cannot be disputed now (a message key), or None."""
    if state != NOT_DISPUTED:
        return "voucher.dispute.error.already_disputed"
    if until is None or now >= until:
        return "voucher.dispute.error.window_closed"
    return None


def reason_error(reason: str) -> str | None:
    """A dispute (or a resolution) needs its reason: 1–2000 characters after trimming."""
    text = (reason or "").strip()
    if not text:
        return "voucher.dispute.error.reason_required"
    if len(text) > REASON_MAX:
        return "voucher.dispute.error.reason_long"
    return None


def refund_for(outcome: str, refundable_cents: int, part_cents: int | None) -> int:
    """How much a resolution returns to the client's budget; ValueError names what is wrong
    (``part_missing``, ``part_range``) for a partial refund outside 1 cent … refundable − 1 cent."""
    if outcome == REFUNDED:
        return refundable_cents
    if outcome == RELEASED:
        return 0
    if part_cents is None:
        raise ValueError("part_missing")
    if not 0 < part_cents < refundable_cents:
        raise ValueError("part_range")
    return part_cents


def payment_state(
    *,
    now: dt.datetime,
    amount_cents: int,
    refunded_cents: int,
    until: dt.datetime | None,
    dispute_state: str,
    settled: bool,
    card_network: bool,
) -> str:
    """The state of a captured payment, in the order that matters to the reader: money that came
    back first, then an open dispute, then the window, then whether the provider has it."""
    if refunded_cents >= amount_cents:
        return REFUNDED_STATE
    if dispute_state == OPEN:
        return DISPUTED
    if dispute_state == NOT_DISPUTED and until is not None and now < until:
        return DISPUTABLE
    if settled or card_network:
        return SETTLED
    return RESOLVED_STATE if dispute_state == RESOLVED else DUE
