"""Metrics for the operators' Prometheus: ``/metrics`` in its text format (docs/metrics.md,
docs/decisions/0052).

Two kinds of figures:

* **Counters and the request histogram**, counted in the process as things happen: requests by
  route template (never the raw path, so no id is ever a label), authorisations by source, outcome
  and decline code, holds placed and resolved, captures and refunds. A counter about money is
  counted when its write transaction commits (``core.db.on_commit``): a payment rolled back, or run
  again after a deadlock, counts once, and an idempotent replay not at all. Each costs a dict
  lookup and a locked add (≈0.3–2 µs); the authorisation path has counters only.
* **Gauges read from the database at each scrape** (``reader``): settlement batches by state and
  the oldest one waiting, the outboxes' oldest row, the search index's lag, the reporting
  replica's lag. They are the same whichever server process answers.

Several server processes (``hb serve --workers N``): each has its own counters. With
``PROMETHEUS_MULTIPROC_DIR`` set (an empty directory, the same for every process, emptied
before the server starts) prometheus_client keeps them in files there and a scrape sums every
process's; without it a scrape shows the answering process's only. The database gauges need
neither.

Labels carry only fixed vocabularies (methods, route templates, status codes, decline codes,
sources, states): nothing personal, nothing typed by a user.
"""

import asyncio
import datetime as dt
import hmac
import ipaddress
import logging
import os
import re
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import msgspec
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client import disable_created_metrics, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from core import db, reporting_db
from core.clock import utcnow
from core.settings import Settings

log = logging.getLogger("hb")

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
REGISTRY = CollectorRegistry()
disable_created_metrics()  # no *_created series beside each counter: nothing alerts on them
if MULTIPROCESS_DIR is None:
    ProcessCollector(registry=REGISTRY)  # CPU, memory, open files of this process

# Request latencies: a page is tens of milliseconds, an authorisation under 20 ms at p99 here.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter("hb_http_requests", "HTTP requests answered, by method, route template and status",
                   ("method", "route", "status"), registry=REGISTRY)
LATENCY = Histogram("hb_http_request_duration_seconds", "Time to answer an HTTP request, by method and route template",
                    ("method", "route"), buckets=LATENCY_BUCKETS, registry=REGISTRY)
AUTHORISATIONS = Counter("hb_authorisations", "Card authorisations decided (committed), by source, outcome and decline code",
                         ("source", "outcome", "code"), registry=REGISTRY)
HOLDS = Counter("hb_holds", "Holds on budget lines: placed, captured, voided, expired", ("event",), registry=REGISTRY)
CAPTURES = Counter("hb_captures", "Captures of holds (committed), by who pays the provider", ("settled_by",),
                   registry=REGISTRY)
CAPTURED_CENTS = Counter("hb_captured_cents", "Money captured, in cents", registry=REGISTRY)
REFUNDS = Counter("hb_refunds", "Refunds of captures (committed)", registry=REGISTRY)
REFUNDED_CENTS = Counter("hb_refunded_cents", "Money refunded, in cents", registry=REGISTRY)
POOL = Gauge("hb_db_pool_connections", "Database connections of the server process's pools, by pool and state",
             ("pool", "state"), registry=REGISTRY, multiprocess_mode="livesum")

HOLD_EVENTS = ("placed", "captured", "voided", "expired")
_CODE = re.compile(r"^[a-z][a-z_]{0,39}$")
_known_codes: set[str] = set()


def known_codes(codes: Iterable[str]) -> None:
    """The decline codes a label may carry (the voucher names its closed list); any other is "other"."""
    _known_codes.update(codes)


def _code(code: str | None) -> str:
    if not code:
        return ""
    return code if code in _known_codes and _CODE.match(code) else "other"


# --- Counting ------------------------------------------------------------------------------------


def request_done(method: str | None, route: str | None, status: int, seconds: float) -> None:
    """One answered request (core.http.RequestContext): ``route`` is the matched route's template,
    None for a path no route matched (counted as "unmatched", whatever was typed)."""
    method = method if method in METHODS else "OTHER"
    route = route or "unmatched"
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)


def authorisation(source: str, approved: bool, code: str | None, *, committed: bool = True) -> None:
    """An authorisation decided in the current write transaction (counted when it commits; with
    ``committed=False`` now: a decline that is not written and whose transaction rolls back)."""
    labels = (source or "api", "approved" if approved else "declined", "" if approved else _code(code))
    if committed:
        db.on_commit(lambda: _authorised(labels))
    else:
        _authorised(labels)


def _authorised(labels: tuple[str, str, str]) -> None:
    AUTHORISATIONS.labels(*labels).inc()
    if labels[1] == "approved":
        HOLDS.labels("placed").inc()


def hold(event: str, count: int = 1) -> None:
    """Holds captured, voided or expired in the current write transaction."""
    if count > 0 and event in HOLD_EVENTS:
        db.on_commit(lambda: HOLDS.labels(event).inc(count))


def capture(settled_by: str, cents: int, *, from_hold: bool = True) -> None:
    """A capture booked in the current write transaction: of a hold, or (a card network's capture
    beyond or without one) not."""
    def counted() -> None:
        CAPTURES.labels(settled_by or "platform").inc()
        CAPTURED_CENTS.inc(max(0, cents))
        if from_hold:
            HOLDS.labels("captured").inc()
    db.on_commit(counted)


def refund(cents: int) -> None:
    def counted() -> None:
        REFUNDS.inc()
        REFUNDED_CENTS.inc(max(0, cents))
    db.on_commit(counted)


# --- Read at each scrape ---------------------------------------------------------------------------


class Sample(msgspec.Struct, frozen=True):
    """One gauge value a reader found: metric name, help, labels, value."""

    name: str
    help: str
    labels: dict[str, str]
    value: float


Reader = Callable[[Settings], Awaitable[list[Sample]]]
_readers: list[Reader] = []


def age_seconds(value: Any, now: dt.datetime | None = None) -> float:
    """Seconds since ``value`` (a timestamp as either database gives it back); 0 for None."""
    if value is None:
        return 0.0
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return max(0.0, ((now or utcnow()) - value).total_seconds())


def outbox(name: str, waiting: int, oldest: Any) -> list[Sample]:
    """An outbox's two gauges: rows waiting, and the age of the oldest (0 when none waits)."""
    labels = {"outbox": name}
    return [Sample("hb_outbox_waiting", "Rows waiting in an outbox", labels, float(waiting)),
            Sample("hb_outbox_oldest_age_seconds", "Age of the oldest row waiting in an outbox (0: none)", labels,
                   age_seconds(oldest) if waiting else 0.0)]


def reader(fn: Reader) -> Reader:
    """Register a database read whose samples each scrape reports (beside the table it reads; it is
    given the settings)."""
    if fn not in _readers:
        _readers.append(fn)
    return fn


def sample_pools() -> None:
    """This process's pool use, as the pools say now."""
    try:
        eng = db.engine()
    except RuntimeError:
        return
    for name, pool_engine in (("primary", eng), ("reporting", reporting_db.replica_of(eng))):
        pool = getattr(pool_engine, "pool", None) if pool_engine is not None else None
        if pool is not None and hasattr(pool, "get_size"):
            size, idle = pool.get_size(), pool.get_idle_size()
            POOL.labels(name, "open").set(size)
            POOL.labels(name, "idle").set(idle)
            POOL.labels(name, "in_use").set(size - idle)
            POOL.labels(name, "max").set(pool.get_max_size())
        elif name == "primary" and hasattr(pool_engine, "_idle"):
            POOL.labels(name, "idle").set(len(pool_engine._idle))  # the SQLite engine keeps idle connections only


@reader
async def _replica_lag(settings: Settings) -> list[Sample]:
    source = await reporting_db.lag()
    if not source.replica:
        return []
    samples = [Sample("hb_reporting_replica_up", "Whether the reporting replica answered", {}, 1.0 if source.used else 0.0)]
    if source.lag_s is not None:
        samples.append(Sample("hb_reporting_replica_lag_seconds", "How far the reporting replica's replay is behind",
                              {}, source.lag_s))
    return samples


async def _read_all(settings: Settings) -> list[Sample]:
    found: list[Sample] = []
    failed = 0
    for read in _readers:
        try:
            found.extend(await read(settings))
        except Exception:  # noqa: BLE001 - one failing read must not hide the others
            failed += 1
            log.exception("a metrics read failed")
    found.append(Sample("hb_metrics_read_errors", "Database reads of this scrape that failed", {}, float(failed)))
    return found


class _Found:
    """The scrape's database samples as Prometheus gauge families."""

    def __init__(self, samples: list[Sample]) -> None:
        self.samples = samples

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for s in self.samples:
            family = families.get(s.name)
            if family is None:
                family = families[s.name] = GaugeMetricFamily(s.name, s.help, labels=sorted(s.labels))
            family.add_metric([s.labels[k] for k in sorted(s.labels)], s.value)
        return list(families.values())


async def render(settings: Settings) -> bytes:
    """The whole exposition: this process's (or, in multiprocess mode, every process's) counters,
    then the database gauges read now."""
    sample_pools()
    if MULTIPROCESS_DIR:
        counted = CollectorRegistry()
        multiprocess.MultiProcessCollector(counted, path=MULTIPROCESS_DIR)
    else:
        counted = REGISTRY
    read = CollectorRegistry()
    read.register(_Found(await _read_all(settings)))
    return generate_latest(counted) + generate_latest(read)


SAMPLE_POOLS_EVERY_S = 10


async def pool_sampler(app, settings: Settings) -> None:
    """Background work in multiprocess mode: this process's pool use, for the scrapes another
    process answers (a scrape samples its own process itself). At the end the process's live gauges
    leave the sum."""
    if not MULTIPROCESS_DIR:
        return
    try:
        while True:
            sample_pools()
            await asyncio.sleep(SAMPLE_POOLS_EVERY_S)
    finally:
        multiprocess.mark_process_dead(os.getpid(), MULTIPROCESS_DIR)


# --- Who may scrape --------------------------------------------------------------------------------


def networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for part in (settings.metrics_networks or "").split(","):
        if part.strip():
            out.append(ipaddress.ip_network(part.strip(), strict=False))
    return out


def enabled(settings: Settings) -> bool:
    return bool(settings.metrics_token) or bool(networks(settings))


def allowed(settings: Settings, authorization: str | None, address: str | None) -> bool:
    """A scrape is answered with the bearer token (compared in constant time), or from an allowed
    network (the connection's address: behind a proxy, that is the proxy's — use the token)."""
    token = settings.metrics_token
    if token and authorization:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
            return True
    if address:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in net for net in networks(settings))
    return False
