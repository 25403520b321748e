"""JSON API of the marketplace: thin handlers that decode a Struct and call one service."""

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import Parameter

from core import identity
from core.identity import Actor
from core.settings import Settings
from core.web import paging
from marketplace import approvals, catalogue, importer, keys, listings, providers
from marketplace.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    CategoryRead,
    Decision,
    ListingInput,
    ListingRead,
    ListingUpdate,
    OrganiserRead,
    ProviderCreated,
    ProviderRead,
    ProviderRegistration,
    ProviderUpdate,
    ReviewQueue,
)


class StatusRead(msgspec.Struct):
    status: str


class ListingPage(msgspec.Struct):
    items: list[ListingRead]
    total: int
    page: int
    per_page: int


class CatalogueController(Controller):
    path = "/api/v1"
    tags = ["catalogue"]

    @get("/organisers", summary="Organisers (wellbeing services counties)", opt={"public": True})
    async def list_organisers(self) -> list[OrganiserRead]:
        return [
            OrganiserRead(id=str(r["id"]), name=r["name"], business_id=r["business_id"], municipalities=r["municipalities"] or [])
            for r in await catalogue.organisers()
        ]

    @get("/categories", summary="Service categories and their approval requirements", opt={"public": True})
    async def list_categories(self) -> list[CategoryRead]:
        return [
            CategoryRead(code=r["code"], names=catalogue.category_names(r), traditional=r["traditional"],
                         requirements=r["requirements"] or [])
            for r in await catalogue.categories()
        ]


class ProviderController(Controller):
    path = "/api/v1"
    tags = ["providers"]

    @post("/providers", summary="Register a provider and apply to organisers", status_code=201, opt={"public": True},
          description="For an e-mail that already has an account the answer is the same (its ids lead nowhere): "
                      "nothing is registered and the account holder gets an e-mail instead.")
    async def register(self, data: ProviderRegistration, actor: Actor, settings: Settings) -> ProviderCreated:
        return await providers.register(data, actor, base_url=settings.base_url)

    @get("/providers/{provider_id:str}", summary="A provider's details and approvals")
    async def read(self, provider_id: str, actor: Actor) -> ProviderRead:
        return await providers.read(actor, provider_id)

    @patch("/providers/{provider_id:str}", summary="Change a provider's details")
    async def update(self, provider_id: str, data: ProviderUpdate, actor: Actor) -> ProviderRead:
        return await providers.update(actor, provider_id, data)

    @get("/providers/{provider_id:str}/listings", summary="The provider's listings")
    async def listings(
        self,
        provider_id: str,
        actor: Actor,
        status: str | None = None,
        page: int = Parameter(default=1, ge=1, le=100000),
        per_page: int = Parameter(default=20, ge=1, le=100),
    ) -> ListingPage:
        items, total = await listings.list_for_provider(actor, provider_id, status, page, per_page)
        return ListingPage(items=items, total=total, page=page, per_page=per_page)

    @post("/provider-approvals/{approval_id:str}/decision", summary="Organiser's decision on a provider", status_code=200)
    async def decide(self, approval_id: str, data: Decision, actor: Actor) -> StatusRead:
        return StatusRead(status=await approvals.transition_provider(actor, approval_id, data.action, data.reason))

    @post("/category-applications/{application_id:str}/decision",
          summary="Organiser's decision on a category a provider applied for", status_code=200)
    async def decide_category(self, application_id: str, data: Decision, actor: Actor) -> StatusRead:
        return StatusRead(status=await approvals.decide_category(actor, application_id, data.action, data.reason))

    @post("/provider-approvals/{approval_id:str}/resubmit", summary="Provider asks for a new review", status_code=200)
    async def resubmit(self, approval_id: str, actor: Actor) -> StatusRead:
        await approvals.resubmit(actor, approval_id)
        return StatusRead(status="pending")

    @get("/providers/{provider_id:str}/api-keys", summary="The provider's API keys (never the keys themselves)")
    async def list_keys(self, provider_id: str, actor: Actor) -> list[ApiKeyRead]:
        return await keys.list_keys(actor, provider_id)

    @post("/providers/{provider_id:str}/api-keys", summary="Create an API key (shown once)", status_code=201)
    async def create_key(self, provider_id: str, data: ApiKeyCreate, actor: Actor) -> ApiKeyCreated:
        return await keys.create_key(actor, provider_id, data.label)

    @delete("/providers/{provider_id:str}/api-keys/{key_id:str}", summary="Revoke an API key", status_code=204)
    async def revoke_key(self, provider_id: str, key_id: str, actor: Actor) -> None:
        await keys.revoke_key(actor, provider_id, key_id)


class ListingController(Controller):
    path = "/api/v1"
    tags = ["listings"]

    @post("/listings", summary="Create a listing (draft)", status_code=201)
    async def create(self, data: ListingInput, actor: Actor) -> ListingRead:
        return await listings.create(actor, data)

    @get("/listings/{listing_id:str}", summary="A listing with its standing per organiser")
    async def read(self, listing_id: str, actor: Actor) -> ListingRead:
        return await listings.read(actor, listing_id)

    @patch("/listings/{listing_id:str}", summary="Change a listing; a change to live content goes to review")
    async def update(self, listing_id: str, data: ListingUpdate, actor: Actor) -> ListingRead:
        return await listings.update(actor, listing_id, data)

    @post("/listings/{listing_id:str}/submit", summary="Submit a listing for review", status_code=200)
    async def submit(self, listing_id: str, actor: Actor) -> ListingRead:
        return await listings.submit(actor, listing_id)

    @post("/listings/{listing_id:str}/organisers/{organiser_id:str}/decision",
          summary="Suspend, reinstate or reject a listing with an organiser", status_code=200)
    async def standing(self, listing_id: str, organiser_id: str, data: Decision, actor: Actor) -> StatusRead:
        return StatusRead(status=await approvals.transition_listing(actor, listing_id, organiser_id, data.action, data.reason))


class ReviewController(Controller):
    path = "/api/v1"
    tags = ["reviews"]

    @get("/organisers/{organiser_id:str}/review-queue", summary="What waits for the organiser's decision, oldest first")
    async def review_queue(
        self,
        organiser_id: str,
        actor: Actor,
        kind: str | None = Parameter(default=None, pattern="^(provider|listing|category)$"),
        page: int = Parameter(default=1, ge=1, le=100000),
        per_page: int = Parameter(default=20, ge=1, le=100),
    ) -> ReviewQueue:
        return await approvals.queue(actor, organiser_id, kind=kind, page=page, per_page=per_page)

    @post("/listing-reviews/{review_id:str}/decision", summary="Organiser's decision on a listing revision", status_code=200)
    async def decide(self, review_id: str, data: Decision, actor: Actor) -> StatusRead:
        return StatusRead(status=await approvals.decide_listing_review(actor, review_id, data.action, data.reason))


class ImportController(Controller):
    path = "/api/v1"
    tags = ["imports"]

    @post("/imports", summary="Bulk import (hb-import/1), all or nothing", status_code=200)
    async def run_import(self, request: Request, actor: Actor, import_wiring: importer.ImportWiring) -> Response[Any]:
        # An organiser admin's file may write only its own county's records (marketplace.import_scope).
        # ``import_wiring`` (the voucher's client records, the search drain) is given by the app (hb.app).
        identity.require(actor, "organiser_admin", "platform_admin")
        body = await request.body()
        result = await importer.import_bytes(body, actor=actor, settings=request.app.state.settings,
                                             wiring=import_wiring)
        return Response(result, status_code=200)


route_handlers = [CatalogueController, ProviderController, ListingController, ReviewController, ImportController]
__all__ = ["route_handlers", "paging"]
