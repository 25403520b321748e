"""core.identity's lookups by scope: whom to notify, a proxy by e-mail, who works for a provider."""

import uuid

from core import identity
from core.tables import User
from marketplace import catalogue
from marketplace.tables import Provider


async def test_users_by_scope_e_mail_and_provider_staff(db):
    provider = Provider(business_id="9603082-8", name="Talli", iban="FI3317877893287921", email="Talli@Tuulenpesa.example")
    await Provider.insert(provider).run()
    org, client = uuid.uuid4(), uuid.uuid4()
    staff = await identity.create_user(email="kaisa@tuulenpesa.example", display_name="Kaisa", role="provider_staff",
                                       provider_id=provider.id)
    gone = await identity.create_user(email="ex@tuulenpesa.example", display_name="Ex", role="provider_staff",
                                      provider_id=provider.id)
    await User.update({User.active: False}).where(User.id == gone).run()
    admin = await identity.create_user(email="aino@keusote.example", display_name="Aino", role="organiser_admin",
                                       organiser_id=org, language="sv")
    own = await identity.create_user(email="asiakas@example.test", display_name="Asiakas", role="client",
                                     client_id=client, organiser_id=org)
    relative = await identity.create_user(email="Talli@tuulenpesa.example ", display_name="Omainen", role="proxy")

    assert [u.id for u in await identity.users_with("provider_staff", provider_id=provider.id)] == [staff]
    admins = await identity.users_with("organiser_admin", organiser_id=str(org))
    assert [(u.id, u.language, u.display_name) for u in admins] == [(admin, "sv", "Aino")]
    assert [u.id for u in await identity.users_with(None, client_id=client)] == [own]
    assert [u.id for u in await identity.users_with(None, user_ids=[relative, gone, "nonsense"])] == [relative]
    assert await identity.users_with("client", client_id="nonsense") == []
    assert set(await identity.users_by_id([gone, staff])) == {gone, staff}  # names of inactive accounts too

    assert (await identity.user_by_email(" TALLI@tuulenpesa.example", role="proxy")).id == relative
    assert await identity.user_by_email("talli@tuulenpesa.example", role="client") is None
    assert await identity.user_by_email("ex@tuulenpesa.example") is None  # inactive

    # Staff: the account is scoped to the provider, or its e-mail is the provider's own (which the
    # marketplace's catalogue gives core.identity's rule).
    assert await catalogue.works_for_provider(staff, provider.id)
    assert await catalogue.works_for_provider(relative, str(provider.id))
    assert not await catalogue.works_for_provider(admin, provider.id)
    assert not await catalogue.works_for_provider(staff, uuid.uuid4())
    assert not await catalogue.works_for_provider("nonsense", provider.id)
    assert await identity.is_provider_staff(relative, provider.id, "talli@tuulenpesa.EXAMPLE")
    assert not await identity.is_provider_staff(relative, provider.id, None)
