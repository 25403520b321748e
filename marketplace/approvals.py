"""Organiser decisions on providers and listings, and the review queue.

Every decision is a transition of the approval state machine (marketplace.domain.TRANSITIONS),
applied with a conditional update on the status the decision was made against, audited with actor,
time and reason in the same transaction, and pushed to the search outbox so the index follows.
What an approval covers (its categories, the evidence it was decided on) is
marketplace.category_approvals'; the category applications are decided here too.
"""

from core import audit, db, identity
from core.clock import utcnow
from core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from core.i18n import Key
from core.identity import Actor
from core.ids import as_uuid, require_uuid
from marketplace import catalogue, category_approvals, documents, domain, listing_changes, notifications, registry
from marketplace.listings import refresh_status
from marketplace.providers import load, require_staff
from marketplace.schemas import ReviewItem, ReviewQueue
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingReview,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ProviderCategoryApproval,
)


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


async def _tell_provider(provider_id, organiser_id, what: str, title: dict, status: str, reason: str) -> None:
    """The provider's staff hear of an organiser's decision — in the app and by e-mail — in the
    decision's own transaction: what was decided, by which county, and the reason they must act on."""
    organiser = await Organiser.select(Organiser.name).where(Organiser.id == organiser_id).first().run()
    params = {"what": what, "title": {k: v for k, v in title.items() if v}, "status": status, "reason": reason.strip(),
              "organiser": organiser["name"] if organiser else ""}
    for user in await identity.users_with("provider_staff", provider_id=provider_id):
        await notifications.notify_user("approval_decided", {"id": user.id, "email": user.email,
                                                             "language": user.language}, params)


async def _listing_title(listing_id) -> dict:
    row = await Listing.select(Listing.title_fi, Listing.title_sv, Listing.title_en, Listing.provider).where(
        Listing.id == listing_id).first().run()
    return ({"fi": row["title_fi"], "sv": row["title_sv"], "en": row["title_en"]}, row["provider"]) if row else ({}, None)


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
    if action in ("approve", "reinstate"):
        person = await Provider.select(Provider.kind, Provider.identified_with_eid_at).where(
            Provider.id == row["provider"]).first().run()
        if person and person["kind"] in domain.PERSON_KINDS and person["identified_with_eid_at"] is None:
            # A person is approved only once identified with strong e-ID (decision 0036).
            raise Conflict("provider.eid_required", field="identified_with_eid_at")
    evidence_waiting = row["evidence_changed_at"] is not None
    target = (domain.next_status(row["status"], action) if action == "resubmit"
              else domain.provider_next_status(row["status"], action, evidence_waiting))
    now = utcnow()
    async with db.write_transaction():
        values = {ProviderApproval.status: target, ProviderApproval.reason: reason.strip()}
        unchanged = (ProviderApproval.id == row["id"]) & (ProviderApproval.status == row["status"])
        if action == "resubmit":
            values[ProviderApproval.submitted_at] = now
        else:
            values[ProviderApproval.reviewer_id] = actor.user_id
            values[ProviderApproval.decided_at] = now
            # A decision is made on the evidence as the organiser saw it; newer evidence waits on.
            values[ProviderApproval.evidence_changed_at] = None
            unchanged &= (ProviderApproval.evidence_changed_at == row["evidence_changed_at"] if evidence_waiting
                          else ProviderApproval.evidence_changed_at.is_null())
        changed = await ProviderApproval.update(values).where(unchanged).returning(ProviderApproval.id).run()
        if not changed:
            # Someone decided in between: refuse rather than overwrite their decision.
            now_row = await ProviderApproval.select(ProviderApproval.status).where(ProviderApproval.id == row["id"]).first().run()
            raise _decided_meanwhile(now_row, action)
        covered = []
        if action == "approve" and row["status"] == "pending":
            covered = await category_approvals.approve_pending(row["id"], actor.user_id, now)
        await audit.record(
            actor,
            f"provider_approval.{action}",
            "provider",
            row["provider"],
            organiser_id=row["organiser"],
            reason=reason.strip(),
            details={"approval_id": str(row["id"]), "from": row["status"], "to": target, "categories": covered,
                     "evidence_reviewed": evidence_waiting and action != "resubmit"},
        )
        listing_ids = [r["id"] for r in await Listing.select(Listing.id).where(Listing.provider == row["provider"]).run()]
        await listing_changes.enqueue(listing_ids)
        if action != "resubmit":
            provider = await Provider.select(Provider.name).where(Provider.id == row["provider"]).first().run()
            await _tell_provider(row["provider"], row["organiser"], "provider", {"fi": provider["name"]}, target, reason)
    return target


async def resubmit(actor: Actor, approval_id) -> None:
    """After changes were requested (or a rejection), the provider asks for a new review."""
    row = await ProviderApproval.select(ProviderApproval.provider).where(
        ProviderApproval.id == require_uuid(approval_id)
    ).first().run()
    if not row:
        raise NotFound()
    require_staff(actor, row["provider"])
    await transition_provider(actor, approval_id, "resubmit", "")


async def _category_application(application_id) -> dict:
    row = await ProviderCategoryApproval.select(
        *ProviderCategoryApproval.all_columns(), ProviderCategoryApproval.approval.provider,
        ProviderCategoryApproval.approval.organiser, ProviderCategoryApproval.approval.status,
    ).where(ProviderCategoryApproval.id == require_uuid(application_id)).first().run()
    if not row:
        raise NotFound()
    return row


async def decide_category(actor: Actor, application_id, action: str, reason: str) -> str:
    """approve / reject a category the provider applied for (or withdraw one approved earlier)."""
    row = await _category_application(application_id)
    _require_organiser_admin(actor, row["approval.organiser"])
    _check_action(action, reason, ("approve", "reject"))
    target = domain.next_status(row["status"], action, domain.CATEGORY_TRANSITIONS)
    async with db.write_transaction():
        changed = await ProviderCategoryApproval.update({
            ProviderCategoryApproval.status: target, ProviderCategoryApproval.reason: reason.strip(),
            ProviderCategoryApproval.reviewer_id: actor.user_id, ProviderCategoryApproval.decided_at: utcnow(),
        }).where(
            (ProviderCategoryApproval.id == row["id"]) & (ProviderCategoryApproval.status == row["status"])
        ).returning(ProviderCategoryApproval.id).run()
        if not changed:
            raise _decided_meanwhile(await ProviderCategoryApproval.select(ProviderCategoryApproval.status).where(
                ProviderCategoryApproval.id == row["id"]).first().run(), action)
        await audit.record(
            actor, f"provider_category.{action}", "provider", row["approval.provider"],
            organiser_id=row["approval.organiser"], reason=reason.strip(),
            details={"application_id": str(row["id"]), "category": row["category"], "from": row["status"], "to": target},
        )
        # Listings in the category come into (or leave) search with the decision.
        await listing_changes.enqueue([r["id"] for r in await Listing.select(Listing.id).where(
            Listing.provider == row["approval.provider"]).run()])
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
    now = utcnow()
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
        await listing_changes.enqueue([review["listing"]])
        title, provider_id = await _listing_title(review["listing"])
        await _tell_provider(provider_id, review["organiser"], "listing", title, target, reason)
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
             ListingApproval.decided_at: utcnow()}
        ).where((ListingApproval.id == approval["id"]) & (ListingApproval.status == approval["status"])).returning(ListingApproval.id).run()
        if not changed:
            raise _decided_meanwhile(await ListingApproval.select(ListingApproval.status).where(
                ListingApproval.id == approval["id"]).first().run(), action)
        await refresh_status(approval["listing"])
        await audit.record(
            actor, f"listing_approval.{action}", "listing", approval["listing"], organiser_id=approval["organiser"],
            reason=reason.strip(), details={"from": approval["status"], "to": target},
        )
        await listing_changes.enqueue([approval["listing"]])
        title, provider_id = await _listing_title(approval["listing"])
        await _tell_provider(provider_id, approval["organiser"], "listing", title, target, reason)
    return target


async def queue(actor: Actor, organiser_id, *, kind: str | None, page: int, per_page: int) -> ReviewQueue:
    """What waits for this organiser's decision, oldest first."""
    _require_organiser_admin(actor, organiser_id)
    oid = as_uuid(organiser_id)
    take = page * per_page
    providers, listings, categories = [], [], []
    n_providers = n_listings = n_categories = 0
    if kind in (None, "", "provider"):
        # New applications, and granted approvals whose evidence changed since (oldest change first).
        cond = (ProviderApproval.organiser == oid) & (
            (ProviderApproval.status == "pending")
            | (ProviderApproval.evidence_changed_at.is_not_null() & ProviderApproval.status.is_in(list(domain.GRANTED)))
        )
        n_providers = await ProviderApproval.count().where(cond).run()
        providers = await ProviderApproval.select(
            ProviderApproval.id, ProviderApproval.provider, ProviderApproval.provider.name,
            ProviderApproval.status, ProviderApproval.submitted_at, ProviderApproval.evidence_changed_at,
        ).where(cond & (ProviderApproval.status == "pending")).order_by(ProviderApproval.submitted_at).limit(take).run()
        providers += await ProviderApproval.select(
            ProviderApproval.id, ProviderApproval.provider, ProviderApproval.provider.name,
            ProviderApproval.status, ProviderApproval.submitted_at, ProviderApproval.evidence_changed_at,
        ).where(cond & (ProviderApproval.status != "pending")).order_by(ProviderApproval.evidence_changed_at).limit(take).run()
    if kind in (None, "", "category"):
        cond = category_approvals.waiting_in_queue(oid)
        n_categories = await ProviderCategoryApproval.count().where(cond).run()
        categories = await ProviderCategoryApproval.select(
            ProviderCategoryApproval.id, ProviderCategoryApproval.category, ProviderCategoryApproval.status,
            ProviderCategoryApproval.submitted_at, ProviderCategoryApproval.approval.provider,
            ProviderCategoryApproval.approval.provider.name,
        ).where(cond).order_by(ProviderCategoryApproval.submitted_at).limit(take).run()
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
    names = {code: row["name_fi"] for code, row in (await catalogue.category_map()).items()} if categories else {}
    items = [
        ReviewItem(kind="provider", id=str(r["id"]), organiser_id=str(oid), provider_id=str(r["provider"]),
                   provider_name=r["provider.name"], listing_id=None, title=r["provider.name"], status=r["status"],
                   submitted_at=(r["evidence_changed_at"] if r["status"] != "pending" else r["submitted_at"]).isoformat(),
                   is_change=r["status"] != "pending")
        for r in providers
    ] + [
        ReviewItem(kind="category", id=str(r["id"]), organiser_id=str(oid), provider_id=str(r["approval.provider"]),
                   provider_name=r["approval.provider.name"], listing_id=None,
                   title=names.get(r["category"], r["category"]), status=r["status"],
                   submitted_at=r["submitted_at"].isoformat(), category=r["category"])
        for r in categories
    ] + [
        ReviewItem(kind="listing", id=str(r["id"]), organiser_id=str(oid), provider_id=str(r["listing.provider"]),
                   provider_name=r["listing.provider.name"], listing_id=str(r["listing"]), title=r["listing.title_fi"],
                   status=r["status"], submitted_at=r["submitted_at"].isoformat(), is_change=r["listing"] in live)
        for r in listings
    ]
    items.sort(key=lambda item: item.submitted_at)
    start = (page - 1) * per_page
    return ReviewQueue(items=items[start:start + per_page], total=n_providers + n_listings + n_categories, page=page,
                       per_page=per_page)


async def provider_review(actor: Actor, approval_id) -> dict:
    """Everything an organiser needs to decide on a provider: evidence against requirements."""
    row = await ProviderApproval.select().where(ProviderApproval.id == require_uuid(approval_id)).first().run()
    if not row:
        raise NotFound()
    _require_organiser_admin(actor, row["organiser"])
    provider = await load(row["provider"])
    cats = await catalogue.category_map()
    rows = _evidence_rows(provider, provider["categories"] or [], cats, everything=True)
    history = await _history("provider", row["provider"], row["organiser"])
    applications = (await category_approvals.of_approvals([row["id"]]))[row["id"]]
    return {"approval": row, "provider": provider, "evidence": rows, "categories": cats, "history": history,
            "applications": applications, "registry": await registry.latest(row["provider"], provider["name"]),
            "documents": await documents.for_review(row["provider"]),
            "actions": domain.provider_actions(row["status"], row["evidence_changed_at"] is not None)}


def _evidence_rows(provider: dict, categories: list[str], cats: dict, everything: bool = False) -> list[dict]:
    """Each requirement of ``categories``: the categories needing it, and what the provider showed
    (with ``everything``, then whatever else the provider showed)."""
    requirements = {code: domain.requirements_of_kind(c, provider.get("kind") or domain.DEFAULT_KIND)
                    for code, c in cats.items()}
    evidence = {k: v["provided"] for k, v in provider["evidence"].items()}
    rows = [(req, needed, shown) for req, needed, shown in domain.evidence_status(categories, requirements, evidence)]
    if everything:
        rows += [(req, [], shown) for req, shown in evidence.items() if req not in {r[0] for r in rows}]
    return [
        {"requirement": req, "categories": needed, "provided": shown, "detail": provider["evidence"].get(req, {}).get("detail", "")}
        for req, needed, shown in rows
    ]


async def category_review(actor: Actor, application_id) -> dict:
    """A category applied for: the evidence its requirements ask, and the approval it would join."""
    row = await _category_application(application_id)
    _require_organiser_admin(actor, row["approval.organiser"])
    provider = await load(row["approval.provider"])
    cats = await catalogue.category_map()
    applications = (await category_approvals.of_approvals([row["approval"]]))[row["approval"]]
    history = await _history("provider", row["approval.provider"], row["approval.organiser"])
    return {"application": row, "provider": provider, "evidence": _evidence_rows(provider, [row["category"]], cats),
            "categories": cats, "applications": applications, "history": history,
            "actions": sorted(domain.CATEGORY_TRANSITIONS.get(row["status"], {}))}


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
    previous = None
    if live is None:
        # Sent again after a request for changes (nothing live yet): compare with the version the
        # reviewer saw last, so what changed is plain to see.
        previous = await ListingRevision.select().where(
            (ListingRevision.listing == review["listing"]) & (ListingRevision.number < revision["number"])
        ).order_by(ListingRevision.number, ascending=False).output(load_json=True).first().run()
    listing = await Listing.select(Listing.id, Listing.provider, Listing.provider.name).where(Listing.id == review["listing"]).first().run()
    base = live or previous
    changed = sorted(k for k in revision["content"] if base and base["content"].get(k) != revision["content"].get(k))
    standing = await catalogue.provider_standing(listing["provider"], review["organiser"])
    # Approving the listing does not approve its category: it is live only once the provider's
    # approval here covers the category (the page says so).
    category_covered = revision["content"].get("category") in await catalogue.provider_approved_categories(
        listing["provider"], review["organiser"])
    history = await _history("listing", review["listing"], review["organiser"])
    return {"review": review, "revision": revision, "live": live, "previous": previous, "changed": changed, "listing": listing,
            "provider_standing": standing, "category_covered": category_covered, "history": history,
            "categories": await catalogue.category_map(),
            "reference": await reference_prices(review["organiser"], review["listing"], revision["content"])}


async def reference_prices(organiser_id, listing_id, content: dict) -> dict:
    """The county's approved prices for the listing's category and unit (its other listings' live
    revisions), their median and range, and whether the proposed price is far above the median
    (domain.reference_prices). The listing's own live price is not its own reference."""
    category, unit = content.get("category"), content.get("unit")
    live = await ListingApproval.select(ListingApproval.live_revision).where(
        (ListingApproval.organiser == as_uuid(organiser_id)) & (ListingApproval.status == "approved")
        & ListingApproval.live_revision.is_not_null() & (ListingApproval.listing != as_uuid(listing_id))
        # The working copy's category narrows the read; the live revision's content decides.
        & (ListingApproval.listing.category == category)
    ).run()
    peers = []
    if live:
        revisions = await ListingRevision.select(ListingRevision.content).where(
            ListingRevision.id.is_in([r["live_revision"] for r in live])).output(load_json=True).run()
        peers = [int(r["content"]["price_cents"]) for r in revisions
                 if r["content"].get("category") == category and r["content"].get("unit") == unit
                 and isinstance(r["content"].get("price_cents"), int)]
    return {"category": category, "unit": unit, **domain.reference_prices(peers, int(content.get("price_cents") or 0))}


async def _history(subject_type: str, subject_id, organiser_id) -> list[dict]:
    return await audit.history(subject_type, subject_id, organiser_id=organiser_id, limit=20)
