"""A booking's hold: authorised for a client (no card token) inside the caller's transaction, and
resolved with no payer actor — on SQLite and PostgreSQL."""

import datetime as dt
import json
import uuid

import pytest

from core import db as core_db
from core.errors import NotFound
from core.identity import Actor
from core.tables import AuditEvent
from tests.voucher.vhelpers import NOW, make_world
from voucher import authorisation as auth
from voucher.schemas import AuthorizationRequest
from voucher.tables import Authorization, BudgetLine

UNTIL = NOW + dt.timedelta(days=30)


async def _hold(w, amount: int, *, on_behalf_of=None, quantity: int = 1):
    client = Actor(user_id=str(uuid.uuid4()), role="client", client_id=w.client_id, display_name="Asiakas")

    async def op():
        return await auth.authorise_for_client(
            client, client_id=w.client_id, listing_id=w.listing_riding, amount_cents=amount, expires_at=UNTIL,
            description="booking x", now=NOW, lang="en", on_behalf_of=on_behalf_of, quantity=quantity)

    return await core_db.in_write_transaction(op)


async def _held(w) -> int:
    row = await BudgetLine.select().where(
        (BudgetLine.client_id == w.client_id) & (BudgetLine.category == "day-activities")).first().run()
    return row["held_cents"]


async def test_a_booking_hold_is_the_card_payments_decision_on_the_clients_card(db):
    w = await make_world(db.settings.secret_key)
    read = await _hold(w, 7500, on_behalf_of=w.client_id)
    assert read.status == "approved" and read.id and read.line_available_cents == 540000 - 7500
    row = await Authorization.select().where(Authorization.id == read.id).first().run()
    assert row["source"] == "booking_hold" and str(row["card_id"]) == w.card_id
    assert row["expires_at"] == UNTIL and str(row["provider_id"]) == w.provider_id
    approved = await AuditEvent.select().where(AuditEvent.subject_id == read.id).first().run()
    assert approved["action"] == "voucher.authorization.approved" and str(approved["on_behalf_of"]) == w.client_id
    assert await _held(w) == 7500

    # A decline (40 sessions at 75 €: over the swap cap of the line that may fund riding) is not written.
    declined = await _hold(w, 300000, quantity=40)
    assert (declined.status, declined.id, declined.decline_code) == ("declined", "", "insufficient_funds")
    assert declined.message and declined.line_available_cents == 270000 - 7500
    assert await Authorization.count().run() == 1


async def test_a_booking_hold_is_resolved_without_a_payer(db):
    w = await make_world(db.settings.secret_key)
    paid, voided = await _hold(w, 7500), await _hold(w, 2000)

    async def resolve():
        captured = await auth.capture_booking_hold(None, paid.id, 5000, NOW)
        await auth.release_booking_hold(None, voided.id, NOW)
        await auth.release_booking_hold(None, voided.id, NOW)  # voided already: nothing to do
        return captured

    captured = await core_db.in_write_transaction(resolve)
    assert captured.amount_cents == 5000 and captured.authorization_id == paid.id
    assert auth.to_read(await auth.load_for_resolution(voided.id), NOW).status == "voided"
    assert await _held(w) == 0

    # Another's hold (a provider's terminal payment) is not the booking flow's to resolve.
    req = AuthorizationRequest(card_token=w.token, amount_cents=100, listing_id=w.listing_riding)
    terminal = await auth.authorise(w.provider, req, settings=db.settings, now=NOW)
    with pytest.raises(NotFound):
        await auth.load_for_resolution(json.loads(terminal.body)["id"])
