"""Ordering matching documents by buckets, rule after rule, as Meilisearch's ranking rules do.

Rules, in order:
0. words: documents matching all query words first, then all but the last, and so on (the
   candidates are the documents matching the first word: Meilisearch's "last" strategy);
1. cost: the sum over words of each word's cost in the document (matching.py: where it matched —
   title, category name or other text — and how: exact, inflected, prefix or compound part, typos);
2. title: among equals, documents whose titles match the words better (exact, inflected, part);
3. exactness: words as typed first, then with other diacritics, then inflected forms.
Ties keep index order. Every rule splits a set of slots into ordered disjoint sets, so a page is
found by walking buckets and counting bits, without scoring every document.
"""

from collections.abc import Iterator, Sequence

from bench.legacy_index.bits import iter_slots, union
from bench.legacy_index.matching import WordMatch

_TITLE = (0, 0, 1, 2, 3, 3, 3, 4)  # per level, and last for no match in a title
_EXACTNESS = (0, 1, 2, 3, 3, 3, 3)


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


def _word_costs(match: WordMatch) -> dict[int, int]:
    costs = {cost: bits for cost, bits in enumerate(match.costs) if bits}
    costs[len(match.costs)] = ~match.any  # documents that do not match this word
    return costs


def _by_level(levels: Sequence[int], table: Sequence[int], unmatched: int) -> dict[int, int]:
    costs: dict[int, int] = {unmatched: ~union(levels)}
    for level, bits in enumerate(levels):
        if bits:
            costs[table[level]] = costs.get(table[level], 0) | bits
    return costs


def _by_words(candidates: int, matches: Sequence[WordMatch]) -> list[int]:
    prefixes = [candidates]
    for match in matches[1:]:
        prefixes.append(prefixes[-1] & match.any)
    ordered, taken = [], 0
    for members in reversed(prefixes):
        ordered.append(members & ~taken)
        taken |= members
    return ordered


def partitions(candidates: int, matches: Sequence[WordMatch]) -> list[list[int]]:
    """The ordered splits of each rule, computed over all candidates (which match the first word)."""
    if not matches:
        return []
    return [
        _by_words(candidates, matches),
        _by_total(candidates, [_word_costs(m) for m in matches]),
        _by_total(candidates, [_by_level(m.in_title, _TITLE, _TITLE[-1]) for m in matches]),
        _by_total(candidates, [_by_level(m.best, _EXACTNESS, _EXACTNESS[-1]) for m in matches]),
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
