"""Pages of the questionnaires and the research consent, without JavaScript (POST and redirect):

* ``/questionnaires`` (a proxy: ``?client=``) — the client's questionnaires open now, and
  ``/questionnaires/{id}`` the form: one fieldset with a legend and a radio group per question;
* ``POST /research-consent`` — the client (or a proxy) agrees or takes it back, from /budget;
* ``POST /counsellor/clients/{id}/research-consent`` — a counsellor records the client's answer;
* ``/organiser/questionnaires`` — the county's questionnaires: read by its staff, changed by its
  organiser admin (each save audited, ``voucher.evaluation.questionnaires.save``).
"""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n
from core.clock import HELSINKI
from core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from core.i18n import LANGS
from core.identity import Actor
from core.web import as_list, form_errors, page, redirect, request_lang
from voucher import access, proxies
from voucher.evaluation import answers, consent, defaults, domain, outcomes, questionnaires
from voucher.evaluation.domain import Item, QuestionnaireDef, Scale
from voucher.support.pages import own_client

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
ADMIN_PATH = "/organiser/questionnaires"
NEW_ITEMS = 2


# --- Context for the client's /budget and the counsellor's client page --------------------------------


async def budget_context(actor: Actor, client: dict, now: dt.datetime) -> dict:
    """What /budget shows: the research consent and whether the reader may change it (the client, or a
    proxy acting for them), and how many questionnaires wait."""
    today = now.astimezone(HELSINKI).date()
    waiting = [q for q in await answers.open_for(client["id"], client["organiser_id"], today) if q.answered_on is None]
    return {
        "research": await consent.state_of(client["id"]),
        "may_research": await proxies.acting_for(actor, client["id"], "view") in ("client", "proxy"),
        "questionnaires_waiting": len(waiting),
        "research_done": None,
    }


async def staff_context(client: dict) -> dict:
    """What the counsellor's page shows: the consent with its history, and the client's answers."""
    mine = await outcomes.answers_of(client["id"])
    titles = {q.key: q.title for q in await questionnaires.of_county(client["organiser_id"])}
    return {"research": await consent.state_of(client["id"]), "research_how": consent.COUNSELLOR_HOW,
            "client_answers": mine, "questionnaire_titles": titles}


# --- The client's questionnaires -----------------------------------------------------------------------


def _suffix(actor: Actor, client_id: str, **params: str) -> str:
    if actor.role == "proxy":
        params = {"client": client_id, **params}
    return "?" + urlencode(params) if params else ""


async def _reader(actor: Actor, client_id: str) -> dict:
    if await proxies.acting_for(actor, client_id, "view") not in ("client", "proxy"):
        raise NotFound()
    return await access.client_to_read(actor, client_id, "questionnaire")


@get("/questionnaires", include_in_schema=False)
async def questionnaire_list(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client_id = await own_client(request, actor)
    if client_id is None:
        return page(request, "voucher/choose_client.html", clients=await proxies.clients_of_proxy(actor.user_id),
                    target="/questionnaires", title="voucher.questionnaire.title_proxy",
                    choose="voucher.questionnaire.choose", nobody="voucher.questionnaire.nobody")
    client = await _reader(actor, client_id)
    found = await answers.open_for(client["id"], client["organiser_id"], now.astimezone(HELSINKI).date())
    return page(request, "voucher/questionnaires.html", client_id=str(client["id"]),
                to_fill=[q for q in found if q.answered_on is None], answered=[q for q in found if q.answered_on],
                suffix=_suffix(actor, str(client["id"])), done=request.query_params.get("done") == "1")


async def _form_page(request: Request, actor: Actor, form_id: str, now: dt.datetime, *, status_code: int = 200,
                     errors: dict | None = None, given: dict | None = None) -> Any:
    client_id = await own_client(request, actor)
    if client_id is None:
        raise NotFound()
    client = await _reader(actor, client_id)
    found = await answers.find_open(client["id"], client["organiser_id"], form_id, now.astimezone(HELSINKI).date())
    if found.answered_on is not None:
        return redirect("/questionnaires" + _suffix(actor, str(client["id"])))
    return page(request, "voucher/questionnaire_form.html", status_code=status_code, q=found,
                definition=found.questionnaire, errors=errors or {}, given=given or {},
                suffix=_suffix(actor, str(client["id"])), by_proxy=actor.role == "proxy")


@get("/questionnaires/{form_id:str}", include_in_schema=False)
async def questionnaire_form(request: Request, actor: Actor, form_id: str, now: dt.datetime) -> Any:
    return await _form_page(request, actor, form_id, now)


@post("/questionnaires/{form_id:str}", include_in_schema=False)
async def questionnaire_submit(request: Request, actor: Actor, form_id: str, data: Form, now: dt.datetime) -> Any:
    client_id = await own_client(request, actor)
    if client_id is None:
        raise NotFound()
    given = {str(k): str(v)[:4] for k, v in data.items() if isinstance(v, str)}
    try:
        await answers.submit(actor, client_id, form_id, given, now)
    except Invalid as exc:
        return await _form_page(request, actor, form_id, now, status_code=400,
                                errors=form_errors(exc, request_lang(request)), given=given)
    except Conflict:
        return redirect("/questionnaires" + _suffix(actor, client_id))
    return redirect("/questionnaires" + _suffix(actor, client_id, done="1"))


# --- The research consent -----------------------------------------------------------------------------


@post("/research-consent", include_in_schema=False)
async def research_consent_own(actor: Actor, data: Form, now: dt.datetime) -> Any:
    if actor.is_anonymous:
        raise Unauthenticated()
    client_id = str(actor.client_id) if actor.role == "client" else str(data.get("client") or "")
    state = str(data.get("state") or "")
    await consent.set_own(actor, client_id, state, now)
    params = {"client": client_id} if actor.role == "proxy" else {}
    params["research"] = state
    return redirect("/budget?" + urlencode(params) + "#research-h")


@post("/counsellor/clients/{client_id:str}/research-consent", include_in_schema=False)
async def research_consent_recorded(actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    await consent.record_for(actor, client_id, str(data.get("state") or ""), str(data.get("how") or ""), now)
    return redirect(f"/counsellor/clients/{client_id}?research=recorded#research-h")


# --- The organiser's questionnaires -------------------------------------------------------------------


def _county(actor: Actor) -> str:
    access.require_staff(actor)
    return str(actor.organiser_id)


def _form_of(definition: QuestionnaireDef) -> dict[str, Any]:
    form: dict[str, Any] = {"key": definition.key, "active": definition.active, "occasions": list(definition.occasions),
                            "scale_min": str(definition.scale.min), "scale_max": str(definition.scale.max)}
    for lang in LANGS:
        form[f"title_{lang}"] = definition.title.get(lang, "")
        form[f"intro_{lang}"] = definition.intro.get(lang, "")
        form[f"labels_{lang}"] = "\n".join(definition.scale.labels.get(lang, []))
        for index, item in enumerate(definition.items):
            form[f"item_{index}_{lang}"] = item.text.get(lang, "")
    form["item_keys"] = [item.key for item in definition.items]
    return form


def _definition_of(form: Form, current: QuestionnaireDef | None, key: str) -> tuple[QuestionnaireDef, list[str]]:
    """The form as a questionnaire: the existing items in order (one left with all three texts empty
    is removed, except WHO-5's), then the new ones typed in; a scale the form cannot read is a field
    error. With it, the form's input each item came from (``item_0``, ``new_1``…), to name errors."""
    def text(name: str) -> str:
        return str(form.get(name) or "").strip()[: domain.TEXT_MAX + 1]

    kind = current.kind if current else "custom"
    items: list[Item] = []
    sources: list[str] = []
    existing = [i.key for i in current.items] if current else []
    for index, item_key in enumerate(existing):
        texts = {lang: text(f"item_{index}_{lang}") for lang in LANGS}
        if any(texts.values()) or kind == "who5":
            items.append(Item(key=item_key, text=texts))
            sources.append(f"item_{index}")
    if kind != "who5":
        taken = set(existing)
        for index in range(NEW_ITEMS):
            texts = {lang: text(f"new_{index}_{lang}") for lang in LANGS}
            if any(texts.values()):
                number = len(taken) + 1
                while f"q{number}" in taken:
                    number += 1
                taken.add(f"q{number}")
                items.append(Item(key=f"q{number}", text=texts))
                sources.append(f"new_{index}")
    if kind == "who5":
        low, high = 0, 5
    else:
        try:
            low, high = int(text("scale_min")), int(text("scale_max"))
        except ValueError:
            raise Invalid("voucher.questionnaire.error.scale", field="scale") from None
    labels = {lang: [line.strip() for line in str(form.get(f"labels_{lang}") or "").splitlines() if line.strip()][:12]
              for lang in LANGS}
    return QuestionnaireDef(
        key=key, kind=kind, title={lang: text(f"title_{lang}") for lang in LANGS},
        intro={lang: text(f"intro_{lang}") for lang in LANGS}, items=items,
        scale=Scale(min=low, max=high, labels=labels),
        occasions=[o for o in domain.OCCASIONS if o in as_list(form.get("occasions"))],
        active=bool(form.get("active")), version=current.version if current else 1), sources


@get(ADMIN_PATH, include_in_schema=False)
async def admin_list(request: Request, actor: Actor) -> Any:
    organiser_id = _county(actor)
    return page(request, "voucher/questionnaires_admin.html", items=await questionnaires.of_county(organiser_id),
                may_edit=actor.role == "organiser_admin", saved=request.query_params.get("saved"),
                checked=defaults.WORDING_CHECKED)


def _edit_context(definition: QuestionnaireDef | None, lang: str) -> dict:
    unchecked = [lang_ for lang_, ok in defaults.WORDING_CHECKED.get(definition.key, {}).items() if not ok] \
        if definition else []
    return {"definition": definition, "langs": LANGS, "occasions": domain.OCCASIONS, "new_items": NEW_ITEMS,
            "unchecked": ", ".join(i18n.t(f"voucher.questionnaire.admin.lang.{code}", lang) for code in unchecked)}


@get(f"{ADMIN_PATH}/{{key:str}}", include_in_schema=False)
async def admin_edit(request: Request, actor: Actor, key: str) -> Any:
    organiser_id = _county(actor)
    if actor.role != "organiser_admin":
        raise Forbidden()
    definition = None if key == "new" else await questionnaires.one(organiser_id, key)
    form = _form_of(definition) if definition else {"active": True, "occasions": ["start", "end"], "scale_min": "1",
                                                    "scale_max": "5", "item_keys": []}
    return page(request, "voucher/questionnaire_edit.html", form=form, errors={},
                **_edit_context(definition, request_lang(request)))


@post(f"{ADMIN_PATH}/{{key:str}}", include_in_schema=False)
async def admin_save(request: Request, actor: Actor, key: str, data: Form, now: dt.datetime) -> Any:
    organiser_id = _county(actor)
    if actor.role != "organiser_admin":
        raise Forbidden()
    lang = request_lang(request)
    creating = key == "new"
    current = None if creating else await questionnaires.one(organiser_id, key)
    new_key = str(data.get("key") or "").strip()[:41] if creating else key
    sources: list[str] = []
    try:
        if creating and (new_key == "new" or new_key in {q.key for q in await questionnaires.of_county(organiser_id)}):
            raise Invalid("voucher.questionnaire.error.key_taken", field="key")
        definition, sources = _definition_of(data, current, new_key)
        await questionnaires.save(actor, organiser_id, definition, now)
    except Invalid as exc:
        form = {name: value for name, value in data.items() if isinstance(value, str)}
        form.update({"occasions": as_list(data.get("occasions")), "active": bool(data.get("active")),
                     "item_keys": [i.key for i in current.items] if current else [], "key": new_key})
        errors = {_admin_field(field, sources): message for field, message in form_errors(exc, lang).items()}
        return page(request, "voucher/questionnaire_edit.html", status_code=400, form=form, errors=errors,
                    **_edit_context(current, lang))
    return redirect(f"{ADMIN_PATH}?saved={new_key}")


def _admin_field(field: str, sources: list[str]) -> str:
    """A definition's field (``title.fi``, ``items.0.sv``, ``scale.en``) → the form's input."""
    parts = field.split(".")
    if parts[0] in ("title", "intro") and len(parts) == 2:
        return f"{parts[0]}_{parts[1]}"
    if parts[0] == "items" and len(parts) == 3 and int(parts[1]) < len(sources):
        return f"{sources[int(parts[1])]}_{parts[2]}"
    if parts[0] == "scale" and len(parts) == 2:
        return f"labels_{parts[1]}"
    if parts[0] == "scale":
        return "scale_min"
    return {"items": f"{sources[0]}_fi" if sources else "new_0_fi"}.get(field, field)


route_handlers = [questionnaire_list, questionnaire_form, questionnaire_submit, research_consent_own,
                  research_consent_recorded, admin_list, admin_edit, admin_save]

