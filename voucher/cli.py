"""The voucher's `hb` subcommands `hb expire-holds`, `hb plan-reminders` and `hb questionnaire-reminders`. (`hb settle` is put together in admin/cli.py,
which gives settlement the console's payout-confirmation rule.)"""

import asyncio
import datetime as dt

from core.clock import utcnow
from core.commands import say, with_db
from core.settings import Settings
from voucher.authorisation import sweep_expired
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
    asked = subparsers.add_parser("questionnaire-reminders",
                                  help="remind clients of questionnaires whose round has opened (once per round)")
    asked.add_argument("--now", help="as of this time (ISO 8601; default: now)")
    asked.set_defaults(func=cmd_questionnaire_reminders)
