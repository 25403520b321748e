"""The card authorisation in one database call on PostgreSQL (issue 20, docs/decisions/0046).

``vc_authorise`` (voucher/piccolo_migrations/voucher_2026_12_09t30_00_00_000000.py) is
``authorise_once`` inside ``core.idempotency.run`` for the common payment: a card token, a listing
or a provider, no booking and no PIN or one-time code. It claims the Idempotency-Key, reads the
snapshot and the seller's facts, decides with ``vc_decide`` (a port of ``voucher.domain.decide``,
which stays the readable rule; tests/voucher/test_decide_in_database.py checks they agree), makes
the decision true with the Python path's conditional updates in the same order (the card's day,
its code-less total, a line), writes the authorisation, its pending HOLD transfer and the audit
entry and stores the response: one statement, one round trip, its own transaction. Whatever it
does not cover (a client-fee line, an expired hold not yet swept) it answers ``fallback`` having
written nothing, and the Python path runs. SQLite always takes the Python path.

The API key an in-process cache vouched for (core.identity.actor_from_api_key) is checked in the
same call: a key revoked since refuses the payment with a 401.
"""

import asyncio
import datetime as dt
import json
import os

from piccolo.querystring import QueryString

from core import db, i18n, metrics, reporting_db
from core.audit import request_id_var
from core.errors import Conflict, Unauthenticated
from core.idempotency import Stored, caller_scope, fingerprint
from core.identity import Actor, forget_api_key
from core.ids import require_uuid
from core.errors import Invalid
from core.settings import Settings
from voucher import domain
from voucher.authorisation import consent
from voucher.authorisation.common import rfc3339
from voucher.cards import token_hash
from voucher.messages import decline_key
from voucher.schemas import AuthorizationRequest

# HB_AUTHORISE_IN_DATABASE=0 (README, Configuration) runs the Python path on PostgreSQL too, for
# comparison (bench/auth_wrk.py) and diagnosis.
ENABLED = os.environ.get("HB_AUTHORISE_IN_DATABASE", "1") != "0"
_SQL = "SELECT vc_authorise({}::jsonb)::text AS r"
_RETRYABLE = {"DeadlockDetectedError", "SerializationError"}
_messages: dict[str, dict[str, str]] = {}


def applies(req: AuthorizationRequest) -> bool:
    """Does the one-call path cover this request (before any data is read)?"""
    return ENABLED and not db.is_sqlite() and req.booking_id is None and req.client_code is None


def _decline_messages() -> dict[str, dict[str, str]]:
    if not _messages:
        for lang in ("fi", "sv", "en"):
            _messages[lang] = {code: i18n.t(decline_key(code), lang) for code in domain.DECLINE_CODES}
    return _messages


async def authorise(actor: Actor, req: AuthorizationRequest, settings: Settings, idempotency_key: str | None,
                    lang: str, now: dt.datetime, source: str) -> Stored | None:
    """The authorisation's stored response, or None: the Python path must run (nothing was written)."""
    listing_id = None if req.listing_id is None else require_uuid(req.listing_id, field="listing_id")
    named = actor.provider_id or req.provider_id
    provider_id = None if named is None else require_uuid(named, field="provider_id")
    if provider_id is None and listing_id is None:
        raise Invalid("voucher.error.provider_required", field="provider_id")
    scope = caller_scope(actor)
    key = idempotency_key[:255] if idempotency_key and scope else None
    expires_at = domain.hold_expiry(now, settings.hold_expiry_days)
    params = {
        "scope": scope, "key": key,
        "request_hash": fingerprint("POST", "/api/v1/authorizations", consent.fingerprint_body(req, settings.secret_key)),
        "api_key_id": actor.api_key_id, "check_key_id": actor.api_key_id if actor.api_key_unchecked else None,
        "actor_user_id": actor.user_id, "actor_role": actor.role,
        "actor_label": actor.display_name[:200], "actor_provider_id": actor.provider_id,
        "actor_organiser_id": actor.organiser_id,
        "token_hash": token_hash(settings.secret_key, req.card_token), "amount_cents": req.amount_cents,
        "listing_id": str(listing_id) if listing_id else None, "provider_id": str(provider_id) if provider_id else None,
        "quantity": req.quantity or 1, "description": req.description, "source": source,
        "now": now.isoformat(), "today": domain.helsinki_date(now).isoformat(),
        "expires_at": expires_at.isoformat(), "expires_at_text": rfc3339(expires_at),
        "lang": lang, "messages": _decline_messages(), "request_id": request_id_var.get(),
    }
    text = json.dumps(params)
    for attempt in range(5):
        try:
            # A SELECT that writes: never the reporting replica's, also when a report pays.
            with reporting_db.on_primary():
                rows = await db.engine().run_querystring(QueryString(_SQL, text))
            break
        except Exception as exc:  # noqa: BLE001 - re-raised unless the database asks for a retry
            if attempt == 4 or type(exc).__name__ not in _RETRYABLE:
                raise
            await asyncio.sleep(0.01 * (attempt + 1))
    answer = json.loads(rows[0]["r"])
    if answer.get("fallback"):
        return None
    if answer.get("revoked"):
        forget_api_key(actor.api_key_id)
        raise Unauthenticated()
    if answer.get("conflict"):
        raise Conflict("voucher.error.idempotency_key_reused")
    if decided := answer.get("decided"):
        # Committed with the call's own transaction: counted now, once (a replay has no "decided").
        metrics.authorisation(source, decided == domain.APPROVED, answer.get("decline_code"), committed=False)
    return Stored(answer["status"], answer["body"].encode())
