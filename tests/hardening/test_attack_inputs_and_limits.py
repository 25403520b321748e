"""Issue 12, findings 6, 8 and 10: rate limits under parallel requests, the national identity number
oracle, and the low-severity inputs and limits an outside attack found (each test is named after
its finding)."""

import asyncio
import contextlib

import httpx

from core.ratelimit import MAX_PER_ACCOUNT, RESET_PER_ACCOUNT
from core.tables import PasswordReset
from tests.hardening.world import Server
from tests.helpers import make_user

# --- Finding 6: rate limits hold under parallel requests ------------------------------------------


async def _parallel(clients: list[httpx.AsyncClient], n: int, path: str, form: dict) -> list[int]:
    """``n`` form posts at once, spread over ``clients`` (one per server process)."""
    start = asyncio.Event()

    async def one(i: int) -> int:
        client = clients[i % len(clients)]
        await start.wait()
        return (await client.post(path, data=form)).status_code

    tasks = [asyncio.create_task(one(i)) for i in range(n)]
    await asyncio.sleep(0.05)
    start.set()
    return await asyncio.gather(*tasks)


async def test_finding6_login_and_reset_limits_hold_under_parallel_requests_to_two_server_processes(db):
    """25 wrong passwords at once for one account (limit 10) and 12 reset requests at once for one
    address (limit 3), sent to two server processes on the same database: the limits hold, because
    each attempt is counted and claimed atomically in the database."""
    user = await make_user("client", email="kohde@test.example")
    async with contextlib.AsyncExitStack() as stack:
        servers = [await stack.enter_async_context(Server(db.settings)) for _ in range(2)]
        limits = httpx.Limits(max_connections=50)
        clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=s.url, timeout=60, limits=limits))
                   for s in servers]
        await clients[0].get("/login")
        token = clients[0].cookies["hb_csrf"]  # signed with the shared secret: good on both servers
        for client in clients[1:]:
            client.cookies.set("hb_csrf", token)

        logins = await _parallel(clients, 25, "/login", {"email": user["email"], "password": "väärä salasana",
                                                           "_csrf_token": token})
        assert sorted(logins) == [400] * MAX_PER_ACCOUNT + [429] * (25 - MAX_PER_ACCOUNT), logins

        # The account's window is full: the right password waits too.
        right = await clients[1].post("/login", data={"email": user["email"], "password": user["password"],
                                                      "_csrf_token": token})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0

        resets = await _parallel(clients, 12, "/password/forgot", {"email": user["email"], "_csrf_token": token})
        assert sorted(resets) == [200] * RESET_PER_ACCOUNT + [429] * (12 - RESET_PER_ACCOUNT), resets
    assert await PasswordReset.count().where(PasswordReset.user_id == user["id"]).run() == RESET_PER_ACCOUNT
