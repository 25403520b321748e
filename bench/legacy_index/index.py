"""The in-memory inverted index: postings, facet sets and filters over document slots.

Matching a query word against it lives in matching.py.

Each document gets a slot (a small int) when added; replacing or deleting it only clears its bit
in `alive`, so additions are appends. Postings are arrays of slots; the sets of frequent words,
facet values and filters are kept as bit sets (see bits.py).
"""

from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from search.analysis import MAX_TOKEN_CHARS, STEMMERS, fold, words
from search.documents import FREE, PRICE_BUCKETS, ListingDocument, SearchQuery, cost_values
from bench.legacy_index.bits import from_slots, union
from bench.legacy_index.vocabulary import Vocabulary

# Fields, most telling first: titles, category names, the rest (description, provider, place).
TITLE, CATEGORY, BODY = range(3)
_DENSE_MIN = 1024
# Unions over many keys (a short prefix expands to thousands of words) are kept until a write.
_UNION_CACHE_MIN_KEYS = 32
_UNION_CACHE_SIZE = 64
_FACETS = ("category", "municipality", "delivery_mode", "language", "accessibility", "organiser", "cost")


class Postings:
    def __init__(self) -> None:
        self.slots: dict[str, array] = {}
        self.dense: dict[str, int] = {}
        self._touched: dict[str, list[int]] = defaultdict(list)
        self._unions: dict[tuple[str, ...], int] = {}

    def add(self, keys: Iterable[str], slot: int) -> list[str]:
        """Add a document's keys; returns the keys seen for the first time."""
        self._unions.clear()
        new = []
        for key in keys:
            found = self.slots.get(key)
            if found is None:
                self.slots[key] = array("i", (slot,))
                new.append(key)
            else:
                found.append(slot)
                if key in self.dense:
                    self._touched[key].append(slot)
        return new

    def finish(self, size: int) -> None:
        for key, slots in self._touched.items():
            self.dense[key] |= from_slots(slots, size)
        self._touched.clear()

    def bits(self, keys: Sequence[str], size: int) -> int:
        """The documents having any of `keys`."""
        if len(keys) < _UNION_CACHE_MIN_KEYS:
            return self._union(keys, size)
        cache_key = tuple(keys)
        found = self._unions.pop(cache_key, None)
        if found is None:
            found = self._union(keys, size)
            if len(self._unions) >= _UNION_CACHE_SIZE:
                del self._unions[next(iter(self._unions))]
        self._unions[cache_key] = found  # most recently used last
        return found

    def _union(self, keys: Sequence[str], size: int) -> int:
        out, sparse = 0, []
        for key in keys:
            dense = self.dense.get(key)
            if dense is None:
                found = self.slots.get(key)
                if found is None:
                    continue
                if len(found) < _DENSE_MIN:
                    sparse.extend(found)
                    continue
                dense = self.dense[key] = from_slots(found, size)
            out |= dense
        return out | from_slots(sparse, size) if sparse else out


@lru_cache(maxsize=200_000)
def _word_keys(lang: str, word: str) -> tuple[str, ...]:
    """Index keys of one word: folded, "<lang>:" + stem, and "=" + as written if it has diacritics."""
    word = word[:MAX_TOKEN_CHARS]
    folded = fold(word)
    if not folded:
        return ()
    keys = (folded, f"{lang}:{STEMMERS[lang](folded)}")
    return keys + ("=" + word,) if word != folded else keys


def document_terms(doc: ListingDocument) -> tuple[set[str], set[str], set[str]]:
    """Index keys of the titles, the category names and the other text (see `_word_keys`)."""
    fields: tuple[set[str], set[str], set[str]] = (set(), set(), set())
    texts = [(TITLE, lang, text) for lang, text in doc.title.items()]
    texts += [(CATEGORY, lang, text) for lang, text in doc.category_names.items()]
    texts += [(BODY, lang, text) for lang, text in doc.description.items()]
    texts += [(BODY, "fi", doc.provider_name), (BODY, "fi", doc.municipality)]
    for field, lang, text in texts:
        if not text:
            continue
        lang = lang if lang in STEMMERS else "fi"
        keys = fields[field]
        for word in words(text):
            keys.update(_word_keys(lang, word))
    return fields


class InMemoryIndex:
    def __init__(self) -> None:
        self.slot_ids: list[str] = []
        self.slot_of: dict[str, int] = {}
        self.alive = 0
        self.dead = 0
        self.vocab = Vocabulary()
        self.postings = (Postings(), Postings(), Postings())
        self.variants: dict[str, set[str]] = defaultdict(set)
        self._facets: dict[str, dict[str, int]] = {name: {} for name in _FACETS}
        self._prices: dict[int, int] = {}
        self._accessible = 0
        self._ladder: tuple[list[int], list[int]] | None = None

    @property
    def size(self) -> int:
        return len(self.slot_ids)

    # --- writing ------------------------------------------------------------------------------

    def add(self, docs: Sequence[ListingDocument]) -> None:
        self.remove(d.id for d in docs if d.id in self.slot_of)
        pending: dict[tuple[str, str], list[int]] = defaultdict(list)
        prices: dict[int, list[int]] = defaultdict(list)
        accessible: list[int] = []
        first = self.size
        for doc in docs:
            if doc.id in self.slot_of:  # the same id twice in one batch: the last one wins
                self.remove([doc.id])
            slot = self.size
            self.slot_ids.append(doc.id)
            self.slot_of[doc.id] = slot
            new: list[str] = []
            for postings, keys in zip(self.postings, document_terms(doc)):
                new += postings.add(keys, slot)
            for key in new:
                if key[0] == "=":
                    self.variants[fold(key[1:])].add(key[1:])
                elif ":" not in key:
                    self.vocab.add(key)
            for name, values in (
                ("category", [doc.category]), ("municipality", [doc.municipality]),
                ("delivery_mode", [doc.delivery_mode]), ("language", doc.languages),
                ("accessibility", doc.accessibility), ("organiser", doc.organisers),
                ("cost", cost_values(doc.price_cents)),
            ):
                for value in set(values):
                    pending[name, value].append(slot)
            prices[doc.price_cents].append(slot)
            if doc.accessibility:
                accessible.append(slot)
        size = self.size
        for postings in self.postings:
            postings.finish(size)
        for (name, value), slots in pending.items():
            facet = self._facets[name]
            facet[value] = facet.get(value, 0) | from_slots(slots, size)
        for price, slots in prices.items():
            self._prices[price] = self._prices.get(price, 0) | from_slots(slots, size)
        self._accessible |= from_slots(accessible, size)
        self.alive |= from_slots(range(first, size), size)
        self._ladder = None

    def remove(self, ids: Iterable[str]) -> None:
        slots = [self.slot_of.pop(i) for i in ids if i in self.slot_of]
        if slots:
            self.alive &= ~from_slots(slots, self.size)
            self.dead += len(slots)

    # --- filters and facets -------------------------------------------------------------------

    def _price_ladder(self) -> tuple[list[int], list[int]]:
        if self._ladder is None:
            prices = sorted(self._prices)
            cumulative, running = [], 0
            for price in prices:
                running |= self._prices[price]
                cumulative.append(running)
            self._ladder = (prices, cumulative)
        return self._ladder

    def priced_at_most(self, cents: int) -> int:
        prices, cumulative = self._price_ladder()
        position = bisect_right(prices, cents)
        return cumulative[position - 1] if position else 0

    def filtered(self, query: SearchQuery) -> int:
        """Live documents that pass every filter of the query."""
        bits = self.alive
        facets = self._facets
        if query.categories:
            bits &= union(facets["category"].get(c, 0) for c in query.categories)
        if query.municipalities:
            bits &= union(facets["municipality"].get(m, 0) for m in query.municipalities)
        if query.delivery_mode:
            bits &= facets["delivery_mode"].get(query.delivery_mode, 0)
        if query.language:
            bits &= facets["language"].get(query.language, 0)
        if query.organiser:
            bits &= facets["organiser"].get(query.organiser, 0)
        if query.accessible:
            bits &= self._accessible
        if query.free:
            bits &= facets["cost"].get(FREE, 0)
        if query.max_price_cents is not None:
            bits &= self.priced_at_most(query.max_price_cents)
        return bits

    def facet_counts(self, bits: int) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for name in ("category", "municipality", "delivery_mode", "language", "accessibility", "cost"):
            counts = {}
            if bits:
                for value, members in self._facets[name].items():
                    count = (bits & members).bit_count()
                    if count:
                        counts[value] = count
            out[name] = counts
        prices: dict[str, int] = {}
        if bits:
            for label, low, high in PRICE_BUCKETS:
                below_high = (bits & self.priced_at_most(high - 1)).bit_count() if high else bits.bit_count()
                below_low = (bits & self.priced_at_most(low - 1)).bit_count()
                if below_high - below_low:
                    prices[label] = below_high - below_low
        out["price"] = prices
        return out

    def has_key(self, key: str) -> bool:
        return any(key in postings.slots for postings in self.postings)
