"""The embedded search engine, synchronous: a tantivy index on disk, one writer, any readers.

Layout under the index root (``data_dir/search/``):

    CURRENT            the name of the generation in use ("tantivy-3"), replaced atomically
    tantivy-<n>/       one complete tantivy index per generation

Any number of processes search the generation CURRENT names. Before each search a process looks
at CURRENT and at the generation's ``meta.json`` (two `stat` calls): when CURRENT changed it opens
the new generation, when ``meta.json`` changed it reloads its reader. So a commit by any process is
seen by the next search everywhere.

Only one process may write (tantivy's writer lock). The writer is taken lazily, by the first write:
in the server that is whoever drains the listing-change outbox (search.sync); a process that finds
the lock held gets `WriterBusy` and leaves the outbox rows for the holder. Within one process every
backend on the same root shares one index and one writer.

`rebuild` writes a whole new generation beside the one in use and then renames a new CURRENT into
place, so `hb search reindex` swaps the index at once while the server goes on searching.
"""

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import tantivy

from search.analysis import analyse_query
from search.documents import FACET_KEYS, ListingDocument, SearchQuery, SearchResult
from search.embedded import fields
from search.embedded.query import Plan, known_word, plan
from search.text import make_hits

POINTER = "CURRENT"
_PREFIX = "tantivy-"
_WRITER_HEAP = 32_000_000
_BUILD_HEAP = 256_000_000
_CACHE_SIZE = 256
_RECENT_NS = 3_000_000_000


class WriterBusy(RuntimeError):
    """Another process holds the index's writer lock; it applies the changes."""


def _stamp(path: Path) -> tuple | None:
    """What tells a changed file: inode, modification time and size; for a file changed within the
    last seconds also its content, as file times may be as coarse as a few milliseconds and a
    replaced file's inode may be reused."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    stamp: tuple = (st.st_ino, st.st_mtime_ns, st.st_size)
    if time.time_ns() - st.st_mtime_ns < _RECENT_NS:
        try:
            stamp += (hash(path.read_bytes()),)
        except FileNotFoundError:
            return None
    return stamp


def count_matches(searcher: tantivy.Searcher, matching: tantivy.Query) -> tuple[int, dict[str, dict[str, int]]]:
    """How many listings `matching` finds, and its facet counts: one walk over the facet field's
    terms, each counted within the matches (deleted listings left out), summed per value."""
    facets: dict[str, dict[str, int]] = {key: {} for key in FACET_KEYS}
    total = 0

    def add(key: str, value: str, count: int) -> None:
        if value:
            counts = facets[key]
            counts[value] = counts.get(value, 0) + count

    for term, count in searcher.terms_with_prefix(fields.FACET, "", filter_query=matching):
        if not count:
            continue
        kind, *values = term.split(fields.SEP)
        if kind == fields.GROUP:
            total += count
            category, delivery_mode, price, cost = values
            add("category", category, count)
            add("delivery_mode", delivery_mode, count)
            add("price", price, count)
            add("cost", cost, count)
        elif kind == fields.MUNICIPALITY:
            add("municipality", values[0], count)
        elif kind == fields.LANGUAGES:
            for value in values:
                add("language", value, count)
        elif kind == fields.ACCESSIBILITY:
            add("accessibility", values[0], count)
    return total, {key: dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
                   for key, counts in facets.items()}


def top(searcher: tantivy.Searcher, planned: Plan, offset: int, limit: int, total: int) -> list:
    """The addresses of the page `offset`, `limit` in the order `planned.ranking()` gives, asking
    tantivy to score as few listings as that order allows.

    One word: its places are tried best first — the listings matching it in the best places,
    doubling the places tried each round — and once those fill the page, no other listing can
    rank within it (each scores below the last place tried), so the rest are not scored. The
    order among equal scores is tantivy's (by address) whichever query found them. Several words
    are scored in one query (asking first for the listings holding every word, an intersection
    of the words' unions, measured slower than that one query even when they filled the page)."""
    wanted = min(offset + limit, total)
    if offset >= wanted:
        return []
    if len(planned.places) == 1:
        tiers = planned.tiers()
        size = 1
        while size < len(tiers):
            found = searcher.search(planned.ranking_best(tiers[size - 1]), limit, count=True, offset=offset)
            if found.count >= wanted:
                return found.hits
            size *= 2
    return searcher.search(planned.ranking(), limit, count=False, offset=offset).hits


class _Index:
    """One root's index as this process sees it: shared by every backend on that root."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.schema = fields.build_schema()
        self.lock = threading.RLock()
        self.users = 0
        self.index: tantivy.Index
        self.generation: str | None = None
        self._pointer: tuple | None = None
        self._meta: tuple | None = None
        self._writer = None
        self._known: dict[str, bool] = {}
        # Match and facet counts by query (words and filters), while the index does not change:
        # paging through a result, or the browse page without words, counts them once.
        self.facets: dict[tuple, tuple[int, dict[str, dict[str, int]]]] = {}
        # Planned queries by words and filters (a long word's compound split depends on the index).
        self.queries: dict[tuple, Plan] = {}
        self.version = 0  # counts the changes this process has seen
        # Set when this process found the index written with other fields and started an empty one.
        self.outdated = False
        if root is None:
            self.index = tantivy.Index(self.schema)
        else:
            root.mkdir(parents=True, exist_ok=True)
            self._pointer_path = root / POINTER
            self._open_current()

    # --- generations ----------------------------------------------------------------------------

    def _open_current(self) -> None:
        assert self.root is not None
        pointer = self.root / POINTER
        name = pointer.read_text().strip() if pointer.exists() else None
        if not name or not (self.root / name).is_dir():
            name = self._create_first()
        self._writer = None  # releases the old generation's lock
        try:
            self.index = tantivy.Index(self.schema, path=str(self.root / name), reuse=True)
        except ValueError as exc:
            if "schema does not match" not in str(exc):
                raise
            # Written by a version with other fields: an empty generation takes its place (it is
            # kept until the next rebuild), and `outdated` asks the server to rebuild at start.
            name = self._replace_outdated(name)
            self.index = tantivy.Index(self.schema, path=str(self.root / name), reuse=True)
        self.index.config_reader(reload_policy="Manual")
        self.generation = name
        self._meta_path = self.root / name / "meta.json"
        self._pointer = _stamp(pointer)
        self._meta = _stamp(self._meta_path)
        self._changed()

    def _create_first(self) -> str:
        """An empty first generation, unless another process made one meanwhile."""
        assert self.root is not None
        with _root_lock(self.root):
            pointer = self.root / POINTER
            name = pointer.read_text().strip() if pointer.exists() else ""
            if name and (self.root / name).is_dir():
                return name
            name = next_generation(self.root)
            (self.root / name).mkdir()
            tantivy.Index(self.schema, path=str(self.root / name))
            point_to(self.root, name)
            return name

    def _replace_outdated(self, outdated: str) -> str:
        """An empty generation with today's fields in place of `outdated`, unless another process
        replaced it meanwhile."""
        assert self.root is not None
        with _root_lock(self.root):
            pointer = self.root / POINTER
            name = pointer.read_text().strip() if pointer.exists() else ""
            if name and name != outdated and (self.root / name).is_dir():
                return name
            name = next_generation(self.root)
            (self.root / name).mkdir()
            tantivy.Index(self.schema, path=str(self.root / name))
            point_to(self.root, name)
            self.outdated = True
            return name

    def fresh(self) -> None:
        """Follow a swapped generation and commits made by any process (call under `lock`)."""
        if self.root is None:
            return
        if _stamp(self._pointer_path) != self._pointer:
            self._open_current()
            return
        meta = _stamp(self._meta_path)
        if meta != self._meta:
            self.index.reload()
            self._meta = meta
            self._changed()

    # --- writing --------------------------------------------------------------------------------

    def writer(self):
        if self._writer is None:
            try:
                self._writer = self.index.writer(heap_size=_WRITER_HEAP, num_threads=1)
            except ValueError as exc:
                if "LockBusy" in str(exc):
                    raise WriterBusy(str(exc)) from None
                raise
        return self._writer

    def committed(self) -> None:
        self.index.reload()
        if self.root is not None:
            self._meta = _stamp(self._meta_path)
        self._changed()

    def _changed(self) -> None:
        self.version += 1
        self._known.clear()
        self.facets.clear()
        self.queries.clear()

    def remember(self, cache: dict, key: tuple, value) -> None:
        with self.lock:
            if len(cache) >= _CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[key] = value

    def release_writer(self) -> None:
        self._writer = None

    def known(self, searcher: tantivy.Searcher, part: str) -> bool:
        found = self._known.get(part)
        if found is None:
            if len(self._known) > 50_000:
                self._known.clear()
            found = self._known[part] = known_word(searcher, part)
        return found


@contextlib.contextmanager
def _root_lock(root: Path):
    import fcntl

    with open(root / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def next_generation(root: Path) -> str:
    numbers = [int(p.name[len(_PREFIX):]) for p in root.glob(_PREFIX + "*") if p.name[len(_PREFIX):].isdigit()]
    return f"{_PREFIX}{max(numbers, default=0) + 1}"


def point_to(root: Path, name: str) -> None:
    """Make `name` the generation in use: a new CURRENT renamed into place (atomic)."""
    temporary = root / f".{POINTER}.{os.getpid()}.{threading.get_ident()}"
    temporary.write_text(name + "\n")
    os.replace(temporary, root / POINTER)


_SHARED: dict[Path, _Index] = {}
_SHARED_LOCK = threading.Lock()


def _acquire(root: Path | None) -> _Index:
    if root is None:
        shared = _Index(None)
    else:
        root = root.resolve()
        with _SHARED_LOCK:
            shared = _SHARED.get(root)
            if shared is None:
                shared = _SHARED[root] = _Index(root)
    shared.users += 1
    return shared


def _release(shared: _Index) -> None:
    with _SHARED_LOCK:
        shared.users -= 1
        if shared.users == 0:
            with shared.lock:
                shared.release_writer()
            if shared.root is not None:
                _SHARED.pop(shared.root, None)


class EmbeddedSearch:
    def __init__(self, root: Path | None) -> None:
        """`root` is the index folder (created when missing); None keeps the index in memory."""
        self._shared = _acquire(None if root is None else Path(root))
        self._closed = False

    @property
    def schema(self):
        return self._shared.schema

    # --- writes ---------------------------------------------------------------------------------

    def upsert(self, docs: Sequence[ListingDocument]) -> None:
        if not docs:
            return
        prepared = [(doc.id, fields.to_tantivy(doc)) for doc in docs]
        shared = self._shared
        with shared.lock:
            shared.fresh()
            writer = shared.writer()
            for doc_id, doc in prepared:
                writer.delete_documents_by_term("id", doc_id)
                writer.add_document(doc)
            self._commit(writer)

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        shared = self._shared
        with shared.lock:
            shared.fresh()
            writer = shared.writer()
            for doc_id in ids:
                writer.delete_documents_by_term("id", doc_id)
            self._commit(writer)

    def clear(self) -> None:
        shared = self._shared
        with shared.lock:
            shared.fresh()
            writer = shared.writer()
            writer.delete_all_documents()
            self._commit(writer)

    def _commit(self, writer) -> None:
        try:
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.rollback()
            raise
        self._shared.committed()

    def can_write(self) -> bool:
        """Whether this process holds (or can now take) the writer lock."""
        with self._shared.lock:
            try:
                self._shared.fresh()
                self._shared.writer()
            except WriterBusy:
                return False
            return True

    # --- whole-index rebuild --------------------------------------------------------------------

    def rebuild(self, batches: Iterable[Sequence[ListingDocument]]) -> int:
        """Write `batches` into a new generation and swap it in; returns the documents written."""
        shared = self._shared
        if shared.root is None:
            self.clear()
            for batch in batches:
                self.upsert(batch)
            return self.count()
        root = shared.root
        with _root_lock(root):
            name = next_generation(root)
            (root / name).mkdir()
        try:
            index = tantivy.Index(shared.schema, path=str(root / name))
            writer = index.writer(heap_size=_BUILD_HEAP, num_threads=0)
            written = 0
            for batch in batches:
                for doc in batch:
                    writer.add_document(fields.to_tantivy(doc))
                written += len(batch)
            writer.commit()
            writer.wait_merging_threads()
            del writer, index
        except BaseException:
            shutil.rmtree(root / name, ignore_errors=True)
            raise
        with _root_lock(root):
            replaced = (root / POINTER).read_text().strip() if (root / POINTER).exists() else None
            point_to(root, name)
            for old in root.glob(_PREFIX + "*"):
                if old.name not in (name, replaced):  # the one just replaced may still be read
                    shutil.rmtree(old, ignore_errors=True)
        with shared.lock:
            shared.fresh()
            shared.outdated = False
        return written

    # --- reads ----------------------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        return self._versioned()[0]

    def _versioned(self) -> tuple[tantivy.Searcher, int]:
        with self._shared.lock:
            self._shared.fresh()
            return self._shared.index.searcher(), self._shared.version

    def count(self) -> int:
        return self._searcher().num_docs

    def healthy(self) -> bool:
        try:
            self._searcher()
        except Exception:  # noqa: BLE001 - any failure to open the index means unhealthy
            return False
        return not self._closed

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release(self._shared)

    def refresh(self) -> None:
        self._searcher()

    @property
    def outdated(self) -> bool:
        """Whether this process found the index written with other fields (an older version) and
        replaced it with an empty one: it needs a rebuild from the database."""
        return self._shared.outdated

    def _counted(self, searcher: tantivy.Searcher, planned: Plan, key: tuple) -> tuple[int, dict[str, dict[str, int]]]:
        found = self._shared.facets.get(key)
        if found is None:
            found = count_matches(searcher, planned.matching())
            self._shared.remember(self._shared.facets, key, found)
        return found

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        words = analyse_query(query.q)
        offset, limit = query.window()
        searcher, version = self._versioned()
        schema = self._shared.schema

        def known(part: str) -> bool:
            return self._shared.known(searcher, part)

        while True:
            key = (version, tuple((w.raw, w.prefix) for w in words), tuple(query.categories), tuple(query.municipalities),
                   query.delivery_mode, query.language, query.max_price_cents, query.accessible, query.free,
                   query.organiser)
            planned = self._shared.queries.get(key)
            if planned is None:
                planned = plan(schema, words, query, known)
                self._shared.remember(self._shared.queries, key, planned)
            total, facets = self._counted(searcher, planned, key)
            # Words that match no listing at all are left out, so the next word leads.
            if total or len(words) < 2:
                break
            if searcher.search(planned.matches[0], 1, count=True).count:
                break
            words = words[1:]
        addresses = top(searcher, planned, offset, limit, total) if total else []
        docs = [fields.decode(searcher.doc(address).get_first("body")) for _, address in addresses]
        return SearchResult(
            hits=make_hits(docs, words, query.lang),
            total=total,
            facets={name: dict(counts) for name, counts in facets.items()},
            took_ms=round((time.perf_counter() - started) * 1000),
        )
