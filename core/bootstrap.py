"""The first account of a fresh install: ``hb admin create EMAIL`` makes a platform admin, on any
database. Everyone else gets an account by invitation (``voucher.invitations``).

The password is read from standard input — one line, or typed twice without echo when standard
input is a terminal — never from the command line (it would stay in the shell's history and in
``ps``). It must pass the password policy of every other account (``core.password_reset``); an
e-mail address that has an account already is an error that changes nothing. The result,
``{"user_id": …}``, is printed on standard output; messages go to standard error. Audited.

``hb serve`` says what to run when no platform admin exists (``first_run_notice``).
"""

import asyncio
import getpass
import json
import re
import sys

from core import audit, identity
from core.commands import say, with_db
from core.db import in_write_transaction
from core.errors import Conflict, FieldError, Invalid
from core.identity import Actor
from core.password_reset import password_problem
from core.tables import User

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


async def create_platform_admin(email: str, password: str, display_name: str = "") -> str:
    """A platform admin: 400 for a bad e-mail or a weak password, 409 for an address with an account."""
    email = (email or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise Invalid("field.email", field="email", errors=[FieldError(field="email", key="field.email")])
    if problem := password_problem(password, password):
        raise Invalid(problem, field="password", errors=[FieldError(field="password", key=problem,
                                                                    params={"min": 12})], min=12)
    password_hash = identity.hash_password(password)  # before the write transaction: argon2 takes its time

    async def op() -> str:
        if await identity.account_by_email(email):
            raise Conflict("invitation.email_taken", field="email")
        user_id = await identity.create_user(email=email, display_name=display_name or email.split("@")[0],
                                             role="platform_admin", password_hash=password_hash)
        await audit.record(Actor(role="system", display_name="hb admin create"), "user.platform_admin_created",
                           "user", user_id, purpose="bootstrap")
        return user_id

    return await in_write_transaction(op)


async def platform_admin_exists() -> bool:
    return await User.exists().where((User.role == "platform_admin") & (User.active == True)).run()


FIRST_RUN = (
    "No platform admin exists yet. Create the first one (the password is read from standard input):\n"
    "    hb admin create you@example.org\n"
    "then sign in at {url}login, add the county under Organisers and invite its admin."
)


async def first_run_notice(url: str) -> str | None:
    """What ``hb serve`` says on a database with no platform admin (None when there is one, or when
    the database has no tables yet: the server's start migrates it)."""
    try:
        exists = await platform_admin_exists()
    except Exception:  # noqa: BLE001 - no tables yet (never migrated): the notice comes next time
        return None
    return None if exists else FIRST_RUN.format(url=url)


def _read_password() -> str | None:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            say("hb admin create: the passwords differ; nothing was created.")
            return None
        return first
    line = sys.stdin.readline()
    return line.removesuffix("\n")


def cmd_admin_create(args, settings) -> int:
    password = _read_password()
    if password is None:
        return 1

    async def work() -> int:
        try:
            user_id = await create_platform_admin(args.email, password, display_name=args.name or "")
        except Conflict:
            say(f"hb admin create: an account with the e-mail address {args.email.strip().lower()} exists "
                "already; nothing was changed.")
            return 1
        except Invalid as exc:
            say(f"hb admin create: {exc.field}: {exc.errors[0].localised('en').message} Nothing was created.")
            return 1
        print(json.dumps({"user_id": user_id}))
        say(f"Platform admin {args.email.strip().lower()} created. Sign in at {settings.base_url.rstrip('/')}/login")
        return 0

    return asyncio.run(with_db(settings, work))


def register_cli(sub) -> None:
    parser = sub.add_parser("admin", help="accounts from the command line (hb admin create EMAIL)")
    inner = parser.add_subparsers(dest="admin_command", metavar="SUBCOMMAND")
    create = inner.add_parser("create", help="create a platform admin (the first one on a fresh install); the "
                                             "password is read from standard input")
    create.add_argument("email")
    create.add_argument("--name", default="", help="the name shown in the platform (default: the e-mail's name part)")
    create.set_defaults(func=cmd_admin_create)
    parser.set_defaults(func=lambda args, settings: (parser.print_help(), 0)[1])
