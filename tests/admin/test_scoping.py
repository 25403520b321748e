"""Issue 6, acceptance 5: an organiser admin of one county cannot see any figure of another county's
clients — not on the dashboard, its CSVs, the caseload, a client page, anomaly flags or payouts,
whatever the URL says. Also: who may open which page at all."""

import datetime as dt

from admin import anomalies
from tests.admin.builders import add_client, at, mark_traditional, organiser_admin, pay, world
from tests.helpers import login
from tests.world import make_user

NOW = at(2026, 3, 20, 12)
# Amounts nobody else pays, so that any leak shows in the page text.
B_AMOUNTS = (43219, 17783)


def money_fi(cents: int) -> str:
    from core.i18n import money

    return money(cents, "fi")


async def test_an_organiser_admin_sees_only_their_own_county(db, app, client):
    secret = db.settings.secret_key
    a, b = await world(secret), await world(secret)
    await mark_traditional()
    a_client = await add_client(a, secret, "Asiakas Aalto", "older_people")
    b_client = await add_client(b, secret, "Asiakas Berg", "older_people")
    await pay(db.settings, a.provider, a_client.token, 7500, at(2026, 3, 2), listing=a.listing_riding)
    for i, amount in enumerate(B_AMOUNTS):
        await pay(db.settings, b.provider, b_client.token, amount, at(2026, 3, 3, 9 + i))
    await pay(db.settings, b.provider, b_client.token, 1000, at(2026, 3, 3, 15))  # three in a day: a flag in B
    await anomalies.scan(b.organiser_id, at(2026, 3, 1), NOW)
    await anomalies.scan(a.organiser_id, at(2026, 3, 1), NOW)
    b_flag = (await anomalies.flags(await organiser_admin(b.organiser_id), anomalies.FlagQuery()))[0][0]

    await organiser_admin(a.organiser_id, "a-admin@test.example")
    await login(client, {"email": "a-admin@test.example", "password": "admin-salasana-2026"})
    app.state.clock = lambda: NOW
    leaks = [money_fi(x) for x in (*B_AMOUNTS, sum(B_AMOUNTS), sum(B_AMOUNTS) + 1000)] + ["Asiakas Berg", b_client.id]

    for url in (
        "/organiser/dashboard", "/organiser/dashboard?from=2026-01&to=2026-12",
        f"/organiser/dashboard?organiser={b.organiser_id}&organiser_id={b.organiser_id}",
        "/follow-up/caseload?all=1", "/follow-up/caseload.csv?all=1", "/organiser/anomalies?status=all",
        "/organiser/payouts",
        *(f"/organiser/dashboard/export/{f}?from=2026-01&to=2026-12&organiser_id={b.organiser_id}"
          for f in ("by_category", "by_group", "by_provider", "by_municipality", "over_time", "budget", "kinds",
                    "cost_effectiveness", "outcomes_category", "outcomes_provider")),
    ):
        response = await client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        for leak in leaks:
            assert leak not in response.text, (url, leak)
        for cents in B_AMOUNTS:
            assert f"{cents // 100}.{cents % 100:02d}" not in response.text, (url, cents)
    dashboard = (await client.get("/organiser/dashboard?from=2026-03&to=2026-03")).text
    assert money_fi(7500) in dashboard  # its own figures are there

    for url in (f"/follow-up/clients/{b_client.id}", f"/organiser/anomalies/{b_flag['id']}"):
        response = await client.get(url)
        assert response.status_code in (403, 404), url
        assert "Asiakas Berg" not in response.text
    response = await client.get("/follow-up/clients/not-a-uuid")
    assert response.status_code == 404


async def test_who_may_open_the_console(db, app, client):
    secret = db.settings.secret_key
    w = await world(secret)
    c = await add_client(w, secret, "Asiakas Oma", "families")
    app.state.clock = lambda: NOW
    # Signed out: every page sends to sign-in.
    for url in ("/organiser/dashboard", "/follow-up/caseload", "/organiser/anomalies", "/admin/raw/"):
        response = await client.get(url)
        assert response.status_code in (303, 401), url
    # A provider's staff member sees none of it.
    staff = await make_user("provider_staff", "staff@test.example", provider_id=w.provider_id)
    await login(client, staff)
    for url in ("/organiser/dashboard", "/follow-up/caseload", f"/follow-up/clients/{c.id}", "/organiser/anomalies",
                "/organiser/payouts", "/admin/raw/", "/admin/raw/api/tables/vc_client/"):
        response = await client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
    # A counsellor has the caseload and client pages, not the organiser's dashboard.
    counsellor = await make_user("counsellor", "ohjaaja2@test.example", organiser_id=w.organiser_id)
    await login(client, counsellor)
    assert (await client.get("/follow-up/caseload")).status_code == 200
    assert (await client.get(f"/follow-up/clients/{c.id}")).status_code == 200
    for url in ("/organiser/dashboard", "/organiser/anomalies", "/organiser/payouts", "/admin/raw/"):
        assert (await client.get(url)).status_code == 403, url
    # The client reads their own follow-up page, and nobody else's.
    other = await add_client(w, secret, "Asiakas Toinen", "families")
    own = await make_user("client", "asiakas-oma@test.example", client_id=c.id)
    await login(client, own)
    assert (await client.get(f"/follow-up/clients/{c.id}")).status_code == 200
    assert (await client.get(f"/follow-up/clients/{other.id}")).status_code == 403
    assert (await client.get("/follow-up/caseload")).status_code == 403
    assert dt.date(2026, 1, 1) <= NOW.date()
