"""Organisers and service categories, and the read-only questions other packages ask the
marketplace (is this provider approved here? is this listing live there?).

A provider may be paid, listed and found in a category by an organiser's clients only when its
approval there is ``approved`` and covers that category (an approved ``ProviderCategoryApproval``
under it; marketplace.category_approvals says how categories are applied for). Every question
below asks both — and that the approval has not run out: an approval whose ``valid_until`` (the
earliest end of its required documents, marketplace.documents) has passed counts as not approved."""

import datetime as dt
import json

from piccolo.querystring import QueryString

from core import db, identity
from core.clock import utcnow
from core.errors import NotFound
from core.ids import as_uuid, require_uuid
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ProviderCategoryApproval,
    ServiceCategory,
)


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


def _in_force(approval=ProviderApproval):
    """The approval is ``approved`` and its evidence has not run out (valid_until unset or ahead)."""
    return (approval.status == "approved") & (approval.valid_until.is_null() | (approval.valid_until > utcnow()))


def _still_valid(value) -> bool:
    """A valid_until read by raw SQL (a datetime, or ISO text on SQLite) that has not passed."""
    if value is None:
        return True
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace(" ", "T"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value > utcnow()


async def provider_standing(provider_id, organiser_id) -> str | None:
    """The provider's approval status with the organiser (``approved`` means it may be paid;
    ``expired`` is an approval whose documents ran out)."""
    pid, oid = as_uuid(provider_id), as_uuid(organiser_id)
    if not pid or not oid:
        return None
    row = await ProviderApproval.select(ProviderApproval.status, ProviderApproval.valid_until).where(
        (ProviderApproval.provider == pid) & (ProviderApproval.organiser == oid)
    ).first().run()
    if row and row["status"] == "approved" and not _still_valid(row["valid_until"]):
        return "expired"
    return row["status"] if row else None


async def provider_approved_categories(provider_id, organiser_id) -> set[str]:
    """The categories the provider may be paid and listed in with the organiser (none unless its
    approval there is ``approved``)."""
    pid, oid = as_uuid(provider_id), as_uuid(organiser_id)
    if not pid or not oid:
        return set()
    rows = await ProviderCategoryApproval.select(ProviderCategoryApproval.category).where(
        (ProviderCategoryApproval.approval.provider == pid) & (ProviderCategoryApproval.approval.organiser == oid)
        & _in_force(ProviderCategoryApproval.approval) & (ProviderCategoryApproval.status == "approved")
    ).run()
    return {r["category"] for r in rows}


async def _covered(provider_ids: list) -> set[tuple]:
    """(provider, organiser, category) for every category an approved approval covers."""
    rows = await ProviderCategoryApproval.select(
        ProviderCategoryApproval.approval.provider, ProviderCategoryApproval.approval.organiser,
        ProviderCategoryApproval.category,
    ).where(
        ProviderCategoryApproval.approval.provider.is_in(provider_ids or [None])
        & _in_force(ProviderCategoryApproval.approval) & (ProviderCategoryApproval.status == "approved")
    ).run()
    return {(r["approval.provider"], r["approval.organiser"], r["category"]) for r in rows}


async def live_listing(listing_id, organiser_id) -> dict | None:
    """The listing as the organiser approved it, if it is live there now; otherwise None.

    Live means: the listing's approval with the organiser is ``approved`` and its provider's
    approval with the same organiser is ``approved`` (not suspended, not rejected) and covers the
    category of the approved version.
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
    revision = await ListingRevision.select(ListingRevision.content).where(
        ListingRevision.id == approval["live_revision"]
    ).output(load_json=True).first().run()
    if not revision or revision["content"].get("category") not in await provider_approved_categories(provider_id, oid):
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


async def works_for_provider(user_id, provider_id) -> bool:
    """Is this person staff of the provider (core.identity's rule, with the provider's e-mail)?"""
    provider = await provider_brief(provider_id)
    return bool(provider) and await identity.is_provider_staff(user_id, provider["id"], provider["email"])


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
    covered = await _covered(list({a["listing.provider"] for a in approvals}))
    revisions = {
        r["id"]: r
        for r in await ListingRevision.select(ListingRevision.id, ListingRevision.number, ListingRevision.content).where(
            ListingRevision.id.is_in(list({a["live_revision"] for a in approvals}))
        ).output(load_json=True).run()
    }
    cats = await category_map()
    for a in approvals:
        key = str(a["listing"])
        revision = revisions.get(a["live_revision"])
        if revision is None or (a["listing.provider"], a["organiser"], revision["content"].get("category")) not in covered:
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


# ----- what the voucher asks on its money paths (authorisation, settlement, import) -----

# One statement, because it runs on every card payment: the provider (named, or the listing's
# when only a listing is named), its approval with the organiser and the categories that approval
# covers (one row each), and the listing's approval there with the content of its live revision.
_SELLER_SQL = f"""
SELECT p.id AS provider_id, p.categories AS provider_categories, pa.status AS provider_status,
       pa.valid_until AS provider_valid_until,
       pc.category AS covered_category,
       l.id AS listing_id, l.provider AS listing_provider, la.status AS listing_status,
       r.content AS listing_content
FROM {Provider._meta.tablename} p
LEFT JOIN {ProviderApproval._meta.tablename} pa ON pa.provider = p.id AND pa.organiser = {{}}
LEFT JOIN {ProviderCategoryApproval._meta.tablename} pc ON pc.approval = pa.id AND pc.status = 'approved'
LEFT JOIN {Listing._meta.tablename} l ON l.id = {{}}
LEFT JOIN {ListingApproval._meta.tablename} la ON la.listing = l.id AND la.organiser = {{}}
LEFT JOIN {ListingRevision._meta.tablename} r ON r.id = la.live_revision
WHERE p.id = COALESCE({{}}, (SELECT provider FROM {Listing._meta.tablename} WHERE id = {{}}))
"""


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


async def seller_facts(provider_id, organiser_id, listing_id) -> dict:
    """In one query, as of now: may the provider be paid by the organiser's clients
    (``provider_approved``), which categories its approval covers (approved ones it still lists),
    and — when a listing is named — whether it is live with the organiser (``listing_approved``,
    None when none was named: its approval there, and its approved version's category covered),
    that category and the live version's price and unit (the card payment's price ceiling). With
    no ``provider_id`` the listing's provider is used."""
    pid, oid, lid = as_uuid(provider_id), as_uuid(organiser_id), as_uuid(listing_id)
    named_listing = listing_id is not None
    rows = [] if oid is None else await db.engine().run_querystring(
        QueryString(_SELLER_SQL, oid, lid, oid, pid, lid)
    )
    if not rows:
        return {"provider_id": str(pid) if pid else None, "provider_approved": False, "provider_categories": (),
                "listing_approved": False if named_listing else None, "listing_category": None,
                "listing_price_cents": None, "listing_unit": None}
    row = rows[0]
    provider_ok = row["provider_status"] == "approved" and _still_valid(row["provider_valid_until"])
    covered = {r["covered_category"] for r in rows if r["covered_category"]} if provider_ok else set()
    categories = tuple(c for c in _json(row["provider_categories"]) or () if c in covered)
    listing_ok: bool | None = None
    category = price = unit = None
    if named_listing:
        content = _json(row["listing_content"]) or {}
        listing_ok = bool(
            provider_ok
            and row["listing_id"] is not None
            and str(row["listing_provider"]) == str(row["provider_id"])
            and row["listing_status"] == "approved"
            and content
            and content.get("category") in categories
        )
        if listing_ok:
            category, price, unit = content.get("category"), content.get("price_cents"), content.get("unit")
    return {
        "provider_id": str(row["provider_id"]),
        "provider_approved": provider_ok,
        "provider_categories": categories,
        "listing_approved": listing_ok,
        "listing_category": category,
        "listing_price_cents": int(price) if price is not None else None,
        "listing_unit": unit,
    }


async def payees(provider_ids: list) -> dict[str, dict]:
    """Provider id → what a payout needs: name, IBAN and Stripe account, and the kind with a light
    entrepreneur's invoicing service and its payment reference (the IBAN is then the service's)."""
    ids = [i for i in (as_uuid(p) for p in provider_ids) if i]
    if not ids:
        return {}
    rows = await Provider.select(Provider.id, Provider.name, Provider.iban, Provider.stripe_account_id, Provider.kind,
                                 Provider.invoicing_service_name, Provider.payment_reference).where(
        Provider.id.is_in(ids)
    ).run()
    return {str(r["id"]): {**r, "id": str(r["id"])} for r in rows}


async def provider_names(provider_ids: list) -> dict[str, str]:
    """Provider id → its name (what a client's or organiser's list of payments shows)."""
    ids = [i for i in (as_uuid(p) for p in provider_ids) if i]
    if not ids:
        return {}
    rows = await Provider.select(Provider.id, Provider.name).where(Provider.id.is_in(ids)).run()
    return {str(r["id"]): r["name"] for r in rows}


async def approved_providers(organiser_id) -> dict[str, str]:
    """The providers whose approval with the organiser is ``approved`` (id → name, by name): whom a
    client's plan may consent to share data with."""
    oid = as_uuid(organiser_id)
    if not oid:
        return {}
    rows = await ProviderApproval.select(ProviderApproval.provider, ProviderApproval.provider.name).where(
        (ProviderApproval.organiser == oid) & _in_force()
    ).order_by(ProviderApproval.provider.name).run()
    return {str(r["provider"]): r["provider.name"] for r in rows}


async def listing_titles(listing_ids: list) -> dict[str, dict[str, str]]:
    """Listing id → its title in fi/sv/en (the languages it has)."""
    ids = [i for i in (as_uuid(x) for x in listing_ids) if i]
    if not ids:
        return {}
    rows = await Listing.select(Listing.id, Listing.title_fi, Listing.title_sv, Listing.title_en).where(
        Listing.id.is_in(ids)).run()
    return {str(r["id"]): {lang: r[f"title_{lang}"] for lang in ("fi", "sv", "en") if r[f"title_{lang}"]} for r in rows}


async def organisers_bank(organiser_ids: list | None = None) -> list[dict]:
    """What settlement needs of each organiser (all of them, or those named): name, business id,
    bank account and settlement period."""
    query = Organiser.select(
        Organiser.id, Organiser.name, Organiser.business_id, Organiser.iban, Organiser.bic, Organiser.settlement_period
    )
    if organiser_ids is not None:
        ids = [i for i in (as_uuid(o) for o in organiser_ids) if i]
        if not ids:
            return []
        query = query.where(Organiser.id.is_in(ids))
    return [{**r, "id": str(r["id"])} for r in await query.run()]


async def category_codes() -> set[str]:
    return {r["code"] for r in await ServiceCategory.select(ServiceCategory.code).run()}
