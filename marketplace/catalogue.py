"""Organisers and service categories, and the read-only questions other packages ask the
marketplace (is this provider approved here? is this listing live there?)."""

import uuid

from core.errors import NotFound
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ServiceCategory,
)


def as_uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def require_uuid(value, what: str = "error.not_found") -> uuid.UUID:
    parsed = as_uuid(value)
    if parsed is None:
        raise NotFound(what)
    return parsed


async def organisers() -> list[dict]:
    return await Organiser.select().order_by(Organiser.name).output(load_json=True).run()


async def organiser(organiser_id) -> dict:
    row = await Organiser.select().where(Organiser.id == require_uuid(organiser_id)).output(load_json=True).first().run()
    if not row:
        raise NotFound()
    return row


async def categories() -> list[dict]:
    return await ServiceCategory.select().order_by(ServiceCategory.code).output(load_json=True).run()


async def category_map() -> dict[str, dict]:
    return {row["code"]: row for row in await categories()}


def category_names(row: dict) -> dict[str, str]:
    return {"fi": row["name_fi"], "sv": row["name_sv"] or row["name_fi"], "en": row["name_en"] or row["name_fi"]}


async def all_municipalities() -> list[str]:
    names: set[str] = set()
    for row in await organisers():
        names.update(row["municipalities"] or [])
    return sorted(names)


# ----- questions other packages ask (voucher's authorisation, search's documents) -----


async def provider_standing(provider_id, organiser_id) -> str | None:
    """The provider's approval status with the organiser (``approved`` means it may be paid)."""
    pid, oid = as_uuid(provider_id), as_uuid(organiser_id)
    if not pid or not oid:
        return None
    row = await ProviderApproval.select(ProviderApproval.status).where(
        (ProviderApproval.provider == pid) & (ProviderApproval.organiser == oid)
    ).first().run()
    return row["status"] if row else None


async def provider_approved_categories(provider_id, organiser_id) -> list[str]:
    if await provider_standing(provider_id, organiser_id) != "approved":
        return []
    row = await Provider.select(Provider.categories).where(Provider.id == as_uuid(provider_id)).output(load_json=True).first().run()
    return list(row["categories"] or []) if row else []


async def live_listing(listing_id, organiser_id) -> dict | None:
    """The listing as the organiser approved it, if it is live there now; otherwise None.

    Live means: the listing's approval with the organiser is ``approved`` and its provider's
    approval with the same organiser is ``approved`` (not suspended, not rejected).
    """
    lid, oid = as_uuid(listing_id), as_uuid(organiser_id)
    if not lid or not oid:
        return None
    approval = await ListingApproval.select(
        ListingApproval.status, ListingApproval.live_revision, ListingApproval.listing.provider
    ).where((ListingApproval.listing == lid) & (ListingApproval.organiser == oid)).first().run()
    if not approval or approval["status"] != "approved" or not approval["live_revision"]:
        return None
    provider_id = approval["listing.provider"]
    if await provider_standing(provider_id, oid) != "approved":
        return None
    revision = await ListingRevision.select(ListingRevision.content).where(
        ListingRevision.id == approval["live_revision"]
    ).output(load_json=True).first().run()
    if not revision:
        return None
    return {"id": str(lid), "provider_id": str(provider_id), **revision["content"]}


async def listing_provider(listing_id) -> str | None:
    row = await Listing.select(Listing.provider).where(Listing.id == as_uuid(listing_id)).first().run()
    return str(row["provider"]) if row else None


async def provider_by_merchant(merchant_id: str) -> str | None:
    row = await Provider.select(Provider.id).where(Provider.merchant_id == merchant_id).first().run()
    return str(row["id"]) if row else None


async def provider_brief(provider_id) -> dict | None:
    row = await Provider.select(
        Provider.id, Provider.name, Provider.business_id, Provider.iban, Provider.iban_changed_at,
        Provider.stripe_account_id, Provider.email,
    ).where(Provider.id == as_uuid(provider_id)).first().run()
    return row


async def searchable(listing_ids: list) -> dict[str, dict | None]:
    """For the search index: each listing's live content and the organisers it is live with, or
    None when it is live nowhere (then it must leave the index). Never any client data."""
    ids = [i for i in (as_uuid(x) for x in listing_ids) if i]
    out: dict[str, dict | None] = {str(i): None for i in ids}
    if not ids:
        return out
    approvals = await ListingApproval.select(
        ListingApproval.listing, ListingApproval.organiser, ListingApproval.live_revision, ListingApproval.decided_at,
        ListingApproval.listing.provider, ListingApproval.listing.provider.name,
    ).where(
        ListingApproval.listing.is_in(ids) & (ListingApproval.status == "approved") & ListingApproval.live_revision.is_not_null()
    ).run()
    if not approvals:
        return out
    provider_ids = list({a["listing.provider"] for a in approvals})
    standing = {
        (r["provider"], r["organiser"])
        for r in await ProviderApproval.select(ProviderApproval.provider, ProviderApproval.organiser).where(
            ProviderApproval.provider.is_in(provider_ids) & (ProviderApproval.status == "approved")
        ).run()
    }
    live = [a for a in approvals if (a["listing.provider"], a["organiser"]) in standing]
    revisions = {
        r["id"]: r
        for r in await ListingRevision.select(ListingRevision.id, ListingRevision.number, ListingRevision.content).where(
            ListingRevision.id.is_in(list({a["live_revision"] for a in live}) or [None])
        ).output(load_json=True).run()
    } if live else {}
    cats = await category_map()
    for a in live:
        key = str(a["listing"])
        revision = revisions.get(a["live_revision"])
        if revision is None:
            continue
        entry = out[key]
        if entry is None:
            entry = out[key] = {"organisers": [], "revision": revision, "provider_id": str(a["listing.provider"]),
                                "provider_name": a["listing.provider.name"]}
        entry["organisers"].append(str(a["organiser"]))
        if revision["number"] > entry["revision"]["number"]:
            entry["revision"] = revision  # the newest approved version represents the listing
    for entry in out.values():
        if entry:
            content = entry["revision"]["content"]
            category = cats.get(content["category"])
            entry["content"] = content
            entry["category_names"] = category_names(category) if category else {"fi": content["category"]}
    return out


async def all_listing_ids() -> list[str]:
    return [str(r["id"]) for r in await Listing.select(Listing.id).run()]


async def public_listing(listing_id, organiser_id=None) -> dict | None:
    """A listing as the public (or a client of ``organiser_id``) may see it: live content only."""
    found = (await searchable([listing_id])).get(str(as_uuid(listing_id)) if as_uuid(listing_id) else "")
    if not found:
        return None
    if organiser_id and str(organiser_id) not in found["organisers"]:
        return None
    provider = await Provider.select(Provider.name, Provider.email, Provider.phone, Provider.website, Provider.description).where(
        Provider.id == as_uuid(found["provider_id"])).first().run()
    capacity = await Listing.select(Listing.capacity).where(Listing.id == as_uuid(listing_id)).first().run()
    return {**found, "id": str(listing_id), "provider": provider, "capacity": capacity["capacity"] if capacity else 1}
