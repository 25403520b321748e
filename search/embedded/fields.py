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

Filters and facets are fast fields; the document itself is stored as msgpack in ``body``.
"""

from collections.abc import Iterator

import msgspec
import tantivy

from search.analysis import MAX_TOKEN_CHARS, STEMMERS, compound_tails, fold, words
from search.documents import ListingDocument, cost_values

ZONES = ("t", "c", "b")
RAW, FOLD, STEM, PART, DIACRITICS = "r:", "f:", "s:", "p:", "d:"
# Keyword fields: filters and facets (multi-valued ones hold several values).
KEYWORDS = ("id", "category", "municipality", "delivery_mode", "languages", "accessibility", "organisers", "cost")


def words_field(zone: str) -> str:
    return f"{zone}_w"


def typos_field(zone: str) -> str:
    return f"{zone}_y"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for zone in ZONES:
        builder.add_text_field(words_field(zone), tokenizer_name="whitespace", index_option="basic")
        builder.add_text_field(typos_field(zone), tokenizer_name="whitespace", index_option="basic")
    for name in KEYWORDS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("price_cents", indexed=True, fast=True)
    builder.add_integer_field("accessible", indexed=True, fast=True)
    builder.add_bytes_field("body", stored=True)
    return builder.build()


def typo_form(folded: str) -> str:
    """The word as the typo field holds it: first letter doubled ("kyyti" → "kkyyti")."""
    return folded[:1] + folded


_WORD_CACHE: dict[tuple[str, str], tuple[str, str]] = {}
_WORD_CACHE_LIMIT = 500_000


def _word_terms(lang: str, word: str) -> tuple[str, str]:
    """The terms of one word of a text in `lang`: for the word field and for the typo field."""
    key = (lang, word)
    found = _WORD_CACHE.get(key)
    if found is None:
        raw = word[:MAX_TOKEN_CHARS]
        folded = fold(raw)
        if not folded:
            found = ("", "")
        else:
            terms = [FOLD + folded, f"{STEM}{lang}:{STEMMERS[lang](folded)}"]
            if raw != folded:
                terms += [RAW + raw, DIACRITICS + folded]
            terms += [PART + part for part in sorted(compound_tails(folded))]
            found = (" ".join(terms), typo_form(folded))
        if len(_WORD_CACHE) >= _WORD_CACHE_LIMIT:
            _WORD_CACHE.clear()
        _WORD_CACHE[key] = found
    return found


def _texts(doc: ListingDocument) -> Iterator[tuple[str, str, str]]:
    for lang, text in doc.title.items():
        yield "t", lang, text
    for lang, text in doc.category_names.items():
        yield "c", lang, text
    for lang, text in doc.description.items():
        yield "b", lang, text
    yield "b", "fi", doc.provider_name
    yield "b", "fi", doc.municipality


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(ListingDocument)


def to_tantivy(doc: ListingDocument) -> tantivy.Document:
    zones: dict[str, dict[tuple[str, str], None]] = {zone: {} for zone in ZONES}
    for zone, lang, text in _texts(doc):
        if text:
            lang = lang if lang in STEMMERS else "fi"
            zones[zone].update(dict.fromkeys((lang, word) for word in words(text)))
    out = tantivy.Document()
    for zone, keys in zones.items():
        if keys:
            terms = [_WORD_CACHE.get(key) or _word_terms(*key) for key in keys]
            out.add_text(words_field(zone), " ".join([t[0] for t in terms]))
            out.add_text(typos_field(zone), " ".join([t[1] for t in terms]))
    for name, values in (
        ("id", [doc.id]), ("category", [doc.category]), ("municipality", [doc.municipality]),
        ("delivery_mode", [doc.delivery_mode]), ("languages", doc.languages),
        ("accessibility", doc.accessibility), ("organisers", doc.organisers), ("cost", cost_values(doc.price_cents)),
    ):
        for value in dict.fromkeys(values):
            out.add_text(name, value)
    out.add_integer("price_cents", int(doc.price_cents))
    out.add_integer("accessible", 1 if doc.accessibility else 0)
    out.add_bytes("body", _ENCODER.encode(doc))
    return out


def decode(body: bytes) -> ListingDocument:
    return _DECODER.decode(body)
