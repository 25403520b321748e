"""The voucher's test world (on tests/world.py): an organiser, categories, approved and pending
providers and listings loaded through the import, a counsellor, a client with a decision and a
card the counsellor makes through the voucher's services, and provider API keys.

``tag`` makes a world's unique marketplace values (refs, business ids, merchant id, card token)
its own, for several worlds in one database.
"""

import datetime as dt
import uuid
import zlib

import msgspec

from core.identity import Actor
from marketplace import catalogue, providers
from marketplace.schemas import ProviderUpdate
from marketplace.tables import Provider
from tests import world
from voucher.schemas import CardIssue, LineInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TOKEN = "hbc_test_0001_4f9a"
CATEGORIES = ("day-activities", "transport", "culture-art", "sport-riding")


class World(msgspec.Struct, kw_only=True):
    organiser_id: str
    counsellor: Actor
    provider_id: str
    provider: Actor
    provider_key: str
    other_provider_id: str
    other_provider: Actor
    listing_riding: str
    listing_art: str
    listing_pending: str
    client_id: str
    decision_id: str
    card_id: str
    token: str = TOKEN
    # The import document the world was loaded from and its refs' ids (set_*_status re-import it).
    document: dict = {}
    refs: dict[str, str] = {}

    def ref_of(self, record_id: str) -> str:
        return next(ref for ref, id_ in self.refs.items() if id_ == record_id)


def _ids(tag: str) -> tuple[str, str]:
    if not tag:
        return "9603082-8", "1819093-0"
    return world.business_id(zlib.crc32(tag.encode())), world.business_id(zlib.crc32(tag.encode()) + 5_000_000)


async def add_provider(organiser_id, name: str, business_id: str, status: str, categories: list[str]) -> str:
    """A provider the organiser's approval of is ``status``, imported (``business_id`` gets its right
    check digit). Its ``categories`` come with its listings (``add_listing``), as in the import."""
    org_ref = await world.county_ref(organiser_id)
    valid = world.business_id(int(business_id.replace("-", "")[:7]))
    ref = f"prov-{valid}"
    doc = world.document(providers=[world.provider(ref, valid, name, approved_by={org_ref: status},
                                                   email=f"{valid}@example.test")])
    return (await world.load(doc))["refs"][ref]


async def add_listing(organiser_id, provider_id, category: str, status: str, price: int = 7500) -> str:
    """The provider's listing in ``category``, whose approval by the organiser is ``status``; the
    provider's approvals are imported with it (an approved one covers the listing's category)."""
    org_ref = await world.county_ref(organiser_id)
    record = await providers.load(provider_id)
    standing = {await world.county_ref(a.organiser_id): a.status for a in await providers.approvals_of(provider_id)}
    ref = f"lst-{uuid.uuid4().hex}"
    doc = world.document(
        providers=[world.provider(record["ref"], record["business_id"], record["name"], approved_by=standing,
                                  iban=record["iban"], email=record["email"])],
        listings=[world.listing(ref, record["ref"], category, approved_by={org_ref: status}, price_cents=price)])
    return (await world.load(doc))["refs"][ref]


async def set_provider_status(w: World, provider_id: str, status: str) -> None:
    """The organiser's approval of the world's provider is now ``status`` (re-imported)."""
    await world.set_approval(w.document, "providers", w.ref_of(provider_id), status)


async def set_listing_status(w: World, listing_id: str, status: str) -> None:
    """The organiser's approval of the world's listing is now ``status`` (re-imported)."""
    await world.set_approval(w.document, "listings", w.ref_of(listing_id), status)


DEFAULT_LINES = [
    LineInput(category="day-activities", amount_cents=540000, may_fund=["culture-art", "sport-riding"], swap_cap_cents=270000),
    LineInput(category="transport", amount_cents=120000),
]


async def make_world(
    secret: str,
    *,
    lines: list[LineInput] | None = None,
    card: CardIssue | None = None,
    start: dt.date = dt.date(2026, 1, 1),
    end: dt.date = dt.date(2026, 12, 31),
    settlement_period: str = "daily",
    tag: str = "",
    card_rules: dict | None = None,
) -> World:
    """``card_rules``: the county's card-rule fields of the import (``card_consent``,
    ``price_tolerance_bp``, ``open_amount``)."""
    org, riding_id, art_id = f"org-a{tag}", *_ids(tag)
    known = await catalogue.category_codes()
    doc = world.document(
        counties=[world.county(org, iban="FI2112345600000785", bic="NDEAFIHH", settlement_period=settlement_period,
                               **(card_rules or {}))],
        # As if made by hand: traditional (the table's default), named by their code.
        categories=[world.category(code, names={"fi": code}, traditional=True) for code in CATEGORIES if code not in known],
        providers=[
            world.provider(f"prov-riding{tag}", riding_id, "Talli Tuulenpesä Oy", approved_by=(org,),
                           email=f"{riding_id}@example.test"),
            world.provider(f"prov-art{tag}", art_id, "Taidepaja Sivellin", approved_by=(org,), email=f"{art_id}@example.test"),
        ],
        listings=[
            world.listing(f"lst-riding{tag}", f"prov-riding{tag}", "sport-riding", approved_by=(org,)),
            world.listing(f"lst-art{tag}", f"prov-art{tag}", "culture-art", approved_by=(org,), price_cents=5500),
            world.listing(f"lst-pending{tag}", f"prov-riding{tag}", "sport-riding", approved_by={org: "pending"}),
        ])
    refs = (await world.load(doc))["refs"]
    provider_id, other_id = refs[f"prov-riding{tag}"], refs[f"prov-art{tag}"]
    provider, key = await world.terminal(provider_id)
    other_provider, _ = await world.terminal(other_id, display_name="t2")
    await providers.update(provider, provider_id, ProviderUpdate(merchant_id="acct_merchant_tuulenpesa" + tag))
    # The Stripe Connect account is made at Stripe; no service of the platform writes it.
    await Provider.update({Provider.stripe_account_id: "acct_1Tuulenpesa"}).where(Provider.id == provider_id).run()
    counsellor = (await world.person("counsellor", name="Ohjaaja", password=None, organiser_id=refs[org])).actor
    made = await world.voucher_client(counsellor, secret, lines or DEFAULT_LINES, start=start, end=end,
                                      token=TOKEN + tag, card=card)
    return World(
        organiser_id=refs[org],
        counsellor=counsellor,
        provider_id=provider_id,
        provider=provider,
        provider_key=key,
        other_provider_id=other_id,
        other_provider=other_provider,
        listing_riding=refs[f"lst-riding{tag}"],
        listing_art=refs[f"lst-art{tag}"],
        listing_pending=refs[f"lst-pending{tag}"],
        client_id=made.id,
        decision_id=made.decision_id,
        card_id=made.card_id,
        token=TOKEN + tag,
        document=doc,
        refs=refs,
    )
