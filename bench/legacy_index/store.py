"""The embedded backend's durable half: listing documents in one SQLite file (WAL mode).

Every write runs in `BEGIN IMMEDIATE` with a busy timeout, so the web server and an `hb import`
run can write at the same time: SQLite serialises them and nothing is lost or torn. Each write
takes the next number of a sequence and stamps the rows it touches (deletions leave a body-less
row), so any process can ask what changed since the number it last saw. `clear` bumps a
generation number, telling other processes to start over.
"""

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import msgspec

from search.documents import ListingDocument

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body BLOB);
CREATE INDEX IF NOT EXISTS documents_by_seq ON documents (seq);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO state (name, value) VALUES ('seq', 0), ('generation', 0);
"""
_BUSY_TIMEOUT_S = 30.0


class DocumentStore:
    def __init__(self, path: Path | None) -> None:
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path),
            isolation_level=None,
            check_same_thread=False,
            timeout=_BUSY_TIMEOUT_S,
        )
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._encoder = msgspec.msgpack.Encoder()
        self._decoder = msgspec.msgpack.Decoder(ListingDocument)
        with self._writing():
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self._db.execute(statement)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _next_seq(self) -> int:
        return self._db.execute(
            "UPDATE state SET value = value + 1 WHERE name = 'seq' RETURNING value"
        ).fetchone()[0]

    def decode(self, body: bytes) -> ListingDocument:
        return self._decoder.decode(body)

    # --- writes -------------------------------------------------------------------------------

    def upsert(self, docs: Sequence[ListingDocument]) -> None:
        if not docs:
            return
        with self._writing() as db:
            seq = self._next_seq()
            db.executemany(
                "INSERT INTO documents (id, seq, body) VALUES (?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, body = excluded.body",
                [(doc.id, seq, self._encoder.encode(doc)) for doc in docs],
            )

    def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._writing() as db:
            seq = self._next_seq()
            db.executemany(
                "UPDATE documents SET seq = ?, body = NULL WHERE id = ? AND body IS NOT NULL",
                [(seq, i) for i in ids],
            )

    def clear(self) -> None:
        with self._writing() as db:
            db.execute("DELETE FROM documents")
            db.execute("UPDATE state SET value = value + 1 WHERE name = 'generation'")
            self._next_seq()

    # --- reads --------------------------------------------------------------------------------

    def head(self) -> tuple[int, int]:
        """(generation, seq) as last committed."""
        rows = dict(self._db.execute("SELECT name, value FROM state").fetchall())
        return rows["generation"], rows["seq"]

    def snapshot(self) -> tuple[int, int, Iterator[bytes]]:
        """Head and the bodies of all live documents, read in one transaction."""
        self._db.execute("BEGIN")
        try:
            generation, seq = self.head()
            bodies = [row[0] for row in self._db.execute(
                "SELECT body FROM documents WHERE body IS NOT NULL ORDER BY rowid"
            )]
        finally:
            self._db.execute("COMMIT")
        return generation, seq, iter(bodies)

    def changes(self, since: int) -> tuple[int, int, list[tuple[str, bytes | None]]]:
        """Head and (id, body or None when deleted) of the documents written after `since`."""
        self._db.execute("BEGIN")
        try:
            generation, seq = self.head()
            rows = self._db.execute(
                "SELECT id, body FROM documents WHERE seq > ? ORDER BY seq", (since,)
            ).fetchall()
        finally:
            self._db.execute("COMMIT")
        return generation, seq, rows

    def fetch(self, ids: Sequence[str]) -> dict[str, ListingDocument]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(
            f"SELECT id, body FROM documents WHERE body IS NOT NULL AND id IN ({marks})", list(ids)
        )
        return {doc_id: self._decoder.decode(body) for doc_id, body in rows}

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM documents WHERE body IS NOT NULL").fetchone()[0]

    def healthy(self) -> bool:
        try:
            return self._db.execute("SELECT 1").fetchone() == (1,)
        except sqlite3.Error:
            return False

    def close(self) -> None:
        self._db.close()
