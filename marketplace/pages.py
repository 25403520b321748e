"""Server-rendered pages of the marketplace: provider onboarding and listings, organiser review.

Every form works without JavaScript; errors are shown next to their fields and in a summary.
"""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n, identity, oidc
from core.errors import DomainError, Invalid, NotFound
from core.identity import Actor
from core.settings import Settings
from core.web import Pager, as_list, form_errors, page, paging, redirect, request_lang
from marketplace import (approvals, catalogue, document_pages, domain, keys, listings, provider_forms, providers, registry,
                         staff_sign_in)

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


async def _choices(lang: str, kind: str | None = None) -> dict:
    """The form's choices. ``requirements``: (code, name, the categories that need it, the provider
    kinds that need it) — of ``kind`` only when it is known (a provider's profile), of every kind on
    the registration form, which shows each kind its own list (decision 0036)."""
    cats = await catalogue.categories()
    orgs = await catalogue.organisers()
    requirements: dict[str, tuple[dict, set]] = {}
    for c in cats:
        for k in (kind,) if kind else domain.PROVIDER_KINDS:
            for req in domain.requirements_of_kind(c, k):
                needed, kinds = requirements.setdefault(req, ({}, set()))
                needed[i18n.pick(catalogue.category_names(c), lang)] = True
                kinds.add(k)
    return {
        "categories": [(c["code"], i18n.pick(catalogue.category_names(c), lang)) for c in cats],
        "organisers": [(str(o["id"]), o["name"]) for o in orgs],
        "municipalities": [(m, m) for m in await catalogue.all_municipalities()],
        "languages": [(code, i18n.t(f"lang.{code}", lang)) for code in domain.LANGUAGES],
        "requirements": [(req, i18n.t(f"req.{req}", lang) if i18n.has(f"req.{req}") else req, list(needed),
                          [k for k in domain.PROVIDER_KINDS if k in kinds])
                         for req, (needed, kinds) in requirements.items()],
        "units": [(u, i18n.t(f"unit.{u}", lang)) for u in domain.UNITS],
        "delivery_modes": [(d, i18n.t(f"delivery.{d}", lang)) for d in domain.DELIVERY_MODES],
        "accessibility": [(a, i18n.t(f"access.{a}", lang)) for a in domain.ACCESSIBILITY],
    }


# ----- provider onboarding -----


@get("/providers/register", include_in_schema=False, opt={"public": True})
async def register_page(request: Request) -> Any:
    lang = request_lang(request)
    return page(request, "provider_register.html", form={}, errors={}, choices=await _choices(lang),
                received=request.query_params.get("received") == "1")


@post("/providers/register", include_in_schema=False, opt={"public": True})
async def register_submit(request: Request, data: Form, actor: Actor, settings: Settings) -> Any:
    """One answer whether or not the e-mail already has an account (providers.register): the
    registrant is not signed in here, so the answer cannot tell which; they sign in next."""
    lang = request_lang(request)
    registration = provider_forms.registration_from_form(data, as_list)
    try:
        await providers.register(registration, actor, base_url=settings.base_url)
    except DomainError as exc:
        return page(request, "provider_register.html", status_code=400, form=data, errors=form_errors(exc, lang),
                    choices=await _choices(lang), received=False)
    return redirect("/providers/register?received=1" if actor.is_anonymous else "/provider?registered=1")


# ----- provider's own pages -----


@get("/provider", include_in_schema=False)
async def provider_home(request: Request, actor: Actor, settings: Settings, status: str | None = None,
                        page_no: int = 1) -> Any:
    identity.require(actor, "provider_staff")
    lang = request_lang(request)
    provider = await providers.read(actor, actor.provider_id)
    number, per_page = paging(request.query_params.get("page"), 20)
    status = status if status in ("draft", "submitted", "changes_requested", "approved", "rejected") else None
    items, total = await listings.list_for_provider(actor, actor.provider_id, status, number, per_page)
    return page(
        request, "provider_home.html", provider=provider, listings=items, status=status,
        pager=Pager(page=number, per_page=per_page, total=total), api_keys=await keys.list_keys(actor, actor.provider_id),
        new_key=None, registered=request.query_params.get("registered"), cat_names=await _category_names(lang),
        validity=await document_pages.validity_context(actor, lang),
        eid_on=oidc.issuer_config(settings, "eid") is not None, identified=request.query_params.get("identified") == "1",
    )


async def _category_names(lang: str) -> dict[str, str]:
    return {code: i18n.pick(catalogue.category_names(row), lang) for code, row in (await catalogue.category_map()).items()}


@get("/provider/profile", include_in_schema=False)
async def provider_profile(request: Request, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    provider = await providers.read(actor, actor.provider_id)
    return page(request, "provider_profile.html", provider=provider, form=_profile_form(provider), errors={},
                choices=await _choices(request_lang(request), provider.kind), saved=request.query_params.get("saved"))


def _profile_form(provider) -> dict:
    form = {name: getattr(provider, name) or "" for name in ("name", "iban", "email", "phone", "website", "description",
                                                           "merchant_id", "languages", "municipalities", "categories",
                                                           "invoicing_service_name", "payment_reference")}
    for req, item in provider.evidence.items():
        if item.provided:
            form[f"evidence.{req}.provided"] = "1"
        form[f"evidence.{req}.detail"] = item.detail
    return form


@post("/provider/profile", include_in_schema=False)
async def provider_profile_save(request: Request, data: Form, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    lang = request_lang(request)
    try:
        await providers.update(actor, actor.provider_id, provider_forms.update_from_form(data, as_list))
    except Invalid as exc:
        provider = await providers.read(actor, actor.provider_id)
        return page(request, "provider_profile.html", status_code=400, provider=provider, form=data,
                    errors=form_errors(exc, lang), choices=await _choices(lang, provider.kind), saved=None)
    return redirect("/provider/profile?saved=1")


@post("/provider/approvals/{approval_id:str}/resubmit", include_in_schema=False)
async def provider_resubmit(approval_id: str, actor: Actor) -> Any:
    await approvals.resubmit(actor, approval_id)
    return redirect("/provider")


@post("/provider/api-keys", include_in_schema=False)
async def provider_create_key(request: Request, data: Form, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    created = await keys.create_key(actor, actor.provider_id, str(data.get("label") or "")[:200])
    lang = request_lang(request)
    provider = await providers.read(actor, actor.provider_id)
    items, total = await listings.list_for_provider(actor, actor.provider_id, None, 1, 20)
    return page(request, "provider_home.html", provider=provider, listings=items, status=None,
                pager=Pager(page=1, per_page=20, total=total), api_keys=await keys.list_keys(actor, actor.provider_id),
                new_key=created, registered=None, cat_names=await _category_names(lang))


@post("/provider/api-keys/{key_id:str}/revoke", include_in_schema=False)
async def provider_revoke_key(key_id: str, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    await keys.revoke_key(actor, actor.provider_id, key_id)
    return redirect("/provider")


@get("/provider/listings/new", include_in_schema=False)
async def listing_new(request: Request, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    provider = await providers.read(actor, actor.provider_id)
    form = {"languages": provider.languages, "capacity": "1", "unit": "session", "delivery_mode": "at_provider"}
    return await _listing_form(request, provider, None, form, {})


async def _listing_form(request: Request, provider, listing, form: dict, errors: dict, status_code: int = 200) -> Any:
    lang = request_lang(request)
    choices = await _choices(lang)
    own = set(provider.categories)
    choices["categories"] = [c for c in choices["categories"] if c[0] in own]
    choices["municipalities"] = [(m, m) for m in provider.municipalities] or choices["municipalities"]
    return page(request, "listing_form.html", status_code=status_code, listing=listing, form=form, errors=errors,
                choices=choices)


def _form_from_listing(listing) -> dict:
    form = {
        "category": listing.category, "price_euros": f"{listing.price_cents // 100},{listing.price_cents % 100:02d}",
        "unit": listing.unit, "delivery_mode": listing.delivery_mode, "municipality": listing.municipality,
        "address": listing.address, "accessibility": listing.accessibility, "languages": listing.languages,
        "capacity": str(listing.capacity),
    }
    for lang in domain.CONTENT_LANGS:
        form[f"title.{lang}"] = listing.title.get(lang, "")
        form[f"description.{lang}"] = listing.description.get(lang, "")
    return form


@post("/provider/listings/new", include_in_schema=False)
async def listing_create(request: Request, data: Form, actor: Actor) -> Any:
    return await _save_listing(request, data, actor, None)


@get("/provider/listings/{listing_id:str}", include_in_schema=False)
async def listing_edit(request: Request, listing_id: str, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    listing = await listings.read(actor, listing_id)
    provider = await providers.read(actor, actor.provider_id)
    return await _listing_form(request, provider, listing, _form_from_listing(listing), {})


@post("/provider/listings/{listing_id:str}", include_in_schema=False)
async def listing_save(request: Request, listing_id: str, data: Form, actor: Actor) -> Any:
    return await _save_listing(request, data, actor, listing_id)


async def _save_listing(request: Request, data: dict, actor: Actor, listing_id: str | None) -> Any:
    identity.require(actor, "provider_staff")
    lang = request_lang(request)
    and_submit = data.get("action") == "submit"
    values = listings.input_from_form(data, as_list)
    try:
        saved = await listings.save_from_form(actor, listing_id, values, and_submit=and_submit)
    except (Invalid,) as exc:
        provider = await providers.read(actor, actor.provider_id)
        listing = await listings.read(actor, listing_id) if listing_id else None
        errors = form_errors(exc, lang)
        if "price_cents" in errors:  # the form asks for euros: so does its message
            errors.pop("price_cents")
            errors["price_euros"] = i18n.t("listing.price_euros_invalid", lang)
        return await _listing_form(request, provider, listing, data, errors, status_code=400)
    return redirect(f"/provider/listings/{saved.id}?saved=1")


@post("/provider/listings/{listing_id:str}/submit", include_in_schema=False)
async def listing_submit(listing_id: str, actor: Actor) -> Any:
    await listings.submit(actor, listing_id)
    return redirect(f"/provider/listings/{listing_id}?saved=1")


# ----- organiser review -----


@get("/organiser/reviews", include_in_schema=False)
async def review_queue_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "organiser_admin")
    kind = request.query_params.get("kind")
    kind = kind if kind in REVIEW_KINDS else None
    number, per_page = paging(request.query_params.get("page"), 20)
    result = await approvals.queue(actor, actor.organiser_id, kind=kind, page=number, per_page=per_page)
    return page(request, "review_queue.html", queue=result, kind=kind,
                pager=Pager(page=number, per_page=per_page, total=result.total),
                organiser=await catalogue.organiser(actor.organiser_id),
                cat_names=await _category_names(request_lang(request)))


# Each kind of review: how to load its page and how to apply a decision to it.
REVIEW_KINDS = {
    "provider": (approvals.provider_review, approvals.transition_provider, "review_provider.html"),
    "category": (approvals.category_review, approvals.decide_category, "review_category.html"),
    "listing": (approvals.listing_review, approvals.decide_listing_review, "review_listing.html"),
}


@get("/organiser/reviews/{kind:str}/{item_id:str}", include_in_schema=False)
async def review_page(request: Request, kind: str, item_id: str, actor: Actor, settings: Settings) -> Any:
    if kind not in REVIEW_KINDS:
        raise NotFound()
    load, _, template = REVIEW_KINDS[kind]
    return page(request, template, d=await load(actor, item_id), errors={}, form={}, done=request.query_params.get("done"),
                registry_on=bool(settings.registry_url))


@post("/organiser/registry-checks/{approval_id:str}", include_in_schema=False)
async def review_registry_check(approval_id: str, actor: Actor, settings: Settings) -> Any:
    """The reviewer's "check the registries now": the result (or that they could not be asked) is
    stored and shown on the review page. With checks off there is nothing to ask."""
    await registry.check_for_review(actor, approval_id, registry.from_settings(settings))
    return redirect(f"/organiser/reviews/provider/{approval_id}#registry")


@post("/organiser/reviews/{kind:str}/{item_id:str}", include_in_schema=False)
async def review_decide(request: Request, kind: str, item_id: str, data: Form, actor: Actor, settings: Settings) -> Any:
    """The organiser's decision from the review page; a missing reason is shown on the form."""
    if kind not in REVIEW_KINDS:
        raise NotFound()
    load, decide, template = REVIEW_KINDS[kind]
    try:
        await decide(actor, item_id, str(data.get("action") or ""), str(data.get("reason") or ""))
    except Invalid as exc:
        return page(request, template, status_code=400, d=await load(actor, item_id),
                    errors=form_errors(exc, request_lang(request)), form=data, done=None,
                    registry_on=bool(settings.registry_url))
    return redirect(f"/organiser/reviews/{kind}/{item_id}?done=1")


@get("/organiser/providers", include_in_schema=False)
async def organiser_providers_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "organiser_admin")
    status = request.query_params.get("status")
    status = status if status in domain.APPROVAL_STATUSES else None
    q = (request.query_params.get("q") or "").strip()[:100] or None
    number, per_page = paging(request.query_params.get("page"), 20)
    rows, total = await providers.list_for_organiser(actor, status, q, number, per_page)
    return page(request, "organiser_providers.html", rows=rows, status=status, q=q or "",
                pager=Pager(page=number, per_page=per_page, total=total), statuses=domain.APPROVAL_STATUSES)


# ----- how the county's staff sign in -----


@get("/organiser/sign-in", include_in_schema=False)
async def staff_sign_in_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "organiser_admin")
    return page(request, "organiser_sign_in.html", allowed=await staff_sign_in.staff_password_login(actor.organiser_id),
                saved=request.query_params.get("saved") == "1")


@post("/organiser/sign-in", include_in_schema=False)
async def staff_sign_in_save(request: Request, actor: Actor, data: Form) -> Any:
    identity.require(actor, "organiser_admin")
    choice = str(data.get("staff_password_login") or "")
    if choice not in ("on", "off"):
        return page(request, "organiser_sign_in.html", status_code=400, saved=False,
                    allowed=await staff_sign_in.staff_password_login(actor.organiser_id),
                    errors={"staff_password_login": i18n.t("field.required", request_lang(request))})
    await staff_sign_in.set_staff_password_login(actor, actor.organiser_id, choice == "on")
    return redirect("/organiser/sign-in?saved=1")


route_handlers = [
    staff_sign_in_page, staff_sign_in_save,
    register_page, register_submit, provider_home, provider_profile, provider_profile_save, provider_resubmit, provider_create_key, provider_revoke_key,
    listing_new, listing_create, listing_edit, listing_save, listing_submit,
    review_queue_page, review_page, review_decide, review_registry_check,
    organiser_providers_page,
]
