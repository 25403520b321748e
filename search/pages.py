"""The search page and the public listing page: server-rendered, no JavaScript needed."""

from typing import Any
from urllib.parse import urlsplit

from litestar import Request, get
from litestar.datastructures import MultiDict

from core import i18n
from core.errors import DomainError, NotFound
from core.identity import Actor
from core.ids import as_uuid
from core.web import Pager, current_time, page, request_lang
from marketplace import catalogue, domain
from marketplace.booking import pages as booking_pages
from search import service
from voucher import access

FACET_ORDER = ("category", "municipality", "delivery_mode", "language", "accessibility")


@get("/search", include_in_schema=False, opt={"public": True})
async def search_page(request: Request, actor: Actor) -> Any:
    lang = request_lang(request)
    for_client = await _for_client(actor, request.query_params.get("client_id"))
    scope = actor.organiser_id if for_client else service.scope_for(actor)
    cats = await catalogue.category_map()
    labels = {
        "category": {code: i18n.pick(catalogue.category_names(row), lang) for code, row in cats.items()},
        "delivery_mode": {d: i18n.t(f"delivery.{d}", lang) for d in domain.DELIVERY_MODES},
        "language": {code: i18n.t(f"lang.{code}", lang) for code in domain.LANGUAGES},
        "accessibility": {a: i18n.t(f"access.{a}", lang) for a in domain.ACCESSIBILITY},
    }
    error = None
    params = request.query_params
    max_price_text = (params.get("max_price") or "").strip()[:20]
    if max_price_text:
        cents = service.euros_to_cents(max_price_text)
        merged = MultiDict([(k, v) for k, v in params.multi_items() if k != "max_price_cents"])
        merged["max_price_cents"] = str(cents) if cents is not None else "x"
        params = merged
    try:
        query = service.build_query(params, lang, organiser=scope)
        result = await request.app.state.search.search(query)
    except DomainError as exc:
        bad = {e.field for e in exc.errors}
        if "max_price_cents" in bad and max_price_text:  # the person typed euros: say it in euros
            error = i18n.t("search.max_price_invalid", lang)
        else:
            error = exc.errors[0].localised(lang).message if exc.errors else i18n.t(exc.key, lang)
        # The words and the other filters stay; only what was wrong is left out.
        kept = MultiDict([(k, v) for k, v in params.multi_items() if k not in bad])
        try:
            query = service.build_query(kept, lang, organiser=scope)
        except DomainError:
            query = service.build_query({"q": params.get("q") or ""}, lang, organiser=scope)
        result = await request.app.state.search.search(query)
    shares = await service.budget_shares(actor, result, current_time(request))
    fits = await service.budget_fit(actor, result, shares)
    selected = {
        "category": request.query_params.getall("category", []),
        "municipality": request.query_params.getall("municipality", []),
        "delivery_mode": [request.query_params.get("delivery_mode")] if request.query_params.get("delivery_mode") else [],
        "language": [request.query_params.get("language")] if request.query_params.get("language") else [],
    }
    return page(request, "search.html", query=query, result=result, labels=labels, selected=selected,
                facet_order=FACET_ORDER, fits=fits, shares=shares, error=error, accessible=query.accessible, max_price_text=max_price_text,
                for_client=for_client,
                pager=Pager(page=query.page, per_page=query.per_page, total=result.total))


async def _for_client(actor: Actor, client_id: str | None) -> dict | None:
    """A counsellor searching for a client of their county to book for (docs/decisions/0035): the
    client (a logged read; another county's client is not found), and the search is the county's."""
    if actor.role != "counsellor" or as_uuid(client_id) is None:
        return None
    client = await access.client_to_read(actor, client_id, "booking.search")
    return {"id": str(client["id"]), "display_name": client["display_name"]}


def _back_to_search(request: Request) -> str:
    """Where "Back to search" goes: the search the person came from, words and filters kept (the
    listing page's own forms carry it on as ``back``); only this site's /search, never elsewhere."""
    candidates = [request.query_params.get("back") or ""]
    referer = urlsplit(request.headers.get("referer") or "")
    if referer.netloc in ("", request.url.netloc):
        candidates.append(referer.path + (f"?{referer.query}" if referer.query else ""))
    for candidate in candidates:
        if candidate.startswith("/search") and "//" not in candidate and "\\" not in candidate and len(candidate) <= 1000:
            return candidate
    return "/search"


@get("/listings/{listing_id:str}", include_in_schema=False, opt={"public": True})
async def listing_page(request: Request, listing_id: str, actor: Actor) -> Any:
    found = await catalogue.public_listing(listing_id, service.scope_for(actor))
    if not found:
        raise NotFound()
    lang = request_lang(request)
    cats = await catalogue.category_map()
    category = cats.get(found["content"]["category"])
    return page(request, "listing.html", listing=found, c=found["content"], back=_back_to_search(request),
                category_name=i18n.pick(catalogue.category_names(category), lang) if category else found["content"]["category"],
                booking=await booking_pages.listing_context(request, actor, found), **booking_pages.time_labels(lang))


route_handlers = [search_page, listing_page]
