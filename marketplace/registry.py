"""Registry checks: what the Finnish open registries say of a provider, beside its own statement.

Two registries, each behind the ``Registry`` Protocol's one method:

* the business information system's open data (PRH/YTJ, ``HB_REGISTRY_URL``, e.g.
  ``https://avoindata.prh.fi/opendata-ytj-api/v3``): ``GET {url}/companies?businessId=…`` answers
  ``{"totalResults", "companiesList": [company]}``; of a company we read its current name
  (``names`` of type "1" without an ``endDate``), whether it is active (``status`` "2" and no
  ``endDate``) and its current ``registeredEntries`` by register code (REGISTERS);
* the social and health care provider register (Soteri, ``HB_SOTERI_URL``, optional): it has no
  documented open JSON API, so the adapter asks ``GET {url}/providers?businessId=…`` of a small
  service answering ``{"registered": bool, "services": [..]}`` (a county's own proxy);
  docs/decisions/0039 says why.

Off by default: without ``HB_REGISTRY_URL`` nothing is asked and the review page says so. A check
is made when the reviewer asks for one (the review page's button) and, while checks are on, for
each new registration by a worker within a minute (``new_registrations_worker``); each is stored in ``mp_registry_check`` with its date and audited. A registry
that cannot be asked (down, slow, an odd answer) gives a check with status ``unavailable``: the
review goes on without it.
"""

import asyncio
import logging
from typing import Protocol

import httpx
import msgspec

from core import audit, db, identity
from core.clock import utcnow
from core.errors import Forbidden, NotFound
from core.identity import Actor
from core.ids import require_uuid
from core.settings import Settings
from marketplace import domain
from marketplace.tables import Provider, ProviderApproval, ProviderEvidence, RegistryCheck

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(5.0)

# registeredEntries[].register codes of the open data API (its code list "register"), the ones we read.
REGISTERS = {"1": "trade_register", "5": "prepayment_register", "6": "vat_register"}
ACTIVE_STATUS = "2"  # the company's status code "registered"
CURRENT_NAME = "1"  # names[].type of the company's (current) name


class Unavailable(Exception):
    """The registry could not be asked or answered something we cannot read."""


class Found(msgspec.Struct, kw_only=True):
    """What one registry said; a fact it does not know stays None."""

    known: bool = True
    name: str | None = None
    active: bool | None = None
    trade_register: bool | None = None
    prepayment_register: bool | None = None
    vat_register: bool | None = None
    soteri: bool | None = None
    soteri_services: list[str] = []


class Registry(Protocol):
    async def lookup(self, business_id: str) -> Found:
        """What the registry says of ``business_id``; ``known=False`` if it has no such entry.
        Raises Unavailable when it cannot be asked."""
        ...


def _current(entries: list[dict]) -> list[dict]:
    return [e for e in entries or [] if isinstance(e, dict) and not e.get("endDate")]


def read_company(answer: dict) -> Found:
    """The business information system's answer (v3 ``companies``) as facts."""
    companies = answer.get("companiesList") if isinstance(answer, dict) else None
    if not isinstance(companies, list):
        raise Unavailable("no companiesList")
    if not companies:
        return Found(known=False)
    company = companies[0]
    names = [n for n in _current(company.get("names")) if str(n.get("type")) == CURRENT_NAME]
    registers = {REGISTERS[str(e.get("register"))] for e in _current(company.get("registeredEntries"))
                 if str(e.get("register")) in REGISTERS}
    return Found(
        name=names[0].get("name") if names else None,
        active=str(company.get("status")) == ACTIVE_STATUS and not company.get("endDate"),
        **{fact: fact in registers for fact in REGISTERS.values()},
    )


def read_soteri(answer: dict) -> Found:
    if not isinstance(answer, dict) or not isinstance(answer.get("registered"), bool):
        raise Unavailable("no registered")
    services = [str(s) for s in answer.get("services") or []]
    return Found(soteri=answer["registered"], soteri_services=services)


class HttpRegistry:
    """The registries over HTTP (httpx). ``soteri_url`` None: Soteri is not asked."""

    def __init__(self, url: str, soteri_url: str | None = None, *, transport: httpx.AsyncBaseTransport | None = None):
        self.url = url.rstrip("/")
        self.soteri_url = soteri_url.rstrip("/") if soteri_url else None
        self.transport = transport

    async def _get(self, http: httpx.AsyncClient, url: str, business_id: str) -> dict | None:
        try:
            response = await http.get(url, params={"businessId": business_id})
        except httpx.HTTPError as exc:
            raise Unavailable(type(exc).__name__) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise Unavailable(f"HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError as exc:
            raise Unavailable("not JSON") from exc

    async def lookup(self, business_id: str) -> Found:
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False, transport=self.transport) as http:
            answer = await self._get(http, f"{self.url}/companies", business_id)
            try:
                found = read_company(answer) if answer is not None else Found(known=False)
                if self.soteri_url and found.known:
                    soteri = await self._get(http, f"{self.soteri_url}/providers", business_id)
                    read = read_soteri(soteri) if soteri is not None else Found(soteri=False)
                    found.soteri, found.soteri_services = read.soteri, read.soteri_services
            except (AttributeError, TypeError, ValueError) as exc:  # an answer of another shape
                raise Unavailable(f"unreadable answer ({type(exc).__name__})") from exc
        return found


def from_settings(settings: Settings) -> Registry | None:
    """The configured registries, or None when checks are off (no HB_REGISTRY_URL)."""
    return HttpRegistry(settings.registry_url, settings.soteri_url) if settings.registry_url else None


async def check(actor: Actor | None, provider_id, registry: Registry, *, organiser_id=None) -> dict:
    """Ask the registries about the provider now and store what they said (or that they could not
    be asked). The asking happens outside any transaction; the row and its audit entry in one."""
    provider = await Provider.select(Provider.id, Provider.business_id).where(
        Provider.id == require_uuid(provider_id)).first().run()
    if not provider:
        raise NotFound()
    error = ""
    try:
        found = await registry.lookup(provider["business_id"])
        status = "checked" if found.known else "not_found"
        facts = {k: v for k, v in msgspec.structs.asdict(found).items() if k != "known"} if found.known else {}
    except Unavailable as exc:
        log.warning("registry check of %s failed: %s", provider["business_id"], exc)
        status, facts, error = "unavailable", {}, str(exc)[:200]
    row = {"provider": provider["id"], "business_id": provider["business_id"], "status": status, "facts": facts,
           "error": error, "checked_by": actor.user_id if actor and actor.user_id else None, "checked_at": utcnow()}
    async with db.write_transaction():
        await RegistryCheck.insert(RegistryCheck(**row)).run()
        await audit.record(actor, "provider.registry_check", "provider", provider["id"], organiser_id=organiser_id,
                           details={"status": status, "business_id": provider["business_id"], "error": error})
    return row


async def check_for_review(actor: Actor, approval_id, registry: Registry | None) -> dict | None:
    """The reviewer's button: only the organiser the approval is with may ask. With checks off
    (``registry`` None) nothing is asked and nothing stored."""
    approval = await ProviderApproval.select(ProviderApproval.provider, ProviderApproval.organiser).where(
        ProviderApproval.id == require_uuid(approval_id)).first().run()
    if not approval:
        raise NotFound()
    identity.require(actor, "organiser_admin")
    if actor.organiser_id != str(approval["organiser"]):
        raise Forbidden()
    if registry is None:
        return None
    return await check(actor, approval["provider"], registry, organiser_id=approval["organiser"])


async def latest(provider_id, name: str) -> dict | None:
    """The provider's last check, with each fact beside its own statement (for the review page)."""
    row = await RegistryCheck.select().where(RegistryCheck.provider == require_uuid(provider_id)).order_by(
        RegistryCheck.checked_at, ascending=False).output(load_json=True).first().run()
    if not row:
        return None
    evidence = {e["requirement"]: e["provided"] for e in await ProviderEvidence.select(
        ProviderEvidence.requirement, ProviderEvidence.provided).where(ProviderEvidence.provider == row["provider"]).run()}
    row["rows"] = domain.compare_registry(name, evidence, row["facts"] or {}) if row["status"] == "checked" else []
    row["mismatches"] = sum(1 for r in row["rows"] if r["mismatch"])
    return row


# A new registration is checked by the worker, not in the registration's request: the answer to a
# registration must not take longer than the one given when the e-mail already has an account
# (providers.register: no account enumeration), and a slow registry must not slow it down.
CHECK_NEW_EVERY_S = 60
NEW_PER_ROUND = 20


async def check_new_registrations(adapter: Registry, *, limit: int = NEW_PER_ROUND) -> int:
    """Check providers waiting for a first decision that have never been checked (oldest first).
    One that could not be asked has a check (``unavailable``) and waits for the reviewer's button."""
    waiting = await ProviderApproval.select(ProviderApproval.provider, ProviderApproval.organiser).where(
        ProviderApproval.status == "pending").order_by(ProviderApproval.submitted_at).run()
    checked = {r["provider"] for r in await RegistryCheck.select(RegistryCheck.provider).where(
        RegistryCheck.provider.is_in(list({r["provider"] for r in waiting}))).run()} if waiting else set()
    done = 0
    for row in waiting:
        if done >= limit:
            break
        if row["provider"] in checked:
            continue
        checked.add(row["provider"])
        await check(None, row["provider"], adapter, organiser_id=row["organiser"])
        done += 1
    return done


async def new_registrations_worker(app, settings: Settings) -> None:
    """With checks on, each new registration is checked within a minute."""
    adapter = from_settings(settings)
    if adapter is None:
        return
    while True:
        try:
            await check_new_registrations(adapter)
        except Exception:  # noqa: BLE001 - keep going; the next round retries
            log.exception("registry checks of new registrations failed")
        await asyncio.sleep(CHECK_NEW_EVERY_S)
