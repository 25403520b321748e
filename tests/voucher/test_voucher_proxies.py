"""Proxies: granted by staff or by the client themself (audited), read by proxy and by client."""

import pytest

from core import identity
from core.errors import Forbidden, NotFound
from core.identity import Actor
from core.tables import AuditEvent
from tests.voucher.vhelpers import make_world
from voucher import proxies
from voucher.proxies import ProxyInput


async def test_the_client_grants_and_revokes_their_own_proxies(db):
    w = await make_world(db.settings.secret_key)
    client = Actor(user_id=await identity.create_user(email="asiakas@test.example", display_name="Asiakas",
                                                      role="client", client_id=w.client_id),
                   role="client", client_id=w.client_id, display_name="Asiakas")
    relative = await identity.create_user(email="omainen@test.example", display_name="Oona Omainen", role="proxy")

    grant = await proxies.grant_own_proxy(client, ProxyInput(proxy_user_id=relative, rights=["book", "view"]))
    assert (grant.proxy_name, grant.proxy_email, grant.rights) == ("Oona Omainen", "omainen@test.example", ["book", "view"])
    staff_grant = await proxies.grant_proxy(w.counsellor, w.client_id, ProxyInput(proxy_user_id=relative, rights=["pay"]))
    assert await proxies.rights_of(relative, w.client_id) == {"view", "book", "pay"}
    [acts_for] = await proxies.clients_of_proxy(relative)
    assert (acts_for.client_id, acts_for.display_name, acts_for.organiser_id, acts_for.rights) == (
        w.client_id, "Asiakas 0001", w.organiser_id, ("book", "pay", "view"))
    assert [g.id for g in await proxies.active_proxies(w.client_id)] == [grant.id, staff_grant.id]
    assert await proxies.proxy_user_ids(w.client_id) == [relative]
    listed = await proxies.proxies_of(w.counsellor, w.client_id)
    assert [(g.proxy_name, g.proxy_email) for g in listed] == [("Oona Omainen", "omainen@test.example")] * 2

    # A client is not staff: the organiser's API for proxies stays the counsellor's.
    with pytest.raises(Forbidden):
        await proxies.grant_proxy(client, w.client_id, ProxyInput(proxy_user_id=relative))
    with pytest.raises(Forbidden):
        await proxies.grant_own_proxy(w.counsellor, ProxyInput(proxy_user_id=relative))
    with pytest.raises(NotFound):
        await proxies.revoke_own_proxy(client, "nonsense")

    await proxies.revoke_own_proxy(client, grant.id)
    with pytest.raises(NotFound):  # ended already
        await proxies.revoke_own_proxy(client, grant.id)
    assert await proxies.rights_of(relative, w.client_id) == {"pay"}
    await proxies.revoke_proxy(w.counsellor, staff_grant.id)
    await proxies.revoke_proxy(w.counsellor, staff_grant.id)  # again: nothing more happens
    assert await proxies.rights_of(relative, w.client_id) == set()
    assert await proxies.clients_of_proxy(relative) == []

    audited = await AuditEvent.select(AuditEvent.action, AuditEvent.details, AuditEvent.actor_role).where(
        AuditEvent.action.like("voucher.proxy.%")).order_by(AuditEvent.at).output(load_json=True).run()
    assert [(a["action"], a["actor_role"], a["details"].get("by")) for a in audited] == [
        ("voucher.proxy.granted", "client", "client"), ("voucher.proxy.granted", "counsellor", None),
        ("voucher.proxy.revoked", "client", "client"), ("voucher.proxy.revoked", "counsellor", None)]


async def test_a_proxy_opens_the_budget_of_the_person_they_act_for_from_the_menu(db, client):
    from tests.helpers import login
    from tests.world import make_user

    w = await make_world(db.settings.secret_key)
    relative = await make_user("proxy", "omainen-budjetti@test.example")
    await login(client, relative)
    nobody = await client.get("/budget")  # no one has given rights yet: said so, not a 403
    assert nobody.status_code == 200 and "Kukaan asiakas ei ole antanut sinulle oikeutta" in nobody.text
    await proxies.grant_proxy(w.counsellor, w.client_id, ProxyInput(proxy_user_id=relative["id"], rights=["view"]))
    home = await client.get("/client")
    assert '<a href="/budget"' in home.text and "Asiakkaan budjetti" in home.text and "Oma budjetti" not in home.text
    budget = await client.get("/budget")
    assert budget.status_code == 200
    assert "Asiakkaan budjetti: Asiakas 0001" in budget.text and "Budjettisi" not in budget.text
    assert "Käytettävissä" in budget.text
