"""The embedded index's vocabulary: every folded word seen, and the ways a query word reaches them.

- prefix: a sorted list and bisection;
- typos: candidates by the pigeonhole rule (k typos leave one of k+1 pieces of the word intact,
  shifted by at most k), found with `str.find` over per-(first letter, length) blobs, then checked
  with the exact Meilisearch-style typo count; swaps of neighbouring letters and first-letter edits
  are enumerated, as pieces alone would miss them;
- compound parts: `str.find` over one blob of all words, checked for a word boundary.

Words are only ever added (a word no live document uses any more just matches no live slot);
the whole index is rebuilt now and then, which also drops them.
"""

from bisect import bisect_left, bisect_right, insort
from collections import defaultdict

from search.analysis import is_compound_part, typo_cost

_MIN_PREFIX_BUCKET = 4
_CACHE_LIMIT = 20_000


class _Bucket:
    """Strings of one first letter and one length, stored without that letter, fixed width."""

    __slots__ = ("rest", "_blob")

    def __init__(self) -> None:
        self.rest: list[str] = []
        self._blob: str | None = None

    def add(self, rest: str) -> None:
        self.rest.append(rest)
        self._blob = None

    def blob(self) -> str:
        if self._blob is None:
            self._blob = "".join(r + "\n" for r in self.rest)
        return self._blob


class Vocabulary:
    def __init__(self) -> None:
        self.terms: list[str] = []
        self._known: set[str] = set()
        self._sorted: list[str] = []
        self._pending: list[str] = []
        self._words: dict[tuple[str, int], _Bucket] = defaultdict(_Bucket)
        self._prefixes: dict[tuple[str, int], _Bucket] = defaultdict(_Bucket)
        self._prefix_set: set[str] = set()
        self._alphabet: set[str] = set()
        self._blob = ""
        self._starts: list[int] = []
        self._cache: dict[tuple, object] = {}

    def __contains__(self, term: str) -> bool:
        return term in self._known

    def __len__(self) -> int:
        return len(self.terms)

    def add(self, term: str) -> None:
        if term not in self._known:
            self._known.add(term)
            self.terms.append(term)
            self._pending.append(term)

    def prepare(self) -> None:
        """Sort and bucket the words added since last time (otherwise done by the next lookup)."""
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        if len(pending) > 64:
            self._sorted = sorted(self._sorted + pending)
        else:
            for term in pending:
                insort(self._sorted, term)
        for term in pending:
            self._alphabet.update(term)
            self._words[term[0], len(term)].add(term[1:])
            for size in range(_MIN_PREFIX_BUCKET, len(term) + 1):
                prefix = term[:size]
                if prefix not in self._prefix_set:
                    self._prefix_set.add(prefix)
                    self._prefixes[term[0], size].add(prefix[1:])
        position = len(self._blob)
        for term in pending:
            self._starts.append(position)
            position += len(term) + 1
        self._blob += "".join(term + "\n" for term in pending)
        self._cache.clear()

    def _bound_cache(self) -> None:
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()

    # --- prefix -------------------------------------------------------------------------------

    def with_prefix(self, prefix: str) -> list[str]:
        """Words starting with `prefix` (itself included when it is a word)."""
        self._flush()
        key = ("prefix", prefix)
        if key not in self._cache:
            self._bound_cache()
            low = bisect_left(self._sorted, prefix)
            high = bisect_right(self._sorted, prefix + "\U0010ffff", low)
            self._cache[key] = self._sorted[low:high]
        return self._cache[key]  # type: ignore[return-value]

    # --- typos --------------------------------------------------------------------------------

    def with_typos(self, word: str, limit: int, prefix: bool) -> dict[str, int]:
        """Words within `limit` typos of `word` (not `word` itself) → their typo count.

        With `prefix`, a word also matches when one of its prefixes is within the limit (prefixes
        of four letters or more: enough, as one typo needs five letters and two need nine).
        """
        if limit < 1 or len(word) < 2:
            return {}
        self._flush()
        key = ("typos", word, limit, prefix)
        if key not in self._cache:
            self._bound_cache()
            if prefix:
                found: dict[str, int] = {}
                for start, cost in self._near(word, limit, self._prefixes, self._prefix_set).items():
                    for term in self.with_prefix(start):
                        if term != word and cost < found.get(term, limit + 1):
                            found[term] = cost
            else:
                found = self._near(word, limit, self._words, self._known)
            self._cache[key] = found
        return self._cache[key]  # type: ignore[return-value]

    def _near(self, word: str, limit: int, buckets: dict, members: set[str]) -> dict[str, int]:
        found: dict[str, int] = {}

        def consider(candidate: str) -> None:
            if candidate != word and candidate not in found:
                cost = typo_cost(word, candidate, limit)
                if cost is not None:
                    found[candidate] = cost

        self._pigeonhole(word, limit, buckets, consider)
        for i in range(1, len(word) - 1):
            if word[i] == word[i + 1]:
                continue
            swapped = word[:i] + word[i + 1] + word[i] + word[i + 2:]
            if limit == 1:
                if swapped in members:
                    consider(swapped)
                continue
            self._pigeonhole(swapped, limit - 1, buckets, consider)
            for j in range(1, len(swapped) - 1):
                twice = swapped[:j] + swapped[j + 1] + swapped[j] + swapped[j + 2:]
                if twice in members:
                    consider(twice)
        if limit >= 2:
            # A typo on the first letter costs two: only that one edit fits in the budget.
            variants = {word[1:], word[1] + word[0] + word[2:]}
            for letter in self._alphabet:
                variants.add(letter + word)
                variants.add(letter + word[1:])
            for variant in variants:
                if variant in members:
                    consider(variant)
        return found

    @staticmethod
    def _pigeonhole(word: str, limit: int, buckets: dict, consider) -> None:
        """Candidates sharing the first letter and, by position, one intact piece of the rest."""
        rest = word[1:]
        count = limit + 1
        size, extra = divmod(len(rest), count)
        pieces, offset = [], 0
        for index in range(count):
            length = size + (1 if index < extra else 0)
            if length:
                pieces.append((offset, rest[offset:offset + length]))
            offset += length
        for total in range(max(2, len(word) - limit), len(word) + limit + 1):
            bucket = buckets.get((word[0], total))
            if bucket is None:
                continue
            blob, width = bucket.blob(), total
            for offset, piece in pieces:
                position = blob.find(piece)
                while position != -1:
                    column = position % width
                    if abs(column - offset) <= limit:
                        start = position - column
                        consider(word[0] + blob[start:start + total - 1])
                    position = blob.find(piece, position + 1)

    # --- compounds ----------------------------------------------------------------------------

    def containing_part(self, part: str) -> list[str]:
        """Words that have `part` as a compound part ("taksi" → "invataksi")."""
        self._flush()
        key = ("part", part)
        if key not in self._cache:
            self._bound_cache()
            seen: set[str] = set()
            position = self._blob.find(part)
            while position != -1:
                term = self.terms[bisect_right(self._starts, position) - 1]
                if term not in seen:
                    seen.add(term)
                position = self._blob.find(part, position + 1)
            self._cache[key] = [t for t in seen if is_compound_part(part, t)]
        return self._cache[key]  # type: ignore[return-value]
