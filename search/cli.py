"""`hb search reindex`: rebuild the search index from the database."""

import asyncio

from core.commands import say, with_db
from search import sync


def register_cli(sub) -> None:
    parser = sub.add_parser("search", help="search index maintenance (hb search reindex)")
    inner = parser.add_subparsers(dest="search_command", metavar="SUBCOMMAND")
    reindex = inner.add_parser("reindex", help="rebuild the index from approved listings in the database")
    reindex.set_defaults(func=cmd_reindex)
    parser.set_defaults(func=lambda args, settings: (parser.print_help(), 0)[1])


def cmd_reindex(args, settings) -> int:
    async def work():
        target = f"Meilisearch at {settings.meili_url}" if settings.meili_url else f"the embedded index in {settings.data_dir}"
        say(f"Rebuilding {target} …")
        summary = await sync.rebuild(settings, progress=say)
        say(f"Done: {summary['indexed']} listings searchable, {summary['not_live'] } not live, {summary['listings']} checked.")
        return 0

    return asyncio.run(with_db(settings, work))
