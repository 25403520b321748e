"""A search as one tantivy query whose score is the ranking: the match levels of the hand-written
index kept, as constant scores.

Where a query word matches, best first (levels), and what each costs:

    exact form 0 · other diacritics 0 · inflected form 2 · prefix (last word) or compound part 4 ·
    the same service in another language (search.lexicon) 5 · one typo 6 · two typos 8

plus where: in a title 0, in the other text 4, in a category name 13 (a word found only in the
category's name ranks below every match in the listing's own words). A long query word made of
two indexed words also matches listings holding both ("ratsastusterapia" → "terapeuttinen
ratsastus") as a compound part.

Rules, in order, as Meilisearch's ranking rules: (1) words — listings matching all query words
first, then all but the last, and so on; every result matches the first word; (2) cost — the sum
over words of each word's lowest cost; (3) title — how well the titles match (exact, inflected,
part, other); (4) exactness — the form as typed, then other diacritics, then inflections.

Every place a word matches (zone × level) is a constant-score clause whose value weighs the rules
so that each only breaks the ties of those before it; per word the best place counts (a
`disjunction_max_query`) and the words are summed (a `boolean_query`). So the words and cost rules
are exact, and the title and exactness rules break ties between the places of equal cost (the old
index summed them over the best title and best exact place separately: three sums instead of one
costs about 40 % more time per search for a mean nDCG@10 of the labelled set that differs in the
fourth decimal). Scores are 32-bit floats: whole numbers stay exact below 2**24, which holds for up
to seven words with the words rule as above; from eight words on (rare: at most ten are kept), the
words rule counts the words matched instead of the run of words from the first.
"""

from collections.abc import Callable
from typing import NamedTuple

import tantivy
from tantivy import Occur, Query

from search import lexicon
from search.analysis import QueryWord, compound_part, stem_fi, stem_keys
from search.documents import FREE, SearchQuery
from search.embedded.fields import DIACRITICS, FOLD, PART, RAW, STEM, ZONES, typo_form, typos_field, words_field

EXACT, FOLDED, INFLECTED, PREFIX_OR_PART, OTHER_LANGUAGE, ONE_TYPO, TWO_TYPOS = range(7)
LEVEL_COSTS = (0, 0, 2, 4, 5, 6, 8)
ZONE_COSTS = {"t": 0, "c": 13, "b": 4}
UNMATCHED_COST = LEVEL_COSTS[-1] + max(ZONE_COSTS.values()) + 1
# Title rule and exactness rule per level; a word not matched there counts as the last value.
TITLE_VALUES = (0, 0, 1, 2, 3, 3, 3)
TITLE_UNMATCHED = 4
EXACTNESS_VALUES = (0, 1, 2)  # levels past INFLECTED count as unmatched
EXACTNESS_UNMATCHED = 3
_MAX_EXACT_WORDS_RULE = 7
_MIN_SPLIT = 8


class Weights(NamedTuple):
    words: list[float]  # per query word
    cost: float
    title: float
    exactness: float


def weights(count: int) -> Weights:
    exactness = 1.0
    title = exactness * (EXACTNESS_UNMATCHED * count + 1)
    cost = title * (TITLE_UNMATCHED * count + 1)
    step = cost * (UNMATCHED_COST * count + 1)
    if count <= _MAX_EXACT_WORDS_RULE:
        words = [step * 2 ** (count - 1 - i) for i in range(count)]
    else:
        words = [step] * count
    return Weights(words, cost, title, exactness)


class Clauses(NamedTuple):
    """Per zone, per level: the queries that match the word there at that level."""
    levels: dict[str, list[list[Query]]]


Known = Callable[[str], bool]


def _term(schema, name: str, value: str) -> Query:
    return Query.term_query(schema, name, value, index_option="basic")


def _terms(schema, name: str, values: list[str]) -> Query | None:
    """Any of the terms. (A boolean query of term queries: a `term_set_query` builds a set of its
    own on every search and costs more for the few terms here.)"""
    values = list(dict.fromkeys(values))
    if not values:
        return None
    if len(values) == 1:
        return _term(schema, name, values[0])
    return Query.boolean_query([(Occur.Should, _term(schema, name, v)) for v in values])


def _prefix(schema, name: str, prefix: str) -> Query:
    """Terms starting with `prefix`: a Levenshtein prefix automaton of distance 0 (building a
    regex query's automaton costs milliseconds, this one microseconds)."""
    return Query.fuzzy_term_query(schema, name, prefix, distance=0, transposition_cost_one=True, prefix=True)


def word_clauses(schema, word: QueryWord, with_other_languages: bool = True) -> Clauses:
    also, also_parts = lexicon.equivalent_keys(word.folded) if with_other_languages else ([], [])
    part_terms = [PART + word.part] if word.part else []
    levels: dict[str, list[list[Query]]] = {}
    for zone in ZONES:
        name = words_field(zone)
        per_level: list[list[Query | None]] = [[] for _ in LEVEL_COSTS]
        if word.raw != word.folded:
            per_level[EXACT].append(_term(schema, name, RAW + word.raw))
        else:
            per_level[EXACT].append(Query.boolean_query([
                (Occur.Must, _term(schema, name, FOLD + word.folded)),
                (Occur.MustNot, _term(schema, name, DIACRITICS + word.folded)),
            ]))
        per_level[FOLDED].append(_term(schema, name, FOLD + word.folded))
        per_level[INFLECTED].append(_terms(schema, name, [f"{STEM}{lang}:{key}" for lang, key in word.keys.items()]))
        per_level[PREFIX_OR_PART].append(_terms(schema, name, part_terms))
        if word.prefix:
            per_level[PREFIX_OR_PART].append(_prefix(schema, name, FOLD + word.folded))
        if word.part and word.part != word.folded:
            # The leading part of a longer word ("terap|euttinen"); inner and final parts are p: terms.
            per_level[PREFIX_OR_PART].append(_prefix(schema, name, FOLD + word.part))
        elif word.part and not word.prefix:
            per_level[PREFIX_OR_PART].append(_prefix(schema, name, FOLD + word.part))
        per_level[OTHER_LANGUAGE].append(_terms(schema, name, [
            (STEM if ":" in key else FOLD) + key for key in also] + [PART + part for part in also_parts]))
        per_level[OTHER_LANGUAGE] += [_prefix(schema, name, FOLD + part) for part in also_parts]
        typos = typos_field(zone)
        for distance, level in ((1, ONE_TYPO), (2, TWO_TYPOS)):
            if word.typos >= distance:
                per_level[level].append(Query.fuzzy_term_query(
                    schema, typos, typo_form(word.folded), distance=distance, transposition_cost_one=True,
                    prefix=word.prefix))
        levels[zone] = [[q for q in queries if q is not None] for queries in per_level]
    return Clauses(levels)


def _any(queries: list[Query]) -> Query:
    return queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])


def _part_word(folded: str) -> QueryWord:
    return QueryWord(raw=folded, folded=folded, keys=stem_keys(folded), typos=0, prefix=False,
                     part=compound_part(folded))


def split_compound(folded: str, known: Known) -> tuple[str, str] | None:
    """Two indexed words that make up `folded`, the most even cut first."""
    if len(folded) < _MIN_SPLIT or not folded.isalpha():
        return None
    for cut in sorted(range(3, len(folded) - 2), key=lambda cut: abs(len(folded) - 2 * cut)):
        head, tail = folded[:cut], folded[cut:]
        if known(head) and known(tail):
            return head, tail
    return None


def known_word(searcher: tantivy.Searcher, part: str) -> bool:
    """Whether any listing has `part` as a word, or a word with its Finnish stem key."""
    return any(
        searcher.doc_freq(words_field(zone), term) > 0
        for term in (FOLD + part, f"{STEM}fi:{stem_fi(part)}") for zone in ZONES
    )


def _add_split(schema, clauses: Clauses, word: QueryWord, known: Known) -> None:
    split = split_compound(word.folded, known)
    if not split:
        return
    halves = [word_clauses(schema, _part_word(p), with_other_languages=False) for p in split]
    non_typo = slice(EXACT, OTHER_LANGUAGE)
    per_zone = [{zone: _any([q for level in half.levels[zone][non_typo] for q in level]) for zone in ZONES}
                for half in halves]
    for zone in ZONES:
        clauses.levels[zone][PREFIX_OR_PART].append(Query.boolean_query([
            (Occur.Must, half[zone]) for half in per_zone]))
    clauses.levels["b"][PREFIX_OR_PART].append(Query.boolean_query([
        (Occur.Must, _any(list(half.values()))) for half in per_zone]))


def _scored(queries: list[tuple[Query, float]]) -> Query:
    return Query.disjunction_max_query([Query.const_score_query(q, score) for q, score in queries])


def word_query(schema, word: QueryWord, position: int, w: Weights, known: Known) -> Query:
    """The word's ranking query: every place it matches, each with the value of its level and zone
    under all rules at once (words, cost, title, exactness); the best place counts."""
    clauses = word_clauses(schema, word)
    _add_split(schema, clauses, word, known)
    scored = []
    for zone in ZONES:
        for level, queries in enumerate(clauses.levels[zone]):
            value = w.words[position] + w.cost * (UNMATCHED_COST - LEVEL_COSTS[level] - ZONE_COSTS[zone])
            if zone == "t":
                value += w.title * (TITLE_UNMATCHED - TITLE_VALUES[level])
            if level < len(EXACTNESS_VALUES):
                value += w.exactness * (EXACTNESS_UNMATCHED - EXACTNESS_VALUES[level])
            scored += [(q, value) for q in queries]
    return _scored(scored)


def filters(schema, query: SearchQuery) -> list[Query]:
    out: list[Query] = []
    for name, values in (("category", query.categories), ("municipality", query.municipalities)):
        if values:
            out.append(Query.term_set_query(schema, name, list(values)))
    for name, value in (("delivery_mode", query.delivery_mode), ("languages", query.language),
                        ("organisers", query.organiser)):
        if value:
            out.append(_term(schema, name, value))
    if query.accessible:
        out.append(Query.term_query(schema, "accessible", 1))
    if query.free:
        out.append(_term(schema, "cost", FREE))
    if query.max_price_cents is not None:
        out.append(Query.range_query(schema, "price_cents", tantivy.FieldType.Integer,
                                     upper_bound=int(query.max_price_cents)))
    return out


def build(schema, words: list[QueryWord], query: SearchQuery, known: Known) -> tuple[Query, Query | None]:
    """The search query, and the first word's query alone (to tell whether it matches anything)."""
    clauses: list[tuple[Occur, Query]] = [
        (Occur.Must, Query.const_score_query(f, 0.0)) for f in filters(schema, query)]
    first = None
    if words:
        w = weights(len(words))
        for position, word in enumerate(words):
            ranking = word_query(schema, word, position, w, known)
            if position == 0:
                first = ranking
            clauses.append((Occur.Must if position == 0 else Occur.Should, ranking))
    if not clauses:
        return Query.all_query(), first
    if not words:
        clauses.append((Occur.Must, Query.const_score_query(Query.all_query(), 1.0)))
    return Query.boolean_query(clauses), first
