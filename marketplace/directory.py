"""Who and what other packages name by id, as typed rows: providers' and organisers' names, a
provider's contact e-mail and bank-account change, a listing's municipality and title, and the
terms an organiser approved for a listing.

The organiser console keeps the voucher's payments in tables of its own and asks here, by id, what
the marketplace says of the providers and listings they name (never reading the marketplace's
tables). Nothing here checks who may see it: these are names and terms, not personal data, and the
caller shows them only with figures it may show.
"""

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import msgspec

from core.ids import as_uuid, as_uuids
from marketplace.tables import Listing, ListingApproval, ListingRevision, Organiser, Provider


async def provider_names(provider_ids: Iterable[Any] | None = None) -> dict[str, str]:
    """Provider id → name (every provider's when no ids are given)."""
    query = Provider.select(Provider.id, Provider.name)
    if provider_ids is not None:
        ids = as_uuids(provider_ids)
        if not ids:
            return {}
        query = query.where(Provider.id.is_in(ids))
    return {str(r["id"]): r["name"] for r in await query.run()}


async def organiser_names() -> dict[str, str]:
    return {str(r["id"]): r["name"] for r in await Organiser.select(Organiser.id, Organiser.name).run()}


class ProviderAccount(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    email: str
    iban: str
    # When the provider last changed its bank account (None: never since registering).
    iban_changed_at: dt.datetime | None


async def provider_accounts(provider_ids: Iterable[Any]) -> dict[str, ProviderAccount]:
    ids = as_uuids(provider_ids)
    if not ids:
        return {}
    rows = await Provider.select(Provider.id, Provider.name, Provider.email, Provider.iban, Provider.iban_changed_at).where(
        Provider.id.is_in(ids)).run()
    return {str(r["id"]): ProviderAccount(id=str(r["id"]), name=r["name"], email=r["email"] or "", iban=r["iban"] or "",
                                          iban_changed_at=r["iban_changed_at"]) for r in rows}


async def providers_with_changed_account() -> list[str]:
    """Every provider that has changed its bank account at some time."""
    return [str(r["id"]) for r in await Provider.select(Provider.id).where(Provider.iban_changed_at.is_not_null()).run()]


class ListingPlace(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str  # in Finnish, as the listing is now
    municipality: str  # where the service is ("" when it comes to the client or is remote)


async def listing_places(listing_ids: Iterable[Any]) -> dict[str, ListingPlace]:
    ids = as_uuids(listing_ids)
    if not ids:
        return {}
    rows = await Listing.select(Listing.id, Listing.title_fi, Listing.municipality).where(Listing.id.is_in(ids)).run()
    return {str(r["id"]): ListingPlace(id=str(r["id"]), title=r["title_fi"] or "", municipality=r["municipality"] or "")
            for r in rows}


class ListingTerms(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    title: str  # in Finnish
    unit: str
    price_cents: int


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def approved_terms(listing_ids: Iterable[Any], organiser_id: Any) -> dict[str, ListingTerms]:
    """Each listing's title, unit and price as ``organiser_id`` approved it (its live revision
    there), or as the listing stands where that organiser has approved no version."""
    ids = as_uuids(listing_ids)
    if not ids:
        return {}
    listings = await Listing.select(Listing.id, Listing.title_fi, Listing.unit, Listing.price_cents).where(
        Listing.id.is_in(ids)).run()
    approvals = await ListingApproval.select(ListingApproval.listing, ListingApproval.live_revision).where(
        ListingApproval.listing.is_in(ids) & (ListingApproval.organiser == as_uuid(organiser_id))
        & ListingApproval.live_revision.is_not_null()).run()
    revisions = {
        r["id"]: _json(r["content"]) or {}
        for r in (await ListingRevision.select(ListingRevision.id, ListingRevision.content).where(
            ListingRevision.id.is_in([a["live_revision"] for a in approvals])).run() if approvals else [])
    }
    approved = {a["listing"]: revisions.get(a["live_revision"], {}) for a in approvals}
    out = {}
    for row in listings:
        content = approved.get(row["id"], {})
        out[str(row["id"])] = ListingTerms(
            id=str(row["id"]), title=(content.get("title") or {}).get("fi") or row["title_fi"] or "",
            unit=content.get("unit", row["unit"]), price_cents=int(content.get("price_cents", row["price_cents"])),
        )
    return out
