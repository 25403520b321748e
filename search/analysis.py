"""Finnish-first text analysis shared by both search backends.

One module decides what a word is, so the embedded index, the Meilisearch documents and the
highlighter agree:

- Tokens are runs of letters and digits; everything else (quotes, `*`, `-`, parentheses) separates.
- Diacritics policy: matching folds case and diacritics (ä→a, ö→o, å→a, é→e…), in the index and in
  the query alike, so "paivatoiminta" finds "päivätoiminta" and the other way round. Ranking then
  prefers the form typed exactly as written (Meilisearch's Latin pipeline folds the same way).
- Inflection: a light stemmer per language reduces a word to a key shared by its inflected forms
  ("ratsastusta", "ratsastukseen" → "ratsast"; "kotiin" → "kot"). The Finnish one strips one case
  ending, the final vowels, and evens out consonant gradation at the end of the stem
  (toiminnan/toiminta, hoidon/hoito).
- Typos follow Meilisearch: none under 5 letters, 1 from 5, 2 from 9; Damerau distance, and a typo
  on the first letter counts twice.
- Compound parts: a query word is found inside a longer word at a plausible Finnish word boundary
  ("taksi" in "invataksi", "terapia" in "ratsastusterapia").
"""

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

MAX_QUERY_CHARS = 512
MAX_QUERY_WORDS = 10
MAX_TOKEN_CHARS = 40

_TOKEN_RE = re.compile(r"[^\W_]+")
_EXTRA_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
VOWELS = frozenset("aeiouy")

STOP_WORDS = frozenset(
    # Finnish, Swedish and English function words; query operators typed as words land here too.
    "ja tai on ei se että kuin myös sekä eli ole olla ovat joka jotka jossa mutta vai kun niin vain"
    " kanssa varten mukaan"
    " och i på för med att en ett av till som är det den eller"
    " and or not the a an of for in on to with at by from is"
    .split()
)


class Token(NamedTuple):
    start: int
    end: int
    raw: str  # lowercased, diacritics kept
    folded: str  # lowercased, diacritics folded


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase and strip diacritics: "Päivä" → "paiva", "Målning" → "malning"."""
    lowered = word.casefold()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_EXTRA_FOLDS)


_EDGE_PUNCTUATION = ".,;:!?()[]{}\"'«»“”‘’–—-/…*&+"


def words(text: str) -> list[str]:
    """The lowercased words of a text, diacritics kept (the fast path for indexing): the same as
    the token pattern finds, but most words are whole between spaces, or after stripping the
    punctuation around them, and need no regular expression."""
    lowered = text.casefold()
    if not lowered.isascii():
        lowered = unicodedata.normalize("NFC", lowered)
    out = []
    for token in lowered.split():
        if not token.isalnum():
            token = token.strip(_EDGE_PUNCTUATION)
            if not token.isalnum():
                out += _TOKEN_RE.findall(token)
                continue
        out.append(token)
    return out


@lru_cache(maxsize=200_000)
def _token_forms(word: str) -> tuple[str, str]:
    """A word as written → (lowercased with diacritics, folded); once per distinct word."""
    raw = word.casefold()
    if not raw.isascii():
        raw = unicodedata.normalize("NFC", raw)
    raw = raw[:MAX_TOKEN_CHARS]
    return raw, fold(raw)


def tokens(text: str) -> list[Token]:
    return [Token(match.start(), match.end(), *_token_forms(match.group())) for match in _TOKEN_RE.finditer(text)]


# --- stemming ---------------------------------------------------------------------------------

_FI_IRREGULAR = {
    "kotona": "koti", "kotoa": "koti", "kotiin": "koti", "kotiinsa": "koti",
    "lasten": "lapsi", "lapset": "lapsi", "lasta": "lapsi",
}
_FI_CASE_ENDINGS = tuple(sorted(
    "issa ista illa ilta ille ihin iden itten ien jen ita ssa sta lla lta lle ten"
    " han hen hin hon hun hyn".split(),
    key=len, reverse=True,
))
_FI_GRADATION = {"kk": "k", "pp": "p", "tt": "t", "nn": "nt", "ll": "lt", "rr": "rt", "mm": "mp", "ng": "nk"}


def _has_vowel(word: str) -> bool:
    return any(c in VOWELS for c in word)


def strip_fi_ending(word: str) -> str:
    """Remove one Finnish clitic, possessive and case ending, if the word has one."""
    word = _FI_IRREGULAR.get(word, word)
    for endings in (("kaan", "kin"), ("nsa", "mme", "nne")):
        for suffix in endings:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
    if len(word) >= 6 and word[-1] == "n" and word[-2] == word[-3] and word[-2] in VOWELS:
        return word[:-2]  # illative with a long vowel: terapiaan, palveluun, taksiin
    if len(word) >= 7 and word.endswith("ta") and word[-3] == word[-4] and word[-3] in VOWELS:
        return word[:-2]  # partitive after a long vowel: vapaata
    if len(word) >= 6 and word.endswith("etta"):
        return word[:-3]  # partitive of -e words: huonetta
    for suffix in _FI_CASE_ENDINGS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and _has_vowel(stem):
            return stem
    if len(word) >= 5 and word[-1] in "nt" and word[-2] in VOWELS:
        return word[:-1]  # genitive -n, plural -t
    return word


def _drop_final_vowels(word: str) -> str:
    while len(word) > 3 and word[-1] in VOWELS:
        word = word[:-1]
    return word


@lru_cache(maxsize=200_000)
def stem_fi(word: str) -> str:
    """Key shared by the inflected forms of a folded Finnish word."""
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("nen") and len(word) >= 6:
        word = word[:-3] + "s"  # -nen adjectives and nouns inflect on -s-: ihminen, ihmisen
    word = _drop_final_vowels(strip_fi_ending(word))
    if len(word) > 5 and word.endswith(("uks", "yks")):
        word = word[:-2] + "s"  # ratsastukse-, kuljetuks- → -us
    if len(word) > 4 and word[-1] in "sj" and word[-2] in VOWELS:
        word = _drop_final_vowels(word[:-1])
    tail = word[-2:]
    if tail in _FI_GRADATION and len(word) > 3:
        word = word[:-2] + _FI_GRADATION[tail]
    elif word.endswith("d") and len(word) >= 3:
        word = word[:-1] + "t"  # kodin/koti, hoidon/hoito
    return word


_SV_SUFFIXES = tuple(sorted(
    "heterna hetens arnas ernas ornas andet arna erna orna ande aste ast het ens ets"
    " an en ar er or et as es a e s".split(),
    key=len, reverse=True,
))


@lru_cache(maxsize=100_000)
def stem_sv(word: str) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    for suffix in _SV_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]
    if word.endswith("y"):
        word = word[:-1] + "i"
    return word


STEMMERS = {"fi": stem_fi, "sv": stem_sv, "en": stem_en}


def stem_keys(folded: str) -> dict[str, str]:
    """The stem key of a query word in each language (the query's language is unknown)."""
    return {lang: stemmer(folded) for lang, stemmer in STEMMERS.items()}


# --- typos ------------------------------------------------------------------------------------

def typo_budget(word: str) -> int:
    """Typos allowed in a query word: 0 under 5 letters, 1 from 5, 2 from 9."""
    letters = len(word)
    return 2 if letters >= 9 else 1 if letters >= 5 else 0


def _osa_last_row(a: str, b: str, limit: int) -> list[int] | None:
    """The last row of the optimal string alignment table of `a` against `b` (a swap of neighbours
    is one edit): entry j is the distance between `a` and `b[:j]`. None once a whole row is past
    `limit` (no entry can come back under it)."""
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, other in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other))
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return None
        before, previous = previous, current
    return previous


def _osa_distance(a: str, b: str, limit: int) -> int | None:
    """Optimal string alignment distance (a swap of neighbours is one edit), or None past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return None
    row = _osa_last_row(a, b, limit)
    return row[-1] if row is not None and row[-1] <= limit else None


def typo_cost(query: str, term: str, limit: int) -> int | None:
    """Typos between a query word and a term as Meilisearch counts them, or None past `limit`."""
    if not query or not term or abs(len(query) - len(term)) > limit:
        return None
    extra = 0 if query[0] == term[0] else 1
    if limit - extra < 1:
        return 0 if query == term else None
    if len(set(query) - set(term)) > limit - extra:
        return None  # each letter of the query missing from the term takes an edit
    distance = _osa_distance(query, term, limit - extra)
    if distance is None:
        return None
    return distance + extra if distance + extra <= limit else None


def prefix_within_typos(query: str, term: str, limit: int) -> bool:
    """Whether some beginning of `term` is within `limit` typos of `query` (as `typo_cost` counts
    them; an exact beginning is not looked for here). One table of edit distances between the
    query and the term's beginning answers for every length at once."""
    if not query or not term:
        return False
    extra = 0 if query[0] == term[0] else 1
    budget = limit - extra
    if budget < 1:
        return False
    head = term[: len(query) + budget]
    if len(set(query) - set(head)) > budget:
        return False  # each letter of the query missing from the beginning takes an edit
    row = _osa_last_row(query, head, budget)
    return row is not None and min(row[max(1, len(query) - budget):]) <= budget


# --- compounds --------------------------------------------------------------------------------

_HEAD_ENDS = VOWELS | frozenset("nst")


def compound_part(word: str) -> str | None:
    """The string looked for inside longer words: the stem key when long enough, else the form
    the word takes as the first half of a compound (-nen → -s: "hevonen" → "hevos|tila"), else
    the word itself."""
    key = stem_fi(word)
    if len(key) >= 5:
        return key
    if word.endswith("nen") and len(word) >= 7:
        return word[:-3] + "s"
    return word if len(word) >= 4 else None


def is_compound_part(part: str, term: str) -> bool:
    """Whether `part` is a part of the compound `term` at a plausible Finnish word boundary.

    A leading part must leave a word of at least three letters ("koti|hoito"); an inner or final
    part must follow a head of three letters or more ending in a vowel, n, s or t
    ("inva|taksi", "ratsastus|terapia", "taide|opetus").
    """
    if len(term) <= len(part):
        return False
    start = term.find(part)
    while start != -1:
        rest = len(term) - start - len(part)
        if start == 0:
            if rest >= 3 and _has_vowel(term[len(part):]):
                return True
        elif start >= 3 and term[start - 1] in _HEAD_ENDS and _has_vowel(term[:start]):
            return True
        start = term.find(part, start + 1)
    return False


def boundary_parts(folded: str) -> set[str]:
    """Parts of a long word at every plausible boundary, for engines that cannot look inside words."""
    parts: set[str] = set()
    if len(folded) < 7:
        return parts
    for cut in range(3, len(folded) - 2):
        head, tail = folded[:cut], folded[cut:]
        if head[-1] in _HEAD_ENDS and _has_vowel(head) and _has_vowel(tail):
            parts.add(tail)
            if len(stem_fi(tail)) >= 4:
                parts.add(stem_fi(tail))
            parts.add(head)
    return parts


def compound_tails(folded: str) -> set[str]:
    """What follows every plausible boundary inside a long word, and its Finnish stem key, where at
    least four letters long: the strings a query word's `compound_part` meets when it is an inner
    or final part ("invataksi" → "taksi"). A leading part is a prefix, which an index finds
    without help.

    A tail as written is left out when no `compound_part` can equal it: one of letters that ends
    in a vowel while its stem key has five letters or more ("terapia", key "terap"). A part is a
    stem key of five letters or more (which never ends in a vowel), a "-nen" word's "-s" form, or
    a word whose key is shorter than five letters (on the benchmark's listings: 14 % fewer part
    terms, 6 % fewer terms in all)."""
    tails: set[str] = set()
    for cut in range(3, len(folded) - 3):
        head, tail = folded[:cut], folded[cut:]
        if head[-1] in _HEAD_ENDS and _has_vowel(head) and _has_vowel(tail):
            key = stem_fi(tail)
            if len(key) >= 4:
                tails.add(key)
            if len(key) < 5 or tail[-1] not in VOWELS or not tail.isalpha():
                tails.add(tail)
    return tails


# --- queries ----------------------------------------------------------------------------------

class QueryWord(NamedTuple):
    raw: str
    folded: str
    keys: dict[str, str]
    typos: int
    prefix: bool  # the last word: words starting with it match too
    part: str | None  # looked for inside compounds


def analyse_query(text: str) -> list[QueryWord]:
    """Query words in order: stop words dropped (unless nothing else is left), at most 10 words."""
    found = [t for t in tokens(text[:MAX_QUERY_CHARS]) if t.folded]
    words = [t for t in found if t.folded not in STOP_WORDS] or found
    words = words[:MAX_QUERY_WORDS]
    return [
        QueryWord(
            raw=t.raw,
            folded=t.folded,
            keys=stem_keys(t.folded),
            typos=typo_budget(t.folded),
            prefix=i == len(words) - 1,
            part=compound_part(t.folded),
        )
        for i, t in enumerate(words)
    ]


def matches_token(word: QueryWord, folded: str, lang: str) -> bool:
    """Whether a query word matches one word of a text in `lang` (the highlighter's test)."""
    if folded == word.folded or STEMMERS.get(lang, stem_fi)(folded) == word.keys.get(lang):
        return True
    if word.prefix and folded.startswith(word.folded):
        return True
    if word.part and is_compound_part(word.part, folded):
        return True
    if word.typos:
        if typo_cost(word.folded, folded, word.typos) is not None:
            return True
        if word.prefix and len(folded) > len(word.folded):
            return prefix_within_typos(word.folded, folded, word.typos)
    return False
