"""`hb demo`: load the demo data set, publish weekly times for the approved demo listings, then
create one demo user per role through the invitation service, as a county's people get theirs (the
demo proxy's invitation carries its rights for its client). Running it again changes nothing.

The data set is `demo_data.json` beside this module: an `hb-import/1` document (`hb import`
reads it too) with one section more, `demo`, that the importer ignores: the requirement codes the
data use and the sign-in accounts, one per role, whose passwords are in the README (demo only).
The data imitate a Keski-Uusimaa (Keusote) pilot grown from respite, day activities and transport
into art lessons at home, coaching, pool therapy, riding, social farming and associations' peer
support, with a second county so that approvals per organiser show. Everything is fictional:
business IDs and IBANs have valid check digits but belong to no-one, e-mail addresses are under
`.example`, clients are pseudonyms ("Asiakas 0001") with no identity numbers. The three providers,
three listings and the first client of `tests/fixtures/import-example.json` are in it unchanged in
substance, so importing the example and then the demo updates rather than duplicates.
"""

import copy
import datetime as dt
import json
import uuid
from pathlib import Path

import core.messages  # noqa: F401 - the catalogue texts of validation errors
import marketplace.messages  # noqa: F401
from core import bootstrap, db, identity
from core.clock import HELSINKI, utcnow
from core.identity import Actor
from hb import wiring
from marketplace.booking import availability
from marketplace.booking.schemas import RuleInput
from voucher import invitations, plan_parts, plan_proposals, plans, proxies
from voucher.assessment import domain as assessment_domain
from voucher.assessment import services as assessments
from voucher.assessment.schemas import CriterionAnswer, NeedArea, NeedAssessmentInput, SuitabilityInput

DATA_FILE = Path(__file__).with_name("demo_data.json")
_DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))
_EXTRAS = _DATA.pop("demo")
# The requirement codes providers show evidence for, in their usual order.
REQUIREMENTS: tuple[str, ...] = tuple(_EXTRAS["requirements"])
# The sign-in accounts: email, password, role, display_name and scope_ref (the organiser, provider
# or client the account belongs to; none for the platform admin).
DEMO_USERS: list[dict] = _EXTRAS["users"]
# Whose caseload each demo client is in: [{counsellor: e-mail, clients: [client ref]}]. Given to the
# clients through the import's ``counsellor_email`` once the counsellors' accounts exist (so `hb
# import` of the data set alone still works on an empty platform).
CASELOADS: list[dict] = _EXTRAS.get("caseloads", [])


def build_demo_document() -> dict:
    """The demo data set as an `hb-import/1` document, a fresh copy on every call."""
    return copy.deepcopy(_DATA)


# The weekly times every approved demo listing offers: Monday to Friday at 10.00 (Helsinki), an
# hour, two places.
DEMO_WEEKDAYS = (0, 1, 2, 3, 4)
DEMO_START, DEMO_MINUTES, DEMO_CAPACITY = "10:00", 60, 2
# Who publishes them in the audit log: "hb demo" as the listing's provider staff (a fixed id, no account).
DEMO_PUBLISHER_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "https://demo.hb.example/hb-demo"))
# What the demo proxy may do for its client: see the budget, book, confirm or dispute a delivery.
DEMO_PROXY_RIGHTS = ["view", "book", "pay"]


async def load(settings, progress=print) -> int:
    doc = build_demo_document()
    progress(f"Demo data: {len(doc['organisers'])} organisers, {len(doc['categories'])} categories, "
             f"{len(doc['providers'])} providers, {len(doc['listings'])} listings, {len(doc.get('clients', []))} clients")
    progress("Importing (validate, then apply in one transaction)…")
    result = await wiring.import_document(doc, actor=Actor(role="platform_admin", display_name="hb demo"), settings=settings)
    refs = result["refs"]
    s = result["summary"]
    progress(f"  {s['created']} created, {s['updated']} updated, {s['decisions']} approval decisions")
    published = await _publish_times(doc, refs)
    progress(f"  weekly times published for {published} approved listing(s)")
    client_organiser = {c["ref"]: c.get("organiser") for c in doc.get("clients", [])}
    created, user_ids = await _demo_users(settings, refs, client_organiser)
    for proxy in (u for u in DEMO_USERS if u["role"] == "proxy" and u["scope_ref"] in refs):
        # An account from before the demo came through invitations may lack the grant: give it once.
        organiser_ref = client_organiser.get(proxy["scope_ref"])
        admin = next(u for u in DEMO_USERS if u["role"] == "organiser_admin" and u["scope_ref"] == organiser_ref)
        await _grant_proxy(Actor(user_id=user_ids[admin["email"]], role="organiser_admin", display_name="hb demo",
                                 organiser_id=refs[organiser_ref]), refs[proxy["scope_ref"]], user_ids[proxy["email"]])
    progress(f"  {created} demo user(s) created ({len(DEMO_USERS) - created} already there)")
    assigned = await _assign_caseloads(doc, settings)
    progress(f"  {assigned} client(s) given a counsellor")
    progress("  " + await _demo_assessments(refs, user_ids))
    progress("  " + await _demo_document(settings, refs, user_ids))
    progress("  " + await _demo_payout(settings, refs, user_ids))
    progress("  " + await _demo_plan(refs, user_ids))
    progress("  " + await _demo_thread(refs, user_ids))
    progress("Demo data ready. Sign in with the demo users listed in README.md.")
    return 0


# The order the demo's people get their accounts: each is invited by someone who has one already.
_ROLE_ORDER = ("platform_admin", "organiser_admin", "counsellor", "provider_staff", "client", "proxy")


async def _demo_users(settings, refs: dict, client_organiser: dict) -> tuple[int, dict[str, str]]:
    """The demo's people, made as a county's would be: the platform admin by ``hb admin create``'s
    function, everyone else by an invitation (``voucher.invitations``, the one rule) that they
    accept with the README's password — the platform admin invites the counties' admins and the
    stable's first staff account, a county's admin its counsellor, the counsellor (or, where the
    county has none in the demo, its admin) the client and the client's proxy with its rights.
    Accounts that exist already are left as they are. (number created, e-mail → user id)"""
    user_ids: dict[str, str] = {}
    actors: dict[tuple, Actor] = {}
    created = 0
    for user in sorted(DEMO_USERS, key=lambda u: _ROLE_ORDER.index(u["role"])):
        role, ref = user["role"], user.get("scope_ref")
        organiser_ref = client_organiser.get(ref) if role in ("client", "proxy") else ref
        scope = {"organiser_id": refs.get(organiser_ref)} if role in ("counsellor", "organiser_admin") else {}
        if role == "provider_staff":
            scope = {"provider_id": refs.get(ref)}
        elif role in ("client", "proxy"):
            scope = {"client_id": refs.get(ref)}
        exists = await identity.account_by_email(user["email"])
        if exists:
            user_id = exists.id
        elif role == "platform_admin":
            user_id = await bootstrap.create_platform_admin(user["email"], user["password"], user["display_name"])
            created += 1
        else:
            inviter = _demo_inviter(actors, role, organiser_ref)
            issued = await invitations.invite(inviter, invitations.InvitationCreate(
                email=user["email"], role=role, display_name=user["display_name"],
                rights=DEMO_PROXY_RIGHTS if role == "proxy" else None, **scope), settings=settings)
            user_id = await invitations.accept(issued.token, password=user["password"],
                                               display_name=user["display_name"], settings=settings)
            created += 1
        user_ids[user["email"]] = user_id
        actors[(role, organiser_ref)] = Actor(user_id=user_id, role=role, display_name=user["display_name"],
                                              organiser_id=refs.get(organiser_ref) if role in (
                                                  "counsellor", "organiser_admin") else None)
    return created, user_ids


# The payment the demo shows arriving: the client's riding therapy at Talli Tuulenpesä, paid with the
# HB card in the last settlement period that ended before the dispute window, then settled — so the stable's remittance
# page has a payout marked paid, and its SEPA file is under HB_DATA_DIR/payouts.
DEMO_PAYMENT = {"client": "cli-0001", "provider": "prov-tuulenpesa", "listing": "lst-ratsastusterapia",
                "card_token": "hbc_demo_0001_dd87", "amount_cents": 7500}


async def _demo_assessments(refs: dict, user_ids: dict[str, str]) -> str:
    """Keusote's suitability criteria (its admin saves the platform's Finnish defaults as its own),
    and the demo client's need and suitability assessments by the demo counsellor — found suitable,
    so the client's decisions stand. Once: a county with criteria, a client with versions, is left."""
    def keusote(role: str) -> Actor:
        user = next(u for u in DEMO_USERS if u["role"] == role and u["scope_ref"] == "org-keusote")
        return Actor(user_id=user_ids[user["email"]], role=role, display_name=user["display_name"],
                     organiser_id=refs["org-keusote"])

    admin, counsellor = keusote("organiser_admin"), keusote("counsellor")
    now = utcnow()
    if (await assessments.criteria_for(refs["org-keusote"])).default:
        await assessments.save_criteria(admin, list(assessment_domain.DEFAULT_CRITERIA), now)
    client_id = refs[DEMO_PAYMENT["client"]]
    if await assessments.latest_suitability(client_id) is not None:
        return "assessments already there"
    today = now.date() - dt.timedelta(days=1)
    await assessments.record_need(counsellor, client_id, NeedAssessmentInput(
        assessed_on=today, participants=["asiakas", "äiti (läheinen)", "asiakasohjaaja"],
        client_view="Haluan käydä päivätoiminnassa kolmesti viikossa ja päästä sinne itse.",
        areas=[NeedArea(category="day-activities", level="substantial", need="Päivätoimintaa 3 päivää viikossa"),
               NeedArea(category="transport", level="some", need="Kuljetus päivätoimintaan ja takaisin")]), now)
    criteria = (await assessments.criteria_for(refs["org-keusote"])).criteria
    await assessments.record_suitability(counsellor, client_id, SuitabilityInput(
        assessed_on=today, criteria=[CriterionAnswer(criterion=c, met=True) for c in criteria], outcome="suitable",
        reason="Tarpeesi on pitkäaikainen, ja voit valita palvelut itse äitisi tuella."), now)
    return "the demo client's need and suitability assessed"


def minimal_pdf(text: str) -> bytes:
    """A real one-page PDF saying ``text`` (Latin-1): catalog, pages, page, content stream, font,
    and a cross-reference table with the right byte offsets, so a viewer opens it."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


async def _demo_document(settings, refs: dict, user_ids: dict[str, str]) -> str:
    """The stable's liability insurance certificate as a PDF document, valid from the start of this
    year to the end of the next (decision 0038): its documents page, the review page's documents
    and the approval's validity show it. Once: a provider with documents is left as it is."""
    from marketplace import documents
    from marketplace.evidence_store import store_for

    provider_id = refs.get(DEMO_PAYMENT["provider"])
    staff = next(u for u in DEMO_USERS if u["role"] == "provider_staff" and u["scope_ref"] == DEMO_PAYMENT["provider"])
    stable = Actor(user_id=user_ids[staff["email"]], role="provider_staff", provider_id=provider_id,
                   display_name=staff["display_name"])
    if await documents.documents_of(stable, provider_id):
        return "evidence document: there already"
    today = utcnow().astimezone(HELSINKI).date()
    await documents.upload(stable, provider_id, "liability_insurance",
                           minimal_pdf("Vastuuvakuutus 55-123, Talli Tuulenpesa Oy (demo)"),
                           dt.date(today.year, 1, 1), dt.date(today.year + 1, 12, 31), store=store_for(settings))
    return "the stable's liability insurance uploaded as a document"


async def _demo_payout(settings, refs: dict, user_ids: dict[str, str]) -> str:
    from admin import background as console
    from marketplace.tables import Organiser
    from voucher import domain as voucher_domain
    from voucher.tables import Capture

    provider_id = refs.get(DEMO_PAYMENT["provider"])
    if provider_id is None or await Capture.exists().where(Capture.provider_id == provider_id).run():
        return "demo payout: there already"
    now = utcnow()
    organiser = await Organiser.select(Organiser.settlement_period).where(Organiser.id == refs["org-keusote"]).first().run()
    # Paid early enough that the client's dispute window (HB_DISPUTE_WINDOW_DAYS) has closed by now:
    # settlement pays a card payment only after it.
    window = dt.timedelta(days=settings.dispute_window_days)
    period = voucher_domain.last_completed_period(organiser["settlement_period"] or "daily", now - window)
    paid_at = dt.datetime.combine(period.start, dt.time(8, 0), tzinfo=dt.timezone.utc)  # 10.00 in Helsinki
    staff = next(u for u in DEMO_USERS if u["role"] == "provider_staff" and u["scope_ref"] == DEMO_PAYMENT["provider"])
    stable = Actor(user_id=user_ids[staff["email"]], role="provider_staff", provider_id=provider_id,
                   display_name=staff["display_name"])
    paid = await _card_payment(settings, refs, user_ids, stable, DEMO_PAYMENT["amount_cents"], paid_at)
    if "declined" in paid:
        return f"demo payout: the card payment was declined ({paid['declined']}), nothing settled"
    summary = await console.settle(settings, now)
    disputed = await _demo_dispute(settings, refs, user_ids, stable, now)
    return (f"demo payout: {summary.batches_closed} batch(es) closed, {summary.batches_paid} paid "
            f"({len(summary.sepa_files)} SEPA file(s) under HB_DATA_DIR/payouts); {disputed}")


# A payment the demo client disputes: yesterday's second card payment at the stable, still inside its
# dispute window, so the client's budget, the county's disputes page, the counsellor's caseload and
# the stable's settlements page each show a payment waiting for the county's decision.
DEMO_DISPUTE = {"amount_cents": 3500, "reason": "Tunti peruttiin tallin puolelta, mutta maksu veloitettiin silti."}


async def _demo_dispute(settings, refs: dict, user_ids: dict[str, str], stable: Actor, now) -> str:
    from voucher.disputes import services as disputes

    paid = await _card_payment(settings, refs, user_ids, stable, DEMO_DISPUTE["amount_cents"], now - dt.timedelta(days=1))
    if "declined" in paid:
        return f"the disputed payment was declined ({paid['declined']})"
    client = next(u for u in DEMO_USERS if u["role"] == "client" and u["scope_ref"] == DEMO_PAYMENT["client"])
    await disputes.dispute(Actor(user_id=user_ids[client["email"]], role="client", client_id=refs[DEMO_PAYMENT["client"]],
                                 display_name=client["display_name"]), paid["capture_id"], DEMO_DISPUTE["reason"], now=now)
    return "one card payment disputed by the client, waiting for the county"


DEMO_MESSAGE = "Hei! Voisitko auttaa minua varaamaan ratsastusterapian ensi viikolle? Sopii parhaiten aamupäivä."


async def _demo_thread(refs: dict, user_ids: dict[str, str]) -> str:
    """The demo client lets their counsellor book for them and writes to the counsellor (once)."""
    from core.clock import utcnow
    from voucher.support import consent, thread
    from voucher.tables import ClientMessage

    client_id = refs[DEMO_PAYMENT["client"]]
    if await ClientMessage.exists().where(ClientMessage.client == client_id).run():
        return "the demo client's messages are there already"
    holder = next(u for u in DEMO_USERS if u["role"] == "client" and u["scope_ref"] == DEMO_PAYMENT["client"])
    client = Actor(user_id=user_ids[holder["email"]], role="client", client_id=client_id,
                   display_name=holder["display_name"])
    now = utcnow()
    await consent.give_standing(client, client_id, now)
    await thread.send(client, client_id, thread.MessageCreate(body=DEMO_MESSAGE), now=now)
    return "the demo client lets their counsellor book for them and has written to the counsellor"


async def _card_payment(settings, refs: dict, user_ids: dict[str, str], stable: Actor, amount_cents: int,
                        paid_at) -> dict:
    """The demo client's card pays the stable for its riding therapy at ``paid_at``, through the
    stable's terminal API: ``{"capture_id": …}``, or ``{"declined": code}``. Over the county's
    low-value exemption the client approves it with a one-time code made at /client/pay a minute before."""
    from voucher import authorisation, card_consent, card_rules
    from voucher.schemas import AuthorizationRequest

    code = None
    client_id = refs[DEMO_PAYMENT["client"]]
    if amount_cents > (await card_rules.rules_for(refs["org-keusote"])).single_cents:
        holder = next(u for u in DEMO_USERS if u["role"] == "client" and u["scope_ref"] == DEMO_PAYMENT["client"])
        payer = Actor(user_id=user_ids[holder["email"]], role="client", client_id=client_id,
                      display_name=holder["display_name"])
        code = (await card_consent.make_code(payer, client_id, amount_cents, settings=settings,
                                             now=paid_at - dt.timedelta(minutes=1))).code
    stored = await authorisation.authorise(stable, AuthorizationRequest(
        card_token=DEMO_PAYMENT["card_token"], amount_cents=amount_cents, listing_id=refs[DEMO_PAYMENT["listing"]],
        client_code=code), settings=settings, now=paid_at)
    answer = json.loads(stored.body)
    if answer.get("status") != "approved":
        return {"declined": answer.get("decline_code")}
    # The budget holds its part only when the line has a client-fee rule (docs/decisions/0033): capture that.
    capture = await authorisation.capture(stable, answer["id"], answer["amount_cents"], now=paid_at, settings=settings)
    return {"capture_id": json.loads(capture.body)["id"]}


def _demo_inviter(actors: dict[tuple, Actor], role: str, organiser_ref: str | None) -> Actor:
    if role in ("organiser_admin", "provider_staff"):
        return actors[("platform_admin", None)]
    if role == "counsellor":
        return actors[("organiser_admin", organiser_ref)]
    return actors.get(("counsellor", organiser_ref)) or actors[("organiser_admin", organiser_ref)]


async def _publish_times(doc: dict, refs: dict) -> int:
    """Weekly times for each approved demo listing that has none yet, published by the listing's
    provider through the availability service (audited like a provider's own), in one transaction."""
    today = utcnow().date()
    approved = [(refs[item["ref"]], refs[item["provider"]]) for item in doc["listings"]
                if item["ref"] in refs and any(a["status"] == "approved" for a in item["approvals"])]

    async def op() -> int:
        published = 0
        for listing_id, provider_id in approved:
            rules, _exceptions = await availability.rules_and_exceptions(listing_id, today, today)
            if rules:
                continue
            staff = Actor(user_id=DEMO_PUBLISHER_ID, role="provider_staff", provider_id=str(provider_id),
                          display_name="hb demo")
            for weekday in DEMO_WEEKDAYS:
                await availability.add_rule(staff, listing_id, RuleInput(
                    weekday=weekday, start_time=DEMO_START, duration_minutes=DEMO_MINUTES, capacity=DEMO_CAPACITY))
            published += 1
        return published

    return await db.in_write_transaction(op)


async def _grant_proxy(organiser_admin: Actor, client_id: str, user_id: str) -> None:
    """The demo proxy acts for its client with every right, granted once by the client's organiser
    admin through the voucher's proxy service."""
    if set(DEMO_PROXY_RIGHTS) <= await proxies.rights_of(user_id, client_id):
        return
    await proxies.grant_proxy(organiser_admin, client_id, proxies.ProxyInput(
        proxy_user_id=user_id, rights=DEMO_PROXY_RIGHTS, reason="demo"))


def caseload_document(doc: dict) -> dict:
    """The demo's clients again, each named in ``CASELOADS`` with its counsellor's e-mail: an
    `hb-import/1` document with a clients section only (everything else is on the platform)."""
    counsellor_of = {ref: load["counsellor"] for load in CASELOADS for ref in load["clients"]}
    clients = [dict(c, counsellor_email=counsellor_of[c["ref"]]) for c in doc.get("clients", [])
               if c["ref"] in counsellor_of]
    return {"format": doc["format"], "clients": clients}


async def _assign_caseloads(doc: dict, settings) -> int:
    """Give the demo clients their counsellors through the import (unchanged ones write nothing)."""
    part = caseload_document(doc)
    if not part["clients"]:
        return 0
    await wiring.import_document(part, actor=Actor(role="platform_admin", display_name="hb demo"), settings=settings)
    return len(part["clients"])


async def _demo_plan(refs: dict, user_ids: dict[str, str]) -> str:
    """The demo client's plan, once: the counsellor responsible, a need, a goal, a follow-up in five
    days (a task in the counsellor's caseload, a reminder due) and a proposal of the client's waiting."""
    client_user = next((u for u in DEMO_USERS if u["role"] == "client" and u["scope_ref"] in refs), None)
    counsellor = next((u for u in DEMO_USERS if u["role"] == "counsellor"), None)
    if not client_user or not counsellor or counsellor["email"] not in user_ids:
        return "no demo plan (no client or counsellor)"
    client_id = refs[client_user["scope_ref"]]
    if (await plans.plan_for(client_id)).id is not None:
        return "the demo plan is there already"
    actor = Actor(user_id=user_ids[counsellor["email"]], role="counsellor", display_name=counsellor["display_name"],
                  organiser_id=refs[counsellor["scope_ref"]])
    today = dt.datetime.now(HELSINKI).date()
    await plans.save_plan(actor, client_id, plans.PlanInput(
        needs="Tukea arjen asiointiin ja liikkumiseen kodin ulkopuolella.",
        follow_up_dates=[today + dt.timedelta(days=5)], responsible_user_id=actor.user_id))
    await plans.add_goal(actor, client_id, plans.GoalInput(title="Käyn ratsastamassa kerran viikossa"))
    await plan_parts.add_item(actor, client_id, plan_parts.ItemInput(kind="need", text="Kuljetus tallille"))
    own = Actor(user_id=user_ids.get(client_user["email"]), role="client", client_id=client_id,
                display_name=client_user["display_name"])
    await plan_proposals.propose(own, client_id, plan_proposals.ProposalInput(
        kind="goal", text="Haluan oppia käyttämään bussia yksin"))
    return "the demo client's plan written (a follow-up in five days, a proposal waiting)"
