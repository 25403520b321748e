"""The demo data set is a valid, self-consistent `hb-import/1` document (pure: no database), and
`hb demo` loads it — twice without a change — with bookable demo listings and a demo proxy who sees
its client (on SQLite and PostgreSQL)."""

import json
import re
from collections import Counter

import pytest
from schwifty import IBAN
from stdnum.fi import ytunnus

from hb.demo import DEMO_USERS, REQUIREMENTS, build_demo_document

STATUSES = {"pending", "approved", "rejected", "changes_requested", "suspended"}
UNITS = {"session", "hour", "day", "km", "package"}
DELIVERY_MODES = {"at_provider", "at_client_home", "online"}
CLIENT_GROUPS = {"disability_services", "family_carers", "older_people", "families", "young_adults"}
SEED_CATEGORIES = {
    "day-activities", "carer-respite", "transport", "home-help", "coaching", "therapy",
    "culture-art", "sport-riding", "social-farming", "peer-support", "digital",
}
# A Finnish personal identity code (henkilötunnus): DDMMYY, century sign, individual number, check.
PERSONAL_IDENTITY_CODE = re.compile(r"\d{6}[-+A]\d{3}[0-9A-Y]")


@pytest.fixture(scope="module")
def doc() -> dict:
    return build_demo_document()


def _by_ref(records: list[dict]) -> dict[str, dict]:
    return {record["ref"]: record for record in records}


def test_deterministic_and_fresh_each_call():
    first, second = build_demo_document(), build_demo_document()
    assert first == second
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    first["providers"][0]["approvals"].clear()
    assert build_demo_document() == second  # callers may mutate what they get


def test_shape_and_counts(doc):
    assert doc["format"] == "hb-import/1"
    assert set(doc) == {"format", "organisers", "categories", "providers", "listings", "clients"}
    assert len(doc["organisers"]) >= 2
    assert len(doc["providers"]) >= 30
    assert len(doc["listings"]) >= 80
    assert 30 <= len(doc["clients"]) <= 50
    assert SEED_CATEGORIES <= {c["ref"] for c in doc["categories"]}
    json.dumps(doc)  # plain JSON types only


def test_every_category_has_listings(doc):
    per_category = Counter(listing["category"] for listing in doc["listings"])
    assert all(per_category[code] >= 3 for code in SEED_CATEGORIES), per_category


def test_categories(doc):
    for category in doc["categories"]:
        assert set(category["names"]) == {"fi", "sv", "en"} and all(category["names"].values())
        assert isinstance(category["traditional"], bool)
        assert set(category["requirements"]) <= set(REQUIREMENTS)
    example = {
        "day-activities": ("Päiväaikainen toiminta", True,
                           ["prepayment_register", "liability_insurance",
                            "private_social_services_registration"]),
        "transport": ("Kuljetuspalvelut", True,
                      ["prepayment_register", "liability_insurance", "taxi_licence"]),
        "culture-art": ("Kulttuuri ja taide", False, ["prepayment_register"]),
        "sport-riding": ("Liikunta ja ratsastus", False, ["prepayment_register", "liability_insurance"]),
    }
    categories = _by_ref(doc["categories"])
    for code, (name_fi, traditional, requirements) in example.items():
        assert categories[code]["names"]["fi"] == name_fi
        assert categories[code]["traditional"] is traditional
        assert categories[code]["requirements"] == requirements


def test_all_refs_unique(doc):
    refs = [r["ref"] for key in ("organisers", "categories", "providers", "listings", "clients")
            for r in doc[key]]
    refs += [c["decision"]["ref"] for c in doc["clients"]] + [c["card"]["ref"] for c in doc["clients"]]
    duplicates = [ref for ref, n in Counter(refs).items() if n > 1]
    assert not duplicates


PERSON_KINDS = {"light_entrepreneur", "private_person"}


def test_business_ids_valid_and_unique(doc):
    # A person (decision 0036) has no business ID; every company, association and county has one.
    ids = [o["business_id"] for o in doc["organisers"]] + [p["business_id"] for p in doc["providers"]
                                                          if p.get("kind") not in PERSON_KINDS]
    assert all("business_id" not in p for p in doc["providers"] if p.get("kind") in PERSON_KINDS)
    for business_id in ids:
        assert re.fullmatch(r"\d{7}-\d", business_id), business_id
        assert ytunnus.is_valid(business_id), business_id
    assert len(set(ids)) == len(ids)


def test_ibans_valid(doc):
    # A private person gives no bank details (decision 0036).
    assert all("iban" not in p for p in doc["providers"] if p.get("kind") == "private_person")
    ibans = [p["iban"] for p in doc["providers"] if p.get("kind") != "private_person"]
    for iban in ibans:
        parsed = IBAN(iban)  # raises on a bad checksum, length or national check digit
        assert parsed.country_code == "FI" and len(iban) == 18 and iban == parsed.compact
    assert len(set(ibans)) == len(ibans)


def test_providers_contact_and_evidence(doc):
    categories = _by_ref(doc["categories"])
    organisers = _by_ref(doc["organisers"])
    for provider in doc["providers"]:
        assert provider["email"].split("@")[1].endswith(".example")
        assert provider.get("phone", "+358").startswith("+358")
        assert provider["languages"] and set(provider["languages"]) <= {"fi", "sv", "en"}
        served = {m for o in organisers.values() for m in o["municipalities"]}
        assert provider["municipalities"] and set(provider["municipalities"]) <= served
        assert set(provider["evidence"]) <= set(REQUIREMENTS)
        assert all(v is True for v in provider["evidence"].values())
        orgs = [a["organiser"] for a in provider["approvals"]]
        assert orgs and len(orgs) == len(set(orgs)) and set(orgs) <= set(organisers)
        assert {a["status"] for a in provider["approvals"]} <= STATUSES
        assert isinstance(provider["issue_api_key"], bool)
        # An approved provider has shown everything its listed categories require.
        if any(a["status"] == "approved" for a in provider["approvals"]):
            kind = provider.get("kind", "company")
            needed = {req for listing in doc["listings"] if listing["provider"] == provider["ref"]
                      for req in categories[listing["category"]].get("requirements_by_kind", {}).get(
                          kind, categories[listing["category"]]["requirements"])}
            assert needed <= set(provider["evidence"]), provider["ref"]


def test_provider_approval_mix(doc):
    statuses = Counter(a["status"] for p in doc["providers"] for a in p["approvals"])
    assert statuses["approved"] > statuses["pending"] > 0
    assert 1 <= statuses["changes_requested"] <= 2
    assert statuses["rejected"] == 1 and statuses["suspended"] == 1
    keusote = Counter(a["status"] for p in doc["providers"] for a in p["approvals"]
                      if a["organiser"] == "org-keusote")
    assert keusote["approved"] > len(doc["providers"]) / 2
    split = [p["ref"] for p in doc["providers"]
             if len({a["status"] for a in p["approvals"]}) > 1]
    assert len(split) >= 2  # approved in one county, pending in the other


def test_api_keys(doc):
    with_keys = [p["ref"] for p in doc["providers"] if p["issue_api_key"]]
    assert "prov-tuulenpesa" in with_keys
    assert 3 <= len(with_keys) < len(doc["providers"]) / 2


def test_listing_fields(doc):
    providers = _by_ref(doc["providers"])
    for listing in doc["listings"]:
        provider = providers[listing["provider"]]
        assert listing["title"]["fi"] and listing["description"]["fi"]
        assert set(listing["title"]) <= {"fi", "sv", "en"}
        assert set(listing["description"]) <= set(listing["title"])
        assert isinstance(listing["price_cents"], int) and listing["price_cents"] >= 0  # 0: free (decision 0037)
        assert listing["unit"] in UNITS and listing["delivery_mode"] in DELIVERY_MODES
        assert listing["municipality"] in provider["municipalities"]
        assert re.fullmatch(r".+ \d+, \d{5} .+", listing["address"]), listing["address"]
        assert listing["languages"] and set(listing["languages"]) <= {"fi", "sv", "en"}
        assert isinstance(listing["accessibility"], list)
        assert isinstance(listing["capacity"], int) and listing["capacity"] >= 1
    assert {listing["unit"] for listing in doc["listings"]} == UNITS
    assert {listing["delivery_mode"] for listing in doc["listings"]} == DELIVERY_MODES


def test_references_resolve(doc):
    organisers = _by_ref(doc["organisers"])
    categories = _by_ref(doc["categories"])
    providers = _by_ref(doc["providers"])
    for listing in doc["listings"]:
        assert listing["provider"] in providers
        assert listing["category"] in categories
        assert all(a["organiser"] in organisers for a in listing["approvals"])
    for client in doc["clients"]:
        assert client["organiser"] in organisers
        for line in client["decision"]["lines"]:
            assert line["category"] in categories
            assert all(code in categories for code in line["may_fund"])
    for user in DEMO_USERS:
        if user["scope_ref"] is not None:
            assert user["scope_ref"] in (set(organisers) | set(providers)
                                         | {c["ref"] for c in doc["clients"]})


def test_listing_approved_only_where_provider_approved(doc):
    providers = _by_ref(doc["providers"])
    for listing in doc["listings"]:
        provider_status = {a["organiser"]: a["status"] for a in providers[listing["provider"]]["approvals"]}
        assert listing["approvals"], listing["ref"]
        for approval in listing["approvals"]:
            assert approval["status"] in STATUSES
            assert approval["organiser"] in provider_status, listing["ref"]
            if approval["status"] == "approved":
                assert provider_status[approval["organiser"]] == "approved", listing["ref"]


def test_listing_mix(doc):
    statuses = Counter(a["status"] for listing in doc["listings"] for a in listing["approvals"])
    assert statuses["pending"] >= 5
    assert statuses["approved"] > len(doc["listings"]) / 2
    # Some pending listings belong to approved providers (new listings waiting in the queue).
    providers = _by_ref(doc["providers"])
    assert any(
        a["status"] == "pending" and {b["organiser"]: b["status"] for b in providers[listing["provider"]]
                                      ["approvals"]}[a["organiser"]] == "approved"
        for listing in doc["listings"] for a in listing["approvals"]
    )
    # The second county has approved listings of its own.
    assert any(a["organiser"] == "org-vakehyva" and a["status"] == "approved"
               for listing in doc["listings"] for a in listing["approvals"])


def test_the_light_track_is_in_the_demo(doc):
    """Issue 18: associations are of their kind, a private person offers a free activity (with no
    business ID or bank details) and free activities are approved, so search's "Maksuton" facet and
    a free booking can be shown; `hb demo` also uploads the stable's insurance as a document
    (checked in the load test below)."""
    kinds = Counter(p.get("kind", "company") for p in doc["providers"])
    assert kinds["association"] >= 3 and kinds["private_person"] >= 1
    free = [item for item in doc["listings"] if item["price_cents"] == 0]
    assert len(free) >= 2 and all(any(a["status"] == "approved" for a in item["approvals"]) for item in free)
    private = {p["ref"] for p in doc["providers"] if p.get("kind") == "private_person"}
    assert all(item["price_cents"] == 0 for item in doc["listings"] if item["provider"] in private)
    assert any(item["provider"] in private for item in free)


def test_some_listings_in_swedish_and_english(doc):
    assert sum("sv" in listing["title"] for listing in doc["listings"]) >= 5
    assert sum("en" in listing["title"] for listing in doc["listings"]) >= 5
    assert any("sv" in p["languages"] and p["languages"][0] == "sv" for p in doc["providers"])


def test_listing_vocabulary(doc):
    titles = " ".join(listing["title"]["fi"].lower() for listing in doc["listings"])
    for word in ("ratsastusterapia", "invataksi", "asiointikyyti", "taideopetus kotiin",
                 "musiikkiterapia", "kuntouttava päivätoiminta", "omaishoitajan lomapäivä",
                 "green care", "vertaistukiryhmä", "henkilökohtainen valmennus", "siivous",
                 "kuntosaliohjaus", "allasterapia", "etävalmennus"):
        assert word in titles, word


def test_clients_decisions_and_cards(doc):
    organisers = Counter(c["organiser"] for c in doc["clients"])
    assert organisers["org-keusote"] > organisers["org-vakehyva"] > 0
    assert {c["client_group"] for c in doc["clients"]} == CLIENT_GROUPS
    assert {c["language"] for c in doc["clients"]} == {"fi", "sv"}
    tokens = [c["card"]["token"] for c in doc["clients"]]
    assert len(set(tokens)) == len(tokens)
    for client in doc["clients"]:
        number = client["ref"].removeprefix("cli-")
        assert client["display_name"] == f"Asiakas {number}"
        decision, card = client["decision"], client["card"]
        assert "2026-01-01" <= decision["start"] < decision["end"] <= "2026-12-31"
        categories = [line["category"] for line in decision["lines"]]
        assert decision["lines"] and len(categories) == len(set(categories))
        for line in decision["lines"]:
            assert isinstance(line["amount_cents"], int) and line["amount_cents"] > 0
            assert line["category"] not in line["may_fund"]
            if "swap_cap_cents" in line:
                assert line["may_fund"] and 0 < line["swap_cap_cents"] <= line["amount_cents"]
        assert re.fullmatch(rf"hbc_demo_{number}_[0-9a-f]{{4}}", card["token"])
        assert 0 < card["per_transaction_limit_cents"] <= card["daily_limit_cents"]


def test_no_personal_identity_codes_in_clients(doc):
    for client in doc["clients"]:
        text = json.dumps(client, ensure_ascii=False)
        assert not PERSONAL_IDENTITY_CODE.search(text), client["ref"]
    assert PERSONAL_IDENTITY_CODE.search("131052-308T")  # the pattern itself works


def test_demo_users_every_role():
    roles = Counter(user["role"] for user in DEMO_USERS)
    assert set(roles) == {"client", "proxy", "provider_staff", "counsellor", "organiser_admin",
                          "platform_admin"}
    # Keusote has two admins, so the two-admin confirmation of a payout to a changed account can be shown.
    assert roles["organiser_admin"] == 3 and sum(roles.values()) == 8
    emails = [user["email"] for user in DEMO_USERS]
    assert len(set(emails)) == len(emails)
    for user in DEMO_USERS:
        assert set(user) == {"email", "password", "role", "display_name", "scope_ref"}
        assert user["email"].endswith("@demo.hb.example") and user["password"].startswith("demo-")
    scopes = {user["role"]: user["scope_ref"] for user in DEMO_USERS if user["role"] != "organiser_admin"}
    assert scopes["provider_staff"] == "prov-tuulenpesa"
    assert scopes["counsellor"] == "org-keusote" and scopes["platform_admin"] is None
    assert {u["scope_ref"] for u in DEMO_USERS if u["role"] == "organiser_admin"} == {
        "org-keusote", "org-vakehyva"}


async def _row_counts() -> dict[str, int]:
    from core import db as core_db

    # The console's read models (ad_*) are built by the running app's background refresher, which may
    # run between the two loads on a slow machine: they follow the data, the demo does not write them.
    # Likewise the facts outbox (hb_fact), which that refresher consumes, and the search outbox,
    # which the app's search drainer empties whenever it runs.
    return {table._meta.tablename: await table.count().run() for table in core_db.all_tables()
            if not table._meta.tablename.startswith("ad_")
            and table._meta.tablename not in ("hb_fact", "search_outbox")}


async def test_hb_demo_twice_changes_nothing_and_its_proxy_and_listings_work(app, client, db):
    from hb import demo
    from marketplace.booking.tables import AvailabilityRule
    from marketplace.tables import Listing
    from tests.helpers import login

    def quiet(*_args):
        return None

    await demo.load(db.settings, progress=quiet)
    first = await _row_counts()
    await demo.load(db.settings, progress=quiet)
    assert await _row_counts() == first

    # Everyone but the first platform admin got their account through an accepted invitation.
    from core.tables import Invitation, User

    invited = await Invitation.select(Invitation.email, Invitation.role, Invitation.accepted_user_id).run()
    users = {r["email"]: str(r["id"]) for r in await User.select(User.email, User.id).run()}
    assert sorted((r["email"], r["role"]) for r in invited) == sorted(
        (u["email"], u["role"]) for u in DEMO_USERS if u["role"] != "platform_admin")
    assert all(str(r["accepted_user_id"]) == users[r["email"]] for r in invited)

    # Every approved demo listing offers weekly times (Monday to Friday), and the page shows them.
    approved = sum(any(a["status"] == "approved" for a in item["approvals"]) for item in build_demo_document()["listings"])
    assert first["mp_availability_rule"] == approved * len(demo.DEMO_WEEKDAYS)
    riding = await Listing.select(Listing.id).where(Listing.ref == "lst-ratsastusterapia").first().run()
    assert await AvailabilityRule.count().where(AvailabilityRule.listing == riding["id"]).run() == 5

    # The demo proxy (omainen@demo.hb.example) acts for its client with every right.
    proxy = next(user for user in DEMO_USERS if user["role"] == "proxy")
    await login(client, proxy)
    home = await client.get("/client")
    assert home.status_code == 200 and "Asiakas 0002" in home.text
    times = await client.get(f"/api/v1/listings/{riding['id']}/availability")
    assert times.status_code == 200 and any(slot["free"] == 2 for slot in times.json()["slots"])

    # A payout arrives in the demo: the stable's remittance shows the card payment's batch paid, with
    # its date, and the SEPA file is on disk (once, however often the demo runs).
    stable = next(user for user in DEMO_USERS if user["role"] == "provider_staff")
    await login(client, stable)
    remittance = await client.get("/provider/settlements")
    assert remittance.status_code == 200
    # 75 € of riding therapy paid from the demo client's day-activities line, whose client fee is 10 %
    # (docs/decisions/0033): the stable is paid the budget's 67,50 € and collected 7,50 € itself.
    assert "maksettu" in remittance.text and "Maksettu " in remittance.text and "67,50" in remittance.text
    assert len(list((db.settings.data_dir / "payouts").glob("pain001-*.xml"))) == 1

    # The stable's insurance certificate is a document with its dates (once), and it opens.
    documents_page = await client.get("/provider/documents")
    assert documents_page.status_code == 200 and "Vastuuvakuutus" in documents_page.text
    assert first["mp_provider_document"] == 1
    [stored] = list((db.settings.data_dir / "evidence").iterdir())
    assert stored.read_bytes().startswith(b"%PDF-1.4")


async def test_hb_demo_command_loads_the_demo_and_says_what_it_did(db):
    """README's first command runs `hb demo`: the command itself (not only its loader) must work."""
    from core.tables import User
    from tests.hardening.world import run_hb

    done = run_hb(db.settings, "demo")
    assert done.returncode == 0, done.stderr
    assert "Demo data: 2 organisers" in done.stderr
    assert await User.count().run() == len(DEMO_USERS)
