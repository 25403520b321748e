"""HTTP bodies of the need and suitability assessments (docs/api.md, "Need and suitability")."""

import datetime as dt

import msgspec

from voucher.assessment.domain import CriterionAnswer, NeedArea

__all__ = ["CriterionAnswer", "NeedArea", "NeedAssessmentInput", "NeedAssessmentRead", "SuitabilityInput",
           "SuitabilityRead", "CriteriaInput", "CriteriaRead"]


class NeedAssessmentInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    assessed_on: dt.date
    areas: list[NeedArea]
    participants: list[str]
    client_view: str = ""


class SuitabilityInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    assessed_on: dt.date
    criteria: list[CriterionAnswer]
    outcome: str
    reason: str


class CriteriaInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    criteria: list[str]


class NeedAssessmentRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    version: int
    assessed_on: dt.date
    areas: list[NeedArea]
    participants: list[str]
    client_view: str
    created_by: str | None
    created_by_name: str
    created_at: dt.datetime


class SuitabilityRead(msgspec.Struct, kw_only=True):
    id: str
    client_id: str
    version: int
    assessed_on: dt.date
    criteria: list[CriterionAnswer]
    outcome: str
    reason: str
    created_by: str | None
    created_by_name: str
    created_at: dt.datetime


class CriteriaRead(msgspec.Struct, kw_only=True):
    organiser_id: str
    criteria: list[str]
    # True while the county has not set its own list (the platform's defaults are shown).
    default: bool
