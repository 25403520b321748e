"""The notification outbox: in-app messages and e-mail about bookings (and a few about accounts).

A booking's change and its notifications are written in one transaction (``enqueue`` joins the
caller's), so nobody is told about a change that did not happen, and no change goes untold. The
sender (a background worker, ``send_pending``) e-mails rows whose ``email_status`` is ``pending``
through the SMTP server in ``Settings.smtp_host``/``smtp_port``/``mail_from``, claiming each row
first by a conditional update so two workers never send one message twice; a failed send is tried
again with a growing pause, and marked ``failed`` after ``MAX_ATTEMPTS``.
"""

import asyncio
import datetime as dt
import json
import logging
from typing import Any

import msgspec

from core import i18n, mail
from core.clock import utcnow
from core.errors import NotFound, Unauthenticated
from core.identity import Actor, UserBrief
from core.ids import require_uuid
from core.settings import Settings
import marketplace.booking.payment_messages  # noqa: F401 - the card-payment messages' texts
import marketplace.messages  # noqa: F401 - the texts the messages share (notify.reason_line, …)
from marketplace.booking.schemas import NotificationPage, NotificationRead
from marketplace.booking.tables import Notification

log = logging.getLogger("hb.notifications")

KINDS = ("requested", "confirmed", "declined", "delivered", "awaiting_confirmation", "completed", "disputed",
         "resolved", "cancelled", "no_show")
# Messages that are not about a booking (``notify_user``): their params may carry a ``path`` on this
# platform, shown in the app as a link and written out in full (HB_BASE_URL) in the e-mail. The
# card-payment kinds come from voucher.disputes.notice, the plan's follow-up reminder from voucher.plan_tasks,
# ``client_message`` (a new message in the client's thread, never its text) from voucher.support.thread,
# ``questionnaire_due`` (a questionnaire to fill, nothing of its answers) from voucher.evaluation.reminders.
USER_KINDS = ("account_exists", "approval_decided", "card_captured", "booking_captured", "card_disputed",
              "card_dispute_resolved", "plan_follow_up", "client_message", "evidence_expiring", "evidence_expired",
              "questionnaire_due")
MAX_ATTEMPTS = 5
SEND_EVERY_S = 5
# A row claimed for sending and not finished by then (the worker died) is tried again.
CLAIM_LEASE = dt.timedelta(minutes=5)


def booking_params(booking: dict, base_url: str = "", **extra: Any) -> dict:
    """What every message about a booking may say (no client data beyond the pseudonym)."""
    starts = booking["starts_at"]
    return {
        "booking_id": str(booking["id"]),
        "title": booking["title"] if isinstance(booking["title"], dict) else {},
        "starts_at": starts.isoformat() if hasattr(starts, "isoformat") else str(starts),
        "amount_cents": int(booking["amount_cents"]),
        "client": booking.get("client_label") or "",
        "link": f"{base_url.rstrip('/')}/bookings/{booking['id']}",
        **extra,
    }


async def enqueue(kind: str, booking: dict, users: list[UserBrief], *, base_url: str = "", now: dt.datetime | None = None,
                  **extra: Any) -> int:
    """One message of ``kind`` to each user (once each), in the caller's transaction."""
    params = booking_params(booking, base_url, **extra)
    seen: set[str] = set()
    rows = []
    for user in users:
        if user.id in seen:
            continue
        seen.add(user.id)
        rows.append(Notification(user_id=user.id, email=user.email or "", lang=user.language or "fi", kind=kind,
                                 booking_id=booking["id"], params=params, created_at=now or utcnow(),
                                 email_status="pending" if user.email else "none"))
    if rows:
        await Notification.insert(*rows).run()
    return len(rows)


async def notify_user(kind: str, user: dict, params: dict, *, now: dt.datetime | None = None) -> None:
    """One message of ``kind`` that is not about a booking to one user (``user``: id, email,
    language), in the caller's transaction; ``params`` fill its text."""
    await Notification.insert(Notification(
        user_id=user["id"], email=user["email"] or "", lang=user["language"] or "fi", kind=kind, params=params,
        created_at=now or utcnow(), email_status="pending" if user["email"] else "none",
    )).run()


def render(kind: str, lang: str, params: dict, base_url: str = "") -> tuple[str, str]:
    """Subject and plain-text body in ``lang``; a message's ``path`` becomes a link under
    ``base_url`` (the e-mail's; in the app the page links it)."""
    values = dict(params)
    values["title"] = i18n.pick(params.get("title") or {}, lang)
    try:
        values["when"] = i18n.local_datetime(dt.datetime.fromisoformat(params["starts_at"]), lang)
    except (KeyError, TypeError, ValueError):
        values["when"] = ""
    values["amount"] = i18n.money(params.get("amount_cents"), lang)
    if params.get("fee_cents") is not None:
        values["fee"] = i18n.money(params["fee_cents"], lang)
    if params.get("until"):
        values["until"] = i18n.local_datetime(dt.datetime.fromisoformat(params["until"]), lang)
    if params.get("outcome"):
        values["outcome"] = i18n.t(f"booking.outcome.{params['outcome']}", lang)
    if params.get("status"):  # an organiser's decision: the approval's new state, in words
        values["status"] = i18n.t(f"status.{params['status']}", lang).lower()
    if params.get("what"):
        values["what"] = i18n.t(f"notify.what.{params['what']}", lang)
    values["reason_line"] = i18n.t("notify.reason_line", lang, reason=params["reason"]) if params.get("reason") else ""
    if params.get("refund_cents") is not None:
        values["refund"] = i18n.money(params["refund_cents"], lang)
    if params.get("decision"):  # an organiser's decision on a disputed card payment, in words
        values["decision"] = i18n.t(f"notify.decision.{params['decision']}", lang, refund=values.get("refund", ""))
    values["title_part"] = i18n.t("notify.title_part", lang, title=values["title"]) if values["title"] else ""
    values["client_line"] = i18n.t("notify.client_line", lang, client=params["client"]) if params.get("client") else ""
    subject = i18n.t(f"notify.{kind}.subject", lang, **values)
    body = i18n.t(f"notify.{kind}.body", lang, **values)
    if params.get("path"):
        return subject, body + "\n\n" + i18n.t("notify.path_link", lang, link=base_url.rstrip("/") + params["path"])
    if "link" not in params:  # not about a booking: its text carries its own links
        return subject, body
    return subject, body + "\n\n" + i18n.t("notify.link", lang, **values)


async def inbox(actor: Actor, lang: str, *, page: int = 1, per_page: int = 20, unread_only: bool = False) -> NotificationPage:
    if actor.is_anonymous or not actor.user_id:
        raise Unauthenticated()
    where = Notification.user_id == actor.user_id
    if unread_only:
        where &= Notification.read_at.is_null()
    total = await Notification.count().where(where).run()
    unread = await Notification.count().where((Notification.user_id == actor.user_id) & Notification.read_at.is_null()).run()
    rows = await Notification.select().where(where).order_by(Notification.created_at, ascending=False).limit(
        per_page).offset((page - 1) * per_page).output(load_json=True).run()
    items = []
    for row in rows:
        params = row["params"] or {}
        subject, body = render(row["kind"], lang, params)
        items.append(msgspec.convert({**row, "subject": subject, "body": body, "read": row["read_at"] is not None,
                                      "path": params.get("path")}, NotificationRead, strict=False))
    return NotificationPage(items=items, total=total, unread=unread, page=page, per_page=per_page)


async def mark_read(actor: Actor, notification_id: Any | None, now: dt.datetime) -> int:
    """Mark one of the actor's messages (or all of them, with None) read."""
    if actor.is_anonymous or not actor.user_id:
        raise Unauthenticated()
    where = (Notification.user_id == actor.user_id) & Notification.read_at.is_null()
    if notification_id is not None:
        where &= Notification.id == require_uuid(notification_id)
    rows = await Notification.update({Notification.read_at: now}).where(where).returning(Notification.id).run()
    if notification_id is not None and not rows:
        exists = await Notification.exists().where(
            (Notification.id == require_uuid(notification_id)) & (Notification.user_id == actor.user_id)).run()
        if not exists:
            raise NotFound()
    return len(rows)


async def send_pending(settings: Settings, now: dt.datetime | None = None, limit: int = 50) -> int:
    """E-mail what is waiting; returns how many were sent. Without an SMTP host nothing is tried
    (messages wait, in-app they are there already)."""
    if not settings.smtp_host:
        return 0
    now = now or utcnow()
    due = (
        ((Notification.email_status == "pending") & (Notification.next_attempt_at.is_null() | (Notification.next_attempt_at <= now)))
        | ((Notification.email_status == "sending") & (Notification.next_attempt_at <= now))
    )
    candidates = await Notification.select(Notification.id).where(due).order_by(Notification.created_at).limit(limit).run()
    sent = 0
    for candidate in candidates:
        claimed = await Notification.update(
            {Notification.email_status: "sending", Notification.attempts: Notification.attempts + 1,
             Notification.next_attempt_at: now + CLAIM_LEASE}
        ).where((Notification.id == candidate["id"]) & due).returning(
            Notification.id, Notification.email, Notification.lang, Notification.kind, Notification.params,
            Notification.attempts,
        ).run()
        if not claimed:
            continue  # another worker has it
        row = claimed[0]
        params = row["params"]
        if isinstance(params, str):
            params = json.loads(params)
        subject, body = render(row["kind"], row["lang"], params or {}, settings.base_url)
        ok = await mail.send(settings, row["email"], subject, body)
        if ok:
            sent += 1
            values = {Notification.email_status: "sent", Notification.sent_at: utcnow(), Notification.last_error: ""}
        elif row["attempts"] >= MAX_ATTEMPTS:
            values = {Notification.email_status: "failed", Notification.last_error: "smtp"}
        else:
            values = {Notification.email_status: "pending", Notification.last_error: "smtp",
                      Notification.next_attempt_at: now + dt.timedelta(seconds=30 * 2 ** row["attempts"])}
        await Notification.update(values).where(Notification.id == row["id"]).run()
    return sent


async def sender(app, settings: Settings) -> None:
    """The background worker that empties the e-mail outbox."""
    while True:
        try:
            await send_pending(settings)
        except Exception:  # noqa: BLE001 - keep sending; the next round retries
            log.exception("notification sending failed")
        await asyncio.sleep(SEND_EVERY_S)
