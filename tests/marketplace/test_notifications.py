"""The notification outbox: a message per booking event to the right people, in-app and by e-mail
through a real local SMTP server (aiosmtpd), each e-mail sent once, failures retried then given up."""

import datetime as dt
import socket
from email import message_from_bytes
from email.header import decode_header, make_header

import msgspec
import pytest
from aiosmtpd.controller import Controller

from core import identity
from marketplace import notifications
from marketplace.booking import services as bookings
from marketplace.booking.tables import Notification
from tests.marketplace.booking_world import NOW, SLOT_END, build, grant_proxy, request

DAY = dt.timedelta(days=1)


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


async def kinds_for(user_id: str) -> list[str]:
    rows = await Notification.select(Notification.kind).where(Notification.user_id == user_id).order_by(
        Notification.created_at).run()
    return sorted(r["kind"] for r in rows)


async def test_each_booking_event_tells_the_right_people(db):
    s = db.settings
    w = await build(s, clients=1, capacity=3)
    await grant_proxy(w, ["view", "book", "pay"])
    b1 = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, b1.id, "confirm", settings=s, now=NOW)
    await bookings.act(w.provider, b1.id, "deliver", settings=s, now=SLOT_END)
    await bookings.complete_due(s, SLOT_END + 2 * DAY + dt.timedelta(hours=1))  # less than a day left: reminder
    await bookings.complete_due(s, SLOT_END + 2 * DAY + dt.timedelta(hours=2))  # only once
    await bookings.act(w.client, b1.id, "dispute", settings=s, now=SLOT_END + 2 * DAY + dt.timedelta(hours=3),
                       reason="Ei toteutunut")
    b2 = await bookings.book(w.proxy, request(w, client_id=w.client_id), settings=s, now=NOW)
    await bookings.act(w.proxy, b2.id, "cancel", settings=s, now=NOW)

    assert await kinds_for(w.provider.user_id) == sorted(["requested", "disputed", "requested", "cancelled"])
    client_side = sorted(["confirmed", "delivered", "awaiting_confirmation"])
    assert await kinds_for(w.client.user_id) == client_side
    assert await kinds_for(w.proxy.user_id) == client_side
    assert await kinds_for(w.organiser.user_id) == ["disputed"]
    assert await kinds_for(w.counsellor.user_id) == []


async def test_the_in_app_list(db, client):
    s = db.settings
    w = await build(s)
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w.client.user_id, 1))
    listed = (await client.get("/api/v1/notifications")).json()
    assert listed["total"] == 1 and listed["unread"] == 1
    item = listed["items"][0]
    assert item["kind"] == "confirmed" and item["subject"] == "Varaus vahvistettu: Ratsastusterapia"
    assert item["booking_id"] == str(booking.id)
    assert (await client.post(f"/api/v1/notifications/{item['id']}/read", json={})).status_code == 204
    assert (await client.get("/api/v1/notifications?unread=true")).json()["total"] == 0
    # Someone else's notification is not found.
    client.cookies.set(identity.SESSION_COOKIE, await identity.start_session(w.provider.user_id, 1))
    assert (await client.post(f"/api/v1/notifications/{item['id']}/read", json={})).status_code == 404


async def test_e_mail_through_smtp_once_each(db, smtp):
    controller, inbox = smtp
    s = msgspec.structs.replace(db.settings, smtp_host="127.0.0.1", smtp_port=controller.port,
                                mail_from="hb@keusote.example")
    w = await build(s)
    booking = await bookings.book(w.client, request(w), settings=s, now=NOW)
    await bookings.act(w.provider, booking.id, "confirm", settings=s, now=NOW)
    assert await notifications.send_pending(s) == 2
    assert await notifications.send_pending(s) == 0  # nothing twice
    by_recipient = {rcpt[0]: message for rcpt, message in inbox.messages}
    assert set(by_recipient) == {"kaisa@tuulenpesa.example", "asiakas1@booking.example"}
    to_provider = by_recipient["kaisa@tuulenpesa.example"]
    assert str(make_header(decode_header(to_provider["Subject"]))) == "Uusi varauspyyntö: Ratsastusterapia"
    assert to_provider["From"] == "hb@keusote.example"
    body = to_provider.get_payload(decode=True).decode()
    assert "Asiakas 0001" in body and "75,00" in body and f"/bookings/{booking.id}" in body
    assert await Notification.count().where(Notification.email_status == "sent").run() == 2


async def test_a_failing_smtp_server_is_retried_then_given_up(db):
    s = msgspec.structs.replace(db.settings, smtp_host="127.0.0.1", smtp_port=_free_port())  # nobody listens
    w = await build(s)
    await bookings.book(w.client, request(w), settings=s, now=NOW)
    now = NOW
    assert await notifications.send_pending(s, now) == 0
    row = await Notification.select().first().run()
    assert (row["email_status"], row["attempts"]) == ("pending", 1) and row["next_attempt_at"] > now
    assert await notifications.send_pending(s, now) == 0  # not yet due again
    assert (await Notification.select().first().run())["attempts"] == 1
    for _ in range(notifications.MAX_ATTEMPTS):
        now += DAY
        await notifications.send_pending(s, now)
    row = await Notification.select().first().run()
    assert (row["email_status"], row["attempts"]) == ("failed", notifications.MAX_ATTEMPTS)


async def test_no_smtp_configured_keeps_messages_in_app(db):
    s = db.settings
    assert s.smtp_host is None
    w = await build(s)
    await bookings.book(w.client, request(w), settings=s, now=NOW)
    assert await notifications.send_pending(s) == 0
    assert await Notification.count().where(Notification.email_status == "pending").run() == 1
