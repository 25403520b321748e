"""A small SMTP sender for the platform's own e-mails (password reset links).

``HB_SMTP_HOST`` / ``HB_SMTP_PORT`` / ``HB_MAIL_FROM`` configure it. Without a host nothing is sent
and a warning is logged (never the message itself: it may carry a secret link).
"""

import asyncio
import logging
import smtplib
from email.message import EmailMessage

from core.settings import Settings

log = logging.getLogger("hb.mail")


def _send_now(settings: Settings, message: EmailMessage) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


async def send(settings: Settings, to: str, subject: str, body: str) -> bool:
    """Send a plain-text e-mail; True when the SMTP server accepted it. Failures are logged, not
    raised: the caller's answer to the user must not depend on the mail system."""
    if not settings.smtp_host:
        log.warning("mail not sent: HB_SMTP_HOST is not set")
        return False
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        await asyncio.to_thread(_send_now, settings, message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail not sent", extra={"error": type(exc).__name__})
        return False
    return True
