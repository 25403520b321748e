"""The pure rules of need and suitability assessments (voucher.assessment.domain): what a version
must hold, which field a problem names, the version numbers, and when a decision may be made."""

import datetime as dt

from voucher.assessment.domain import (
    DEFAULT_CRITERIA,
    CriterionAnswer,
    NeedArea,
    criteria_problems,
    decision_allowed,
    in_county_order,
    need_problems,
    next_version,
    suitability_problems,
)

TODAY = dt.date(2026, 12, 8)
KNOWN = {"day-activities", "carer-respite", "transport"}
CRITERIA = list(DEFAULT_CRITERIA[:3])


def _answers(*met: bool, grounds: str = "") -> list[CriterionAnswer]:
    return [CriterionAnswer(criterion=c, met=m, grounds=grounds) for c, m in zip(CRITERIA, met)]


def test_a_need_assessment_names_each_problem_by_its_field():
    good = [NeedArea(category="day-activities", level="substantial", need="Päivätoimintaa 3 pv/vko"),
            NeedArea(category="transport", level="some")]
    assert need_problems(good, ["asiakas", "äiti"], KNOWN, TODAY, TODAY) == []
    bad = [NeedArea(category="riding", level="some"), NeedArea(category="transport", level="lots"),
           NeedArea(category="transport", level="none")]
    assert need_problems(bad, [" "], KNOWN, TODAY + dt.timedelta(days=1), TODAY) == [
        ("assessed_on", "voucher.assessment.error.future_date"),
        ("areas[0].category", "voucher.error.unknown_category"),
        ("areas[1].level", "voucher.assessment.error.level"),
        ("areas[2].category", "voucher.assessment.error.area_twice"),
        ("participants", "voucher.assessment.error.no_participants"),
    ]
    assert ("areas", "voucher.assessment.error.no_areas") in need_problems([], ["asiakas"], KNOWN, TODAY, TODAY)


def test_suitability_needs_every_criterion_grounds_when_not_met_an_outcome_and_a_reason():
    assert suitability_problems(_answers(True, True, True), CRITERIA, "suitable", "Sopii.", TODAY, TODAY) == []
    # Not met without grounds; a criterion missing; an unknown outcome; no reason.
    assert suitability_problems(_answers(True, False), CRITERIA, "maybe", " ", TODAY, TODAY) == [
        ("criteria[1].grounds", "voucher.assessment.error.grounds_required"),
        ("criteria", "voucher.assessment.error.unanswered"),
        ("outcome", "voucher.assessment.error.outcome"),
        ("reason", "voucher.assessment.error.reason_required"),
    ]
    # A criterion the county's list does not have (the list changed since the form was opened), one twice.
    answers = [*_answers(True, True, True), CriterionAnswer(criterion="Vanha kriteeri", met=True),
               CriterionAnswer(criterion=CRITERIA[0], met=True)]
    assert suitability_problems(answers, CRITERIA, "not_now", "Ei nyt.", TODAY, TODAY) == [
        ("criteria[3].criterion", "voucher.assessment.error.unknown_criterion"),
        ("criteria[4].criterion", "voucher.assessment.error.criterion_twice"),
    ]
    # The answers are kept in the county's order, whatever order they came in.
    shuffled = list(reversed(_answers(True, False, True, grounds="Ei vielä")))
    assert [a.criterion for a in in_county_order(shuffled, CRITERIA)] == CRITERIA


def test_versions_count_from_one_and_a_decision_waits_for_suitable():
    assert (next_version(None), next_version(1), next_version(7)) == (1, 2, 8)
    assert decision_allowed(None)  # never assessed: as before assessments existed
    assert decision_allowed("suitable")
    assert not decision_allowed("not_now") and not decision_allowed("not_suitable")


def test_a_countys_criteria_list_is_not_empty_and_says_each_once():
    assert criteria_problems(list(DEFAULT_CRITERIA)) == []
    assert criteria_problems([]) == [("criteria", "voucher.assessment.error.no_criteria")]
    assert criteria_problems(["A", "B", "A"]) == [("criteria[2]", "voucher.assessment.error.criterion_twice")]
