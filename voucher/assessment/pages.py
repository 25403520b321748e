"""The counsellor's assessment page ``/counsellor/clients/{id}/assessment`` (the latest need and
suitability assessment as forms for a new version, and every earlier version), and the county's
criteria page ``/organiser/suitability-criteria`` (its admin edits, its counsellors read). Forms
work without JavaScript; errors are shown beside their fields and in a summary."""

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n
from core.clock import HELSINKI
from core.errors import Invalid
from core.identity import Actor
from core.web import form_errors, page, redirect, request_lang
from voucher import access, budgets, marketplace_port
from voucher.assessment import domain, services
from voucher.assessment.schemas import CriterionAnswer, NeedArea, NeedAssessmentInput, SuitabilityInput

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PAGE = "/counsellor/clients/{client_id:str}/assessment"
CRITERIA_PAGE = "/organiser/suitability-criteria"


def _text(data: dict, name: str, limit: int = domain.TEXT_MAX + 1) -> str:
    return str(data.get(name) or "")[:limit]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


async def _categories(lang: str) -> list[tuple[str, str]]:
    names = await marketplace_port.category_names()
    return sorted(((code, i18n.pick(texts, lang)) for code, texts in names.items()), key=lambda c: c[1])


def _need_form(latest, today: dt.date) -> dict[str, str]:
    """The latest version as the form for the next one (the date today)."""
    form = {"need_on": today.isoformat(), "participants": "", "client_view": ""}
    if latest:
        form.update(participants="\n".join(latest.participants), client_view=latest.client_view)
        for area in latest.areas:
            form[f"level_{area.category}"], form[f"need_{area.category}"] = area.level, area.need
    return form


def _suitability_form(latest, criteria: list[str], today: dt.date) -> dict[str, str]:
    form = {"suit_on": today.isoformat(), "outcome": "", "reason": ""}
    if latest:
        earlier = {a.criterion: a for a in latest.criteria}
        form.update(outcome=latest.outcome, reason=latest.reason)
        for i, criterion in enumerate(criteria):
            if criterion in earlier:
                form[f"met_{i}"] = "yes" if earlier[criterion].met else "no"
                form[f"grounds_{i}"] = earlier[criterion].grounds
    return form


async def _context(actor: Actor, client: dict, lang: str, now: dt.datetime) -> dict:
    today = now.astimezone(HELSINKI).date()
    needs = await services.need_assessments_for(client["id"])
    suitability = await services.suitability_for(client["id"])
    criteria = (await services.criteria_for(client["organiser_id"])).criteria
    return {"client": budgets.client_read(client), "categories": await _categories(lang), "levels": domain.NEED_LEVELS,
            "outcomes": domain.OUTCOMES, "criteria": criteria, "needs": needs, "suitability": suitability,
            "today": today, "may_record": access.is_staff_of(actor, client["organiser_id"]),
            "need_form": _need_form(needs[0] if needs else None, today),
            "suitability_form": _suitability_form(suitability[0] if suitability else None, criteria, today),
            "need_errors": {}, "suitability_errors": {}}


@get(PAGE, include_in_schema=False)
async def assessment_page(request: Request, actor: Actor, client_id: str, now: dt.datetime) -> Any:
    access.require_staff(actor)
    client = await access.client_to_read(actor, client_id, "assessment_page")
    context = await _context(actor, client, request_lang(request), now)
    return page(request, "voucher/assessment.html", saved=request.query_params.get("saved") or "", **context)


async def _again(request: Request, actor: Actor, client: dict, now: dt.datetime, data: dict, exc: Invalid,
                 form: str, form_field) -> Any:
    """The page again (400) with what was typed in ``form`` (need | suitability) and each error
    beside its field (``form_field``: the service's field name → the form's)."""
    lang = request_lang(request)
    context = await _context(actor, client, lang, now)
    errors: dict[str, str] = {}
    for field, message in form_errors(exc, lang).items():
        errors.setdefault(form_field(field), message)
    context.update({f"{form}_form": {k: str(v) for k, v in data.items()}, f"{form}_errors": errors})
    return page(request, "voucher/assessment.html", status_code=400, saved="", **context)


def _need_input(data: dict, codes: list[str]) -> tuple[NeedAssessmentInput, list[str]]:
    """The form as the API's body; ``order[k]`` is the category of area k (for placing errors)."""
    areas = [NeedArea(category=code, level=str(data.get(f"level_{code}")), need=_text(data, f"need_{code}"))
             for code in codes if data.get(f"level_{code}")]
    return NeedAssessmentInput(assessed_on=_date(_text(data, "need_on", 20)) or dt.date.max, areas=areas,
                               participants=_lines(_text(data, "participants", 10_000)),
                               client_view=_text(data, "client_view")), [a.category for a in areas]


def _need_field(field: str, order: list[str]) -> str:
    """The API's ``areas[k].need`` → the form's ``need_<category>``."""
    if field.startswith("areas[") and "]." in field:
        k, rest = field[len("areas["):].split("].", 1)
        if k.isdigit() and int(k) < len(order):
            return f"{'level' if rest == 'category' else rest}_{order[int(k)]}"
    if field.startswith("participants"):
        return "participants"
    return {"assessed_on": "need_on"}.get(field, field)


@post("/counsellor/clients/{client_id:str}/need-assessments", include_in_schema=False)
async def record_need_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    client = await access.client_to_change(actor, client_id)
    lang = request_lang(request)
    codes = [code for code, _ in await _categories(lang)]
    body, order = _need_input(data, codes)
    try:
        if body.assessed_on == dt.date.max:
            raise Invalid("voucher.error.date", field="need_on")
        await services.record_need(actor, client["id"], body, now)
    except Invalid as exc:
        return await _again(request, actor, client, now, data, exc, "need", lambda field: _need_field(field, order))
    return redirect(f"/counsellor/clients/{client['id']}/assessment?saved=need#need-h")


def _suitability_input(data: dict, criteria: list[str]) -> SuitabilityInput:
    answers = []
    for i in range(min(int(str(data.get("criteria_count") or 0) or 0), domain.MAX_CRITERIA)):
        met = data.get(f"met_{i}")
        if met not in ("yes", "no"):
            continue  # unanswered: domain.suitability_problems names the list
        answers.append(CriterionAnswer(criterion=_text(data, f"criterion_{i}", domain.CRITERION_MAX + 1),
                                       met=met == "yes", grounds=_text(data, f"grounds_{i}")))
    return SuitabilityInput(assessed_on=_date(_text(data, "suit_on", 20)) or dt.date.max, criteria=answers,
                            outcome=_text(data, "outcome", 20), reason=_text(data, "reason"))


def _suitability_field(field: str, body: SuitabilityInput, criteria: list[str]) -> str:
    """The API's ``criteria[k].grounds`` → the form's ``grounds_<i>`` (i: the criterion's place)."""
    if field.startswith("criteria[") and "]." in field:
        k, rest = field[len("criteria["):].split("].", 1)
        if k.isdigit() and int(k) < len(body.criteria) and body.criteria[int(k)].criterion in criteria:
            i = criteria.index(body.criteria[int(k)].criterion)
            return f"{'met' if rest == 'criterion' else rest}_{i}"
    return {"assessed_on": "suit_on"}.get(field, field)


@post("/counsellor/clients/{client_id:str}/suitability", include_in_schema=False)
async def record_suitability_page(request: Request, actor: Actor, client_id: str, data: Form,
                                  now: dt.datetime) -> Any:
    client = await access.client_to_change(actor, client_id)
    criteria = (await services.criteria_for(client["organiser_id"])).criteria
    try:
        body = _suitability_input(data, criteria)
    except ValueError:
        body = SuitabilityInput(assessed_on=dt.date.max, criteria=[], outcome="", reason="")
    try:
        if body.assessed_on == dt.date.max:
            raise Invalid("voucher.error.date", field="suit_on")
        await services.record_suitability(actor, client["id"], body, now)
    except Invalid as exc:
        return await _again(request, actor, client, now, data, exc, "suitability",
                            lambda field: _suitability_field(field, body, criteria))
    return redirect(f"/counsellor/clients/{client['id']}/assessment?saved=suitability#suitability-h")


# --- The county's criteria ----------------------------------------------------------------------


async def _criteria_context(actor: Actor) -> dict:
    organiser_id = services.county_of(actor)
    county = (await marketplace_port.organisers([organiser_id])).get(organiser_id)
    current = await services.criteria_for(organiser_id)
    return {"county": county.name if county else "", "current": current,
            "may_edit": actor.role == "organiser_admin"}


@get(CRITERIA_PAGE, include_in_schema=False)
async def criteria_page(request: Request, actor: Actor) -> Any:
    context = await _criteria_context(actor)
    return page(request, "voucher/suitability_criteria.html", form={"criteria": "\n".join(context["current"].criteria)},
                errors={}, saved=request.query_params.get("saved") == "1", **context)


@post(CRITERIA_PAGE, include_in_schema=False)
async def criteria_save(request: Request, actor: Actor, data: Form, now: dt.datetime) -> Any:
    text = _text(data, "criteria", 20_000)
    try:
        await services.save_criteria(actor, _lines(text), now)
    except Invalid as exc:
        errors = {}
        for field, message in form_errors(exc, request_lang(request)).items():
            errors.setdefault("criteria", message)
        context = await _criteria_context(actor)
        return page(request, "voucher/suitability_criteria.html", status_code=400, form={"criteria": text},
                    errors=errors, saved=False, **context)
    return redirect(f"{CRITERIA_PAGE}?saved=1")


route_handlers = [assessment_page, record_need_page, record_suitability_page, criteria_page, criteria_save]
