"""Issue 19 (3–5) over HTTP: the organiser's evaluation page, the comparison upload with its errors
per row, the minimum group size, the research export's download and its refusal; the time log and
the client page's time section for a counsellor; who may not. Both databases."""

import datetime as dt
import io
import zipfile

from core.tables import AuditEvent
from tests import world
from tests.helpers import csrf_token, form_post, login
from voucher.evaluation import consent
from voucher.schemas import LineInput
from voucher.tables import ComparisonMonth, TimeEntry

HEADER = "pseudonym;client_group;municipality;age_band;month;service_cost_cents;admin_minutes;who5_start;who5_end;satisfaction;gas_change"


async def _county():
    loaded = await world.load(world.document(counties=[world.county("org-a")], categories=[world.category("day-activities")]))
    organiser_id = loaded["refs"]["org-a"]
    admin = await world.make_user("organiser_admin", organiser_id=organiser_id)
    counsellor = await world.person("counsellor", organiser_id=organiser_id)
    return organiser_id, admin, counsellor


async def _upload(client, text: str):
    return await client.post("/organiser/evaluation/comparison", data={"_csrf_token": await csrf_token(client)},
                             files={"file": ("vertailu.csv", text.encode(), "text/csv")})


async def test_organiser_sees_the_comparison_uploads_and_downloads_the_export(app, client, db):
    organiser_id, admin, counsellor = await _county()
    for i in range(5):
        made = await world.voucher_client(counsellor.actor, db.settings.secret_key,
                                          [LineInput(category="day-activities", amount_cents=40_000)], name=f"Asiakas {i}",
                                          group="older_people", municipality="Tuusula")
        await consent.append(made.id, "given", recorded_as="counsellor", how="paper")
    await login(client, admin)

    bad = await _upload(client, HEADER + "\nV1;older_people;Tuusula;75-84;2026-1;100;0;;;;\n")
    assert bad.status_code == 400
    assert "<th scope=\"row\">2</th>" in bad.text and "2026-03" in bad.text and await ComparisonMonth.count().run() == 0
    rows = [HEADER] + [f"V{i};older_people;Tuusula;75-84;2026-0{m};{100000 + i};30;40;60;4;0,5"
                       for i in range(6) for m in (1, 2)]
    good = await _upload(client, "\n".join(rows) + "\n")
    assert good.status_code == 200 and "Tuonti valmis: 12 riviä" in good.text

    page = await client.get("/organiser/evaluation?from=2026-01&to=2026-06")
    assert page.status_code == 200
    assert "Kustannus asiakaskuukautta kohden" in page.text and 'id="table-cost"' in page.text
    # Six comparison clients at 1 000,00 € + i cents a month: shown with the number of clients.
    assert "1\u00a0000,03\u00a0€" in page.text or "1 000,03 €" in page.text

    swedish = await client.get("/organiser/evaluation?from=2026-01&to=2026-06&lang=sv")
    assert "Utvärdering: PB och sedvanliga tjänster" in swedish.text and "Kostnad per klientmånad" in swedish.text
    english = await client.get("/organiser/evaluation/report?from=2026-01&to=2026-06&lang=en")
    assert "Pilot report" in english.text and "Cost per client-month" in english.text

    report = await client.get("/organiser/evaluation/report?from=2026-01&to=2026-06&lang=fi")
    assert report.status_code == 200 and report.text.count("<svg") == 6 and "@media print" not in report.text

    download = await form_post(client, "/organiser/evaluation/export", {"format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert sorted(archive.namelist()) == ["admin_time.csv", "clients.csv", "decisions.csv", "manifest.json",
                                              "outcomes.csv", "spending.csv"]
        assert archive.read("clients.csv").decode().count("\n") == 6
    assert await AuditEvent.count().where(AuditEvent.action == "evaluation.export.made").run() == 1

    bad_size = await form_post(client, "/organiser/evaluation/settings", {"min_group_size": "0"})
    assert bad_size.status_code == 400 and 'aria-invalid="true"' in bad_size.text
    assert (await form_post(client, "/organiser/evaluation/settings", {"min_group_size": "3"})).status_code == 303

    # A sixth consenting client alone in Kerava and 85+: the export is refused, said on the page.
    lone = await world.voucher_client(counsellor.actor, db.settings.secret_key,
                                      [LineInput(category="day-activities", amount_cents=40_000)], name="Yksin",
                                      group="families", municipality="Kerava")
    await consent.append(lone.id, "given", recorded_as="counsellor", how="paper")
    refused = await form_post(client, "/organiser/evaluation/export", {"format": "parquet"})
    assert refused.status_code == 409 and "Aineistoa ei annettu" in refused.text


async def test_counsellor_logs_time_and_may_not_see_the_evaluation(app, client, db):
    organiser_id, _, counsellor = await _county()
    made = await world.voucher_client(counsellor.actor, db.settings.secret_key,
                                      [LineInput(category="day-activities", amount_cents=40_000)])
    await login(client, counsellor.login)
    assert (await client.get("/organiser/evaluation")).status_code == 403
    page = await client.get(f"/counsellor/clients/{made.id}")
    assert 'id="time-h"' in page.text and "Tallenna kirjaus" in page.text
    today = dt.date.today().isoformat()
    saved = await form_post(client, "/time-log", {"worked_on": today, "minutes": "25", "kind": "contact",
                                                  "client_id": made.id, "back": "client"})
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"/counsellor/clients/{made.id}?time=1")
    assert "yhteensä 25 min" in (await client.get(f"/counsellor/clients/{made.id}")).text
    invalid = await form_post(client, "/time-log", {"worked_on": today, "minutes": "0", "kind": "contact"})
    assert invalid.status_code == 400 and "Anna arvo väliltä 1–600" in invalid.text
    for n in range(22):
        await form_post(client, "/time-log", {"worked_on": today, "minutes": str(n + 1), "kind": "meeting"})
    listing = await client.get("/time-log?kind=meeting")
    assert listing.status_code == 200 and "Yhteensä 253 min (22 kirjausta)" in listing.text and 'rel="next"' in listing.text
    assert await TimeEntry.count().run() == 23
    band = await form_post(client, f"/counsellor/clients/{made.id}/age-band", {"age_band": "25-34"})
    assert band.status_code == 303
    assert '<option value="25-34" selected>' in (await client.get(f"/counsellor/clients/{made.id}")).text
