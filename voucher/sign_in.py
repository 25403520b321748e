"""The voucher's part of an e-ID sign-in (``core.eid.EidAccounts``): which client account a
verified identity number belongs to. The number is compared only as each county's keyed hash
(``budgets.national_id_hash``), never stored or logged."""

from core.identity import VerifiedIdentity, users_with
from core.settings import Settings
from voucher.budgets import national_id_hash
from voucher.tables import Client


async def client_account(identity: VerifiedIdentity, settings: Settings) -> str | None:
    """The active client account of a client whose identity number is ``identity.national_id``,
    in any county that has clients; None when there is none. A person who is a client of two
    counties signs in to the account made first (each county's record stays its own)."""
    if not identity.national_id:
        return None
    counties = [r["organiser_id"] for r in await Client.select(Client.organiser_id).distinct().run()]
    hashes = [national_id_hash(settings.secret_key, county, identity.national_id) for county in counties]
    if not hashes:
        return None
    clients = await Client.select(Client.id).where(Client.national_id_hash.is_in(hashes)).order_by(
        Client.created_at).run()
    for client in clients:
        accounts = await users_with("client", client_id=client["id"])
        if accounts:
            return accounts[0].id
    return None
