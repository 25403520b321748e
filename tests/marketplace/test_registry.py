"""Registry checks (issue 18, decision 0039): the registries are asked through
``marketplace.registry.HttpRegistry`` of a local stub server replaying the recorded answers in
tests/fixtures/registry/ (see its README); the result and its date are stored and shown on the
provider's review page beside the provider's own statement; a registry that cannot be asked is
"ei voitu tarkistaa" and the review still works; with no HB_REGISTRY_URL nothing is asked."""

import contextlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import msgspec
import pytest

from core import identity
from core.clock import HELSINKI
from core.errors import Forbidden
from core.tables import AuditEvent
from hb.app import create_app
from marketplace import domain, registry
from marketplace.tables import ProviderApproval, RegistryCheck
from tests.conftest import Lifespan
from tests.helpers import form_post
from tests.world import category, county, document, load, person, provider

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "registry"
MATCHING, MISMATCH, CARE, UNKNOWN = "9990011-2", "9990022-7", "9990033-1", "9990044-6"


class _Replay(BaseHTTPRequestHandler):
    """GET /companies?businessId=… and /providers?businessId=… from the recorded files; while the
    server's ``down`` is set, 503 to everything."""

    def do_GET(self):  # noqa: N802 - the stdlib's name
        url = urlparse(self.path)
        business_id = parse_qs(url.query).get("businessId", [""])[0]
        prefix = {"/companies": "companies", "/providers": "soteri"}.get(url.path)
        if self.server.down or prefix is None:
            self.send_response(503 if self.server.down else 404)
            self.end_headers()
            return
        path = FIXTURES / f"{prefix}-{business_id}.json"
        body = (path if path.is_file() else FIXTURES / f"{prefix}-unknown.json").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def stub_registry():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    server.down = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----- pure parts -----


def test_the_recorded_answers_read_as_facts():
    found = registry.read_company(json.loads((FIXTURES / f"companies-{MATCHING}.json").read_text()))
    assert (found.name, found.active, found.trade_register, found.prepayment_register, found.vat_register) == (
        "Talli Kavio Oy", True, True, True, True)
    renamed = registry.read_company(json.loads((FIXTURES / f"companies-{MISMATCH}.json").read_text()))
    # The ended name and the ended prepayment entry no longer count.
    assert (renamed.name, renamed.prepayment_register, renamed.vat_register) == ("Sävel ja Sivellin Oy", False, False)
    assert registry.read_company(json.loads((FIXTURES / "companies-unknown.json").read_text())).known is False
    with pytest.raises(registry.Unavailable):
        registry.read_company({"error": "busy"})
    with pytest.raises(registry.Unavailable):
        registry.read_soteri({"registered": "kyllä"})


def test_registry_facts_are_compared_with_the_own_statement():
    found = {"name": "Talli  kavio oy", "active": True, "prepayment_register": False, "vat_register": True, "soteri": None}
    rows = {r["fact"]: r for r in domain.compare_registry("Talli Kavio Oy", {"prepayment_register": True}, found)}
    assert not rows["name"]["mismatch"]  # case and spacing are not a difference
    assert rows["prepayment_register"] == {"fact": "prepayment_register", "own": True, "registry": False, "mismatch": True}
    assert rows["vat_register"]["own"] is None and not rows["vat_register"]["mismatch"]
    assert "soteri" not in rows  # not asked
    assert domain.compare_registry("X", {}, {"active": False})[0]["mismatch"]


# ----- the adapter against the stub, and what is stored -----


async def _world(evidence: dict | None = None) -> dict:
    providers = [
        provider("p-match", MATCHING, "Talli Kavio Oy", approved_by={"org-a": "pending"},
                 evidence=evidence or {"prepayment_register": True}),
        provider("p-mismatch", MISMATCH, "Taidepaja Sävel Oy", approved_by={"org-a": "pending"},
                 evidence={"prepayment_register": True}),
        provider("p-care", CARE, "Hoivapalvelu Kaste Oy", approved_by={"org-a": "pending"},
                 evidence={"prepayment_register": True, "private_social_services_registration": True}),
        provider("p-unknown", UNKNOWN, "Tuntematon Oy", approved_by={"org-a": "pending"}),
    ]
    refs = (await load(document(counties=[county("org-a"), county("org-b")], categories=[
        category("sport-riding", requirements=["prepayment_register"])], providers=providers)))["refs"]
    approvals = {str(r["provider"]): str(r["id"]) for r in await ProviderApproval.select().run()}
    return {"refs": refs, "approval": {ref: approvals[refs[ref]] for ref in ("p-match", "p-mismatch", "p-care", "p-unknown")},
            "admin": await person("organiser_admin", organiser_id=refs["org-a"], password=None),
            "other": await person("organiser_admin", organiser_id=refs["org-b"], password=None)}


async def test_a_matching_company_a_mismatch_and_an_unknown_id(db):
    w = await _world()
    with stub_registry() as (_server, url):
        adapter = registry.HttpRegistry(url, url)
        ok = await registry.check_for_review(w["admin"].actor, w["approval"]["p-match"], adapter)
        bad = await registry.check_for_review(w["admin"].actor, w["approval"]["p-mismatch"], adapter)
        care = await registry.check_for_review(w["admin"].actor, w["approval"]["p-care"], adapter)
        unknown = await registry.check_for_review(w["admin"].actor, w["approval"]["p-unknown"], adapter)
        with pytest.raises(Forbidden):
            await registry.check_for_review(w["other"].actor, w["approval"]["p-match"], adapter)
    assert (ok["status"], bad["status"], unknown["status"]) == ("checked", "checked", "not_found")
    shown = await registry.latest(w["refs"]["p-match"], "Talli Kavio Oy")
    assert shown["mismatches"] == 0 and {r["fact"] for r in shown["rows"]} >= {"name", "prepayment_register", "soteri"}
    flagged = await registry.latest(w["refs"]["p-mismatch"], "Taidepaja Sävel Oy")
    assert {r["fact"] for r in flagged["rows"] if r["mismatch"]} == {"name", "prepayment_register"}
    assert care["facts"]["soteri"] is True and care["facts"]["soteri_services"] == ["Henkilökohtainen apu", "Kotihoito"]
    cared = await registry.latest(w["refs"]["p-care"], "Hoivapalvelu Kaste Oy")
    assert cared["mismatches"] == 0
    assert await RegistryCheck.count().run() == 4  # the refused one asked nothing
    assert await AuditEvent.count().where(AuditEvent.action == "provider.registry_check").run() == 4


async def test_a_registry_that_cannot_be_asked_is_stored_as_unavailable(db):
    w = await _world()
    with stub_registry() as (server, url):
        server.down = True
        down = await registry.check(w["admin"].actor, w["refs"]["p-match"], registry.HttpRegistry(url))
    refused = await registry.check(w["admin"].actor, w["refs"]["p-match"],
                                   registry.HttpRegistry(f"http://127.0.0.1:{_closed_port()}"))
    assert (down["status"], down["error"]) == ("unavailable", "HTTP 503")
    assert refused["status"] == "unavailable" and refused["error"] == "ConnectError"
    assert (await registry.latest(w["refs"]["p-match"], "Talli Kavio Oy"))["rows"] == []


async def test_new_registrations_are_checked_once_by_the_worker(db):
    await _world()
    with stub_registry() as (_server, url):
        adapter = registry.HttpRegistry(url)
        assert await registry.check_new_registrations(adapter, limit=3) == 3
        assert await registry.check_new_registrations(adapter) == 1
        assert await registry.check_new_registrations(adapter) == 0
    assert await RegistryCheck.count().run() == 4
    entry = await AuditEvent.select().where(AuditEvent.action == "provider.registry_check").first().run()
    assert entry["actor_role"] == "system"


# ----- the review page -----


@contextlib.asynccontextmanager
async def _app_with_registry(db, url: str | None):
    """The app as deployed with HB_REGISTRY_URL (and HB_SOTERI_URL) set to ``url``."""
    app = create_app(msgspec.structs.replace(db.settings, registry_url=url, soteri_url=url), engine=db.engine,
                     run_workers=False)
    async with Lifespan(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as http:
            yield http


async def _sign_in(http, admin) -> None:
    http.cookies.set(identity.SESSION_COOKIE, await identity.start_session(admin.actor.user_id, 1))


async def test_the_review_page_says_when_checks_are_off(db, client):
    w = await _world()
    await _sign_in(client, w["admin"])
    page = await client.get(f"/organiser/reviews/provider/{w['approval']['p-match']}")
    assert page.status_code == 200, page.text[:3000]
    assert "Rekisteritarkistus ei ole käytössä" in page.text
    assert "/organiser/registry-checks/" not in page.text
    asked = await form_post(client, f"/organiser/registry-checks/{w['approval']['p-match']}", {})
    assert asked.status_code == 303  # nothing to ask: back to the page
    assert await RegistryCheck.count().run() == 0


async def test_the_reviewer_checks_and_sees_the_result_beside_the_statement(db):
    w = await _world()
    with stub_registry() as (server, url):
        async with _app_with_registry(db, url) as http:
            await _sign_in(http, w["admin"])
            review = f"/organiser/reviews/provider/{w['approval']['p-mismatch']}"
            before = await http.get(review)
            assert "Rekistereitä ei ole vielä tarkistettu" in before.text and "Tarkista rekistereistä nyt" in before.text
            asked = await form_post(http, f"/organiser/registry-checks/{w['approval']['p-mismatch']}", {})
            assert asked.status_code == 303
            page = (await http.get(review)).text
            check = await RegistryCheck.select().first().run()
            day = f"{check['checked_at'].astimezone(HELSINKI).day}."
            assert "Oma ilmoitus" in page and f"Rekisteri {day}" in page
            assert "Rekisteri ja oma ilmoitus eroavat 2 kohdassa" in page
            assert "Sävel ja Sivellin Oy" in page and "Ei täsmää" in page

            match = f"/organiser/reviews/provider/{w['approval']['p-match']}"
            await form_post(http, f"/organiser/registry-checks/{w['approval']['p-match']}", {})
            page = (await http.get(match)).text
            assert "täsmää" in page and "eroavat" not in page

            server.down = True
            await form_post(http, f"/organiser/registry-checks/{w['approval']['p-match']}", {})
            page = (await http.get(match)).text
            assert "Rekistereitä ei voitu tarkistaa" in page
            # The review goes on without the registry.
            decided = await form_post(http, match, {"action": "approve", "reason": ""})
            assert decided.status_code == 303
            assert (await ProviderApproval.select(ProviderApproval.status).where(
                ProviderApproval.id == w["approval"]["p-match"]).first().run())["status"] == "approved"
