"""What the voucher asks the marketplace — the one place it does, through the marketplace's own
read services in ``marketplace.catalogue`` (never its tables).

The authorisation needs, on its hot path, a provider's standing with the client's organiser and a
listing's live approval, category and price (one query there); a payment naming a booking needs
the booking's terms, and a booking made by a proxy whether the proxy works for the provider;
settlement needs payees and organisers' bank details; the import and the decision forms need the
category codes. The standing rules are
the marketplace's: a provider may be paid when its approval with the organiser is ``approved``; a
listing is live when its approval there is ``approved`` (its approved revision says the category)
and its provider may be paid. This module turns the answers into the voucher's own structs.
"""

from typing import Any

import msgspec

from marketplace import catalogue
from marketplace.booking import services as bookings


class SellerFacts(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: str | None
    provider_approved: bool
    # The categories the provider's approval covers (used when no listing is named).
    provider_categories: tuple[str, ...]
    # None when no listing was named; False when named but not live with the organiser.
    listing_approved: bool | None
    listing_category: str | None
    # The live version's price (per unit) and unit, when the listing is live.
    listing_price_cents: int | None = None
    listing_unit: str | None = None


class BookingFacts(msgspec.Struct, frozen=True, kw_only=True):
    """A booking as a card payment naming it sees it (marketplace.booking's ``payment_terms``)."""

    booking_id: str
    client_id: str
    provider_id: str
    organiser_id: str
    listing_id: str
    quantity: int
    amount_cents: int
    status: str
    # The booking is in a state that may take a payment (requested, confirmed, delivered).
    takes_payment: bool
    # The booking's own hold (a voucher authorisation), if it has one.
    authorization_id: str | None


class Payee(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: str
    # Who the bank pays: the provider, or a light entrepreneur's invoicing service (decision 0036).
    name: str
    iban: str
    stripe_account_id: str | None
    # The reference the payee needs on the payment (a light entrepreneur's invoicing service's);
    # "" → the batch's own RF reference.
    remittance_reference: str = ""


class OrganiserFacts(msgspec.Struct, frozen=True, kw_only=True):
    organiser_id: str
    name: str
    business_id: str
    iban: str
    bic: str
    settlement_period: str


async def seller_facts(provider_id: Any, organiser_id: Any, listing_id: Any) -> SellerFacts:
    """The provider's standing with the organiser and the listing's, as of now (one query).

    With no ``provider_id`` (an organiser's own booking flow) the listing's provider is used.
    """
    return SellerFacts(**await catalogue.seller_facts(provider_id, organiser_id, listing_id))


async def booking_facts(booking_id: Any) -> BookingFacts | None:
    """The booking a payment names, or None when there is no such booking (one query)."""
    found = await bookings.payment_terms(booking_id)
    return BookingFacts(**found) if found else None


async def works_for_provider(user_id: Any, provider_id: Any) -> bool:
    """Is this person staff of the provider (the rule the anomaly ``proxy_is_provider_staff`` and the
    booking's own refusal use: core.identity's staff match, with the provider's e-mail)?"""
    return bool(user_id and provider_id) and await catalogue.works_for_provider(user_id, provider_id)


async def provider_by_merchant(merchant_id: str) -> str | None:
    """The provider that registered this Stripe merchant identifier."""
    return await catalogue.provider_by_merchant(merchant_id)


async def payees(provider_ids: list[Any]) -> dict[str, Payee]:
    return {
        pid: Payee(provider_id=pid, iban=r["iban"], stripe_account_id=r["stripe_account_id"],
                   **({"name": r["invoicing_service_name"], "remittance_reference": r["payment_reference"]}
                      if r["kind"] == "light_entrepreneur" else {"name": r["name"]}))
        for pid, r in (await catalogue.payees(provider_ids)).items()
    }


async def provider_names(provider_ids: list[Any]) -> dict[str, str]:
    """Provider id → name, for the payments a client, provider or organiser reads."""
    return await catalogue.provider_names(provider_ids)


async def approved_providers(organiser_id: Any) -> dict[str, str]:
    """The providers the organiser has approved, id → name (a plan's consents name them)."""
    return await catalogue.approved_providers(organiser_id)


async def listing_titles(listing_ids: list[Any]) -> dict[str, dict[str, str]]:
    """Listing id → its title by language."""
    return await catalogue.listing_titles(listing_ids)


async def organisers(organiser_ids: list[Any] | None = None) -> dict[str, OrganiserFacts]:
    return {
        r["id"]: OrganiserFacts(
            organiser_id=r["id"],
            name=r["name"],
            business_id=r["business_id"],
            iban=r["iban"] or "",
            bic=r["bic"] or "",
            settlement_period=r["settlement_period"] or "daily",
        )
        for r in await catalogue.organisers_bank(organiser_ids)
    }


async def organiser_ids_by_ref() -> dict[str, str]:
    """Import ref → id of every organiser that has a ref."""
    return {r["ref"]: str(r["id"]) for r in await catalogue.organisers() if r.get("ref")}


async def category_codes() -> set[str]:
    return await catalogue.category_codes()


async def category_names() -> dict[str, dict[str, str]]:
    """Category code → its name in fi/sv/en (Finnish where a translation is missing)."""
    return {row["code"]: catalogue.category_names(row) for row in await catalogue.categories()}
