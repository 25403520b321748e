"""What the voucher asks the marketplace — the one place it does.

The authorisation needs, on its hot path, a provider's standing with the client's organiser and a
listing's live approval and category; settlement needs payees and organisers' bank details. Until
the marketplace exposes these as services (see voucher/NEEDS.md), they are read here in plain SQL
over the marketplace's tables, so swapping in the marketplace's functions touches this file only.
The standing rules are the marketplace's: a provider may be paid when its approval with the
organiser is ``approved``; a listing is live when its approval there is ``approved`` (its approved
revision says the category) and its provider may be paid.
"""

import json
import uuid
from typing import Any

import msgspec

from core import db


class SellerFacts(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: str | None
    provider_approved: bool
    # The categories the provider's approval covers (used when no listing is named).
    provider_categories: tuple[str, ...]
    # None when no listing was named; False when named but not live with the organiser.
    listing_approved: bool | None
    listing_category: str | None


class Payee(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: str
    name: str
    iban: str
    stripe_account_id: str | None


class OrganiserFacts(msgspec.Struct, frozen=True, kw_only=True):
    organiser_id: str
    name: str
    business_id: str
    iban: str
    bic: str
    settlement_period: str


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _uuid(value: Any) -> uuid.UUID | None:
    if value is None:
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


_SELLER_SQL = """
SELECT p.id AS provider_id, p.categories AS provider_categories, pa.status AS provider_status,
       l.id AS listing_id, l.provider AS listing_provider, la.status AS listing_status,
       r.content AS listing_content
FROM mp_provider p
LEFT JOIN mp_provider_approval pa ON pa.provider = p.id AND pa.organiser = {}
LEFT JOIN mp_listing l ON l.id = {}
LEFT JOIN mp_listing_approval la ON la.listing = l.id AND la.organiser = {}
LEFT JOIN mp_listing_revision r ON r.id = la.live_revision
WHERE p.id = COALESCE({}, (SELECT provider FROM mp_listing WHERE id = {}))
"""


async def seller_facts(provider_id: Any, organiser_id: Any, listing_id: Any) -> SellerFacts:
    """One query: the provider's standing with the organiser and the listing's, as of now.

    With no ``provider_id`` (an organiser's own booking flow) the listing's provider is used.
    """
    pid, oid, lid = _uuid(provider_id), _uuid(organiser_id), _uuid(listing_id)
    rows = await db.engine().run_querystring(_querystring(_SELLER_SQL, oid, lid, oid, pid, lid))
    named_listing = listing_id is not None
    if not rows or oid is None:
        return SellerFacts(
            provider_id=str(pid) if pid else None,
            provider_approved=False,
            provider_categories=(),
            listing_approved=False if named_listing else None,
            listing_category=None,
        )
    row = rows[0]
    provider_ok = row["provider_status"] == "approved"
    listing_ok: bool | None = None
    category = None
    if named_listing:
        content = _json(row["listing_content"]) or {}
        listing_ok = bool(
            provider_ok
            and row["listing_id"] is not None
            and str(row["listing_provider"]) == str(row["provider_id"])
            and row["listing_status"] == "approved"
            and content
        )
        category = content.get("category") if listing_ok else None
    return SellerFacts(
        provider_id=str(row["provider_id"]),
        provider_approved=provider_ok,
        provider_categories=tuple(_json(row["provider_categories"]) or ()) if provider_ok else (),
        listing_approved=listing_ok,
        listing_category=category,
    )


def _querystring(sql: str, *args: Any):
    from piccolo.querystring import QueryString

    return QueryString(sql, *args)


async def provider_by_merchant(merchant_id: str) -> str | None:
    """The provider that registered this Stripe merchant identifier."""
    rows = await db.engine().run_querystring(
        _querystring("SELECT id FROM mp_provider WHERE merchant_id = {}", merchant_id)
    )
    return str(rows[0]["id"]) if rows else None


async def payees(provider_ids: list[Any]) -> dict[str, Payee]:
    ids = [i for i in (_uuid(p) for p in provider_ids) if i]
    if not ids:
        return {}
    placeholders = ", ".join("{}" for _ in ids)
    rows = await db.engine().run_querystring(
        _querystring(f"SELECT id, name, iban, stripe_account_id FROM mp_provider WHERE id IN ({placeholders})", *ids)
    )
    return {
        str(r["id"]): Payee(
            provider_id=str(r["id"]), name=r["name"], iban=r["iban"], stripe_account_id=r["stripe_account_id"]
        )
        for r in rows
    }


async def organisers(organiser_ids: list[Any] | None = None) -> dict[str, OrganiserFacts]:
    sql = "SELECT id, name, business_id, iban, bic, settlement_period FROM mp_organiser"
    args: list = []
    if organiser_ids is not None:
        ids = [i for i in (_uuid(o) for o in organiser_ids) if i]
        if not ids:
            return {}
        sql += " WHERE id IN (" + ", ".join("{}" for _ in ids) + ")"
        args = ids
    rows = await db.engine().run_querystring(_querystring(sql, *args))
    return {
        str(r["id"]): OrganiserFacts(
            organiser_id=str(r["id"]),
            name=r["name"],
            business_id=r["business_id"],
            iban=r["iban"] or "",
            bic=r["bic"] or "",
            settlement_period=r["settlement_period"] or "daily",
        )
        for r in rows
    }


async def category_codes() -> set[str]:
    rows = await db.engine().run_querystring(_querystring("SELECT code FROM mp_category"))
    return {r["code"] for r in rows}


async def category_names() -> dict[str, dict[str, str]]:
    """Category code → its name in fi/sv/en (Finnish where a translation is missing)."""
    rows = await db.engine().run_querystring(
        _querystring("SELECT code, name_fi, name_sv, name_en FROM mp_category ORDER BY code")
    )
    return {
        r["code"]: {"fi": r["name_fi"], "sv": r["name_sv"] or r["name_fi"], "en": r["name_en"] or r["name_fi"]}
        for r in rows
    }


async def organiser_by_ref(refs: list[str]) -> dict[str, str]:
    if not refs:
        return {}
    rows = await db.engine().run_querystring(
        _querystring("SELECT id, ref FROM mp_organiser WHERE ref IN (" + ", ".join("{}" for _ in refs) + ")", *refs)
    )
    return {r["ref"]: str(r["id"]) for r in rows}
