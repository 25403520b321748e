"""A load of authorisations and captures against a server process, remembering every answer, so a
test can check afterwards that everything acknowledged is still there and nothing half-done is."""

import asyncio
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field

import httpx


@dataclass
class Call:
    kind: str  # authorise | capture | read
    key: str | None
    body: dict | None
    path: str
    status: int | None = None  # None: no answer (connection refused or cut)
    answer: dict | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Tally:
    calls: list[Call] = field(default_factory=list)

    def of(self, kind: str, status: int | None = ...) -> list[Call]:
        return [c for c in self.calls if c.kind == kind and (status is ... or c.status == status)]

    def acknowledged_authorisations(self) -> list[dict]:
        return [c.answer for c in self.of("authorise", 201) if c.answer["status"] == "approved"]

    def acknowledged_captures(self) -> list[dict]:
        return [c.answer for c in self.of("capture", 200)]

    def statuses(self) -> dict:
        out: dict = {}
        for c in self.calls:
            out[c.status] = out.get(c.status, 0) + 1
        return out


async def send(client: httpx.AsyncClient, call: Call, api_key: str, tally: Tally) -> Call:
    headers = {"Authorization": f"Bearer {api_key}"}
    if call.key:
        headers["Idempotency-Key"] = call.key
    tally.calls.append(call)
    try:
        if call.body is None and call.kind == "read":
            r = await client.get(call.path, headers=headers)
        else:
            r = await client.post(call.path, json=call.body, headers=headers)
    except httpx.TransportError:
        return call
    call.status = r.status_code
    call.headers = dict(r.headers)
    try:
        call.answer = r.json()
    except json.JSONDecodeError:
        call.answer = {"raw": r.text[:200]}
    return call


async def money_load(url: str, api_key: str, card: str, listing: str, *, stop: asyncio.Event, tally: Tally,
                     concurrency: int = 8, pause: float = 0.0) -> None:
    """Each worker: authorise a small amount (with its own Idempotency-Key), capture most of an
    approved one, read it back — until ``stop`` is set."""
    run = uuid.uuid4().hex[:6]
    amounts = itertools.cycle([300, 700, 1100, 1500])
    async with httpx.AsyncClient(base_url=url, timeout=20) as client:

        async def worker(n: int) -> None:
            for i in itertools.count():
                if stop.is_set():
                    return
                amount = next(amounts)
                auth = await send(client, Call("authorise", f"{run}-{n}-{i}", {
                    "card_token": card, "amount_cents": amount, "listing_id": listing}, "/api/v1/authorizations"),
                    api_key, tally)
                if auth.status is None:
                    await asyncio.sleep(0.05)
                elif auth.status == 201 and auth.answer.get("status") == "approved" and not stop.is_set():
                    aid = auth.answer["id"]
                    await send(client, Call("capture", f"{run}-{n}-{i}-c", {"amount_cents": amount - 100},
                                            f"/api/v1/authorizations/{aid}/capture"), api_key, tally)
                    await send(client, Call("read", None, None, f"/api/v1/authorizations/{aid}"), api_key, tally)
                if pause:
                    await asyncio.sleep(pause)

        await asyncio.gather(*(worker(n) for n in range(concurrency)))


async def replay_unanswered(url: str, api_key: str, tally: Tally) -> Tally:
    """Send again, with the same Idempotency-Key and body, every money call that got no success."""
    again = Tally()
    async with httpx.AsyncClient(base_url=url, timeout=20) as client:
        for call in list(tally.calls):
            if call.kind in ("authorise", "capture") and call.status not in (200, 201):
                await send(client, Call(call.kind, call.key, call.body, call.path), api_key, again)
    return again


async def wait_until_ok(url: str, path: str = "/health", timeout: float = 30) -> float:
    started = time.monotonic()
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        while time.monotonic() - started < timeout:
            try:
                if (await client.get(path)).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url}{path} did not recover within {timeout}s")
