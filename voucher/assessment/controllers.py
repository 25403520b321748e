"""Need and suitability assessments in the JSON API (docs/api.md, "Need and suitability"): each
POST saves a new version; each GET lists the versions, newest first, and is audited as a read."""

import datetime as dt

from litestar import Controller, get, post, put

from core.identity import Actor
from voucher.assessment import services
from voucher.assessment.schemas import (
    CriteriaInput,
    CriteriaRead,
    NeedAssessmentInput,
    NeedAssessmentRead,
    SuitabilityInput,
    SuitabilityRead,
)


class AssessmentController(Controller):
    path = "/api/v1"
    tags = ["clients"]

    @get("/clients/{client_id:str}/need-assessments", summary="The client's need assessments, newest version first")
    async def need_assessments(self, client_id: str, actor: Actor) -> list[NeedAssessmentRead]:
        return await services.need_assessments(actor, client_id)

    @post("/clients/{client_id:str}/need-assessments", status_code=201,
          summary="Record a new version of the client's need assessment (the county's counsellor or admin)")
    async def record_need(self, client_id: str, data: NeedAssessmentInput, actor: Actor,
                          now: dt.datetime) -> NeedAssessmentRead:
        return await services.record_need(actor, client_id, data, now)

    @get("/clients/{client_id:str}/suitability", summary="The client's suitability assessments, newest version first")
    async def suitability(self, client_id: str, actor: Actor) -> list[SuitabilityRead]:
        return await services.suitability(actor, client_id)

    @post("/clients/{client_id:str}/suitability", status_code=201,
          summary="Record a new version of the client's suitability assessment against the county's criteria")
    async def record_suitability(self, client_id: str, data: SuitabilityInput, actor: Actor,
                                 now: dt.datetime) -> SuitabilityRead:
        return await services.record_suitability(actor, client_id, data, now)

    @get("/suitability-criteria", summary="The signed-in staff member's county's suitability criteria")
    async def criteria(self, actor: Actor) -> CriteriaRead:
        return await services.criteria_for(services.county_of(actor))

    @put("/suitability-criteria", summary="Set the county's suitability criteria (its admin; audited)")
    async def save_criteria(self, data: CriteriaInput, actor: Actor, now: dt.datetime) -> CriteriaRead:
        await services.save_criteria(actor, data.criteria, now)
        return await services.criteria_for(actor.organiser_id)


route_handlers = [AssessmentController]
