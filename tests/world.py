"""The one test world of every package's tests, built through the platform's own services as its
people would build it: counties, categories, providers and listings (with each county's approval)
and clients with a budget decision and a card through the import (``hb import``'s
``hb.wiring.import_document``); accounts per role through ``core.identity``; provider terminals'
API keys; weekly times through the booking's availability service; proxies through the services
that grant them; clients a counsellor creates through the voucher's budget and card services.

The pieces are plain import records (``county``, ``category``, ``provider``, ``listing``,
``client``) put together by ``document`` and loaded by ``load``; each package's tests keep only
their own choices (tests/marketplace/booking_world.py, tests/voucher/vhelpers.py,
tests/hardening/world.py and roles.py).
"""

import copy
import datetime as dt
import json
import uuid
from pathlib import Path

import msgspec

from core import db, identity
from core.identity import Actor
from core.settings import Settings
from hb import wiring
from marketplace import catalogue, importer
from marketplace.booking import availability, proxies
from marketplace.booking.schemas import ProxyGrantInput, RuleInput
from voucher import budgets, card_consent, cards
from voucher import importer as voucher_importer
from voucher.schemas import CardIssue, ClientCreate, DecisionCreate, LineInput

REPO = Path(__file__).resolve().parents[1]
# The import example of docs/api.md ("Bulk import").
EXAMPLE = REPO / "tests" / "fixtures" / "import-example.json"
ADMIN = Actor(role="platform_admin", display_name="test setup")
PASSWORD = "oikein-hyva-salasana-2026"

# ---------------------------------------------------------------------------------------------
# Import records

COUNTIES = {
    "org-a": {"name": "Keski-Uudenmaan hyvinvointialue", "business_id": "5908301-5",
              "municipalities": ["Nurmijärvi", "Tuusula"]},
    "org-b": {"name": "Vantaan ja Keravan hyvinvointialue", "business_id": "2093778-1",
              "municipalities": ["Vantaa", "Kerava"]},
}
CATEGORY_NAMES = {
    "sport-riding": {"fi": "Liikunta ja ratsastus", "sv": "Motion och ridning", "en": "Sport and riding"},
    "culture-art": {"fi": "Kulttuuri ja taide", "sv": "Kultur och konst", "en": "Culture and art"},
    "transport": {"fi": "Kuljetuspalvelut", "sv": "Färdtjänst", "en": "Transport services"},
    "day-activities": {"fi": "Päivätoiminta", "sv": "Dagverksamhet", "en": "Day activities"},
}


def county(ref: str = "org-a", **fields) -> dict:
    """An organiser (a wellbeing services county); ``ref`` org-a / org-b are Keusote / Vake. Its
    card rules are fields too: ``card_consent={"single_cents", "cumulative_cents"}``,
    ``price_tolerance_bp``, ``open_amount=open_amount(transport=8000)``."""
    return {"ref": ref, **COUNTIES.get(ref, COUNTIES["org-a"]), **fields}


def open_amount(**caps: int) -> list[dict]:
    """A county's open-amount categories: ``open_amount(transport=8000)`` (category code → cap in
    cents; a code with a hyphen: ``open_amount(**{"sport-riding": 9000})``)."""
    return [{"category": code, "cap_cents": cap} for code, cap in caps.items()]


def category(ref: str, *, names: dict | None = None, traditional: bool = False, requirements=()) -> dict:
    return {"ref": ref, "names": names or CATEGORY_NAMES.get(ref, {"fi": ref}), "traditional": traditional,
            "requirements": list(requirements)}


def approvals(by: dict[str, str] | tuple | list) -> list[dict]:
    """``{"org-a": "approved", "org-b": "pending"}`` or the refs of counties that approved."""
    pairs = by.items() if isinstance(by, dict) else ((ref, "approved") for ref in by)
    return [{"organiser": ref, "status": status} for ref, status in pairs]


def provider(ref: str, business_id: str, name: str, *, approved_by=("org-a",), api_key: bool = False,
             **fields) -> dict:
    record = {"ref": ref, "business_id": business_id, "name": name, "iban": "FI3317877893287921",
              "email": f"{ref}@provider.example", "languages": ["fi"], "municipalities": ["Tuusula"],
              "evidence": {}, "approvals": approvals(approved_by), **fields}
    if api_key:
        record["issue_api_key"] = True
    return record


def listing(ref: str, provider_ref: str, category_ref: str, *, approved_by=("org-a",), price_cents: int = 7500,
            **fields) -> dict:
    return {"ref": ref, "provider": provider_ref, "category": category_ref, "title": {"fi": f"Palvelu {category_ref}"},
            "description": {"fi": ""}, "price_cents": price_cents, "unit": "session", "delivery_mode": "at_provider",
            "municipality": "Tuusula", "languages": ["fi"], "accessibility": [], "approvals": approvals(approved_by),
            **fields}


def line(category_ref: str, amount_cents: int, may_fund=(), swap_cap_cents: int | None = None) -> dict:
    out = {"category": category_ref, "amount_cents": amount_cents, "may_fund": list(may_fund)}
    if swap_cap_cents is not None:
        out["swap_cap_cents"] = swap_cap_cents
    return out


def client(ref: str, organiser_ref: str, *, lines: list[dict], token: str | None, start: str = "2026-01-01",
           end: str = "2026-12-31", display_name: str | None = None, group: str = "disability_services",
           **card_limits) -> dict:
    """A client with a budget decision and (unless ``token`` is None) a card."""
    record = {"ref": ref, "organiser": organiser_ref, "display_name": display_name or f"Asiakas {ref}",
              "client_group": group, "language": "fi",
              "decision": {"ref": f"dec-{ref}", "start": start, "end": end, "lines": lines}}
    if token is not None:
        record["card"] = {"ref": f"card-{ref}", "token": token, **card_limits}
    return record


def document(*, counties=(), categories=(), providers=(), listings=(), clients=()) -> dict:
    doc = {"format": "hb-import/1", "organisers": list(counties), "categories": list(categories),
           "providers": list(providers), "listings": list(listings)}
    if clients:
        doc["clients"] = list(clients)
    return copy.deepcopy(doc)


def business_id(seed: int) -> str:
    """A valid Finnish business id (Y-tunnus) made from any number."""
    for n in range(seed % 10_000_000, seed % 10_000_000 + 20):
        digits = f"{n % 10_000_000:07d}"
        rest = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2))) % 11
        if rest != 1:
            return f"{digits}-{0 if rest == 0 else 11 - rest}"
    raise AssertionError("unreachable: a remainder of 1 is never twenty times in a row")


async def load(doc: dict, settings: Settings | None = None, *, actor: Actor = ADMIN) -> dict:
    """Import ``doc``: returns ``{"refs": {ref: id}, "api_keys": {provider ref: key}, ...}``. With
    ``settings`` it is `hb import` (the voucher's clients section, then the search drain); without,
    the marketplace's own import with the counties' card rules (the voucher's too) but no clients
    section (card tokens need the settings' secret); listing changes wait in the outbox."""
    if settings is not None:
        return await wiring.import_document(copy.deepcopy(doc), actor=actor, settings=settings)
    return await importer.import_document(copy.deepcopy(doc), actor=actor,
                                          clients=None if doc.get("clients") else voucher_importer)


async def set_approval(doc: dict, section: str, ref: str, status: str, *, organiser: str | None = None,
                       settings: Settings | None = None) -> None:
    """Re-import ``ref`` of ``section`` (providers / listings) with the county's approval now
    ``status`` (the first county of the record unless ``organiser``); ``doc`` keeps the change."""
    record = next(r for r in doc[section] if r["ref"] == ref)
    for approval in record["approvals"]:
        if organiser in (None, approval["organiser"]):
            approval["status"] = status
            break
    part = {"counties": doc["organisers"], "categories": doc["categories"]}
    if section == "providers":
        part["providers"] = [record]
    else:
        part["providers"] = [p for p in doc["providers"] if p["ref"] == record["provider"]]
        part["listings"] = [record]
    await load(document(**part), settings)


async def county_ref(organiser_id: str) -> str:
    return (await catalogue.organiser(organiser_id))["ref"]


# ---------------------------------------------------------------------------------------------
# People, keys, times and proxies


class Person(msgspec.Struct, kw_only=True):
    """An account: ``actor`` for calling services, ``login`` for signing in through /login."""

    actor: Actor
    login: dict


async def person(role: str, email: str | None = None, *, name: str | None = None, password: str | None = PASSWORD,
                 **scope) -> Person:
    """An account of ``role`` scoped by ``organiser_id`` / ``provider_id`` / ``client_id``. Argon2
    is slow on purpose: pass ``password=None`` for accounts no test signs in with."""
    email = email or f"{role}-{uuid.uuid4().hex[:8]}@test.example"
    name = name or f"Test {role}"
    user_id = await identity.create_user(email=email, display_name=name, role=role, password=password, **scope)
    actor = Actor(user_id=user_id, role=role, display_name=name,
                  **{k: str(v) for k, v in scope.items() if v is not None})
    return Person(actor=actor, login={"id": user_id, "email": email, "password": password, "role": role, **scope})


async def make_user(role: str, email: str | None = None, password: str = "correct horse battery", **scope) -> dict:
    """An account to sign in with: {id, email, password, role, scope…}."""
    return (await person(role, email, password=password, **scope)).login


async def terminal(provider_id: str, label: str = "terminal", display_name: str = "terminal") -> tuple[Actor, str]:
    """A provider's terminal: its API key as an actor, and the key itself."""
    key_id, key = await identity.create_api_key(provider_id=provider_id, label=label)
    return Actor(role="provider_staff", provider_id=provider_id, api_key_id=key_id, display_name=display_name), key


async def weekly_time(staff: Actor, listing_id: str, weekday: int, start_time: str, *, duration_minutes: int = 60,
                      capacity: int = 1):
    """A weekly time the provider's staff publish (``weekday`` 0 = Monday, Helsinki time)."""
    return await availability.add_rule(staff, listing_id, RuleInput(
        weekday=weekday, start_time=start_time, duration_minutes=duration_minutes, capacity=capacity))


async def booking_proxy(client_actor: Actor, proxy_email: str, rights: list[str]) -> str:
    """The client grants a person (by e-mail) the right to book / view for them."""
    return await proxies.grant(client_actor, ProxyGrantInput(proxy_email=proxy_email, rights=rights))


# ---------------------------------------------------------------------------------------------
# Clients a counsellor creates


class VoucherClient(msgspec.Struct, kw_only=True):
    id: str
    decision_id: str
    card_id: str | None
    token: str | None


async def voucher_client(counsellor: Actor, secret: str, lines: list[LineInput], *, name: str = "Asiakas 0001",
                         group: str = "disability_services", municipality: str = "", start: dt.date = dt.date(2026, 1, 1),
                         end: dt.date = dt.date(2026, 12, 31), token: str | None = None, card: CardIssue | None = None,
                         reason: str = "päätös") -> VoucherClient:
    """A client, the budget decision and (with ``token``) a card with that token, as the counsellor
    makes them through the voucher's services."""
    made = await budgets.create_client(
        counsellor, ClientCreate(display_name=name, client_group=group, language="fi", municipality=municipality), secret)
    decision = await budgets.create_decision(counsellor, made.id, DecisionCreate(start=start, end=end, lines=lines,
                                                                                 reason=reason))
    card_id = None
    if token is not None:
        card = card or CardIssue()
        async with db.write_transaction():
            row = await cards.insert_card(made.id, token, secret, per_transaction_limit_cents=card.per_transaction_limit_cents,
                                          daily_limit_cents=card.daily_limit_cents)
        card_id = str(row["id"])
    return VoucherClient(id=made.id, decision_id=decision.id, card_id=card_id, token=token)


# ---------------------------------------------------------------------------------------------
# The client's consent to card payments (voucher.card_consent, /client/pay)


def client_actor(client_id: str) -> Actor:
    """The client themself, signed in (no account row: for services only)."""
    return Actor(user_id=str(uuid.uuid4()), role="client", client_id=str(client_id), display_name="test client")


async def consent_code(client_id: str, ceiling_cents: int, settings: Settings, *, now: dt.datetime) -> str:
    """A one-time code the client makes at /client/pay, for one payment up to ``ceiling_cents``
    within five minutes of ``now`` (the payment's own clock)."""
    made = await card_consent.make_code(client_actor(client_id), client_id, ceiling_cents, settings=settings, now=now)
    return made.code


async def card_pin(client_id: str, pin: str, settings: Settings, *, now: dt.datetime | None = None) -> str:
    """The client sets their card's PIN (``pin``: 4–6 digits, not an obvious one); returns it."""
    await card_consent.set_pin(client_actor(client_id), client_id, pin, settings=settings,
                               now=now or dt.datetime.now(dt.timezone.utc))
    return pin


# ---------------------------------------------------------------------------------------------
# The catalogue and request bodies of the onboarding tests, and the import example


CATALOGUE = {
    "format": "hb-import/1",
    "organisers": [county("org-a", municipalities=["Hyvinkää", "Järvenpää", "Nurmijärvi", "Tuusula"]),
                   county("org-b")],
    "categories": [category("sport-riding", requirements=["prepayment_register", "liability_insurance"]),
                   category("culture-art", requirements=["prepayment_register"]),
                   category("transport", traditional=True,
                            requirements=["prepayment_register", "liability_insurance", "taxi_licence"])],
}


def example_document(without_clients: bool = False) -> dict:
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if without_clients:
        doc.pop("clients", None)
    return doc


async def seed_catalogue() -> dict[str, str]:
    """Two counties and three categories (no providers): the refs' ids."""
    return (await load(CATALOGUE))["refs"]


def registration(refs: dict, **overrides) -> dict:
    body = {
        "name": "Talli Kavio Oy",
        "business_id": "1572860-0",
        "iban": "FI21 1234 5600 0007 85",
        "email": "talli@kavio.example",
        "phone": "+358 40 765 4321",
        "languages": ["fi", "sv"],
        "municipalities": ["Nurmijärvi", "Tuusula"],
        "categories": ["sport-riding"],
        "organisers": [refs["org-a"]],
        "evidence": {
            "prepayment_register": {"provided": True, "detail": "Ennakkoperintärekisterissä 1.1.2020 alkaen"},
            "liability_insurance": {"provided": True, "detail": "Vakuutusyhtiö Lähi, vastuuvakuutus 123-456"},
        },
        "contact_name": "Kaisa Kavio",
        "password": "hevonen-ja-satula-2026",
    }
    body.update(overrides)
    return body


def listing_body(**overrides) -> dict:
    body = {
        "category": "sport-riding",
        "title": {"fi": "Ratsastusterapia", "sv": "Ridterapi"},
        "description": {"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min."},
        "price_cents": 7500,
        "unit": "session",
        "delivery_mode": "at_provider",
        "municipality": "Nurmijärvi",
        "address": "Tallitie 5, 01900 Nurmijärvi",
        "accessibility": ["wheelchair_access"],
        "languages": ["fi", "sv"],
        "capacity": 2,
    }
    body.update(overrides)
    return body
