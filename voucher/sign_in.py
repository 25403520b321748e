"""The voucher's part of an e-ID sign-in (``core.eid.EidAccounts``): which clients, and which
client account, a verified identity number belongs to. The number is compared only as each
county's keyed hash (``budgets.national_id_hash``), never stored or logged."""

from core.identity import VerifiedIdentity, users_with
from core.settings import Settings
from voucher.budgets import national_id_hash
from voucher.tables import Client


async def clients_of(identity: VerifiedIdentity, settings: Settings) -> list[str]:
    """The ids of the clients, in every county that has clients, whose identity number is
    ``identity.national_id``, oldest first (a pending client invitation is looked up by these)."""
    if not identity.national_id:
        return []
    counties = [r["organiser_id"] for r in await Client.select(Client.organiser_id).distinct().run()]
    hashes = [national_id_hash(settings.secret_key, county, identity.national_id) for county in counties]
    if not hashes:
        return []
    rows = await Client.select(Client.id).where(Client.national_id_hash.is_in(hashes)).order_by(Client.created_at).run()
    return [str(r["id"]) for r in rows]


async def client_account(identity: VerifiedIdentity, settings: Settings) -> str | None:
    """The active client account of a client with this identity number, or None. A person who is a
    client of two counties signs in to the account of the record made first (each county's record
    stays its own)."""
    for client_id in await clients_of(identity, settings):
        accounts = await users_with("client", client_id=client_id)
        if accounts:
            return accounts[0].id
    return None
