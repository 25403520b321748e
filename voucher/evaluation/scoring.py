"""Scores of filled questionnaires, pure (no I/O): computed here when answers are saved, never in a
template.

* **WHO-5** (the WHO-5 Well-Being Index): five items, each 0 ("at no time") to 5 ("all of the
  time"); the raw sum 0–25 multiplied by 4 gives 0–100, 100 the best. A score below 50 suggests
  poor wellbeing, and a change of 10 points is the one its authors call meaningful.
* **Satisfaction** (and a county's own questionnaires): the mean of the items on the
  questionnaire's scale — 1–5 for the built-in satisfaction set, 5 the most satisfied — rounded to
  two decimals.
"""

from collections.abc import Sequence

WHO5_ITEMS = 5
WHO5_MIN, WHO5_MAX = 0, 5
WHO5_POOR_BELOW = 50
WHO5_MEANINGFUL_CHANGE = 10
SATISFACTION_MIN, SATISFACTION_MAX = 1, 5


def _check(answers: Sequence[int], count: int, low: int, high: int) -> list[int]:
    values = list(answers)
    if len(values) != count:
        raise ValueError(f"expected {count} answers, got {len(values)}")
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"each answer must be an integer {low}–{high}, got {value!r}")
    return values


def who5_score(answers: Sequence[int]) -> int:
    """The WHO-5 score 0–100: five answers 0–5, raw sum × 4. ValueError on a wrong count or value."""
    return sum(_check(answers, WHO5_ITEMS, WHO5_MIN, WHO5_MAX)) * 4


def who5_poor(score: int) -> bool:
    """Whether a WHO-5 score suggests poor wellbeing (below 50)."""
    return score < WHO5_POOR_BELOW


def mean_score(answers: Sequence[int], count: int, low: int, high: int) -> float:
    """The mean of ``count`` answers on the scale ``low``–``high``, to two decimals. ValueError on a
    wrong count or value."""
    values = _check(answers, count, low, high)
    if not values:
        raise ValueError("a questionnaire has at least one item")
    return round(sum(values) / len(values), 2)


def satisfaction_score(answers: Sequence[int], count: int | None = None) -> float:
    """The satisfaction score: the mean of the answers on 1–5 (5 the most satisfied), to two
    decimals; ``count`` items expected (default: as many as given, at least one)."""
    return mean_score(answers, len(answers) if count is None else count, SATISFACTION_MIN, SATISFACTION_MAX)


def score(kind: str, answers: Sequence[int], count: int, low: int, high: int) -> float:
    """The score of a questionnaire of ``kind`` (who5 | satisfaction | custom) with ``count`` items
    on ``low``–``high``: WHO-5 0–100, the others the mean on their scale."""
    if kind == "who5":
        if (count, low, high) != (WHO5_ITEMS, WHO5_MIN, WHO5_MAX):
            raise ValueError("WHO-5 has five items on 0–5")
        return float(who5_score(answers))
    return mean_score(answers, count, low, high)
