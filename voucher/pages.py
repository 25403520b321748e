"""Server-rendered voucher pages: the counsellor's clients, decisions and cards; the client's budget.

Every form works without JavaScript; errors are shown next to their fields and in a summary.
A card's token and QR code are shown once, in the response to the form that issued the card.
"""

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import audit, i18n, identity
from core.errors import DomainError, FieldError, Forbidden, Invalid, Unauthenticated, from_validation, validation_path
from core.identity import Actor
from core.db import in_write_transaction
from core.settings import Settings
from core.web import Pager, as_list, form_errors, page, paging, redirect, request_lang
from voucher import (access, budgets, cards, caseload, domain, hb_classes, hb_classes_page, marketplace_port, own_share,
                     plan_domain, plan_tasks, plans, proxies)
from voucher.assessment import services as assessments
from voucher.disputes import pages as dispute_pages
from voucher.evaluation import pages as evaluation_pages
from voucher.disputes import queries as dispute_queries
from voucher.evaluation import time_pages
from voucher.schemas import CardIssue, CardUpdate, ClientCreate, DecisionCreate, DecisionUpdate, LineInput
from voucher.support import pages as support_pages
from voucher.support import thread
from voucher.support.domain import STAFF_SIDE

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
EMPTY_ROWS = 2


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


async def _categories(lang: str) -> list[tuple[str, str]]:
    names = await marketplace_port.category_names()
    return [(code, i18n.pick(texts, lang)) for code, texts in names.items()]


# --- Clients ---------------------------------------------------------------------------------


def _client_choices(lang: str) -> dict:
    return {
        "groups": [(g, i18n.t(f"voucher.group.{g}", lang)) for g in budgets.CLIENT_GROUPS],
        "languages": [(code, i18n.t(f"voucher.lang.{code}", lang)) for code in i18n.LANGS],
    }


async def _client_list(request: Request, actor: Actor, now: dt.datetime) -> dict:
    """The filtered page of clients with each one's money left, for the clients page."""
    params = request.query_params
    q = (params.get("q") or "")[:200]
    group = params.get("group") if params.get("group") in budgets.CLIENT_GROUPS else None
    number, per_page = paging(params.get("page"), 50)
    scope = caseload.scope_for(actor, params.get("scope")).name
    clients, total = await budgets.clients_of(actor, q=q, client_group=group, page=number, per_page=per_page,
                                              scope=scope)
    totals = {c.id: (await budgets.budget_for(c.id, now)).total_available_cents for c in clients}
    counsellors = await identity.users_by_id({c.counsellor_id for c in clients if c.counsellor_id})
    return {"clients": clients, "totals": totals,
            "next_tasks": await plan_tasks.next_open([c.id for c in clients], domain.helsinki_date(now)),
            "open_disputes": await dispute_queries.open_dispute_counts([c.id for c in clients]), "q": q, "group": group, "scope": scope, "scopes": caseload.SCOPES,
            "counsellor_names": {k: v.display_name for k, v in counsellors.items()},
            "pager": Pager(page=number, per_page=per_page, total=total)}


@get("/counsellor/clients", include_in_schema=False)
async def clients_page(request: Request, actor: Actor, now: dt.datetime) -> Any:
    return page(request, "voucher/clients.html", **await _client_list(request, actor, now), form={}, errors={},
                **_client_choices(request_lang(request)))


@post("/counsellor/clients", include_in_schema=False)
async def create_client_page(request: Request, actor: Actor, settings: Settings, data: Form, now: dt.datetime) -> Any:
    lang = request_lang(request)
    try:
        fields = {k: str(data.get(k) or "") for k in ("display_name", "client_group", "municipality")}
        # The identity code lets the client accept an invitation by strong e-ID (only its keyed hash is kept).
        national_id = str(data.get("national_id") or "").strip()[:20] or None
        body = msgspec.convert({**fields, "language": data.get("language") or "fi", "national_id": national_id},
                               ClientCreate)
        created = await budgets.create_client(actor, body, settings.secret_key)
    except (DomainError, msgspec.ValidationError) as exc:
        errors = form_errors(exc, lang) if isinstance(exc, DomainError) else _validation_errors(exc, lang)
        return page(request, "voucher/clients.html", status_code=400, **await _client_list(request, actor, now),
                    form=data, errors=errors, **_client_choices(lang))
    return redirect(f"/counsellor/clients/{created.id}")


def _validation_errors(exc: msgspec.ValidationError, lang: str) -> dict[str, str]:
    error = from_validation(str(exc), field=validation_path(str(exc)) or "form")
    return {error.field: error.localised(lang).message}


async def _client_context(actor: Actor, client: dict, now: dt.datetime, lang: str) -> dict:
    decisions = await budgets.decisions_for(client["id"])
    histories = {d.id: await audit.history("decision", d.id, organiser_id=client["organiser_id"]) for d in decisions}
    return {
        "client": budgets.client_read(client),
        "budget": await budgets.budget_for(client["id"], now),
        "decisions": decisions,
        "histories": histories,
        "cards": await cards.cards_for(client["id"]),
        "plan": await plans.plan_for(client["id"]),
        "today": domain.helsinki_date(now),
        "category_names": dict(await _categories(lang)),
        "can_change": access.is_staff_of(actor, client["organiser_id"]),
        "disputes": await dispute_queries.client_disputes(client["id"]),
        "suitability": await assessments.latest_suitability(client["id"]),
        "unread_messages": await thread.unread(client["id"], STAFF_SIDE),
        **await _caseload_context(actor, client),
        **await hb_classes_page.client_section(client, lang, domain.helsinki_date(now)),
        **await time_pages.client_section(client, lang, domain.helsinki_date(now)),
        **await evaluation_pages.staff_context(client),
    }


async def _caseload_context(actor: Actor, client: dict) -> dict:
    """Who the client's counsellor is, and what the actor may do about it (voucher.caseload)."""
    current = str(client["counsellor_id"]) if client["counsellor_id"] else None
    counsellors = await caseload.counsellors_of(client["organiser_id"])
    names = {c.id: c.display_name for c in counsellors}
    if current and current not in names:
        names.update({k: v.display_name for k, v in (await identity.users_by_id([current])).items()})
    may_pass_on = actor.role == "organiser_admin" or (current is not None and current == actor.user_id)
    return {
        "counsellor_id": current,
        "counsellor_name": names.get(current, "") if current else "",
        "may_take_on": actor.role == "counsellor" and current is None,
        # Whom the client may go to: the county's other active counsellors.
        "hand_over_to": [(c.id, c.display_name) for c in counsellors if c.id != current] if may_pass_on else [],
        "may_release": may_pass_on and current is not None,
    }


@get("/counsellor/clients/{client_id:str}", include_in_schema=False)
async def client_page(request: Request, actor: Actor, client_id: str, now: dt.datetime) -> Any:
    access.require_staff(actor)
    client = await access.client_to_read(actor, client_id, "counsellor_page")
    context = await _client_context(actor, client, now, request_lang(request))
    return page(request, "voucher/client.html", saved=request.query_params.get("saved"),
                caseload_saved=request.query_params.get("caseload"), hb_saved=request.query_params.get("classes"),
                time_saved=request.query_params.get("time"), age_band_saved=request.query_params.get("age_band"),
                research_saved=request.query_params.get("research") == "recorded", **context)


@post("/counsellor/clients/{client_id:str}/classes", include_in_schema=False)
async def client_class_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    """Give the client a class of a service from a date, with the reason (voucher.hb_classes, audited)."""
    access.require_staff(actor)
    try:
        body = hb_classes_page.client_class_input(data)
        await in_write_transaction(lambda: hb_classes.set_client_class(actor, client_id, body))
    except Invalid as exc:
        client = await access.client_to_read(actor, client_id, "counsellor_page")
        context = await _client_context(actor, client, now, request_lang(request))
        return page(request, "voucher/client.html", status_code=400, hb_form=data,
                    hb_errors=hb_classes_page.client_class_errors(exc, request_lang(request)), **context)
    return redirect(f"/counsellor/clients/{client_id}?classes=1#classes-h")


@post("/counsellor/clients/{client_id:str}/counsellor", include_in_schema=False)
async def assign_counsellor_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    """Take on (``counsellor_id`` = the actor), hand over, reassign or release (empty) the client."""
    target = str(data.get("counsellor_id") or "") or None
    try:
        if data.get("action") == "hand_over" and target is None:  # the list's "choose…", not "nobody"
            raise Invalid("error.validation", errors=[FieldError(field="counsellor_id", key="field.required")])
        await caseload.assign(actor, client_id, caseload.CounsellorAssign(
            counsellor_id=target, reason=str(data.get("reason") or "")[:2000]))
    except Invalid as exc:
        client = await access.client_to_read(actor, client_id, "counsellor_page")
        context = await _client_context(actor, client, now, request_lang(request))
        return page(request, "voucher/client.html", status_code=400,
                    caseload_errors=form_errors(exc, request_lang(request)), **context)
    return redirect(f"/counsellor/clients/{client_id}?caseload=1")


# --- Decisions --------------------------------------------------------------------------------


def _empty_row() -> dict:
    return {"category": "", "amount": "", "may_fund": [], "swap_cap": "", "hb_class": "", "override_reason": "",
            "computed": "", "computation": "", "fee_rule": ""}


def _rows_from(decision) -> list[dict]:
    rows = [
        {**_empty_row(), "category": l.category, "amount": domain.euros_text(l.amount_cents), "may_fund": list(l.may_fund),
         "swap_cap": domain.euros_text(l.swap_cap_cents), "hb_class": l.hb_class or "",
         "override_reason": l.override_reason, "computed": domain.euros_text(l.computed_cents),
         "fee_rule": l.fee_rule or ""}
        for l in (decision.lines if decision else [])
    ]
    return rows + [_empty_row() for _ in range(EMPTY_ROWS)]


def _rows_from_form(data: dict) -> list[dict]:
    count = int(data.get("rows") or 0) if str(data.get("rows") or "0").isdigit() else 0
    return [
        {"category": str(data.get(f"category_{i}") or ""), "amount": str(data.get(f"amount_{i}") or ""),
         "may_fund": as_list(data.get(f"may_fund_{i}")), "swap_cap": str(data.get(f"swap_cap_{i}") or ""),
         "hb_class": str(data.get(f"hb_class_{i}") or "")[:16],
         "override_reason": str(data.get(f"override_reason_{i}") or "")[:2000],
         # Shown again as they were computed (the service computes the line anew when it saves).
         "computed": str(data.get(f"computed_{i}") or "")[:40], "computation": str(data.get(f"computation_{i}") or "")[:500],
         "fee_rule": str(data.get(f"fee_rule_{i}") or "")[:64]}
        for i in range(min(count, 50))
    ]


def _rows_computed(proposal: hb_classes.Proposal, rows: list[dict]) -> list[dict]:
    """The proposal's lines (amount = computed), then the form's other filled rows, then empty ones."""
    computed = [{**_empty_row(), "category": l.category, "amount": domain.euros_text(l.computed_cents),
                 "hb_class": l.hb_class, "computed": domain.euros_text(l.computed_cents), "computation": l.computation}
                for l in proposal.lines]
    own = {l.category for l in proposal.lines}
    kept = [r for r in rows if r["category"] and r["category"] not in own]
    return computed + kept + [_empty_row() for _ in range(EMPTY_ROWS)]


def _lines_from_rows(rows: list[dict]) -> tuple[list[LineInput], list[int], list[FieldError]]:
    """Form rows → lines; ``positions[k]`` is the form row of line k, for placing errors."""
    lines, positions, errors = [], [], []
    for i, row in enumerate(rows):
        if not row["category"]:
            continue
        try:
            amount = domain.parse_euros(row["amount"])
        except ValueError:
            errors.append(FieldError(field=f"amount_{i}", key="voucher.error.euros"))
            continue
        cap = None
        if row["swap_cap"].strip():
            try:
                cap = domain.parse_euros(row["swap_cap"])
            except ValueError:
                errors.append(FieldError(field=f"swap_cap_{i}", key="voucher.error.euros"))
                continue
        lines.append(LineInput(category=row["category"], amount_cents=amount, may_fund=row["may_fund"], swap_cap_cents=cap,
                               hb_class=row["hb_class"] or None, override_reason=row["override_reason"],
                               fee_rule=row.get("fee_rule") or None))
        positions.append(i)
    return lines, positions, errors


def _form_field(field: str, positions: list[int]) -> str:
    """A service's ``lines[k].amount_cents`` → the form's ``amount_<row>``."""
    names = {"amount_cents": "amount", "category": "category", "may_fund": "may_fund", "swap_cap_cents": "swap_cap",
             "hb_class": "category", "override_reason": "override_reason",
             "fee_rule": "fee_rule"}
    if field.startswith("lines[") and "]." in field:
        k, rest = field[6:].split("].", 1)
        if k.isdigit() and int(k) < len(positions):
            return f"{names.get(rest, rest)}_{positions[int(k)]}"
    return field


def _errors_for_form(exc: DomainError, positions: list[int], lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors or [FieldError(field=exc.field or "form", key=exc.key, params=exc.params)]:
        out.setdefault(_form_field(err.field, positions), err.localised(lang).message)
    return out


async def _decision_form(request, *, client, decision, rows, form, errors, status_code=200, missing=(),
                         computed=False) -> Any:
    lang = request_lang(request)
    categories = await _categories(lang)
    names = dict(categories)
    return page(request, "voucher/decision_form.html", status_code=status_code, client=budgets.client_read(client),
                decision=decision, rows=rows, form=form, errors=errors, categories=categories, computed=computed,
                missing=[i18n.t("voucher.hb.missing", lang, service=names.get(m["category"], m["category"]),
                                code=m["hb_class"], date=i18n.local_date(dt.date.fromisoformat(m["on"]), lang))
                         for m in missing],
                fee_rules=[(r.code, i18n.pick(r.name, lang) or r.code) for r in await own_share.rules_of(client["organiser_id"])])


async def _computed_form(request: Request, client: dict, decision, data: dict) -> Any:
    """"Laske luokista": the form again with the lines the client's classes give for its dates."""
    rows = _rows_from_form(data) if "rows" in data else _rows_from(decision)
    try:
        start, end = _dates(data)
        proposal = await hb_classes.proposal_for(client, start, end, request_lang(request))
    except DomainError as exc:
        return await _decision_form(request, client=client, decision=decision, rows=rows, form=data, status_code=400,
                                    errors=_errors_for_form(exc, [], request_lang(request)))
    return await _decision_form(request, client=client, decision=decision, rows=_rows_computed(proposal, rows),
                                form=data, errors={}, missing=proposal.missing, computed=True)


@get("/counsellor/clients/{client_id:str}/decisions/new", include_in_schema=False)
async def new_decision_page(request: Request, actor: Actor, client_id: str) -> Any:
    client = await access.client_to_change(actor, client_id)
    params = request.query_params
    if params.get("compute") == "1":  # a link that fills the lines from the classes, without JavaScript
        return await _computed_form(request, client, None, {"start": params.get("start") or "", "end": params.get("end") or ""})
    return await _decision_form(request, client=client, decision=None, rows=_rows_from(None), form={}, errors={})


@post("/counsellor/clients/{client_id:str}/decisions", include_in_schema=False)
async def create_decision_page(request: Request, actor: Actor, client_id: str, data: Form) -> Any:
    client = await access.client_to_change(actor, client_id)
    if data.get("action") == "compute":
        return await _computed_form(request, client, None, data)

    async def save(start: dt.date, end: dt.date, lines: list[LineInput]) -> None:
        reason = str(data.get("reason") or "")
        await budgets.create_decision(actor, client_id, DecisionCreate(start=start, end=end, lines=lines, reason=reason))

    return await _save_decision(request, data, client, None, save)


async def _save_decision(request: Request, data: dict, client: dict, decision, save) -> Any:
    """Parse the decision form, save it, or show the form again with every error by its field."""
    rows = _rows_from_form(data)
    lines, positions, errors = _lines_from_rows(rows)
    try:
        start, end = _dates(data)
        if errors:
            raise Invalid("error.validation", errors=errors)
        await save(start, end, lines)
    except DomainError as exc:
        return await _decision_form(request, client=client, decision=decision, rows=rows, form=data, status_code=400,
                                    errors=_errors_for_form(exc, positions, request_lang(request)))
    return redirect(f"/counsellor/clients/{client['id']}?saved=1")


def _dates(data: dict) -> tuple[dt.date, dt.date]:
    errors, out = [], []
    for name in ("start", "end"):
        try:
            out.append(dt.date.fromisoformat(str(data.get(name) or "")))
        except ValueError:
            errors.append(FieldError(field=name, key="voucher.error.date"))
    if errors:
        raise Invalid("error.validation", errors=errors)
    return out[0], out[1]


@get("/counsellor/decisions/{decision_id:str}/edit", include_in_schema=False)
async def edit_decision_page(request: Request, actor: Actor, decision_id: str) -> Any:
    decision, client = await budgets.decision_to_change(actor, decision_id)
    await audit.client_data_read(actor, client["id"], "decision.edit", organiser_id=client["organiser_id"])
    form = {"start": decision.start.isoformat(), "end": decision.end.isoformat()}
    return await _decision_form(request, client=client, decision=decision, rows=_rows_from(decision), form=form, errors={})


@post("/counsellor/decisions/{decision_id:str}", include_in_schema=False)
async def update_decision_page(request: Request, actor: Actor, decision_id: str, data: Form) -> Any:
    decision, client = await budgets.decision_to_change(actor, decision_id)
    if data.get("action") == "compute":
        return await _computed_form(request, client, decision, data)

    async def save(start: dt.date, end: dt.date, lines: list[LineInput]) -> None:
        status = data.get("status") if data.get("status") in ("active", "revoked") else msgspec.UNSET
        await budgets.update_decision(actor, decision_id, DecisionUpdate(
            reason=str(data.get("reason") or ""), start=start, end=end, lines=lines, status=status))

    return await _save_decision(request, data, client, decision, save)


# --- Cards -------------------------------------------------------------------------------------


def _cents_or_none(value: Any, field: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return domain.parse_euros(text)
    except ValueError:
        raise Invalid("error.validation", errors=[FieldError(field=field, key="voucher.error.euros")]) from None


@post("/counsellor/clients/{client_id:str}/cards", include_in_schema=False)
async def issue_card_page(request: Request, actor: Actor, settings: Settings, client_id: str, data: Form,
                          now: dt.datetime) -> Any:
    lang = request_lang(request)
    try:
        caps = CardIssue(per_transaction_limit_cents=_cents_or_none(data.get("per_transaction"), "per_transaction"),
                         daily_limit_cents=_cents_or_none(data.get("daily"), "daily"))
        issued = await cards.issue(actor, client_id, caps, settings.secret_key)
    except Invalid as exc:
        client = await access.client_to_read(actor, client_id, "counsellor_page")
        context = await _client_context(actor, client, now, lang)
        return page(request, "voucher/client.html", status_code=400, card_errors=form_errors(exc, lang), **context)
    return _no_store(page(request, "voucher/card_issued.html", issued=issued, client_id=client_id))


@post("/counsellor/cards/{card_id:str}/status", include_in_schema=False)
async def card_status_page(request: Request, actor: Actor, card_id: str, data: Form) -> Any:
    status = data.get("status")
    if status not in ("active", "frozen"):
        raise Invalid("error.validation", field="status")
    card = await cards.update(actor, card_id, CardUpdate(status=status, reason=str(data.get("reason") or "")))
    return redirect(f"/counsellor/clients/{card.client_id}")


@post("/counsellor/cards/{card_id:str}/replace", include_in_schema=False)
async def replace_card_page(request: Request, actor: Actor, settings: Settings, card_id: str, data: Form) -> Any:
    issued = await cards.replace(actor, card_id, settings.secret_key, reason=str(data.get("reason") or ""))
    return _no_store(page(request, "voucher/card_issued.html", issued=issued, client_id=issued.card.client_id))


# --- The client's own goals -----------------------------------------------------------------


@post("/counsellor/clients/{client_id:str}/goals", include_in_schema=False)
async def add_goal_page(request: Request, actor: Actor, client_id: str, data: Form) -> Any:
    title = str(data.get("title") or "").strip()
    if not title:
        raise Invalid("error.validation", errors=[FieldError(field="title", key="field.required")])
    await plans.add_goal(actor, client_id, plans.GoalInput(title=title))
    if data.get("back") == "plan":  # the plan page's form
        return redirect(f"/counsellor/clients/{client_id}/plan?saved=goals#goals-h")
    return redirect(f"/counsellor/clients/{client_id}#plan-h")


@post("/counsellor/goals/{goal_id:str}/scores", include_in_schema=False)
async def score_goal_page(request: Request, actor: Actor, goal_id: str, data: Form) -> Any:
    try:
        score = int(str(data.get("score")))
    except ValueError:
        raise Invalid("voucher.error.gas_range", field="score") from None
    plan = await plans.score_goal(actor, goal_id, plans.ScoreInput(score=score, note=str(data.get("note") or "")))
    if data.get("back") == "plan":
        return redirect(f"/counsellor/clients/{plan.client_id}/plan?saved=goals#goals-h")
    return redirect(f"/counsellor/clients/{plan.client_id}#plan-h")


# --- The client's own budget --------------------------------------------------------------------


@get("/budget", include_in_schema=False)
async def my_budget_page(request: Request, actor: Actor, settings: Settings, now: dt.datetime) -> Any:
    if actor.is_anonymous:
        raise Unauthenticated()
    client_id = actor.client_id or request.query_params.get("client")
    if actor.role == "proxy" and not client_id:
        # A proxy sees the budget of the person they act for: straight away when there is one,
        # a choice when there are several.
        viewable = [c for c in await proxies.clients_of_proxy(actor.user_id) if "view" in c.rights]
        if len(viewable) != 1:
            return page(request, "voucher/choose_client.html", clients=viewable, target="/budget",
                        title="voucher.budget.title_proxy", choose="voucher.budget.choose", nobody="voucher.budget.nobody")
        client_id = viewable[0].client_id
    if actor.role not in ("client", "proxy") or not client_id:
        raise Forbidden()
    client = await access.client_to_read(actor, client_id, "own_budget")
    lang = request_lang(request)
    # The latest suitability outcome and its reason: the client's, and a proxy's who holds `view`.
    sees_outcome = await proxies.acting_for(actor, client["id"], "view") in ("client", "proxy")
    counsellor = str(client["counsellor_id"]) if client["counsellor_id"] else None
    names = await identity.users_by_id([counsellor] if counsellor else [])
    return page(request, "voucher/budget.html", client=budgets.client_read(client),
                counsellor_name=names[counsellor].display_name if counsellor in names else "",
                suitability=await assessments.latest_suitability(client["id"]) if sees_outcome else None,
                next_follow_up=plan_domain.next_follow_up(await plans.follow_up_dates(client["id"]), domain.helsinki_date(now)),
                budget=await budgets.budget_for(client["id"], now), category_names=dict(await _categories(lang)),
                consent_done=request.query_params.get("consent"), **await support_pages.budget_context(actor, client["id"]),
                **{**await evaluation_pages.budget_context(actor, client, now),
                   "research_done": request.query_params.get("research")},
                **await dispute_pages.payments_context(request, actor, client["id"], now, settings.dispute_window_days))


route_handlers = [
    clients_page, create_client_page, client_page, client_class_page, assign_counsellor_page, new_decision_page, create_decision_page, edit_decision_page,
    update_decision_page, issue_card_page, card_status_page, replace_card_page, add_goal_page, score_goal_page,
    my_budget_page,
]
