"""`hb backup FILE` and `hb restore FILE`: core.backup's consistent copy of the whole database, and
back; after a restore, search rebuilds its index from the restored database (it is derived data and
never backed up)."""

import asyncio
import sqlite3
from pathlib import Path

from core.backup import BackupError, backup, check_restorable, describe, pg_restore, sqlite_restore
from core.commands import say, with_db
from core.settings import Settings
from search import sync


def register_cli(sub) -> None:
    b = sub.add_parser("backup", help="write a consistent backup of the whole database to FILE (safe while serving)")
    b.add_argument("file")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="replace the database with the backup in FILE and rebuild the search index")
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
        say("Keep HB_SECRET_KEY (HB_DATA_DIR/secret.key) safe separately: card tokens need it after a restore.")
        return 0

    # A backup never changes the database it copies: no migrations first.
    return asyncio.run(with_db(settings, work, migrate=False))


def cmd_restore(args, settings: Settings) -> int:
    source = Path(args.file)
    summary: dict = {}
    try:
        kind = check_restorable(settings, source)
        if kind == "sqlite":
            summary = sqlite_restore(settings, source)
    except (BackupError, sqlite3.DatabaseError) as exc:
        say(f"hb restore: {exc}")
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
        say("Rebuilding the search index from the database …")
        result = await sync.rebuild(settings, progress=say)
        say(f"Done: {result['indexed']} listings searchable.")
        return 0

    return asyncio.run(with_db(settings, work))
