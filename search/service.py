"""Searching as the platform's users do: the query from request parameters, the organiser scope of
a signed-in client, and the "fits your budget" mark."""

import datetime as dt

import msgspec

from core.errors import FieldError, Invalid
from core.identity import Actor
from search.documents import SearchQuery, SearchResult
from voucher import budgets, own_share

MAX_Q = 500


def build_query(params, lang: str, *, organiser: str | None = None) -> SearchQuery:
    """Query parameters (docs/api.md) → SearchQuery; a bad value is a 400 naming the parameter."""
    errors: list[FieldError] = []

    def integer(name: str, low: int, high: int, default):
        raw = params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors.append(FieldError(field=name, key="field.whole_number"))
            return default
        if not low <= value <= high:
            errors.append(FieldError(field=name, key="field.range", params={"min": low, "max": high}))
            return default
        return value

    def yes_no(name: str) -> bool | None:
        raw = (params.get(name) or "").lower()
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off"):
            return False
        if raw:
            errors.append(FieldError(field=name, key="field.yes_no"))
        return None

    accessible = yes_no("accessible")
    free = yes_no("free")
    q = (params.get("q") or "")[:MAX_Q]
    query = SearchQuery(
        q=q,
        categories=[c for c in params.getall("category", []) if c][:50] if hasattr(params, "getall") else [],
        municipalities=[m for m in params.getall("municipality", []) if m][:50] if hasattr(params, "getall") else [],
        delivery_mode=params.get("delivery_mode") or None,
        language=params.get("language") or None,
        max_price_cents=integer("max_price_cents", 0, 10**9, None),
        accessible=accessible,
        free=free,
        organiser=organiser or params.get("organiser") or None,
        page=integer("page", 1, 10_000, 1),
        per_page=integer("per_page", 1, 100, 20),
        lang=lang,
    )
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)
    return query


def euros_to_cents(text: str) -> int | None:
    """"49,90" / "49.90" / "50" → cents; anything else → None."""
    raw = text.replace("€", "").replace(" ", "").replace("\u00a0", "").replace(",", ".")
    whole, _, frac = raw.partition(".")
    if not whole.isdigit() or (frac and (not frac.isdigit() or len(frac) > 2)):
        return None
    return int(whole) * 100 + (int(frac.ljust(2, "0")) if frac else 0)


def scope_for(actor: Actor) -> str | None:
    """A signed-in client (or proxy acting in that role) sees only their own organiser's listings."""
    if actor.role in ("client", "proxy") and actor.organiser_id:
        return actor.organiser_id
    return None


async def budget_shares(actor: Actor, result: SearchResult, now: dt.datetime) -> dict[str, own_share.Share]:
    """For a signed-in client: how each hit's price splits between the budget and the client's own
    share (docs/decisions/0033); only hits whose paying line has a client-fee rule."""
    if actor.role != "client" or not actor.client_id or not result.hits:
        return {}
    return await own_share.splits(actor.client_id, [(h.id, h.category, h.price_cents) for h in result.hits], now)


async def budget_fit(actor: Actor, result: SearchResult,
                     shares: dict[str, own_share.Share] | None = None) -> dict[str, bool]:
    """For a signed-in client: which hits the matching budget line could pay for right now (its
    part of the price, when the client pays an own share)."""
    if actor.role != "client" or not actor.client_id or not result.hits:
        return {}
    try:
        budget = await budgets.budget(actor, actor.client_id)
    except Exception:  # noqa: BLE001 - no decision, no budget: no mark
        return {}
    shares = shares or {}
    fits: dict[str, bool] = {}
    for hit in result.hits:
        best = 0
        for line in budget.lines:
            if line.category == hit.category:
                best = max(best, line.available_cents)
            elif hit.category in (line.may_fund or []):
                cap = line.swap_cap_cents if line.swap_cap_cents is not None else line.available_cents
                best = max(best, min(line.available_cents, cap))
        share = shares.get(hit.id)
        fits[hit.id] = best >= (share.budget_cents if share else hit.price_cents)
    return fits


def to_api(result: SearchResult) -> dict:
    return msgspec.to_builtins(result)
