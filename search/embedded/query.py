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

A search is planned (`Plan`), not built as one query: the matches alone (the first word's fewest
clauses whose union is every match, and the filters) are what the engine counts, and the ranking
can be asked for the places worth at least some value only (decision 0054).
"""

from collections.abc import Callable
from typing import NamedTuple

import tantivy
from tantivy import Occur, Query

from search import lexicon
from search.analysis import QueryWord, compound_part, stem_fi, stem_keys
from search.documents import FREE, SearchQuery
from search.embedded.fields import (
    ACCESSIBLE,
    DIACRITICS,
    FACET,
    FILTER,
    FOLD,
    MUNICIPALITY,
    ORGANISER,
    PART,
    RAW,
    STEM,
    ZONES,
    facet_term,
    filter_term,
    typo_form,
    typos_field,
    words_field,
)

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
    """Per zone, per level: the queries that match the word there at that level; and per zone the
    fewest of them whose union is every match (an exact form is also a folded one, which is also a
    one-typo match, a prefix match and a two-typo match): what counting needs."""
    levels: dict[str, list[list[Query]]]
    matches: dict[str, list[Query]]


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
    matches: dict[str, list[Query]] = {}
    for zone in ZONES:
        name = words_field(zone)
        per_level: list[list[Query | None]] = [[] for _ in LEVEL_COSTS]
        match: list[Query | None] = []
        if word.raw != word.folded:
            per_level[EXACT].append(_term(schema, name, RAW + word.raw))
        else:
            per_level[EXACT].append(Query.boolean_query([
                (Occur.Must, _term(schema, name, FOLD + word.folded)),
                (Occur.MustNot, _term(schema, name, DIACRITICS + word.folded)),
            ]))
        folded = _term(schema, name, FOLD + word.folded)
        per_level[FOLDED].append(folded)
        inflected = _terms(schema, name, [f"{STEM}{lang}:{key}" for lang, key in word.keys.items()])
        per_level[INFLECTED].append(inflected)
        parts = _terms(schema, name, part_terms)
        per_level[PREFIX_OR_PART].append(parts)
        match += [inflected, parts]
        whole_prefix = None
        leading_part = word.part and (word.part != word.folded or not word.prefix)
        if word.prefix:
            whole_prefix = _prefix(schema, name, FOLD + word.folded)
            if not (leading_part and word.folded.startswith(word.part)):
                # (Else the leading part's prefix, of the same level, holds every word it finds.)
                per_level[PREFIX_OR_PART].append(whole_prefix)
        if leading_part:
            # The leading part of a longer word ("terap|euttinen"); inner and final parts are p: terms.
            leading = _prefix(schema, name, FOLD + word.part)
            per_level[PREFIX_OR_PART].append(leading)
            match.append(leading)
        other = _terms(schema, name, [
            (STEM if ":" in key else FOLD) + key for key in also] + [PART + part for part in also_parts])
        other_prefixes = [_prefix(schema, name, FOLD + part) for part in also_parts]
        per_level[OTHER_LANGUAGE] += [other, *other_prefixes]
        match += [other, *other_prefixes]
        typos = typos_field(zone)
        widest = None
        for distance, level in ((1, ONE_TYPO), (2, TWO_TYPOS)):
            if word.typos >= distance:
                widest = Query.fuzzy_term_query(
                    schema, typos, typo_form(word.folded), distance=distance, transposition_cost_one=True,
                    prefix=word.prefix)
                per_level[level].append(widest)
        # The widest typo query holds every folded and prefix match; without typos the prefix does.
        match.append(widest or whole_prefix or folded)
        levels[zone] = [[q for q in queries if q is not None] for queries in per_level]
        matches[zone] = [q for q in match if q is not None]
    return Clauses(levels, matches)


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
        both = Query.boolean_query([(Occur.Must, half[zone]) for half in per_zone])
        clauses.levels[zone][PREFIX_OR_PART].append(both)
        clauses.matches[zone].append(both)
    across = Query.boolean_query([(Occur.Must, _any(list(half.values()))) for half in per_zone])
    clauses.levels["b"][PREFIX_OR_PART].append(across)
    clauses.matches["b"].append(across)


Place = tuple[Query, float]  # where a word matches, and the score that is worth


def _scored(places: list[Place]) -> Query:
    return Query.disjunction_max_query([Query.const_score_query(q, score) for q, score in places])


def word_places(schema, word: QueryWord, position: int, w: Weights, known: Known) -> tuple[list[Place], Query]:
    """Every place the word matches, each with the value of its level and zone under all rules at
    once (words, cost, title, exactness), best first; and the query of all its matches."""
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
    scored.sort(key=lambda place: -place[1])
    return scored, _any([q for zone in ZONES for q in clauses.matches[zone]])


def filters(schema, query: SearchQuery) -> list[Query]:
    out: list[Query] = []
    if query.categories:
        out.append(_terms(schema, FILTER, [filter_term("category", value) for value in query.categories]))
    if query.municipalities:
        out.append(_terms(schema, FACET, [facet_term(MUNICIPALITY, value) for value in query.municipalities]))
    for key, value in (("delivery_mode", query.delivery_mode), ("language", query.language),
                       (ORGANISER, query.organiser)):
        if value:
            out.append(_term(schema, FILTER, filter_term(key, value)))
    if query.accessible:
        out.append(_term(schema, FILTER, filter_term(ACCESSIBLE, "1")))
    if query.free:
        out.append(_term(schema, FILTER, filter_term("cost", FREE)))
    if query.max_price_cents is not None:
        out.append(Query.range_query(schema, "price_cents", tantivy.FieldType.Integer,
                                     upper_bound=int(query.max_price_cents)))
    return out


class Plan(NamedTuple):
    """A search taken apart, so that the engine asks tantivy no more than it must: the filters,
    and per query word its scored places (best first) and the query of all its matches."""
    filters: list[Query]
    places: list[list[Place]]
    matches: list[Query]

    def _with_filters(self, clauses: list[tuple[Occur, Query]]) -> Query:
        clauses = [(Occur.Must, Query.const_score_query(f, 0.0)) for f in self.filters] + clauses
        if not clauses:
            return Query.all_query()
        if len(clauses) == 1 and clauses[0][0] == Occur.Must:
            return clauses[0][1]
        return Query.boolean_query(clauses)

    def matching(self) -> Query:
        """Every result (the first word and the filters; the other words only rank): for the
        count and the facets, scoring nothing."""
        return self._with_filters([(Occur.Must, self.matches[0])] if self.matches else [])

    def ranking(self) -> Query:
        """Every result, scored: the first word must match, the others add to the score."""
        if not self.places:
            return self._with_filters([(Occur.Must, Query.const_score_query(Query.all_query(), 1.0))])
        return self._with_filters([(Occur.Must if n == 0 else Occur.Should, _scored(places))
                                   for n, places in enumerate(self.places)])

    def ranking_best(self, value: float) -> Query:
        """One word: the results that match it in a place worth `value` or more, scored as
        `ranking` scores them (the best place of each is among those)."""
        return self._with_filters([(Occur.Must, _scored([p for p in self.places[0] if p[1] >= value]))])

    def tiers(self) -> list[float]:
        """One word: the distinct values of its places, best first."""
        return sorted({value for _, value in self.places[0]}, reverse=True)


def plan(schema, words: list[QueryWord], query: SearchQuery, known: Known) -> Plan:
    places, matches = [], []
    if words:
        w = weights(len(words))
        for position, word in enumerate(words):
            scored, match = word_places(schema, word, position, w, known)
            places.append(scored)
            matches.append(match)
    return Plan(filters(schema, query), places, matches)
