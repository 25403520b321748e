"""Stripe Issuing: the real-time authorisation webhook and booking of Stripe's events.

``POST /webhooks/stripe`` verifies ``Stripe-Signature`` with the stripe SDK, then:

* ``issuing_authorization.request`` — decided by the same rule as the card API (the merchant is
  mapped to a provider by the merchant id the provider registered) and answered in the response
  body ``{"approved": …}``, well inside Stripe's 2 seconds;
* ``issuing_authorization.created`` / ``.updated`` — reconcile our hold with Stripe's outcome;
* ``issuing_transaction.created`` — captures (also over-captures and captures with no live hold,
  which Stripe always lets through: booked, and flagged) and refunds.

The card network pays the merchant for these captures (its own acquirer, from the platform's
Issuing balance), so they are booked ``settled_by = card_network``: the ledger moves the money
payable → issuing at once, and settlement never pays them again by SEPA or Connect. A refund through
Stripe comes back into the Issuing balance the same way.

Each event id is booked once: the ``StripeEvent`` row is inserted (unique event id) in the same
transaction as the event's effect; a redelivery finds it and gets the first answer back.
"""

import datetime as dt
from typing import Any

import msgspec
import stripe

from core import metrics
from core.clock import utcnow
from core.errors import Conflict, Invalid, Unavailable
from core.identity import Actor
from core.settings import Settings
from voucher import authorisation, domain, facts, ledger, marketplace_port
from voucher.authorisation import consent
from voucher.disputes import domain as disputes_domain
from voucher.disputes import notice
from core.db import in_write_transaction
from voucher.schemas import AuthorizationRequest
from voucher.tables import Authorization, Capture, Card, StripeEvent

# The API version our answers to Stripe follow (sent back in the Stripe-Version header).
API_VERSION = stripe.api_version
STRIPE = Actor(role="system", display_name="Stripe Issuing")
BOOKED_EVENTS = {
    "issuing_authorization.request",
    "issuing_authorization.created",
    "issuing_authorization.updated",
    "issuing_transaction.created",
}


class WebhookAnswer(msgspec.Struct, kw_only=True, omit_defaults=True):
    received: bool = True
    duplicate: bool = False
    # Only for issuing_authorization.request: Stripe reads the decision from the body.
    approved: bool | None = None


def verify(payload: bytes, signature: str | None, secret: str | None) -> Any:
    """The event, if Stripe signed it with ``secret`` within the SDK's tolerance (300 s)."""
    if not secret:
        raise Unavailable("error.unavailable")
    try:
        return stripe.Webhook.construct_event(payload, signature or "", secret)
    except stripe.SignatureVerificationError:
        raise Invalid("voucher.error.bad_signature", field="Stripe-Signature") from None
    except ValueError:
        raise Invalid("error.invalid", field="body") from None


async def handle(payload: bytes, signature: str | None, settings: Settings, now: dt.datetime | None = None) -> WebhookAnswer:
    event = verify(payload, signature, settings.stripe_webhook_secret)
    if event.type not in BOOKED_EVENTS:
        return WebhookAnswer()
    now = now or utcnow()
    obj = event.data.object.to_dict()  # plain data from here on

    async def op() -> WebhookAnswer:
        inserted = await StripeEvent.insert(
            StripeEvent(event_id=event.id, type=event.type, object_id=str(obj.get("id", "")))
        ).on_conflict(action="DO NOTHING").returning(StripeEvent.id).run()
        if not inserted:
            first = await StripeEvent.select(StripeEvent.outcome).where(StripeEvent.event_id == event.id).output(
                load_json=True
            ).first().run()
            return WebhookAnswer(duplicate=True, approved=(first["outcome"] or {}).get("approved"))
        outcome = await _book(event.type, obj, settings, now)
        await StripeEvent.update({StripeEvent.outcome: outcome}).where(StripeEvent.event_id == event.id).run()
        return WebhookAnswer(approved=outcome.get("approved"))

    return await in_write_transaction(op)


async def _book(kind: str, obj: Any, settings: Settings, now: dt.datetime) -> dict:
    if kind == "issuing_authorization.request":
        return await _decide(obj, settings, now, amount=obj["pending_request"]["amount"])
    if kind == "issuing_authorization.created":
        return await _reconcile_created(obj, settings, now)
    if kind == "issuing_authorization.updated":
        return await _reconcile_updated(obj, now)
    return await _transaction(obj, settings, now)


def _card_id(obj: Any) -> str:
    card = obj["card"]
    return card if isinstance(card, str) else card["id"]


async def _decide(obj: Any, settings: Settings, now: dt.datetime, amount: int) -> dict:
    """The real-time decision, by the card API's rule; recorded like any authorisation.

    The client's consent is the network's: a 3-D Secure authentication of the cardholder counts as
    consent (``consent.from_network``); otherwise the organiser's low-value exemption decides, as for
    a code-less payment through the API. One Stripe authorisation is decided once: a redelivered
    event (same id, ``handle``) or another event for the same authorisation gets the first decision
    back, so no replay turns a decline into an approval."""
    existing = await _ours(obj["id"])
    if existing:
        return {"approved": existing["status"] == domain.APPROVED, "authorization_id": str(existing["id"])}
    merchant = (obj.get("merchant_data") or {}).get("network_id") or ""
    provider_id = await marketplace_port.provider_by_merchant(merchant) if merchant else None
    # The card is found by its Stripe id (stripe_card_id below); Stripe never sends our token.
    req = AuthorizationRequest(card_token="stripe", amount_cents=max(int(amount), 1),
                               description=(obj.get("merchant_data") or {}).get("name"))
    if provider_id is None:
        metrics.authorisation(domain.STRIPE_SOURCE, False, domain.PROVIDER_NOT_APPROVED)
        return {"approved": False, "decline_code": domain.PROVIDER_NOT_APPROVED, "merchant": merchant}
    auth = await authorisation.authorise_once(
        STRIPE, req, settings, now, "fi",
        source=domain.STRIPE_SOURCE, stripe_authorization_id=obj["id"], stripe_card_id=_card_id(obj), provider_id=provider_id,
        offered=consent.from_network(obj),
    )
    return {"approved": auth.status == domain.APPROVED, "decline_code": auth.decline_code, "authorization_id": str(auth.id)}


async def _ours(stripe_authorization_id: str) -> dict | None:
    return await Authorization.select().where(Authorization.stripe_authorization_id == stripe_authorization_id).first().run()


async def _reconcile_created(obj: Any, settings: Settings, now: dt.datetime) -> dict:
    ours = await _ours(obj["id"])
    if ours is None:
        if not obj.get("approved"):
            return {"approved": False, "note": "declined by Stripe before our decision"}
        # Our answer never reached Stripe (timeout) and Stripe approved: hold by our rule if we can.
        return await _decide(obj, settings, now, amount=obj["amount"])
    if not obj.get("approved") and ours["status"] == domain.APPROVED:
        return await _release(ours, now, "Stripe declined what we approved")
    return {"authorization_id": str(ours["id"])}


async def _release(ours: dict, now: dt.datetime, why: str) -> dict:
    """Give the hold's money back; a hold already resolved (or expired) stays as it is."""
    try:
        await authorisation.release_hold(STRIPE, ours, domain.VOIDED, now)
    except Conflict:
        return {"authorization_id": str(ours["id"]), "note": "already resolved"}
    return {"released": str(ours["id"]), "note": why}


async def _reconcile_updated(obj: Any, now: dt.datetime) -> dict:
    ours = await _ours(obj["id"])
    if ours and ours["status"] == domain.APPROVED and obj.get("status") in ("closed", "reversed") and not obj.get("amount"):
        return await _release(ours, now, f"Stripe {obj.get('status')} it")
    return {"authorization_id": str(ours["id"]) if ours else None}


async def _transaction(obj: Any, settings: Settings, now: dt.datetime) -> dict:
    if not await _claim_transaction(obj["id"]):
        return {"duplicate_transaction": obj["id"]}
    amount = abs(int(obj["amount"]))
    stripe_auth = obj.get("authorization")
    stripe_auth = stripe_auth if isinstance(stripe_auth, (str, type(None))) else stripe_auth["id"]
    ours = await _ours(stripe_auth) if stripe_auth else None
    if obj["type"] == "refund":
        return await _refund(obj, ours, amount, now)
    return await _capture(obj, ours, amount, settings, now)


async def _claim_transaction(transaction_id: str) -> bool:
    """Stripe may send one transaction again in another event (a new event id), even at the same
    moment: the first event to book it claims its id with a row of its own beside the events
    (unique like an event id, in the same transaction as the booking); any other finds it claimed.
    On PostgreSQL a claim made at the same moment waits for the first one's commit."""
    return bool(await StripeEvent.insert(
        StripeEvent(event_id=f"transaction:{transaction_id}", type="issuing_transaction", object_id=transaction_id)
    ).on_conflict(action="DO NOTHING").returning(StripeEvent.id).run())


async def _capture(obj: Any, ours: dict | None, amount: int, settings: Settings, now: dt.datetime) -> dict:
    """Stripe's captures always happen: post the hold, and book anything beyond it (flagged)."""
    live = ours is not None and ours["status"] == domain.APPROVED and ours["expires_at"] > now
    within = min(amount, ours["amount_cents"]) if live else 0
    booked: dict = {"amount_cents": amount}
    if within:
        cap = await authorisation.capture_hold(STRIPE, ours, within, now, window_days=settings.dispute_window_days,
                                               stripe_transaction_id=obj["id"])
        booked["capture_id"] = cap.id
    if amount > within:
        # An over-capture, or a capture with no live hold (force capture).
        if ours is not None:
            owner = {k: ours[k] for k in ("provider_id", "organiser_id", "client_id", "line_id", "swap")}
            owner["authorization_id"] = ours["id"]
        else:
            owner = await _owner_from_card(obj)
            if owner is None:
                return {**booked, "flag": "unknown_card_or_merchant"}
        flag = "over_capture" if within else "force_capture"
        stripe_id = f"{obj['id']}:over" if within else obj["id"]
        extra_id = await _capture_beyond_hold(owner, ours, amount - within, stripe_id, flag, now,
                                              window_days=settings.dispute_window_days)
        booked.update({"flag": flag, "extra_capture_id": extra_id})
    return booked


async def _owner_from_card(obj: Any) -> dict | None:
    """Whose card and which provider, for a capture Stripe made without any authorisation."""
    card = await Card.select(Card.client, Card.client.organiser_id).where(Card.stripe_card_id == _card_id(obj)).first().run()
    merchant = (obj.get("merchant_data") or {}).get("network_id") or ""
    provider_id = await marketplace_port.provider_by_merchant(merchant) if merchant else None
    if card is None or provider_id is None:
        return None
    return {
        "provider_id": provider_id, "organiser_id": card["client.organiser_id"], "client_id": card["client"],
        "line_id": None, "swap": False, "authorization_id": None,
    }


async def _capture_beyond_hold(owner: dict, authorization: dict | None, amount: int, stripe_transaction_id: str, flag: str,
                               now: dt.datetime, *, window_days: int) -> str:
    """Book money Stripe paid beyond a hold: from the line if it has it, otherwise from the overrun.

    It is its own capture row, so what came from the line (and only that) can go back to it on a
    refund. Like every card capture it may be disputed within the window, and the client's side is
    told at once (voucher.disputes.notice).
    """
    on_line = False
    if owner["line_id"]:
        on_line = await ledger.spend_line(owner["line_id"], amount, domain.swap_part(amount, owner["swap"])) is not None
    cap = Capture(
        authorization_id=owner["authorization_id"], provider_id=owner["provider_id"], organiser_id=owner["organiser_id"],
        client_id=owner["client_id"], line_id=owner["line_id"] if on_line else None, swap=owner["swap"] and on_line,
        amount_cents=amount, stripe_transaction_id=stripe_transaction_id, flag=flag,
        settled_by=domain.SETTLED_BY_CARD_NETWORK, created_at=now,
        dispute_until=disputes_domain.dispute_until(domain.STRIPE_SOURCE, now, window_days),
    )
    await ledger.ensure_accounts(("overrun", owner["organiser_id"], owner["organiser_id"]), ("payable", owner["provider_id"], None))
    debit = ledger.line_account(owner["line_id"]) if on_line else ledger.overrun_account(owner["organiser_id"])
    cap.transfer_id = await ledger.record(
        ledger.CAPTURE if on_line else ledger.OVERRUN, debit, ledger.payable_account(owner["provider_id"]), amount,
        now=now, capture_id=cap.id, authorization_id=owner["authorization_id"],
    )
    await ledger.paid_by_card_network(cap, now=now)
    await Capture.insert(cap).run()
    await facts.capture_booked(cap, authorization)
    await notice.captured(cap, authorization["listing_id"] if authorization else None, now)
    metrics.capture(cap.settled_by, amount, from_hold=False)
    return str(cap.id)


async def _refund(obj: Any, ours: dict | None, amount: int, now: dt.datetime) -> dict:
    cap = None
    if ours:
        cap = await Capture.select().where(Capture.authorization_id == ours["id"]).order_by(
            Capture.created_at, ascending=False
        ).first().run()
    if cap is None or cap["amount_cents"] - cap["refunded_cents"] < amount:
        return {"flag": "unmatched_refund", "amount_cents": amount}
    refund = await authorisation.refund_capture(STRIPE, cap, amount, now, stripe_transaction_id=obj["id"],
                                                settled_by=domain.SETTLED_BY_CARD_NETWORK)
    return {"refund_id": refund.id, "amount_cents": amount}
