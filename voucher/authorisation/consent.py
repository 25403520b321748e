"""The client's consent in an authorisation (docs/decisions/0028), taken where ``decide_and_hold``
asks for it: after the card's caps, before the budget lines.

A payment bound to the client's own booking (authorise.py's ``_bound_booking``: theirs, with this
provider, still taking payment) needs no more consent: the client or their proxy booked it, or their
counsellor did with the client's recorded consent (voucher.support.consent, decision 0035) — and
a proxy or counsellor who works for that provider could not book there. Any other payment needs the client's PIN or a one-time code in
``client_code`` — or, through Stripe Issuing, the card network's authentication of the cardholder —
unless the organiser's low-value exemption (``voucher.card_rules``) covers it. The pure rule is
``voucher.domain.consent_route``; this module makes it true with conditional updates, each the one
statement that decides (voucher.ledger's rule):

* the exemption: the card's code-less total rises by the amount only ``WHERE`` it stays within the
  cumulative limit;
* a one-time code: it is used ``WHERE`` it is this client's, unused, unexpired, its ceiling covers the
  amount and the card is not blocked (``RETURNING`` says whether it was);
* a PIN: checked against the hash read before the transaction (argon2, in a thread), then accepted
  ``WHERE`` that hash is still the card's and the card is not blocked; it clears the wrong tries;
* a wrong PIN or code: the wrong tries rise by one ``WHERE`` they are below 3, so parallel guesses
  block the card after exactly three and none passes. A blocked card refuses every PIN and code.

The card row is already locked by the day's cap update (authorise.py), so one card's payments take
these steps one at a time. When the lines then refuse the amount, ``settle`` gives back what was
taken (the exemption, the code); when they hold it, a consented payment sets the code-less total
to 0. The code itself never leaves this request: the idempotency fingerprint carries a keyed hash of
it (``fingerprint_body``), and no row, audit entry or log line holds it.
"""

import asyncio
import datetime as dt
import uuid
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from core import audit
from core.identity import Actor, keyed_hash
from core.settings import Settings
import voucher.consent_messages  # noqa: F401 - the two declines speak through it
from voucher import card_consent, domain, marketplace_port
from voucher.cards import token_hash
from voucher.schemas import AuthorizationRequest
from voucher.tables import Card, ClientCode

_NOT_BLOCKED = f"consent_failures < {domain.MAX_CONSENT_FAILURES}"


class Offered(msgspec.Struct, frozen=True, kw_only=True):
    """What a payment brings as the client's consent, with the slow part already done: the PIN was
    checked before the transaction against the hash the card had then."""

    code_given: bool = False
    # The card the checks were made for (the token's), its one-time-code hash for the card's client,
    # and the PIN hash the code was compared with, and whether it matched.
    card_id: str | None = None
    code_hash: str | None = None
    pin_hash: str | None = None
    pin_matched: bool = False
    # The card network authenticated the cardholder (Stripe Issuing's 3-D Secure).
    network: bool = False


async def offered(settings: Settings, req: AuthorizationRequest) -> Offered:
    """Read the card by its token and check the code as its PIN — outside any write transaction."""
    if req.client_code is None:
        return Offered()
    card = await Card.select(Card.id, Card.client, Card.pin_hash).where(
        Card.token_hash == token_hash(settings.secret_key, req.card_token)).first().run()
    if card is None:
        return Offered(code_given=True)
    matched = await asyncio.to_thread(card_consent.pin_matches, settings, card["pin_hash"], card["id"], req.client_code)
    return Offered(code_given=True, card_id=str(card["id"]), pin_hash=card["pin_hash"],
                   code_hash=card_consent.code_hash(settings.secret_key, card["client"], req.client_code),
                   pin_matched=matched)


def from_network(authorization: dict) -> Offered:
    """Stripe Issuing's ``issuing_authorization.request``: the cardholder's consent is a 3-D Secure
    authentication (``verification_data.three_d_secure.result == "authenticated"``). Stripe checks a
    card's PIN itself and declines a wrong one before asking (README, Security)."""
    three_ds = ((authorization.get("verification_data") or {}).get("three_d_secure") or {}).get("result")
    return Offered(code_given=three_ds == "authenticated", network=three_ds == "authenticated")


class _Fingerprinted(msgspec.Struct, frozen=True):
    request: AuthorizationRequest
    client_code_hash: str


def fingerprint_body(req: AuthorizationRequest, secret: str) -> msgspec.Struct:
    """The request as the idempotency fingerprint sees it: the code replaced by a keyed hash, so a
    replay with the same body gets the first answer (and tries no PIN again) while the stored
    fingerprint cannot be turned back into the code without the platform's secret. A request without
    a code is fingerprinted as before."""
    if req.client_code is None:
        return req
    return _Fingerprinted(msgspec.structs.replace(req, client_code=None),
                          keyed_hash(secret, "fingerprint|client-code|" + req.client_code))


class Consent:
    """One payment's consent, inside its write transaction (authorise_once makes it for a payment that
    names no booking of the client's; the county's rules come from the authorisation's snapshot)."""

    def __init__(self, actor: Actor, offer: Offered, rules: domain.CardRules, *, card_id: str, client_id: str,
                 organiser_id: str, codeless_cents: int, authorization_id: uuid.UUID, now: dt.datetime,
                 provider_id: Any = None) -> None:
        self.actor, self.offer, self.rules = actor, offer, rules
        self.provider_id = provider_id
        self.card_id, self.client_id, self.organiser_id = card_id, client_id, organiser_id
        self.codeless_cents = codeless_cents
        self.authorization_id = authorization_id
        self.now = now
        # What take() changed, for settle().
        self.exempted = 0
        self.code_id: Any = None
        self.code_maker: Any = None  # who made the one-time code used (the client or a proxy)
        # How the client consented: "pin", "code" (one-time), "network" (Stripe's 3-D Secure), or
        # "exempt" (under the county's exemption); the authorisation row keeps it.
        self.given = ""

    @property
    def consented(self) -> bool:
        return self.given in ("pin", "code", "network")

    def facts(self) -> domain.ConsentFacts:
        return domain.ConsentFacts(code_given=self.offer.code_given, codeless_cents=self.codeless_cents)

    async def take(self, route: str, amount: int) -> str | None:
        """Take the consent the decision's ``route`` names; the decline code if there is none."""
        if route == domain.CONSENT_EXEMPT:
            return await self._exempt(amount)
        if route != domain.CONSENT_CODE:
            return None
        if self.offer.network:
            self.given = "network"
            return None
        if self.offer.card_id != self.card_id:
            return await self._wrong()  # not checked against this card: as wrong as any
        if await self._use_code(amount):
            if self.code_maker and await marketplace_port.works_for_provider(self.code_maker, self.provider_id):
                # A proxy who works for the provider made the code: their "yes" to their own
                # employer's charge is not the client's (the anomaly rule proxy_is_provider_staff,
                # refused here). The code is spent: the proxy may make another for another provider.
                return domain.PROXY_IS_PROVIDER_STAFF
            return None
        if self.offer.pin_matched:
            accepted = await Card.update({Card.consent_failures: 0}).where(
                (Card.id == self.card_id) & (Card.pin_hash == self.offer.pin_hash) & WhereRaw(_NOT_BLOCKED)
            ).returning(Card.id).run()
            self.given = "pin" if accepted else ""
            # Refused: the card is blocked (a right PIN does not open it), or the PIN changed meanwhile.
            return None if accepted else domain.WRONG_CLIENT_CODE
        if await self._code_under_ceiling(amount):
            return domain.CLIENT_CONSENT_REQUIRED  # a real code, for less: not a guess, not counted
        return await self._wrong()

    async def _exempt(self, amount: int) -> str | None:
        limit = self.rules.cumulative_cents
        within = (Card.id == self.card_id) if limit is None else (
            (Card.id == self.card_id) & WhereRaw("codeless_cents + {} <= {}", amount, limit))
        counted = await Card.update({Card.codeless_cents: Card.codeless_cents + amount}).where(within).returning(
            Card.id).run()
        if not counted:
            return domain.CLIENT_CONSENT_REQUIRED
        self.exempted, self.given = amount, domain.CONSENT_EXEMPT
        return None

    async def _use_code(self, amount: int) -> bool:
        used = await ClientCode.update({ClientCode.used_at: self.now, ClientCode.authorization_id: self.authorization_id}).where(
            (ClientCode.client == self.client_id) & (ClientCode.code_hash == self.offer.code_hash)
            & ClientCode.used_at.is_null() & (ClientCode.expires_at > self.now) & (ClientCode.ceiling_cents >= amount)
            & WhereRaw(f"(SELECT c.{_NOT_BLOCKED} FROM vc_card c WHERE c.id = {{}})", self.card_id)
        ).returning(ClientCode.id, ClientCode.made_by).run()
        if used:
            self.code_id, self.given, self.code_maker = used[0]["id"], "code", used[0]["made_by"]
        return bool(used)

    async def _code_under_ceiling(self, amount: int) -> bool:
        """A live code of this client's whose ceiling is below the amount, on a card not blocked."""
        return await ClientCode.exists().where(
            (ClientCode.client == self.client_id) & (ClientCode.code_hash == self.offer.code_hash)
            & ClientCode.used_at.is_null() & (ClientCode.expires_at > self.now) & (ClientCode.ceiling_cents < amount)
            & WhereRaw(f"(SELECT c.{_NOT_BLOCKED} FROM vc_card c WHERE c.id = {{}})", self.card_id)
        ).run()

    async def _wrong(self) -> str:
        """Count a wrong PIN or code — one conditional UPDATE, never past the block."""
        counted = await Card.update({Card.consent_failures: Card.consent_failures + 1}).where(
            (Card.id == self.card_id) & WhereRaw(_NOT_BLOCKED)
        ).returning(Card.consent_failures).run()
        if counted and counted[0]["consent_failures"] >= domain.MAX_CONSENT_FAILURES:
            await audit.record(self.actor, "voucher.card.consent_blocked", "card", self.card_id,
                               organiser_id=self.organiser_id, on_behalf_of=self.client_id,
                               details={"authorization_id": str(self.authorization_id)})
        return domain.WRONG_CLIENT_CODE

    async def settle(self, approved: bool) -> None:
        """After the lines: a consented payment starts the code-less total again; a payment the lines
        refused gives back the exemption it took and its one-time code."""
        if approved:
            if self.consented:
                await Card.update({Card.codeless_cents: 0}).where(Card.id == self.card_id).run()
            return
        if self.exempted:
            await Card.update({Card.codeless_cents: Card.codeless_cents - self.exempted}).where(
                (Card.id == self.card_id) & (Card.codeless_cents >= self.exempted)).run()
        if self.code_id is not None:
            await ClientCode.update({ClientCode.used_at: None, ClientCode.authorization_id: None}).where(
                (ClientCode.id == self.code_id) & (ClientCode.authorization_id == self.authorization_id)).run()
