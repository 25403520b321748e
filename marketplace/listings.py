"""Listing use cases: drafts, edits and submission for review by each organiser.

The provider edits a working copy (``Listing``). Submitting freezes it into an immutable
``ListingRevision`` and opens one ``ListingReview`` per organiser. What an organiser approved stays
live (``ListingApproval.live_revision``) while a later change waits for review.
"""

import msgspec
from msgspec import UNSET

from core import audit, db, identity
from core.clock import utcnow
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from marketplace import catalogue, domain
from marketplace.schemas import ListingApprovalRead, ListingInput, ListingRead, ListingUpdate, LocalisedText
from marketplace.tables import Listing, ListingApproval, ListingReview, ListingRevision, Provider, ProviderApproval

# Fields whose change needs the organiser's review; capacity is operational and applies at once.
REVIEWED_FIELDS = (
    "category", "title", "description", "price_cents", "unit", "delivery_mode",
    "municipality", "address", "accessibility", "languages",
)


def content_of(row: dict) -> dict:
    """The reviewed content of a listing row, as stored in a revision."""
    return {
        "category": row["category"],
        "title": {k: row[f"title_{k}"] for k in domain.CONTENT_LANGS if row[f"title_{k}"]},
        "description": {k: row[f"description_{k}"] for k in domain.CONTENT_LANGS if row[f"description_{k}"]},
        "price_cents": int(row["price_cents"]),
        "unit": row["unit"],
        "delivery_mode": row["delivery_mode"],
        "municipality": row["municipality"],
        "address": row["address"],
        "accessibility": list(row["accessibility"] or []),
        "languages": list(row["languages"] or []),
    }


def _columns(values: dict) -> dict:
    """Struct-shaped values (title/description as mappings) → Listing column values."""
    out = {}
    for key, value in values.items():
        if key in ("title", "description"):
            texts = msgspec.to_builtins(value) if not isinstance(value, dict) else value
            for lang in domain.CONTENT_LANGS:
                out[f"{key}_{lang}"] = (texts.get(lang) or "").strip()
        elif isinstance(value, str):
            out[key] = value.strip()
        else:
            out[key] = value
    return out


async def validate(values: dict, provider: dict) -> list[FieldError]:
    errors: list[FieldError] = []
    cats = await catalogue.category_map()
    category = values.get("category")
    if not category:
        errors.append(FieldError(field="category", key="field.required"))
    elif category not in cats:
        errors.append(FieldError(field="category", key="provider.unknown_category"))
    elif category not in (provider["categories"] or []):
        errors.append(FieldError(field="category", key="listing.category_not_registered"))
    title = values.get("title") or {}
    if err := domain.text_error(title.get("fi"), "title.fi", 200, required=True):
        errors.append(err)
    for lang in ("sv", "en"):
        if err := domain.text_error(title.get(lang), f"title.{lang}", 200):
            errors.append(err)
    description = values.get("description") or {}
    if err := domain.text_error(description.get("fi"), "description.fi", 4000, required=True):
        errors.append(err)
    price = values.get("price_cents")
    if not domain.price_valid(price):
        errors.append(FieldError(field="price_cents", key="listing.price_invalid"))
    elif not domain.paid_listing_allowed(provider.get("kind") or domain.DEFAULT_KIND, price):
        errors.append(FieldError(field="price_cents", key="listing.private_free_only"))
    if values.get("unit") not in domain.UNITS:
        errors.append(FieldError(field="unit", key="field.choice", params={"choices": ", ".join(domain.UNITS)}))
    if values.get("delivery_mode") not in domain.DELIVERY_MODES:
        errors.append(
            FieldError(field="delivery_mode", key="field.choice", params={"choices": ", ".join(domain.DELIVERY_MODES)})
        )
    municipality = values.get("municipality")
    known = await catalogue.all_municipalities()
    if not municipality:
        errors.append(FieldError(field="municipality", key="field.required"))
    elif known and municipality not in known:
        errors.append(FieldError(field="municipality", key="field.choice", params={"choices": ", ".join(known)}))
    if err := domain.text_error(values.get("address"), "address", 300):
        errors.append(err)
    errors.extend(domain.choice_errors(values.get("accessibility") or [], domain.ACCESSIBILITY, "accessibility"))
    languages = values.get("languages") or []
    if not languages:
        errors.append(FieldError(field="languages", key="provider.languages_required"))
    errors.extend(domain.choice_errors(languages, domain.LANGUAGES, "languages"))
    capacity = values.get("capacity", 1)
    if not isinstance(capacity, int) or isinstance(capacity, bool) or not (1 <= capacity <= 1000):
        errors.append(FieldError(field="capacity", key="listing.capacity_invalid"))
    return errors


async def _provider_for_staff(actor: Actor, provider_id=None) -> dict:
    identity.require(actor, "provider_staff")
    target = provider_id or actor.provider_id
    if not actor.provider_id or str(target) != actor.provider_id:
        raise Forbidden()
    row = await Provider.select().where(Provider.id == as_uuid(actor.provider_id)).output(load_json=True).first().run()
    if not row:
        raise Forbidden()
    return row


async def _load(listing_id) -> dict:
    row = await Listing.select().where(Listing.id == require_uuid(listing_id)).output(load_json=True).first().run()
    if not row:
        raise NotFound()
    return row


async def create(actor: Actor, data: ListingInput) -> ListingRead:
    provider = await _provider_for_staff(actor, data.provider_id)
    values = msgspec.structs.asdict(data)
    values.pop("provider_id")
    values["title"] = msgspec.to_builtins(data.title)
    values["description"] = msgspec.to_builtins(data.description)
    errors = await validate(values, provider)
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    async with db.write_transaction():
        listing = Listing(provider=provider["id"], status="draft", **_columns(values))
        await listing.save().run()
        await audit.record(actor, "listing.created", "listing", listing.id)
    return await read(actor, listing.id)


async def update(actor: Actor, listing_id, data: ListingUpdate, *, submit: bool | None = None) -> ListingRead:
    """Change the working copy. A change to content that is submitted or live goes to review at
    once (the approved version stays live meanwhile); a draft is only saved unless ``submit``."""
    row = await _load(listing_id)
    provider = await _provider_for_staff(actor, row["provider"])
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not UNSET}
    for key in ("title", "description"):
        if key in changes:
            changes[key] = msgspec.to_builtins(changes[key])
    merged = {**content_of(row), "capacity": row["capacity"], **changes}
    errors = await validate(merged, provider)
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    new_content = {k: v for k, v in merged.items() if k in REVIEWED_FIELDS}
    content_changed = _normal(new_content) != _normal(content_of(row))
    if submit is None:
        # Content that is under review or live goes straight (back) to review; a draft or a
        # listing sent back for changes is only saved until the provider submits it.
        submit = row["status"] in ("submitted", "approved") and content_changed
    async with db.write_transaction():
        columns = _columns({k: v for k, v in merged.items() if k in REVIEWED_FIELDS or k == "capacity"})
        columns["updated_at"] = utcnow()
        await Listing.update({getattr(Listing, k): v for k, v in columns.items()}).where(Listing.id == row["id"]).run()
        await audit.record(actor, "listing.updated", "listing", row["id"], details={"fields": sorted(changes)})
        if submit:
            await _submit(actor, row["id"], provider)
    return await read(actor, row["id"])


def _normal(content: dict) -> bytes:
    return msgspec.json.encode(content, order="sorted")


async def submit(actor: Actor, listing_id) -> ListingRead:
    row = await _load(listing_id)
    provider = await _provider_for_staff(actor, row["provider"])
    if row["status"] == "submitted" and row["current_revision"]:
        current = await ListingRevision.select(ListingRevision.content).where(
            ListingRevision.id == row["current_revision"]).output(load_json=True).first().run()
        if current and _normal(current["content"]) == _normal(content_of(row)):
            raise Conflict("listing.not_submittable", field="status", status=row["status"])
    async with db.write_transaction():
        await _submit(actor, row["id"], provider)
    return await read(actor, row["id"])


async def _submit(actor: Actor, listing_id, provider: dict) -> None:
    """Inside a write transaction: freeze the working copy and ask each organiser to review it."""
    row = await Listing.select().where(Listing.id == listing_id).output(load_json=True).first().run()
    organisers = [
        r["organiser"]
        for r in await ProviderApproval.select(ProviderApproval.organiser).where(
            (ProviderApproval.provider == provider["id"]) & (ProviderApproval.status != "rejected")
        ).run()
    ]
    if not organisers:
        raise Conflict("listing.no_organiser", field="organisers")
    content = content_of(row)
    latest = await ListingRevision.select(ListingRevision.id, ListingRevision.number, ListingRevision.content).where(
        ListingRevision.listing == listing_id
    ).order_by(ListingRevision.number, ascending=False).output(load_json=True).first().run()
    if latest and _normal(latest["content"]) == _normal(content):
        revision_id, number = latest["id"], latest["number"]
    else:
        number = (latest["number"] + 1) if latest else 1
        revision = ListingRevision(listing=listing_id, number=number, content=content, created_by=actor.user_id)
        await revision.save().run()
        revision_id = revision.id
    # An older revision still waiting for review is replaced by this one.
    await ListingReview.update({ListingReview.status: "superseded", ListingReview.decided_at: utcnow()}).where(
        (ListingReview.listing == listing_id) & (ListingReview.status == "pending")
    ).run()
    for organiser_id in organisers:
        await ListingReview(listing=listing_id, organiser=organiser_id, revision=revision_id, status="pending").save().run()
        exists = await ListingApproval.exists().where(
            (ListingApproval.listing == listing_id) & (ListingApproval.organiser == organiser_id)
        ).run()
        if not exists:
            await ListingApproval(listing=listing_id, organiser=organiser_id, status="pending").save().run()
        else:
            await ListingApproval.update({ListingApproval.status: "pending"}).where(
                (ListingApproval.listing == listing_id)
                & (ListingApproval.organiser == organiser_id)
                & (ListingApproval.status.is_in(["changes_requested", "rejected"]))
                & (ListingApproval.live_revision.is_null())
            ).run()
    await Listing.update({Listing.status: "submitted", Listing.current_revision: revision_id}).where(
        Listing.id == listing_id
    ).run()
    await audit.record(actor, "listing.submitted", "listing", listing_id, details={"revision": number})


async def refresh_status(listing_id) -> str:
    """Recompute the provider-facing summary status after a decision (inside the transaction)."""
    row = await Listing.select(Listing.status, Listing.current_revision).where(Listing.id == listing_id).first().run()
    if row["status"] == "draft":
        return "draft"
    reviews = await ListingReview.select(ListingReview.status).where(
        (ListingReview.listing == listing_id) & (ListingReview.revision == row["current_revision"])
    ).run()
    approvals = await ListingApproval.select(ListingApproval.status).where(ListingApproval.listing == listing_id).run()
    status = domain.listing_summary_status([r["status"] for r in reviews], [a["status"] for a in approvals], False)
    await Listing.update({Listing.status: status}).where(Listing.id == listing_id).run()
    return status


async def can_read(actor: Actor, row: dict) -> bool:
    if actor.role == "platform_admin":
        return True
    if actor.role == "provider_staff":
        return actor.provider_id == str(row["provider"])
    if actor.role == "organiser_admin" and actor.organiser_id:
        return await ListingApproval.exists().where(
            (ListingApproval.listing == row["id"]) & (ListingApproval.organiser == as_uuid(actor.organiser_id))
        ).run()
    return False


async def read(actor: Actor, listing_id) -> ListingRead:
    identity.require(actor)
    row = await _load(listing_id)
    if not await can_read(actor, row):
        raise Forbidden()
    return await _to_read(row)


async def _to_read(row: dict) -> ListingRead:
    numbers = {
        r["id"]: r["number"]
        for r in await ListingRevision.select(ListingRevision.id, ListingRevision.number).where(
            ListingRevision.listing == row["id"]
        ).run()
    }
    approvals = await ListingApproval.select(
        ListingApproval.organiser, ListingApproval.organiser.name, ListingApproval.status,
        ListingApproval.reason, ListingApproval.live_revision,
    ).where(ListingApproval.listing == row["id"]).order_by(ListingApproval.organiser.name).run()
    pending = {
        r["organiser"]: r
        for r in await ListingReview.select(ListingReview.organiser, ListingReview.revision, ListingReview.reason, ListingReview.status).where(
            (ListingReview.listing == row["id"]) & (ListingReview.revision == row["current_revision"])
        ).run()
    } if row["current_revision"] else {}
    content = content_of(row)
    return ListingRead(
        id=str(row["id"]),
        provider_id=str(row["provider"]),
        status=row["status"],
        category=content["category"],
        title=content["title"],
        description=content["description"],
        price_cents=content["price_cents"],
        unit=content["unit"],
        delivery_mode=content["delivery_mode"],
        municipality=content["municipality"],
        address=content["address"],
        accessibility=content["accessibility"],
        languages=content["languages"],
        capacity=row["capacity"],
        revision=numbers.get(row["current_revision"]),
        approvals=[
            ListingApprovalRead(
                organiser_id=str(a["organiser"]),
                organiser_name=a["organiser.name"],
                status=a["status"],
                reason=(pending.get(a["organiser"]) or {}).get("reason") or a["reason"],
                live_revision=numbers.get(a["live_revision"]),
                pending_revision=numbers.get(pending[a["organiser"]]["revision"])
                if a["organiser"] in pending and pending[a["organiser"]]["status"] == "pending"
                else None,
            )
            for a in approvals
        ],
    )


async def list_for_provider(actor: Actor, provider_id, status: str | None, page: int, per_page: int) -> tuple[list[ListingRead], int]:
    await _provider_for_staff(actor, provider_id)
    query = Listing.select().where(Listing.provider == as_uuid(provider_id))
    count = Listing.count().where(Listing.provider == as_uuid(provider_id))
    if status:
        query = query.where(Listing.status == status)
        count = count.where(Listing.status == status)
    rows = await query.order_by(Listing.updated_at, ascending=False).limit(per_page).offset((page - 1) * per_page).output(load_json=True).run()
    return [await _to_read(r) for r in rows], await count.run()


def input_from_form(form: dict, as_list) -> dict:
    """Web form fields → the same values the JSON API takes (validated by the same rules)."""

    def to_int(name: str):
        raw = str(form.get(name) or "").strip().replace(" ", "").replace("\u00a0", "")
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError:
            return raw

    def price_from_euros():
        raw = str(form.get("price_euros") or "").strip().replace(" ", "").replace("\u00a0", "").replace("€", "")
        if not raw:
            return None
        raw = raw.replace(",", ".")
        try:
            whole, _, frac = raw.partition(".")
            if len(frac) > 2 or not whole.lstrip("-").isdigit() or (frac and not frac.isdigit()):
                return "invalid"
            return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0) * (1 if not whole.startswith("-") else -1)
        except ValueError:
            return "invalid"

    return {
        "category": str(form.get("category") or ""),
        "title": LocalisedText(**{lang: str(form.get(f"title.{lang}") or "")[:4000] for lang in domain.CONTENT_LANGS}),
        "description": LocalisedText(
            **{lang: str(form.get(f"description.{lang}") or "")[:4000] for lang in domain.CONTENT_LANGS}
        ),
        "price_cents": price_from_euros(),
        "unit": str(form.get("unit") or ""),
        "delivery_mode": str(form.get("delivery_mode") or ""),
        "municipality": str(form.get("municipality") or ""),
        "address": str(form.get("address") or "")[:300],
        "accessibility": as_list(form.get("accessibility")),
        "languages": as_list(form.get("languages")),
        "capacity": to_int("capacity") or 1,
    }


async def save_from_form(actor: Actor, listing_id, values: dict, *, and_submit: bool) -> ListingRead:
    """Create or update from a web form; a price that is not a number is reported on its field."""
    if not isinstance(values.get("price_cents"), int):
        raise Invalid("error.validation", errors=[FieldError(field="price_euros", key="listing.price_euros_invalid")], field="price_euros")
    if not isinstance(values.get("capacity"), int):
        raise Invalid("error.validation", errors=[FieldError(field="capacity", key="listing.capacity_invalid")], field="capacity")
    if listing_id is None:
        created = await create(actor, ListingInput(**values))
        return await submit(actor, created.id) if and_submit else created
    return await update(actor, listing_id, ListingUpdate(**values), submit=and_submit or None)
