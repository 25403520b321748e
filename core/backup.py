"""`hb backup FILE` and `hb restore FILE`: a consistent copy of the whole database, and back.

SQLite (the embedded default): SQLite's online backup API copies the live file page by page under
its own locking, so a backup taken while the server writes is a consistent snapshot, and a restore
writes the pages back into the live file the same way. The backup file is a plain SQLite database
(`sqlite3 FILE` opens it). After a restore, migrations the backup predates are applied.

PostgreSQL: a portable dump of our own, not pg_dump. Reasons: the production image runs
PostgreSQL 16 and pg_dump refuses to dump a server newer than itself, so pg_dump would tie the app
image to the server's major version; the app already talks to the database through asyncpg, whose
COPY support does the heavy lifting; and the schema is owned by our migrations, so a restore into a
database the migrations built needs only the rows. The file is a gzip'd tar: ``manifest.json``
(format, database kind, the applied migrations, per table its columns and row count) and one
``<table>.copy`` per table in COPY's text format (exact for every type, NULL as ``\\N``). The dump
runs in one REPEATABLE READ read-only transaction: one snapshot across all tables. The restore runs
in one transaction: TRUNCATE every table, COPY the rows in foreign-key order, move the sequences
past the restored ids — all of it, or (on any error) nothing. It refuses a dump whose migrations
differ from the target's (restore with the version that made it, then upgrade).

After either restore the `hb restore` command (hb.backup) rebuilds the search index from the
restored database (it is derived data and is never backed up). Card tokens and national-ID matches are keyed hashes under ``HB_SECRET_KEY``: keep the
secret (``HB_DATA_DIR/secret.key`` on the embedded default) safe beside, not inside, the backup.
"""

import asyncio
import gzip
import io
import json
import os
import sqlite3
import tarfile
import tempfile
import zlib
from pathlib import Path
from urllib.parse import urlparse

from core.clock import utcnow
from core.db import postgres_config
from core.settings import Settings

FORMAT = "hb-backup/1"
SQLITE_MAGIC = b"SQLite format 3\x00"
MIGRATION_TABLE = "migration"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why, for a person."""


def kind_of_file(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head[:2] == b"\x1f\x8b":
        return "postgres"
    raise BackupError(f"{path} is not an hb backup (neither a SQLite database nor an hb-backup/1 dump)")


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_path(settings: Settings) -> Path:
    if settings.database_url and settings.database_url.startswith("sqlite:///"):
        return Path(settings.database_url.removeprefix("sqlite:///"))
    return settings.sqlite_path


def sqlite_backup(settings: Settings, target: Path) -> dict:
    source = _sqlite_path(settings)
    if not source.is_file():
        raise BackupError(f"no database at {source}: nothing to back up")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # A standalone file: no WAL beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
            tables = _sqlite_counts(dst)
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
    return {"database": "sqlite", "tables": tables}


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def sqlite_restore(settings: Settings, source: Path) -> dict:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is damaged (integrity check failed)")
        if not src.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MIGRATION_TABLE,)).fetchone():
            raise BackupError(f"{source} is a SQLite file but not an hb database")
        target = _sqlite_path(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            tables = _sqlite_counts(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return {"database": "sqlite", "tables": tables}


# --- PostgreSQL ----------------------------------------------------------------------------------


async def _pg_connect(settings: Settings):
    import asyncpg

    config = postgres_config(settings)
    config.setdefault("timeout", 10)
    return await asyncpg.connect(**config)


async def _pg_tables(conn) -> list[str]:
    rows = await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [r["tablename"] for r in rows]


async def _pg_columns(conn, table: str) -> list[str]:
    rows = await conn.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = $1 ORDER BY ordinal_position", table)
    return [r["column_name"] for r in rows]


async def _pg_fk_order(conn, tables: list[str]) -> list[str]:
    """Tables ordered so that every table comes after the tables its foreign keys point to."""
    rows = await conn.fetch(
        "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent "
        "FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")
    parents: dict[str, set[str]] = {t: set() for t in tables}
    for r in rows:
        child, parent = r["child"].strip('"'), r["parent"].strip('"')
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    while parents:
        ready = sorted(t for t, ps in parents.items() if not ps - set(ordered))
        if not ready:
            raise BackupError("foreign keys form a cycle; cannot order the restore")
        ordered.extend(ready)
        for t in ready:
            del parents[t]
    return ordered


async def _migrations(conn) -> list[str]:
    return [r["name"] for r in await conn.fetch(f'SELECT name FROM "{MIGRATION_TABLE}" ORDER BY name')]


async def pg_backup(settings: Settings, target: Path) -> dict:
    conn = await _pg_connect(settings)
    partial = target.with_name(target.name + ".partial")
    manifest: dict = {"format": FORMAT, "database": "postgresql",
                      "created_at": utcnow().isoformat(), "tables": {}}
    try:
        with tempfile.TemporaryDirectory(prefix="hb-backup-") as tmp, tarfile.open(partial, "w:gz") as tar:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                manifest["migrations"] = await _migrations(conn)
                for table in await _pg_tables(conn):
                    columns = await _pg_columns(conn, table)
                    path = Path(tmp) / f"{table}.copy"
                    status = await conn.copy_from_table(table, output=str(path), columns=columns)
                    rows = int(status.split()[-1]) if status.startswith("COPY") else 0
                    manifest["tables"][table] = {"columns": columns, "rows": rows}
                    tar.add(path, arcname=f"{table}.copy")
                    path.unlink()
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        await conn.close()
    os.replace(partial, target)
    return {"database": "postgresql", "tables": {t: v["rows"] for t, v in manifest["tables"].items()}}


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, json.JSONDecodeError) as exc:
        raise BackupError(f"not an hb-backup/1 dump: {exc}") from None
    if manifest.get("format") != FORMAT or manifest.get("database") != "postgresql":
        raise BackupError(f"unsupported dump format {manifest.get('format')!r}")
    return manifest


_UNREADABLE = (tarfile.TarError, gzip.BadGzipFile, EOFError, zlib.error)


async def pg_restore(settings: Settings, source: Path) -> dict:
    try:
        return await _pg_restore(settings, source)
    except _UNREADABLE as exc:
        raise BackupError(f"{source} is not a complete, readable dump ({type(exc).__name__}: {exc})") from None


async def _pg_restore(settings: Settings, source: Path) -> dict:
    tar = tarfile.open(source, "r:gz")
    # Read the whole archive once before anything changes: a cut-off file fails here.
    await asyncio.to_thread(tar.getmembers)
    conn = await _pg_connect(settings)
    try:
        manifest = _read_manifest(tar)
        have = await _migrations(conn)
        if sorted(manifest["migrations"]) != sorted(have):
            newer = sorted(set(manifest["migrations"]) - set(have))
            older = sorted(set(have) - set(manifest["migrations"]))
            raise BackupError(
                "the dump and this database are at different migrations"
                + (f"; the dump has ones this version does not know: {', '.join(newer)}" if newer else "")
                + (f"; the dump predates: {', '.join(older)} (restore it with the version that made it, then upgrade)" if older else "")
            )
        tables = await _pg_tables(conn)
        missing = sorted(set(manifest["tables"]) - set(tables))
        if missing:
            raise BackupError(f"the dump has tables this database lacks: {', '.join(missing)}")
        data_tables = [t for t in tables if t != MIGRATION_TABLE]
        counts: dict[str, int] = {}
        async with conn.transaction():
            await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in data_tables) + " RESTART IDENTITY CASCADE")
            for table in await _pg_fk_order(conn, data_tables):
                entry = manifest["tables"].get(table)
                if entry is None:
                    continue
                member = tar.extractfile(f"{table}.copy")
                if member is None:
                    raise BackupError(f"the dump lacks the rows of {table}")
                await conn.copy_to_table(table, source=_chunks(member), columns=entry["columns"])
                counts[table] = await conn.fetchval(f'SELECT COUNT(*) FROM "{table}"')
                if counts[table] != entry["rows"]:
                    raise BackupError(f"{table}: restored {counts[table]} rows, the dump says {entry['rows']}")
            await _advance_sequences(conn, data_tables)
    finally:
        await conn.close()
        tar.close()
    return {"database": "postgresql", "tables": counts}


async def _chunks(member, size: int = 1 << 20):
    while True:
        block = await asyncio.to_thread(member.read, size)
        if not block:
            return
        yield block


async def _advance_sequences(conn, tables: list[str]) -> None:
    """Serial columns continue after the highest restored id."""
    rows = await conn.fetch(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_default LIKE 'nextval(%'")
    for r in rows:
        if r["table_name"] not in tables:
            continue
        table, column = r["table_name"], r["column_name"]
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
            f"COALESCE((SELECT MAX(\"{column}\") FROM \"{table}\"), 0) + 1, false)")


# --- What the CLI calls ----------------------------------------------------------------------------


def describe(settings: Settings) -> str:
    if settings.is_postgres:
        parsed = urlparse(settings.database_url)
        # One host, or several (libpq's "h1:5432,h2:5432": the one accepting writes is used).
        hosts = ",".join(h if ":" in h else f"{h}:5432" for h in parsed.netloc.rpartition("@")[2].split(","))
        return f"PostgreSQL database {parsed.path.lstrip('/')} on {hosts}"
    return f"SQLite database {_sqlite_path(settings).resolve()}"


async def backup(settings: Settings, target: Path) -> dict:
    if settings.is_postgres:
        return await pg_backup(settings, target)
    return await asyncio.to_thread(sqlite_backup, settings, target)


def check_restorable(settings: Settings, source: Path) -> str:
    if not source.is_file():
        raise BackupError(f"no such file: {source}")
    kind = kind_of_file(source)
    wanted = "postgres" if settings.is_postgres else "sqlite"
    if kind != wanted:
        raise BackupError(
            f"{source} is a {'PostgreSQL' if kind == 'postgres' else 'SQLite'} backup but the configured database "
            f"is {'PostgreSQL' if wanted == 'postgres' else 'SQLite'}: restore it where it was taken")
    return kind
