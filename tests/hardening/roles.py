"""Every role of the access-control matrix, signed in to one running app, in one world: two counties,
a provider approved only by the first county and one approved by both, clients in both, a proxy,
a live authorisation and capture, the first client's bookings (requested, completed, reviewed) on
the riding listing's weekly times, and an anomaly flag. Each role is an HTTP client with its own
session cookie."""

import datetime as dt
import json
import uuid

from admin import anomalies, payouts
from admin.tables import AnomalyFlag
from core import identity
from core.clock import HELSINKI
from core.identity import Actor
from marketplace import documents, providers
from marketplace.booking import availability, reviews
from marketplace.booking import domain as booking_domain
from marketplace.booking import services as bookings
from marketplace.booking.schemas import BookingCreate, ExceptionInput, ReviewCreate
from marketplace.booking.tables import Notification
from marketplace.schemas import ProviderUpdate
from marketplace.evidence_store import store_for
from marketplace.tables import ListingApproval, ServiceCategory
from tests import world
from tests.hardening.world import CARDS, document
from voucher import authorisation, budgets, cards, invitations, plan_parts, plan_proposals, plans
from voucher.disputes import services as disputes
from voucher.schemas import AuthorizationRequest
from voucher.settlement import settle
from voucher.tables import SettlementBatch

ROLES = ("anonymous", "client", "proxy", "other_client", "provider", "provider_key", "other_provider", "counsellor",
         "org_admin", "other_org_admin", "platform_admin")
# Roles that are an API key, not a person: ``provider_key`` is a terminal key of the first provider
# (the scope every key gets). A key passes only the rows that name it.
KEY_ROLES = ("provider_key",)


def matrix_document() -> dict:
    doc = document()
    # The first provider (and its riding listing) serve the first county only; a third listing waits
    # for the first county's review.
    doc["providers"][0]["approvals"] = [{"organiser": "org-a", "status": "approved"}]
    doc["listings"][0]["approvals"] = [{"organiser": "org-a", "status": "approved"}]
    pending = dict(doc["listings"][0], ref="lst-pending", title={"fi": "Talutusratsastus"},
                   approvals=[{"organiser": "org-a", "status": "pending"}])
    doc["listings"].append(pending)
    return doc


async def build(settings, make_client) -> dict:
    """The world's ids (``W``) and a client per role (``clients``), on one app."""
    result = await world.load(matrix_document(), settings)
    refs = result["refs"]
    org_a, org_b = refs["org-a"], refs["org-b"]
    scopes = {
        "client": dict(client_id=refs["cli-a1"]),
        "proxy": {},
        "other_client": dict(client_id=refs["cli-a2"]),
        "provider": dict(provider_id=refs["prov-a"]),
        "other_provider": dict(provider_id=refs["prov-b"]),
        "counsellor": dict(organiser_id=org_a),
        "org_admin": dict(organiser_id=org_a),
        "other_org_admin": dict(organiser_id=org_b),
        "platform_admin": {},
    }
    role_names = {"other_client": "client", "other_provider": "provider_staff", "provider": "provider_staff",
                  "org_admin": "organiser_admin", "other_org_admin": "organiser_admin"}
    anonymous = await make_client(stripe_webhook_secret="whsec_matrix_test")
    clients = {"anonymous": anonymous}
    users = {}
    for role, scope in scopes.items():
        user_id = (await world.person(role_names.get(role, role), f"{role}@matrix.example", name=f"Matrix {role}",
                                      password=None, **scope)).actor.user_id
        users[role] = user_id
        c = await make_client(app=anonymous.app)
        c.cookies.set(identity.SESSION_COOKIE, await identity.start_session(user_id, 1))
        await c.get("/login")  # the CSRF cookie forms need
        clients[role] = c
    terminal = await make_client(app=anonymous.app)
    terminal.headers["Authorization"] = f"Bearer {(await identity.create_api_key(provider_id=refs['prov-a'], label='matrix terminal'))[1]}"
    clients["provider_key"] = terminal
    actors = {role: Actor(user_id=users[role], role=role_names.get(role, role), display_name=f"Matrix {role}",
                          **{k: str(v) for k, v in scope.items()}) for role, scope in scopes.items()}
    counsellor = Actor(user_id=users["counsellor"], role="counsellor", organiser_id=org_a, display_name="Matrix")
    await plans.grant_proxy(counsellor, refs["cli-a1"], plans.ProxyInput(proxy_user_id=users["proxy"], rights=["view"]))
    # Before the terminal's payments: the completed bookings spend on earlier days of the card.
    booked = await booking_world(settings, actors, refs["lst-riding"])

    provider = Actor(role="provider_staff", provider_id=refs["prov-a"], display_name="terminal",
                     api_key_id=str(uuid.uuid4()))
    req = AuthorizationRequest(card_token=CARDS["cli-a1"], amount_cents=5000, listing_id=refs["lst-riding"])
    auth = json.loads((await authorisation.authorise(provider, req, settings=settings)).body)
    assert auth["status"] == "approved", auth
    cap = json.loads((await authorisation.capture(provider, auth["id"], 4000, now=dt.datetime.now(dt.timezone.utc))).body)
    open_auth = json.loads((await authorisation.authorise(provider, req, settings=settings)).body)
    # A second payment the client disputed, for the organiser's resolve row (the first stays open to
    # dispute for the client's own rows).
    disputed = json.loads((await authorisation.authorise(provider, AuthorizationRequest(
        card_token=CARDS["cli-a1"], amount_cents=1000, listing_id=refs["lst-riding"]), settings=settings)).body)
    disputed_cap = json.loads((await authorisation.capture(provider, disputed["id"], 1000, settings=settings)).body)
    card_dispute = await disputes.dispute(actors["client"], disputed_cap["id"], "matriisi",
                                          now=dt.datetime.now(dt.timezone.utc))
    key_id, _ = await identity.create_api_key(provider_id=refs["prov-a"], label="matrix")
    page_key_id, _ = await identity.create_api_key(provider_id=refs["prov-a"], label="matrix page")
    [approval] = [a for a in await providers.approvals_of(refs["prov-a"]) if a.organiser_id == org_a]
    pending_review = await ListingApproval.select(ListingApproval.id).where(
        ListingApproval.listing == refs["lst-pending"]).first().run()
    [decision] = await budgets.decisions_for(refs["cli-a1"])
    [card] = await cards.cards_for(refs["cli-a1"])
    W = {
        "organiser_id": org_a,
        "client_id": refs["cli-a1"],
        "decision_id": decision.id,
        "card_id": card.id,
        "authorization_id": auth["id"],
        "open_authorization_id": open_auth["id"],
        "capture_id": cap["id"],
        "card_dispute_id": card_dispute.id,
        "provider_id": refs["prov-a"],
        "listing_id": refs["lst-riding"],
        "pending_listing_id": refs["lst-pending"],
        "approval_id": approval.id,
        "pending_approval_id": str(pending_review["id"]) if pending_review else str(uuid.uuid4()),
        "key_id": key_id,
        "page_key_id": page_key_id,
        "own_client": {"other_client": refs["cli-a2"]},
        "users": users,
        "refs": refs,
        **booked,
        "flag_id": await anomaly_flag(org_a, cap["id"]),
        "batch_id": await held_payout(settings, actors["provider"]),
    }
    # An account the administrators' rows deactivate and reactivate (no role signs in with it).
    W["spare_counsellor_id"] = (await world.person("counsellor", "spare@matrix.example", password=None,
                                                   organiser_id=org_a)).actor.user_id
    plan = await plans.add_goal(counsellor, refs["cli-a1"], plans.GoalInput(title="Käy tallilla viikoittain"))
    W["goal_id"] = plan.goals[0].id
    # The plan's parts (voucher.plan_*): an open proposal, an item, a consent and a follow-up task.
    W["proposal_id"] = (await plan_proposals.propose(actors["client"], refs["cli-a1"], plan_proposals.ProposalInput(
        kind="goal", text="Uimaan kerran viikossa"))).id
    W["plan_item_id"] = (await plan_parts.add_item(counsellor, refs["cli-a1"], plan_parts.ItemInput(
        kind="need", text="Apua asiointiin"))).id
    W["consent_id"] = (await plan_parts.give_consent(counsellor, refs["cli-a1"], plan_parts.ConsentInput(
        kind="provider", provider_id=refs["prov-a"]), dt.date.today())).id
    W["task_id"] = (await plans.save_plan(counsellor, refs["cli-a1"], plans.PlanInput(
        follow_up_dates=[dt.date.today() + dt.timedelta(days=30)]))).tasks[0].id
    # A second grant, to revoke (the proxy role's own grant must stay for the rows after it).
    W["grant_id"] = (await plans.grant_proxy(counsellor, refs["cli-a1"], plans.ProxyInput(proxy_user_id=str(uuid.uuid4())))).id
    W.update(await invitation_world(settings, counsellor, refs["cli-a1"]))
    queue = (await clients["org_admin"].get(f"/api/v1/organisers/{org_a}/review-queue")).json()
    W["review_id"] = next((i["id"] for i in queue["items"] if i["kind"] == "listing"), str(uuid.uuid4()))
    # A category the first provider applied for after the first county approved it, waiting there.
    await providers.update(actors["provider"], refs["prov-a"], ProviderUpdate(categories=["sport-riding", "culture-art"]))
    [approval] = [a for a in await providers.approvals_of(refs["prov-a"]) if a.organiser_id == org_a]
    W["category_application_id"] = next(c.id for c in approval.categories if c.category == "culture-art")
    W["document_id"] = await evidence_document(settings, actors["provider"], refs["prov-a"])
    return {"W": W, "clients": clients}


async def evidence_document(settings, provider: Actor, provider_id: str) -> str:
    """A liability-insurance document of the first provider (its riding category asks for one)."""
    await ServiceCategory.update({ServiceCategory.requirements: ["liability_insurance"]}).where(
        ServiceCategory.code == "sport-riding").run()
    doc = await documents.upload(provider, provider_id, "liability_insurance", b"%PDF-1.4 matrix", dt.date(2026, 1, 1),
                                 dt.date(2999, 12, 31), store=store_for(settings))
    return doc.id


async def booking_world(settings, actors: dict[str, Actor], listing_id: str) -> dict:
    """The booking objects of the matrix rows, made by the services as their people would: the
    provider's weekly times and an exception on the listing; the client's requested booking a week
    ahead (it notifies the provider's staff); two bookings two weeks back, completed (confirmed,
    delivered after the start, accepted by the client), one of them reviewed; and a proxy grant the
    client made and may revoke."""
    client, provider = actors["client"], actors["provider"]
    now = dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(HELSINKI).date()
    ahead, back = today + dt.timedelta(days=7), today - dt.timedelta(days=14)  # the same weekday
    await world.weekly_time(provider, listing_id, ahead.weekday(), "10:00", capacity=10)
    rule = await world.weekly_time(provider, listing_id, (ahead.weekday() + 1) % 7, "16:00")
    closed = await availability.add_exception(provider, listing_id, ExceptionInput(
        day=today + dt.timedelta(days=30), reason="Tallin huoltopäivä"))
    slot = booking_domain.local_instant(ahead, 10 * 60)
    requested = await bookings.book(client, BookingCreate(listing_id=listing_id, starts_at=slot), settings=settings,
                                    now=now)

    past = booking_domain.local_instant(back, 10 * 60)
    done = []
    for _ in range(2):
        b = await bookings.book(client, BookingCreate(listing_id=listing_id, starts_at=past), settings=settings,
                                now=past - dt.timedelta(days=1))
        await bookings.act(provider, b.id, "confirm", settings=settings, now=past - dt.timedelta(hours=20))
        await bookings.act(provider, b.id, "deliver", settings=settings, now=past + dt.timedelta(hours=1))
        await bookings.act(client, b.id, "accept", settings=settings, now=past + dt.timedelta(hours=2))
        done.append(b.id)
    review = await reviews.write(client, done[1], ReviewCreate(stars=4, recommend=8, text="Hyvä tunti."),
                                 past + dt.timedelta(hours=3))
    notification = await Notification.select(Notification.id).where(
        (Notification.user_id == provider.user_id) & (Notification.booking_id == requested.id)).first().run()
    await world.person("proxy", "proxy-revocable@matrix.example", name="Matrix revocable proxy", password=None)
    grant = await world.booking_proxy(client, "proxy-revocable@matrix.example", ["view"])
    return {
        "booking_rule_id": rule.id,
        "booking_exception_id": closed.id,
        "booking_slot": slot.isoformat(),
        "booking_id": requested.id,
        "completed_booking_id": done[0],
        "booking_review_id": review.id,
        "provider_notification_id": str(notification["id"]),
        "client_grant_id": grant,
    }


async def invitation_world(settings, counsellor: Actor, client_id: str) -> dict:
    """The counsellor's pending invitations (one for the API rows, one for the pages') and a link
    that has been used already."""
    def proxy(email: str) -> invitations.InvitationCreate:
        return invitations.InvitationCreate(email=email, role="proxy", client_id=client_id, rights=["view"])

    pending = await invitations.invite(counsellor, proxy("pending@matrix.example"), settings=settings)
    page_pending = await invitations.invite(counsellor, proxy("page-pending@matrix.example"), settings=settings)
    used = await invitations.invite(counsellor, proxy("used@matrix.example"), settings=settings)
    await invitations.accept(used.token, password="matriisin-salasana", settings=settings)
    return {"invitation_id": pending.invitation.id, "page_invitation_id": page_pending.invitation.id,
            "used_invitation_token": used.token}


async def held_payout(settings, staff: Actor) -> str:
    """The riding stable changes its bank account, then the day's captures are settled: its batch
    waits for two organiser admins' confirmation before it is paid."""
    await providers.update(staff, staff.provider_id, ProviderUpdate(iban="FI2112345600000785"))
    await settle(settings, dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1), confirmation=payouts.unconfirmed)
    batch = await SettlementBatch.select(SettlementBatch.id, SettlementBatch.status).where(
        SettlementBatch.provider_id == staff.provider_id).first().run()
    assert batch and batch["status"] != "paid", batch
    return str(batch["id"])


async def anomaly_flag(organiser_id: str, capture_id: str) -> str:
    """The organiser's scan flags the terminal's capture: no booking stands behind it."""
    now = dt.datetime.now(dt.timezone.utc)
    await anomalies.scan(organiser_id, now - dt.timedelta(days=1), now + dt.timedelta(minutes=1))
    row = await AnomalyFlag.select(AnomalyFlag.id).where(AnomalyFlag.key == f"no_booking:{capture_id}").first().run()
    return str(row["id"])
