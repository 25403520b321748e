"""What every `hb` subcommand uses, whichever package adds it: the configured database bound for the
command's run, and messages on stderr (stdout is kept for a command's result)."""

import sys

from core import db
from core.settings import Settings


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


async def with_db(settings: Settings, work, *, migrate: bool = True):
    """Bind the configured database (applying pending migrations), run ``work``, close it."""
    engine = db.bind(db.make_engine(settings))
    try:
        await db.start(engine)
    except Exception as exc:  # noqa: BLE001 - explain and exit, never a traceback
        say(f"hb: cannot reach the database ({type(exc).__name__}: {exc}).")
        say("    Check HB_DATABASE_URL, or unset it to use the embedded SQLite database.")
        raise SystemExit(2) from None
    try:
        if migrate and await db.pending_migrations():
            ran = await db.migrate(quiet=True)
            say(f"Applied {len(ran)} migration(s).")
        return await work()
    finally:
        await db.stop(engine)
