"""One error hierarchy for the domain, mapped once to RFC 9457 problem details.

Services raise these; handlers never build HTTP errors themselves. A message is a catalogue key
(see core.i18n) translated into the user's language when the response is written.
"""

import re
from typing import Any

import msgspec

from core.i18n import t


class FieldError(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One problem with one field. ``key`` is a catalogue key; ``message`` is filled in the user's
    language when the error is written out (or given directly for texts that need no catalogue)."""

    field: str
    key: str = "error.invalid"
    params: dict = {}
    message: str = ""
    ref: str | None = None

    def localised(self, lang: str) -> "FieldError":
        return FieldError(
            field=self.field,
            key=self.key,
            params=self.params,
            message=self.message or t(self.key, lang, **self.params),
            ref=self.ref,
        )


class DomainError(Exception):
    status = 400
    type_slug = "invalid"
    default_key = "error.invalid"

    def __init__(
        self,
        key: str | None = None,
        *,
        field: str | None = None,
        errors: list[FieldError] | None = None,
        **params: Any,
    ) -> None:
        self.key = key or self.default_key
        self.field = field
        self.errors = list(errors or [])
        self.params = params
        super().__init__(self.key)


class Invalid(DomainError):
    status = 400
    type_slug = "validation"
    default_key = "error.invalid"


class Unauthenticated(DomainError):
    status = 401
    type_slug = "unauthenticated"
    default_key = "error.unauthenticated"


class Forbidden(DomainError):
    status = 403
    type_slug = "forbidden"
    default_key = "error.forbidden"


class NotFound(DomainError):
    status = 404
    type_slug = "not-found"
    default_key = "error.not_found"


class Conflict(DomainError):
    status = 409
    type_slug = "conflict"
    default_key = "error.conflict"


class Gone(DomainError):
    """What a link named is used up: an invitation accepted, revoked or expired."""

    status = 410
    type_slug = "gone"
    default_key = "error.gone"


class RateLimited(DomainError):
    status = 429
    type_slug = "rate-limited"
    default_key = "error.rate_limited"


class Unavailable(DomainError):
    status = 503
    type_slug = "unavailable"
    default_key = "error.unavailable"


def field_errors(errors: list[FieldError]) -> None:
    """Raise Invalid carrying every field error at once, if there are any."""
    if errors:
        raise Invalid("error.validation", errors=errors, field=errors[0].field)


# --- msgspec's validation messages, in the person's words ------------------------------------------
# msgspec says what went wrong in developer English ("Expected `int` >= 1 - at `$.capacity`"). Every
# path that turns its errors into field errors (the API's validation handler, the forms, the
# import) goes through ``from_validation``, so a person reads "Pienin sallittu arvo on 1." next to
# the field, in their language.

_AT = re.compile(r"\s*-\s*at `\$\.?([^`]*)`")
_RULES: tuple[tuple[re.Pattern, str, tuple[str, ...]], ...] = (
    (re.compile(r"Object missing required field `([^`]+)`"), "field.required", ("field",)),
    (re.compile(r"Object contains unknown field `([^`]+)`"), "field.unknown", ("field",)),
    (re.compile(r"Expected `str` of length >= 1\b"), "field.required", ()),
    (re.compile(r"Expected `str` of length >= (\d+)"), "field.too_short", ("min",)),
    (re.compile(r"Expected `str` of length <= (\d+)"), "field.too_long", ("max",)),
    (re.compile(r"Expected `(?:array|object)` of length >= (\d+)"), "field.too_few", ("min",)),
    (re.compile(r"Expected `(?:array|object)` of length <= (\d+)"), "field.too_many", ("max",)),
    (re.compile(r"Expected `(?:int|float|number)` >= (-?[\d.]+)"), "field.min", ("min",)),
    (re.compile(r"Expected `(?:int|float|number)` > (-?[\d.]+)"), "field.above", ("min",)),
    (re.compile(r"Expected `(?:int|float|number)` <= (-?[\d.]+)"), "field.max", ("max",)),
    (re.compile(r"Expected `(?:int|float|number)` < (-?[\d.]+)"), "field.below", ("max",)),
    (re.compile(r"Expected `int`"), "field.whole_number", ()),
    (re.compile(r"Expected `(?:float|number|decimal)`"), "field.number", ()),
    (re.compile(r"Expected `bool`"), "field.yes_no", ()),
    (re.compile(r"Invalid enum value|Expected `str` matching"), "field.not_allowed", ()),
    (re.compile(r"RFC3339 encoded date\b|Expected `date`"), "field.date", ()),
    (re.compile(r"RFC3339 encoded time|Expected `time`"), "field.time", ()),
    (re.compile(r"RFC3339 encoded datetime|Expected `datetime`"), "field.datetime", ()),
    (re.compile(r"Expected `uuid`|Invalid UUID"), "field.identifier", ()),
    (re.compile(r"Expected `(?:array|object)`"), "field.structure", ()),
    (re.compile(r"Expected `str`"), "field.text", ()),
    (re.compile(r"Expected `null`"), "field.empty", ()),
)


def validation_path(message: str) -> str | None:
    """The field a msgspec message names (``$.lines[0].amount`` → ``lines[0].amount``), or None."""
    match = _AT.search(message)
    if match and match.group(1):
        return match.group(1)
    for pattern in (_RULES[0][0], _RULES[1][0]):
        found = pattern.search(message)
        if found:
            return found.group(1)
    return None


def from_validation(message: str, field: str | None = None, ref: str | None = None) -> FieldError:
    """One msgspec validation message as a field error with a catalogue key and its limits."""
    name = field or validation_path(message) or "body"
    text = _AT.sub("", message)
    for pattern, key, names in _RULES:
        found = pattern.search(text)
        if found:
            params = {n: found.group(i + 1) for i, n in enumerate(names) if n != "field"}
            return FieldError(field=name, key=key, params=params, ref=ref)
    return FieldError(field=name, key="field.invalid_value", ref=ref)
