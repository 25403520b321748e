"""A small voucher world for tests: an organiser, categories, approved and pending providers and
listings, a counsellor, a client with a decision and a card, and provider API keys.

Marketplace rows are written straight into its tables here (test set-up only); everything of the
voucher is made through its services, as a counsellor would.
"""

import datetime as dt
import uuid

import msgspec

from core import db, identity
from core.identity import Actor
from marketplace.tables import (
    Listing,
    ListingApproval,
    ListingRevision,
    Organiser,
    Provider,
    ProviderApproval,
    ProviderCategoryApproval,
    ServiceCategory,
)
from voucher import budgets, cards
from voucher.schemas import CardIssue, ClientCreate, DecisionCreate, LineInput

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
TOKEN = "hbc_test_0001_4f9a"


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


async def add_provider(organiser_id, name: str, business_id: str, status: str, categories: list[str], **extra) -> str:
    provider = Provider(
        business_id=business_id,
        name=name,
        iban="FI3317877893287921",
        email=f"{business_id}@example.test",
        categories=categories,
        **extra,
    )
    await Provider.insert(provider).run()
    approval = ProviderApproval(provider=provider.id, organiser=organiser_id, status=status)
    await ProviderApproval.insert(approval).run()
    # The approval covers the provider's categories whenever it is approved (set_provider_status).
    await ProviderCategoryApproval.insert(*[
        ProviderCategoryApproval(approval=approval.id, category=code, status="approved") for code in categories]).run()
    return str(provider.id)


async def add_listing(organiser_id, provider_id, category: str, status: str, price: int = 7500) -> str:
    listing = Listing(
        provider=provider_id,
        category=category,
        title_fi=f"Palvelu {category}",
        price_cents=price,
        unit="session",
        delivery_mode="at_provider",
        municipality="Tuusula",
        status=status,
    )
    await Listing.insert(listing).run()
    revision = ListingRevision(listing=listing.id, number=1, content={"category": category, "title": {"fi": "x"}})
    await ListingRevision.insert(revision).run()
    await ListingApproval.insert(
        ListingApproval(listing=listing.id, organiser=organiser_id, status=status, live_revision=revision.id)
    ).run()
    return str(listing.id)


async def set_provider_status(provider_id, organiser_id, status: str) -> None:
    await ProviderApproval.update({ProviderApproval.status: status}).where(
        (ProviderApproval.provider == provider_id) & (ProviderApproval.organiser == organiser_id)
    ).run()


async def set_listing_status(listing_id, organiser_id, status: str) -> None:
    await ListingApproval.update({ListingApproval.status: status}).where(
        (ListingApproval.listing == listing_id) & (ListingApproval.organiser == organiser_id)
    ).run()


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
) -> World:
    """``tag`` makes the unique marketplace values unique, for several worlds in one database."""
    organiser = Organiser(
        name="Keski-Uudenmaan hyvinvointialue",
        business_id="5908301-5",
        iban="FI2112345600000785",
        bic="NDEAFIHH",
        settlement_period=settlement_period,
    )
    await Organiser.insert(organiser).run()
    org = organiser.id
    for code in ("day-activities", "transport", "culture-art", "sport-riding"):
        await ServiceCategory.insert(ServiceCategory(code=code, name_fi=code)).on_conflict(action="DO NOTHING").run()
    provider_id = await add_provider(org, "Talli Tuulenpesä Oy", tag[:9] or "9603082-8", "approved", ["sport-riding"],
                                     merchant_id="acct_merchant_tuulenpesa" + tag, stripe_account_id="acct_1Tuulenpesa")
    other_id = await add_provider(org, "Taidepaja Sivellin", tag[-9:] or "1819093-0", "approved", ["culture-art"])
    riding = await add_listing(org, provider_id, "sport-riding", "approved")
    art = await add_listing(org, other_id, "culture-art", "approved", price=5500)
    pending = await add_listing(org, provider_id, "sport-riding", "pending")
    key_id, key = await identity.create_api_key(provider_id=provider_id, label="terminal")
    other_key_id, _ = await identity.create_api_key(provider_id=other_id, label="terminal")
    counsellor_id = await identity.create_user(
        email=f"ohjaaja-{uuid.uuid4().hex[:6]}@test.example", display_name="Ohjaaja", role="counsellor",
        organiser_id=org,
    )
    counsellor = Actor(user_id=counsellor_id, role="counsellor", display_name="Ohjaaja", organiser_id=str(org))
    client = await budgets.create_client(
        counsellor, ClientCreate(display_name="Asiakas 0001", client_group="disability_services", language="fi"), secret
    )
    decision = await budgets.create_decision(
        counsellor, client.id, DecisionCreate(start=start, end=end, lines=lines or DEFAULT_LINES, reason="päätös")
    )
    async with db.write_transaction():
        row = await cards.insert_card(
            client.id, TOKEN + tag, secret,
            per_transaction_limit_cents=(card or CardIssue()).per_transaction_limit_cents,
            daily_limit_cents=(card or CardIssue()).daily_limit_cents,
        )
    return World(
        organiser_id=str(org),
        counsellor=counsellor,
        provider_id=provider_id,
        provider=Actor(role="provider_staff", provider_id=provider_id, api_key_id=key_id, display_name="terminal"),
        provider_key=key,
        other_provider_id=other_id,
        other_provider=Actor(role="provider_staff", provider_id=other_id, api_key_id=other_key_id, display_name="t2"),
        listing_riding=riding,
        listing_art=art,
        listing_pending=pending,
        client_id=client.id,
        decision_id=decision.id,
        card_id=str(row["id"]),
        token=TOKEN + tag,
    )
