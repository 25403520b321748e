"""Fixtures of the hardening tests: an HTTP client for an app built with settings of the test's own
(SMTP server, HTTPS), and a real local SMTP server that keeps what it receives."""

import asyncio
import contextlib
import email
import socket

import pytest
import pytest_asyncio


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    async def wait_for(self, count: int, timeout: float = 5.0) -> list:
        for _ in range(int(timeout / 0.05)):
            if len(self.messages) >= count:
                return self.messages
            await asyncio.sleep(0.05)
        raise AssertionError(f"expected {count} e-mail(s), got {len(self.messages)}")


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def make_client(db):
    """``await make_client(address=..., **settings overrides)`` → an httpx client on a running app."""
    import httpx
    import msgspec

    from hb.app import create_app
    from tests.conftest import Lifespan

    stack = contextlib.AsyncExitStack()

    async def make(address: str = "127.0.0.1", app=None, **overrides):
        """A new app (with ``overrides`` to its settings), or another client of ``app``."""
        if app is None:
            settings = msgspec.structs.replace(db.settings, **overrides)
            app = create_app(settings, engine=db.engine, run_workers=False)
            await stack.enter_async_context(Lifespan(app))
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://testserver.local"))
        client.app = app
        return client

    async with stack:
        yield make
