"""HB cards: issue (token shown once, with a QR code), freeze / unfreeze, caps, replace.

A card's token is a secret: only a keyed hash of it is stored, and it is shown once, when issued.
Freezing, replacing and closing change the card row in a write transaction; an authorisation
re-checks ``status = 'active'`` in its own conditional UPDATE of that row, so a frozen or replaced
card declines from the moment the change is committed.
"""

import secrets
from typing import Any

import segno
from msgspec import UNSET

from core import audit
from core.clock import utcnow
from core.errors import Conflict, Invalid, NotFound
from core.identity import Actor, keyed_hash
from core.ids import require_uuid
from voucher import access
from core.db import in_write_transaction
from voucher.schemas import CardIssue, CardIssued, CardRead, CardUpdate
from voucher.tables import Card

TOKEN_PREFIX = "hbc_"


def token_hash(secret: str, token: str) -> str:
    return keyed_hash(secret, "card-token:" + token.strip())


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(24)


def qr_svg(token: str, title: str = "") -> str:
    """The card's QR code as inline SVG (printable; terminals scan it to read the token)."""
    return segno.make(token, error="m").svg_inline(scale=4, title=title or None, border=2)


def to_read(row: dict) -> CardRead:
    return CardRead(
        id=str(row["id"]),
        client_id=str(row["client"]),
        status=row["status"],
        token_hint=row["token_hint"],
        per_transaction_limit_cents=row["per_transaction_limit_cents"],
        daily_limit_cents=row["daily_limit_cents"],
        replaced_by=str(row["replaced_by"]) if row["replaced_by"] else None,
    )


async def insert_card(
    client_id: Any,
    token: str,
    secret: str,
    *,
    per_transaction_limit_cents: int | None,
    daily_limit_cents: int | None,
    ref: str | None = None,
) -> dict:
    hashed = token_hash(secret, token)
    if await Card.exists().where(Card.token_hash == hashed).run():
        raise Invalid("voucher.error.token_in_use", field="token")
    card = Card(
        client=client_id,
        token_hash=hashed,
        token_hint=token.strip()[-4:],
        per_transaction_limit_cents=per_transaction_limit_cents,
        daily_limit_cents=daily_limit_cents,
        ref=ref,
    )
    await Card.insert(card).run()
    return await Card.select().where(Card.id == card.id).first().run()


async def issue(actor: Actor, client_id: Any, data: CardIssue, secret: str) -> CardIssued:
    async def op() -> CardIssued:
        client = await access.client_to_change(actor, client_id)
        token = new_token()
        row = await insert_card(
            client["id"],
            token,
            secret,
            per_transaction_limit_cents=data.per_transaction_limit_cents,
            daily_limit_cents=data.daily_limit_cents,
        )
        await audit.record(
            actor, "voucher.card.issued", "card", row["id"], organiser_id=client["organiser_id"],
            details={"client_id": str(client["id"]), "token_hint": row["token_hint"]},
        )
        return CardIssued(card=to_read(row), token=token, qr_svg=qr_svg(token))

    return await in_write_transaction(op)


async def _card_to_change(actor: Actor, card_id: Any) -> tuple[dict, dict]:
    row = await Card.select().where(Card.id == require_uuid(card_id)).first().run()
    if not row:
        raise NotFound()
    client = await access.client_to_change(actor, row["client"])
    return row, client


async def update(actor: Actor, card_id: Any, data: CardUpdate) -> CardRead:
    """Freeze / unfreeze and change caps; audited."""
    changes = {
        field: getattr(data, field)
        for field in ("status", "per_transaction_limit_cents", "daily_limit_cents")
        if getattr(data, field) is not UNSET
    }

    async def op() -> CardRead:
        row, client = await _card_to_change(actor, card_id)
        if row["status"] == "closed":
            raise Conflict("voucher.error.card_closed")
        if not changes:
            return to_read(row)
        await Card.update({getattr(Card, k): v for k, v in changes.items()}).where(
            (Card.id == row["id"]) & (Card.status != "closed")
        ).run()
        action = {"frozen": "voucher.card.frozen", "active": "voucher.card.unfrozen"}.get(
            changes.get("status", ""), "voucher.card.changed"
        )
        await audit.record(
            actor, action, "card", row["id"], organiser_id=client["organiser_id"], reason=data.reason,
            details={"changes": changes},
        )
        return to_read(await Card.select().where(Card.id == row["id"]).first().run())

    return await in_write_transaction(op)


async def replace(actor: Actor, card_id: Any, secret: str, reason: str = "") -> CardIssued:
    """Close the card (its token stops working at once) and issue a new one with the same caps."""

    async def op() -> CardIssued:
        row, client = await _card_to_change(actor, card_id)
        if row["status"] == "closed":
            raise Conflict("voucher.error.card_closed")
        token = new_token()
        new = await insert_card(
            client["id"],
            token,
            secret,
            per_transaction_limit_cents=row["per_transaction_limit_cents"],
            daily_limit_cents=row["daily_limit_cents"],
        )
        await Card.update(
            {Card.status: "closed", Card.replaced_by: new["id"], Card.closed_at: utcnow()}
        ).where(Card.id == row["id"]).run()
        await audit.record(
            actor, "voucher.card.replaced", "card", row["id"], organiser_id=client["organiser_id"], reason=reason,
            details={"new_card_id": str(new["id"])},
        )
        return CardIssued(card=to_read(new), token=token, qr_svg=qr_svg(token))

    return await in_write_transaction(op)


async def cards_of(actor: Actor, client_id: Any) -> list[CardRead]:
    client = await access.client_to_read(actor, client_id, "cards")
    return await cards_for(client["id"])


async def cards_for(client_id: Any) -> list[CardRead]:
    rows = await Card.select().where(Card.client == client_id).order_by(Card.created_at).run()
    return [to_read(r) for r in rows]
