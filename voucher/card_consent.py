"""The client's say over card payments (docs/decisions/0028): the card's PIN and one-time payment
codes, set and made by the client or a proxy with ``pay`` at /client/pay (or the JSON API).

* **PIN.** 4–6 digits, not an obvious one (``voucher.domain.pin_error``), typed twice on the page.
  Stored as argon2id over a keyed hash of the card and the PIN (``HB_SECRET_KEY``): a stolen
  database alone does not let anyone try the 10⁴–10⁶ PINs offline, and the argon2 cost can be lighter
  than a password's (``PIN_MEMORY_KIB``, one pass). Setting a new PIN clears the wrong tries, so it
  is also how a blocked card is opened again.
* **One-time code.** Six random digits (``secrets``), shown once, kept as a keyed hash bound to the
  client, good for one payment up to the ceiling the person chose, for ``CODE_MINUTES``.

Hashing happens before the write transaction (argon2 takes its time on purpose); the card row is then
changed by one UPDATE. Every PIN change and code is audited — never the PIN or the code. How a
payment checks them is ``voucher.authorisation.consent``.
"""

import asyncio
import datetime as dt
import functools
import secrets
from typing import Annotated, Any

import msgspec
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core import audit, identity
from core.db import in_write_transaction
from core.errors import FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from core.ids import require_uuid
from core.settings import Settings
from voucher import access, card_rules, domain, proxies
from voucher.tables import Card, ClientCode

CODE_DIGITS = 6
CODE_MINUTES = 5
# argon2id for PINs: OWASP's smallest memory profile (19 MiB) in one pass, ~9 ms here; never above
# the password cost the settings ask for (the test suite lowers both).
PIN_MEMORY_KIB = 19456
PIN_TIME_COST = 1
PAY = "pay"


@functools.lru_cache(maxsize=4)
def _hasher(memory_kib: int, time_cost: int) -> PasswordHasher:
    return PasswordHasher(memory_cost=memory_kib, time_cost=time_cost)


def _pin_hasher(settings: Settings) -> PasswordHasher:
    return _hasher(min(settings.argon2_memory_kib, PIN_MEMORY_KIB), min(settings.argon2_time_cost, PIN_TIME_COST))


def _peppered(secret: str, card_id: Any, pin: str) -> str:
    return identity.keyed_hash(secret, f"card-pin|{card_id}|{pin}")


def hash_pin(settings: Settings, card_id: Any, pin: str) -> str:
    return _pin_hasher(settings).hash(_peppered(settings.secret_key, card_id, pin))


def pin_matches(settings: Settings, pin_hash: str | None, card_id: Any, pin: str) -> bool:
    """Whether ``pin`` is the card's PIN (slow on purpose: call it outside a transaction, in a thread)."""
    if not pin_hash:
        return False
    try:
        return _pin_hasher(settings).verify(pin_hash, _peppered(settings.secret_key, card_id, pin))
    except (VerificationError, InvalidHashError):
        return False


def code_hash(secret: str, client_id: Any, code: str) -> str:
    """How a one-time code is kept and found: a keyed hash bound to its client."""
    return identity.keyed_hash(secret, f"client-code|{client_id}|{code}")


# --- What the client and their proxies see ------------------------------------------------------


class LiveCode(msgspec.Struct, frozen=True, kw_only=True):
    ceiling_cents: int
    expires_at: dt.datetime


class ConsentRead(msgspec.Struct, kw_only=True):
    """A client's card and its consent settings (the code itself is never in it)."""

    client_id: str
    # The client's pseudonym (never a name).
    display_name: str
    # None: the client has no card that is not closed.
    card_id: str | None
    card_status: str | None
    pin_set: bool
    pin_set_at: dt.datetime | None
    # Three wrong PINs or codes: PINs and codes are refused until a new PIN is set.
    blocked: bool
    wrong_tries: int
    # The organiser's exemption: a payment up to single_cents needs no code while code-less payments
    # since the last consented one stay within cumulative_cents (None: no such limit).
    single_cents: int
    cumulative_cents: int | None
    codeless_used_cents: int
    live_codes: list[LiveCode] = []


class PinInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pin: Annotated[str, msgspec.Meta(max_length=20)]


class CodeInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    ceiling_cents: Annotated[int, msgspec.Meta(gt=0, le=domain.MAX_CENTS)]


class CodeMade(msgspec.Struct, kw_only=True):
    """A one-time code, the only time it is shown."""

    code: str
    ceiling_cents: int
    expires_at: dt.datetime


async def payer_client(actor: Actor, client_id: Any) -> dict:
    """The client, if ``actor`` may consent to their payments: the client themself, or a proxy whose
    grant in force includes ``pay``."""
    if actor.is_anonymous:
        raise Unauthenticated()
    if await proxies.acting_for(actor, client_id, PAY) not in ("client", "proxy"):
        raise Forbidden()
    return await access.load_client(client_id)


async def payable_clients(actor: Actor) -> list[proxies.ProxiedClient]:
    """The clients a proxy may consent for (by name)."""
    return [c for c in await proxies.clients_of_proxy(actor.user_id) if PAY in c.rights]


async def _card(client_id: Any) -> dict | None:
    """The card payments use: the client's active card, else the newest one not closed (as the
    authorisation chooses it)."""
    rows = await Card.select(Card.id, Card.status, Card.pin_hash, Card.pin_set_at, Card.consent_failures,
                             Card.codeless_cents, Card.created_at).where(
        (Card.client == require_uuid(client_id)) & (Card.status != "closed")).run()
    rows.sort(key=lambda r: (r["status"] == "active", r["created_at"]), reverse=True)
    return rows[0] if rows else None


async def consent_state(actor: Actor, client_id: Any, now: dt.datetime) -> ConsentRead:
    """The client's card and consent settings, for the client or a proxy with ``pay``; audited."""
    client = await payer_client(actor, client_id)
    await audit.client_data_read(actor, client["id"], "card_consent", organiser_id=client["organiser_id"])
    return await _state(client, now)


async def _state(client: dict, now: dt.datetime) -> ConsentRead:
    card = await _card(client["id"])
    rules = await card_rules.rules_for(client["organiser_id"])
    live = await ClientCode.select(ClientCode.ceiling_cents, ClientCode.expires_at).where(
        (ClientCode.client == client["id"]) & ClientCode.used_at.is_null() & (ClientCode.expires_at > now)
    ).order_by(ClientCode.expires_at).run()
    return ConsentRead(
        client_id=str(client["id"]),
        display_name=client["display_name"],
        card_id=str(card["id"]) if card else None,
        card_status=card["status"] if card else None,
        pin_set=bool(card and card["pin_hash"]),
        pin_set_at=card["pin_set_at"] if card else None,
        blocked=bool(card and card["consent_failures"] >= domain.MAX_CONSENT_FAILURES),
        wrong_tries=card["consent_failures"] if card else 0,
        single_cents=rules.single_cents,
        cumulative_cents=rules.cumulative_cents,
        codeless_used_cents=card["codeless_cents"] if card else 0,
        live_codes=[LiveCode(ceiling_cents=r["ceiling_cents"], expires_at=r["expires_at"]) for r in live],
    )


def _refuse(field: str, key: str) -> Invalid:
    return Invalid("error.validation", errors=[FieldError(field=field, key=key)], field=field)


def _by(actor: Actor, client: dict) -> dict:
    """Who acted, as the audit says it: the client, or a proxy on the client's behalf."""
    if actor.role == "proxy":
        return {"on_behalf_of": client["id"], "details": {"by": "proxy"}}
    return {"details": {"by": "client"}}


async def set_pin(actor: Actor, client_id: Any, pin: str, *, settings: Settings, now: dt.datetime,
                  again: str | None = None) -> ConsentRead:
    """Set or change the PIN of the client's card (``again``: the page's second typing). The wrong
    tries start again from zero, which also opens a blocked card. Audited as set, changed, or changed
    to open a blocked card."""
    client = await payer_client(actor, client_id)
    problem = domain.pin_error(pin)
    if problem:
        raise _refuse("pin", problem)
    if again is not None and again != pin:
        raise _refuse("pin_again", "voucher.error.pin_mismatch")
    card = await _card(client["id"])
    if card is None:
        raise _refuse("pin", "voucher.error.no_card")
    pin_hash = await asyncio.to_thread(hash_pin, settings, card["id"], pin)

    async def op() -> None:
        # The one write: the hash, when, and no wrong tries. (What the card was before is only the
        # audit's words: the same person changing their PIN twice at once ends with one of the two.)
        changed = await Card.update({Card.pin_hash: pin_hash, Card.pin_set_at: now, Card.consent_failures: 0}).where(
            (Card.id == card["id"]) & (Card.status != "closed")).returning(Card.id).run()
        if not changed:
            raise _refuse("pin", "voucher.error.no_card")
        action = "voucher.card.pin_set" if not card["pin_hash"] else "voucher.card.pin_changed"
        by = _by(actor, client)
        by["details"]["unblocked"] = card["consent_failures"] >= domain.MAX_CONSENT_FAILURES
        await audit.record(actor, action, "card", card["id"], organiser_id=client["organiser_id"], **by)

    await in_write_transaction(op)
    return await _state(client, now)


async def make_code(actor: Actor, client_id: Any, ceiling_cents: int, *, settings: Settings,
                    now: dt.datetime) -> CodeMade:
    """A one-time code for one payment up to ``ceiling_cents``, valid ``CODE_MINUTES``. Refused while
    the card is blocked (a code would be refused at the till; a new PIN opens it)."""
    client = await payer_client(actor, client_id)
    if not 0 < ceiling_cents <= domain.MAX_CENTS:
        raise _refuse("ceiling_cents", "voucher.error.euros")
    expires_at = now + dt.timedelta(minutes=CODE_MINUTES)

    async def op() -> CodeMade:
        card = await _card(client["id"])
        if card is None or card["status"] != "active":
            raise _refuse("ceiling_cents", "voucher.error.no_card")
        if card["consent_failures"] >= domain.MAX_CONSENT_FAILURES:
            raise _refuse("ceiling_cents", "voucher.error.consent_blocked")
        while True:
            code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
            hashed = code_hash(settings.secret_key, client["id"], code)
            # Two live codes of one client are never the same six digits.
            if not await ClientCode.exists().where(
                    (ClientCode.client == client["id"]) & (ClientCode.code_hash == hashed)
                    & ClientCode.used_at.is_null() & (ClientCode.expires_at > now)).run():
                break
        row = ClientCode(client=client["id"], code_hash=hashed, ceiling_cents=ceiling_cents, made_by=actor.user_id,
                         created_at=now, expires_at=expires_at)
        await ClientCode.insert(row).run()
        by = _by(actor, client)
        by["details"].update(ceiling_cents=ceiling_cents, expires_at=expires_at.isoformat(), card_id=str(card["id"]))
        await audit.record(actor, "voucher.client_code.made", "client_code", row.id,
                           organiser_id=client["organiser_id"], **by)
        return CodeMade(code=code, ceiling_cents=ceiling_cents, expires_at=expires_at)

    return await in_write_transaction(op)
