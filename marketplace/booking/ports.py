"""What a booking needs from the voucher, named here so the marketplace never imports it.

A booking's money is an authorisation hold on the client's budget, decided by the voucher's own
rules (the client's active card, its caps and validity, the provider's and listing's standing, the
line and its swap rule) and resolved by the voucher. Clients and their proxies are the voucher's
records too. The voucher sits above the marketplace (core ← marketplace ← voucher ← …), so the
booking states what it asks as the ``Voucher`` Protocol below, in its own Structs, and the
composition (the app factory, the CLI, the test suite) installs the voucher's implementation
(``voucher.for_bookings.VoucherForBookings``) with ``install`` before any booking runs.
"""

import datetime as dt
import uuid
from typing import Any, Protocol

import msgspec

from core.identity import Actor

__all__ = ["ClientRef", "ConsentRef", "Hold", "LinePreview", "ProxiedClient", "ProxyGrant", "StandingConsent", "Voucher", "install", "voucher"]


class ClientRef(msgspec.Struct, frozen=True, kw_only=True):
    """A client as a booking names them: a pseudonym, never a name."""

    id: uuid.UUID
    organiser_id: uuid.UUID
    display_name: str
    language: str = "fi"


class ConsentRef(msgspec.Struct, frozen=True, kw_only=True):
    """The client's consent a counsellor books with (the voucher's record): its id, and how it was
    given — ``standing`` (in the app, in force) or ``in_person`` / ``phone`` / ``message``."""

    id: uuid.UUID
    how: str
    # When the client gave it (in the app, or as the counsellor recorded).
    given_at: dt.datetime | None = None


class StandingConsent(msgspec.Struct, frozen=True, kw_only=True):
    """The client's standing consent to their counsellor booking for them, as a booking page shows it."""

    given_at: dt.datetime
    # Whether it covers the counsellor asking (the client's own counsellor).
    covers_actor: bool


class Hold(msgspec.Struct, frozen=True, kw_only=True):
    """The voucher's answer to a hold: approved with its authorisation, or a decline code."""

    approved: bool
    authorization_id: uuid.UUID | None = None
    decline_code: str | None = None
    message: str | None = None
    line_available_cents: int | None = None
    # Own share (docs/decisions/0033): of the amount asked, what the budget holds and what the client
    # pays the provider themself (budget + client = the amount; no client-fee rule: all the budget's).
    budget_cents: int = 0
    client_share_cents: int = 0


class LinePreview(msgspec.Struct, frozen=True, kw_only=True):
    """The budget line a hold for a category would come from, and the room it has."""

    category: str
    available_cents: int
    # The split of the price asked about (``paying_line``'s ``gross_cents``) under the line's client-fee
    # rule and what the client paid under it this month (docs/decisions/0033), and the rule's name.
    budget_cents: int = 0
    client_share_cents: int = 0
    fee_rule_name: dict[str, str] = {}


class ProxiedClient(msgspec.Struct, frozen=True, kw_only=True):
    """A client a proxy acts for, with the rights the proxy holds for them."""

    client_id: str
    label: str
    organiser_id: str
    rights: tuple[str, ...]


class ProxyGrant(msgspec.Struct, frozen=True, kw_only=True):
    """A proxy grant in force, with who the proxy is."""

    id: uuid.UUID
    proxy_user_id: uuid.UUID
    rights: list[str]
    granted_at: dt.datetime
    proxy_name: str = ""
    proxy_email: str = ""


class Voucher(Protocol):
    """Everything the booking asks of the voucher. Calls made inside a booking's write transaction
    (hold, capture, release, the grant changes) write in that transaction."""

    async def client_to_read(self, actor: Actor, client_id: Any, purpose: str) -> ClientRef:
        """The client, if ``actor`` may read their data (403/404 otherwise); the read is audited."""

    async def purchase_consent(self, actor: Actor, client_id: Any, *, how: str | None, given_at: dt.datetime | None,
                               booking_id: Any, now: dt.datetime) -> ConsentRef | None:
        """A counsellor books for the client: the client's consent it stands on, or None (the booking
        then refuses). ``how`` None or ``standing``: the client's standing consent, if it covers the
        counsellor; a way with ``given_at``: the consent to this booking, recorded (in the booking's
        transaction, audited). Only a counsellor of the client's county asks (403 / 404 otherwise); a
        bad choice is a 400 naming ``consent`` or ``consent_given_at``."""

    async def consent_of_booking(self, consent_id: Any) -> ConsentRef | None:
        """The consent a counsellor's booking stands on, as the booking's page shows it to the
        client's side (the caller checked access)."""

    async def standing_consent(self, actor: Actor, client_id: Any) -> StandingConsent | None:
        """The client's standing consent in force, if any (the caller checked access)."""

    async def budget(self, client_id: Any, now: dt.datetime) -> Any:
        """The client's budget right now, as the voucher shows it (its ``voucher/_budget_table.html``
        renders it on the client's home); the caller checked access."""

    async def has_decision(self, client_id: Any, now: dt.datetime) -> bool:
        """Whether the client has a budget decision in force now (who may book a free activity)."""

    async def paying_line(self, client_id: Any, category: str, now: dt.datetime, *, gross_cents: int = 0,
                          units: int = 1) -> LinePreview | None:
        """The line a hold for ``category`` would be taken from, and what it has room for; with
        ``gross_cents``, how that price would split between the budget and the client (own share)."""

    async def hold(self, actor: Actor, *, client_id: Any, listing_id: Any, amount_cents: int, expires_at: dt.datetime,
                   description: str, now: dt.datetime, lang: str, on_behalf_of: str | None, quantity: int = 1) -> Hold:
        """Hold ``amount_cents`` (the listing's price × ``quantity``) on the client's budget for a
        booking, with the card's rules and decline codes. A decline writes nothing (the caller rolls
        back)."""

    async def capture(self, actor: Actor | None, authorization_id: Any, amount_cents: int, now: dt.datetime) -> uuid.UUID:
        """Capture ``amount_cents`` of the booking's hold (the rest returns to the line); the capture's
        id. ``actor`` is None when the platform itself pays (the dispute window closed)."""

    async def release(self, actor: Actor | None, authorization_id: Any, now: dt.datetime) -> None:
        """Void the booking's hold; one that already expired has returned its money."""

    async def authorization_status(self, authorization_id: Any, now: dt.datetime) -> str | None:
        """The hold's status now (approved, captured, voided, expired), or None without one."""

    async def proxy_rights(self, user_id: Any, client_id: Any) -> set[str]:
        """The rights the proxy holds for the client now (the union of active grants)."""

    async def proxy_user_ids(self, client_id: Any) -> list[str]:
        """The accounts that hold an active grant for the client."""

    async def clients_of_proxy(self, user_id: Any) -> list[ProxiedClient]:
        """The clients the proxy acts for now, with the rights held for each."""

    async def grants_of(self, client_id: Any) -> list[ProxyGrant]:
        """The client's grants in force (the caller checked access)."""

    async def grant_by_client(self, actor: Actor, proxy_user_id: Any, rights: list[str]) -> str:
        """The client themself grants a proxy rights (audited); the grant's id."""

    async def revoke_by_client(self, actor: Actor, grant_id: Any, now: dt.datetime) -> None:
        """The client ends a grant of theirs (not theirs, or ended already: NotFound)."""

    async def remittance(self, actor: Actor, *, page: int, per_page: int) -> list[Any]:
        """The provider's settlement batches (remittance), newest first, each item naming its capture."""

    async def provider_payments(self, actor: Actor, now: dt.datetime, *, unpaid_only: bool, page: int,
                                per_page: int) -> tuple[list[Any], int]:
        """The provider's captures, newest first, each with its state (why it is not paid yet, or the
        batch that paid it), and how many there are; no client data."""

    async def card_disputes(self, actor: Actor, *, status: str, page: int, per_page: int) -> tuple[list[Any], int]:
        """The organiser's disputes of card payments (``open``, ``resolved`` or ``all``) and how many;
        each client shown is a logged read."""

    async def resolve_card_dispute(self, actor: Actor, dispute_id: Any, *, action: str, reason: str, part: str,
                                   now: dt.datetime) -> Any:
        """The organiser resolves a card payment's dispute: ``refund``, ``partial`` (``part`` in euros
        as typed) or ``release``, with its reason (audited; the client's side and the provider hear)."""


_installed: dict[str, Voucher] = {}


def install(implementation: Voucher) -> None:
    """Give the booking the voucher's implementation (the composition does, once at start)."""
    _installed["voucher"] = implementation


def voucher() -> Voucher:
    """The installed implementation; without one no booking can hold money, so this refuses."""
    try:
        return _installed["voucher"]
    except KeyError:
        raise RuntimeError("No voucher is installed for bookings: the composition calls "
                           "marketplace.booking.ports.install() before serving") from None
