"""The `hb` command: serve, migrate, import, demo, evidence-sweep, and the commands the packages add
(backup and restore, expire-holds, search reindex, settle)."""

import argparse
import asyncio
import json
import os
import shutil
from pathlib import Path

import core.messages  # noqa: F401 - the catalogue texts `hb import` prints
import marketplace.messages  # noqa: F401
from admin import cli as admin_cli
from core import bootstrap, db, identity
from core.commands import say, with_db
from core.errors import DomainError, Invalid
from core.i18n import t
from core.identity import Actor
from core.settings import Settings
from hb import backup, demo, wiring
from marketplace import documents
from search import sync
from search import cli as search_cli
from voucher import cli as voucher_cli

# The subcommands each package adds, in the order `hb --help` lists them.
EXTENSIONS = (bootstrap, backup, voucher_cli, search_cli, admin_cli)


def cmd_migrate(args, settings: Settings) -> int:
    async def work():
        ran = await db.migrate(quiet=True)
        print(f"{len(ran)} migration(s) applied" + (": " + ", ".join(ran) if ran else "; the database is up to date."))
        return 0

    return asyncio.run(with_db(settings, work, migrate=False))


def cmd_evidence_sweep(args, settings: Settings) -> int:
    """The daily run of marketplace.documents.sweep (the server also runs it hourly): reminders 30
    and 7 days before a document ends, once each; at expiry the listings leave search now."""

    async def work():
        counts = await documents.sweep()
        drained = await sync.drain(settings)
        say(f"Evidence sweep: {counts['remind_30']} 30-day and {counts['remind_7']} 7-day reminder(s), "
            f"{counts['expired']} approval(s) expired; {drained} search change(s) applied.")
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_import(args, settings: Settings) -> int:
    path = Path(args.file)
    if not path.is_file():
        say(f"hb import: no such file: {path}")
        return 2
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        say(f"hb import: {path} is not valid JSON: {exc}")
        return 2
    counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)} if isinstance(doc, dict) else {}
    say(f"Importing {path.name}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))

    async def work():
        try:
            # The operator's tool: platform-admin scope, every record of the file may be written.
            result = await wiring.import_document(doc, actor=Actor(role="platform_admin", display_name="hb import"),
                                                  settings=settings)
        except DomainError as exc:  # invalid (400), a duplicate person (409): nothing was written
            errors = [{"ref": e.ref, "field": e.field, "message": e.localised(args.lang).message} for e in exc.errors]
            print(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
            say(f"hb import: {t(exc.key, args.lang)} ({len(errors)} error(s))")
            for e in errors[:20]:
                say(f"  - {e['ref'] or '(file)'} / {e['field']}: {e['message']}")
            return 1
        print(json.dumps({"refs": result["refs"], "api_keys": result["api_keys"]}, ensure_ascii=False, indent=2))
        s = result["summary"]
        say(f"Done: {s['created']} created, {s['updated']} updated, {s['decisions']} approval decision(s); "
             f"{len(result['api_keys'])} API key(s) printed once above.")
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_demo(args, settings: Settings) -> int:
    async def work():
        try:
            return await demo.load(settings, progress=say)
        except Invalid as exc:
            for e in exc.errors[:20]:
                say(f"  - {e.ref} / {e.field}: {e.localised('en').message}")
            say("hb demo: the demo data set did not pass validation; nothing was loaded. This is a bug: report it.")
            return 1

    return asyncio.run(with_db(settings, work))


def cmd_serve(args, settings: Settings) -> int:
    # Imported only to serve: the server and every package's routes cost the other commands ~0.6 s.
    import uvicorn

    from hb.app import create_app

    if args.workers < 1:
        say("hb serve: --workers must be at least 1.")
        return 2
    if args.workers > 1 and not settings.is_postgres:
        say("hb serve: --workers above 1 needs PostgreSQL (HB_DATABASE_URL). The embedded SQLite database "
            "takes one writer at a time, so more processes would only wait for each other; run one.")
        return 2
    url = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}/"
    where = "PostgreSQL" if settings.is_postgres else f"SQLite in {settings.data_dir.resolve()}"
    search = "Meilisearch at " + settings.meili_url if settings.meili_url else "the embedded search index"
    say(f"HB platform on {where} with {search}.")
    # The embedded default migrates when it starts anyway (so a fresh install gets the notice too).
    if notice := asyncio.run(with_db(settings, lambda: bootstrap.first_run_notice(url),
                                     migrate=not settings.is_postgres)):
        say(notice)
    say(f"Open {url}")
    if args.workers > 1:
        # Each worker process builds the app from the same HB_* environment; the background jobs
        # run in one of them (core.leader), the API's rate limits are shared through the database.
        # /metrics sums every worker's counters through prometheus-client's multiprocess files: an
        # empty directory of this server's own unless the operator names one (docs/metrics.md).
        if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            shared = settings.data_dir / "metrics"
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir(parents=True)
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(shared.resolve())
        uvicorn.run("hb.app:create_app", factory=True, host=args.host, port=args.port, log_level="warning",
                    workers=args.workers, proxy_headers=settings.https, access_log=False)
        return 0
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning", workers=1,
                proxy_headers=settings.https, access_log=False)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hb",
        description="HB platform: personal budgets in Finnish social care. Configuration comes from "
        "HB_* environment variables (or a .env file); see README.md.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="start the web server (applies pending migrations on SQLite)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1,
                       help="server processes (PostgreSQL only; the background jobs run in one of them)")
    serve.set_defaults(func=cmd_serve)
    migrate = sub.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(func=cmd_migrate)
    imp = sub.add_parser("import", help="import an hb-import/1 JSON file, all or nothing (prints ref→id map)")
    imp.add_argument("file")
    imp.add_argument("--lang", default="fi", choices=["fi", "sv", "en"], help="language of error messages")
    imp.set_defaults(func=cmd_import)
    demo = sub.add_parser("demo", help="load the demo data set and demo users (safe to run again)")
    demo.set_defaults(func=cmd_demo)
    sweep = sub.add_parser("evidence-sweep", help="remind of evidence documents ending in 30 and 7 days; at expiry "
                                                 "take the provider's listings out of search (safe to run again)")
    sweep.set_defaults(func=cmd_evidence_sweep)
    for extension in EXTENSIONS:
        extension.register_cli(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    settings = Settings.from_env()
    identity.configure_passwords(settings)
    wiring.wire()
    try:
        return int(args.func(args, settings) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
