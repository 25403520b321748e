"""JSON API of the voucher: thin handlers that decode a Struct and call one service.

Money-moving POSTs return the stored response bytes (core.idempotency), so a replay of an
``Idempotency-Key`` gets exactly the first status and body.
"""

import datetime as dt

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.params import Parameter

from core.errors import Invalid
from core.idempotency import Stored
from core.identity import TERMINAL, Actor
from core.settings import Settings
from core.web import IdempotencyKey, StrictBody, api_key_scopes, current_time, request_lang
from voucher import authorisation, budgets, caseload, cards, domain, hb_classes, plans, settlement, stripe_issuing
from voucher.schemas import (
    AuthorizationRead,
    AuthorizationRequest,
    BudgetRead,
    CaptureRead,
    CaptureRequest,
    CardIssue,
    CardIssued,
    CardRead,
    CardUpdate,
    ClientCreate,
    ClientRead,
    DecisionCreate,
    DecisionRead,
    DecisionUpdate,
    RefundRead,
    RefundRequest,
    SettlementRead,
)

# The card payment API: the only routes a terminal's API key may call (core.identity.TERMINAL).
FOR_TERMINALS = api_key_scopes(TERMINAL)


def _stored(stored: Stored) -> Response:
    return Response(content=stored.body, status_code=stored.status_code, media_type="application/json")


class AuthorizationController(Controller):
    path = "/api/v1"
    tags = ["card authorisation"]

    # The key may come from the process's cache: the authorisation's own database call checks it
    # (voucher.authorisation.in_database; the Python path checks it with core.identity.check_api_key).
    @post("/authorizations", status_code=201, summary="Authorise a card payment (a decline is a 201 too)",
          opt={**FOR_TERMINALS, "api_key_checked_in_call": True}, dto=StrictBody[AuthorizationRequest], return_dto=None)
    async def authorise(
        self,
        request: Request,
        data: AuthorizationRequest,
        actor: Actor,
        settings: Settings,
        now: dt.datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[AuthorizationRead]:
        return _stored(
            await authorisation.authorise(
                actor, data, settings=settings, idempotency_key=idempotency_key, lang=request_lang(request), now=now
            )
        )

    @get("/authorizations/{authorization_id:str}", summary="An authorisation and its status", opt=FOR_TERMINALS)
    async def read(self, authorization_id: str, actor: Actor, now: dt.datetime) -> AuthorizationRead:
        return await authorisation.get_authorization(actor, authorization_id, now=now)

    @post("/authorizations/{authorization_id:str}/capture", status_code=200, summary="Capture (the rest is released)",
          opt=FOR_TERMINALS, dto=StrictBody[CaptureRequest], return_dto=None)
    async def capture(
        self,
        authorization_id: str,
        data: CaptureRequest,
        actor: Actor,
        settings: Settings,
        now: dt.datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[CaptureRead]:
        return _stored(
            await authorisation.capture(actor, authorization_id, data.amount_cents, idempotency_key=idempotency_key,
                                        now=now, settings=settings)
        )

    @post("/authorizations/{authorization_id:str}/void", status_code=200, summary="Void the hold", opt=FOR_TERMINALS)
    async def void(
        self, authorization_id: str, actor: Actor, now: dt.datetime, idempotency_key: IdempotencyKey = None
    ) -> Response[AuthorizationRead]:
        return _stored(await authorisation.void(actor, authorization_id, idempotency_key=idempotency_key, now=now))

    @post("/captures/{capture_id:str}/refunds", status_code=201, summary="Refund to the client's budget line",
          opt=FOR_TERMINALS, dto=StrictBody[RefundRequest], return_dto=None)
    async def refund(
        self,
        capture_id: str,
        data: RefundRequest,
        actor: Actor,
        now: dt.datetime,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RefundRead]:
        return _stored(
            await authorisation.refund(actor, capture_id, data.amount_cents, idempotency_key=idempotency_key, now=now)
        )


class BudgetController(Controller):
    path = "/api/v1"
    tags = ["budgets"]

    @get("/clients/{client_id:str}/budget", summary="The client's budget now (exact, no lag)")
    async def budget(self, client_id: str, actor: Actor, now: dt.datetime) -> BudgetRead:
        return await budgets.budget(actor, client_id, now=now)

    @get("/clients", summary="The counsellor's clients (the organiser's, for an admin), by name, filtered and paged")
    async def clients(
        self,
        actor: Actor,
        q: str = Parameter(default="", max_length=200, description="Part of the pseudonym or the organiser's reference"),
        client_group: str | None = Parameter(default=None, max_length=64),
        caseload_scope: str | None = Parameter(query="scope", default=None, max_length=16, description=(
            "mine (the counsellor's own caseload, a counsellor's default), unassigned (no counsellor yet) or "
            "county (every client of the county, an organiser admin's default)")),
        page: int = Parameter(default=1, ge=1, le=100_000),
        per_page: int = Parameter(default=50, ge=1, le=500),
    ) -> Response[list[ClientRead]]:
        if caseload_scope is not None and caseload_scope not in caseload.SCOPES:
            raise Invalid("field.choice", field="scope", choices=", ".join(caseload.SCOPES))
        clients, total = await budgets.clients_of(actor, q=q, client_group=client_group, page=page, per_page=per_page,
                                                  scope=caseload_scope)
        return Response(clients, headers={"X-Total-Count": str(total)})

    @put("/clients/{client_id:str}/counsellor", summary=(
        "Take on, hand over or reassign the client (a counsellor: take on a client nobody has, pass on "
        "their own; an organiser admin: any client of the county); audited"))
    async def assign_counsellor(self, client_id: str, data: caseload.CounsellorAssign, actor: Actor) -> ClientRead:
        return budgets.client_read(await caseload.assign(actor, client_id, data))

    @post("/clients", status_code=201, summary="Add a client (pseudonymous)")
    async def create_client(self, data: ClientCreate, actor: Actor, settings: Settings) -> ClientRead:
        return await budgets.create_client(actor, data, settings.secret_key)

    @get("/clients/{client_id:str}/decisions", summary="The client's budget decisions")
    async def decisions(self, client_id: str, actor: Actor) -> list[DecisionRead]:
        return await budgets.decisions_of(actor, client_id)

    @post("/clients/{client_id:str}/decisions", status_code=201, summary="Grant a budget decision")
    async def create_decision(self, client_id: str, data: DecisionCreate, actor: Actor) -> DecisionRead:
        return await budgets.create_decision(actor, client_id, data)

    @get("/clients/{client_id:str}/decision-proposal", summary=(
        "The decision lines the client's HB classes give for a period (computed, nothing saved)"))
    async def decision_proposal(self, request: Request, client_id: str, actor: Actor, now: dt.datetime,
                                start: dt.date | None = None, end: dt.date | None = None) -> hb_classes.Proposal:
        """``start`` defaults to today (Helsinki), ``end`` to 364 days after it."""
        start = start or domain.helsinki_date(now)
        end = end or (start + dt.timedelta(days=364) if start < dt.date(9999, 1, 1) else dt.date.max)
        return await hb_classes.proposal(actor, client_id, start, end, request_lang(request))

    @patch("/decisions/{decision_id:str}", summary="Change a decision (audited, with the reason)")
    async def update_decision(self, decision_id: str, data: DecisionUpdate, actor: Actor) -> DecisionRead:
        return await budgets.update_decision(actor, decision_id, data)

    @get("/decisions/{decision_id:str}/history", summary="Who changed the decision, when and why")
    async def history(self, decision_id: str, actor: Actor) -> list[dict]:
        return await budgets.decision_history(actor, decision_id)


class CardController(Controller):
    path = "/api/v1"
    tags = ["cards"]

    @get("/clients/{client_id:str}/cards", summary="The client's HB cards (never their tokens)")
    async def list_cards(self, client_id: str, actor: Actor) -> list[CardRead]:
        return await cards.cards_of(actor, client_id)

    @post("/clients/{client_id:str}/cards", status_code=201, summary="Issue a card: the token and QR are shown once")
    async def issue(self, client_id: str, data: CardIssue, actor: Actor, settings: Settings) -> CardIssued:
        return await cards.issue(actor, client_id, data, settings.secret_key)

    @patch("/cards/{card_id:str}", summary="Freeze, unfreeze or change the caps")
    async def update(self, card_id: str, data: CardUpdate, actor: Actor) -> CardRead:
        return await cards.update(actor, card_id, data)

    @post("/cards/{card_id:str}/replace", status_code=201, summary="Replace: the old token stops working at once")
    async def replace(self, card_id: str, actor: Actor, settings: Settings) -> CardIssued:
        return await cards.replace(actor, card_id, settings.secret_key)


class PlanController(Controller):
    path = "/api/v1"
    tags = ["client plans"]

    @get("/clients/{client_id:str}/plan", summary="The client plan: needs, own goals and their GAS scores")
    async def read_plan(self, client_id: str, actor: Actor) -> plans.PlanRead:
        return await plans.read_plan(actor, client_id)

    @put("/clients/{client_id:str}/plan", summary="Write the plan's needs and follow-up dates (audited)")
    async def save_plan(self, client_id: str, data: plans.PlanInput, actor: Actor) -> plans.PlanRead:
        return await plans.save_plan(actor, client_id, data)

    @post("/clients/{client_id:str}/plan/goals", status_code=201, summary="Add one of the client's own goals")
    async def add_goal(self, client_id: str, data: plans.GoalInput, actor: Actor) -> plans.PlanRead:
        return await plans.add_goal(actor, client_id, data)

    @post("/goals/{goal_id:str}/scores", status_code=201, summary="Score a goal on the GAS scale −2…+2")
    async def score_goal(self, goal_id: str, data: plans.ScoreInput, actor: Actor) -> plans.PlanRead:
        return await plans.score_goal(actor, goal_id, data)

    @get("/clients/{client_id:str}/proxies", summary="Who may act for the client")
    async def proxies(self, client_id: str, actor: Actor) -> list[plans.ProxyRead]:
        return await plans.proxies_of(actor, client_id)

    @post("/clients/{client_id:str}/proxies", status_code=201, summary="Let a proxy act for the client (audited)")
    async def grant_proxy(self, client_id: str, data: plans.ProxyInput, actor: Actor) -> plans.ProxyRead:
        return await plans.grant_proxy(actor, client_id, data)

    @post("/proxies/{grant_id:str}/revoke", status_code=200, summary="End a proxy's rights (audited)")
    async def revoke_proxy(self, grant_id: str, actor: Actor) -> plans.ProxyRead:
        return await plans.revoke_proxy(actor, grant_id)


class SettlementController(Controller):
    path = "/api/v1"
    tags = ["settlement"]

    @get("/settlements", summary="Settlement batches with remittance (which captures each payout covers)")
    async def list_settlements(
        self,
        actor: Actor,
        page: int = Parameter(default=1, ge=1, le=100000),
        per_page: int = Parameter(default=20, ge=1, le=100),
    ) -> list[SettlementRead]:
        return await settlement.remittance(actor, page=page, per_page=per_page)


@post("/webhooks/stripe", status_code=200, tags=["stripe"], summary="Stripe Issuing events (signed)")
async def stripe_webhook(request: Request, settings: Settings) -> Response[stripe_issuing.WebhookAnswer]:
    answer = await stripe_issuing.handle(
        await request.body(), request.headers.get("stripe-signature"), settings, now=current_time(request)
    )
    return Response(answer, headers={"Stripe-Version": stripe_issuing.API_VERSION})


route_handlers = [
    AuthorizationController, BudgetController, CardController, PlanController, SettlementController, stripe_webhook,
]
