"""Need and suitability assessments: the pure rules (no I/O, no framework).

A need assessment says, per service area (a marketplace category), how much support the client
needs — ``none``, ``some``, ``substantial`` or ``extensive`` — with a short description, the
client's own view, who took part and when. A suitability assessment answers each of the county's
criteria (met or not, grounds required when not met) and ends in ``suitable``, ``not_now`` or
``not_suitable`` with a reason the client reads. Each save is a new version; earlier ones stay.

A budget decision may be made when the client has no suitability assessment (the county does not
use them, or assessed before the platform) or the latest one is ``suitable``.
"""

import datetime as dt

import msgspec

NEED_LEVELS = ("none", "some", "substantial", "extensive")
SUITABLE = "suitable"
NOT_NOW = "not_now"
NOT_SUITABLE = "not_suitable"
OUTCOMES = (SUITABLE, NOT_NOW, NOT_SUITABLE)

TEXT_MAX = 2000
NAME_MAX = 200
CRITERION_MAX = 300
MAX_AREAS = 40
MAX_PARTICIPANTS = 20
MAX_CRITERIA = 30

# A county without its own list has these (its admin changes them on /organiser/suitability-criteria).
DEFAULT_CRITERIA = (
    "Asiakas tai läheinen pystyy tekemään valintoja tuettuna",
    "Tarve on pitkäaikainen ja ennakoitava",
    "Sopivia palveluja on saatavilla",
    "Asiakas haluaa itse vaikuttaa siihen, mistä ja miten tukensa saa",
)


class NeedArea(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    category: str
    level: str
    need: str = ""


class CriterionAnswer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    criterion: str
    met: bool
    grounds: str = ""


Problem = tuple[str, str]  # (field, message key)


def date_problem(assessed_on: dt.date, today: dt.date) -> list[Problem]:
    """An assessment is of a day that has come (it records a meeting that took place)."""
    return [("assessed_on", "voucher.assessment.error.future_date")] if assessed_on > today else []


def need_problems(areas: list[NeedArea], participants: list[str], known_categories: set[str],
                  assessed_on: dt.date, today: dt.date) -> list[Problem]:
    """What is wrong with a need assessment: the date, at least one service area, each area a known
    category once with a known level, and at least one participant named."""
    problems = date_problem(assessed_on, today)
    if not areas:
        problems.append(("areas", "voucher.assessment.error.no_areas"))
    if len(areas) > MAX_AREAS:
        problems.append(("areas", "voucher.assessment.error.too_many"))
    seen: set[str] = set()
    for i, area in enumerate(areas[:MAX_AREAS]):
        if area.category not in known_categories:
            problems.append((f"areas[{i}].category", "voucher.error.unknown_category"))
        elif area.category in seen:
            problems.append((f"areas[{i}].category", "voucher.assessment.error.area_twice"))
        seen.add(area.category)
        if area.level not in NEED_LEVELS:
            problems.append((f"areas[{i}].level", "voucher.assessment.error.level"))
    named = [p for p in participants if p.strip()]
    if not named:
        problems.append(("participants", "voucher.assessment.error.no_participants"))
    if len(participants) > MAX_PARTICIPANTS:
        problems.append(("participants", "voucher.assessment.error.too_many"))
    return problems


def in_county_order(answers: list[CriterionAnswer], criteria: list[str]) -> list[CriterionAnswer]:
    """The answers in the order of the county's list (the ones it does not name left out)."""
    by_text = {a.criterion.strip(): a for a in answers}
    return [by_text[c] for c in criteria if c in by_text]


def suitability_problems(answers: list[CriterionAnswer], criteria: list[str], outcome: str, reason: str,
                         assessed_on: dt.date, today: dt.date) -> list[Problem]:
    """What is wrong with a suitability assessment: the date; every criterion of the county's list
    answered once and nothing else (a list changed since the form was opened is caught here); the
    grounds of each criterion not met; a known outcome; and the reason the client will read."""
    problems = date_problem(assessed_on, today)
    known = set(criteria)
    seen: set[str] = set()
    for i, answer in enumerate(answers):
        text = answer.criterion.strip()
        if text not in known:
            problems.append((f"criteria[{i}].criterion", "voucher.assessment.error.unknown_criterion"))
        elif text in seen:
            problems.append((f"criteria[{i}].criterion", "voucher.assessment.error.criterion_twice"))
        seen.add(text)
        if not answer.met and not answer.grounds.strip():
            problems.append((f"criteria[{i}].grounds", "voucher.assessment.error.grounds_required"))
    if known - seen:
        problems.append(("criteria", "voucher.assessment.error.unanswered"))
    if outcome not in OUTCOMES:
        problems.append(("outcome", "voucher.assessment.error.outcome"))
    if not reason.strip():
        problems.append(("reason", "voucher.assessment.error.reason_required"))
    return problems


def criteria_problems(criteria: list[str]) -> list[Problem]:
    """A county's list: one to ``MAX_CRITERIA`` criteria, each said once."""
    problems: list[Problem] = []
    if not criteria:
        problems.append(("criteria", "voucher.assessment.error.no_criteria"))
    if len(criteria) > MAX_CRITERIA:
        problems.append(("criteria", "voucher.assessment.error.too_many"))
    seen: set[str] = set()
    for i, text in enumerate(criteria):
        if text in seen:
            problems.append((f"criteria[{i}]", "voucher.assessment.error.criterion_twice"))
        seen.add(text)
    return problems


def next_version(latest: int | None) -> int:
    return (latest or 0) + 1


def decision_allowed(latest_outcome: str | None) -> bool:
    """A decision may be made for a client never assessed for suitability, or found suitable last."""
    return latest_outcome is None or latest_outcome == SUITABLE
