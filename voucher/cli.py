"""The voucher's `hb` subcommands: `hb settle` and `hb expire-holds`."""

import asyncio
import datetime as dt
import sys

from core.settings import Settings


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _now(value: str | None) -> dt.datetime:
    if not value:
        return dt.datetime.now(dt.timezone.utc)
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def cmd_settle(args, settings: Settings) -> int:
    import msgspec

    from core.cli import with_db
    from voucher.settlement import gateway_from, settle

    async def work() -> int:
        gateway = None if args.no_stripe else gateway_from(settings)
        if gateway is None and not args.no_stripe:
            _say("No HB_STRIPE_SECRET_KEY: every batch is paid by pain.001 file.")
        summary = await settle(settings, _now(args.now), gateway=gateway, progress=_say)
        print(msgspec.json.format(msgspec.json.encode(summary), indent=2).decode())
        return 0

    return asyncio.run(with_db(settings, work))


def cmd_expire_holds(args, settings: Settings) -> int:
    from core.cli import with_db
    from voucher.authorisation import sweep_expired

    async def work() -> int:
        count = await sweep_expired(_now(args.now))
        _say(f"{count} expired hold(s) released.")
        return 0

    return asyncio.run(with_db(settings, work))


def register_cli(subparsers) -> None:
    settle = subparsers.add_parser(
        "settle",
        help="close one settlement batch per provider per period and pay it (pain.001 file or Stripe Connect); "
        "safe to rerun after a crash",
    )
    settle.add_argument("--now", help="settle as of this time (ISO 8601; default: now)")
    settle.add_argument("--no-stripe", action="store_true", help="pay every batch by pain.001 file")
    settle.set_defaults(func=cmd_settle)
    expire = subparsers.add_parser("expire-holds", help="release holds whose expiry time has passed")
    expire.add_argument("--now", help="as of this time (ISO 8601; default: now)")
    expire.set_defaults(func=cmd_expire_holds)
