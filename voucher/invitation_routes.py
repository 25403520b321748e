"""Invitations over HTTP: the JSON API (``/api/v1/invitations``) and the pages — the inviter's
"Kutsut" page (``/invitations``: the form with the roles the person may invite, their invitations
with resend and revoke) and the accept page (``/invitations/{token}``). Thin: every decision is in
``voucher.invitations``.

A new link is shown once, in the response that made it (and e-mailed when SMTP is set); it is never
in a redirect's address. Accepting is rate-limited per client address (``core.ratelimit``).
"""

import datetime as dt
from typing import Annotated, Any, ClassVar

from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from core import i18n, identity, mail
from core.errors import DomainError, Forbidden, Gone, NotFound
from core.identity import SESSION_COOKIE, Actor
from core.ids import as_uuid
from core.ratelimit import check_invitation
from core.settings import Settings
from core.web import (
    Pager,
    StrictBody,
    as_list,
    form_errors,
    page,
    paging,
    redirect,
    request_lang,
    set_session_cookie,
)
from marketplace import directory
from marketplace.booking.domain import PROXY_RIGHTS
from voucher import invitations
from voucher.invitations import (
    AcceptBody,
    Accepted,
    InvitationCreate,
    InvitationCreated,
    InvitationRead,
    Issued,
)
from voucher.tables import Client

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
# Where a new account starts, by role.
HOME = {"client": "/client", "proxy": "/client", "provider_staff": "/provider", "counsellor": "/counsellor/clients",
        "organiser_admin": "/organiser/reviews", "platform_admin": "/platform/organisers"}


async def send_invitation(settings: Settings, issued: Issued, inviter_name: str) -> None:
    """E-mail the link (when SMTP is set) and count the sending the server accepted."""
    row = issued.invitation
    lang = row.language or "fi"
    body = i18n.t("invitation.mail_body", lang, inviter=inviter_name or i18n.t("site.name", lang),
                  role=i18n.t(f"role.{row.role}", lang), link=issued.created.url,
                  expires=i18n.local_datetime(row.expires_at, lang))
    if await mail.send(settings, row.email, i18n.t("invitation.mail_subject", lang), body):
        await invitations.mailed(row.id)


def _mail_task(settings: Settings, issued: Issued, actor: Actor) -> BackgroundTask:
    return BackgroundTask(send_invitation, settings, issued, actor.display_name)


# --- JSON API -------------------------------------------------------------------------------------


class InvitationController(Controller):
    path = "/api/v1/invitations"
    tags: ClassVar[list[str]] = ["accounts"]

    @post("/", status_code=201, summary="Invite a person to an account (who may invite whom: docs/api.md)",
          dto=StrictBody[InvitationCreate], return_dto=None)
    async def create(self, request: Request, data: InvitationCreate, actor: Actor, settings: Settings,
                     now: dt.datetime) -> Response[InvitationCreated]:
        issued = await invitations.invite(actor, data, settings=settings, now=now, lang=request_lang(request))
        return Response(issued.created, status_code=201, background=_mail_task(settings, issued, actor),
                        headers={"Cache-Control": "no-store"})

    @get("/", summary="The invitations the signed-in person sent, newest first, filtered and paged")
    async def list_sent(
        self,
        actor: Actor,
        now: dt.datetime,
        status: str | None = Parameter(default=None, max_length=16, description="pending, accepted, revoked, expired"),
        role: str | None = Parameter(default=None, max_length=32),
        q: str = Parameter(default="", max_length=254, description="Part of the e-mail address"),
        page: int = Parameter(default=1, ge=1, le=100_000),
        per_page: int = Parameter(default=20, ge=1, le=100),
    ) -> Response[list[InvitationRead]]:
        rows, total = await invitations.sent(actor, now=now, status=status, role=role, q=q, page=page,
                                             per_page=per_page)
        return Response(rows, headers={"X-Total-Count": str(total)})

    @post("/{invitation_id:str}/resend", status_code=200,
          summary="A new link for an open invitation (the old one stops working; the expiry starts again)")
    async def resend(self, invitation_id: str, actor: Actor, settings: Settings,
                     now: dt.datetime) -> Response[InvitationCreated]:
        issued = await invitations.resend(actor, invitation_id, settings=settings, now=now)
        return Response(issued.created, background=_mail_task(settings, issued, actor),
                        headers={"Cache-Control": "no-store"})

    @delete("/{invitation_id:str}", status_code=200, summary="Revoke an invitation not accepted yet")
    async def revoke(self, invitation_id: str, actor: Actor, now: dt.datetime) -> InvitationRead:
        return await invitations.revoke(actor, invitation_id, now=now)

    @post("/{token:str}/accept", status_code=201, opt={"public": True},
          summary="Accept an invitation with a password (the token is the link's): the new account, signed in",
          dto=StrictBody[AcceptBody], return_dto=None)
    async def accept(self, request: Request, token: str, data: AcceptBody, settings: Settings) -> Response[Accepted]:
        await check_invitation(request.client.host if request.client else "unknown")
        user_id = await invitations.accept(token, password=data.password, display_name=data.display_name,
                                           settings=settings)
        response = Response(Accepted(user_id=user_id), status_code=201)
        token = await identity.start_session(user_id, settings.session_hours, request.cookies.get(SESSION_COOKIE))
        set_session_cookie(response, token, settings)
        return response


# --- Pages ----------------------------------------------------------------------------------------


def _filters(request: Request) -> dict:
    params = request.query_params
    number, per_page = paging(params.get("page"), 20)
    return {"status": params.get("status") if params.get("status") in ("pending", "accepted", "revoked", "expired") else "",
            "role": params.get("role") if params.get("role") in invitations.ROLES else "",
            "q": (params.get("q") or "")[:254], "page": number, "per_page": per_page}


async def _client_choice(actor: Actor, client_id: str | None) -> dict | None:
    """The client a counsellor's form invites to (from the client's page), if theirs to invite."""
    if not client_id or actor.role not in ("counsellor", "organiser_admin"):
        return None
    cid = as_uuid(client_id)
    row = await Client.select(Client.id, Client.display_name, Client.organiser_id).where(
        Client.id == cid).first().run() if cid else None
    if not row or str(row["organiser_id"]) != str(actor.organiser_id):
        return None
    return {"id": str(row["id"]), "name": row["display_name"]}


async def _context(request: Request, actor: Actor, now: dt.datetime, **extra: Any) -> dict:
    roles = invitations.roles_for(actor)
    if not roles:
        raise Forbidden()
    lang = request_lang(request)
    filters = _filters(request)
    rows, total = await invitations.sent(actor, now=now, status=filters["status"] or None,
                                         role=filters["role"] or None, q=filters["q"], page=filters["page"],
                                         per_page=filters["per_page"])
    client = await _client_choice(actor, extra.pop("client_id", None) or request.query_params.get("client"))
    choosable = [r for r in roles if r not in ("client", "proxy") or client or actor.role == "client"]
    organisers = sorted((await directory.organiser_names()).items(), key=lambda kv: kv[1]) \
        if actor.role == "platform_admin" else []
    providers = sorted((await directory.provider_names()).items(), key=lambda kv: kv[1]) \
        if actor.role == "platform_admin" else []
    return {"rows": rows, "pager": Pager(page=filters["page"], per_page=filters["per_page"], total=total),
            "filters": filters, "all_roles": invitations.ROLES, "roles": [(r, i18n.t(f"role.{r}", lang)) for r in choosable],
            "client": client, "organisers": organisers, "providers": providers, "rights": PROXY_RIGHTS,
            "languages": [(code, i18n.t(f"voucher.lang.{code}", lang)) for code in i18n.LANGS],
            # A link may name the role and organiser (the platform admin's organisers page does).
            "form": {"role": request.query_params.get("role") or "",
                     "organiser_id": request.query_params.get("organiser") or ""},
            "errors": {}, "created": None, "done": request.query_params.get("done") in ("revoked",)
            and request.query_params.get("done"), **extra}


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@get("/invitations", include_in_schema=False)
async def invitations_page(request: Request, actor: Actor, now: dt.datetime) -> Any:
    return page(request, "voucher/invitations.html", **await _context(request, actor, now))


@post("/invitations", include_in_schema=False)
async def invite_submit(request: Request, actor: Actor, settings: Settings, data: Form, now: dt.datetime) -> Any:
    lang = request_lang(request)
    form = {k: str(data.get(k) or "") for k in ("email", "role", "display_name", "language", "organiser_id",
                                                 "provider_id", "client_id")}
    body = InvitationCreate(
        email=form["email"][:254], role=form["role"][:32], display_name=form["display_name"][:200] or None,
        language=form["language"] if form["language"] in i18n.LANGS else None,
        organiser_id=form["organiser_id"] or None, provider_id=form["provider_id"] or None,
        client_id=form["client_id"] or None,
        rights=as_list(data.get("rights")) if form["role"] == "proxy" else None)
    try:
        issued = await invitations.invite(actor, body, settings=settings, now=now, lang=lang)
    except DomainError as exc:
        if isinstance(exc, Forbidden):
            errors = {"role": i18n.t(exc.key, lang)}
        else:
            errors = form_errors(exc, lang)
        context = await _context(request, actor, now, client_id=form["client_id"])
        context.update(form={**form, "rights": as_list(data.get("rights"))}, errors=errors)
        return _no_store(page(request, "voucher/invitations.html", status_code=exc.status if exc.status != 404 else 400,
                              **context))
    # The same client stays chosen: a counsellor often invites the client and then a close one.
    response = page(request, "voucher/invitations.html", **await _context(
        request, actor, now, created=issued.created, client_id=form["client_id"]))
    response.background = _mail_task(settings, issued, actor)
    return _no_store(response)


@post("/invitations/{invitation_id:str}/resend", include_in_schema=False)
async def resend_submit(request: Request, actor: Actor, settings: Settings, invitation_id: str,
                        now: dt.datetime) -> Any:
    issued = await invitations.resend(actor, invitation_id, settings=settings, now=now)
    response = page(request, "voucher/invitations.html", **await _context(request, actor, now, created=issued.created))
    response.background = _mail_task(settings, issued, actor)
    return _no_store(response)


@post("/invitations/{invitation_id:str}/revoke", include_in_schema=False)
async def revoke_submit(request: Request, actor: Actor, invitation_id: str, now: dt.datetime) -> Any:
    await invitations.revoke(actor, invitation_id, now=now)
    return redirect(f"/invitations?done=revoked&lang={request_lang(request)}")


async def _accept_page(request: Request, settings: Settings, token: str, *, status_code: int = 200,
                       errors: dict | None = None, form: dict | None = None) -> Any:
    try:
        shown = await invitations.view(token)
        problem = None
    except (NotFound, Gone) as exc:
        shown, problem, status_code = None, exc.key, exc.status
    # The e-ID button shows when strong e-ID is configured (HB_OIDC_ISSUER: core.settings, the e-ID sign-in).
    eid = bool(getattr(settings, "oidc_issuer", None))
    lang = request_lang(request)
    rights_text = ", ".join(i18n.t(f"booking.right.{r}", lang) for r in shown.rights) if shown else ""
    return _no_store(page(request, "voucher/invitation_accept.html", status_code=status_code, invitation=shown,
                          rights_text=rights_text,
                          problem=problem, token=token if shown else "", errors=errors or {}, form=form or {},
                          eid_configured=eid))


@get("/invitations/{token:str}", include_in_schema=False, opt={"public": True})
async def accept_page(request: Request, settings: Settings, token: str) -> Any:
    return await _accept_page(request, settings, token)


@post("/invitations/{token:str}", include_in_schema=False, opt={"public": True})
async def accept_submit(request: Request, settings: Settings, token: str, data: Form) -> Any:
    lang = request_lang(request)
    await check_invitation(request.client.host if request.client else "unknown")
    password, confirm = str(data.get("password") or ""), str(data.get("password_confirm") or "")
    name = str(data.get("display_name") or "")[:200]
    if password and password != confirm:
        return await _accept_page(request, settings, token, status_code=400, form={"display_name": name},
                                  errors={"password_confirm": i18n.t("password.mismatch", lang)})
    try:
        role = (await invitations.view(token)).role
        user_id = await invitations.accept(token, password=password, display_name=name or None, settings=settings)
    except (NotFound, Gone):
        return await _accept_page(request, settings, token)
    except DomainError as exc:
        errors = form_errors(exc, lang)
        return await _accept_page(request, settings, token, status_code=exc.status, form={"display_name": name},
                                  errors=errors)
    session = await identity.start_session(user_id, settings.session_hours, request.cookies.get(SESSION_COOKIE))
    response = redirect(f"{HOME.get(role, '/')}?lang={lang}")
    set_session_cookie(response, session, settings)
    return response


route_handlers = [InvitationController, invitations_page, invite_submit, resend_submit, revoke_submit, accept_page,
                  accept_submit]
