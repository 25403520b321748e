"""The search API (docs/api.md)."""

from typing import Any

from litestar import Request, get
from litestar.params import Parameter

from core.identity import Actor
from core.web import request_lang
from search import service
from search.documents import SearchResult


@get("/api/v1/search/listings", tags=["search"], opt={"public": True},
     summary="Search approved listings (public; a signed-in client sees only their organiser's)")
async def search_listings(
    request: Request,
    actor: Actor,
    q: str | None = Parameter(default=None, max_length=500),
    category: list[str] | None = Parameter(default=None),
    municipality: list[str] | None = Parameter(default=None),
    delivery_mode: str | None = None,
    language: str | None = None,
    max_price_cents: int | None = Parameter(default=None, ge=0),
    accessible: bool | None = None,
    free: bool | None = None,
    organiser: str | None = None,
    page: int = Parameter(default=1, ge=1, le=10000),
    per_page: int = Parameter(default=20, ge=1, le=100),
) -> SearchResult:
    query = service.build_query(request.query_params, request_lang(request), organiser=service.scope_for(actor))
    return await request.app.state.search.search(query)


route_handlers: list[Any] = [search_listings]
