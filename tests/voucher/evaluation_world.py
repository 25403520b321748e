"""The evaluation's test world: a county, its counsellor and organiser admin, a client with a decision
for 2026 (made through the voucher's services) and the client's own account, and ``as_user`` to be
someone in the HTTP client without a password."""

import datetime as dt

import msgspec

from core import identity
from core.identity import Actor
from tests import world
from voucher import proxies
from voucher.schemas import LineInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki, 5 January 2026
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


class EvalWorld(msgspec.Struct, kw_only=True):
    organiser_id: str
    counsellor: Actor
    admin: Actor
    client_id: str
    decision_id: str
    client: Actor


async def build(secret: str, *, county_ref: str = "org-a", name: str = "Asiakas 0001",
                start: dt.date = START, end: dt.date = END, language: str = "fi") -> EvalWorld:
    loaded = await world.load(world.document(counties=[world.county(county_ref)],
                                             categories=[world.category("day-activities")]))
    organiser_id = loaded["refs"][county_ref]
    counsellor = (await world.person("counsellor", organiser_id=organiser_id, password=None)).actor
    admin = (await world.person("organiser_admin", organiser_id=organiser_id, password=None)).actor
    made = await world.voucher_client(counsellor, secret, [LineInput(category="day-activities", amount_cents=100_000)],
                                      name=name, start=start, end=end)
    user_id = await identity.create_user(email=f"asiakas-{made.id[:8]}@test.example", display_name=name, role="client",
                                         password=None, client_id=made.id, language=language)
    client = Actor(user_id=user_id, role="client", client_id=made.id, display_name=name)
    return EvalWorld(organiser_id=organiser_id, counsellor=counsellor, admin=admin, client_id=made.id,
                     decision_id=made.decision_id, client=client)


async def proxy_for(w: EvalWorld, rights=("view",), email: str = "omainen@test.example") -> Actor:
    """A proxy (a relative) the counsellor grants ``rights`` for the client."""
    user_id = await identity.create_user(email=email, display_name="Oona Omainen", role="proxy", password=None)
    await proxies.grant_proxy(w.counsellor, w.client_id, proxies.ProxyInput(proxy_user_id=user_id, rights=list(rights)))
    return Actor(user_id=user_id, role="proxy", display_name="Oona Omainen")


async def as_user(http, actor: Actor) -> None:
    http.cookies.clear()
    http.cookies.set(identity.SESSION_COOKIE, await identity.start_session(actor.user_id, 1))
