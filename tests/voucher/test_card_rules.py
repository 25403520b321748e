"""A county's card rules (issue 16) on SQLite and PostgreSQL: set by the import's ``organisers[]``
(idempotent, all or nothing, each bad value a field error in Finnish first, only the county's own by
its admin) and by the county admin's page ``/organiser/card-rules`` (euros and per cent, audited
with the previous and new values, the admin's own county only; a counsellor reads it)."""

import copy

import pytest

import core.messages  # noqa: F401 - the texts of validation errors, as `hb import` prints them
from core.errors import Forbidden, Invalid
from core.identity import Actor
from core.tables import AuditEvent
from hb import wiring
from marketplace import importer
from marketplace.tables import Provider
from tests import world
from tests.helpers import form_post, login
from voucher import card_rules
from voucher.domain import CardRules
from voucher.tables import CardRules as CardRulesRow

RULES = {"card_consent": {"single_cents": 8_000, "cumulative_cents": None}, "price_tolerance_bp": 250,
         "open_amount": world.open_amount(transport=6_000, **{"sport-riding": 4_500})}


def _doc(org_a: dict | None = None, **sections) -> dict:
    return world.document(counties=[world.county("org-a", **(org_a or {})), world.county("org-b")],
                          categories=[world.category(c) for c in ("transport", "sport-riding", "culture-art")], **sections)


async def _import(db, doc: dict, actor: Actor = world.ADMIN) -> dict:
    return await wiring.import_document(copy.deepcopy(doc), settings=db.settings, actor=actor)


async def _changes() -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == "voucher.card_rules.changed").order_by(
        AuditEvent.at).output(load_json=True).run()


async def test_the_import_sets_a_countys_rules_once_and_changes_only_what_the_file_sets(db):
    refs = (await _import(db, _doc(RULES)))["refs"]
    org_a = refs["org-a"]
    assert await card_rules.rules_for(org_a) == CardRules(single_cents=8_000, cumulative_cents=None, tolerance_bp=250,
                                                          open_amount={"transport": 6_000, "sport-riding": 4_500})
    assert await card_rules.rules_for(refs["org-b"]) == CardRules()  # a county that sets none has the defaults
    [change] = await _changes()
    assert change["details"]["from"] == card_rules.to_dict(CardRules())
    assert change["details"]["to"]["open_amount"] == {"sport-riding": 4_500, "transport": 6_000}
    assert sorted(change["details"]["changed"]) == ["cumulative_cents", "open_amount", "single_cents", "tolerance_bp"]
    assert change["reason"] == "hb import"

    # The same file again changes nothing.
    again = await _import(db, _doc(RULES))
    assert again["summary"] == {"created": 0, "updated": 0, "decisions": 0}
    assert len(await _changes()) == 1
    # A file without the fields leaves the rules as they are; one field changes only itself.
    await _import(db, _doc())
    assert (await card_rules.rules_for(org_a)).tolerance_bp == 250
    changed = await _import(db, _doc({"open_amount": []}))
    assert changed["summary"]["updated"] == 1
    assert await card_rules.rules_for(org_a) == CardRules(single_cents=8_000, cumulative_cents=None, tolerance_bp=250)
    assert (await _changes())[-1]["details"]["changed"] == ["open_amount"]
    assert await CardRulesRow.count().run() == 1


@pytest.mark.parametrize("fields, field, finnish", [
    ({"card_consent": {"single_cents": -1, "cumulative_cents": 15_000}}, "card_consent.single_cents",
     "Summan on oltava 0 tai suurempi"),
    ({"card_consent": {"single_cents": 6_000, "cumulative_cents": 5_000}}, "card_consent.cumulative_cents",
     "Yhteisraja ei voi olla pienempi"),
    ({"card_consent": {"single_cents": "50"}}, "card_consent.single_cents", ""),
    ({"card_consent": {"single_cents": 5_000}}, "card_consent.cumulative_cents", ""),
    ({"card_consent": {"single_cents": 5_000, "cumulative_cents": None, "pin": True}}, "card_consent.pin", ""),
    ({"price_tolerance_bp": 5_001}, "price_tolerance_bp", "Hintajouston on oltava 0–50 %"),
    ({"price_tolerance_bp": True}, "price_tolerance_bp", ""),
    ({"open_amount": world.open_amount(taxi=1_000)}, "open_amount[0].category", "Tuntematon palveluluokka."),
    ({"open_amount": world.open_amount(transport=0)}, "open_amount[0].cap_cents", "Enimmäissumman on oltava"),
    ({"open_amount": [{"category": "transport", "cap_cents": 100}, {"category": "transport", "cap_cents": 200}]},
     "open_amount[1].category", "Sama palveluluokka on luettelossa kahdesti."),
    ({"open_amount": {"transport": 100}}, "open_amount", ""),
])
async def test_a_bad_rule_rejects_the_whole_file_naming_the_field_in_finnish(db, fields, field, finnish):
    await _import(db, _doc())
    before = await CardRulesRow.count().run()
    bad = _doc(fields, providers=[world.provider("prov-new", "1572860-0", "Uusi Oy")])  # valid, not written either
    with pytest.raises(Invalid) as refused:
        await _import(db, bad)
    found = [e for e in refused.value.errors if e.ref == "org-a"]
    assert [e.field for e in found] == [field], found
    message = found[0].localised("fi").message
    assert message.startswith(finnish) and message != found[0].key
    assert await CardRulesRow.count().run() == before
    assert not await Provider.exists().where(Provider.ref == "prov-new").run()


async def test_only_the_countys_own_admin_may_import_its_rules(db):
    refs = (await _import(db, _doc()))["refs"]
    own = Actor(role="organiser_admin", user_id=(await world.person("organiser_admin", password=None,
                                                                    organiser_id=refs["org-a"])).actor.user_id,
                organiser_id=refs["org-a"], display_name="A")
    other = Actor(role="organiser_admin", user_id=(await world.person("organiser_admin", password=None,
                                                                      organiser_id=refs["org-b"])).actor.user_id,
                  organiser_id=refs["org-b"], display_name="B")
    mine = world.document(counties=[world.county("org-a", **RULES)])
    with pytest.raises(Forbidden) as refused:
        await _import(db, mine, actor=other)
    assert [(e.ref, e.key) for e in refused.value.errors] == [("org-a", "import.scope.other_county")]
    assert await card_rules.rules_for(refs["org-a"]) == CardRules()
    await _import(db, mine, actor=own)
    assert (await card_rules.rules_for(refs["org-a"])).tolerance_bp == 250
    [change] = await _changes()
    assert change["actor_role"] == "organiser_admin" and str(change["organiser_id"]) == refs["org-a"]
    # The service itself refuses another county's admin, whoever calls it.
    with pytest.raises(Forbidden):
        await card_rules.save(other, refs["org-a"], CardRules())


async def test_without_the_voucher_the_rules_are_refused_not_ignored(db):
    with pytest.raises(Invalid) as refused:
        await importer.import_document(_doc(RULES), actor=world.ADMIN, clients=None)
    assert {(e.ref, e.field, e.key) for e in refused.value.errors} == {
        ("org-a", name, "import.card_rules_unsupported") for name in RULES}


# --- The page ------------------------------------------------------------------------------------


async def _people(db):
    refs = (await _import(db, _doc()))["refs"]
    admin = await world.make_user("organiser_admin", email="admin.a@rules.example", organiser_id=refs["org-a"])
    other = await world.make_user("organiser_admin", email="admin.b@rules.example", organiser_id=refs["org-b"])
    counsellor = await world.make_user("counsellor", email="ohjaaja.a@rules.example", organiser_id=refs["org-a"])
    return refs, admin, other, counsellor


async def test_the_countys_admin_sets_the_rules_in_euros_and_per_cent_and_the_change_is_audited(app, client, db):
    refs, admin, _other, _counsellor = await _people(db)
    await login(client, admin)
    page = await client.get("/organiser/card-rules")
    assert page.status_code == 200
    assert 'name="single" type="text" value="50,00"' in page.text and 'value="150,00"' in page.text
    assert "Kuljetuspalvelut" in page.text and 'name="cap_transport"' in page.text
    assert "Sääntöjä ei ole muutettu" in page.text

    saved = await form_post(client, "/organiser/card-rules", {"single": "80", "cumulative": "", "tolerance": "2,5",
                                                               "cap_transport": "45,50", "cap_sport-riding": ""})
    assert (saved.status_code, saved.headers["location"]) == (303, "/organiser/card-rules?saved=1")
    assert await card_rules.rules_for(refs["org-a"]) == CardRules(single_cents=8_000, cumulative_cents=None,
                                                                  tolerance_bp=250, open_amount={"transport": 4_550})
    [change] = await _changes()
    assert change["details"]["from"]["single_cents"] == 5_000 and change["details"]["to"]["single_cents"] == 8_000
    assert change["actor_user_id"] is not None and str(change["organiser_id"]) == refs["org-a"]
    after = await client.get("/organiser/card-rules?saved=1")
    assert "Säännöt tallennettiin" in after.text
    assert "50,00\xa0€ → 80,00\xa0€" in after.text and "0 % → 2,5 %" in after.text
    assert "ei yhtään → Kuljetuspalvelut 45,50\xa0€" in after.text
    # Saving the same again changes (and audits) nothing.
    await form_post(client, "/organiser/card-rules", {"single": "80,00", "cumulative": "", "tolerance": "2,5",
                                                       "cap_transport": "45,5"})
    assert len(await _changes()) == 1
    sv = await client.get("/organiser/card-rules?lang=sv")
    assert "Regler för kortbetalningar" in sv.text and "Prisflexibilitet (%)" in sv.text
    en = await client.get("/organiser/card-rules?lang=en")
    assert "Open-amount categories" in en.text


async def test_bad_values_are_shown_beside_their_fields_and_nothing_is_saved(app, client, db):
    refs, admin, _other, _counsellor = await _people(db)
    await login(client, admin)
    bad = await form_post(client, "/organiser/card-rules", {"single": "viisikymmentä", "cumulative": "150",
                                                             "tolerance": "60", "cap_transport": "-5"})
    assert bad.status_code == 400
    assert 'id="f-single-error"' in bad.text and 'id="f-cap_transport-error"' in bad.text
    assert 'value="viisikymmentä"' in bad.text  # what was typed stays
    rules_bad = await form_post(client, "/organiser/card-rules", {"single": "50", "cumulative": "150", "tolerance": "60",
                                                                   "cap_transport": "0"})
    assert rules_bad.status_code == 400
    assert "Hintajouston on oltava 0–50 %" in rules_bad.text and 'id="f-tolerance-error"' in rules_bad.text
    assert 'id="f-cap_transport-error"' in rules_bad.text
    assert await card_rules.rules_for(refs["org-a"]) == CardRules() and await _changes() == []


async def test_another_countys_admin_sets_only_their_own_and_a_counsellor_only_reads(app, client, db):
    refs, admin, other, counsellor = await _people(db)
    await login(client, other)
    r = await form_post(client, "/organiser/card-rules", {"single": "20", "cumulative": "40", "tolerance": "0"})
    assert r.status_code == 303
    assert (await card_rules.rules_for(refs["org-b"])).single_cents == 2_000
    assert await card_rules.rules_for(refs["org-a"]) == CardRules()

    await login(client, counsellor)
    page = await client.get("/organiser/card-rules")
    assert page.status_code == 200 and "<form method=\"post\" action=\"/organiser/card-rules\"" not in page.text
    assert "50,00\xa0€" in page.text and "ei yhtään" in page.text
    refused = await form_post(client, "/organiser/card-rules", {"single": "1", "cumulative": "", "tolerance": "0"})
    assert refused.status_code == 403
    assert await card_rules.rules_for(refs["org-a"]) == CardRules()
