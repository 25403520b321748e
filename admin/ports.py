"""What the follow-up asks of the marketplace's bookings and reviews (issue 5): one small function
each, delegating to the marketplace's own services."""

import datetime as dt
from typing import Any

from marketplace.booking import services as bookings
from marketplace.booking import reviews


async def captures_with_booking(captures: list[dict]) -> set[str]:
    """Ids of the captures that a booking stands behind: the booking names the capture, or the
    authorisation came from the platform's booking flow (``source = 'booking'``)."""
    booked = await bookings.captures_with_booking([c["capture_id"] for c in captures])
    return booked | {str(c["capture_id"]) for c in captures if c.get("source") == "booking"}


async def booking_quantities(authorization_ids: list[str]) -> dict[str, int]:
    """How many units (sessions, hours, km…) the booking behind each authorisation is for; an
    authorisation without a booking is not in the answer (the price rule then assumes one unit)."""
    return {str(k): int(v) for k, v in (await bookings.quantities(authorization_ids)).items()}


async def recommend_scores(organiser_id: Any, start: dt.datetime, end: dt.datetime) -> list[dict]:
    """Clients' 0–10 recommend scores given in [start, end) for services of ``organiser_id``'s
    clients: ``[{"provider_id", "category", "score"}]`` (the marketplace's reviews)."""
    return await reviews.recommend_scores(organiser_id, start, end)


async def free_use(organiser_id: Any, start: dt.datetime, end: dt.datetime) -> dict[str, dict[str, int]]:
    """The county's free bookings delivered in [start, end), per category: ``{category: {"bookings",
    "places"}}`` (docs/decisions/0037; they move no money, so the money figures never see them)."""
    return await bookings.free_delivered_by_category(organiser_id, start, end)
