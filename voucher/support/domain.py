"""Pure rules of supported purchasing and the message thread (no I/O, no framework)."""

import datetime as dt

# A consent's kind and how it was given (vc_purchase_consent; the migration checks the same words).
STANDING = "standing"
BOOKING = "booking"
IN_APP = "in_app"
# How a client may consent to one booking a counsellor makes, as the counsellor records it.
GIVEN_WAYS = ("in_person", "phone", "message")
# What a counsellor's booking names as its consent: the standing one, or one of the ways above.
CONSENT_CHOICES = (STANDING, *GIVEN_WAYS)
# A consent for one booking is recorded when the booking is made: given today or in the last days,
# never later than now (a little clock skew allowed).
GIVEN_MAX_AGE = dt.timedelta(days=14)
SKEW = dt.timedelta(minutes=5)

# Who may book for a client with their consent (the organiser admin resolves the bookings' disputes,
# so does not book them).
BOOKING_ROLE = "counsellor"

# The thread: the writer's side, and the length of one message.
CLIENT_SIDE = "client"
STAFF_SIDE = "staff"
BODY_MAX = 4000


def consent_errors(how: str | None, given_at: dt.datetime | None, now: dt.datetime) -> list[tuple[str, str]]:
    """What is wrong with a counsellor's consent choice, as (field, message key) pairs. ``how``
    None or ``standing`` asks for the standing consent (whether there is one is the service's
    question); a consent for this booking needs its way and when it was given."""
    if how is None or how == STANDING:
        return []
    if how not in GIVEN_WAYS:
        return [("consent", "voucher.support.error.consent_way")]
    if given_at is None:
        return [("consent_given_at", "voucher.support.error.consent_when")]
    if given_at.tzinfo is None:
        return [("consent_given_at", "voucher.support.error.consent_when")]
    if given_at > now + SKEW or given_at < now - GIVEN_MAX_AGE:
        return [("consent_given_at", "voucher.support.error.consent_when_range")]
    return []


def standing_covers(counsellor_id: str | None, client_counsellor_id: str | None) -> bool:
    """A standing consent ("my counsellor may book for me") covers the client's own counsellor: the
    one the client has when the booking is made. Another counsellor of the county needs the client's
    consent to the booking itself."""
    return bool(counsellor_id) and counsellor_id == client_counsellor_id


def body_error(body: str) -> str | None:
    """Why a message cannot be sent (a message key), or None."""
    text = body.strip()
    if not text:
        return "voucher.support.error.body_empty"
    if len(text) > BODY_MAX:
        return "voucher.support.error.body_long"
    return None


def side_of_role(role: str) -> str:
    return STAFF_SIDE if role == BOOKING_ROLE else CLIENT_SIDE
