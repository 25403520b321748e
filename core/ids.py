"""The one reader of ids: every record id is a UUID, and what a request names is checked here."""

import uuid
from collections.abc import Iterable
from typing import Any

from core.errors import Invalid, NotFound


def as_uuid(value: Any) -> uuid.UUID | None:
    """The UUID ``value`` names, or None for anything that is not one (None, "", "x", 42)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def as_uuids(values: Iterable[Any]) -> list[uuid.UUID]:
    """The UUIDs among ``values`` (what is not one names nothing and is left out)."""
    return [i for i in (as_uuid(v) for v in values) if i is not None]


def require_uuid(value: Any, what: str = "error.not_found", *, field: str | None = None) -> uuid.UUID:
    """The UUID ``value`` names. Anything else is a 404 (``what``: an id in a path names nothing),
    or with ``field`` a 400 naming that field (an id in a body is malformed)."""
    parsed = as_uuid(value)
    if parsed is None:
        if field:
            raise Invalid("error.validation", field=field)
        raise NotFound(what)
    return parsed
