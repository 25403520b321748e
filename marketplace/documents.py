"""Evidence as documents that expire (issue 18, docs/decisions/0038-evidence-documents-expire.md).

The provider's staff upload a document per requirement (liability insurance, a police record
extract for work with children, a licence): PDF, JPEG or PNG by content, at most 10 MB, with the
dates it is valid. The file goes to the evidence store under a random key; the row says whose it
is and when it holds. Each approval's ``valid_until`` is the earliest end among the documents its
categories require (``document_rules.validity``); the catalogue treats an approval past that
instant as not approved, so the provider's listings leave search and its new payments are declined
``provider_not_approved``.

``sweep`` (daily: ``hb evidence-sweep`` and the server's worker) sends the 30- and 7-day reminders
to the provider's staff and the organiser's admins once each, and at expiry puts the provider's
listings on the listing-change outbox so search drops them (the server drains it within a second).
Only the provider's own staff and the admins of an organiser the provider applied to may fetch a
document — anyone else gets 404 — and each view is audited.
"""

import asyncio
import datetime as dt
import hashlib
import logging

import msgspec

import marketplace.document_messages  # noqa: F401 - the documents' texts
from core import audit, db, identity
from core.clock import HELSINKI, utcnow
from core.errors import FieldError, Invalid, NotFound
from core.identity import Actor
from core.ids import as_uuid
from marketplace import catalogue, document_rules, domain, listing_changes, notifications, providers
from marketplace.evidence_store import EvidenceStore, new_key
from marketplace.tables import Listing, Organiser, Provider, ProviderApproval, ProviderDocument

log = logging.getLogger("hb.documents")

SWEEP_EVERY_S = 3600


class DocumentRead(msgspec.Struct, kw_only=True):
    id: str
    requirement: str
    content_type: str
    size_bytes: int
    valid_from: str
    valid_until: str
    uploaded_at: str
    expired: bool


class ApprovalValidity(msgspec.Struct, kw_only=True):
    approval_id: str
    organiser_name: str
    status: str
    valid_until: str | None
    expired: bool
    # The requirements whose documents ran out (the reason shown to the provider).
    lapsed: list[str] = []


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), HELSINKI).astimezone(dt.timezone.utc)


def _end_of(day: dt.date) -> dt.datetime:
    """A document valid until a day holds through that day, Finnish time."""
    return _start_of(day + dt.timedelta(days=1))


def _day(value: dt.datetime, *, end: bool = False) -> str:
    local = value.astimezone(HELSINKI)
    return (local - dt.timedelta(days=1) if end else local).date().isoformat()


def _read(row: dict, now: dt.datetime) -> DocumentRead:
    return DocumentRead(id=str(row["id"]), requirement=row["requirement"], content_type=row["content_type"],
                        size_bytes=row["size_bytes"], valid_from=_day(row["valid_from"]),
                        valid_until=_day(row["valid_until"], end=True), uploaded_at=row["uploaded_at"].isoformat(),
                        expired=row["valid_until"] <= now)


async def requirements_of(provider_id) -> list[str]:
    """The requirements of the categories the provider lists (what documents it may upload)."""
    row = await Provider.select(Provider.categories, Provider.kind).where(Provider.id == as_uuid(provider_id)).output(
        load_json=True).first().run()
    if not row:
        return []
    cats = await catalogue.category_map()
    kind = row["kind"] or domain.DEFAULT_KIND  # each kind has its own requirements (decision 0036)
    return domain.requirements_for(row["categories"] or [],
                                   {code: domain.requirements_of_kind(c, kind) for code, c in cats.items()})


async def upload(actor: Actor, provider_id, requirement: str, data: bytes, valid_from: dt.date | None,
                 valid_until: dt.date | None, *, store: EvidenceStore, now: dt.datetime | None = None) -> DocumentRead:
    """Store one document for one requirement. The uploaded file's name is never used."""
    providers.require_staff(actor, provider_id)
    now = now or utcnow()
    errors = [FieldError(field=f, key=k) for f, k in document_rules.check_upload(data, valid_from, valid_until)[1]]
    if requirement not in await requirements_of(provider_id):
        errors.insert(0, FieldError(field="requirement", key="document.unknown_requirement"))
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    kind = document_rules.sniff(data)
    key = new_key()
    await store.put(key, data)

    async def write():
        row = ProviderDocument(provider=as_uuid(provider_id), requirement=requirement, storage_key=key,
                               content_type=kind, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                               valid_from=_start_of(valid_from), valid_until=_end_of(valid_until),
                               uploaded_by=as_uuid(actor.user_id), uploaded_at=now)
        await row.save().run()
        await refresh_validity(provider_id)
        # A new document may restore a lapsed approval: search re-derives the provider's listings.
        listings = await Listing.select(Listing.id).where(Listing.provider == as_uuid(provider_id)).run()
        await listing_changes.enqueue(r["id"] for r in listings)
        await audit.record(actor, "provider.document_uploaded", "provider", provider_id,
                           details={"document": str(row.id), "requirement": requirement, "content_type": kind,
                                    "size_bytes": len(data), "valid_from": valid_from.isoformat(),
                                    "valid_until": valid_until.isoformat()})
        return row.id

    try:
        doc_id = await db.in_write_transaction(write)
    except BaseException:
        await store.delete(key)
        raise
    row = await ProviderDocument.select().where(ProviderDocument.id == doc_id).first().run()
    return _read(row, now)


async def documents_of(actor: Actor, provider_id, now: dt.datetime | None = None) -> list[DocumentRead]:
    providers.require_staff(actor, provider_id)
    return await for_review(provider_id, now)


async def for_review(provider_id, now: dt.datetime | None = None) -> list[DocumentRead]:
    """The provider's documents, newest end first per requirement (the caller has checked who asks:
    the provider's staff, or an admin reviewing the provider — marketplace.approvals)."""
    rows = await ProviderDocument.select().where(ProviderDocument.provider == as_uuid(provider_id)).order_by(
        ProviderDocument.requirement).order_by(ProviderDocument.valid_until, ascending=False).run()
    return [_read(r, now or utcnow()) for r in rows]


async def refresh_validity(provider_id) -> None:
    """Set each of the provider's approvals' valid_until from its documents (in the caller's
    transaction). Without any required document it is left as it was."""
    pid = as_uuid(provider_id)
    required = await requirements_of(pid)
    best: dict[str, dt.datetime] = {}
    for r in await ProviderDocument.select(ProviderDocument.requirement, ProviderDocument.valid_until).where(
            ProviderDocument.provider == pid).run():
        if r["requirement"] not in best or r["valid_until"] > best[r["requirement"]]:
            best[r["requirement"]] = r["valid_until"]
    until = document_rules.validity(required, best)
    if until is not None:
        await ProviderApproval.update({ProviderApproval.valid_until: until}).where(ProviderApproval.provider == pid).run()


async def lapsed_requirements(provider_id, now: dt.datetime) -> list[str]:
    """The required requirements whose every document has ended by ``now``."""
    pid = as_uuid(provider_id)
    rows = await ProviderDocument.select(ProviderDocument.requirement, ProviderDocument.valid_until).where(
        ProviderDocument.provider == pid).run()
    best: dict[str, dt.datetime] = {}
    for r in rows:
        best[r["requirement"]] = max(best.get(r["requirement"], r["valid_until"]), r["valid_until"])
    return [req for req in await requirements_of(pid) if req in best and best[req] <= now]


async def validity_of(actor: Actor, provider_id, now: dt.datetime | None = None) -> list[ApprovalValidity]:
    """For the provider's page: each approval's validity, and why it lapsed."""
    providers.require_staff(actor, provider_id)
    now = now or utcnow()
    lapsed = await lapsed_requirements(provider_id, now)
    rows = await ProviderApproval.select(ProviderApproval.id, ProviderApproval.status, ProviderApproval.valid_until,
                                         ProviderApproval.organiser.name).where(
        ProviderApproval.provider == as_uuid(provider_id)).order_by(ProviderApproval.organiser.name).run()
    out = []
    for r in rows:
        expired = r["valid_until"] is not None and r["valid_until"] <= now
        out.append(ApprovalValidity(approval_id=str(r["id"]), organiser_name=r["organiser.name"], status=r["status"],
                                    valid_until=_day(r["valid_until"], end=True) if r["valid_until"] else None,
                                    expired=expired, lapsed=lapsed if expired else []))
    return out


async def open_document(actor: Actor, document_id, *, store: EvidenceStore) -> tuple[bytes, str]:
    """The file and its content type, for the provider's own staff or the admins of an organiser
    the provider applied to; 404 for everyone else. Each view is audited."""
    identity.require(actor)
    row = await ProviderDocument.select().where(ProviderDocument.id == as_uuid(document_id)).first().run() \
        if as_uuid(document_id) else None
    if not row:
        raise NotFound()
    organiser_id = None
    if actor.role == "provider_staff" and actor.provider_id == str(row["provider"]):
        pass
    elif actor.role == "organiser_admin" and actor.organiser_id and await ProviderApproval.exists().where(
            (ProviderApproval.provider == row["provider"]) & (ProviderApproval.organiser == as_uuid(actor.organiser_id))).run():
        organiser_id = actor.organiser_id
    else:
        raise NotFound()
    data = await store.get(row["storage_key"])

    async def write():
        await audit.record(actor, "provider.document_viewed", "provider", row["provider"], organiser_id=organiser_id,
                           purpose="evidence_review" if organiser_id else "own_evidence",
                           details={"document": str(row["id"]), "requirement": row["requirement"]})

    await db.in_write_transaction(write)
    return data, row["content_type"]


# ----- the daily sweep: reminders and expiry -----

_MARKERS = {"remind_30": ProviderApproval.reminded_30_for, "remind_7": ProviderApproval.reminded_7_for,
            "expired": ProviderApproval.expired_for}


async def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Recompute validities, then send each due reminder once and take expired providers' listings
    out of search (through the outbox). Safe to run at any time and from two places at once: each
    message is claimed by a conditional update of its sent marker first."""
    now = now or utcnow()
    counts = {"remind_30": 0, "remind_7": 0, "expired": 0}
    with_documents = {r["provider"] for r in await ProviderDocument.select(ProviderDocument.provider).run()}
    for pid in with_documents:
        await db.in_write_transaction(lambda pid=pid: refresh_validity(pid))
    rows = await ProviderApproval.select(
        ProviderApproval.id, ProviderApproval.provider, ProviderApproval.organiser, ProviderApproval.status,
        ProviderApproval.valid_until, ProviderApproval.reminded_30_for, ProviderApproval.reminded_7_for,
        ProviderApproval.expired_for,
    ).where(ProviderApproval.valid_until.is_not_null() & (ProviderApproval.status == "approved")).run()
    for row in rows:
        what = document_rules.due(row["valid_until"], now, {"remind_30": row["reminded_30_for"],
                                                           "remind_7": row["reminded_7_for"],
                                                           "expired": row["expired_for"]})
        if what and await db.in_write_transaction(lambda row=row, what=what: _handle(row, what, now)):
            counts[what] += 1
    return counts


async def _handle(row: dict, what: str, now: dt.datetime) -> bool:
    marker = _MARKERS[what]
    until = row["valid_until"]
    claimed = await ProviderApproval.update({marker: until}).where(
        (ProviderApproval.id == row["id"]) & (marker.is_null() | (marker != until))
    ).returning(ProviderApproval.id).run()
    if not claimed:
        return False  # another sweep sent it
    provider = await Provider.select(Provider.name).where(Provider.id == row["provider"]).first().run()
    organiser = await Organiser.select(Organiser.name).where(Organiser.id == row["organiser"]).first().run()
    lapsed = await lapsed_requirements(row["provider"], now) if what == "expired" else []
    params = {"provider": provider["name"] if provider else "", "organiser": organiser["name"] if organiser else "",
              "until_day": _day(until, end=True), "lapsed": lapsed, "path": "/provider#evidence-h"}
    staff = await identity.users_with("provider_staff", provider_id=row["provider"])
    admins = await identity.users_with("organiser_admin", organiser_id=row["organiser"])
    kind = "evidence_expired" if what == "expired" else "evidence_expiring"
    days = {"remind_30": 30, "remind_7": 7}.get(what)
    for user in [*staff, *admins]:
        await notifications.notify_user(kind, {"id": user.id, "email": user.email, "language": user.language},
                                        {**params, "days": days, "path": params["path"] if user in staff else
                                         "/organiser/reviews"}, now=now)
    if what == "expired":
        listings = await Listing.select(Listing.id).where(Listing.provider == row["provider"]).run()
        await listing_changes.enqueue(r["id"] for r in listings)
    await audit.record(None, f"provider.approval_{'expired' if what == 'expired' else 'expiry_reminded'}",
                       "provider", row["provider"], organiser_id=row["organiser"],
                       details={"approval": str(row["id"]), "valid_until": until.isoformat(), "days": days,
                                "lapsed": lapsed})
    return True


async def worker(app, settings) -> None:
    """Runs the sweep hourly inside the server (each message still goes once)."""
    while True:
        try:
            await sweep(app.state.clock())
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - keep sweeping; the markers make the next round catch up
            log.exception("evidence sweep failed")
        await asyncio.sleep(SWEEP_EVERY_S)
