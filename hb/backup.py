"""`hb backup FILE` and `hb restore FILE`: core.backup's consistent copy of the whole database, and
back; after a restore, search rebuilds its index from the restored database (it is derived data and
never backed up).

Providers' evidence documents are files, not rows: with the local store they go into
``FILE.evidence.tar`` beside the backup (taken after the database, so every document the backup
names is in it) and ``hb restore FILE`` puts back the ones ``HB_DATA_DIR/evidence/`` lacks. With
the S3-compatible store (``HB_EVIDENCE_S3_URL``) the bucket is backed up by the store itself."""

import asyncio
import sqlite3
import tarfile
from pathlib import Path

from core.backup import BackupError, backup, check_restorable, describe, pg_restore, sqlite_restore
from core.commands import say, with_db
from core.settings import Settings
from marketplace import evidence_store
from search import sync


def evidence_archive(target: Path) -> Path:
    return target.with_name(target.name + ".evidence.tar")


def register_cli(sub) -> None:
    b = sub.add_parser("backup", help="write a consistent backup of the whole database to FILE (safe while serving) and the evidence documents to FILE.evidence.tar")
    b.add_argument("file")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="replace the database with the backup in FILE, put back the evidence documents of FILE.evidence.tar and rebuild the search index")
    r.add_argument("file")
    r.set_defaults(func=cmd_restore)


def cmd_backup(args, settings: Settings) -> int:
    target = Path(args.file)
    if target.parent and not target.parent.exists():
        say(f"hb backup: no such directory: {target.parent}")
        return 2

    async def work():
        try:
            summary = await backup(settings, target)
        except BackupError as exc:
            say(f"hb backup: {exc}")
            return 1
        rows = sum(summary["tables"].values())
        say(f"Backed up the {describe(settings)}: {len(summary['tables'])} tables, {rows} rows → {target}")
        root = evidence_store.local_root(settings)
        if root is None:
            say("Evidence documents are in the S3-compatible store (HB_EVIDENCE_S3_URL): back its bucket up there.")
        else:
            files = await asyncio.to_thread(evidence_store.archive, root, evidence_archive(target))
            say(f"Backed up {files} evidence documents → {evidence_archive(target)}")
        say("Keep HB_SECRET_KEY (HB_DATA_DIR/secret.key) safe separately: card tokens need it after a restore.")
        return 0

    # A backup never changes the database it copies: no migrations first.
    return asyncio.run(with_db(settings, work, migrate=False))


def cmd_restore(args, settings: Settings) -> int:
    source = Path(args.file)
    summary: dict = {}
    root, files = evidence_store.local_root(settings), evidence_archive(source)
    try:
        if root is not None and files.is_file():
            evidence_store.check_archive(files)  # refused before the database is touched
        kind = check_restorable(settings, source)
        if kind == "sqlite":
            summary = sqlite_restore(settings, source)
    except (BackupError, sqlite3.DatabaseError, ValueError, tarfile.TarError) as exc:
        say(f"hb restore: {exc}; nothing was changed")
        return 1

    async def work():
        nonlocal summary
        if kind == "postgres":
            try:
                summary = await pg_restore(settings, source)
            except BackupError as exc:
                say(f"hb restore: {exc}; nothing was changed")
                return 1
        rows = sum(summary["tables"].values())
        say(f"Restored the {describe(settings)} from {source}: {len(summary['tables'])} tables, {rows} rows.")
        if root is not None and files.is_file():
            try:
                written = await asyncio.to_thread(evidence_store.restore_archive, files, root)
            except (ValueError, tarfile.TarError, OSError) as exc:
                say(f"hb restore: the evidence archive could not be read ({exc}); the database is restored, the documents are not")
                return 1
            say(f"Restored {written} evidence documents from {files} (the others were in place).")
        elif root is not None:
            say(f"No evidence archive beside the backup ({files}): the evidence documents were left as they are.")
        say("Rebuilding the search index from the database …")
        result = await sync.rebuild(settings, progress=say)
        say(f"Done: {result['indexed']} listings searchable.")
        return 0

    return asyncio.run(with_db(settings, work))
