"""Pure rules of the pilot's evaluation figures (no I/O): bootstrap intervals, suppression of small
groups, age bands and their coarsening, k-anonymity of the research export, per-export pseudonyms.

Everything here is deterministic: a bootstrap interval is a function of its samples and its seed
(Python's ``random.Random`` gives the same numbers on every platform), so a figure can be checked
again by anyone with the same data.
"""

import functools
import hashlib
import hmac
import math
import operator
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

DEFAULT_MIN_GROUP_SIZE = 5
DEFAULT_K = 5
RESAMPLES = 2000
LEVEL = 0.95

# Age bands a client may have (the comparison CSV and the counsellor's page use the same), and the
# coarser bands the research export falls back to when a combination is too rare.
AGE_BANDS = ("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+")
COARSE_AGE_BAND = {"0-17": "0-17", "18-24": "18-64", "25-34": "18-64", "35-44": "18-64", "45-54": "18-64",
                   "55-64": "18-64", "65-74": "65+", "75-84": "65+", "85+": "65+"}
QUASI_IDENTIFIERS = ("municipality", "age_band", "client_group")


# --- Bootstrap -------------------------------------------------------------------------------------


def bootstrap_interval(samples: Sequence[Any], statistic: Callable[[Sequence[Any]], float | None], *,
                       seed: int, resamples: int = RESAMPLES, level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``statistic`` over ``samples`` (each sample one client, so a
    client's months move together): ``resamples`` draws of len(samples) with replacement, the
    statistic of each, and the nearest-rank percentiles (1 − level)/2 and (1 + level)/2 of them.
    None when there are no samples or no draw gives a value."""
    if not samples:
        return None
    rng = random.Random(seed)
    n = len(samples)
    values = []
    for _ in range(resamples):
        value = statistic(rng.choices(samples, k=n))
        if value is not None:
            values.append(value)
    if not values:
        return None
    values.sort()
    tail = (1 - level) / 2
    return values[_rank(tail, len(values))], values[_rank(1 - tail, len(values))]


def _rank(p: float, count: int) -> int:
    """Index of the nearest-rank p-th percentile of ``count`` sorted values."""
    return min(count - 1, max(0, math.ceil(round(p * count, 9)) - 1))


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def ratio(pairs: Sequence[tuple[float, float]]) -> float | None:
    """Σ numerator / Σ denominator over (numerator, denominator) pairs: e.g. cents per client-month
    over (a client's cents, a client's months)."""
    below = sum(map(_SECOND, pairs))
    return sum(map(_FIRST, pairs)) / below if below else None


def who5_change(answers: Sequence[tuple[str, Any, float]]) -> float | None:
    """A client's change in WHO-5 from (occasion, answered on, score) rows: the latest answer at a
    follow-up or the end minus the first answer at the start, if both exist and the later one is not
    before the start. None otherwise."""
    starts = sorted((day, score) for occasion, day, score in answers if occasion == "start" and score is not None)
    if not starts:
        return None
    later = sorted((day, score) for occasion, day, score in answers
                   if occasion in ("follow_up", "end") and score is not None and day >= starts[0][0])
    return float(later[-1][1]) - float(starts[0][1]) if later else None


def latest(answers: Sequence[tuple[Any, float]]) -> float | None:
    """The score of the latest (day, score) answer."""
    scored = sorted((day, score) for day, score in answers if score is not None)
    return float(scored[-1][1]) if scored else None


def group_seed(seed: int, *names: str) -> int:
    """A stable seed per figure and group from the dashboard's one seed (so adding a group does not
    move another group's interval)."""
    digest = hashlib.sha256(("\x1f".join([str(seed), *names])).encode()).digest()
    return int.from_bytes(digest[:8], "big")


class Estimate(msgspec.Struct, kw_only=True, frozen=True):
    """One figure of one group: its value, 95 % interval and the number of clients behind it;
    ``suppressed`` when fewer clients than the county's minimum (then value and interval are None)."""

    clients: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    suppressed: bool = False


def estimate(samples: Sequence[Any], statistic: Callable[[Sequence[Any]], float | None], *, seed: int,
             min_size: int, resamples: int = RESAMPLES) -> Estimate:
    """The statistic over ``samples`` (one per client) with its bootstrap interval, or suppressed.
    The same samples, statistic and seed give the same estimate, so it is remembered (the bootstrap
    is the slow part of a page; a page shown again over unchanged data is not computed again)."""
    if suppressed(len(samples), min_size):
        return Estimate(clients=len(samples), suppressed=True)
    return _estimate(tuple(samples), statistic, seed, resamples)


@functools.lru_cache(maxsize=2048)
def _estimate(samples: tuple, statistic: Callable[[Sequence[Any]], float | None], seed: int, resamples: int) -> Estimate:
    interval = bootstrap_interval(samples, statistic, seed=seed, resamples=resamples)
    return Estimate(clients=len(samples), value=statistic(samples),
                    low=interval[0] if interval else None, high=interval[1] if interval else None)


def suppressed(clients: int, min_size: int) -> bool:
    """A figure over fewer clients than the county's minimum group size is not shown (nor an empty one)."""
    return clients < max(1, min_size)


# --- k-anonymity of the research export -----------------------------------------------------------


class Anonymity(msgspec.Struct, kw_only=True):
    """What the k-anonymity check did: the quasi-identifiers of each client as exported, the steps
    taken (``age_band``: coarsened to 0-17/18-64/65+; ``municipality``: replaced by the region), and
    whether the export is refused with the classes still smaller than k (their sizes)."""

    people: dict[str, dict[str, str]]
    steps: list[str]
    refused: bool
    small_classes: list[tuple[tuple[str, ...], int]] = []
    k: int = DEFAULT_K


def _small(people: dict[str, dict[str, str]], k: int) -> list[tuple[tuple[str, ...], int]]:
    sizes = Counter(tuple(p[q] for q in QUASI_IDENTIFIERS) for p in people.values())
    return sorted((combo, n) for combo, n in sizes.items() if n < k)


def k_anonymise(people: dict[str, dict[str, str]], region: str, k: int = DEFAULT_K) -> Anonymity:
    """Make every combination of (municipality, age band, client group) shared by at least ``k``
    clients: as they are if it holds; else coarsen the age band; else also replace the municipality
    by ``region``; if a combination is still rarer than k, refuse (the export is not made)."""
    current = {c: {q: str(p.get(q) or "") for q in QUASI_IDENTIFIERS} for c, p in people.items()}
    steps: list[str] = []
    if _small(current, k):
        current = {c: {**p, "age_band": COARSE_AGE_BAND.get(p["age_band"], p["age_band"])} for c, p in current.items()}
        steps.append("age_band")
    if _small(current, k):
        current = {c: {**p, "municipality": region} for c, p in current.items()}
        steps.append("municipality")
    small = _small(current, k)
    return Anonymity(people=current, steps=steps, refused=bool(small), small_classes=small, k=k)


# --- Pseudonyms --------------------------------------------------------------------------------------


def pseudonym(key: bytes, export_id: str, client_id: str) -> str:
    """A client's pseudonym in one export: a keyed hash of the export and the client, so the same
    client has another pseudonym in every export and nobody without the key finds the client id."""
    digest = hmac.new(key, f"{export_id}:{client_id}".encode(), hashlib.sha256).hexdigest()
    return "p" + digest[:16]
