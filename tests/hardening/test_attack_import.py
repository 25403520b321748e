"""Issue 12, finding 1: an organiser admin's bulk import (`POST /api/v1/imports`) writes only its own
county's records (marketplace.import_scope); `hb import` stays the operator's tool.

The world is the hardening world (tests/hardening/world.py), loaded by the operator: two counties
(org-a, org-b), two providers approved by both, a listing each, clients cli-a1 and cli-a2 in the first
county and cli-b1 in the second, each with a decision and a card. ``org_admin`` is the first county's
admin. ``IMPORT_SCOPE`` is the access matrix of the import: one row per record kind × whose it is
(own county, other county, shared), naming the roles whose file is applied; every other role's is
refused 403 with nothing written.
"""

import contextlib
import copy
import json

import httpx
import pytest

from core import db as core_db
from core import identity
from marketplace.tables import Provider
from tests.hardening.access_table import Row, only
from tests.hardening.world import CARDS, DOCUMENT, load_world, run_hb
from voucher.tables import Card

ATTACKER_TOKEN = "attacker-known-token"
BOTH = "org_admin platform_admin"
OPERATOR = "platform_admin"
# A valid business ID and IBAN no record of the world uses.
NEW_BUSINESS_ID, NEW_IBAN = "1572860-0", "FI1688100339075793"
CARD_RULES = {"card_consent": {"single_cents": 2_000, "cumulative_cents": None}, "price_tolerance_bp": 500,
              "open_amount": [{"category": "sport-riding", "cap_cents": 3_000}]}


def record(section: str, stored: str, **changes) -> dict:
    """The world's record ``stored`` as it is, with ``changes`` (a new ``ref`` makes a new record);
    providers and listings without their approvals and API key (the rows that test those name them)."""
    found = copy.deepcopy(next(r for r in DOCUMENT[section] if r["ref"] == stored))
    if section in ("providers", "listings"):
        found["approvals"] = []
    if section == "providers":
        found["issue_api_key"] = False
    found.update(changes)
    return found


def new_provider(**changes) -> dict:
    return record("providers", "prov-a", **{"ref": "prov-new", "business_id": NEW_BUSINESS_ID, "name": "Kotiapu Uusi Oy",
                                            "iban": NEW_IBAN, "email": "apu@uusi.example", **changes})


def new_listing(provider: str, **changes) -> dict:
    return record("listings", "lst-riding", ref="lst-new", provider=provider, title={"fi": "Maastoratsastus"}, **changes)


def client(stored: str, **changes) -> dict:
    return record("clients", stored, **changes)


def new_client(ref: str, organiser: str) -> dict:
    return client("cli-a1", ref=ref, organiser=organiser, display_name="Asiakas uusi",
                  decision=dict(record("clients", "cli-a1")["decision"], ref=f"dec-{ref}"),
                  card={"ref": f"card-{ref}", "token": f"hbc_new_{ref}_0009"})


def raised(ref: str) -> dict:
    """The client's decision with a larger first line (a raised grant)."""
    decision = record("clients", ref)["decision"]
    decision["lines"][0]["amount_cents"] += 1_000_000
    return client(ref, decision=decision)


def rekeyed(ref: str) -> dict:
    return client(ref, card={"ref": f"card-{ref}", "token": ATTACKER_TOKEN})


def own(status: str = "suspended") -> list:
    return [{"organiser": "org-a", "status": status}]


def other(status: str = "suspended") -> list:
    return [{"organiser": "org-b", "status": status}]


def doc(**sections) -> dict:
    return {"format": "hb-import/1", **sections}


def row(roles: str, body) -> Row:
    return only(roles, body=lambda W: body())


IMPORT_SCOPE: dict[str, Row] = {
    # organisers: the admin's own may appear unchanged; bank details, settlement period and any other
    # organiser are the operator's
    "organiser own, unchanged": row(BOTH, lambda: doc(organisers=[record("organisers", "org-a")])),
    "organiser own, bank details": row(OPERATOR, lambda: doc(organisers=[record(
        "organisers", "org-a", iban="FI2112345600000785", bic="NDEAFIHH", settlement_period="monthly")])),
    "organiser other, unchanged": row(OPERATOR, lambda: doc(organisers=[record("organisers", "org-b")])),
    "organiser other, bank details": row(OPERATOR, lambda: doc(organisers=[record(
        "organisers", "org-b", iban="FI2112345600000785", settlement_period="monthly")])),
    "organiser new": row(OPERATOR, lambda: doc(organisers=[record(
        "organisers", "org-a", ref="org-new", business_id=NEW_BUSINESS_ID)])),
    # a county's card rules (issue 16) are its own, as on its /organiser/card-rules page; another's are not
    "organiser own, card rules": row(BOTH, lambda: doc(organisers=[record("organisers", "org-a", **CARD_RULES)])),
    "organiser other, card rules": row(OPERATOR, lambda: doc(organisers=[record("organisers", "org-b", **CARD_RULES)])),
    # categories are the whole platform's
    "category shared, unchanged": row(BOTH, lambda: doc(categories=[record("categories", "sport-riding")])),
    "category shared, requirements": row(OPERATOR, lambda: doc(categories=[record(
        "categories", "sport-riding", requirements=["liability_insurance"])])),
    "category new": row(OPERATOR, lambda: doc(categories=[record("categories", "sport-riding", ref="new-category")])),
    # providers: a new one comes with the county's own approval; one on the platform is the provider's
    "provider new, own approval": row(BOTH, lambda: doc(providers=[new_provider(approvals=own("approved"))])),
    "provider new, other county's approval": row(OPERATOR, lambda: doc(providers=[new_provider(approvals=other("approved"))])),
    "provider new, API key": row(OPERATOR, lambda: doc(providers=[new_provider(issue_api_key=True)])),
    "provider shared, unchanged": row(BOTH, lambda: doc(providers=[record("providers", "prov-b")])),
    "provider shared, IBAN": row(OPERATOR, lambda: doc(providers=[record("providers", "prov-b", iban=NEW_IBAN)])),
    "provider shared, evidence": row(OPERATOR, lambda: doc(providers=[record(
        "providers", "prov-b", evidence={"liability_insurance": True})])),
    "provider shared, API key": row(OPERATOR, lambda: doc(providers=[record("providers", "prov-b", issue_api_key=True)])),
    "provider own approval": row(BOTH, lambda: doc(providers=[record("providers", "prov-b", approvals=own())])),
    "provider other county's approval": row(OPERATOR, lambda: doc(providers=[record("providers", "prov-b", approvals=other())])),
    # listings: the same, the listings of a provider on the platform are the provider's
    "listing new, of a new provider": row(BOTH, lambda: doc(providers=[new_provider(approvals=own("approved"))],
                                                            listings=[new_listing("prov-new", approvals=own("approved"))])),
    "listing new, of a provider on the platform": row(OPERATOR, lambda: doc(listings=[new_listing("prov-b")])),
    "listing shared, unchanged": row(BOTH, lambda: doc(listings=[record("listings", "lst-art")])),
    "listing shared, price": row(OPERATOR, lambda: doc(listings=[record("listings", "lst-art", price_cents=100)])),
    "listing own approval": row(BOTH, lambda: doc(listings=[record("listings", "lst-art", approvals=own())])),
    "listing other county's approval": row(OPERATOR, lambda: doc(listings=[record("listings", "lst-art", approvals=other())])),
    # clients, decisions and cards: the county's own only, whatever the file says
    "client own, new": row(BOTH, lambda: doc(clients=[new_client("cli-a9", "org-a")])),
    "client own, changed": row(BOTH, lambda: doc(clients=[client("cli-a1", display_name="Asiakas muutettu")])),
    "client other, new": row(OPERATOR, lambda: doc(clients=[new_client("cli-b9", "org-b")])),
    "client other, changed": row(OPERATOR, lambda: doc(clients=[client("cli-b1", display_name="Asiakas muutettu")])),
    "client other, moved to own county": row(OPERATOR, lambda: doc(clients=[client("cli-b1", organiser="org-a")])),
    "decision own, grant raised": row(BOTH, lambda: doc(clients=[raised("cli-a1")])),
    "decision other, grant raised": row(OPERATOR, lambda: doc(clients=[raised("cli-b1")])),
    "card own, new token": row(BOTH, lambda: doc(clients=[rekeyed("cli-a1")])),
    "card other, new token": row(OPERATOR, lambda: doc(clients=[rekeyed("cli-b1")])),
}


async def snapshot() -> dict:
    """Every row of every table, except the sessions and rate-limit counters signing in touches."""
    skip = {"hb_session", "hb_rate_limit_counter"}
    out = {}
    for table in core_db.all_tables():
        name = table._meta.tablename
        if name not in skip:
            out[name] = sorted(repr(sorted(r.items())) for r in await table.select().run())
    return out


@pytest.fixture
async def world(db, app, client):
    """The world, and a signed-in HTTP client per role on the test's app (``client`` runs its lifespan)."""
    loaded = await load_world(db.settings)
    refs = loaded["refs"]
    clients = {}
    async with contextlib.AsyncExitStack() as stack:
        for role, scope in (("org_admin", {"role": "organiser_admin", "organiser_id": refs["org-a"]}),
                            ("platform_admin", {"role": "platform_admin"})):
            user_id = await identity.create_user(email=f"{role}@import.example", display_name=role, **scope)
            c = await stack.enter_async_context(httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)), base_url=str(client.base_url)))
            c.cookies.set(identity.SESSION_COOKIE, await identity.start_session(user_id, 1))
            clients[role] = c
        yield {"refs": refs, "api_keys": loaded["api_keys"], "clients": clients, "anonymous": client}


async def _import(client, body: dict):
    return await client.post("/api/v1/imports", json=body)


def _assert_refused(response) -> list[dict]:
    assert response.status_code == 403, response.text
    problem = response.json()
    assert problem["status"] == 403 and problem["code"] == "import.refused"
    assert problem["errors"] and all(e.get("ref") and e.get("field") and e.get("message") for e in problem["errors"])
    return problem["errors"]


@pytest.mark.parametrize("name", list(IMPORT_SCOPE))
async def test_finding1_import_scope_per_record_kind_own_and_other_county(db, world, name):
    """The import's access matrix: each role outside the row's roles is refused 403 with nothing
    written; each role in it gets its file applied."""
    row = IMPORT_SCOPE[name]
    body = row.body(None)
    for role in sorted(world["clients"], key=lambda r: r in row.allowed):  # refused first: they write nothing
        before = await snapshot()
        response = await _import(world["clients"][role], body)
        if role in row.allowed:
            assert response.status_code == 200, (role, response.text)
        else:
            _assert_refused(response)
            assert await snapshot() == before, f"{name}: a refused import wrote something"


async def test_finding1_other_countys_card_cannot_be_rekeyed_by_import(db, world):
    """The issue's reproduction: the first county's admin imports the second county's client with its
    card under a token the attacker knows. Refused 403 naming the record; nothing is written; the
    card still answers only to its own token."""
    before = await snapshot()
    response = await _import(world["clients"]["org_admin"], doc(clients=[rekeyed("cli-b1")]))
    errors = _assert_refused(response)
    assert {"ref": "cli-b1", "field": "organiser"} in [{"ref": e["ref"], "field": e["field"]} for e in errors]
    assert await snapshot() == before

    terminal = world["anonymous"]
    terminal.headers["Authorization"] = f"Bearer {world['api_keys']['prov-b']}"
    attempt = {"amount_cents": 1000, "listing_id": world["refs"]["lst-art"]}
    stolen = await terminal.post("/api/v1/authorizations", json={**attempt, "card_token": ATTACKER_TOKEN})
    assert stolen.status_code == 201 and stolen.json()["status"] == "declined", stolen.text
    real = await terminal.post("/api/v1/authorizations", json={**attempt, "card_token": CARDS["cli-b1"]})
    assert real.status_code == 201 and real.json()["status"] == "approved", real.text


async def test_finding1_other_countys_refs_are_refused_under_any_organiser(db, world):
    """A file that puts the other county's client in the admin's own county, or gives the admin's
    new client the other county's card or decision ref, is refused (403, not applied), and the
    answer says only that the ref is another county's."""
    admin = world["clients"]["org_admin"]
    moved = _assert_refused(await _import(admin, doc(clients=[client("cli-b1", organiser="org-a")])))
    assert [(e["ref"], e["field"]) for e in moved] == [("cli-b1", "ref"), ("dec-cli-b1", "decision.ref"),
                                                       ("card-cli-b1", "card.ref")]
    taken = new_client("cli-a9", "org-a")
    taken["card"]["ref"] = "card-cli-b1"
    taken["decision"]["ref"] = "dec-cli-b1"
    refused = _assert_refused(await _import(admin, doc(clients=[taken])))
    assert sorted((e["ref"], e["field"]) for e in refused) == [("card-cli-b1", "card.ref"), ("dec-cli-b1", "decision.ref")]
    assert len({e["message"] for e in refused}) == 1


async def test_finding1_every_refused_record_is_listed_in_the_users_language(db, world):
    """One file touching several records it may not: every refusal is listed as {ref, field,
    message}, in the caller's language, and nothing of the file's allowed records is written
    either (all or nothing)."""
    before = await snapshot()
    body = doc(organisers=[record("organisers", "org-b", iban="FI2112345600000785")],
               categories=[record("categories", "sport-riding", requirements=["liability_insurance"])],
               providers=[record("providers", "prov-b", iban=NEW_IBAN, issue_api_key=True, approvals=other())],
               clients=[client("cli-a1", display_name="Sallittu muutos"), raised("cli-b1")])
    response = await world["clients"]["org_admin"].post("/api/v1/imports?lang=en", json=body)
    errors = _assert_refused(response)
    assert {(e["ref"], e["field"]) for e in errors} == {
        ("org-b", "ref"), ("sport-riding", "requirements"), ("prov-b", "iban"), ("prov-b", "issue_api_key"),
        ("prov-b", "approvals[0].organiser"), ("cli-b1", "organiser")}
    assert all(e["message"].isascii() for e in errors), errors  # English, not the Finnish default
    assert await snapshot() == before


async def test_finding1_hb_import_on_the_command_line_stays_the_operators_tool(db, world, tmp_path):
    """`hb import` writes what an organiser admin's import may not: another county's bank details
    and card."""
    path = tmp_path / "operator.json"
    path.write_text(json.dumps(doc(organisers=[record("organisers", "org-b", iban="FI2112345600000785", bic="NDEAFIHH")],
                                   clients=[rekeyed("cli-b1")])))
    run_hb(db.settings, "import", str(path))
    card = await Card.select(Card.token_hint).where(Card.ref == "card-cli-b1").first().run()
    assert card["token_hint"] == ATTACKER_TOKEN[-4:]


async def test_finding1_a_provider_an_organiser_admin_brings_in_is_paid_under_dual_control(db, world):
    """A new provider in an organiser admin's file has an account one admin both wrote and approved:
    it counts as just changed, so its first payouts wait for a second admin of the county. The
    operator's import is not under that rule."""
    body = doc(providers=[new_provider(approvals=own("approved"))])
    assert (await _import(world["clients"]["org_admin"], body)).status_code == 200
    by_admin = await Provider.select(Provider.iban_changed_at).where(Provider.ref == "prov-new").first().run()
    assert by_admin["iban_changed_at"] is not None
    operator = new_provider(ref="prov-operator", business_id="0737546-2", approvals=own("approved"))
    assert (await _import(world["clients"]["platform_admin"], doc(providers=[operator]))).status_code == 200
    by_operator = await Provider.select(Provider.iban_changed_at).where(Provider.ref == "prov-operator").first().run()
    assert by_operator["iban_changed_at"] is None
