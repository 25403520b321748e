"""The one clock, and the one time zone people read times in.

Instants are timezone-aware UTC everywhere (``utcnow``); Finnish wall-clock time, for display and
for rules said in local time (a slot at 10.00, a settlement day), is ``HELSINKI``.

The app holds its clock in ``app.state.clock`` (``utcnow`` unless a test fixes it). Handlers get
that time as their ``now`` dependency (core.web.current_time) and background jobs read the same
clock, so a fixed clock is seen by every package at once. Services take ``now`` from their caller
and fall back on ``utcnow`` only when called without one (the CLI, a test).
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc
HELSINKI = ZoneInfo("Europe/Helsinki")

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The system clock, as an aware UTC instant."""
    return dt.datetime.now(UTC)
