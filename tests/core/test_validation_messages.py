"""msgspec's validation messages become field errors a person can read, in fi/sv/en, naming the
limit: the API's problem details and every form use the same mapping (core.errors.from_validation)."""

from typing import Annotated

import msgspec
import pytest

import core.messages  # noqa: F401 - the catalogue the messages come from
from core.errors import from_validation


class Line(msgspec.Struct, forbid_unknown_fields=True):
    amount_cents: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    tags: Annotated[list[str], msgspec.Meta(max_length=2)] = []


class Decision(msgspec.Struct):
    lines: list[Line]


def _error(value):
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(value, Decision)
    return from_validation(str(caught.value))


@pytest.mark.parametrize("line, field, fi", [
    ({"amount_cents": 0, "title": "x"}, "lines[0].amount_cents", "Pienin sallittu arvo on 1."),
    ({"amount_cents": 10**7, "title": "x"}, "lines[0].amount_cents", "Suurin sallittu arvo on 1000000."),
    ({"amount_cents": "12", "title": "x"}, "lines[0].amount_cents", "Anna kokonaisluku, esimerkiksi 3."),
    ({"amount_cents": 5, "title": ""}, "lines[0].title", "Pakollinen tieto puuttuu."),
    ({"amount_cents": 5, "title": "x" * 21}, "lines[0].title", "Enintään 20 merkkiä."),
    ({"amount_cents": 5, "title": 7}, "lines[0].title", "Anna teksti."),
    ({"amount_cents": 5, "title": "x", "tags": ["a", "b", "c"]}, "lines[0].tags", "Enintään 2 kappaletta."),
    ({"title": "x"}, "lines[0]", "Pakollinen tieto puuttuu."),
    ({"amount_cents": 5, "title": "x", "colour": "red"}, "lines[0]", "Tuntematon kenttä."),
])
def test_each_limit_is_said_in_the_persons_words(line, field, fi):
    error = _error({"lines": [line]})
    assert error.field == field
    assert error.localised("fi").message == fi
    for lang in ("fi", "sv", "en"):
        message = error.localised(lang).message
        assert "Expected" not in message and "`" not in message and "{" not in message


def test_swedish_and_english_name_the_same_limit():
    error = _error({"lines": [{"amount_cents": 0, "title": "x"}]})
    assert error.localised("sv").message == "Minsta tillåtna värde är 1."
    assert error.localised("en").message == "The smallest allowed value is 1."
