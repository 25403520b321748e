"""The dispute of a captured payment in the JSON API (API §8): the client, or a proxy with ``pay``,
with a session."""

import datetime as dt

from litestar import Controller, Request, post

from core.web import StrictBody, request_lang
from core.identity import Actor
from voucher.disputes import services
from voucher.disputes.schemas import DisputeRead, DisputeRequest


class DisputeController(Controller):
    path = "/api/v1"
    tags = ["card authorisation"]

    @post("/captures/{capture_id:str}/dispute", status_code=201, dto=StrictBody[DisputeRequest], return_dto=None,
          summary="Dispute a captured payment within its dispute window (the client, or a proxy with pay)")
    async def dispute(self, request: Request, capture_id: str, data: DisputeRequest, actor: Actor,
                      now: dt.datetime) -> DisputeRead:
        return await services.dispute(actor, capture_id, data.reason, now=now, lang=request_lang(request))


route_handlers = [DisputeController]
