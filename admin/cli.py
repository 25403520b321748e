"""`hb settle`: settlement run with the console's payout-confirmation rule.

Settlement (voucher.settlement) refuses to run without a rule that holds back payouts to a bank
account that changed lately; the rule is the console's (two organiser admins, ``admin.payouts``),
so the command is put together here, above both. The server's schedule does the same
(admin.background.settlement_schedule).
"""

import asyncio

import msgspec

from admin import payouts
from core.commands import say, with_db
from core.settings import Settings
from voucher.cli import parse_now
from voucher.settlement import gateway_from, settle


def cmd_settle(args, settings: Settings) -> int:
    async def work() -> int:
        gateway = None if args.no_stripe else gateway_from(settings)
        if gateway is None and not args.no_stripe:
            say("No HB_STRIPE_SECRET_KEY: every batch is paid by pain.001 file.")
        summary = await settle(settings, parse_now(args.now), confirmation=payouts.unconfirmed, gateway=gateway, progress=say)
        print(msgspec.json.format(msgspec.json.encode(summary), indent=2).decode())
        return 0

    return asyncio.run(with_db(settings, work))


def register_cli(subparsers) -> None:
    parser = subparsers.add_parser(
        "settle",
        help="close one settlement batch per provider per period and pay it (pain.001 file or Stripe Connect); "
        "safe to rerun after a crash and to run at the same time as the server's schedule",
    )
    parser.add_argument("--now", help="settle as of this time (ISO 8601; default: now)")
    parser.add_argument("--no-stripe", action="store_true", help="pay every batch by pain.001 file")
    parser.set_defaults(func=cmd_settle)
