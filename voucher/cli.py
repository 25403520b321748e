"""The voucher's `hb` subcommands `hb expire-holds`, `hb plan-reminders`, `hb questionnaire-reminders` and
`hb evaluation import-comparison`. (`hb settle` is put together in admin/cli.py,
which gives settlement the console's payout-confirmation rule.)"""

import asyncio
import datetime as dt
import json
from pathlib import Path

from core.clock import utcnow
from core.commands import say, with_db
from core.errors import DomainError
from core.identity import Actor
from core.settings import Settings
from marketplace import directory
from voucher.authorisation import sweep_expired
from voucher.evaluation import comparison
from voucher.evaluation import reminders as questionnaire_reminders
from voucher.plan_tasks import send_reminders


def parse_now(value: str | None) -> dt.datetime:
    """The ``--now`` option: an ISO 8601 time (UTC if it names no offset), or the present."""
    if not value:
        return utcnow()
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def cmd_expire_holds(args, settings: Settings) -> int:
    async def work() -> int:
        count = await sweep_expired(parse_now(args.now))
        say(f"{count} expired hold(s) released.")
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_plan_reminders(args, settings: Settings) -> int:
    async def work() -> int:
        count = await send_reminders(parse_now(args.now))
        say(f"{count} follow-up reminder(s) written to the outbox.")
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_import_comparison(args, settings: Settings) -> int:
    import voucher.evaluation.time_messages  # noqa: F401 - the error texts it prints

    path = Path(args.file)
    if not path.is_file():
        say(f"hb evaluation import-comparison: no such file: {path}")
        return 2
    data = path.read_bytes()

    async def work() -> int:
        names = await directory.organiser_names()
        wanted = args.organiser
        found = [oid for oid, name in names.items() if wanted in (oid, name)] if wanted else list(names)
        if len(found) != 1:
            say("hb evaluation import-comparison: name the county with --organiser (its id or name): "
                + "; ".join(f"{oid} {name}" for oid, name in names.items()))
            return 2
        organiser_id = found[0]
        say(f"Importing {path.name} ({len(data)} bytes) for {names[organiser_id]}.")
        try:
            summary = await comparison.import_csv(Actor(role="platform_admin", display_name="hb evaluation"),
                                                  organiser_id, data, progress=say)
        except DomainError as exc:  # nothing was written
            errors = [{"ref": e.ref, "field": e.field, "message": e.localised(args.lang).message} for e in exc.errors]
            print(json.dumps({"errors": errors}, ensure_ascii=False, indent=2))
            say(f"hb evaluation import-comparison: nothing was imported ({len(errors)} error(s))")
            for e in errors[:20]:
                say(f"  - row {e['ref']} / {e['field']}: {e['message']}")
            return 1
        print(json.dumps({"summary": {k: getattr(summary, k) for k in summary.__struct_fields__}}, indent=2))
        say(f"Done: {summary.rows} row(s); clients {summary.clients_created} new, {summary.clients_updated} changed; "
            f"months {summary.months_created} new, {summary.months_updated} changed; {summary.unchanged} unchanged.")
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_questionnaire_reminders(args, settings: Settings) -> int:
    async def work() -> int:
        count = await questionnaire_reminders.send_reminders(parse_now(args.now))
        say(f"{count} questionnaire round(s) reminded of in the outbox.")
        return 0

    return asyncio.run(with_db(settings, work))


def register_cli(subparsers) -> None:
    expire = subparsers.add_parser("expire-holds", help="release holds whose expiry time has passed")
    expire.add_argument("--now", help="as of this time (ISO 8601; default: now)")
    expire.set_defaults(func=cmd_expire_holds)
    remind = subparsers.add_parser("plan-reminders",
                                   help="remind clients of plan follow-ups a week ahead (once per follow-up)")
    remind.add_argument("--now", help="as of this time (ISO 8601; default: now)")
    remind.set_defaults(func=cmd_plan_reminders)
    evaluation = subparsers.add_parser("evaluation", help="the pilot's evaluation: import the comparison group")
    evaluation_sub = evaluation.add_subparsers(dest="evaluation_command", metavar="SUBCOMMAND", required=True)
    imp = evaluation_sub.add_parser(
        "import-comparison",
        help="import the comparison group's CSV (format in the README), checked whole and written all or nothing; "
             "importing the same file again changes nothing")
    imp.add_argument("file")
    imp.add_argument("--organiser", help="the county's id or name (needed when there are several)")
    imp.add_argument("--lang", default="fi", choices=["fi", "sv", "en"], help="language of error messages")
    imp.set_defaults(func=cmd_import_comparison)
    asked = subparsers.add_parser("questionnaire-reminders",
                                  help="remind clients of questionnaires whose round has opened (once per round)")
    asked.add_argument("--now", help="as of this time (ISO 8601; default: now)")
    asked.set_defaults(func=cmd_questionnaire_reminders)
