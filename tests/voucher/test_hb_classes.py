"""HB classes and tariffs (issue 17, decision 0032): a line computed from a class, a tariff and a
period is what a counsellor gets by hand; an override needs its reason (API and page); a new tariff
never moves a decision already made; the import carries classes and tariffs, idempotently."""

import copy
import datetime as dt

import pytest

import core.messages  # noqa: F401 - validation texts
from core.errors import Invalid
from hb import wiring
from tests import world
from tests.helpers import form_post, login
from voucher import budgets, hb_classes, tariffs
from voucher.schemas import DecisionCreate, DecisionUpdate, LineInput
from voucher.tables import BudgetLine

CARER, DAY, TRANSPORT = "carer-respite", "day-activities", "transport"


def _class(category: str, code: str, units: int, unit: str) -> tariffs.HbClass:
    return tariffs.HbClass(category=category, code=code, units_per_month=units, unit=unit)


def _tariff(category: str, code: str, valid_from: str, cents: int) -> tariffs.Tariff:
    return tariffs.Tariff(category=category, class_code=code, valid_from=dt.date.fromisoformat(valid_from),
                          cents_per_unit=cents)


TARIFFS = [
    _tariff(CARER, "2", "2026-01-01", 9_500),  # carer's leave, class 2: 95,00 € a day
    _tariff(DAY, "", "2026-01-01", 4_250),  # day activities, the whole service: 42,50 € a day
    _tariff(TRANSPORT, "3", "2026-01-01", 1_835),  # transport, class 3: 18,35 € a trip …
    _tariff(TRANSPORT, "3", "2027-03-01", 1_910),  # … and 19,10 € from 1 March 2027
]


# --- The rule, by hand ----------------------------------------------------------------------------


def test_three_services_give_what_a_hand_calculation_gives():
    # 1. Carer's leave, class 2 = 3 days a month × 95,00 €, the whole of 2027 (12 full months):
    #    3 × 95,00 € = 285,00 € a month; × 12 months = 3 420,00 €.
    carer = tariffs.compute(_class(CARER, "2", 3, "day"), TARIFFS, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert carer.cents == 3 * 9_500 * 12 == 342_000
    assert all(m.cents == 28_500 for m in carer.months) and len(carer.months) == 12

    # 2. Day activities, class 1 = 8 days a month, no tariff of its own: the service's 42,50 €.
    #    15 January – 30 April 2027: January counts 17 of its 31 days (15th…31st).
    #    January: 8 × 42,50 € = 340,00 € × 17/31 = 186,4516… € → 186,45 € (half up to the cent)
    #    February, March, April: 340,00 € each = 1 020,00 €
    #    Together 186,45 + 1 020,00 = 1 206,45 €.
    day = tariffs.compute(_class(DAY, "1", 8, "day"), TARIFFS, dt.date(2027, 1, 15), dt.date(2027, 4, 30))
    assert [m.cents for m in day.months] == [18_645, 34_000, 34_000, 34_000]
    assert day.cents == 18_645 + 3 * 34_000 == 120_645

    # 3. Transport, class 3 = 10 trips a month; the tariff is 18,35 € until February and 19,10 €
    #    from 1 March 2027. 1 February – 20 March 2027:
    #    February (whole): 10 × 18,35 € = 183,50 €
    #    March, 20 of 31 days, at March's tariff: 10 × 19,10 € = 191,00 € × 20/31 = 123,2258… € → 123,23 €
    #    Together 183,50 + 123,23 = 306,73 €.
    trips = tariffs.compute(_class(TRANSPORT, "3", 10, "trip"), TARIFFS, dt.date(2027, 2, 1), dt.date(2027, 3, 20))
    assert [(m.cents_per_unit, m.days, m.days_in_month, m.cents) for m in trips.months] == [
        (1_835, 28, 28, 18_350), (1_910, 20, 31, 12_323)]
    assert trips.cents == 30_673

    # The first month takes the tariff in force on the period's start, not on the month's 1st.
    late = tariffs.compute(_class(TRANSPORT, "3", 10, "trip"), TARIFFS, dt.date(2027, 3, 5), dt.date(2027, 3, 5))
    assert late.months[0].cents_per_unit == 1_910 and late.cents == tariffs.round_half_up_div(10 * 1_910, 31) == 616


def test_rounding_is_half_up_per_month_and_a_class_without_a_tariff_is_named():
    assert tariffs.round_half_up_div(1, 2) == 1 and tariffs.round_half_up_div(3, 2) == 2
    assert tariffs.round_half_up_div(149, 100) == 1 and tariffs.round_half_up_div(150, 100) == 2
    missing = tariffs.compute(_class(CARER, "1", 1, "day"), TARIFFS[:1], dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    assert missing == tariffs.NoTariff(category=CARER, class_code="1", on=dt.date(2025, 12, 1))


def test_a_new_tariff_may_not_be_backdated():
    today = dt.date(2026, 12, 8)
    assert tariffs.tariff_error(9_500, dt.date(2025, 1, 1), [], today) is None  # a class's first tariff
    assert tariffs.tariff_error(9_900, dt.date(2026, 12, 1), [dt.date(2025, 1, 1)], today) == "hb_tariff_backdated"
    assert tariffs.tariff_error(9_900, dt.date(2027, 1, 1), [dt.date(2025, 1, 1)], today) is None
    assert tariffs.tariff_error(9_900, dt.date(2025, 1, 1), [dt.date(2025, 1, 1)], today) == "hb_tariff_exists"
    assert tariffs.tariff_error(0, dt.date(2027, 1, 1), [], today) == "hb_tariff_range"


# --- With the database ----------------------------------------------------------------------------

HB_CLASSES = [
    {"category": CARER, "code": "2", "names": {"fi": "Luokka 2", "sv": "Klass 2", "en": "Class 2"},
     "criteria": "Omaishoitaja tarvitsee säännöllisesti vapaata.", "units_per_month": 3, "unit": "day",
     "tariffs": [{"valid_from": "2026-01-01", "cents_per_unit": 9_500}]},
    {"category": DAY, "code": "1", "names": {"fi": "Luokka 1"}, "units_per_month": 8, "unit": "day"},
    {"category": TRANSPORT, "code": "3", "names": {"fi": "Luokka 3"}, "units_per_month": 10, "unit": "trip",
     "tariffs": [{"valid_from": "2026-01-01", "cents_per_unit": 1_835}]},
]
SERVICE_TARIFFS = [{"category": DAY, "valid_from": "2026-01-01", "cents_per_unit": 4_250}]


def _doc(**org_fields) -> dict:
    return world.document(counties=[world.county("org-a", **org_fields)],
                          categories=[world.category(c) for c in (CARER, DAY, TRANSPORT)])


async def _county(db) -> tuple[dict, world.Person]:
    refs = (await wiring.import_document(_doc(hb_classes=HB_CLASSES, hb_service_tariffs=SERVICE_TARIFFS),
                                         settings=db.settings, actor=world.ADMIN))["refs"]
    counsellor = await world.person("counsellor", organiser_id=refs["org-a"])
    return refs, counsellor


async def test_the_import_brings_classes_and_tariffs_once_and_refuses_rewriting_a_tariff(db):
    refs, _ = await _county(db)
    classes = await hb_classes.classes_of(refs["org-a"])
    assert [(c.category, c.code, c.units_per_month, c.unit) for c in classes] == [
        (CARER, "2", 3, "day"), (DAY, "1", 8, "day"), (TRANSPORT, "3", 10, "trip")]
    assert classes[0].tariffs[0].cents_per_unit == 9_500 and classes[0].names["sv"] == "Klass 2"
    again = await wiring.import_document(_doc(hb_classes=HB_CLASSES, hb_service_tariffs=SERVICE_TARIFFS),
                                         settings=db.settings, actor=world.ADMIN)
    assert again["summary"]["updated"] == 0
    # Without the fields the classes stay; a tariff's price for a date it has is never rewritten.
    await wiring.import_document(_doc(), settings=db.settings, actor=world.ADMIN)
    assert len(await hb_classes.classes_of(refs["org-a"])) == 3
    changed = copy.deepcopy(HB_CLASSES)
    changed[0]["tariffs"][0]["cents_per_unit"] = 9_900
    with pytest.raises(Invalid) as refused:
        await wiring.import_document(_doc(hb_classes=changed), settings=db.settings, actor=world.ADMIN)
    [error] = refused.value.errors
    assert (error.ref, error.field) == ("org-a", "hb_classes[0].tariffs[0].valid_from")
    assert "Tälle päivälle on jo hinta" in error.localised("fi").message
    bad = copy.deepcopy(HB_CLASSES)
    bad[1]["unit"] = "litre"
    with pytest.raises(Invalid) as refused:
        await wiring.import_document(_doc(hb_classes=bad), settings=db.settings, actor=world.ADMIN)
    assert [(e.ref, e.field) for e in refused.value.errors] == [("org-a", "hb_classes[1].unit")]


async def _client_with_classes(db, counsellor) -> str:
    made = await budgets.create_client(counsellor.actor, budgets.ClientCreate(
        display_name="Asiakas 0042", client_group="family_carers"), db.settings.secret_key)
    for category, code in ((CARER, "2"), (DAY, "1"), (TRANSPORT, "3")):
        await hb_classes.set_client_class(counsellor.actor, made.id, hb_classes.ClientClassInput(
            category=category, class_code=code, valid_from=dt.date(2026, 1, 1), reason="Palvelutarpeen arvio 12/2026"))
    return made.id


async def test_a_new_tariff_never_moves_a_decision_and_counts_only_from_its_date(db):
    refs, counsellor = await _county(db)
    client_id = await _client_with_classes(db, counsellor)
    start, end = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    proposal = await hb_classes.proposal(counsellor.actor, client_id, start, end)
    carer = next(l for l in proposal.lines if l.category == CARER)
    assert carer.computed_cents == 342_000 and carer.computation == "3 pv/kk × 95,00\xa0€ × 12 kk = 3\xa0420,00\xa0€"
    lines = [LineInput(category=l.category, amount_cents=l.computed_cents, hb_class=l.hb_class) for l in proposal.lines]
    decision = await budgets.create_decision(counsellor.actor, client_id, DecisionCreate(
        start=start, end=end, lines=lines, reason="HB-päätös"))
    assert {l.category: l.computed_cents for l in decision.lines}[CARER] == 342_000

    # The county raises carer's leave to 99,00 € a day from 1 July 2027.
    admin = (await world.person("organiser_admin", organiser_id=refs["org-a"], password=None)).actor
    from core.db import in_write_transaction
    await in_write_transaction(lambda: hb_classes.add_tariff(
        admin, refs["org-a"], hb_classes.TariffInput(category=CARER, class_code="2", valid_from=dt.date(2027, 7, 1),
                                                     cents_per_unit=9_900),
        today=dt.date(2026, 12, 8), known_categories={CARER, DAY, TRANSPORT}))

    # The decision made before stays as it was, also through a change that keeps its lines.
    changed = await budgets.update_decision(counsellor.actor, decision.id, DecisionUpdate(
        reason="Korjattu perustelu", lines=lines))
    assert {l.category: (l.amount_cents, l.computed_cents) for l in changed.lines}[CARER] == (342_000, 342_000)
    # A decision computed afterwards: January–June at 95,00 €, July–December at 99,00 €.
    #   3 × 95,00 € × 6 = 1 710,00 € ; 3 × 99,00 € × 6 = 1 782,00 € ; together 3 492,00 €.
    after = await hb_classes.proposal(counsellor.actor, client_id, start, end)
    assert next(l for l in after.lines if l.category == CARER).computed_cents == 3 * 9_500 * 6 + 3 * 9_900 * 6 == 349_200
    # Months before the new tariff's date are computed as before.
    spring = await hb_classes.proposal(counsellor.actor, client_id, start, dt.date(2027, 6, 30))
    assert next(l for l in spring.lines if l.category == CARER).computed_cents == 3 * 9_500 * 6


async def test_an_override_without_a_reason_is_refused_by_the_api_and_the_page(app, client, db):
    refs, _ = await _county(db)
    counsellor = await world.person("counsellor", organiser_id=refs["org-a"])
    client_id = await _client_with_classes(db, counsellor)
    await login(client, counsellor.login)
    proposal = await client.get(f"/api/v1/clients/{client_id}/decision-proposal?start=2027-01-01&end=2027-12-31")
    assert proposal.status_code == 200, proposal.text
    body = proposal.json()
    carer = next(l for l in body["lines"] if l["category"] == CARER)
    assert carer["computed_cents"] == 342_000 and len(carer["months"]) == 12
    lines = [{"category": l["category"], "amount_cents": l["computed_cents"], "hb_class": l["hb_class"]}
             for l in body["lines"]]
    lines[0]["amount_cents"] += 10_000  # the counsellor grants 100 € more …
    token = client.cookies["hb_csrf"]
    refused = await client.post(f"/api/v1/clients/{client_id}/decisions", headers={"x-csrf-token": token},
                                json={"start": "2027-01-01", "end": "2027-12-31", "lines": lines})
    assert refused.status_code == 400, refused.text
    assert refused.json()["field"] == "lines[0].override_reason"
    assert "poikkeamisen peruste" in refused.json()["errors"][0]["message"]
    lines[0]["override_reason"] = "Kaksi lasta hoidettavana: tarve suurempi kuin luokassa."  # … with its reason
    made = await client.post(f"/api/v1/clients/{client_id}/decisions", headers={"x-csrf-token": token},
                             json={"start": "2027-01-01", "end": "2027-12-31", "lines": lines})
    assert made.status_code == 201, made.text
    line = made.json()["lines"][0]
    assert (line["amount_cents"] - line["computed_cents"], line["override_reason"][:10]) == (10_000, "Kaksi last")
    # A change of the decision is held to the same rule.
    lines[1]["amount_cents"] -= 500
    patched = await client.patch(f"/api/v1/decisions/{made.json()['id']}", headers={"x-csrf-token": token},
                                 json={"reason": "Tarkistus", "lines": lines})
    assert (patched.status_code, patched.json()["field"]) == (400, "lines[1].override_reason")

    # The page: "Laske luokista" fills the lines and shows each computation …
    computed = await form_post(client, f"/counsellor/clients/{client_id}/decisions",
                               {"start": "2027-01-01", "end": "2027-12-31", "rows": "0", "action": "compute"})
    assert computed.status_code == 200, computed.text
    assert "3 pv/kk × 95,00\xa0€ × 12 kk = 3\xa0420,00\xa0€" in computed.text
    # … and a changed amount without a reason is shown beside its field, nothing saved.
    rows = {"start": "2028-01-01", "end": "2028-12-31", "rows": "1", "category_0": CARER, "hb_class_0": "2",
            "amount_0": "3500,00"}
    before = await BudgetLine.count().run()
    page = await form_post(client, f"/counsellor/clients/{client_id}/decisions", rows)
    assert page.status_code == 400
    assert 'id="f-override_reason_0-error"' in page.text and "poikkeamisen peruste" in page.text
    assert await BudgetLine.count().run() == before
    saved = await form_post(client, f"/counsellor/clients/{client_id}/decisions",
                            {**rows, "override_reason_0": "Lisävapaat sairaalajakson jälkeen"})
    assert saved.status_code == 303, saved.text


async def test_the_countys_admin_adds_a_class_and_a_tariff_on_the_page_and_a_counsellor_gives_it(app, client, db):
    refs, _ = await _county(db)
    admin = await world.make_user("organiser_admin", organiser_id=refs["org-a"])
    await login(client, admin)
    page = await client.get("/organiser/hb-classes")
    assert page.status_code == 200 and "Omaishoitaja tarvitsee säännöllisesti vapaata." in page.text
    saved = await form_post(client, "/organiser/hb-classes", {
        "category": CARER, "code": "3", "name_fi": "Luokka 3", "criteria": "Raskas, ympärivuorokautinen hoito",
        "units_per_month": "4", "unit": "day"})
    assert (saved.status_code, saved.headers["location"]) == (303, "/organiser/hb-classes?saved=1")
    # A wrong unit count is shown beside its field, in Finnish; nothing is saved.
    bad = await form_post(client, "/organiser/hb-classes", {"category": CARER, "code": "4", "name_fi": "Luokka 4",
                                                            "units_per_month": "0", "unit": "day"})
    assert bad.status_code == 400 and 'id="f-units_per_month-error"' in bad.text and "1–10 000" in bad.text
    # A new price for class 2, backdated before today, is refused; from a coming date it is added.
    backdated = await form_post(client, "/organiser/hb-classes/tariffs",
                                {"t_class": f"{CARER}:2", "t_price": "99,00", "t_valid_from": "2026-02-01"})
    assert backdated.status_code == 400 and 'id="f-t_valid_from-error"' in backdated.text
    assert "taannehtivasti" in backdated.text
    added = await form_post(client, "/organiser/hb-classes/tariffs",
                            {"t_class": f"{CARER}:2", "t_price": "99,00", "t_valid_from": "2099-01-01"})
    assert added.status_code == 303
    after = await client.get("/organiser/hb-classes")
    assert "99,00\xa0€ alkaen 1.1.2099" in after.text and "HB-hinta lisätty" in after.text
    carer_2 = next(c for c in await hb_classes.classes_of(refs["org-a"]) if (c.category, c.code) == (CARER, "2"))
    assert [t.cents_per_unit for t in carer_2.tariffs] == [9_500, 9_900]

    # The county's counsellor gives a client class 3 on the client's page, with the date and reason.
    counsellor = await world.person("counsellor", organiser_id=refs["org-a"])
    made = await budgets.create_client(counsellor.actor, budgets.ClientCreate(
        display_name="Asiakas 0050", client_group="family_carers"), db.settings.secret_key)
    await login(client, counsellor.login)
    no_reason = await form_post(client, f"/counsellor/clients/{made.id}/classes",
                                {"hb_class": f"{CARER}:3", "valid_from": "2027-01-01", "hb_reason": ""})
    assert no_reason.status_code == 400 and 'id="f-hb_reason-error"' in no_reason.text
    given = await form_post(client, f"/counsellor/clients/{made.id}/classes",
                            {"hb_class": f"{CARER}:3", "valid_from": "2027-01-01", "hb_reason": "Arvio 1/2027"})
    assert given.status_code == 303
    shown = await client.get(f"/counsellor/clients/{made.id}")
    assert "Arvio 1/2027" in shown.text and "Luokka 3" in shown.text
    # The section says which class is in force on the app's own day: none before the date, class 3 from it.
    for day, in_force in ((dt.date(2026, 12, 31), False), (dt.date(2027, 1, 1), True)):
        app.state.clock = lambda day=day: dt.datetime.combine(day, dt.time(10), dt.timezone.utc)
        shown = await client.get(f"/counsellor/clients/{made.id}")
        assert ("Asiakkaalle ei ole asetettu HB-luokkia." not in shown.text) is in_force, day
