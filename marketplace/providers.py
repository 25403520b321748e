"""Provider use cases: registration (onboarding), profile changes, reads with access control.

What an approval covers — the categories applied for with each organiser, evidence changed after
a decision — is marketplace.category_approvals; registration and profile changes keep it in step.
"""

import uuid

from msgspec import UNSET

from core import audit, db, identity
from core.clock import utcnow
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from marketplace import catalogue, category_approvals, domain, listing_changes, notifications
from marketplace.schemas import (
    ApprovalRead,
    CategoryApplicationRead,
    EvidenceItem,
    ProviderCreated,
    ProviderRead,
    ProviderRegistration,
    ProviderUpdate,
)
from marketplace.tables import Listing, Organiser, Provider, ProviderApproval, ProviderEvidence

MIN_PASSWORD = 12


async def validate_profile(
    data: ProviderRegistration | ProviderUpdate, *, creating: bool, current: dict | None = None
) -> list[FieldError]:
    """Every problem with the provider's data at once, each naming its field."""
    errors: list[FieldError] = []

    def given(name: str):
        value = getattr(data, name, None)
        return None if value is UNSET else value

    if creating or given("name") is not None:
        if err := domain.text_error(given("name"), "name", 200, required=True):
            errors.append(err)
    kind = data.kind if creating else (current or {}).get("kind") or domain.DEFAULT_KIND
    payout_fields = ("iban", "invoicing_service_name", "payment_reference")
    if creating or any(given(f) is not None for f in payout_fields):
        # The kind decides what is asked: a business ID, bank details, the invoicing service.
        def value(name: str) -> str:
            v = given(name)
            return v if v is not None else str((current or {}).get(name) or "")
        kind_errors = domain.kind_errors(
            kind, business_id=data.business_id if creating else str((current or {}).get("business_id") or ""),
            iban=value("iban"), invoicing_service_name=value("invoicing_service_name"),
            payment_reference=value("payment_reference"))
        errors.extend(kind_errors)
        if creating and (data.business_id or "").strip() and not any(e.field == "business_id" for e in kind_errors):
            if await Provider.exists().where(Provider.business_id == domain.normalise_business_id(data.business_id)).run():
                errors.append(FieldError(field="business_id", key="provider.business_id_taken"))
    if creating or given("email") is not None:
        if err := domain.email_error(given("email")):
            errors.append(err)
        elif current is not None and await identity.address_used_elsewhere(given("email"), current["id"]):
            # Another account's address (a client's, a proxy's, another organisation's): the
            # provider's notices would reach that person. One refusal, whoever it is.
            errors.append(FieldError(field="email", key="provider.email_unusable"))
    phone = given("phone")
    if phone and not domain.PHONE.match(phone.strip()):
        errors.append(FieldError(field="phone", key="provider.phone_invalid"))
    languages = given("languages")
    if creating or languages is not None:
        if not languages:
            errors.append(FieldError(field="languages", key="provider.languages_required"))
        else:
            errors.extend(domain.choice_errors(languages, domain.LANGUAGES, "languages"))
    known_municipalities = set(await catalogue.all_municipalities())
    municipalities = given("municipalities")
    if creating or municipalities is not None:
        if not municipalities:
            errors.append(FieldError(field="municipalities", key="provider.municipalities_required"))
        elif known_municipalities and any(m not in known_municipalities for m in municipalities):
            errors.append(
                FieldError(field="municipalities", key="field.choice", params={"choices": ", ".join(sorted(known_municipalities))})
            )
    cats = await catalogue.category_map()
    categories = given("categories")
    if categories is None and current is not None:
        categories = current["categories"]
    if creating or given("categories") is not None:
        if not categories:
            errors.append(FieldError(field="categories", key="provider.categories_required"))
        elif any(c not in cats for c in categories):
            errors.append(FieldError(field="categories", key="provider.unknown_category"))
    organiser_ids = given("organisers")
    if creating or organiser_ids is not None:
        if not organiser_ids:
            errors.append(FieldError(field="organisers", key="provider.organisers_required"))
        else:
            parsed = [as_uuid(o) for o in organiser_ids]
            found = await Organiser.count().where(Organiser.id.is_in([p for p in parsed if p])).run() if all(parsed) else -1
            if found != len(set(parsed)):
                errors.append(FieldError(field="organisers", key="provider.unknown_organiser"))
    evidence = given("evidence")
    if evidence is None and current is not None:
        evidence = {k: EvidenceItem(provided=v["provided"], detail=v["detail"]) for k, v in current["evidence"].items()}
    if (creating or given("evidence") is not None or given("categories") is not None) and categories:
        requirements = {code: domain.requirements_of_kind(row, kind) for code, row in cats.items()}
        for code in categories:
            for req in requirements.get(code, []):
                item = (evidence or {}).get(req)
                if not item or not item.provided or not item.detail.strip():
                    errors.append(
                        FieldError(
                            field=f"evidence.{req}",
                            key="provider.evidence_missing",
                            params={"category": catalogue.category_names(cats[code])["fi"], "requirement": req},
                        )
                    )
    merchant = given("merchant_id")
    if merchant:
        taken = await Provider.exists().where(
            (Provider.merchant_id == merchant) & (Provider.id != (current["id"] if current else None))
        ).run() if current else await Provider.exists().where(Provider.merchant_id == merchant).run()
        if taken:
            errors.append(FieldError(field="merchant_id", key="provider.merchant_taken"))
    # One message per field is enough for a person fixing a form.
    seen: set[str] = set()
    unique = []
    for err in errors:
        if err.field not in seen:
            seen.add(err.field)
            unique.append(err)
    return unique


async def register(data: ProviderRegistration, actor: Actor, *, base_url: str = "") -> ProviderCreated:
    """A provider registers once and applies to one or more organisers (for each category it names);
    a staff account comes with it.

    No account enumeration: when an anonymous registrant's e-mail already has an account, nothing
    is registered and the account holder is told by e-mail instead (``_tell_account_holder``); the
    answer has the same status and shape as a registration's (its ids lead nowhere) and costs about
    the same: the same look-up, a password hash, one write transaction.
    """
    errors = await validate_profile(data, creating=True)
    create_account = actor.is_anonymous
    if create_account:
        if err := domain.text_error(data.contact_name, "contact_name", 200, required=True):
            errors.append(err)
        if len(data.password or "") < MIN_PASSWORD:
            errors.append(FieldError(field="password", key="provider.password_short"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    if create_account:
        holder = await identity.account_by_email(data.email)
        if holder:
            return await _tell_account_holder(actor, data, {"id": as_uuid(holder.id), "email": holder.email,
                                                            "language": holder.language}, base_url)
    async with db.write_transaction():
        provider = Provider(
            kind=data.kind,
            business_id=domain.normalise_business_id(data.business_id) if (data.business_id or "").strip() else None,
            name=data.name.strip(),
            iban=domain.normalise_iban(data.iban),
            invoicing_service_name=data.invoicing_service_name.strip(),
            payment_reference=domain.normalise_reference(data.payment_reference),
            email=data.email.strip().lower(),
            phone=data.phone.strip(),
            website=data.website.strip(),
            description=data.description.strip(),
            languages=list(dict.fromkeys(data.languages)),
            municipalities=list(dict.fromkeys(data.municipalities)),
            categories=list(dict.fromkeys(data.categories)),
        )
        await provider.save().run()
        await _write_evidence(provider.id, data.evidence)
        for organiser_id in dict.fromkeys(data.organisers):
            await ProviderApproval(provider=provider.id, organiser=as_uuid(organiser_id), status="pending").save().run()
        await category_approvals.sync(provider.id, provider.categories, utcnow())
        user_id = None
        if create_account:
            user_id = await identity.create_user(
                email=data.email,
                display_name=data.contact_name.strip(),
                role="provider_staff",
                password=data.password,
                provider_id=provider.id,
            )
        await audit.record(
            actor if not create_account else Actor(user_id=user_id, role="provider_staff", display_name=data.contact_name),
            "provider.registered",
            "provider",
            provider.id,
            details={"organisers": list(data.organisers), "categories": list(data.categories), "kind": data.kind},
        )
    return ProviderCreated(id=str(provider.id), user_id=user_id, approvals=await approvals_of(provider.id))


async def _tell_account_holder(actor: Actor, data: ProviderRegistration, holder: dict, base_url: str) -> ProviderCreated:
    """The registrant's address has an account: e-mail its holder (sign in, or reset the password)
    and answer as a registration would, with ids that exist nowhere."""
    identity.hash_password(data.password)  # what the new account's hash costs, so the answer takes as long
    base = base_url.rstrip("/")
    async with db.write_transaction():
        await notifications.notify_user(
            "account_exists", holder,
            {"organisation": data.name.strip(), "login": f"{base}/login", "reset": f"{base}/password/forgot"},
        )
        await audit.record(actor, "provider.registration_existing_account", "user", holder["id"],
                           details={"organisers": list(data.organisers)})
    organisers = await Organiser.select(Organiser.id, Organiser.name).where(
        Organiser.id.is_in([as_uuid(o) for o in dict.fromkeys(data.organisers)])).order_by(Organiser.name).run()
    categories = sorted(dict.fromkeys(data.categories))
    return ProviderCreated(id=str(uuid.uuid4()), user_id=str(uuid.uuid4()), approvals=[
        ApprovalRead(id=str(uuid.uuid4()), organiser_id=str(o["id"]), organiser_name=o["name"], status="pending",
                     reason="", decided_at=None,
                     categories=[CategoryApplicationRead(id=str(uuid.uuid4()), category=c, status="pending", reason="")
                                 for c in categories])
        for o in organisers
    ])


def _evidence_as_written(evidence: dict[str, EvidenceItem]) -> dict[str, tuple[bool, str]]:
    return {req: (item.provided, item.detail.strip()) for req, item in evidence.items()}


async def _write_evidence(provider_id, evidence: dict[str, EvidenceItem]) -> None:
    await ProviderEvidence.delete().where(ProviderEvidence.provider == provider_id).run()
    rows = [
        ProviderEvidence(provider=provider_id, requirement=req, provided=provided, detail=detail)
        for req, (provided, detail) in _evidence_as_written(evidence).items()
    ]
    if rows:
        await ProviderEvidence.insert(*rows).run()


async def approvals_of(provider_id) -> list[ApprovalRead]:
    rows = await ProviderApproval.select(
        ProviderApproval.id,
        ProviderApproval.organiser,
        ProviderApproval.organiser.name,
        ProviderApproval.status,
        ProviderApproval.reason,
        ProviderApproval.decided_at,
        ProviderApproval.evidence_changed_at,
    ).where(ProviderApproval.provider == provider_id).order_by(ProviderApproval.organiser.name).run()
    applications = await category_approvals.of_approvals([r["id"] for r in rows])
    return [
        ApprovalRead(
            id=str(r["id"]),
            organiser_id=str(r["organiser"]),
            organiser_name=r["organiser.name"],
            status=r["status"],
            reason=r["reason"],
            decided_at=r["decided_at"].isoformat() if r["decided_at"] else None,
            categories=[CategoryApplicationRead(id=str(a["id"]), category=a["category"], status=a["status"], reason=a["reason"])
                        for a in applications[r["id"]]],
            evidence_under_review=r["evidence_changed_at"] is not None,
        )
        for r in rows
    ]


async def load(provider_id) -> dict:
    row = await Provider.select().where(Provider.id == require_uuid(provider_id)).output(load_json=True).first().run()
    if not row:
        raise NotFound()
    evidence = await ProviderEvidence.select().where(ProviderEvidence.provider == row["id"]).run()
    row["evidence"] = {e["requirement"]: {"provided": e["provided"], "detail": e["detail"]} for e in evidence}
    return row


async def can_read(actor: Actor, provider_id) -> bool:
    if actor.role == "platform_admin":
        return True
    if actor.role == "provider_staff":
        return actor.provider_id == str(provider_id)
    if actor.role in ("organiser_admin", "counsellor") and actor.organiser_id:
        return await ProviderApproval.exists().where(
            (ProviderApproval.provider == as_uuid(provider_id)) & (ProviderApproval.organiser == as_uuid(actor.organiser_id))
        ).run()
    return False


def require_staff(actor: Actor, provider_id) -> None:
    identity.require(actor)
    if actor.role != "provider_staff" or actor.provider_id != str(provider_id):
        raise Forbidden()


async def read(actor: Actor, provider_id) -> ProviderRead:
    identity.require(actor)
    row = await load(provider_id)
    if not await can_read(actor, row["id"]):
        raise Forbidden()
    return _to_read(row, await approvals_of(row["id"]))


def _to_read(row: dict, approvals: list[ApprovalRead]) -> ProviderRead:
    return ProviderRead(
        id=str(row["id"]),
        name=row["name"],
        kind=row["kind"],
        business_id=row["business_id"],
        iban=row["iban"],
        invoicing_service_name=row["invoicing_service_name"],
        payment_reference=row["payment_reference"],
        identified_with_eid_at=row["identified_with_eid_at"].isoformat() if row["identified_with_eid_at"] else None,
        email=row["email"],
        phone=row["phone"],
        website=row["website"],
        description=row["description"],
        languages=row["languages"] or [],
        municipalities=row["municipalities"] or [],
        categories=row["categories"] or [],
        evidence={k: EvidenceItem(**v) for k, v in row["evidence"].items()},
        merchant_id=row["merchant_id"],
        approvals=approvals,
    )


async def update(actor: Actor, provider_id, data: ProviderUpdate) -> ProviderRead:
    """Staff change their organisation's details. A new IBAN is stamped (payouts to a changed
    account wait for a second confirmation); applying to a new organiser starts a pending review;
    a new category is a pending application to every organiser, and changed evidence waits for
    the review of each organiser that approved the provider (marketplace.category_approvals)."""
    require_staff(actor, provider_id)
    current = await load(provider_id)
    errors = await validate_profile(data, creating=False, current=current)
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    changes: dict = {}
    for name in ("name", "email", "phone", "website", "description", "merchant_id", "invoicing_service_name"):
        value = getattr(data, name)
        if value is not UNSET:
            changes[name] = value.strip() if isinstance(value, str) else value
    for name in ("languages", "municipalities", "categories"):
        value = getattr(data, name)
        if value is not UNSET:
            changes[name] = list(dict.fromkeys(value))
    if data.payment_reference is not UNSET:
        changes["payment_reference"] = domain.normalise_reference(data.payment_reference)
    iban_changed = data.iban is not UNSET and domain.normalise_iban(data.iban) != current["iban"]
    evidence_changed = data.evidence is not UNSET and _evidence_as_written(data.evidence) != {
        req: (item["provided"], item["detail"]) for req, item in current["evidence"].items()}
    now = utcnow()
    async with db.write_transaction():
        if iban_changed:
            changes["iban"] = domain.normalise_iban(data.iban)
            changes["iban_changed_at"] = now
        if changes:
            changes["updated_at"] = now
            await Provider.update({getattr(Provider, k): v for k, v in changes.items()}).where(Provider.id == current["id"]).run()
        if data.evidence is not UNSET:
            await _write_evidence(current["id"], data.evidence)
        if data.organisers is not UNSET:
            existing = {r["organiser"] for r in await ProviderApproval.select(ProviderApproval.organiser).where(
                ProviderApproval.provider == current["id"]).run()}
            for organiser_id in dict.fromkeys(as_uuid(o) for o in data.organisers):
                if organiser_id not in existing:
                    await ProviderApproval(provider=current["id"], organiser=organiser_id).save().run()
        categories_changed = False
        if "categories" in changes or data.organisers is not UNSET:
            categories_changed = await category_approvals.sync(
                current["id"], changes.get("categories", current["categories"] or []), now)
        waiting = await category_approvals.evidence_changed(current["id"], now) if evidence_changed else 0
        await audit.record(
            actor,
            "provider.updated",
            "provider",
            current["id"],
            details={"fields": sorted(set(changes) - {"updated_at"} | ({"evidence"} if data.evidence is not UNSET else set())),
                     "iban_changed": iban_changed, "evidence_changed": evidence_changed,
                     "approvals_reviewing_evidence": waiting},
        )
        if categories_changed or {"name"} & set(changes):
            listing_ids = [r["id"] for r in await Listing.select(Listing.id).where(Listing.provider == current["id"]).run()]
            await listing_changes.enqueue(listing_ids)
    return await read(actor, provider_id)


async def record_eid_identification(provider_id, identified_at, actor: Actor) -> None:
    """The person behind a light entrepreneur or a private person was identified with strong e-ID
    (decision 0036): recorded once per identification and audited. Approval of those kinds waits
    for it (marketplace.approvals). Runs in the caller's write transaction when there is one."""
    async def stamp() -> None:
        updated = await Provider.update({Provider.identified_with_eid_at: identified_at}).where(
            Provider.id == require_uuid(provider_id)).returning(Provider.id).run()
        if not updated:
            raise NotFound()
        await audit.record(actor, "provider.identified_with_eid", "provider", updated[0]["id"])

    await db.in_write_transaction(stamp)


async def staff_identified_with_eid(actor: Actor, _identity=None) -> None:
    """``core.eid``'s ``identify_staff``: the signed-in staff member of a light entrepreneur or a
    private person identified with strong e-ID, so the provider — that person — is identified now.
    A company's or an association's staff has nothing to identify here (409, nothing kept). The
    identity number and the e-ID's subject are not stored (core.eid keeps a keyed hash of the
    subject only)."""
    identity.require(actor, "provider_staff")
    row = await Provider.select(Provider.id, Provider.kind).where(
        Provider.id == require_uuid(actor.provider_id)).first().run() if actor.provider_id else None
    if row is None:
        raise NotFound()
    if row["kind"] not in domain.PERSON_KINDS:
        raise Conflict("eid.refused.identify_not_needed")
    await record_eid_identification(row["id"], utcnow(), actor)


async def list_for_organiser(actor: Actor, status: str | None, q: str | None, page: int, per_page: int) -> tuple[list[dict], int]:
    identity.require(actor, "organiser_admin", "platform_admin")
    query_filter = ProviderApproval.organiser == as_uuid(actor.organiser_id) if actor.role == "organiser_admin" else None
    conditions = [c for c in [query_filter] if c is not None]
    if status:
        conditions.append(ProviderApproval.status == status)
    if q:
        pattern = f"%{q.replace('%', '').replace('_', '')}%"
        name = ProviderApproval.provider.name
        # SQLite's LIKE is already case-insensitive (for ASCII); PostgreSQL needs ILIKE.
        conditions.append(name.like(pattern) if db.is_sqlite() else name.ilike(pattern))
    base = ProviderApproval.select(
        ProviderApproval.id, ProviderApproval.status, ProviderApproval.reason, ProviderApproval.submitted_at,
        ProviderApproval.provider.id, ProviderApproval.provider.name, ProviderApproval.provider.business_id,
        ProviderApproval.organiser.name,
    )
    count = ProviderApproval.count()
    for cond in conditions:
        base = base.where(cond)
        count = count.where(cond)
    rows = await base.order_by(ProviderApproval.provider.name).limit(per_page).offset((page - 1) * per_page).run()
    return rows, await count.run()


__all__ = ["register", "read", "update", "load", "approvals_of", "can_read", "require_staff", "Conflict"]
