"""Own share (docs/decisions/0033) over HTTP and through the import, on SQLite and PostgreSQL: the
county's rules page (add, change, errors beside their fields, audited; a counsellor only reads), the
import's ``client_fees`` (idempotent, all or nothing) and lines' ``fee_rule``, the decision API
naming an unknown rule, the split on the listing, the booking pages (the provider's "Peri
asiakkaalta"), search, and the totals as JSON and CSV."""

import copy
import datetime as dt

import msgspec
import pytest

from admin import payouts
from core.errors import Invalid
from core.tables import AuditEvent
from hb import wiring
from marketplace.booking import services as bookings
from tests import world
from tests.helpers import form_post
from tests.marketplace.booking_world import NOW, SLOT, build, request
from tests.marketplace.test_booking_pages import as_user, money
from voucher import budgets, own_share
from voucher.schemas import DecisionCreate, LineInput
from voucher.settlement import settle

PER_TRIP = {"code": "kuljetus", "name": {"fi": "Kuljetus omavastuu"}, "kind": "per_unit", "value": 310,
            "decision_ref": "Ytla 12.11.2026 § 85"}
AFTER = SLOT + dt.timedelta(minutes=50)


async def test_the_countys_admin_adds_and_changes_rules_and_a_counsellor_reads_them(db, app, client):
    w = await build(db.settings, client_fee=PER_TRIP)
    await as_user(client, w.organiser)
    page = await client.get("/organiser/client-fees")
    assert page.status_code == 200
    assert "Asiakasmaksujen säännöt" in page.text and "kuljetus" in page.text and "3,10\xa0€/yksikkö" in page.text
    saved = await form_post(client, "/organiser/client-fees", {
        "code": "paivatoiminta", "name_fi": "Päivätoiminta 10 %", "name_sv": "", "name_en": "", "kind": "percent",
        "value": "10", "cap": "50", "decision_ref": "§ 7"})
    assert (saved.status_code, saved.headers["location"]) == (303, "/organiser/client-fees?saved=1")
    rules = {r.code: r for r in await own_share.rules_of(w.organiser_id)}
    assert (rules["paivatoiminta"].kind, rules["paivatoiminta"].value, rules["paivatoiminta"].monthly_cap_cents) == (
        "percent", 1000, 5000)
    after = await client.get("/organiser/client-fees?saved=1")
    assert "Sääntö tallennettiin" in after.text and "10 %, enintään 50,00\xa0€/kk" in after.text
    # The same again changes nothing; a change of the same code is audited with both values.
    same = await form_post(client, "/organiser/client-fees", {
        "code": "paivatoiminta", "name_fi": "Päivätoiminta 10 %", "kind": "percent", "value": "10,0", "cap": "50,00",
        "decision_ref": "§ 7"})
    assert same.headers["location"] == "/organiser/client-fees?saved=0"
    await form_post(client, "/organiser/client-fees", {
        "code": "paivatoiminta", "name_fi": "Päivätoiminta 12 %", "kind": "percent", "value": "12", "cap": "",
        "decision_ref": "§ 8"})
    events = await AuditEvent.select().where(AuditEvent.subject_id == "paivatoiminta").order_by(AuditEvent.at).output(
        load_json=True).run()
    assert [e["action"] for e in events] == ["voucher.fee_rule.added", "voucher.fee_rule.changed"]
    assert events[1]["details"]["from"]["value"] == 1000 and events[1]["details"]["to"]["value"] == 1200

    bad = await form_post(client, "/organiser/client-fees", {
        "code": "Iso Koodi", "name_fi": "", "kind": "percent", "value": "150", "cap": "paljon"})
    assert bad.status_code == 400
    assert 'id="f-cap-error"' in bad.text and 'value="paljon"' in bad.text
    worse = await form_post(client, "/organiser/client-fees", {
        "code": "Iso Koodi", "name_fi": "", "kind": "percent", "value": "150", "cap": ""})
    assert worse.status_code == 400
    assert 'id="f-code-error"' in worse.text and 'id="f-value-error"' in worse.text and 'id="f-name_fi-error"' in worse.text
    assert "Prosentin pitää olla 0–100." in worse.text
    assert len(await own_share.rules_of(w.organiser_id)) == 2

    await as_user(client, w.counsellor)
    read = await client.get("/organiser/client-fees")
    assert read.status_code == 200 and "12 %" in read.text and 'action="/organiser/client-fees"' not in read.text
    assert (await form_post(client, "/organiser/client-fees", {"code": "x", "name_fi": "x", "kind": "none"})).status_code == 403


def _doc(fees: list[dict], line_rule: str | None) -> dict:
    line = world.line("transport", 50_000)
    if line_rule:
        line["fee_rule"] = line_rule
    return world.document(counties=[world.county("org-a", client_fees=fees)], categories=[world.category("transport")],
                          clients=[world.client("cli-1", "org-a", lines=[line], token=None)])


async def test_the_import_sets_rules_once_and_refuses_a_line_naming_an_unknown_one(db):
    doc = _doc([PER_TRIP], "kuljetus")
    first = await wiring.import_document(copy.deepcopy(doc), settings=db.settings, actor=world.ADMIN)
    again = await wiring.import_document(copy.deepcopy(doc), settings=db.settings, actor=world.ADMIN)
    assert again["summary"] == {"created": 0, "updated": 0, "decisions": 0}
    org = first["refs"]["org-a"]
    assert [r.code for r in await own_share.rules_of(org)] == ["kuljetus"]
    decision = (await budgets.decisions_for(first["refs"]["cli-1"]))[0]
    assert decision.lines[0].fee_rule == "kuljetus"
    # A file without client_fees leaves the rules; a line naming an unknown rule refuses the whole file.
    await wiring.import_document(copy.deepcopy(_doc([], "kuljetus")) | {"organisers": [world.county("org-a")]},
                                 settings=db.settings, actor=world.ADMIN)
    assert [r.code for r in await own_share.rules_of(org)] == ["kuljetus"]
    bad = _doc([dict(PER_TRIP, code="uusi", value=-1)], "tuntematon")
    with pytest.raises(Invalid) as refused:
        await wiring.import_document(copy.deepcopy(bad), settings=db.settings, actor=world.ADMIN)
    fields = sorted(e.field for e in refused.value.errors)
    assert fields == ["client_fees[0].value", "decision.lines[0].fee_rule"], fields
    assert [r.code for r in await own_share.rules_of(org)] == ["kuljetus"]


async def test_the_decision_api_names_an_unknown_rule(db):
    w = await build(db.settings, client_fee=PER_TRIP)
    data = DecisionCreate(start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30), lines=[
        LineInput(category="sport-riding", amount_cents=10_000, fee_rule="kuljetus"),
        LineInput(category="culture-art", amount_cents=10_000, fee_rule="ei-ole")])
    with pytest.raises(Invalid) as refused:
        await budgets.create_decision(w.counsellor, w.client_id, data)
    assert [e.field for e in refused.value.errors] == ["lines[1].fee_rule"]
    made = await budgets.create_decision(w.counsellor, w.client_id, DecisionCreate(
        start=data.start, end=data.end, lines=data.lines[:1]))
    assert made.lines[0].fee_rule == "kuljetus"


async def test_the_split_is_shown_to_the_client_and_the_provider_collects_the_clients_part(db, app, client):
    s = db.settings
    w = await build(s, client_fee=PER_TRIP)
    app.state.clock = lambda: NOW
    await as_user(client, w.client)
    listing = await client.get(f"/listings/{w.listing_id}?quantity=2")
    assert "Budjetti maksaa" in listing.text and money(15_000 - 620) in listing.text
    assert "Maksat itse" in listing.text and money(620) in listing.text and "Kuljetus omavastuu" in listing.text
    booking = await bookings.book(w.client, request(w, quantity=2), settings=s, now=NOW)
    mine = await client.get(f"/bookings/{booking.id}")
    assert "Maksat itse" in mine.text and money(620) in mine.text and "Peri asiakkaalta" not in mine.text
    found = await client.get("/search?q=ratsastusterapia")
    assert found.status_code == 200
    if "Sopii budjettiisi" in found.text or "budget-mark" in found.text:
        assert "Maksat itse" in found.text and money(310) in found.text

    await as_user(client, w.provider)
    theirs = await client.get(f"/bookings/{booking.id}")
    assert f"Peri asiakkaalta {money(620)}" in theirs.text and "Asiakas maksaa itse" in theirs.text
    listed = await client.get("/provider/bookings")
    assert f"Peri asiakkaalta {money(620)}" in listed.text


async def test_the_totals_as_json_and_csv_for_the_countys_admin_only(db, app, client):
    s = db.settings
    w = await build(s, client_fee=PER_TRIP)
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "deliver", settings=s, now=AFTER)
    await bookings.act(w.client, booking.id, "accept", settings=s, now=AFTER)
    await as_user(client, w.organiser)
    got = await client.get("/api/v1/organisers/own-share?start=2026-03-01&end=2026-03-31")
    assert got.status_code == 200
    assert got.json() == [{"category": "sport-riding", "client_group": "disability_services", "gross_cents": 7500,
                           "budget_cents": 7190, "client_cents": 310}]
    csv = await client.get("/api/v1/organisers/own-share?start=2026-03-01&end=2026-03-31&format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == ["category,client_group,gross_cents,budget_cents,client_cents",
                                     "sport-riding,disability_services,7500,7190,310"]
    assert (await client.get("/api/v1/organisers/own-share?start=2026-04-01&end=2026-04-30")).json() == []
    bad = await client.get("/api/v1/organisers/own-share?start=2026-04-31&end=2026-04-30")
    assert bad.status_code == 400 and "start" in bad.text
    # The console's budgets page shows the same totals, and its CSV carries them.
    page = await client.get("/organiser/budgets?from=2026-03&to=2026-03")
    section = page.text.split('id="h-own-share"')[1]
    assert all(money(c) in section for c in (7500, 7190, 310))
    sheet = await client.get("/organiser/budgets?from=2026-03&to=2026-03&format=csv&section=own_share")
    assert sheet.headers["content-type"].startswith("text/csv")
    rows = sheet.text.lstrip("\ufeff").splitlines()
    assert rows[0].startswith("Palvelu;Asiakasryhmä;") and rows[1].endswith(";75,00;71,90;3,10")
    assert rows[-1].startswith("Yhteensä;") and rows[-1].endswith(";75,00;71,90;3,10")
    await as_user(client, w.counsellor)
    assert (await client.get("/api/v1/organisers/own-share")).status_code == 403

    # The stable's remittance: paid the budget's part, the client's part named beside it.
    await settle(s, AFTER + dt.timedelta(days=2), confirmation=payouts.unconfirmed)
    await as_user(client, w.provider)
    paid = await client.get("/provider/settlements")
    assert money(7190) in paid.text and f"asiakkaalta itse perittävä {money(310)}" in paid.text


async def test_the_counsellor_names_a_lines_rule_on_the_decision_form(db, app, client):
    w = await build(db.settings, client_fee=PER_TRIP)
    await as_user(client, w.counsellor)
    form = await client.get(f"/counsellor/clients/{w.client_id}/decisions/new")
    assert form.status_code == 200
    assert 'id="f-fee_rule_0"' in form.text and '<option value="kuljetus">Kuljetus omavastuu</option>' in form.text
    body = {"start": "2027-01-01", "end": "2027-06-30", "rows": "2", "reason": "",
            "category_0": "sport-riding", "amount_0": "500", "fee_rule_0": "kuljetus",
            "category_1": "culture-art", "amount_1": "300", "fee_rule_1": "ei-ole"}
    bad = await form_post(client, f"/counsellor/clients/{w.client_id}/decisions", body)
    assert bad.status_code == 400 and 'id="f-fee_rule_1-error"' in bad.text
    body["fee_rule_1"] = ""
    saved = await form_post(client, f"/counsellor/clients/{w.client_id}/decisions", body)
    assert saved.status_code == 303, saved.text
    newest = max(await budgets.decisions_for(w.client_id), key=lambda d: d.start)
    assert [(line.category, line.fee_rule) for line in newest.lines] == [("sport-riding", "kuljetus"), ("culture-art", None)]


async def test_the_clients_budget_names_the_lines_rule(db, app, client):
    w = await build(db.settings, client_fee=PER_TRIP)
    app.state.clock = lambda: NOW
    read = await budgets.budget_for(w.client_id, NOW)
    riding = next(line for line in read.lines if line.category == "sport-riding")
    assert (riding.fee_rule, riding.fee_rule_name) == ("kuljetus", {"fi": "Kuljetus omavastuu"})
    other = next(line for line in read.lines if line.category == "culture-art")
    assert "fee_rule" not in msgspec.to_builtins(other)  # a line without a rule reads as before
    await as_user(client, w.client)
    home = await client.get("/budget")
    assert "Kuljetus omavastuu. Maksat tämän osan hinnasta itse" in home.text
