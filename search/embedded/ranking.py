"""Ordering matching documents by buckets, rule after rule, as Meilisearch's ranking rules do.

Rules, in order:
1. match quality: per query word, exact / diacritic variant / inflected form cost 0, a prefix or a
   compound part 1, one typo 2, two typos 3; documents with the lowest total come first;
2. attribute: more query words matched in the title first;
3. exactness: words as typed first, then with other diacritics, then inflected forms.
Ties keep index order. Every rule splits a set of slots into ordered disjoint sets, so a page is
found by walking buckets and counting bits, without scoring every document.
"""

from collections.abc import Iterator, Sequence

from search.embedded.bits import iter_slots
from search.embedded.index import WordMatch

_QUALITY = (0, 0, 0, 1, 2, 3)
_EXACTNESS = (0, 1, 2, 3, 3, 3)


def _by_total(candidates: int, words: Sequence[dict[int, int]]) -> list[int]:
    """Split `candidates` by the sum over words of the cost each document has for that word."""
    totals = {0: candidates}
    for costs in words:
        following: dict[int, int] = {}
        for total, members in totals.items():
            for cost, bits in costs.items():
                hit = members & bits
                if hit:
                    following[total + cost] = following.get(total + cost, 0) | hit
        totals = following
    return [totals[total] for total in sorted(totals)]


def _costs(match: WordMatch, table: Sequence[int]) -> dict[int, int]:
    costs: dict[int, int] = {}
    for level, bits in enumerate(match.best):
        if bits:
            costs[table[level]] = costs.get(table[level], 0) | bits
    return costs


def partitions(candidates: int, matches: Sequence[WordMatch]) -> list[list[int]]:
    """The ordered splits of each rule, computed over all candidates."""
    if not matches:
        return []
    return [
        _by_total(candidates, [_costs(m, _QUALITY) for m in matches]),
        _by_total(candidates, [{0: m.title, 1: m.any & ~m.title} for m in matches]),
        _by_total(candidates, [_costs(m, _EXACTNESS) for m in matches]),
    ]


def buckets(candidates: int, rules: Sequence[Sequence[int]]) -> Iterator[int]:
    """Sets of equally ranked documents, best first."""

    def walk(members: int, depth: int) -> Iterator[int]:
        if depth == len(rules):
            yield members
            return
        for part in rules[depth]:
            hit = members & part
            if hit:
                yield from walk(hit, depth + 1)

    if candidates:
        yield from walk(candidates, 0)


def page(ordered: Iterator[int], offset: int, limit: int) -> list[int]:
    """Slots of the result window [offset, offset + limit)."""
    out: list[int] = []
    skipped = 0
    for members in ordered:
        count = members.bit_count()
        if skipped + count <= offset:
            skipped += count
            continue
        for slot in iter_slots(members):
            if skipped < offset:
                skipped += 1
                continue
            out.append(slot)
            if len(out) == limit:
                return out
    return out
