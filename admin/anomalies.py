"""Anomaly flags learnt from the Dutch experience, each with its evidence and a way to
mark it reviewed.

Rules (each a pure function over rows read from the console's copy of the voucher's payments,
admin.movements, and from the owning packages' read functions):

* ``over_listing_price``: an authorisation captured for more than the listing's price × quantity
  (the booking's quantity, else the payment's own). The authorisation itself refuses a payment
  beyond that plus the county's tolerance (voucher.domain, issue 16), so what is flagged now is
  what the tolerance let through, a price lowered since, or a card network's over-capture;
* ``many_captures_one_day``: ``MANY_CAPTURES`` or more captures for one client at one provider on
  one (Helsinki) day;
* ``no_booking``: a card payment that no booking stands behind (admin.ports);
* ``proxy_is_provider_staff``: the client's proxy works for the provider that was paid;
* ``changed_bank_account``: a payout to a provider whose bank account changed in the 30 days
  before it (such payouts also wait for two admins: admin.payouts).

A scan looks at a time window and is idempotent: a finding's ``key`` says what was found, so a
rescan never makes a second flag; while a flag is open its evidence is brought up to date.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

import msgspec
from piccolo.query.functions.aggregate import Count

from admin import access, domain, facts, movements, payouts, ports
from admin.tables import AnomalyFlag
from core import audit, db, identity
from core.clock import HELSINKI
from core.errors import Conflict, NotFound
from core.identity import Actor
from core.ids import as_uuid
from core.web import Pager
from marketplace import directory
from voucher import proxies
from voucher import reporting as voucher_reporting

RULES = ("over_listing_price", "many_captures_one_day", "no_booking", "proxy_is_provider_staff", "changed_bank_account")
MANY_CAPTURES = 3
# How far back "scan now" looks; the background watch looks at the last WATCH_DAYS.
SCAN_DAYS = 35
WATCH_DAYS = 2


class Finding(msgspec.Struct, kw_only=True):
    rule: str
    key: str
    organiser_id: str
    provider_id: str | None
    client_id: str | None
    amount_cents: int
    occurred_at: dt.datetime
    evidence: dict


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value else None


def _capture_items(captures: list[dict]) -> list[dict]:
    return [{"id": str(c["capture_id"] if "capture_id" in c else c["id"]), "at": _iso(c["at"]),
             "amount_cents": int(c["amount_cents"])} for c in sorted(captures, key=lambda c: c["at"])]


# --- The rules (pure) ----------------------------------------------------------------------------


def over_listing_price(organiser_id: str, authorisations: list[dict], quantities: dict[str, int],
                       stated: dict[str, int] | None = None) -> list[Finding]:
    """``quantities``: the booking's per authorisation; ``stated``: what the payment itself said."""
    out = []
    for a in authorisations:
        booked = a["authorization_id"] in quantities
        quantity = quantities[a["authorization_id"]] if booked else (stated or {}).get(a["authorization_id"], 1)
        limit = a["price_cents"] * quantity
        captured = sum(c["amount_cents"] for c in a["captures"])
        if captured <= limit:
            continue
        out.append(Finding(
            rule="over_listing_price", key=f"over_listing_price:{a['authorization_id']}", organiser_id=organiser_id,
            provider_id=a["provider_id"], client_id=a["client_id"], amount_cents=captured - limit,
            occurred_at=max(c["at"] for c in a["captures"]),
            evidence={"facts": {
                "listing": a["title"], "price_cents": a["price_cents"], "unit": a["unit"], "quantity": quantity,
                "quantity_source": "booking" if booked else "payment",
                "limit_cents": limit, "authorised_cents": a["authorised_cents"], "captured_cents": captured,
                "over_cents": captured - limit, "authorization_id": a["authorization_id"],
            }, "captures": _capture_items(a["captures"])},
        ))
    return out


def many_captures_one_day(organiser_id: str, captures: list[dict], threshold: int = MANY_CAPTURES) -> list[Finding]:
    per_day: dict[tuple, list[dict]] = defaultdict(list)
    for c in captures:
        if c["client_id"] is None:
            continue
        per_day[(str(c["client_id"]), str(c["provider_id"]), domain.helsinki_date(c["at"]))].append(c)
    out = []
    for (client_id, provider_id, day), found in per_day.items():
        if len(found) < threshold:
            continue
        total = sum(c["amount_cents"] for c in found)
        out.append(Finding(
            rule="many_captures_one_day", key=f"many_captures_one_day:{client_id}:{provider_id}:{day.isoformat()}",
            organiser_id=organiser_id, provider_id=provider_id, client_id=client_id, amount_cents=total,
            occurred_at=max(c["at"] for c in found),
            evidence={"facts": {"day": day.isoformat(), "count": len(found), "threshold": threshold, "total_cents": total},
                      "captures": _capture_items(found)},
        ))
    return out


def no_booking(organiser_id: str, captures: list[dict], booked: set[str]) -> list[Finding]:
    out = []
    for c in captures:
        if str(c["capture_id"]) in booked:
            continue
        out.append(Finding(
            rule="no_booking", key=f"no_booking:{c['capture_id']}", organiser_id=organiser_id,
            provider_id=str(c["provider_id"]), client_id=str(c["client_id"]) if c["client_id"] else None,
            amount_cents=int(c["amount_cents"]), occurred_at=c["at"],
            evidence={"facts": {"source": c["source"] or "none", "authorization_id": str(c["authorization_id"] or ""),
                                "captured_cents": int(c["amount_cents"]), "stripe_flag": c["flag"] or ""},
                      "captures": _capture_items([c])},
        ))
    return out


def proxy_is_provider_staff(organiser_id: str, rows: list[dict]) -> list[Finding]:
    per_grant: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        per_grant[(str(row["grant_id"]), str(row["provider_id"]))].append(row)
    out = []
    for (grant_id, provider_id), found in per_grant.items():
        first = found[0]
        total = sum(r["amount_cents"] for r in found)
        out.append(Finding(
            rule="proxy_is_provider_staff", key=f"proxy_is_provider_staff:{grant_id}:{provider_id}",
            organiser_id=organiser_id, provider_id=provider_id, client_id=str(first["client_id"]), amount_cents=total,
            occurred_at=max(r["at"] for r in found),
            evidence={"facts": {"proxy": first["proxy_name"], "proxy_user_id": str(first["proxy_user_id"]),
                                "matched_by": first["matched_by"], "granted_at": _iso(first["granted_at"]), "total_cents": total},
                      "captures": _capture_items(found)},
        ))
    return out


def changed_bank_account(organiser_id: str, batches: list[dict]) -> list[Finding]:
    out = []
    for b in batches:
        if not payouts.needs_confirmation(b["iban_changed_at"], b["created_at"]):
            continue
        out.append(Finding(
            rule="changed_bank_account", key=f"changed_bank_account:{b['batch_id']}", organiser_id=organiser_id,
            provider_id=str(b["provider_id"]), client_id=None, amount_cents=int(b["total_cents"]),
            occurred_at=b["created_at"],
            evidence={"facts": {"iban_changed_at": _iso(b["iban_changed_at"]), "iban_end": (b["iban"] or "")[-4:],
                                "reference": b["reference"], "total_cents": int(b["total_cents"]),
                                "batch_status": b["status"], "batch_id": str(b["batch_id"]),
                                "days_since_change": (b["created_at"] - b["iban_changed_at"]).days},
                      "captures": []},
        ))
    return out


# --- Scanning --------------------------------------------------------------------------------------


def _day_start(moment: dt.datetime) -> dt.datetime:
    day = domain.helsinki_date(moment)
    return dt.datetime.combine(day, dt.time(), tzinfo=HELSINKI).astimezone(dt.timezone.utc)


async def findings(organiser_id: str, since: dt.datetime, until: dt.datetime) -> list[Finding]:
    since = _day_start(since)  # whole days, so "many in one day" sees the whole day
    await facts.drain()  # every payment committed before the scan
    authorisations = await captured_authorisations(organiser_id, since, until)
    captures = await movements.captures_between(organiser_id, since, until)
    ids = [a["authorization_id"] for a in authorisations]
    return [
        *over_listing_price(organiser_id, authorisations, await ports.booking_quantities(ids),
                            await voucher_reporting.quantities(ids)),
        *many_captures_one_day(organiser_id, captures),
        *no_booking(organiser_id, captures, await ports.captures_with_booking(captures)),
        *proxy_is_provider_staff(organiser_id, await proxies_at_paid_providers(captures)),
        *changed_bank_account(organiser_id, await payouts.batches_to_changed_accounts(organiser_id, since)),
    ]


async def captured_authorisations(organiser_id: str, since: dt.datetime, until: dt.datetime) -> list[dict]:
    """Authorisations naming a listing that got a capture in [since, until), with everything
    captured on them so far and the listing's price as the organiser approved it."""
    rows = await movements.captures_of_listed_authorisations(organiser_id, since, until)
    terms = await directory.approved_terms({r["listing_id"] for r in rows}, organiser_id)
    grouped: dict[str, dict] = {}
    for row in rows:
        listing = terms.get(str(row["listing_id"]))
        if listing is None:
            continue
        entry = grouped.get(str(row["authorization_id"]))
        if entry is None:
            entry = grouped[str(row["authorization_id"])] = {
                "authorization_id": str(row["authorization_id"]), "client_id": str(row["client_id"]),
                "provider_id": str(row["provider_id"]), "listing_id": str(row["listing_id"]), "title": listing.title,
                "unit": listing.unit, "price_cents": listing.price_cents, "authorised_cents": int(row["authorised_cents"]),
                "captures": [],
            }
        entry["captures"].append({"id": str(row["capture_id"]), "amount_cents": int(row["amount_cents"]), "at": row["at"]})
    return list(grouped.values())


async def proxies_at_paid_providers(captures: list[dict]) -> list[dict]:
    """The captures (oldest first) paid to a provider where an active proxy of the client works
    (core.identity.staff_match), one row per capture and such proxy."""
    grants = await proxies.grants_in_force(list({c["client_id"] for c in captures if c["client_id"]}))
    if not grants:
        return []
    people = await identity.users_by_id({g.proxy_user_id for g in grants})
    providers = await directory.provider_accounts({c["provider_id"] for c in captures})
    by_client: dict[str, list[proxies.GrantBrief]] = defaultdict(list)
    for grant in grants:
        by_client[grant.client_id].append(grant)
    rows = []
    for c in captures:
        provider = providers.get(str(c["provider_id"]))
        for grant in by_client.get(str(c["client_id"]), []):
            person = people.get(grant.proxy_user_id)
            matched = identity.staff_match(person.provider_id, person.email, c["provider_id"], provider.email) \
                if person and provider else None
            if matched:
                rows.append({"capture_id": c["capture_id"], "client_id": c["client_id"], "provider_id": c["provider_id"],
                             "amount_cents": int(c["amount_cents"]), "at": c["at"], "grant_id": grant.id,
                             "granted_at": grant.granted_at, "proxy_user_id": grant.proxy_user_id,
                             "proxy_name": person.display_name, "matched_by": matched})
    return rows


async def scan(organiser_id: str, since: dt.datetime, until: dt.datetime) -> int:
    """Flag what the rules find in [since, until); returns how many flags are new."""
    found = await findings(organiser_id, since, until)
    if not found:
        return 0
    keys = [f.key for f in found]
    async with db.write_transaction():
        before = {r["key"] for r in await AnomalyFlag.select(AnomalyFlag.key).where(AnomalyFlag.key.is_in(keys)).run()}
        for f in found:
            await AnomalyFlag.insert(AnomalyFlag(
                organiser_id=f.organiser_id, rule=f.rule, key=f.key, provider_id=f.provider_id, client_id=f.client_id,
                amount_cents=f.amount_cents, occurred_at=f.occurred_at, evidence=f.evidence,
            )).on_conflict(
                target=AnomalyFlag.key, action="DO UPDATE", values=[AnomalyFlag.evidence, AnomalyFlag.amount_cents],
                where=AnomalyFlag.status == "open",
            ).run()
    return len(set(keys) - before)


async def scan_all(since: dt.datetime, until: dt.datetime) -> int:
    return sum([await scan(organiser_id, since, until) for organiser_id in await directory.organiser_names()])


# --- Reading and reviewing -------------------------------------------------------------------------


class FlagQuery(msgspec.Struct, kw_only=True):
    rule: str = ""
    status: str = "open"
    page: int = 1
    per_page: int = 20


async def flags(actor: Actor, query: FlagQuery) -> tuple[list[dict], Pager, dict[str, int]]:
    organiser_id = access.organiser_of_admin(actor)
    where = AnomalyFlag.organiser_id == as_uuid(organiser_id)
    counts = {
        r["rule"]: int(r["count"])
        for r in await AnomalyFlag.select(AnomalyFlag.rule, Count(alias="count")).where(
            where & (AnomalyFlag.status == "open")).group_by(AnomalyFlag.rule).run()
    }
    if query.rule in RULES:
        where &= AnomalyFlag.rule == query.rule
    if query.status in ("open", "reviewed"):
        where &= AnomalyFlag.status == query.status
    total = await AnomalyFlag.count().where(where).run()
    pager = Pager(page=query.page, per_page=query.per_page, total=total)
    rows = await AnomalyFlag.select().where(where).order_by(AnomalyFlag.occurred_at, ascending=False).order_by(
        AnomalyFlag.id).limit(pager.per_page).offset(pager.offset).output(load_json=True).run()
    async with db.write_transaction():  # the list names clients: their reads go to the access log
        for client_id in sorted({str(r["client_id"]) for r in rows if r["client_id"]}):
            await audit.client_data_read(actor, client_id, "follow_up.anomalies", organiser_id=organiser_id)
    return await _with_names(rows), pager, counts


async def _with_names(rows: list[dict]) -> list[dict]:
    names = await directory.provider_names({r["provider_id"] for r in rows if r["provider_id"]})
    clients = await voucher_reporting.clients({r["client_id"] for r in rows if r["client_id"]})
    return [{**r, "provider_name": names.get(str(r["provider_id"]), ""),
             "client_name": clients[str(r["client_id"])].display_name if str(r["client_id"]) in clients else ""}
            for r in rows]


async def flag(actor: Actor, flag_id: Any) -> dict:
    organiser_id = access.organiser_of_admin(actor)
    row = await AnomalyFlag.select().where(
        (AnomalyFlag.id == as_uuid(flag_id)) & (AnomalyFlag.organiser_id == as_uuid(organiser_id))
    ).output(load_json=True).first().run() if as_uuid(flag_id) else None
    if not row:
        raise NotFound()
    if row["client_id"]:
        await audit.client_data_read(actor, row["client_id"], "follow_up.anomaly", organiser_id=organiser_id)
    return (await _with_names([row]))[0]


async def mark_reviewed(actor: Actor, flag_id: Any, note: str, now: dt.datetime) -> None:
    organiser_id = access.organiser_of_admin(actor)
    flag_uuid = as_uuid(flag_id)
    if flag_uuid is None:
        raise NotFound()
    async with db.write_transaction():
        done = await AnomalyFlag.update({
            AnomalyFlag.status: "reviewed", AnomalyFlag.reviewed_by: actor.user_id,
            AnomalyFlag.reviewed_by_label: actor.display_name, AnomalyFlag.reviewed_at: now,
            AnomalyFlag.review_note: note.strip()[:2000],
        }).where(
            (AnomalyFlag.id == flag_uuid) & (AnomalyFlag.organiser_id == as_uuid(organiser_id))
            & (AnomalyFlag.status == "open")
        ).returning(AnomalyFlag.rule).run()
        if not done:
            exists = await AnomalyFlag.count().where(
                (AnomalyFlag.id == flag_uuid) & (AnomalyFlag.organiser_id == as_uuid(organiser_id))).run()
            raise Conflict("admin.flag.already_reviewed") if exists else NotFound()
        await audit.record(actor, "admin.anomaly.reviewed", "anomaly_flag", flag_uuid, organiser_id=organiser_id,
                           reason=note.strip()[:2000], details={"rule": done[0]["rule"]})
