"""What an organiser's approval of a provider covers: its categories, and the evidence it was decided on.

Categories. A provider's approval with an organiser covers a set of categories, one
``ProviderCategoryApproval`` row each. The provider may be paid, listed and found in category X by
organiser O's clients only while its approval with O is ``approved`` and the row for X under it is
``approved`` too; ``marketplace.catalogue`` asks exactly that for the card authorisation
(``seller_facts``), the search index (``searchable``) and bookings (``live_listing``).

* A registration applies for each category it names with each organiser it names. The organiser's
  approval of the application approves the categories pending with it (``approve_pending``); its
  review page lists them with the evidence each one needs.
* A category added later (``PATCH /api/v1/providers/{id}`` or the profile page) is a new application
  to every organiser the provider works with: a pending row, shown in that organiser's review queue
  (once the provider itself is approved there) and unusable until the organiser approves it. The
  organiser may reject it, or later withdraw a category it approved.
* Applying to one more organiser applies there for every current category.
* Removing a category from the profile withdraws it everywhere (its rows go); adding it again is a
  new application.
* The importer is the county's (or the operator's) own record: an approval imported as approved or
  suspended covers the categories of the provider's listings in the file (``declare``); other
  categories keep waiting for their own decision.

Evidence. When staff change their evidence, every approval an organiser granted (approved or
suspended) gets ``evidence_changed_at`` and shows in that organiser's review queue as a change. The
approval stays as it is meanwhile, as a listing's approved version stays live while a change to it
waits: clients keep their booked and paid service over an updated policy number, and the organiser
who finds the new evidence wanting suspends or rejects the approval, which stops payments at once.
``approve`` accepts the new evidence. Any decision on the approval clears the mark, since it was
made looking at the evidence as it is. A new category never rides on this: it waits for its own
approval, whatever the evidence says.
"""

import datetime as dt

from marketplace import domain
from marketplace.tables import ProviderApproval, ProviderCategoryApproval


async def _approval_ids(provider_id, organiser_id=None) -> list:
    query = ProviderApproval.select(ProviderApproval.id).where(ProviderApproval.provider == provider_id)
    if organiser_id is not None:
        query = query.where(ProviderApproval.organiser == organiser_id)
    return [r["id"] for r in await query.run()]


async def sync(provider_id, categories: list[str], now: dt.datetime, organiser_id=None) -> bool:
    """Inside the caller's write transaction: one row per approval (all of the provider's, or the
    one with ``organiser_id``) and category it lists — a missing one is a new pending application —
    and none for a category it no longer lists. True when anything changed."""
    approvals = await _approval_ids(provider_id, organiser_id)
    if not approvals:
        return False
    wanted = list(dict.fromkeys(categories))
    gone = ProviderCategoryApproval.approval.is_in(approvals)
    if wanted:
        gone &= ProviderCategoryApproval.category.not_in(wanted)
    withdrawn = await ProviderCategoryApproval.delete().where(gone).returning(ProviderCategoryApproval.id).run()
    have = {
        (r["approval"], r["category"])
        for r in await ProviderCategoryApproval.select(ProviderCategoryApproval.approval, ProviderCategoryApproval.category)
        .where(ProviderCategoryApproval.approval.is_in(approvals)).run()
    }
    new = [
        ProviderCategoryApproval(approval=a, category=code, status="pending", submitted_at=now)
        for a in approvals for code in wanted if (a, code) not in have
    ]
    if new:
        # Two saves racing add the same application once (unique per approval and category).
        await ProviderCategoryApproval.insert(*new).on_conflict(action="DO NOTHING").run()
    return bool(withdrawn or new)


async def approve_pending(approval_id, reviewer_id, now: dt.datetime) -> list[str]:
    """The organiser approved the provider's application: the categories pending with it are
    approved with it. Returns their codes."""
    rows = await ProviderCategoryApproval.update({
        ProviderCategoryApproval.status: "approved", ProviderCategoryApproval.reviewer_id: reviewer_id,
        ProviderCategoryApproval.decided_at: now, ProviderCategoryApproval.reason: "",
    }).where(
        (ProviderCategoryApproval.approval == approval_id) & (ProviderCategoryApproval.status == "pending")
    ).returning(ProviderCategoryApproval.category).run()
    return sorted(r["category"] for r in rows)


async def declare(provider_id, organiser_id, status: str, covered: set[str], now: dt.datetime) -> None:
    """The importer's word on an approval, after ``sync``: an approval imported as granted covers
    ``covered`` (the categories of the provider's listings in the file); any other category keeps
    its own application."""
    if status not in domain.GRANTED or not covered:
        return
    await ProviderCategoryApproval.update({
        ProviderCategoryApproval.status: "approved", ProviderCategoryApproval.decided_at: now,
        ProviderCategoryApproval.reason: "",
    }).where(
        ProviderCategoryApproval.approval.is_in(await _approval_ids(provider_id, organiser_id) or [None])
        & ProviderCategoryApproval.category.is_in(sorted(covered))
        & (ProviderCategoryApproval.status != "approved")
    ).run()


async def evidence_changed(provider_id, now: dt.datetime) -> int:
    """Staff changed the evidence: every granted approval waits for its organiser's look at it."""
    rows = await ProviderApproval.update({ProviderApproval.evidence_changed_at: now}).where(
        (ProviderApproval.provider == provider_id) & ProviderApproval.status.is_in(list(domain.GRANTED))
    ).returning(ProviderApproval.id).run()
    return len(rows)


async def of_approvals(approval_ids: list) -> dict:
    """Approval id → its category applications (id, category, status, reason), by category."""
    out: dict = {a: [] for a in approval_ids}
    if not approval_ids:
        return out
    rows = await ProviderCategoryApproval.select(
        ProviderCategoryApproval.id, ProviderCategoryApproval.approval, ProviderCategoryApproval.category,
        ProviderCategoryApproval.status, ProviderCategoryApproval.reason,
    ).where(ProviderCategoryApproval.approval.is_in(approval_ids)).order_by(ProviderCategoryApproval.category).run()
    for row in rows:
        out.setdefault(row["approval"], []).append(row)
    return out


def waiting_in_queue(organiser_id):
    """The category applications waiting for this organiser's own decision: those of providers it
    has approved (or suspended). A pending provider's categories are decided with its application."""
    return (
        (ProviderCategoryApproval.approval.organiser == organiser_id)
        & (ProviderCategoryApproval.status == "pending")
        & ProviderCategoryApproval.approval.status.is_in(list(domain.GRANTED))
    )
