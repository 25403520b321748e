"""Questionnaires and when they are asked: pure rules (no I/O).

A questionnaire is items on one scale, each text in Finnish, Swedish and English, asked at some of a
budget decision's occasions: its **start** (the decision's first day), each **follow-up** (the plan's
follow-up dates inside the decision) and its **end** (the decision's last day). Each occasion is a
*round* open from a few days before its date until the next round opens (at most
``CLOSES_AFTER_DAYS`` after its date); the client is reminded once when it opens.
"""

import datetime as dt
import re
from collections.abc import Iterable, Sequence

import msgspec

from core.errors import FieldError
from core.i18n import LANGS
from voucher.evaluation import scoring

OCCASIONS = ("start", "follow_up", "end")
KINDS = ("who5", "satisfaction", "custom")
# A round opens this many days before its date (the start: on the day).
OPENS_BEFORE = {"start": 0, "follow_up": 7, "end": 14}
CLOSES_AFTER_DAYS = 30
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
TEXT_MAX = 500
ITEMS_MAX = 30
SCALE_LIMITS = (0, 10)


class Item(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    text: dict[str, str]  # fi, sv, en


class Scale(msgspec.Struct, frozen=True, kw_only=True):
    min: int
    max: int
    # Per language, one label for each value from min to max.
    labels: dict[str, list[str]]


class QuestionnaireDef(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str  # who5 | satisfaction | custom
    title: dict[str, str]
    intro: dict[str, str]
    items: list[Item]
    scale: Scale
    occasions: list[str]
    active: bool = True
    version: int = 1

    def text(self, texts: dict[str, str], lang: str) -> str:
        return texts.get(lang) or texts.get("fi") or ""

    def values(self) -> list[int]:
        """The scale's values, highest first (the order the form shows them)."""
        return list(range(self.scale.max, self.scale.min - 1, -1))

    def label(self, value: int, lang: str) -> str:
        labels = self.scale.labels.get(lang) or self.scale.labels.get("fi") or []
        index = value - self.scale.min
        return labels[index] if 0 <= index < len(labels) else str(value)

    def score(self, answers: Sequence[int]) -> float:
        """The score of a full set of answers (voucher.evaluation.scoring); ValueError if not full."""
        return scoring.score(self.kind, answers, len(self.items), self.scale.min, self.scale.max)


class Round(msgspec.Struct, frozen=True, kw_only=True):
    decision_id: str
    occasion: str
    due_on: dt.date
    opens_on: dt.date
    closes_on: dt.date

    def is_open(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on


def rounds(decision_id: str, start: dt.date, end: dt.date, follow_ups: Iterable[dt.date]) -> list[Round]:
    """A decision's rounds in date order: its start, each follow-up date strictly inside it, its end
    (not when it ends on its first day). Each closes the day before the next opens, or
    ``CLOSES_AFTER_DAYS`` after its date, whichever is first, and never before its own date."""
    dated = [("start", start)] + [("follow_up", d) for d in sorted(set(follow_ups)) if start < d < end]
    if end > start:
        dated.append(("end", end))
    opens = [max(start, due - dt.timedelta(days=OPENS_BEFORE[occasion])) for occasion, due in dated]
    out = []
    for index, (occasion, due) in enumerate(dated):
        closes = due + dt.timedelta(days=CLOSES_AFTER_DAYS)
        if index + 1 < len(dated):
            closes = min(closes, opens[index + 1] - dt.timedelta(days=1))
        out.append(Round(decision_id=decision_id, occasion=occasion, due_on=due, opens_on=opens[index],
                         closes_on=max(due, closes)))
    return out


def parse_answers(questionnaire: QuestionnaireDef, given: dict[str, str]) -> tuple[list[int], list[FieldError]]:
    """A form's answers (item key → value as text) as the list of values in item order, or the
    errors naming each item left empty or out of the scale."""
    values: list[int] = []
    errors: list[FieldError] = []
    for item in questionnaire.items:
        raw = (given.get(item.key) or "").strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 2):  # "3", not "٣", "+3" or "3.0"
            errors.append(FieldError(field=item.key, key="voucher.questionnaire.error.answer"))
            continue
        value = int(raw)
        if not questionnaire.scale.min <= value <= questionnaire.scale.max:
            errors.append(FieldError(field=item.key, key="voucher.questionnaire.error.answer"))
            continue
        values.append(value)
    return values, errors


def _texts_errors(texts: dict[str, str], field: str, required: bool = True) -> list[FieldError]:
    errors = []
    for lang in LANGS:
        value = (texts.get(lang) or "").strip()
        if (required and not value) or len(value) > TEXT_MAX:
            errors.append(FieldError(field=f"{field}.{lang}", key="voucher.questionnaire.error.text"))
    return errors


def definition_errors(definition: QuestionnaireDef) -> list[FieldError]:
    """What is wrong with a questionnaire a county saves: a known kind and key, a title and every item
    in all three languages, 1–30 items with distinct keys, a scale within 0–10 with a label for each
    value in each language, and known occasions. WHO-5 keeps its items and scale as published."""
    errors: list[FieldError] = []
    if definition.kind not in KINDS:
        return [FieldError(field="kind", key="voucher.questionnaire.error.kind")]
    if not KEY_RE.match(definition.key):
        errors.append(FieldError(field="key", key="voucher.questionnaire.error.key"))
    errors += _texts_errors(definition.title, "title")
    errors += _texts_errors(definition.intro, "intro", required=False)
    if not 1 <= len(definition.items) <= ITEMS_MAX:
        errors.append(FieldError(field="items", key="voucher.questionnaire.error.items"))
    if len({item.key for item in definition.items}) != len(definition.items):
        errors.append(FieldError(field="items", key="voucher.questionnaire.error.items"))
    for index, item in enumerate(definition.items):
        errors += _texts_errors(item.text, f"items.{index}")
    scale = definition.scale
    low, high = SCALE_LIMITS
    if not low <= scale.min < scale.max <= high:
        errors.append(FieldError(field="scale", key="voucher.questionnaire.error.scale"))
    else:
        for lang in LANGS:
            labels = scale.labels.get(lang) or []
            if len(labels) != scale.max - scale.min + 1 or any(not (x or "").strip() or len(x) > 100 for x in labels):
                errors.append(FieldError(field=f"scale.{lang}", key="voucher.questionnaire.error.labels"))
    if not definition.occasions or any(o not in OCCASIONS for o in definition.occasions):
        errors.append(FieldError(field="occasions", key="voucher.questionnaire.error.occasions"))
    if definition.kind == "satisfaction" and (scale.min, scale.max) != (scoring.SATISFACTION_MIN,
                                                                         scoring.SATISFACTION_MAX):
        errors.append(FieldError(field="scale", key="voucher.questionnaire.error.scale"))
    return errors
