"""What the tantivy index holds for a listing: the output of `search.analysis`, field by field.

Tantivy only splits the texts made here on spaces (its "whitespace" tokenizer): deciding what a
word is, folding, stemming and finding compound parts stay ours, so the index, the Meilisearch
documents and the highlighter agree. Every text goes to one of three zones — titles (``t``),
category names (``c``) and the other text (``b``: description, provider, municipality) — and each
zone has two fields. The word field ``<zone>_w`` holds, told apart by a prefix:

- ``f:`` each word, case and diacritics folded (also searched by prefix);
- ``r:`` a word written with diacritics as written (lowercased), and ``d:`` its folded form, so the
  form as typed ranks first: "päivätoiminta" prefers "Päivätoiminta", "paivatoiminta" the plain one;
- ``s:`` ``<lang>:<stem key>`` of each word in its text's language (inflected forms);
- ``p:`` the inner and final parts of long words at plausible compound boundaries ("inva|taksi";
  a leading part is found by prefix: "terap|euttinen").

The typo field ``<zone>_y`` holds each folded word with its first letter doubled, searched with
tantivy's fuzzy (Levenshtein) query, so a typo on the first letter costs two, as Meilisearch
counts it, and a fuzzy query never reaches a term of another kind.

Facets are counted from one keyword field, ``facet``, by walking its terms once, each counted
within the documents a query matches (engine.py): the walk costs about the number of postings, so
a listing has few terms there — one for the values it has exactly one of together (category,
delivery mode, price bucket, whether free), one for its municipality, one for its set of
languages, one per accessibility feature — and their sums give every facet and the total.
Filters are terms of a field of their own, ``filter`` (``<key>=<value>``); the price is a number
(a range filter); the document itself is stored as msgpack in ``body``.
"""

from collections.abc import Iterator

import msgspec
import tantivy

from search.analysis import MAX_TOKEN_CHARS, STEMMERS, compound_tails, fold, words
from search.documents import ListingDocument, cost_values, price_bucket

ZONES = ("t", "c", "b")
RAW, FOLD, STEM, PART, DIACRITICS = "r:", "f:", "s:", "p:", "d:"
FACET, FILTER = "facet", "filter"
SEP = "\x1f"  # between the parts of a facet term (no value holds it)
# The kinds of facet terms: one each for the values a listing has exactly one of (category,
# delivery mode, price bucket, "free" or ""), its municipality and its set of languages; one per
# accessibility feature.
GROUP, MUNICIPALITY, LANGUAGES, ACCESSIBILITY = "g", "m", "l", "a"
# Filter-only keys of the filter field (the facet keys of search.documents.FACET_KEYS too).
ACCESSIBLE = "accessible"
ORGANISER = "organiser"


def facet_term(kind: str, *values: str) -> str:
    return SEP.join((kind, *values))


def filter_term(key: str, value: str) -> str:
    return f"{key}={value}"


def words_field(zone: str) -> str:
    return f"{zone}_w"


def typos_field(zone: str) -> str:
    return f"{zone}_y"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for zone in ZONES:
        builder.add_text_field(words_field(zone), tokenizer_name="whitespace", index_option="basic")
        builder.add_text_field(typos_field(zone), tokenizer_name="whitespace", index_option="basic")
    builder.add_text_field("id", tokenizer_name="raw", index_option="basic")
    builder.add_text_field(FACET, tokenizer_name="raw", index_option="basic")
    builder.add_text_field(FILTER, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("price_cents", indexed=True, fast=True)
    builder.add_bytes_field("body", stored=True)
    return builder.build()


def typo_form(folded: str) -> str:
    """The word as the typo field holds it: first letter doubled ("kyyti" → "kkyyti")."""
    return folded[:1] + folded


_CACHE_LIMIT = 500_000


class _WordTerms(dict):
    """A word of a text in one language → its terms for the word field, worked out once per
    distinct word (listings share most of their vocabulary, so a build analyses each word once)."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.stem = STEMMERS[lang]

    def __missing__(self, word: str) -> str:
        raw = word[:MAX_TOKEN_CHARS]
        folded = fold(raw)
        if not folded:
            found = ""
        else:
            terms = [FOLD + folded, f"{STEM}{self.lang}:{self.stem(folded)}"]
            if raw != folded:
                terms += [RAW + raw, DIACRITICS + folded]
            terms += [PART + part for part in sorted(compound_tails(folded))]
            found = " ".join(terms)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = found
        return found


class _TypoTerms(dict):
    """A word → its term for the typo field."""

    def __missing__(self, word: str) -> str:
        found = typo_form(fold(word[:MAX_TOKEN_CHARS]))
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[word] = found
        return found


_WORD_TERMS = {lang: _WordTerms(lang) for lang in STEMMERS}
_TYPO_TERMS = _TypoTerms()


def _zones(doc: ListingDocument) -> Iterator[tuple[str, list[tuple[str, str, bool]]]]:
    """Per zone its texts: (language, text, whether many listings share it: category names and
    municipalities, whose terms are worked out once)."""
    yield "t", [(lang, text, False) for lang, text in doc.title.items()]
    yield "c", [(lang, text, True) for lang, text in doc.category_names.items()]
    yield "b", [*((lang, text, False) for lang, text in doc.description.items()),
                ("fi", doc.provider_name, False), ("fi", doc.municipality, True)]


def facet_terms(doc: ListingDocument) -> list[str]:
    """The listing's terms in the facet field (see the module's docstring)."""
    price = price_bucket(doc.price_cents) if doc.price_cents >= 0 else ""
    terms = [facet_term(GROUP, doc.category, doc.delivery_mode, price, *cost_values(doc.price_cents)[:1] or [""]),
             facet_term(MUNICIPALITY, doc.municipality),
             facet_term(LANGUAGES, *sorted(set(doc.languages)))]
    terms += [facet_term(ACCESSIBILITY, value) for value in dict.fromkeys(doc.accessibility)]
    return terms


def filter_terms(doc: ListingDocument) -> list[str]:
    """The listing's terms in the filter field."""
    terms = [filter_term("category", doc.category), filter_term("delivery_mode", doc.delivery_mode)]
    terms += [filter_term("language", value) for value in doc.languages]
    terms += [filter_term(ORGANISER, value) for value in doc.organisers]
    terms += [filter_term("cost", value) for value in cost_values(doc.price_cents)]
    if doc.accessibility:
        terms.append(filter_term(ACCESSIBLE, "1"))
    return list(dict.fromkeys(terms))


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(ListingDocument)


_SHARED_TEXTS: dict[tuple[str, str], tuple[str, str]] = {}
_SHARED_TEXTS_LIMIT = 10_000


def _text_terms(lang: str, text: str, shared: bool) -> tuple[str, str]:
    """A text's terms for the word field and for the typo field (remembered for shared texts)."""
    key = (lang, text)
    found = _SHARED_TEXTS.get(key) if shared else None
    if found is None:
        distinct = list(dict.fromkeys(words(text)))
        found = (" ".join(map(_WORD_TERMS.get(lang, _WORD_TERMS["fi"]).__getitem__, distinct)),
                 " ".join(map(_TYPO_TERMS.__getitem__, distinct)))
        if shared:
            if len(_SHARED_TEXTS) >= _SHARED_TEXTS_LIMIT:
                _SHARED_TEXTS.clear()
            _SHARED_TEXTS[key] = found
    return found


def to_tantivy(doc: ListingDocument) -> tantivy.Document:
    out = tantivy.Document()
    for zone, texts in _zones(doc):
        word_terms: list[str] = []
        typo_terms: list[str] = []
        for lang, text, shared in texts:
            if text:
                found = _text_terms(lang, text, shared)
                word_terms.append(found[0])
                typo_terms.append(found[1])
        if word_terms:
            # A word in two texts of a zone is there twice: the fields keep no frequencies.
            out.add_text(words_field(zone), " ".join(word_terms))
            out.add_text(typos_field(zone), " ".join(typo_terms))
    out.add_text("id", doc.id)
    for term in facet_terms(doc):
        out.add_text(FACET, term)
    for term in filter_terms(doc):
        out.add_text(FILTER, term)
    out.add_integer("price_cents", int(doc.price_cents))
    out.add_bytes("body", _ENCODER.encode(doc))
    return out


def decode(body: bytes) -> ListingDocument:
    return _DECODER.decode(body)
