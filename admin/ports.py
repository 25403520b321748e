"""What the follow-up asks of work that is still being built elsewhere: bookings and reviews
(issue 5, marketplace). Each is one small function, so pointing it at the marketplace's own service
when that exists changes this file only (see admin/NEEDS.md).
"""

import datetime as dt
from typing import Any


async def captures_with_booking(captures: list[dict]) -> set[str]:
    """Ids of the captures that a booking stands behind.

    Until the marketplace has bookings, a capture counts as booked when its authorisation came
    from the platform's booking flow (the voucher records ``source = 'booking'``); card payments
    from a terminal or Stripe (``api``, ``stripe``) and captures with no authorisation do not.
    """
    return {str(c["capture_id"]) for c in captures if c.get("source") == "booking"}


async def recommend_scores(organiser_id: Any, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Clients' 0–10 recommend scores given in [start, end) for services of ``organiser_id``'s
    clients: ``[{"provider_id", "category", "score"}]``. Reviews arrive with bookings (issue 5);
    until then there are none, and the dashboard says so."""
    return []


async def booking_quantities(authorization_ids: list[str]) -> dict[str, int]:
    """How many units (sessions, hours, km…) the booking behind each authorisation is for.
    Without bookings nothing is known, and the price rule assumes one unit."""
    return {}
