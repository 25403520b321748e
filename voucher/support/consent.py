"""The client's consent to a counsellor booking for them (docs/decisions/0035).

Two kinds, both in ``vc_purchase_consent``:

* **standing** — the client (or a proxy holding ``book``) says in the app "Asiakasohjaajani saa
  varata palveluja puolestani", and may take it back at any time. It covers the client's own
  counsellor (``vc_client.counsellor_id`` when the booking is made). At most one is in force per
  client (a partial unique index): giving it twice changes nothing.
* **booking** — the client said yes to one booking (in person, by phone or in a message); the
  counsellor records how and when with the booking, in the booking's transaction, so the record
  exists exactly when the booking does.

The booking asks ``for_booking`` through its port (``voucher.for_bookings``); None means "no
consent" and the booking refuses with 403 ``booking.error.no_purchase_consent``.
"""

import datetime as dt
import uuid
from typing import Any

import msgspec

from core import audit
from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid
from voucher import access, proxies
from voucher.support import domain
from voucher.tables import PurchaseConsent


class StandingConsent(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    given_at: dt.datetime
    # client | proxy: who gave it in the app
    recorded_as: str


async def standing(client_id: Any) -> StandingConsent | None:
    """The client's standing consent in force, if any (the caller checked access)."""
    row = await PurchaseConsent.select(PurchaseConsent.id, PurchaseConsent.given_at, PurchaseConsent.recorded_as).where(
        (PurchaseConsent.client == client_id) & (PurchaseConsent.kind == domain.STANDING)
        & PurchaseConsent.revoked_at.is_null()).first().run()
    return StandingConsent(id=str(row["id"]), given_at=row["given_at"], recorded_as=row["recorded_as"]) if row else None


class ConsentRead(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    # standing, or how the client agreed to the booking (in_person, phone, message)
    how: str
    given_at: dt.datetime


async def read(consent_id: Any) -> ConsentRead | None:
    """One consent by its id (a booking's; the caller checked access)."""
    cid = as_uuid(consent_id)
    row = await PurchaseConsent.select(PurchaseConsent.id, PurchaseConsent.kind, PurchaseConsent.given_how,
                                       PurchaseConsent.given_at).where(PurchaseConsent.id == cid).first().run() if cid else None
    if row is None:
        return None
    how = domain.STANDING if row["kind"] == domain.STANDING else row["given_how"]
    return ConsentRead(id=str(row["id"]), how=how, given_at=row["given_at"])


def covers(actor: Actor, client_counsellor_id: str | None) -> bool:
    """Whether a standing consent lets ``actor`` book: a counsellor who is the client's own."""
    return actor.role == domain.BOOKING_ROLE and domain.standing_covers(actor.user_id, client_counsellor_id)


async def _client_side(actor: Actor, client_id: Any) -> tuple[dict, str]:
    """The client, if ``actor`` is the client or a proxy with ``book`` (a standing consent lets
    someone book: only those who may book themselves give it). Others: 404, a proxy without
    ``book`` 403."""
    standing_as = await proxies.acting_for(actor, client_id, "book")
    if standing_as == "no_right":
        raise Forbidden("booking.error.proxy_right")
    if not standing_as:
        raise NotFound()
    return await access.client_to_read(actor, client_id, "purchase_consent"), standing_as


async def give_standing(actor: Actor, client_id: Any, now: dt.datetime) -> StandingConsent:
    """The client (or a proxy with ``book``) lets their counsellor book for them; audited."""
    client, given_as = await _client_side(actor, client_id)

    async def op() -> StandingConsent:
        current = await standing(client["id"])
        if current is not None:
            return current
        row_id = uuid.uuid4()
        await PurchaseConsent.insert(PurchaseConsent(
            id=row_id, client=client["id"], organiser_id=client["organiser_id"], kind=domain.STANDING,
            given_how=domain.IN_APP, given_at=now, recorded_by=actor.user_id, recorded_as=given_as, created_at=now,
        )).on_conflict(action="DO NOTHING").run()
        await audit.record(actor, "voucher.purchase_consent.given", "client", client["id"],
                           organiser_id=client["organiser_id"], on_behalf_of=client["id"] if given_as == "proxy" else None,
                           details={"consent_id": str(row_id), "kind": domain.STANDING})
        return await standing(client["id"])

    return await in_write_transaction(op)


async def revoke_standing(actor: Actor, client_id: Any, now: dt.datetime) -> bool:
    """The client (or a proxy with ``book``) takes the standing consent back, at once; audited.
    False when there was none in force."""
    client, given_as = await _client_side(actor, client_id)

    async def op() -> bool:
        ended = await PurchaseConsent.update({PurchaseConsent.revoked_at: now, PurchaseConsent.revoked_by: actor.user_id}).where(
            (PurchaseConsent.client == client["id"]) & (PurchaseConsent.kind == domain.STANDING)
            & PurchaseConsent.revoked_at.is_null()).returning(PurchaseConsent.id).run()
        if ended:
            await audit.record(actor, "voucher.purchase_consent.revoked", "client", client["id"],
                               organiser_id=client["organiser_id"],
                               on_behalf_of=client["id"] if given_as == "proxy" else None,
                               details={"consent_id": str(ended[0]["id"]), "kind": domain.STANDING})
        return bool(ended)

    return await in_write_transaction(op)


async def for_booking(actor: Actor, client_id: Any, *, how: str | None, given_at: dt.datetime | None, booking_id: Any,
                      now: dt.datetime) -> tuple[str, str] | None:
    """The consent a counsellor's booking for the client stands on, inside the booking's
    transaction: (its id, how it was given), or None when there is none.

    ``how`` None or ``standing``: the client's standing consent, if it covers this counsellor (the
    client's own). A way (``in_person``, ``phone``, ``message``) with ``given_at``: the client's
    consent to this booking, recorded now with the booking's id (audited on behalf of the client).
    Only a counsellor of the client's county asks (others: 403 / 404); a bad choice is a 400 naming
    ``consent`` or ``consent_given_at``."""
    if actor.role != domain.BOOKING_ROLE:
        raise Forbidden("booking.error.clients_only")
    client = await access.client_to_change(actor, client_id)
    errors = domain.consent_errors(how, given_at, now)
    if errors:
        raise Invalid("error.validation", field=errors[0][0],
                      errors=[FieldError(field=field, key=key) for field, key in errors])
    if how is None or how == domain.STANDING:
        current = await standing(client["id"])
        counsellor = str(client["counsellor_id"]) if client["counsellor_id"] else None
        if current is None or not covers(actor, counsellor):
            return None
        return current.id, domain.STANDING
    row_id = uuid.uuid4()
    await PurchaseConsent.insert(PurchaseConsent(
        id=row_id, client=client["id"], organiser_id=client["organiser_id"], kind=domain.BOOKING, given_how=how,
        given_at=given_at, recorded_by=actor.user_id, recorded_as=domain.BOOKING_ROLE, booking_id=booking_id,
        created_at=now,
    )).run()
    await audit.record(actor, "voucher.purchase_consent.recorded", "client", client["id"],
                       organiser_id=client["organiser_id"], on_behalf_of=client["id"],
                       details={"consent_id": str(row_id), "kind": domain.BOOKING, "given_how": how,
                                "given_at": given_at.isoformat() if given_at else None, "booking_id": str(booking_id)})
    return str(row_id), how
