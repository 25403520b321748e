"""The provider's documents page (upload with dates, each document's validity) and the one route
that gives a document out — to the provider's own staff and the reviewing organisers' admins only,
404 for anyone else, each view audited (marketplace.documents). Works without JavaScript."""

import datetime as dt
from typing import Any

from litestar import Request, Response, get, post

from core import i18n, identity
from core.errors import DomainError
from core.identity import Actor
from core.settings import Settings
from core.web import form_errors, page, redirect, request_lang
from marketplace import documents
from marketplace.evidence_store import store_for

# The upload's body: a 10 MB file and the form around it (the app's own limit is 5 MB).
UPLOAD_BODY_LIMIT = 11 * 1024 * 1024
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


async def validity_context(actor: Actor, lang: str) -> list[dict]:
    """Each approval's validity as sentences for the provider's pages (the reason when it lapsed)."""
    out = []
    for v in await documents.validity_of(actor, actor.provider_id):
        if v.expired:
            names = ", ".join(i18n.t(f"req.{r}", lang) if i18n.has(f"req.{r}") else r for r in v.lapsed)
            out.append({"expired": True, "text": i18n.t("evidence.approval_expired", lang, organiser=v.organiser_name,
                                                        day=i18n.local_date(v.valid_until, lang), requirements=names or "–")})
        elif v.valid_until:
            out.append({"expired": False, "text": i18n.t("evidence.approval_until", lang, organiser=v.organiser_name,
                                                         day=i18n.local_date(v.valid_until, lang))})
    return out


async def _page(request: Request, actor: Actor, *, form: dict, errors: dict, status_code: int = 200) -> Any:
    lang = request_lang(request)
    requirements = await documents.requirements_of(actor.provider_id)
    choices = [(r, i18n.t(f"req.{r}", lang) if i18n.has(f"req.{r}") else r) for r in requirements]
    return page(request, "provider_documents.html", status_code=status_code, form=form, errors=errors,
                requirements=choices, req_names=dict(choices), docs=await documents.documents_of(actor, actor.provider_id),
                validity=await validity_context(actor, lang), uploaded=request.query_params.get("uploaded") == "1")


@get("/provider/documents", include_in_schema=False)
async def documents_page(request: Request, actor: Actor) -> Any:
    identity.require(actor, "provider_staff")
    return await _page(request, actor, form={}, errors={})


@post("/provider/documents", include_in_schema=False, request_max_body_size=UPLOAD_BODY_LIMIT)
async def documents_upload(request: Request, actor: Actor, settings: Settings) -> Any:
    # The role is checked before the body is read: nobody else gets as far as a parsed upload.
    identity.require(actor, "provider_staff")
    form = await request.form()
    upload = form.get("file")
    data = await upload.read() if hasattr(upload, "read") else b""
    fields = {k: form.get(k) for k in ("requirement", "valid_from", "valid_until")
              if isinstance(form.get(k), str)}
    try:
        await documents.upload(actor, actor.provider_id, fields.get("requirement", ""), data,
                               _date(fields.get("valid_from")), _date(fields.get("valid_until")),
                               store=store_for(settings))
    except DomainError as exc:
        return await _page(request, actor, form=fields, errors=form_errors(exc, request_lang(request)), status_code=400)
    return redirect("/provider/documents?uploaded=1")


@get("/provider/documents/{document_id:str}", include_in_schema=False)
async def document_download(document_id: str, actor: Actor, settings: Settings) -> Response:
    data, content_type = await documents.open_document(actor, document_id, store=store_for(settings))
    return Response(content=data, media_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="document-{document_id}.{_EXTENSIONS.get(content_type, "bin")}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
    })


route_handlers = [documents_page, documents_upload, document_download]
