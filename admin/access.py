"""Who may see what in the organiser console.

Every figure is scoped by the organiser of the signed-in person, taken from their account and never
from the request: an organiser admin of one county cannot name another county in a URL and see its
numbers. Counsellors see their own caseload; organiser admins see every client of their county.
"""

from core.errors import Forbidden, Unauthenticated
from core.identity import Actor

STAFF = ("counsellor", "organiser_admin")


def _signed_in(actor: Actor) -> None:
    if actor.is_anonymous:
        raise Unauthenticated()


def organiser_of_admin(actor: Actor) -> str:
    """The organiser an organiser admin (signed in as a person) administers."""
    _signed_in(actor)
    if actor.role != "organiser_admin" or not actor.organiser_id or actor.via_api_key:
        raise Forbidden()
    return str(actor.organiser_id)


def organiser_of_staff(actor: Actor) -> str:
    """The organiser a counsellor or organiser admin works for."""
    _signed_in(actor)
    if actor.role not in STAFF or not actor.organiser_id or actor.via_api_key:
        raise Forbidden()
    return str(actor.organiser_id)


def require_platform_admin(actor: Actor) -> None:
    _signed_in(actor)
    if actor.role != "platform_admin" or actor.via_api_key:
        raise Forbidden()
