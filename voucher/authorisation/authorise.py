"""Authorise: the decision (voucher.domain.decide), made true by conditional updates, and written once."""

import datetime as dt
import uuid
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.querystring import QueryString

from core import audit, db, i18n, metrics
from core.clock import utcnow
from core.errors import Invalid
from core.idempotency import Stored, fingerprint
from core.identity import Actor, check_api_key
from core.ids import as_uuid, require_uuid
from core.settings import Settings
from voucher import card_rules, domain, ledger, marketplace_port, own_share
from voucher.authorisation import consent, in_database
from voucher.authorisation.common import (
    BOOKING_HOLD_SOURCE,
    ORGANISER_SOURCE,
    as_date,
    encode,
    once,
    require_payer,
    to_read,
)
from voucher.cards import token_hash
from voucher.messages import decline_key
from voucher.schemas import AuthorizationRead, AuthorizationRequest
from voucher.tables import Authorization, Card

# The decline codes a metric's label may carry (core.metrics): the closed list, nothing else.
metrics.known_codes(domain.DECLINE_CODES)

# --- Authorise ---------------------------------------------------------------------------------

_SNAPSHOT_SQL = (
    """
SELECT c.id AS card_id, c.status AS card_status, c.per_transaction_limit_cents AS per_tx,
       c.daily_limit_cents AS daily, c.spend_day, c.spend_day_cents, c.codeless_cents,
       cl.id AS client_id, cl.organiser_id, cl.language,
       d.id AS decision_id, d.start AS d_start, d."end" AS d_end,
       """
    + card_rules.FROM_SNAPSHOT
    + ledger.LINE_STATE_SQL
    + """FROM vc_card c
JOIN vc_client cl ON cl.id = c.client
LEFT JOIN vc_card_rules cr ON cr.organiser_id = cl.organiser_id
LEFT JOIN vc_budget_decision d
  ON d.client = cl.id AND d.status = 'active' AND d.start <= {} AND d."end" >= {}
LEFT JOIN vc_budget_line l ON l.decision = d.id
"""
)
_ONE_CARD = """WHERE c.CARD_KEY = {}
ORDER BY d.start DESC, l.position
"""
# A booking names the client, not a card: the client's active card (else its newest unclosed one,
# which declines as inactive). The caller keeps the rows of the first card only.
_CLIENTS_CARD = """WHERE c.client = {} AND c.status <> 'closed'
ORDER BY c.status = 'active' DESC, c.created_at DESC, d.start DESC, l.position
"""


class Snapshot(msgspec.Struct, kw_only=True):
    card_id: str | None = None
    card_status: str | None = None
    client_id: str | None = None
    organiser_id: str | None = None
    language: str | None = None
    per_tx: int | None = None
    daily: int | None = None
    day_used: int = 0
    decision_start: dt.date | None = None
    decision_end: dt.date | None = None
    lines: tuple[domain.LineState, ...] = ()
    # The client's county's card rules (read in the same query: voucher.card_rules.FROM_SNAPSHOT).
    rules: domain.CardRules = domain.CardRules()
    # Code-less payments since the last consented one (voucher.authorisation.consent).
    codeless_cents: int = 0


_BY_TOKEN = _SNAPSHOT_SQL + _ONE_CARD.replace("CARD_KEY", "token_hash")
_BY_STRIPE_CARD = _SNAPSHOT_SQL + _ONE_CARD.replace("CARD_KEY", "stripe_card_id")
_BY_CLIENT = _SNAPSHOT_SQL + _CLIENTS_CARD


async def _snapshot(today: dt.date, now: dt.datetime, sql: str, key: Any) -> Snapshot:
    rows = await db.engine().run_querystring(QueryString(sql, now, now, today, today, key))
    if not rows:
        return Snapshot()
    first = rows[0]
    if sql is _BY_CLIENT:
        rows = [r for r in rows if r["card_id"] == first["card_id"]]
    decision_id = first["decision_id"]
    lines = tuple(ledger.line_state(r) for r in rows if r["line_id"] is not None and r["decision_id"] == decision_id)
    if any(line.fee_rule_code for line in lines):
        # The lines' client-fee rules (docs/decisions/0033): one query more, only for such lines.
        fees = await own_share.rules_by_code(first["organiser_id"], (line.fee_rule_code for line in lines))
        lines = tuple(msgspec.structs.replace(line, fee=fees.get(line.fee_rule_code or "")) for line in lines)
    return Snapshot(
        card_id=str(first["card_id"]),
        card_status=first["card_status"],
        client_id=str(first["client_id"]),
        organiser_id=str(first["organiser_id"]),
        language=first["language"],
        per_tx=first["per_tx"],
        daily=first["daily"],
        day_used=first["spend_day_cents"] if as_date(first["spend_day"]) == today else 0,
        decision_start=as_date(first["d_start"]) if decision_id else None,
        decision_end=as_date(first["d_end"]) if decision_id else None,
        lines=lines,
        rules=card_rules.from_row(first),
        codeless_cents=first["codeless_cents"],
    )


async def _take_card_day(card_id: str, amount: int, today: dt.date) -> bool:
    """Count the amount on the card's day, if the card is still active and within its caps.

    The card row is locked by this UPDATE until commit, and its WHERE is re-checked against a
    concurrent freeze, so a card frozen a moment ago declines (see voucher.ledger on concurrency).
    """
    day_total = "CASE WHEN spend_day = {} THEN spend_day_cents ELSE 0 END + {}"
    rows = await Card.update(
        {Card.spend_day: today, Card.spend_day_cents: QueryString(day_total, today, amount)}
    ).where(
        (Card.id == card_id)
        & (Card.status == "active")
        & WhereRaw("(per_transaction_limit_cents IS NULL OR per_transaction_limit_cents >= {})", amount)
        & WhereRaw(f"(daily_limit_cents IS NULL OR {day_total} <= daily_limit_cents)", today, amount)
    ).returning(Card.id).run()
    return bool(rows)


async def _give_back_card_day(card_id: str, amount: int, today: dt.date) -> None:
    await Card.update({Card.spend_day_cents: Card.spend_day_cents - amount}).where(
        (Card.id == card_id) & (Card.spend_day == today) & (Card.spend_day_cents >= amount)
    ).run()


async def _card_decline_code(card_id: str, amount: int, today: dt.date) -> str:
    card = await Card.select(
        Card.status, Card.per_transaction_limit_cents, Card.daily_limit_cents, Card.spend_day, Card.spend_day_cents
    ).where(Card.id == card_id).first().run()
    if not card or card["status"] != "active":
        return domain.CARD_INACTIVE
    used = card["spend_day_cents"] if as_date(card["spend_day"]) == today else 0
    return domain.cap_decline(amount, card["per_transaction_limit_cents"], card["daily_limit_cents"], used) or (
        domain.OVER_DAILY_LIMIT
    )


class Outcome(msgspec.Struct, kw_only=True):
    """What an authorisation decided, before it is written."""

    approved: bool
    code: str | None = None
    line_id: str | None = None
    swap: bool = False
    category: str = ""
    line_available_cents: int | None = None
    # How the client consented (voucher.authorisation.consent.Consent.given); "" when no consent was needed.
    consent: str = ""
    # The split of the amount (docs/decisions/0033): what the line holds and the client's own share.
    share: domain.Share | None = None
    fee_rule: str = ""
    fee_month: str = ""


class Purchase(msgspec.Struct, frozen=True, kw_only=True):
    """What a payment is for beyond its amount: how many units of the listing, the booking it names,
    and whether the person booking is a proxy who works for the provider."""

    quantity: int = 1
    booking: marketplace_port.BookingFacts | None = None
    # The booking's own hold (authorise_for_client): the client booked it, so no consent rule applies.
    booking_hold: bool = False
    payer_is_provider_staff: bool = False
    # The line's client-fee rule splits the amount (not for the card network's payments: the network
    # charges the card the whole amount).
    own_share: bool = True


async def _booking_terms(booking: marketplace_port.BookingFacts, now: dt.datetime) -> domain.BookingTerms:
    """The booking's amount, and what its own hold and earlier payments naming it hold or took."""
    mine = Authorization.booking_id == as_uuid(booking.booking_id)
    if booking.authorization_id:
        mine |= Authorization.id == as_uuid(booking.authorization_id)
    rows = await Authorization.select(
        Authorization.status, Authorization.amount_cents, Authorization.captured_cents, Authorization.expires_at,
        Authorization.client_share_cents,
    ).where(mine).run()
    # The booking's price is gross: a hold or capture counts with its client part (docs/decisions/0033).
    taken = 0
    for r in rows:
        whole = domain.Share(r["amount_cents"], r["client_share_cents"] or 0)
        captured = r["captured_cents"] + domain.client_part_of_budget(whole, r["captured_cents"]) if r["captured_cents"] else 0
        taken += domain.held_or_taken_cents(r["status"], whole.gross_cents, captured, r["expires_at"], now)
    return domain.BookingTerms(amount_cents=booking.amount_cents, taken_cents=taken)


async def _earlier_near_exemption(snap: Snapshot, provider_id: Any, now: dt.datetime) -> int:
    """Code-less payments "just under the exemption" from this provider on this card in the window
    (voucher.domain.near_exemption_needs_consent); asked only when this payment is one itself
    (``_history_facts``), so other payments make no query for it.

    Counted: approved or captured card payments that passed under the exemption (``consent =
    'exempt'``): no booking's, no booking hold, none the client approved with a code."""
    if provider_id is None:
        return 0
    return await Authorization.count().where(
        (Authorization.card_id == as_uuid(snap.card_id)) & (Authorization.provider_id == as_uuid(provider_id))
        & (Authorization.created_at > now - domain.NEAR_EXEMPTION_WINDOW)
        & Authorization.status.is_in([domain.APPROVED, domain.CAPTURED, domain.PARTIALLY_CAPTURED])
        & (Authorization.amount_cents >= domain.near_exemption_floor_cents(snap.rules.single_cents))
        & (Authorization.amount_cents <= snap.rules.single_cents)
        & (Authorization.source != BOOKING_HOLD_SOURCE) & Authorization.booking_id.is_null()
        & (Authorization.consent == domain.CONSENT_EXEMPT)
    ).run()


async def _history_facts(snap: Snapshot, seller: marketplace_port.SellerFacts | None, amount: int, purchase: Purchase,
                         now: dt.datetime) -> dict:
    """The facts that earlier payments make: what the named booking holds or took already, and the
    repeated just-under-exemption count — empty when the payment needs neither. Read before the
    decision and once more after the card's row is locked (``decide_and_hold``), so two payments at
    the same moment cannot both pass on the same stale count (the second waits for the first's commit
    at the card's lock, then sees it)."""
    facts: dict = {}
    if purchase.booking is not None:
        facts["booking"] = await _booking_terms(purchase.booking, now)
    elif not purchase.booking_hold and seller is not None and domain.is_near_exemption(amount, snap.rules.single_cents):
        facts["earlier_near_exemption"] = await _earlier_near_exemption(snap, seller.provider_id, now)
    return facts


async def decide_and_hold(
    snap: Snapshot, seller: marketplace_port.SellerFacts | None, amount: int, today: dt.date, now: dt.datetime,
    purchase: Purchase = Purchase(), client_consent: consent.Consent | None = None,
) -> Outcome:
    """The authorisation decision (voucher.domain.decide) made true by conditional updates: the card's
    day, then the client's consent (``client_consent``; None: the payment needs none), then a line."""
    categories: tuple[str, ...] = ()
    if seller is not None:
        if seller.listing_approved is None:
            categories = seller.provider_categories
        elif seller.listing_category:
            categories = (seller.listing_category,)
    history = await _history_facts(snap, seller, amount, purchase, now) if snap.card_status == "active" else {}
    facts = domain.AuthorisationFacts(
        amount_cents=amount,
        today=today,
        card_status=snap.card_status,
        decision_start=snap.decision_start,
        decision_end=snap.decision_end,
        provider_approved=bool(seller and seller.provider_approved),
        listing_approved=seller.listing_approved if seller else None,
        purchase_categories=categories,
        lines=snap.lines,
        per_transaction_limit_cents=snap.per_tx,
        daily_limit_cents=snap.daily,
        day_used_cents=snap.day_used,
        rules=snap.rules,
        listing_price_cents=seller.listing_price_cents if seller else None,
        quantity=purchase.quantity,
        payer_is_provider_staff=purchase.payer_is_provider_staff,
        consent=client_consent.facts() if client_consent is not None else None,
        **history,
    )
    decision = domain.decide(facts)
    by_id = {line.id: line for line in snap.lines}
    if isinstance(decision, domain.Decline):
        best = None
        if decision.code == domain.INSUFFICIENT_FUNDS:
            priced = domain.priced_categories(facts)
            rooms = [domain.room_cents(by_id[c.line_id], c.swap)
                     for c in domain.candidate_lines(snap.lines, priced if isinstance(priced, tuple) else ())]
            best = max(rooms) if rooms else None
        return Outcome(approved=False, code=decision.code, line_available_cents=best)

    if not await _take_card_day(snap.card_id, amount, today):
        return Outcome(approved=False, code=await _card_decline_code(snap.card_id, amount, today))
    if history:
        # The card's row is locked now: what earlier payments hold or took is read again (see _history_facts).
        again = domain.decide(msgspec.structs.replace(facts, **await _history_facts(snap, seller, amount, purchase, now)))
        if isinstance(again, domain.Decline):
            await _give_back_card_day(snap.card_id, amount, today)
            return Outcome(approved=False, code=again.code)
    if client_consent is not None:
        refused = await client_consent.take(decision.consent, amount)
        if refused:
            await _give_back_card_day(snap.card_id, amount, today)
            return Outcome(approved=False, code=refused)
    outcome = await _hold_on_a_line(snap, decision, amount, today, now, purchase)
    if client_consent is not None:
        await client_consent.settle(outcome.approved)
        outcome.consent = client_consent.given if outcome.approved else ""
    return outcome


async def _hold_on_a_line(snap: Snapshot, decision: domain.Approve, amount: int, today: dt.date,
                          now: dt.datetime, purchase: Purchase = Purchase()) -> Outcome:
    """Hold the amount on the first candidate line that still has it; none: the card's day is given back.

    A line with a client-fee rule holds only the budget's part: the client's own share is split off
    and counted in the client's month first (``own_share.take``, the monthly cap's compare-and-set),
    and given back when the line cannot hold the rest (docs/decisions/0033)."""
    by_id = {line.id: line for line in snap.lines}
    stale = [c.line_id for c in decision.candidates if by_id[c.line_id].expired_held_cents]
    if stale:
        # Expired holds still sit in these lines' counters: release them before holding.
        await ledger.expire_holds(now, line_ids=sorted(stale))
    month = domain.fee_month(now)
    code = domain.INSUFFICIENT_FUNDS
    for candidate in decision.candidates:
        line = by_id[candidate.line_id]
        rule = line.fee if purchase.own_share else None
        share = await own_share.take(snap.client_id, rule, amount, purchase.quantity, month)
        if share.budget_cents <= 0:
            await own_share.give_back(snap.client_id, line.fee_rule_code or "", month, share.client_cents)
            code = domain.OWN_SHARE_COVERS_PRICE
            continue
        available = await ledger.hold_line(line.id, share.budget_cents, domain.swap_part(share.budget_cents, candidate.swap))
        if available is not None:
            category = next(c for c in decision.categories if c in line.may_fund) if candidate.swap else line.category
            return Outcome(
                approved=True, line_id=line.id, swap=candidate.swap, category=category, line_available_cents=available,
                share=share, fee_rule=rule.code if rule and share.client_cents else "",
                fee_month=month if rule and share.client_cents else "",
            )
        if rule is not None:
            await own_share.give_back(snap.client_id, rule.code, month, share.client_cents)
    await _give_back_card_day(snap.card_id, amount, today)
    return Outcome(approved=False, code=code)


def _authorization(actor: Actor, snap: Snapshot, outcome: Outcome, now: dt.datetime, **fields: Any) -> Authorization:
    """The authorisation row of a decision, not yet written (``fields``: what the request says)."""
    return Authorization(
        card_id=snap.card_id,
        client_id=snap.client_id,
        organiser_id=snap.organiser_id,
        api_key_id=actor.api_key_id,
        actor_user_id=actor.user_id,
        created_at=now,
        line_available_cents=outcome.line_available_cents,
        **fields,
    )


async def _write_hold(
    actor: Actor, auth: Authorization, outcome: Outcome, expires_at: dt.datetime, now: dt.datetime, *,
    on_behalf_of: Any = None, **details: Any,
) -> None:
    """Write an approved authorisation: its row, the pending HOLD transfer from its line, the audit."""
    auth.status = domain.APPROVED
    share = outcome.share or domain.Share(auth.amount_cents, 0)
    auth.gross_cents = share.gross_cents
    auth.amount_cents = share.budget_cents  # what the budget holds; the rest is the client's own share
    auth.client_share_cents = share.client_cents
    auth.fee_rule = outcome.fee_rule
    auth.fee_month = outcome.fee_month
    auth.line_id = outcome.line_id
    auth.swap = outcome.swap
    auth.category = outcome.category
    auth.expires_at = expires_at
    auth.hold_transfer_id = uuid.uuid4()
    await Authorization.insert(auth).run()
    await ledger.record(
        ledger.HOLD,
        ledger.line_account(outcome.line_id),
        ledger.payable_account(auth.provider_id),
        auth.amount_cents,
        status="pending",
        now=now,
        id=auth.hold_transfer_id,
        expires_at=expires_at,
        authorization_id=auth.id,
    )
    await audit.record(
        actor,
        "voucher.authorization.approved",
        "authorization",
        auth.id,
        organiser_id=auth.organiser_id,
        on_behalf_of=on_behalf_of,
        details={"amount_cents": auth.amount_cents, "line_id": outcome.line_id, "provider_id": str(auth.provider_id),
                 **({"client_share_cents": auth.client_share_cents, "fee_rule": auth.fee_rule}
                    if auth.client_share_cents else {}),
                 **details},
    )


async def authorise_once(
    actor: Actor,
    req: AuthorizationRequest,
    settings: Settings,
    now: dt.datetime,
    lang: str,
    *,
    source: str = "api",
    stripe_authorization_id: str | None = None,
    stripe_card_id: str | None = None,
    provider_id: Any = None,
    offered: consent.Offered | None = None,
) -> Authorization:
    """Decide and write one authorisation inside the caller's write transaction.

    The card is found by the token in ``req`` or, for Stripe Issuing, by its Stripe card id.
    ``offered``: the client's consent as the request brings it (``consent.offered``, made before the
    transaction); None is a payment with none. A payment bound to the client's booking needs none.
    """
    today = domain.helsinki_date(now)
    listing_id = None if req.listing_id is None else require_uuid(req.listing_id, field="listing_id")
    booking_id = None if req.booking_id is None else require_uuid(req.booking_id, field="booking_id")
    named = provider_id or actor.provider_id or req.provider_id
    provider_id = None if named is None else require_uuid(named, field="provider_id")
    if provider_id is None and listing_id is None and booking_id is None:
        raise Invalid("voucher.error.provider_required", field="provider_id")
    if stripe_card_id:
        snap = await _snapshot(today, now, _BY_STRIPE_CARD, stripe_card_id)
    else:
        snap = await _snapshot(today, now, _BY_TOKEN, token_hash(settings.secret_key, req.card_token))
    if snap.card_id and actor.organiser_id and not actor.provider_id and snap.organiser_id != actor.organiser_id:
        snap = Snapshot()  # an organiser may not use another organiser's clients' cards
    seller = booking = None
    if snap.card_status == "active" and domain.within_validity(today, snap.decision_start, snap.decision_end):
        if booking_id is not None:
            booking = await _bound_booking(booking_id, snap, provider_id, listing_id)
            listing_id, provider_id = as_uuid(booking.listing_id), as_uuid(booking.provider_id)
        seller = await marketplace_port.seller_facts(provider_id, snap.organiser_id, listing_id)
    purchase = Purchase(quantity=req.quantity or 1, booking=booking, own_share=source != domain.STRIPE_SOURCE)
    provider = require_uuid(seller.provider_id) if seller and seller.provider_id else provider_id
    auth_id = uuid.uuid4()
    asked = None
    if seller is not None and booking is None:
        asked = consent.Consent(actor, offered or consent.Offered(), snap.rules, card_id=snap.card_id,
                                client_id=snap.client_id, organiser_id=snap.organiser_id,
                                codeless_cents=snap.codeless_cents, authorization_id=auth_id, now=now,
                                provider_id=provider)
    outcome = await decide_and_hold(snap, seller, req.amount_cents, today, now, purchase, asked)

    auth = _authorization(
        actor, snap, outcome, now, id=auth_id, provider_id=provider, listing_id=listing_id, amount_cents=req.amount_cents,
        description=req.description, source=source, stripe_authorization_id=stripe_authorization_id,
        quantity=purchase.quantity, booking_id=booking_id, consent=outcome.consent, gross_cents=req.amount_cents,
    )
    if outcome.approved:
        await _write_hold(actor, auth, outcome, domain.hold_expiry(now, settings.hold_expiry_days), now)
    else:
        auth.status = domain.DECLINED
        auth.decline_code = outcome.code
        auth.message = i18n.t(decline_key(outcome.code), snap.language or lang)
        await Authorization.insert(auth).run()
    metrics.authorisation(source, outcome.approved, outcome.code)
    return auth


async def _bound_booking(booking_id: Any, snap: Snapshot, provider_id: Any, listing_id: Any) -> marketplace_port.BookingFacts:
    """The booking a payment names, if the payment may be made for it: the card's client's booking,
    with this provider (an organiser's own flow may leave the provider to the booking), for the
    listing named if one is, and in a state that still takes a payment. Anything else — no such
    booking, another client's or provider's, a cancelled or completed one — is one and the same 400
    naming ``booking_id``, so a caller learns nothing about bookings that are not theirs to pay."""
    booking = await marketplace_port.booking_facts(booking_id)
    if (booking is None or booking.client_id != snap.client_id or not booking.takes_payment
            or (provider_id is not None and booking.provider_id != str(provider_id))
            or (listing_id is not None and booking.listing_id != str(listing_id))):
        raise Invalid("voucher.error.booking_not_payable", field="booking_id")
    return booking


async def authorise(
    actor: Actor,
    req: AuthorizationRequest,
    *,
    settings: Settings,
    idempotency_key: str | None = None,
    lang: str = "fi",
    now: dt.datetime | None = None,
) -> Stored:
    require_payer(actor)
    now = now or utcnow()

    source = "api" if actor.provider_id else ORGANISER_SOURCE
    if in_database.applies(req):
        # PostgreSQL: the whole authorisation in one database call (docs/decisions/0046).
        stored = await in_database.authorise(actor, req, settings, idempotency_key, lang, now, source)
        if stored is not None:
            return stored
    await check_api_key(actor)  # a key from the process's cache, checked here on the Python path
    # The PIN is checked (argon2, in a thread) before the write transaction; a replay of the same
    # Idempotency-Key gets the first answer from ``once`` and counts no try.
    offered = await consent.offered(settings, req)

    async def op() -> Stored:
        auth = await authorise_once(actor, req, settings, now, lang, source=source, offered=offered)
        return encode(201, to_read(auth, now))

    request_hash = fingerprint("POST", "/api/v1/authorizations", consent.fingerprint_body(req, settings.secret_key))
    return await once(actor, idempotency_key, request_hash, op)


async def authorise_for_client(
    actor: Actor,
    *,
    client_id: Any,
    listing_id: Any,
    amount_cents: int,
    expires_at: dt.datetime,
    description: str,
    now: dt.datetime,
    lang: str,
    on_behalf_of: Any = None,
    quantity: int = 1,
) -> AuthorizationRead:
    """Authorise a hold on the client's budget for a booking, inside the caller's write transaction.

    The booking flow knows the client, never the card's token: the card is the client's active one
    (found by client id). The decision is the card payment's own (``decide_and_hold``: card status
    and caps, validity, the listing's provider and approval, the line and its swap rule, the price
    ceiling — the booking's amount is the listing's price × ``quantity``, so it passes) with the
    same decline codes, and one more: a booking made for the client by someone else (``on_behalf_of``:
    a proxy, or a counsellor with the client's consent) with a provider they work for is declined
    ``proxy_is_provider_staff``. An approval is written with ``source = 'booking_hold'``
    (``BOOKING_HOLD_SOURCE``: only the booking's transitions capture or void it), the caller's
    ``expires_at`` (a booking's hold outlives the session and its dispute window) and an audit
    entry made ``on_behalf_of`` the client when a proxy books.

    A decline is **not written** — no authorisation row, no audit entry: the booking rolls its
    transaction back and audits the refusal itself (``booking.refused``). Its read has an empty
    ``id``, the decline code, the message in ``lang`` and the room left on the line.
    """
    today = domain.helsinki_date(now)
    snap = await _snapshot(today, now, _BY_CLIENT, require_uuid(client_id, field="client_id"))
    seller = None
    staff = False
    if snap.card_status == "active" and domain.within_validity(today, snap.decision_start, snap.decision_end):
        seller = await marketplace_port.seller_facts(None, snap.organiser_id, listing_id)
        # A proxy booking with their own employer (the anomaly rule proxy_is_provider_staff, refused now).
        staff = bool(on_behalf_of) and await marketplace_port.works_for_provider(actor.user_id, seller.provider_id)
    purchase = Purchase(quantity=quantity, booking_hold=True, payer_is_provider_staff=staff)
    outcome = await decide_and_hold(snap, seller, amount_cents, today, now, purchase)
    if not outcome.approved:
        code = outcome.code or domain.CARD_INACTIVE
        # Not written, and the booking rolls back: counted now (a decision was made all the same).
        metrics.authorisation(BOOKING_HOLD_SOURCE, False, code, committed=False)
        return AuthorizationRead(id="", status=domain.DECLINED, decline_code=code, message=i18n.t(decline_key(code), lang),
                                 amount_cents=amount_cents, expires_at=None, line_available_cents=outcome.line_available_cents)
    auth = _authorization(
        actor, snap, outcome, now, provider_id=require_uuid(seller.provider_id), listing_id=as_uuid(listing_id),
        amount_cents=amount_cents, description=description, source=BOOKING_HOLD_SOURCE, quantity=quantity,
        gross_cents=amount_cents,
    )
    await _write_hold(actor, auth, outcome, expires_at, now, on_behalf_of=on_behalf_of, source=BOOKING_HOLD_SOURCE)
    metrics.authorisation(BOOKING_HOLD_SOURCE, True, None)
    return to_read(auth, now)
