"""What the packages give each other, handed over here and nowhere else: a lower package names what
it needs (a Protocol, a registry, a dependency), and the composition root passes the higher
package's implementation in."""

from functools import partial

from admin import privacy as admin_privacy
from admin import users as admin_users
from core import account, eid, privacy
from core.identity import Actor
from core.settings import Settings
from marketplace import importer, providers, staff_sign_in
from marketplace.booking import ports as booking_ports
from marketplace.booking import privacy as booking_privacy
from marketplace.importer import ImportWiring
from search import sync
from voucher import importer as voucher_importer
from voucher import invitations
from voucher import privacy as voucher_privacy
from voucher import sign_in as voucher_sign_in
from voucher.for_bookings import VoucherForBookings


def wire() -> None:
    """Register what lower packages ask of higher ones: who holds rows about a client (the kernel's
    data-subject export and pseudonymisation), what an account's scope is called (its account
    page), the voucher behind the booking's holds (the booking names what it needs in
    ``marketplace.booking.ports.Voucher``), and the accounts an e-ID sign-in finds
    (``core.eid.EidAccounts``). The app factory, `hb` and
    the test suite call it; calling it again is harmless."""
    privacy.register(voucher_privacy, booking_privacy, admin_privacy)
    account.register_scope_names(admin_users.scope_names)
    booking_ports.install(VoucherForBookings())
    # What an e-ID sign-in needs from above the kernel: the client a verified identity number
    # belongs to, whether a county lets its staff use passwords, and the invitations service — an
    # invitation the person followed (its token) or, signing in straight away, a pending client
    # invitation found by the identity number; and where a provider's person identified with e-ID
    # is recorded (the person kinds' approval waits for it, decision 0036).
    eid.install(eid.EidAccounts(client_account=voucher_sign_in.client_account,
                                staff_password_login=staff_sign_in.staff_password_login,
                                accept_invitation=invitations.accept,
                                accept_client_invitation=_accept_client_invitation,
                                identify_staff=providers.staff_identified_with_eid))


async def _accept_client_invitation(identity, settings: Settings) -> str | None:
    pending = await invitations.pending_client_invitation_for(identity, settings=settings)
    if pending is None:
        return None
    return await invitations.accept_pending(pending.id, identity=identity, settings=settings)


def import_wiring(settings: Settings) -> ImportWiring:
    """An import's clients section is the voucher's; once it commits, the search index takes in
    the listing changes, so approved records are searchable before the import returns."""
    return ImportWiring(clients=voucher_importer, after_commit=partial(sync.drain, settings))


async def import_document(doc, *, settings: Settings, actor: Actor | None = None) -> dict:
    """The marketplace's import with everything wired, as `hb import` and `hb demo` run it (the
    actor defaults to the operator)."""
    wired = import_wiring(settings)
    return await importer.import_document(doc, actor=actor, settings=settings, clients=wired.clients,
                                          after_commit=wired.after_commit)
