"""The evaluation's test world: a county, its counsellor and a client with a decision for 2026
(made through the voucher's services), and the client's actor."""

import datetime as dt

import msgspec

from core.identity import Actor
from tests import world
from voucher.schemas import LineInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # 12:00 in Helsinki, 5 January 2026
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


class EvalWorld(msgspec.Struct, kw_only=True):
    organiser_id: str
    counsellor: Actor
    client_id: str
    decision_id: str
    client: Actor


async def build(secret: str, *, county_ref: str = "org-a", name: str = "Asiakas 0001",
                start: dt.date = START, end: dt.date = END) -> EvalWorld:
    loaded = await world.load(world.document(counties=[world.county(county_ref)],
                                             categories=[world.category("day-activities")]))
    organiser_id = loaded["refs"][county_ref]
    counsellor = (await world.person("counsellor", organiser_id=organiser_id, password=None)).actor
    made = await world.voucher_client(counsellor, secret, [LineInput(category="day-activities", amount_cents=100_000)],
                                      name=name, start=start, end=end)
    return EvalWorld(organiser_id=organiser_id, counsellor=counsellor, client_id=made.id, decision_id=made.decision_id,
                     client=world.client_actor(made.id))
