"""The questionnaires' pure rules (voucher.evaluation.scoring and .domain): WHO-5 and satisfaction
scores on known answers, the rounds of a decision, and what a county's questionnaire must say."""

import datetime as dt

import msgspec
import pytest

from voucher.evaluation import defaults, domain, scoring
from voucher.evaluation.domain import Round

d = dt.date


def test_who5_is_the_raw_sum_times_four():
    assert scoring.who5_score([5, 5, 5, 5, 5]) == 100
    assert scoring.who5_score([0, 0, 0, 0, 0]) == 0
    assert scoring.who5_score([3, 2, 4, 1, 0]) == 40  # raw 10
    assert scoring.who5_score([3, 3, 3, 3, 3]) == 60
    assert scoring.who5_poor(48) and not scoring.who5_poor(52)
    for wrong in ([5, 5, 5, 5], [5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 6], [-1, 0, 0, 0, 0], [True, 1, 1, 1, 1], [2.5, 1, 1, 1, 1]):
        with pytest.raises(ValueError):
            scoring.who5_score(wrong)
    # The built-in definition scores the same way.
    assert defaults.WHO5.score([3, 2, 4, 1, 0]) == 40.0


def test_satisfaction_is_the_mean_on_one_to_five():
    assert scoring.satisfaction_score([4, 5, 3, 4, 5]) == 4.2
    assert scoring.satisfaction_score([1, 2, 2]) == 1.67
    assert defaults.SATISFACTION.score([5, 5, 5, 5, 5]) == 5.0
    with pytest.raises(ValueError):
        scoring.satisfaction_score([0, 5, 5])
    with pytest.raises(ValueError):
        defaults.SATISFACTION.score([5, 5, 5])  # five items expected


def test_a_decision_has_a_start_its_follow_ups_and_an_end():
    rounds = domain.rounds("dec", d(2026, 1, 1), d(2026, 12, 31),
                           [d(2026, 8, 1), d(2026, 4, 1), d(2026, 1, 1), d(2027, 1, 15), d(2026, 4, 1)])
    assert [(r.occasion, r.due_on, r.opens_on, r.closes_on) for r in rounds] == [
        ("start", d(2026, 1, 1), d(2026, 1, 1), d(2026, 1, 31)),
        ("follow_up", d(2026, 4, 1), d(2026, 3, 25), d(2026, 5, 1)),
        ("follow_up", d(2026, 8, 1), d(2026, 7, 25), d(2026, 8, 31)),
        ("end", d(2026, 12, 31), d(2026, 12, 17), d(2027, 1, 30)),
    ]
    assert rounds[1].is_open(d(2026, 3, 25)) and not rounds[1].is_open(d(2026, 3, 24))
    # A short decision: the start closes the day before the end opens, never before its own date.
    short = domain.rounds("dec", d(2026, 1, 1), d(2026, 1, 10), [])
    assert [(r.occasion, r.opens_on, r.closes_on) for r in short] == [
        ("start", d(2026, 1, 1), d(2026, 1, 1)), ("end", d(2026, 1, 1), d(2026, 2, 9))]
    # A decision of one day is asked once.
    assert [r.occasion for r in domain.rounds("dec", d(2026, 1, 1), d(2026, 1, 1), [])] == ["start"]
    assert isinstance(rounds[0], Round)


def test_what_a_county_questionnaire_must_say():
    assert domain.definition_errors(defaults.WHO5) == [] and domain.definition_errors(defaults.SATISFACTION) == []
    own = msgspec.structs.replace(defaults.SATISFACTION, key="arki", kind="custom")
    assert domain.definition_errors(own) == []
    fields = lambda q: [e.field for e in domain.definition_errors(q)]  # noqa: E731
    assert fields(msgspec.structs.replace(own, key="Arki!")) == ["key"]
    assert fields(msgspec.structs.replace(own, title={"fi": "Arki", "sv": "", "en": "x"})) == ["title.sv"]
    assert fields(msgspec.structs.replace(own, items=[])) == ["items"]
    assert fields(msgspec.structs.replace(own, occasions=["sometimes"])) == ["occasions"]
    assert fields(msgspec.structs.replace(own, scale=domain.Scale(min=1, max=11, labels={}))) == ["scale"]
    short_labels = domain.Scale(min=1, max=5, labels={"fi": ["a"] * 5, "sv": ["a"] * 4, "en": ["a"] * 5})
    assert fields(msgspec.structs.replace(own, scale=short_labels)) == ["scale.sv"]
    # Satisfaction stays on 1–5 (its score is documented as the mean on 1–5).
    zero_to_four = domain.Scale(min=0, max=4, labels={lang: ["a"] * 5 for lang in ("fi", "sv", "en")})
    assert fields(msgspec.structs.replace(defaults.SATISFACTION, scale=zero_to_four)) == ["scale"]


def test_a_form_names_each_question_left_empty_or_off_the_scale():
    values, errors = domain.parse_answers(defaults.WHO5, {"cheerful": "5", "calm": "x", "active": "6", "rested": "0"})
    assert values == [5, 0] and [e.field for e in errors] == ["calm", "active", "interest"]
    keys = [i.key for i in defaults.WHO5.items]
    for odd in ("٣", "+3", "3.0", " ", "03x"):
        assert [e.field for e in domain.parse_answers(defaults.WHO5, {**dict.fromkeys(keys, "1"), "calm": odd})[1]] == [
            "calm"], odd
    values, errors = domain.parse_answers(defaults.WHO5, dict(zip(keys, "32410")))
    assert values == [3, 2, 4, 1, 0] and errors == []


def test_the_built_in_texts_are_in_three_languages_and_labels_follow_the_scale():
    for q in defaults.BUILT_IN.values():
        for lang in ("fi", "sv", "en"):
            assert q.title[lang] and all(item.text[lang] for item in q.items)
            assert len(q.scale.labels[lang]) == q.scale.max - q.scale.min + 1
    assert defaults.WHO5.label(5, "sv") == "Hela tiden" and defaults.WHO5.label(0, "en") == "At no time"
    assert defaults.WHO5.values() == [5, 4, 3, 2, 1, 0]
