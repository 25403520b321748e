"""Bulk import (`hb-import/1`, described in docs/api.md): idempotent by `ref`, all or nothing.

First every record is validated and every problem collected as ``{ref, field, message}``, and
every record is checked against the importer's scope (``marketplace.import_scope``: an organiser
admin writes only its own county's records); only a file with no problem and nothing out of scope
is applied, in one write transaction. Re-importing the same file changes nothing (rows are
compared before they are written); a changed record is updated.

Clients, budget decisions and cards are the voucher's, and the search index is search's: the
composition root (``hb``: the `hb` command, the imports route's ``import_wiring`` dependency)
passes the voucher's importer in as ``clients`` and the search index's drain as ``after_commit``;
the marketplace depends on neither.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec

from core import audit, db, identity
from core.clock import utcnow
from core.errors import FieldError, Forbidden, Invalid
from core.identity import Actor
from marketplace import category_approvals, domain, listing_changes
from marketplace.import_scope import OPERATOR, ImportScope, Owner, Write, scope_of
from marketplace.import_validation import FORMAT, ClientRecords, validate  # noqa: F401 - FORMAT is part of the import's API
from marketplace.listings import _normal, content_of
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingReview,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ProviderEvidence,
    ServiceCategory,
)

IMPORT_KEY_LABEL = "import"


@dataclass(frozen=True)
class ImportWiring:
    """What an import needs from the packages above the marketplace, given by the composition root:
    the voucher's client records, and what runs once the import has committed (the search index's
    drain, so approved records are searchable before the import returns)."""

    clients: ClientRecords | None = None
    after_commit: Callable[[], Awaitable[object]] | None = None


async def refusals(
    doc: dict, scope: ImportScope, clients: ClientRecords | None, form_errors: list[FieldError]
) -> list[FieldError]:
    """Every record of the file the scope does not allow (``marketplace.import_scope``). A record
    with a form error is judged only by whose it is: its changes cannot be worked out, and the
    file is refused for that error anyway."""
    if scope.everything:
        return []
    unsound = {e.ref for e in form_errors}
    writes: list[Write] = []

    def records(section: str) -> list[dict]:
        value = doc.get(section, [])
        return [r for r in value if isinstance(r, dict) and isinstance(r.get("ref"), str)] if isinstance(value, list) else []

    def approvals(item: dict) -> None:
        for i, approval in enumerate(item.get("approvals") if isinstance(item.get("approvals"), list) else []):
            organiser = approval.get("organiser") if isinstance(approval, dict) else None
            writes.append(Write(item["ref"], f"approvals[{i}].organiser", scope.owner(organiser)))

    async def stored(table, ref_column, ref: str) -> dict | None:
        return await table.select().where(ref_column == ref).output(load_json=True).first().run()

    for o in records("organisers"):
        if scope.owner(o["ref"]) is Owner.OTHER:
            writes.append(Write(o["ref"], "ref", Owner.OTHER))
        elif o["ref"] not in unsound:  # the admin's own organiser: its settings are the operator's
            # (but not its card rules: the county's own, as on its /organiser/card-rules page)
            changes = _changes(await stored(Organiser, Organiser.ref, o["ref"]), _organiser_values(o))
            writes.append(Write(o["ref"], "ref", Owner.SHARED, changes))
    for c in records("categories"):
        if c["ref"] not in unsound:
            changes = _changes(await stored(ServiceCategory, ServiceCategory.code, c["ref"]), _category_values(c))
            writes.append(Write(c["ref"], "ref", Owner.SHARED, changes))
    new_providers: set[str] = set()
    listing_categories = _listing_categories(doc)
    for p in records("providers"):
        row = await stored(Provider, Provider.ref, p["ref"])
        if row is None:
            new_providers.add(p["ref"])
            writes.append(Write(p["ref"], "ref", Owner.OWN))
        elif p["ref"] not in unsound:
            changes = _changes(row, _provider_values(p, row, listing_categories.get(p["ref"], set())))
            if await _evidence_of(row["id"]) != p.get("evidence", {}):
                changes += ("evidence",)
            writes.append(Write(p["ref"], "ref", Owner.SHARED, changes))
        if p.get("issue_api_key") is True:
            writes.append(Write(p["ref"], "issue_api_key", Owner.SHARED, ("issue_api_key",)))
        approvals(p)
    for item in records("listings"):
        row = await stored(Listing, Listing.ref, item["ref"])
        if row is None and item.get("provider") in new_providers:
            writes.append(Write(item["ref"], "ref", Owner.OWN))
        elif row is None:
            writes.append(Write(item["ref"], "provider", Owner.SHARED, ("provider",)))  # a provider's own listings
        elif item["ref"] not in unsound:
            provider = await Provider.select(Provider.id).where(Provider.ref == item.get("provider")).first().run()
            changes = _changes(row, _listing_values(item, provider["id"] if provider else None))
            writes.append(Write(item["ref"], "ref", Owner.SHARED, changes))
        approvals(item)
    writes.extend(await _client_writes(records("clients"), scope, clients))
    return scope.refusals(writes)


async def _client_writes(items: list[dict], scope: ImportScope, clients: ClientRecords | None) -> list[Write]:
    """A client is the county's when the file puts it there and every ref it uses (its own, its
    decision's, its card's) is new or already the county's."""
    if not items or clients is None:
        return []
    owners = await clients.owners({"clients": items})
    writes = []
    for item in items:
        county = scope.owner(item.get("organiser"))
        writes.append(Write(item["ref"], "organiser", county))
        if county is Owner.OTHER:
            continue  # refused already; its refs need no second word
        for kind, part, field in (("clients", item, "ref"), ("decisions", item.get("decision"), "decision.ref"),
                                  ("cards", item.get("card"), "card.ref")):
            ref = part.get("ref") if isinstance(part, dict) else None
            if ref in owners[kind]:
                writes.append(Write(ref, field, scope.owner(organiser_id=owners[kind][ref])))
    return writes


def _changes(row: dict | None, values: dict) -> tuple[str, ...]:
    """The fields the import would create (all of them: ``ref``) or change."""
    if row is None:
        return ("ref",)
    return tuple(k for k, v in values.items() if _differs(row.get(k), v))


def _organiser_values(o: dict) -> dict:
    values = {"name": o["name"].strip(), "business_id": domain.normalise_business_id(o["business_id"]),
              "municipalities": list(o["municipalities"])}
    if "settlement_period" in o:
        values["settlement_period"] = o["settlement_period"]
    for key in ("iban", "bic"):
        if isinstance(o.get(key), str):
            values[key] = domain.normalise_iban(o[key]) if key == "iban" else o[key]
    return values


def _category_values(c: dict) -> dict:
    names = c["names"]
    return {"name_fi": names["fi"].strip(), "name_sv": (names.get("sv") or "").strip(),
            "name_en": (names.get("en") or "").strip(), "traditional": bool(c.get("traditional", True)),
            "requirements": list(c.get("requirements", [])),
            "requirements_by_kind": {k: list(v) for k, v in (c.get("requirements_by_kind") or {}).items()}}


def _listing_categories(doc: dict) -> dict[str, set[str]]:
    """The categories each provider's listings in the file add to the provider's."""
    out: dict[str, set[str]] = {}
    for item in doc.get("listings", []) if isinstance(doc.get("listings"), list) else []:
        if isinstance(item, dict) and isinstance(item.get("provider"), str) and isinstance(item.get("category"), str):
            out.setdefault(item["provider"], set()).add(item["category"])
    return out


def _provider_values(p: dict, existing: dict | None, listing_categories: set[str]) -> dict:
    return {
        "kind": p.get("kind", domain.DEFAULT_KIND),
        "business_id": domain.normalise_business_id(p["business_id"]) if (p.get("business_id") or "").strip() else None,
        "name": p["name"].strip(), "iban": domain.normalise_iban(p.get("iban", "")),
        "invoicing_service_name": (p.get("invoicing_service_name") or "").strip(),
        "payment_reference": domain.normalise_reference(p.get("payment_reference")),
        "email": p["email"].strip().lower(), "phone": (p.get("phone") or "").strip(),
        "languages": list(p.get("languages", [])), "municipalities": list(p.get("municipalities", [])),
        "categories": sorted(set((existing["categories"] or []) if existing else []) | listing_categories),
    }


def _listing_values(item: dict, provider_id: Any) -> dict:
    title = item["title"]
    description = item.get("description", {})
    values = {"provider": provider_id, "category": item["category"], "price_cents": item["price_cents"], "unit": item["unit"],
              "delivery_mode": item["delivery_mode"], "municipality": item["municipality"].strip(),
              "address": (item.get("address") or "").strip(), "accessibility": list(item.get("accessibility", [])),
              "languages": list(item.get("languages", [])), "capacity": item.get("capacity", 1)}
    for lang in domain.CONTENT_LANGS:
        values[f"title_{lang}"] = (title.get(lang) or "").strip()
        values[f"description_{lang}"] = (description.get(lang) or "").strip()
    return values


async def _evidence_of(provider_id) -> dict[str, bool]:
    rows = await ProviderEvidence.select().where(ProviderEvidence.provider == provider_id).run()
    return {r["requirement"]: r["provided"] for r in rows}


async def _upsert(table, ref_column, ref: str, values: dict, counters: dict) -> Any:
    """Insert or update by ref; returns the row id. Writes only what differs."""
    row = await table.select().where(ref_column == ref).output(load_json=True).first().run()
    if row is None:
        obj = table(**{ref_column._meta.name: ref}, **values)
        await obj.save().run()
        counters["created"] += 1
        return obj.id
    changed = {k: v for k, v in values.items() if _differs(row.get(k), v)}
    if changed:
        await table.update({getattr(table, k): v for k, v in changed.items()}).where(table.id == row["id"]).run()
        counters["updated"] += 1
    return row["id"]


def _differs(current: Any, new: Any) -> bool:
    if isinstance(new, (list, dict)):
        return msgspec.json.encode(current, order="sorted") != msgspec.json.encode(new, order="sorted")
    return current != new


async def apply(
    doc: dict, actor: Actor, settings=None, clients: ClientRecords | None = None, scope: ImportScope = OPERATOR
) -> tuple[dict[str, str], dict[str, str], dict]:
    refs: dict[str, str] = {}
    api_keys: dict[str, str] = {}
    counters = {"created": 0, "updated": 0, "decisions": 0}
    org_ids: dict[str, Any] = {r["ref"]: r["id"] for r in await Organiser.select(Organiser.ref, Organiser.id).where(Organiser.ref.is_not_null()).run()}
    for o in doc.get("organisers", []):
        org_ids[o["ref"]] = await _upsert(Organiser, Organiser.ref, o["ref"], _organiser_values(o), counters)
        refs[o["ref"]] = str(org_ids[o["ref"]])
    for c in doc.get("categories", []):
        refs[c["ref"]] = str(await _upsert(ServiceCategory, ServiceCategory.code, c["ref"], _category_values(c), counters))
    if clients is not None:
        # The organisers' card rules are the voucher's (their open-amount categories may be new above).
        await clients.apply_organisers(doc, {"organisers": org_ids}, actor, counters)
    provider_ids: dict[str, Any] = {r["ref"]: r["id"] for r in await Provider.select(Provider.ref, Provider.id).where(Provider.ref.is_not_null()).run()}
    categories_by_provider = _listing_categories(doc)
    for p in doc.get("providers", []):
        existing = await Provider.select(Provider.categories, Provider.iban).where(Provider.ref == p["ref"]).output(load_json=True).first().run()
        values = _provider_values(p, existing, categories_by_provider.get(p["ref"], set()))
        if existing and existing["iban"] != values["iban"]:
            values["iban_changed_at"] = utcnow()
        elif existing is None and not scope.everything:
            # One admin both wrote the account and approved it: its first payouts wait for a
            # second admin of the county, as after a change of account (admin.payouts).
            values["iban_changed_at"] = utcnow()
        pid = await _upsert(Provider, Provider.ref, p["ref"], values, counters)
        provider_ids[p["ref"]] = pid
        refs[p["ref"]] = str(pid)
        await _sync_evidence(pid, p.get("evidence", {}), counters)
        for approval in p.get("approvals", []):
            await _set_provider_approval(actor, pid, org_ids[approval["organiser"]], approval["status"], counters)
        # What each approval covers (marketplace.category_approvals): a granted one the file's listings' categories.
        await category_approvals.sync(pid, values["categories"], utcnow())
        for approval in p.get("approvals", []):
            await category_approvals.declare(pid, org_ids[approval["organiser"]], approval["status"],
                                             categories_by_provider.get(p["ref"], set()), utcnow())
        if p.get("issue_api_key"):
            has_key = await identity.has_api_key(pid, IMPORT_KEY_LABEL)
            if not has_key:
                _, key = await identity.create_api_key(provider_id=pid, label=IMPORT_KEY_LABEL, created_by=actor.user_id)
                api_keys[p["ref"]] = key
    changed_listings = []
    for item in doc.get("listings", []):
        lid, changed = await _apply_listing(actor, item, provider_ids[item["provider"]], org_ids, counters)
        refs[item["ref"]] = str(lid)
        if changed:
            changed_listings.append(lid)
    await listing_changes.enqueue(changed_listings)
    if clients is not None and doc.get("clients"):
        refs.update(await clients.apply_clients(doc, {"organisers": org_ids, "providers": provider_ids}, actor, counters,
                                                settings=settings))
    return refs, api_keys, counters


async def _sync_evidence(provider_id, evidence: dict[str, bool], counters: dict) -> None:
    if await _evidence_of(provider_id) == evidence:
        return
    await ProviderEvidence.delete().where(ProviderEvidence.provider == provider_id).run()
    if evidence:
        await ProviderEvidence.insert(*[
            ProviderEvidence(provider=provider_id, requirement=req, provided=provided, detail="import")
            for req, provided in evidence.items()
        ]).run()
    counters["updated"] += 1


async def _set_provider_approval(actor: Actor, provider_id, organiser_id, status: str, counters: dict) -> None:
    row = await ProviderApproval.select().where(
        (ProviderApproval.provider == provider_id) & (ProviderApproval.organiser == organiser_id)
    ).first().run()
    if row and row["status"] == status:
        return
    now = utcnow()
    if row is None:
        await ProviderApproval(provider=provider_id, organiser=organiser_id, status=status,
                               decided_at=None if status == "pending" else now).save().run()
    else:
        await ProviderApproval.update({ProviderApproval.status: status, ProviderApproval.decided_at: now}).where(
            ProviderApproval.id == row["id"]).run()
    counters["decisions"] += 1
    await audit.record(actor, "provider_approval.imported", "provider", provider_id, organiser_id=organiser_id,
                       reason="import", details={"from": row["status"] if row else None, "to": status})
    await listing_changes.enqueue([r["id"] for r in await Listing.select(Listing.id).where(Listing.provider == provider_id).run()])


async def _apply_listing(actor: Actor, item: dict, provider_id, org_ids: dict, counters: dict) -> tuple[Any, bool]:
    before = dict(counters)
    lid = await _upsert(Listing, Listing.ref, item["ref"], _listing_values(item, provider_id), counters)
    row = await Listing.select().where(Listing.id == lid).output(load_json=True).first().run()
    content = content_of(row)
    latest = await ListingRevision.select().where(ListingRevision.listing == lid).order_by(
        ListingRevision.number, ascending=False).output(load_json=True).first().run()
    if latest and _normal(latest["content"]) == _normal(content):
        revision_id = latest["id"]
    else:
        revision = ListingRevision(listing=lid, number=(latest["number"] + 1) if latest else 1, content=content, created_by=actor.user_id)
        await revision.save().run()
        revision_id = revision.id
        counters["created"] += 1
    for approval in item.get("approvals", []):
        oid = org_ids[approval["organiser"]]
        status = approval["status"]
        current = await ListingApproval.select().where((ListingApproval.listing == lid) & (ListingApproval.organiser == oid)).first().run()
        live = revision_id if status in ("approved", "suspended") else (current["live_revision"] if current else None)
        if current and current["status"] == status and current["live_revision"] == live:
            continue
        if current is None:
            await ListingApproval(listing=lid, organiser=oid, status=status, live_revision=live).save().run()
        else:
            await ListingApproval.update({ListingApproval.status: status, ListingApproval.live_revision: live,
                                          ListingApproval.decided_at: utcnow()}).where(ListingApproval.id == current["id"]).run()
        counters["decisions"] += 1
        await audit.record(actor, "listing_approval.imported", "listing", lid, organiser_id=oid, reason="import",
                           details={"from": current["status"] if current else None, "to": status})
        if status == "pending":
            waiting = await ListingReview.exists().where(
                (ListingReview.listing == lid) & (ListingReview.organiser == oid) & (ListingReview.revision == revision_id)
                & (ListingReview.status == "pending")).run()
            if not waiting:
                await ListingReview(listing=lid, organiser=oid, revision=revision_id, status="pending").save().run()
    # The provider's summary is every county's approvals, not only those this file names.
    statuses = [r["status"] for r in await ListingApproval.select(ListingApproval.status).where(
        ListingApproval.listing == lid).run()]
    summary = domain.listing_summary_status(["pending"] if "pending" in statuses else [], statuses, False) if statuses else "draft"
    if row["status"] != summary or row["current_revision"] != revision_id:
        await Listing.update({Listing.status: summary, Listing.current_revision: revision_id}).where(Listing.id == lid).run()
    return lid, counters != before


async def import_document(doc: Any, *, actor: Actor | None = None, settings=None, clients: ClientRecords | None = None,
                          after_commit: Callable[[], Awaitable[object]] | None = None) -> dict:
    """Validate, check the actor's scope and apply ``doc`` in one write transaction, so what the
    checks saw is what is written. The actor defaults to the operator (`hb import`); ``clients`` is
    the voucher's importer, needed when the file has clients; ``after_commit`` runs once the import
    has committed (``ImportWiring``)."""
    actor = actor or Actor(role="platform_admin", display_name="hb import")
    scope = await scope_of(actor)
    async with db.write_transaction():
        await _one_import_at_a_time()
        errors, _ = await validate(doc, clients)
        refused = await refusals(doc, scope, clients, errors) if isinstance(doc, dict) else []
        if refused:
            raise Forbidden("import.refused", errors=refused, field=refused[0].field)
        if errors:
            raise Invalid("import.invalid", errors=errors, field=errors[0].field)
        refs, api_keys, counters = await apply(doc, actor, settings, clients, scope)
        if counters["created"] or counters["updated"] or counters["decisions"]:
            await audit.record(actor, "import.applied", "import", doc.get("format"), details=counters)
    # Approved records become searchable before the import returns (docs/api.md): hb passes the
    # search index's drain.
    if after_commit is not None:
        await after_commit()
    return {"refs": refs, "api_keys": api_keys, "summary": counters}


IMPORT_LOCK = 0x68625F696D706F72  # "hb_impor": PostgreSQL advisory lock key of the import


async def _one_import_at_a_time() -> None:
    """Refs are written only by imports; one import at a time keeps the scope's answer ("new",
    "whose") true until the file is written. SQLite's BEGIN IMMEDIATE serialises writers already."""
    if not db.is_sqlite():
        await Organiser.raw("SELECT pg_advisory_xact_lock({})", IMPORT_LOCK).run()


async def import_bytes(body: bytes, *, actor: Actor, settings=None, wiring: ImportWiring = ImportWiring()) -> dict:
    try:
        doc = msgspec.json.decode(body)
    except msgspec.DecodeError as exc:
        raise Invalid("import.not_json", field="body", detail=str(exc)) from None
    return await import_document(doc, actor=actor, settings=settings, clients=wiring.clients,
                                 after_commit=wiring.after_commit)
