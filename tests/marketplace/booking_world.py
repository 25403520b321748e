"""A small booking world built through the platform's own code paths: the importer (organiser,
categories, an approved riding stable and its listing, clients with budget decisions and cards),
real user accounts per role, and a weekly time published through the availability service.

Times: ``NOW`` is Monday 9 March 2026, 10.00 in Helsinki; the listing is offered on Tuesdays at
10.00–11.00 Helsinki time, so ``SLOT`` (10 March 08:00 UTC) is the next slot.
"""

import copy
import datetime as dt

import msgspec

from core import identity
from core.identity import Actor
from hb import wiring
from marketplace.booking import availability
from marketplace.booking.schemas import BookingCreate, PolicyInput, RuleInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
SLOT = dt.datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
SLOT_END = SLOT + dt.timedelta(hours=1)
PRICE = 7500
RIDING_GRANT = 100_000

DOCUMENT = {
    "format": "hb-import/1",
    "organisers": [
        {"ref": "org-a", "name": "Keski-Uudenmaan hyvinvointialue", "business_id": "5908301-5",
         "municipalities": ["Nurmijärvi", "Tuusula"]},
    ],
    "categories": [
        {"ref": "sport-riding", "names": {"fi": "Liikunta ja ratsastus", "sv": "Motion och ridning", "en": "Sport and riding"},
         "traditional": False, "requirements": []},
        {"ref": "culture-art", "names": {"fi": "Kulttuuri ja taide", "en": "Culture and art"},
         "traditional": False, "requirements": []},
    ],
    "providers": [
        {"ref": "prov-a", "business_id": "9603082-8", "name": "Talli Tuulenpesä Oy", "iban": "FI3317877893287921",
         "email": "talli@tuulenpesa.example", "languages": ["fi"], "municipalities": ["Nurmijärvi"], "evidence": {},
         "approvals": [{"organiser": "org-a", "status": "approved"}]},
    ],
    "listings": [
        {"ref": "lst-riding", "provider": "prov-a", "category": "sport-riding", "title": {"fi": "Ratsastusterapia", "sv": "Ridterapi"},
         "description": {"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min."}, "price_cents": PRICE,
         "unit": "session", "delivery_mode": "at_provider", "municipality": "Nurmijärvi", "languages": ["fi"],
         "accessibility": [], "approvals": [{"organiser": "org-a", "status": "approved"}]},
    ],
}


def _client(n: int, riding_cents: int) -> dict:
    return {
        "ref": f"cli-{n:03d}", "organiser": "org-a", "display_name": f"Asiakas {n:04d}",
        "client_group": "disability_services", "language": "fi",
        "decision": {"ref": f"dec-{n:03d}", "start": "2026-01-01", "end": "2026-12-31",
                     "lines": [{"category": "sport-riding", "amount_cents": riding_cents, "may_fund": []},
                               {"category": "culture-art", "amount_cents": 30_000, "may_fund": []}]},
        "card": {"ref": f"card-{n:03d}", "token": f"hbc_booking_{n:03d}_token"},
    }


class World(msgspec.Struct, kw_only=True):
    organiser_id: str
    provider_id: str
    listing_id: str
    client_ids: list[str]
    clients: list[Actor]
    provider: Actor
    organiser: Actor
    counsellor: Actor
    proxy: Actor
    other_provider: Actor
    users: dict[str, dict]

    @property
    def client(self) -> Actor:
        return self.clients[0]

    @property
    def client_id(self) -> str:
        return self.client_ids[0]


PASSWORD = "oikein-hyva-salasana-2026"


async def _user(role: str, email: str, name: str, *, can_sign_in: bool = True, **scope) -> tuple[Actor, dict]:
    # Argon2 is slow on purpose: only accounts a test signs in with get a password.
    user_id = await identity.create_user(email=email, display_name=name, role=role,
                                         password=PASSWORD if can_sign_in else None, **scope)
    actor = Actor(user_id=user_id, role=role, display_name=name,
                  **{k: str(v) for k, v in scope.items() if v is not None})
    return actor, {"id": user_id, "email": email, "password": PASSWORD, "role": role}


async def build(settings, *, clients: int = 1, capacity: int = 2, riding_cents: int = RIDING_GRANT,
                cancellation_hours: int = 24, late_fee: int = 0, no_show_fee: int = 0, passwords: bool = False) -> World:
    """``passwords``: give the accounts passwords (only tests that sign in through /login need them)."""
    doc = copy.deepcopy(DOCUMENT)
    doc["clients"] = [_client(n, riding_cents) for n in range(1, clients + 1)]
    refs = (await wiring.import_document(doc, actor=Actor(role="platform_admin", display_name="setup"),
                                         settings=settings))["refs"]
    org, provider_id, listing_id = refs["org-a"], refs["prov-a"], refs["lst-riding"]
    users: dict[str, dict] = {}
    client_actors = []
    for n in range(1, clients + 1):
        actor, user = await _user("client", f"asiakas{n}@booking.example", f"Asiakas {n:04d}", can_sign_in=passwords and n <= 2,
                                  client_id=refs[f"cli-{n:03d}"], organiser_id=org)
        client_actors.append(actor)
        if n <= 2:
            users[f"client{n}"] = user
    p = passwords
    provider, users["provider"] = await _user("provider_staff", "kaisa@tuulenpesa.example", "Kaisa Talli",
                                              can_sign_in=p, provider_id=provider_id)
    organiser, users["organiser"] = await _user("organiser_admin", "arvioija@keusote.example", "Aino Arvioija",
                                                can_sign_in=p, organiser_id=org)
    counsellor, users["counsellor"] = await _user("counsellor", "ohjaaja@keusote.example", "Olli Ohjaaja",
                                                  can_sign_in=p, organiser_id=org)
    proxy, users["proxy"] = await _user("proxy", "omainen@booking.example", "Oona Omainen", can_sign_in=p,
                                        organiser_id=org)
    other, users["other_provider"] = await _user("provider_staff", "muu@taidepaja.example", "Muu Tuottaja",
                                                 can_sign_in=p, provider_id="00000000-0000-4000-8000-000000000001")
    await availability.add_rule(provider, listing_id, RuleInput(weekday=1, start_time="10:00", duration_minutes=60,
                                                                capacity=capacity))
    if (cancellation_hours, late_fee, no_show_fee) != (24, 0, 0):
        await availability.set_policy(provider, listing_id, PolicyInput(
            cancellation_hours=cancellation_hours, late_cancellation_fee_percent=late_fee, no_show_fee_percent=no_show_fee))
    return World(organiser_id=org, provider_id=provider_id, listing_id=listing_id,
                 client_ids=[refs[f"cli-{n:03d}"] for n in range(1, clients + 1)], clients=client_actors,
                 provider=provider, organiser=organiser, counsellor=counsellor, proxy=proxy, other_provider=other,
                 users=users)


def request(world: World, *, quantity: int = 1, client_id: str | None = None, starts_at: dt.datetime = SLOT) -> BookingCreate:
    return BookingCreate(listing_id=world.listing_id, starts_at=starts_at, quantity=quantity, client_id=client_id)


async def grant_proxy(world: World, rights: list[str], client_index: int = 0) -> None:
    from marketplace.booking import proxies
    from marketplace.booking.schemas import ProxyGrantInput

    await proxies.grant(world.clients[client_index], ProxyGrantInput(proxy_email="omainen@booking.example", rights=rights))
