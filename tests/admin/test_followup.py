"""The counsellor's follow-up: pace and forecast rules (pure), the words they become, and the caseload
and client pages with their charts, tables, CSV and access log."""

import csv
import datetime as dt
import io

import msgspec

from admin import domain, figures, followup, rollup
from admin.rows import as_date
from core.tables import AuditEvent
from tests.admin.builders import add_client, add_goal, at, pay
from tests.admin.builders import world as make_world
from tests.helpers import login
from tests.world import make_user
from voucher import budgets, pace
from voucher.schemas import LineInput

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def line(granted: int, spent: int, held: int = 0, start: dt.date = YEAR[0], end: dt.date = YEAR[1]) -> pace.LineFigures:
    return pace.LineFigures(granted_cents=granted, held_cents=held, spent_cents=spent, start=start, end=end)


def test_the_pace_so_far_says_when_the_money_runs_out():
    # 90 days in (1 Jan – 31 Mar), 900 € of 1 650 € used: 10 € a day, 750 € left → 75 more days.
    f = pace.forecast(line(165000, 80000, held=10000), dt.date(2026, 3, 31))
    assert (f.elapsed_days, f.remaining_days, f.daily_rate_cents, f.available_cents) == (90, 275, 1000, 75000)
    assert f.runs_out_on == dt.date(2026, 6, 14) and f.alerts == ("runs_out",)
    assert f.forecast_used_cents == 165000 and f.forecast_unused_cents == 0
    sentence, alerts = followup.describe("transport", "Kuljetuspalvelut", f, line(165000, 80000, 10000),
                                         dt.date(2026, 3, 31), "fi")
    assert sentence == "Tällä tahdilla kuljetuspalveluiden raha loppuu 14.6."
    assert alerts == [sentence]
    sv, _ = followup.describe("transport", "Färdtjänst", f, line(165000, 80000, 10000), dt.date(2026, 3, 31), "sv")
    en, _ = followup.describe("transport", "Transport", f, line(165000, 80000, 10000), dt.date(2026, 3, 31), "en")
    assert sv == "I den här takten tar pengarna för färdtjänsten slut 14 juni."
    assert en == "At this pace the money for transport services runs out on 14 June."


def test_slow_and_unused_lines_are_alerts_and_a_steady_one_is_not():
    today = dt.date(2026, 4, 30)  # 120 days in
    steady = pace.forecast(line(365000, 120000), today)
    assert steady.alerts == () and steady.runs_out_on is None and steady.forecast_unused_cents == 0
    unused = pace.forecast(line(100000, 0), today)
    assert unused.alerts == ("unused",) and unused.forecast_unused_cents == 100000
    slow = pace.forecast(line(365000, 20000), today)
    assert slow.alerts == ("underused",)
    assert slow.forecast_used_cents == 20000 + domain.round_half_up(20000 / 120 * 245)
    # Too early to call a line unused; nothing elapsed before the start; nothing remains after the end.
    assert pace.forecast(line(100000, 0), dt.date(2026, 1, 20)).alerts == ()
    before = pace.forecast(line(100000, 0, start=dt.date(2026, 6, 1)), dt.date(2026, 5, 1))
    assert (before.elapsed_days, before.alerts, before.forecast_unused_cents) == (0, (), 100000)
    after = pace.forecast(line(100000, 30000), dt.date(2027, 2, 1))
    assert (after.remaining_days, after.alerts, after.forecast_unused_cents) == (0, (), 70000)
    empty = pace.forecast(line(100000, 100000), today)
    assert empty.runs_out_on == today and empty.alerts == ("runs_out",)


def test_burn_down_nps_gas_and_periods():
    start = dt.date(2026, 3, 1)
    points = domain.burn_down(10000, start, dt.date(2026, 3, 31),
                              [(dt.date(2026, 3, 2), 3000), (dt.date(2026, 3, 4), 2000), (dt.date(2026, 3, 4), -500)],
                              dt.date(2026, 3, 5))
    assert points == [(dt.date(2026, 3, 1), 10000), (dt.date(2026, 3, 2), 7000), (dt.date(2026, 3, 3), 7000),
                      (dt.date(2026, 3, 4), 5500), (dt.date(2026, 3, 5), 5500)]
    thinned = domain.thin(list(range(100)), 5)
    assert len(thinned) == 5 and thinned[0] == 0 and thinned[-1] == 99
    assert domain.nps([10, 9, 8, 7, 6, 0]).score == 0
    assert domain.nps([10, 10, 9, 3]).score == 50
    assert domain.nps([]).score is None
    t = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert domain.gas_change_x100({"a": [(t, -2), (t + dt.timedelta(days=90), 1)], "b": [(t, 0)],
                                   "c": [(t + dt.timedelta(days=9), 1), (t, -1)]}) == (250, 2)
    assert domain.gas_change_x100({"a": [(t, 0)]}) is None
    period = domain.period_from("2026-05", "2026-02", dt.date(2026, 7, 1))
    assert (period.first, period.last, len(period.months)) == (dt.date(2026, 2, 1), dt.date(2026, 5, 1), 4)
    assert domain.period_from(None, "junk", dt.date(2026, 7, 9)) == domain.Period(first=dt.date(2026, 1, 1),
                                                                                  last=dt.date(2026, 7, 1))
    assert period.start_utc == dt.datetime(2026, 1, 31, 22, tzinfo=dt.timezone.utc)  # midnight in Helsinki
    windows = rollup.month_windows(dt.datetime(2026, 1, 20, tzinfo=dt.timezone.utc),
                                   dt.datetime(2026, 3, 5, tzinfo=dt.timezone.utc))
    assert [w[0] for w in windows] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert windows[0][2] == windows[1][1] and windows[1][2] == windows[2][1]
    assert figures.plain("money", -12345) == "-123.45" and figures.plain("money", 5) == "0.05"
    assert figures.plain("text", "=HYPERLINK()") == "'=HYPERLINK()"
    assert figures.shown("permille", 456, "fi") == "45,6 %" and figures.shown("gas", 150, "en") == "+1.50"


async def test_caseload_and_client_pages(db, app, client):
    secret = db.settings.secret_key
    w = await make_world(secret)
    lines = [LineInput(category="transport", amount_cents=165000), LineInput(category="day-activities", amount_cents=100000)]
    quick = await add_client(w, secret, "Asiakas Nopea", "disability_services", lines=lines)
    idle = await add_client(w, secret, "Asiakas Levossa", "older_people", lines=lines[1:])
    from core import identity
    from core.identity import Actor
    from marketplace.tables import ServiceCategory
    from tests.voucher.vhelpers import add_listing, add_provider

    taxi_id = await add_provider(w.organiser_id, "Taksi Tuulia", "7654321-0", "approved", ["transport"])
    taxi_listing = await add_listing(w.organiser_id, taxi_id, "transport", "approved", price=90000)
    key_id, _ = await identity.create_api_key(provider_id=taxi_id, label="taxi")
    taxi = Actor(role="provider_staff", provider_id=taxi_id, api_key_id=key_id, display_name="taxi")
    await ServiceCategory.update({ServiceCategory.name_fi: "Kuljetuspalvelut"}).where(ServiceCategory.code == "transport").run()
    await pay(db.settings, taxi, quick.token, 50000, at(2026, 1, 20), listing=taxi_listing)
    await pay(db.settings, taxi, quick.token, 40000, at(2026, 3, 2), listing=taxi_listing)
    await add_goal(w, quick.id, "Käyn itse kaupassa", [(at(2026, 1, 5), -1), (at(2026, 3, 15), 1)])

    app.state.clock = lambda: at(2026, 3, 31, 12)
    counsellor = await make_user("counsellor", "seuranta@test.example", organiser_id=w.organiser_id)
    from voucher.tables import Client

    await Client.update({Client.counsellor_id: counsellor["id"]}).where(Client.id.is_in([quick.id, idle.id])).run()
    await login(client, counsellor)

    page = await client.get("/follow-up/caseload")
    assert page.status_code == 200
    text = page.text
    assert "Asiakas Nopea" in text and "Asiakas Levossa" in text
    assert "Tällä tahdilla kuljetuspalveluiden raha loppuu 14.6." in text
    assert "Päiväaikaisen toiminnan rahaa ei ole käytetty lainkaan, vaikka kautta on kulunut 90 päivää." in text
    only_alerts = await client.get("/follow-up/caseload?alerts=1&group=older_people")
    assert "Asiakas Levossa" in only_alerts.text and "Asiakas Nopea" not in only_alerts.text
    searched = await client.get("/follow-up/caseload?q=nope")
    assert "Asiakas Nopea" in searched.text and "Asiakas Levossa" not in searched.text
    paged = await client.get("/follow-up/caseload?per_page=1&page=2")
    assert paged.status_code == 200 and 'rel="prev"' in paged.text
    assert ("Asiakas Nopea" in paged.text) != ("Asiakas Levossa" in paged.text)

    exported = await client.get("/follow-up/caseload.csv?format=data")
    assert not exported.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    transport = next(r for r in rows if r["Asiakas"] == "Asiakas Nopea" and r["Palveluluokka"] == "Kuljetuspalvelut")
    assert (transport["Myönnetty"], transport["Käytetty"], transport["Käytettävissä"]) == ("1650.00", "900.00", "750.00")
    assert transport["Raha loppuu tällä tahdilla"] == "2026-06-14"
    # What the page links to first opens in Finnish Excel: BOM, semicolons, decimal commas.
    excel = await client.get("/follow-up/caseload.csv")
    assert excel.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(excel.text.lstrip("\ufeff")), delimiter=";"))
    transport = next(r for r in rows if r["Asiakas"] == "Asiakas Nopea" and r["Palveluluokka"] == "Kuljetuspalvelut")
    assert (transport["Myönnetty"], transport["Käytetty"], transport["Käytettävissä"]) == ("1650,00", "900,00", "750,00")

    before = await AuditEvent.count().where(AuditEvent.action == "client_data.read").run()
    detail = await client.get(f"/follow-up/clients/{quick.id}")
    assert detail.status_code == 200
    body = detail.text
    assert body.count('<svg class="chart" role="img"') == 2  # one burn-down per line
    assert "<desc id=" in body and "Rahaa jäljellä: Kuljetuspalvelut" in body  # the chart's data table
    assert "Käyn itse kaupassa" in body and "muutos +2" in body
    assert "Taksi Tuulia" in body and "500,00" in body  # recent payments
    assert await AuditEvent.count().where(AuditEvent.action == "client_data.read").run() == before + 1
    reads = await AuditEvent.select(AuditEvent.subject_id, AuditEvent.purpose).where(
        AuditEvent.action == "client_data.read").run()
    assert {r["subject_id"] for r in reads if r["purpose"] == "follow_up.caseload"} >= {quick.id, idle.id}
    swedish = await client.get(f"/follow-up/clients/{quick.id}?lang=sv")
    assert "I den här takten tar pengarna för färdtjänsten slut 14 juni." in swedish.text
    assert 'class="alerts"' in body  # the counsellor sees the warnings

    # The client reads the same figures about themself, without the counsellor's warnings.
    own = await make_user("client", "nopea@test.example", client_id=quick.id, organiser_id=w.organiser_id)
    await login(client, own)
    mine = await client.get(f"/follow-up/clients/{quick.id}?lang=fi")
    assert mine.status_code == 200 and "Tässä näet, miten budjettia on käytetty" in mine.text
    assert 'class="alerts"' not in mine.text and "Rahaa jäljellä: Kuljetuspalvelut" in mine.text


async def test_the_county_forecast_in_sql_is_the_sum_of_each_lines_forecast(db):
    """voucher.pace.totals (SQL) says what voucher.pace.forecast says line by line."""
    secret = db.settings.secret_key
    w = await make_world(secret)
    today = dt.date(2026, 5, 15)
    now = at(2026, 5, 15, 9)
    periods = [(dt.date(2026, 1, 1), dt.date(2026, 12, 31)), (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
               (dt.date(2025, 6, 1), dt.date(2026, 5, 31)), (dt.date(2026, 5, 15), dt.date(2026, 11, 14))]
    clients = [w.client_id]
    for i, (start, end) in enumerate(periods * 2):
        c = await add_client(w, secret, f"Asiakas {i}", "families", start=start, end=end, lines=[
            LineInput(category="day-activities", amount_cents=200000 + 3333 * i, may_fund=["sport-riding"]),
            LineInput(category="transport", amount_cents=50000)])
        clients.append(c.id)
        for k in range(i % 4):
            when = max(at(start.year, start.month, start.day, 8), at(2026, 1, 2)) + dt.timedelta(days=3 * k)
            if when < now:
                await pay(db.settings, w.provider, c.token, 7300 + 111 * i, when, capture=None if k % 2 == 0 else 0)
        if i % 3 == 0 and start <= today:  # a hold still live today
            await pay(db.settings, w.provider, c.token, 190000 if i == 0 else 4000, now - dt.timedelta(hours=1), capture=0)
    expected = {"lines": 0, "clients": 0, "granted_cents": 0, "held_cents": 0, "spent_cents": 0, "available_cents": 0,
                "forecast_used_cents": 0, "forecast_unused_cents": 0, "runs_out": 0, "unused": 0, "underused": 0}
    for client_id in clients:
        decision, lines = await budgets.current_lines(client_id, now)
        expected["clients"] += 1 if decision else 0
        for state in lines:
            f = pace.forecast(pace.LineFigures(granted_cents=state.granted_cents, held_cents=state.effective_held_cents,
                                               spent_cents=state.spent_cents, start=as_date(decision["d_start"]),
                                               end=as_date(decision["d_end"])), today)
            expected["lines"] += 1
            expected["granted_cents"] += state.granted_cents
            expected["held_cents"] += state.effective_held_cents
            expected["spent_cents"] += state.spent_cents
            expected["available_cents"] += f.available_cents
            expected["forecast_used_cents"] += f.forecast_used_cents
            expected["forecast_unused_cents"] += f.forecast_unused_cents
            for alert in f.alerts:
                expected[alert] += 1
    got = await pace.totals(w.organiser_id, now, today)
    assert msgspec.structs.asdict(got) == expected
    assert expected["lines"] >= 10 and expected["held_cents"] > 0
    assert expected["unused"] and expected["runs_out"] and expected["underused"]
