"""Organiser decisions on providers and listings, and the review queue.

Every decision is a transition of the approval state machine (marketplace.domain.TRANSITIONS),
applied with a conditional update on the status the decision was made against, audited with actor,
time and reason in the same transaction, and pushed to the search outbox so the index follows.
"""

from core import audit, db, identity
from core.i18n import Key
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from core.identity import Actor
from marketplace import catalogue, domain
from marketplace.catalogue import as_uuid, require_uuid
from marketplace.listings import refresh_status
from marketplace.schemas import ReviewItem, ReviewQueue
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingReview,
    ListingRevision,
    ProviderApproval,
    ProviderEvidence,
)
from search import outbox


def _require_organiser_admin(actor: Actor, organiser_id) -> None:
    identity.require(actor, "organiser_admin")
    if not actor.organiser_id or actor.organiser_id != str(organiser_id):
        raise Forbidden()


def _decided_meanwhile(row: dict | None, action: str) -> Conflict:
    """The refusal of a decision on something no longer in a state it applies to, naming that state."""
    return Conflict("approval.illegal_transition", field="action", status=Key(f"status.{row['status'] if row else 'superseded'}"),
                    action=action)


def _check_action(action: str, reason: str, allowed: tuple[str, ...]) -> None:
    if action not in allowed:
        raise Invalid("error.validation", errors=[FieldError(field="action", key="approval.unknown_action")], field="action")
    errors = domain.check_reason(action, reason)
    if errors:
        raise Invalid("error.validation", errors=errors, field="reason")


async def transition_provider(actor: Actor, approval_id, action: str, reason: str) -> str:
    """approve / reject / request_changes / suspend / reinstate (organiser), resubmit (provider)."""
    row = await ProviderApproval.select().where(ProviderApproval.id == require_uuid(approval_id)).first().run()
    if not row:
        raise NotFound()
    if action == "resubmit":
        identity.require(actor, "provider_staff")
        if actor.provider_id != str(row["provider"]):
            raise Forbidden()
    else:
        _require_organiser_admin(actor, row["organiser"])
        _check_action(action, reason, domain.DECISIONS)
    target = domain.next_status(row["status"], action)
    now = identity.now()
    async with db.write_transaction():
        values = {ProviderApproval.status: target, ProviderApproval.reason: reason.strip()}
        if action == "resubmit":
            values[ProviderApproval.submitted_at] = now
        else:
            values[ProviderApproval.reviewer_id] = actor.user_id
            values[ProviderApproval.decided_at] = now
        changed = await ProviderApproval.update(values).where(
            (ProviderApproval.id == row["id"]) & (ProviderApproval.status == row["status"])
        ).returning(ProviderApproval.id).run()
        if not changed:
            # Someone decided in between: refuse rather than overwrite their decision.
            now_row = await ProviderApproval.select(ProviderApproval.status).where(ProviderApproval.id == row["id"]).first().run()
            raise _decided_meanwhile(now_row, action)
        await audit.record(
            actor,
            f"provider_approval.{action}",
            "provider",
            row["provider"],
            organiser_id=row["organiser"],
            reason=reason.strip(),
            details={"approval_id": str(row["id"]), "from": row["status"], "to": target},
        )
        listing_ids = [r["id"] for r in await Listing.select(Listing.id).where(Listing.provider == row["provider"]).run()]
        await outbox.enqueue(listing_ids)
    return target


async def decide_listing_review(actor: Actor, review_id, action: str, reason: str) -> str:
    """approve / reject / request_changes on a revision waiting for this organiser's review."""
    review = await ListingReview.select().where(ListingReview.id == require_uuid(review_id)).first().run()
    if not review:
        raise NotFound()
    _require_organiser_admin(actor, review["organiser"])
    _check_action(action, reason, ("approve", "reject", "request_changes"))
    if review["status"] != "pending":
        # A revision is decided once; a live listing is rejected or suspended by its approval.
        raise _decided_meanwhile(review, action)
    target = domain.next_status(review["status"], action)
    now = identity.now()
    async with db.write_transaction():
        changed = await ListingReview.update(
            {
                ListingReview.status: target,
                ListingReview.reason: reason.strip(),
                ListingReview.reviewer_id: actor.user_id,
                ListingReview.decided_at: now,
            }
        ).where((ListingReview.id == review["id"]) & (ListingReview.status == "pending")).returning(ListingReview.id).run()
        if not changed:
            raise _decided_meanwhile(await ListingReview.select(ListingReview.status).where(
                ListingReview.id == review["id"]).first().run(), action)
        approval = await ListingApproval.select().where(
            (ListingApproval.listing == review["listing"]) & (ListingApproval.organiser == review["organiser"])
        ).first().run()
        values = {ListingApproval.reviewer_id: actor.user_id, ListingApproval.decided_at: now, ListingApproval.reason: reason.strip()}
        if action == "approve":
            values[ListingApproval.status] = "approved"
            values[ListingApproval.live_revision] = review["revision"]
        elif approval and approval["live_revision"]:
            # A change to a live listing was turned down: the approved version stays live.
            pass
        else:
            values[ListingApproval.status] = target
        await ListingApproval.update(values).where(ListingApproval.id == approval["id"]).run()
        await refresh_status(review["listing"])
        await audit.record(
            actor,
            f"listing_review.{action}",
            "listing",
            review["listing"],
            organiser_id=review["organiser"],
            reason=reason.strip(),
            details={"review_id": str(review["id"]), "revision": str(review["revision"])},
        )
        await outbox.enqueue([review["listing"]])
    return target


async def transition_listing(actor: Actor, listing_id, organiser_id, action: str, reason: str) -> str:
    """suspend / reinstate / reject a listing's standing with the organiser (outside a review)."""
    _require_organiser_admin(actor, organiser_id)
    _check_action(action, reason, ("suspend", "reinstate", "reject"))
    approval = await ListingApproval.select().where(
        (ListingApproval.listing == require_uuid(listing_id)) & (ListingApproval.organiser == as_uuid(organiser_id))
    ).first().run()
    if not approval:
        raise NotFound()
    target = domain.next_status(approval["status"], action)
    async with db.write_transaction():
        changed = await ListingApproval.update(
            {ListingApproval.status: target, ListingApproval.reason: reason.strip(), ListingApproval.reviewer_id: actor.user_id,
             ListingApproval.decided_at: identity.now()}
        ).where((ListingApproval.id == approval["id"]) & (ListingApproval.status == approval["status"])).returning(ListingApproval.id).run()
        if not changed:
            raise _decided_meanwhile(await ListingApproval.select(ListingApproval.status).where(
                ListingApproval.id == approval["id"]).first().run(), action)
        await refresh_status(approval["listing"])
        await audit.record(
            actor, f"listing_approval.{action}", "listing", approval["listing"], organiser_id=approval["organiser"],
            reason=reason.strip(), details={"from": approval["status"], "to": target},
        )
        await outbox.enqueue([approval["listing"]])
    return target


async def queue(actor: Actor, organiser_id, *, kind: str | None, page: int, per_page: int) -> ReviewQueue:
    """What waits for this organiser's decision, oldest first."""
    _require_organiser_admin(actor, organiser_id)
    oid = as_uuid(organiser_id)
    take = page * per_page
    providers, listings = [], []
    n_providers = n_listings = 0
    if kind in (None, "", "provider"):
        cond = (ProviderApproval.organiser == oid) & (ProviderApproval.status == "pending")
        n_providers = await ProviderApproval.count().where(cond).run()
        providers = await ProviderApproval.select(
            ProviderApproval.id, ProviderApproval.provider, ProviderApproval.provider.name,
            ProviderApproval.status, ProviderApproval.submitted_at,
        ).where(cond).order_by(ProviderApproval.submitted_at).limit(take).run()
    if kind in (None, "", "listing"):
        cond = (ListingReview.organiser == oid) & (ListingReview.status == "pending")
        n_listings = await ListingReview.count().where(cond).run()
        listings = await ListingReview.select(
            ListingReview.id, ListingReview.listing, ListingReview.listing.title_fi, ListingReview.listing.provider,
            ListingReview.listing.provider.name, ListingReview.status, ListingReview.submitted_at, ListingReview.revision,
        ).where(cond).order_by(ListingReview.submitted_at).limit(take).run()
    live = {
        r["listing"]
        for r in await ListingApproval.select(ListingApproval.listing).where(
            (ListingApproval.organiser == oid) & ListingApproval.live_revision.is_not_null()
            & ListingApproval.listing.is_in([r["listing"] for r in listings] or [None])
        ).run()
    } if listings else set()
    items = [
        ReviewItem(kind="provider", id=str(r["id"]), organiser_id=str(oid), provider_id=str(r["provider"]),
                   provider_name=r["provider.name"], listing_id=None, title=r["provider.name"], status=r["status"],
                   submitted_at=r["submitted_at"].isoformat())
        for r in providers
    ] + [
        ReviewItem(kind="listing", id=str(r["id"]), organiser_id=str(oid), provider_id=str(r["listing.provider"]),
                   provider_name=r["listing.provider.name"], listing_id=str(r["listing"]), title=r["listing.title_fi"],
                   status=r["status"], submitted_at=r["submitted_at"].isoformat(), is_change=r["listing"] in live)
        for r in listings
    ]
    items.sort(key=lambda item: item.submitted_at)
    start = (page - 1) * per_page
    return ReviewQueue(items=items[start:start + per_page], total=n_providers + n_listings, page=page, per_page=per_page)


async def provider_review(actor: Actor, approval_id) -> dict:
    """Everything an organiser needs to decide on a provider: evidence against requirements."""
    from marketplace.providers import load

    row = await ProviderApproval.select().where(ProviderApproval.id == require_uuid(approval_id)).first().run()
    if not row:
        raise NotFound()
    _require_organiser_admin(actor, row["organiser"])
    provider = await load(row["provider"])
    cats = await catalogue.category_map()
    requirements = {code: c["requirements"] or [] for code, c in cats.items()}
    evidence = {k: v["provided"] for k, v in provider["evidence"].items()}
    rows = [
        {"requirement": req, "categories": needed, "provided": shown, "detail": provider["evidence"].get(req, {}).get("detail", "")}
        for req, needed, shown in domain.evidence_status(provider["categories"] or [], requirements, evidence)
    ]
    history = await _history("provider", row["provider"], row["organiser"])
    return {"approval": row, "provider": provider, "evidence": rows, "categories": cats, "history": history,
            "actions": sorted(domain.TRANSITIONS.get(row["status"], {}).keys() - {"resubmit"})}


async def listing_review(actor: Actor, review_id) -> dict:
    review = await ListingReview.select().where(ListingReview.id == require_uuid(review_id)).first().run()
    if not review:
        raise NotFound()
    _require_organiser_admin(actor, review["organiser"])
    revision = await ListingRevision.select().where(ListingRevision.id == review["revision"]).output(load_json=True).first().run()
    approval = await ListingApproval.select().where(
        (ListingApproval.listing == review["listing"]) & (ListingApproval.organiser == review["organiser"])
    ).first().run()
    live = None
    if approval and approval["live_revision"] and approval["live_revision"] != review["revision"]:
        live = await ListingRevision.select().where(ListingRevision.id == approval["live_revision"]).output(load_json=True).first().run()
    listing = await Listing.select(Listing.id, Listing.provider, Listing.provider.name).where(Listing.id == review["listing"]).first().run()
    changed = sorted(k for k in revision["content"] if live and live["content"].get(k) != revision["content"].get(k))
    standing = await catalogue.provider_standing(listing["provider"], review["organiser"])
    history = await _history("listing", review["listing"], review["organiser"])
    return {"review": review, "revision": revision, "live": live, "changed": changed, "listing": listing,
            "provider_standing": standing, "history": history, "categories": await catalogue.category_map()}


async def _history(subject_type: str, subject_id, organiser_id) -> list[dict]:
    from core.tables import AuditEvent

    return await AuditEvent.select(
        AuditEvent.at, AuditEvent.action, AuditEvent.actor_label, AuditEvent.actor_role, AuditEvent.reason
    ).where(
        (AuditEvent.subject_type == subject_type) & (AuditEvent.subject_id == str(subject_id))
        & (AuditEvent.action != "client_data.read")
        & ((AuditEvent.organiser_id == organiser_id) | AuditEvent.organiser_id.is_null())
    ).order_by(AuditEvent.at, ascending=False).limit(20).run()

