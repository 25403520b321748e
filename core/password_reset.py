"""Password reset by e-mail: request a link → a single-use, expiring token (only its hash is kept)
→ a new password.

* No account enumeration: the request page answers the same words, with the same status, whether
  or not the address has an account; the e-mail goes out after the answer (a background task), so
  the answer's timing does not tell either; the rate limit counts unknown addresses too.
* A token is 256 random bits, stored as SHA-256; it lives ``TOKEN_MINUTES`` and is claimed by one
  conditional UPDATE (``used_at IS NULL AND expires_at > now``), so two uses racing get one success.
* A new password ends every session of the user and every other open link, and is audited.
"""

import secrets
from datetime import timedelta
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.enums import RequestEncodingType
from litestar.params import Body

from core import audit, db, i18n, mail
from core.clock import utcnow
from core.identity import Actor, hash_password, token_hash
from core.ratelimit import check_password_reset
from core.settings import Settings
from core.tables import PasswordReset, User, UserSession
from core.web import page, redirect, request_lang

TOKEN_MINUTES = 30
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


async def request_reset(email: str) -> tuple[str, dict] | None:
    """A new link for an active user with this e-mail: (token, user row); None for anyone else."""
    user = await User.select(User.id, User.email, User.language, User.display_name).where(
        (User.email == email.strip().lower()) & (User.active == True)  # noqa: E712
    ).first().run()
    if not user:
        return None
    token = secrets.token_urlsafe(32)
    await PasswordReset.insert(
        PasswordReset(user_id=user["id"], token_hash=token_hash(token),
                      expires_at=utcnow() + timedelta(minutes=TOKEN_MINUTES))
    ).run()
    return token, user


async def token_is_valid(token: str) -> bool:
    return bool(await PasswordReset.count().where(
        (PasswordReset.token_hash == token_hash(token)) & PasswordReset.used_at.is_null()
        & (PasswordReset.expires_at > utcnow())
    ).run())


def password_problem(password: str, confirm: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password.too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "password.too_long"
    if password != confirm:
        return "password.mismatch"
    return None


async def complete_reset(token: str, password: str) -> bool:
    """Set the new password if the link is still good; False when it is used, expired or unknown."""
    at = utcnow()
    async with db.write_transaction():
        claimed = await PasswordReset.update({PasswordReset.used_at: at}).where(
            (PasswordReset.token_hash == token_hash(token)) & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > at)
        ).returning(PasswordReset.user_id).run()
        if not claimed:
            return False
        user_id = claimed[0]["user_id"]
        await User.update({User.password_hash: hash_password(password)}).where(User.id == user_id).run()
        await UserSession.update({UserSession.ended_at: at}).where(
            (UserSession.user_id == user_id) & UserSession.ended_at.is_null()
        ).run()
        await PasswordReset.update({PasswordReset.used_at: at}).where(
            (PasswordReset.user_id == user_id) & PasswordReset.used_at.is_null()
        ).run()
        await audit.record(Actor(user_id=str(user_id), role="user", display_name="password reset"),
                           "password.reset", "user", user_id, purpose="account_recovery")
    return True


async def _send_link(settings: Settings, token: str, user: dict) -> None:
    lang = user["language"] or "fi"
    link = f"{settings.base_url.rstrip('/')}/password/reset?token={token}"
    await mail.send(settings, user["email"], i18n.t("password.mail_subject", lang),
                    i18n.t("password.mail_body", lang, link=link, minutes=TOKEN_MINUTES))


# --- Pages -------------------------------------------------------------------------------------

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


@get("/password/forgot", include_in_schema=False, opt={"public": True})
async def forgot_page(request: Request) -> Any:
    return page(request, "password_forgot.html", sent=False, email="", error=None)


@post("/password/forgot", include_in_schema=False, opt={"public": True})
async def forgot_submit(request: Request, settings: Settings, data: Form) -> Any:
    email = str(data.get("email") or "").strip()[:254]
    if "@" not in email:
        return page(request, "password_forgot.html", status_code=400, sent=False, email=email, error="field.email")
    await check_password_reset(email, request.client.host if request.client else "unknown")
    issued = await request_reset(email)
    response = page(request, "password_forgot.html", sent=True, email="", error=None)
    if issued:
        response.background = BackgroundTask(_send_link, settings, *issued)
    return response


@get("/password/reset", include_in_schema=False, opt={"public": True})
async def reset_page(request: Request, token: str = "") -> Any:
    if not token or not await token_is_valid(token):
        return page(request, "password_reset.html", status_code=400, token="", error="password.link_invalid")
    return page(request, "password_reset.html", token=token, error=None)


@post("/password/reset", include_in_schema=False, opt={"public": True})
async def reset_submit(request: Request, data: Form) -> Any:
    token = str(data.get("token") or "")
    password, confirm = str(data.get("password") or ""), str(data.get("password_confirm") or "")
    problem = password_problem(password, confirm)
    if problem:
        ok = await token_is_valid(token)
        return page(request, "password_reset.html", status_code=400, token=token if ok else "",
                    error=problem if ok else "password.link_invalid")
    if not await complete_reset(token, password):
        return page(request, "password_reset.html", status_code=400, token="", error="password.link_invalid")
    return redirect(f"/login?reset=1&lang={request_lang(request)}")


route_handlers = [forgot_page, forgot_submit, reset_page, reset_submit]
