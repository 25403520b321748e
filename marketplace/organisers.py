"""Organisers (wellbeing services counties) made by the platform admin — the page
``/platform/organisers`` and ``POST /api/v1/organisers`` — checked by the same rule as an import's
organisers (``organiser_errors``, which ``import_validation`` calls too): name, business ID
(python-stdnum), municipalities, IBAN (schwifty) and BIC (schwifty) when given, settlement period.
Audited. The county's first admin is then invited (``voucher.invitations``).
"""

import re
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from schwifty import BIC
from schwifty.exceptions import SchwiftyException

import marketplace.organiser_messages  # noqa: F401 - registers its texts
from core import audit, i18n, identity
from core.db import in_write_transaction
from core.errors import Conflict, DomainError, FieldError, field_errors
from core.identity import Actor
from core.web import StrictBody, form_errors, page, request_lang
from marketplace import domain
from marketplace.tables import Organiser

SETTLEMENT_PERIODS = ("daily", "weekly", "monthly")


class OrganiserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(max_length=200)]
    business_id: Annotated[str, msgspec.Meta(max_length=20)]
    municipalities: list[Annotated[str, msgspec.Meta(max_length=100)]]
    iban: Annotated[str, msgspec.Meta(max_length=42)] = ""
    bic: Annotated[str, msgspec.Meta(max_length=11)] = ""
    settlement_period: Annotated[str, msgspec.Meta(max_length=16)] = "daily"


class OrganiserCreated(msgspec.Struct, kw_only=True):
    id: str
    name: str
    business_id: str
    municipalities: list[str]
    iban: str
    bic: str
    settlement_period: str


def bic_error(value: str | None, field: str = "bic") -> FieldError | None:
    try:
        BIC(re.sub(r"\s+", "", value or "").upper())
    except (SchwiftyException, ValueError):
        return FieldError(field=field, key="organiser.bic_invalid")
    return None


def organiser_errors(o: dict) -> list[FieldError]:
    """Every problem with an organiser record (an import's or the platform admin's): the one rule."""
    errors = []
    if err := domain.text_error(o.get("name") if isinstance(o.get("name"), str) else None, "name", 200, required=True):
        errors.append(err)
    if err := domain.business_id_error(o.get("business_id") if isinstance(o.get("business_id"), str) else None):
        errors.append(err)
    municipalities = o.get("municipalities", [])
    if (not isinstance(municipalities, list) or not municipalities
            or not all(isinstance(m, str) and m.strip() for m in municipalities)):
        errors.append(FieldError(field="municipalities", key="provider.municipalities_required"))
    else:
        errors.extend(e for m in municipalities if (e := domain.text_error(m, "municipalities", 100)))
    if "settlement_period" in o and o["settlement_period"] not in SETTLEMENT_PERIODS:
        errors.append(FieldError(field="settlement_period", key="field.choice",
                                 params={"choices": ", ".join(SETTLEMENT_PERIODS)}))
    if o.get("iban") not in (None, "") and (err := domain.iban_error(o["iban"] if isinstance(o["iban"], str) else None)):
        errors.append(err)
    if o.get("bic") not in (None, "") and (err := bic_error(o["bic"] if isinstance(o["bic"], str) else None)):
        errors.append(err)
    return errors


async def create(actor: Actor, data: OrganiserCreate) -> OrganiserCreated:
    """A new organiser (platform admins only): 400 naming each field, 409 for a business ID the
    platform has already; audited."""
    identity.require(actor, "platform_admin")
    record = msgspec.to_builtins(data)
    field_errors(organiser_errors(record))
    business_id = domain.normalise_business_id(data.business_id)
    values = {"name": data.name.strip(), "business_id": business_id,
              "municipalities": sorted({m.strip() for m in data.municipalities}),
              "iban": domain.normalise_iban(data.iban), "bic": re.sub(r"\s+", "", data.bic).upper(),
              "settlement_period": data.settlement_period}

    async def op() -> OrganiserCreated:
        if await Organiser.exists().where(Organiser.business_id == business_id).run():
            raise Conflict("organiser.business_id_taken", field="business_id")
        row = Organiser(**values)
        await Organiser.insert(row).run()
        await audit.record(actor, "organiser.created", "organiser", row.id, organiser_id=row.id,
                           details={"name": values["name"], "business_id": business_id})
        return OrganiserCreated(id=str(row.id), **values)

    return await in_write_transaction(op)


# --- HTTP -------------------------------------------------------------------------------------------

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


@post("/api/v1/organisers", status_code=201, tags=["catalogue"], dto=StrictBody[OrganiserCreate], return_dto=None,
      summary="Add an organiser (platform admins; checked as an import's organisers are)")
async def create_organiser(data: OrganiserCreate, actor: Actor) -> OrganiserCreated:
    return await create(actor, data)


async def _listing() -> list[dict]:
    return await Organiser.select(Organiser.id, Organiser.name, Organiser.business_id, Organiser.municipalities,
                                  Organiser.settlement_period).order_by(Organiser.name).output(load_json=True).run()


def _render(request: Request, *, status_code: int = 200, form: dict | None = None, errors: dict | None = None,
            created: OrganiserCreated | None = None, organisers: list[dict]) -> Any:
    lang = request_lang(request)
    periods = [(p, i18n.t(f"organiser.period.{p}", lang)) for p in SETTLEMENT_PERIODS]
    return page(request, "platform_organisers.html", status_code=status_code, form=form or {}, errors=errors or {},
                created=created, organisers=organisers, periods=periods)


@get("/platform/organisers", include_in_schema=False)
async def organisers_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "platform_admin")
    return _render(request, organisers=await _listing())


@post("/platform/organisers", include_in_schema=False)
async def organisers_submit(request: Request, actor: Actor, data: Form) -> Any:
    identity.require(actor, "platform_admin")
    form = {k: str(data.get(k) or "") for k in ("name", "business_id", "municipalities", "iban", "bic",
                                                 "settlement_period")}
    municipalities = [m.strip() for m in re.split(r"[,\n]", form["municipalities"]) if m.strip()]
    try:
        body = OrganiserCreate(name=form["name"][:200], business_id=form["business_id"][:20],
                               municipalities=[m[:100] for m in municipalities], iban=form["iban"][:42],
                               bic=form["bic"][:11], settlement_period=form["settlement_period"][:16] or "daily")
        created = await create(actor, body)
    except DomainError as exc:
        return _render(request, status_code=exc.status, form=form, errors=form_errors(exc, request_lang(request)),
                       organisers=await _listing())
    return _render(request, created=created, organisers=await _listing())


route_handlers = [create_organiser, organisers_page, organisers_submit]
