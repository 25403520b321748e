"""Where one query word matches: per document, its best match level and its cost.

Levels, best first: the word as typed, the word with other diacritics, an inflected form, a
prefix (last word only) or compound part, the same word in another language (search.lexicon),
one typo, two typos. A word's cost in a document is the
lowest level cost plus field cost over the places it matches: an exact word in a title costs 0,
in the other text 4, in a category name 13; an inflected form adds 2, a prefix or compound part 4,
another language's word 5, typos 6 and 8. So a word found only in a category name ranks below every
match in the listing's own words. A long query word that is itself a compound of two indexed words also matches
documents holding both parts ("ratsastusterapia" → "terapeuttinen ratsastus"), as a part match.
"""

from typing import NamedTuple

from search import lexicon
from search.analysis import QueryWord, compound_part, stem_fi, stem_keys
from bench.legacy_index.bits import union
from bench.legacy_index.index import BODY, TITLE, InMemoryIndex

EXACT, FOLDED, INFLECTED, PREFIX_OR_PART, OTHER_LANGUAGE, ONE_TYPO, TWO_TYPOS = range(7)
LEVEL_COSTS = (0, 0, 2, 4, 5, 6, 8)
# Title, category names, other text. A category name is the broadest thing a listing says about
# itself ("Liikunta ja ratsastus" holds swimming too), so a word found only there costs more than
# any match in the listing's own words, typos included: "ratsastus" finds the stable's coaching
# before the swimming class of the same category.
FIELD_COSTS = (0, 13, 4)
MAX_COST = LEVEL_COSTS[-1] + max(FIELD_COSTS)
_MIN_SPLIT = 8


class WordMatch(NamedTuple):
    best: list[int]  # per level: documents whose best match of the word is at that level
    in_title: list[int]  # per level: documents whose best match of the word in a title is at that level
    costs: list[int]  # per cost: documents whose lowest cost for the word is that
    any: int


def _levels(index: InMemoryIndex, word: QueryWord) -> list[list[int]]:
    """Per field, per level: the documents where the word matches at that level."""
    vocab, size = index.vocab, index.size
    typos = vocab.with_typos(word.folded, word.typos, word.prefix)
    near: list[str] = []
    if word.prefix:
        near += vocab.with_prefix(word.folded)
    if word.part:
        near += vocab.containing_part(word.part)
    # The same service named in another language (search.lexicon): just below a compound part.
    also, also_parts = lexicon.equivalent_keys(word.folded)
    for part in also_parts:
        also += vocab.containing_part(part)
    level_keys: list[list[str]] = [
        [],
        [word.folded],
        [f"{lang}:{key}" for lang, key in word.keys.items()],
        [t for t in near if t != word.folded],
        [t for t in also if t != word.folded],
        [t for t, cost in typos.items() if cost == 1],
        [t for t, cost in typos.items() if cost == 2],
    ]
    written_variants = ["=" + v for v in index.variants.get(word.folded, ())]
    per_field = []
    for postings in index.postings:
        levels = [postings.bits(keys, size) for keys in level_keys]
        if word.raw != word.folded:
            levels[EXACT] = postings.bits(["=" + word.raw], size)
        else:
            levels[EXACT] = levels[FOLDED] & ~postings.bits(written_variants, size)
        per_field.append(levels)
    return per_field


def _known(index: InMemoryIndex, part: str) -> bool:
    return part in index.vocab or index.has_key("fi:" + stem_fi(part))


def split_compound(index: InMemoryIndex, folded: str) -> tuple[str, str] | None:
    """Two indexed words that make up `folded`, the most even cut first."""
    if len(folded) < _MIN_SPLIT or not folded.isalpha():
        return None
    cuts = sorted(range(3, len(folded) - 2), key=lambda cut: abs(len(folded) - 2 * cut))
    for cut in cuts:
        head, tail = folded[:cut], folded[cut:]
        if _known(index, head) and _known(index, tail):
            return head, tail
    return None


def _part_word(folded: str) -> QueryWord:
    return QueryWord(raw=folded, folded=folded, keys=stem_keys(folded), typos=0, prefix=False,
                     part=compound_part(folded))


def match(index: InMemoryIndex, word: QueryWord) -> WordMatch:
    per_field = _levels(index, word)
    split = split_compound(index, word.folded)
    if split:
        head, tail = (_levels(index, _part_word(p)) for p in split)
        non_typo = slice(EXACT, OTHER_LANGUAGE)
        head_fields = [union(levels[non_typo]) for levels in head]
        tail_fields = [union(levels[non_typo]) for levels in tail]
        for field, levels in enumerate(per_field):
            levels[PREFIX_OR_PART] |= head_fields[field] & tail_fields[field]
        per_field[BODY][PREFIX_OR_PART] |= union(head_fields) & union(tail_fields)
    best, seen = _by_level([union(levels[level] for levels in per_field) for level in range(len(LEVEL_COSTS))])
    in_title, _ = _by_level(per_field[TITLE])
    costs, covered = [0] * (MAX_COST + 1), 0
    for field, levels in enumerate(per_field):
        for level, bits in enumerate(levels):
            costs[LEVEL_COSTS[level] + FIELD_COSTS[field]] |= bits
    for cost, bits in enumerate(costs):
        costs[cost] = bits & ~covered
        covered |= bits
    return WordMatch(best=best, in_title=in_title, costs=costs, any=seen)


def _by_level(levels: list[int]) -> tuple[list[int], int]:
    """Each document at its best level only; and all of them."""
    best, seen = [], 0
    for bits in levels:
        best.append(bits & ~seen)
        seen |= bits
    return best, seen
