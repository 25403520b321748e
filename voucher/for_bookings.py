"""The voucher's side of a booking: ``marketplace.booking.ports.Voucher``, implemented with the
voucher's own services and answered in the booking's Structs.

A booking's hold is decided by ``authorisation.authorise_for_client`` (the client's active card by
client id, the same ``decide_and_hold`` and decline codes, ``source = 'booking_hold'``, inside the
booking's write transaction; a decline is not written) and resolved by ``capture_booking_hold`` /
``release_booking_hold``. Clients and proxies are ``voucher.access`` and ``voucher.proxies``. The
composition installs an instance (core.wiring); nothing here reads another package's tables.
"""

import datetime as dt
import uuid
from typing import Any

import msgspec

from core.errors import FieldError, Invalid
from core.identity import Actor
from marketplace.booking.ports import ClientRef, ConsentRef, Hold, LinePreview, ProxiedClient, ProxyGrant, StandingConsent
from voucher import access, authorisation, budgets
from voucher import domain as vdomain
from voucher import own_share, proxies, settlement
from voucher.disputes import queries as dispute_queries
from voucher.disputes import services as disputes
from voucher.disputes.schemas import DisputeRead, DisputeView, ProviderPayment
from voucher.schemas import BudgetRead, SettlementRead
from voucher.support import consent as purchase_consent


class VoucherForBookings:
    """What bookings ask of the voucher (the ``Voucher`` Protocol of marketplace.booking.ports)."""

    async def client_to_read(self, actor: Actor, client_id: Any, purpose: str) -> ClientRef:
        return msgspec.convert(await access.client_to_read(actor, client_id, purpose), ClientRef, strict=False)

    async def purchase_consent(self, actor: Actor, client_id: Any, *, how: str | None, given_at: dt.datetime | None,
                               booking_id: Any, now: dt.datetime) -> ConsentRef | None:
        found = await purchase_consent.for_booking(actor, client_id, how=how, given_at=given_at, booking_id=booking_id,
                                                   now=now)
        return ConsentRef(id=uuid.UUID(found[0]), how=found[1]) if found else None

    async def consent_of_booking(self, consent_id: Any) -> ConsentRef | None:
        found = await purchase_consent.read(consent_id)
        return msgspec.convert(found, ConsentRef, from_attributes=True) if found else None

    async def standing_consent(self, actor: Actor, client_id: Any) -> StandingConsent | None:
        client = await access.load_client(client_id)
        found = await purchase_consent.standing(client["id"])
        if found is None:
            return None
        own = str(client["counsellor_id"]) if client["counsellor_id"] else None
        return StandingConsent(given_at=found.given_at, covers_actor=purchase_consent.covers(actor, own))

    async def budget(self, client_id: Any, now: dt.datetime) -> BudgetRead:
        return await budgets.budget_for(client_id, now)

    async def has_decision(self, client_id: Any, now: dt.datetime) -> bool:
        decision, _lines = await budgets.current_lines(client_id, now)
        return decision is not None

    async def paying_line(self, client_id: Any, category: str, now: dt.datetime, *, gross_cents: int = 0,
                          units: int = 1) -> LinePreview | None:
        _decision, lines = await budgets.current_lines(client_id, now)
        best = None
        by_id = {line.id: line for line in lines}
        for candidate in vdomain.candidate_lines(lines, [category]):
            line = by_id[candidate.line_id]
            room = vdomain.room_cents(line, candidate.swap)
            if best is None or room > best[1]:
                best = (line, room)
        if best is None:
            return None
        line, room = best
        preview = await own_share.preview(client_id, line.fee_rule_code, gross_cents, units, now)
        return LinePreview(category=line.category, available_cents=room, budget_cents=preview.share.budget_cents,
                           client_share_cents=preview.share.client_cents, fee_rule_name=preview.name)

    async def hold(self, actor: Actor, *, client_id: Any, listing_id: Any, amount_cents: int, expires_at: dt.datetime,
                   description: str, now: dt.datetime, lang: str, on_behalf_of: str | None, quantity: int = 1) -> Hold:
        read = await authorisation.authorise_for_client(
            actor, client_id=client_id, listing_id=listing_id, amount_cents=amount_cents, expires_at=expires_at,
            description=description, now=now, lang=lang, on_behalf_of=on_behalf_of, quantity=quantity,
        )
        if read.status != vdomain.APPROVED:
            return Hold(approved=False, decline_code=read.decline_code, message=read.message,
                        line_available_cents=read.line_available_cents)
        client = read.client_share_cents or 0
        return Hold(approved=True, authorization_id=uuid.UUID(read.id), line_available_cents=read.line_available_cents,
                    budget_cents=read.amount_cents, client_share_cents=client)

    async def capture(self, actor: Actor | None, authorization_id: Any, amount_cents: int, now: dt.datetime) -> uuid.UUID:
        return uuid.UUID((await authorisation.capture_booking_hold(actor, authorization_id, amount_cents, now)).id)

    async def release(self, actor: Actor | None, authorization_id: Any, now: dt.datetime) -> None:
        await authorisation.release_booking_hold(actor, authorization_id, now)

    async def authorization_status(self, authorization_id: Any, now: dt.datetime) -> str | None:
        if not authorization_id:
            return None
        return authorisation.to_read(await authorisation.load_for_resolution(authorization_id), now).status

    async def proxy_rights(self, user_id: Any, client_id: Any) -> set[str]:
        return await proxies.rights_of(user_id, client_id)

    async def proxy_user_ids(self, client_id: Any) -> list[str]:
        return await proxies.proxy_user_ids(client_id)

    async def clients_of_proxy(self, user_id: Any) -> list[ProxiedClient]:
        return [ProxiedClient(client_id=c.client_id, label=c.display_name, organiser_id=c.organiser_id, rights=c.rights)
                for c in await proxies.clients_of_proxy(user_id)]

    async def grants_of(self, client_id: Any) -> list[ProxyGrant]:
        return [msgspec.convert(read, ProxyGrant, from_attributes=True) for read in await proxies.active_proxies(client_id)]

    async def grant_by_client(self, actor: Actor, proxy_user_id: Any, rights: list[str]) -> str:
        read = await proxies.grant_own_proxy(actor, proxies.ProxyInput(proxy_user_id=str(proxy_user_id), rights=rights))
        return read.id

    async def revoke_by_client(self, actor: Actor, grant_id: Any, now: dt.datetime) -> None:
        await proxies.revoke_own_proxy(actor, grant_id, now)

    async def remittance(self, actor: Actor, *, page: int, per_page: int) -> list[SettlementRead]:
        return await settlement.remittance(actor, page=page, per_page=per_page)

    async def provider_payments(self, actor: Actor, now: dt.datetime, *, unpaid_only: bool, page: int,
                                per_page: int) -> tuple[list[ProviderPayment], int]:
        return await dispute_queries.provider_payments(actor, now, unpaid_only=unpaid_only, page=page, per_page=per_page)

    async def card_disputes(self, actor: Actor, *, status: str, page: int, per_page: int) -> tuple[list[DisputeView], int]:
        return await dispute_queries.organiser_disputes(actor, status=status, page=page, per_page=per_page)

    async def resolve_card_dispute(self, actor: Actor, dispute_id: Any, *, action: str, reason: str, part: str,
                                   now: dt.datetime) -> DisputeRead:
        part_cents = None
        if action == "partial" and part.strip():
            try:
                part_cents = vdomain.parse_euros(part)
            except ValueError:
                raise Invalid("error.validation", field="refund",
                              errors=[FieldError(field="refund", key="voucher.error.euros")]) from None
        return await disputes.resolve(actor, dispute_id, action=action, reason=reason, part_cents=part_cents, now=now)
