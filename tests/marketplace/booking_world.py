"""A small booking world built through the platform's own code paths: the importer (organiser,
categories, an approved riding stable and its listing, clients with budget decisions and cards),
real user accounts per role, and a weekly time published through the availability service.

Times: ``NOW`` is Monday 9 March 2026, 10.00 in Helsinki; the listing is offered on Tuesdays at
10.00–11.00 Helsinki time, so ``SLOT`` (10 March 08:00 UTC) is the next slot.
"""

import datetime as dt

import msgspec

from core.identity import Actor
from marketplace.booking import availability
from marketplace.booking.schemas import BookingCreate, PolicyInput
from tests import world

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 9, 8, 0, tzinfo=UTC)
SLOT = dt.datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
SLOT_END = SLOT + dt.timedelta(hours=1)
PRICE = 7500
RIDING_GRANT = 100_000

DOCUMENT = world.document(
    counties=[world.county("org-a")],
    categories=[world.category("sport-riding"),
                world.category("culture-art", names={"fi": "Kulttuuri ja taide", "en": "Culture and art"})],
    providers=[world.provider("prov-a", "9603082-8", "Talli Tuulenpesä Oy", email="talli@tuulenpesa.example",
                              municipalities=["Nurmijärvi"])],
    listings=[world.listing("lst-riding", "prov-a", "sport-riding", price_cents=PRICE, municipality="Nurmijärvi",
                            title={"fi": "Ratsastusterapia", "sv": "Ridterapi"},
                            description={"fi": "Fysioterapeutin ohjaama ratsastusterapia, 45 min."})],
)


def _client(n: int, riding_cents: int, fee_rule: str | None = None) -> dict:
    riding = world.line("sport-riding", riding_cents)
    if fee_rule:
        riding["fee_rule"] = fee_rule
    return world.client(f"cli-{n:03d}", "org-a", display_name=f"Asiakas {n:04d}", token=f"hbc_booking_{n:03d}_token",
                        lines=[riding, world.line("culture-art", 30_000)])


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


async def _user(role: str, email: str, name: str, *, can_sign_in: bool = True, **scope) -> tuple[Actor, dict]:
    # Argon2 is slow on purpose: only accounts a test signs in with get a password.
    made = await world.person(role, email, name=name, password=world.PASSWORD if can_sign_in else None, **scope)
    return made.actor, {**made.login, "password": world.PASSWORD}


async def build(settings, *, clients: int = 1, capacity: int = 2, riding_cents: int = RIDING_GRANT,
                cancellation_hours: int = 24, late_fee: int = 0, no_show_fee: int = 0, passwords: bool = False,
                client_fee: dict | None = None) -> World:
    """``passwords``: give the accounts passwords (only tests that sign in through /login need them).
    ``client_fee``: a client-fee rule of the county (the import's ``client_fees`` item) that the
    clients' riding lines follow (own share, docs/decisions/0033)."""
    doc = dict(DOCUMENT, clients=[_client(n, riding_cents, client_fee and client_fee["code"]) for n in range(1, clients + 1)])
    if client_fee:
        doc["organisers"] = [dict(o, client_fees=[client_fee]) for o in doc["organisers"]]
    refs = (await world.load(doc, settings))["refs"]
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
    await world.weekly_time(provider, listing_id, 1, "10:00", capacity=capacity)
    if (cancellation_hours, late_fee, no_show_fee) != (24, 0, 0):
        await availability.set_policy(provider, listing_id, PolicyInput(
            cancellation_hours=cancellation_hours, late_cancellation_fee_percent=late_fee, no_show_fee_percent=no_show_fee))
    return World(organiser_id=org, provider_id=provider_id, listing_id=listing_id,
                 client_ids=[refs[f"cli-{n:03d}"] for n in range(1, clients + 1)], clients=client_actors,
                 provider=provider, organiser=organiser, counsellor=counsellor, proxy=proxy, other_provider=other,
                 users=users)


def request(world: World, *, quantity: int = 1, client_id: str | None = None, starts_at: dt.datetime = SLOT) -> BookingCreate:
    return BookingCreate(listing_id=world.listing_id, starts_at=starts_at, quantity=quantity, client_id=client_id)


async def grant_proxy(w: World, rights: list[str], client_index: int = 0) -> None:
    await world.booking_proxy(w.clients[client_index], "omainen@booking.example", rights)
