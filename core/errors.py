"""One error hierarchy for the domain, mapped once to RFC 9457 problem details.

Services raise these; handlers never build HTTP errors themselves. A message is a catalogue key
(see core.i18n) translated into the user's language when the response is written.
"""

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
