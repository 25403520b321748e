"""The plan's pages (docs/decisions/0034).

* ``/counsellor/clients/{id}/plan``: the counsellor edits every part — needs, goals and their GAS
  scores, means, close persons and their tasks, consents, the responsible worker, follow-up dates —
  decides the client's open proposals, marks follow-up tasks done, and reads the plan's history.
* ``/plan`` (``?client=`` for a proxy, as ``/budget`` picks the client): the client's side reads the
  plan in plain language, proposes a goal, need, means or close person's task, or comments on an item,
  and sees what became of each proposal.

Every form works without JavaScript (POST, then a redirect back; errors shown by their fields). A close
person's name is never put in a URL.
"""

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import i18n, identity
from core.errors import DomainError, FieldError, Forbidden, Invalid, Unauthenticated
from core.identity import Actor
from core.web import as_list, form_errors, page, redirect, request_lang
from voucher import access, budgets, caseload, domain, marketplace_port, plan_domain, plan_parts, plan_proposals
from voucher import plan_tasks, plans, proxies
from voucher.plan_parts import ConsentInput, ItemInput

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def plan_path(client_id: Any) -> str:
    return f"/counsellor/clients/{client_id}/plan"


def _text(data: dict, name: str, limit: int = plan_domain.TEXT_MAX) -> str:
    return str(data.get(name) or "")[: limit + 1]


# --- The counsellor's plan page -------------------------------------------------------------------


async def _counsellor_context(actor: Actor, client: dict, now: dt.datetime, lang: str) -> dict:
    plan = await plans.plan_for(client["id"])
    today = domain.helsinki_date(now)
    counsellors = await caseload.counsellors_of(client["organiser_id"])
    names = {c.id: c.display_name for c in counsellors}
    people = {str(c.given_by) for c in plan.consents if c.given_by} | {
        str(c.withdrawn_by) for c in plan.consents if c.withdrawn_by} | {t.assignee_id for t in plan.tasks if t.assignee_id}
    names.update({k: v.display_name for k, v in (await identity.users_by_id(people - set(names))).items()})
    categories = sorted(((code, i18n.pick(texts, lang)) for code, texts in (await marketplace_port.category_names()).items()),
                        key=lambda c: c[1])
    open_proposals = [p for p in plan.proposals if p.status == "open"]
    return {
        "client": budgets.client_read(client),
        "plan": plan,
        "today": today,
        "can_change": access.is_staff_of(actor, client["organiser_id"]),
        "counsellors": [(c.id, c.display_name) for c in counsellors],
        "names": names,
        "providers": await plan_parts.approved_providers(client["organiser_id"]),
        "categories": categories,
        "category_names": dict(categories),
        "goal_titles": {g.id: g.title for g in plan.goals},
        "targets": _targets(plan),
        "open_proposals": open_proposals,
        "task_states": {t.id: plan_domain.task_state(t.due_on, today, t.done_at is not None) for t in plan.tasks},
        "history": await plan_proposals.history(client, plan),
        "errors": {},
        "form": {},
    }


def _targets(plan: plans.PlanRead) -> dict[str, str]:
    """``kind:id`` → what the goal or item says, for comments and their choice list."""
    out = {f"goal:{g.id}": g.title for g in plan.goals}
    for item in (*plan.need_items, *plan.means, *plan.close_persons):
        out[f"{item.kind}:{item.id}"] = f"{item.person_label}: {item.text}" if item.person_label else item.text
    return out


async def _plan_page(request: Request, actor: Actor, client_id: Any, now: dt.datetime, *, status_code: int = 200,
                     errors: dict | None = None, form: dict | None = None) -> Any:
    access.require_staff(actor)
    client = await access.client_to_read(actor, client_id, "plan_page")
    context = await _counsellor_context(actor, client, now, request_lang(request))
    context.update(errors=errors or {}, form=form or {})
    return page(request, "voucher/plan.html", status_code=status_code, saved=request.query_params.get("saved"),
                **context)


async def _act(request: Request, actor: Actor, client_id: Any, now: dt.datetime, section: str, data: dict, work,
               prefix: str = "", rename: dict[str, str] | None = None) -> Any:
    """Run ``work``; back to the plan page at ``section``, or the page again with the errors by
    their fields (``prefix`` + the service's field name, as the form names its inputs)."""
    try:
        await work()
    except DomainError as exc:
        rename = rename or {}
        errors = {rename.get(k, f"{prefix}{k}"): v for k, v in form_errors(exc, request_lang(request)).items()}
        return await _plan_page(request, actor, client_id, now, status_code=400, errors={section: errors},
                                form={section: data})
    return redirect(f"{plan_path(client_id)}?saved={section}#{section}-h")


@get("/counsellor/clients/{client_id:str}/plan", include_in_schema=False)
async def counsellor_plan_page(request: Request, actor: Actor, client_id: str, now: dt.datetime) -> Any:
    return await _plan_page(request, actor, client_id, now)


def _dates(values: list[str]) -> list[dt.date]:
    out, errors = [], []
    for value in values:
        try:
            out.append(dt.date.fromisoformat(value.strip()))
        except ValueError:
            errors.append(FieldError(field="follow_up", key="voucher.error.date"))
    if errors:
        raise Invalid("error.validation", errors=errors[:1])
    return out


@post("/counsellor/clients/{client_id:str}/plan", include_in_schema=False)
async def save_plan_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    async def work() -> None:
        responsible = str(data.get("responsible_user_id") or "") or None
        await plans.save_plan(actor, client_id, plans.PlanInput(
            needs=_text(data, "needs", 10000)[:10000], follow_up_dates=_dates(as_list(data.get("follow_up"))),
            responsible_user_id=responsible), now=now)

    return await _act(request, actor, client_id, now, "basics", data, work)


@post("/counsellor/clients/{client_id:str}/plan/items", include_in_schema=False)
async def add_item_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    kind = str(data.get("kind") or "")
    section = kind if kind in plan_domain.ITEM_KINDS else "need"

    async def work() -> None:
        await plan_parts.add_item(actor, client_id, ItemInput(
            kind=kind, text=_text(data, f"{section}_text"), goal_id=str(data.get("goal_id") or "") or None,
            category=str(data.get("category") or "")[:64],
            person_label=_text(data, "person_label", plan_domain.LABEL_MAX)))

    return await _act(request, actor, client_id, now, section, data, work, rename={"text": f"{section}_text"})


@post("/counsellor/plan-items/{item_id:str}/remove", include_in_schema=False)
async def remove_item_page(actor: Actor, item_id: str) -> Any:
    item = await plan_parts.remove_item(actor, item_id)
    row = await plan_parts.client_of_item(item.id)
    return redirect(f"{plan_path(row)}?saved={item.kind}#{item.kind}-h")


@post("/counsellor/clients/{client_id:str}/plan/consents", include_in_schema=False)
async def give_consent_page(request: Request, actor: Actor, client_id: str, data: Form, now: dt.datetime) -> Any:
    async def work() -> None:
        given = str(data.get("given_on") or "").strip()
        try:
            given_on = dt.date.fromisoformat(given) if given else None
        except ValueError:
            raise Invalid("voucher.error.date", field="given_on") from None
        await plan_parts.give_consent(actor, client_id, ConsentInput(
            kind=str(data.get("kind") or ""), provider_id=str(data.get("provider_id") or "") or None,
            given_on=given_on), domain.helsinki_date(now))

    return await _act(request, actor, client_id, now, "consents", data, work)


@post("/counsellor/plan-consents/{consent_id:str}/withdraw", include_in_schema=False)
async def withdraw_consent_page(actor: Actor, consent_id: str, now: dt.datetime) -> Any:
    await plan_parts.withdraw_consent(actor, consent_id, domain.helsinki_date(now))
    client_id = await plan_parts.client_of_consent(consent_id)
    return redirect(f"{plan_path(client_id)}?saved=consents#consents-h")


@post("/counsellor/plan-proposals/{proposal_id:str}/accept", include_in_schema=False)
async def accept_proposal_page(actor: Actor, proposal_id: str) -> Any:
    proposal = await plan_proposals.accept(actor, proposal_id)
    return redirect(f"{plan_path(proposal.client_id)}?saved=proposals#proposals-h")


@post("/counsellor/plan-proposals/{proposal_id:str}/decline", include_in_schema=False)
async def decline_proposal_page(request: Request, actor: Actor, proposal_id: str, data: Form, now: dt.datetime) -> Any:
    client_id = await plan_parts.client_of_proposal(proposal_id)

    async def work() -> None:
        # The page names each proposal's reason field by the proposal (one page, several forms).
        reason = _text(data, f"{proposal_id}-reason") or _text(data, "reason")
        await plan_proposals.decline(actor, proposal_id, plan_proposals.DeclineInput(reason=reason))

    return await _act(request, actor, client_id, now, "proposals", {**data, "proposal_id": proposal_id}, work,
                      prefix=f"{proposal_id}-")


@post("/counsellor/plan-tasks/{task_id:str}/done", include_in_schema=False)
async def task_done_page(actor: Actor, task_id: str, data: Form, now: dt.datetime) -> Any:
    task = await plan_tasks.mark_done(actor, task_id, plan_tasks.TaskDone(note=_text(data, "note")[:plan_domain.TEXT_MAX]),
                                      now)
    if data.get("back") == "caseload":
        return redirect("/follow-up/caseload#tasks-h")
    return redirect(f"{plan_path(task.client_id)}?saved=tasks#tasks-h")


# --- The client's own plan ------------------------------------------------------------------------


async def _own_client(request: Request, actor: Actor) -> dict | Any:
    """The client whose plan the actor reads (as /budget picks it), or a page to choose one."""
    if actor.is_anonymous:
        raise Unauthenticated()
    client_id = actor.client_id or request.query_params.get("client")
    if actor.role == "proxy" and not client_id:
        # Any grant in force lets a proxy read and propose to the plan (docs/decisions/0034).
        clients = await proxies.clients_of_proxy(actor.user_id)
        if len(clients) != 1:
            return page(request, "voucher/choose_client.html", clients=clients, target="/plan",
                        title="voucher.plan.mine.title_proxy", choose="voucher.plan.mine.choose",
                        nobody="voucher.plan.mine.nobody")
        client_id = clients[0].client_id
    if actor.role not in ("client", "proxy") or not client_id:
        raise Forbidden()
    return await access.client_to_read(actor, client_id, "own_plan")


async def _own_page(request: Request, actor: Actor, client: dict, now: dt.datetime, *, status_code: int = 200,
                    errors: dict | None = None, form: dict | None = None) -> Any:
    plan = await plans.plan_for(client["id"], staff=False)
    lang = request_lang(request)
    names = await marketplace_port.category_names()
    today = domain.helsinki_date(now)
    return page(request, "voucher/my_plan.html", status_code=status_code, client=budgets.client_read(client),
                plan=plan, targets=_targets(plan), goal_titles={g.id: g.title for g in plan.goals},
                category_names={code: i18n.pick(texts, lang) for code, texts in names.items()},
                next_follow_up=plan_domain.next_follow_up(plan.follow_up_dates, today),
                as_proxy=actor.role == "proxy", errors=errors or {}, form=form or {},
                sent=request.query_params.get("sent") == "1")


@get("/plan", include_in_schema=False)
async def my_plan_page(request: Request, actor: Actor, now: dt.datetime) -> Any:
    client = await _own_client(request, actor)
    if not isinstance(client, dict):
        return client
    return await _own_page(request, actor, client, now)


@post("/plan/proposals", include_in_schema=False)
async def propose_page(request: Request, actor: Actor, data: Form, now: dt.datetime) -> Any:
    if actor.is_anonymous:
        raise Unauthenticated()
    client_id = actor.client_id or str(data.get("client") or "")
    if actor.role not in ("client", "proxy") or not client_id:
        raise Forbidden()
    kind = str(data.get("kind") or "")
    target_kind, _, target_id = str(data.get("target") or "").partition(":")
    try:
        await plan_proposals.propose(actor, client_id, plan_proposals.ProposalInput(
            kind=kind, text=_text(data, "text"), person_label=_text(data, "person_label", plan_domain.LABEL_MAX),
            target_kind=target_kind, target_id=target_id or None))
    except Invalid as exc:
        errors = form_errors(exc, request_lang(request))
        if "target_id" in errors:
            errors["target"] = errors.pop("target_id")
        client = await access.client_to_read(actor, client_id, "own_plan")
        return await _own_page(request, actor, client, now, status_code=400, errors=errors, form=data)
    back = "/plan?sent=1" if actor.role == "client" else f"/plan?client={client_id}&sent=1"
    return redirect(back + "#proposals-h")


route_handlers = [
    counsellor_plan_page, save_plan_page, add_item_page, remove_item_page, give_consent_page, withdraw_consent_page,
    accept_proposal_page, decline_proposal_page, task_done_page, my_plan_page, propose_page,
]
