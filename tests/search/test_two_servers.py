"""Two server processes on one data directory and one database search the same embedded index:
they answer alike, and a listing approved through one is found through the other within a second
(one of them holds the index's writer lock and drains the outbox, the other only reads)."""

import asyncio
import time

import httpx

from tests.hardening.world import Server
from tests.search.test_sync_and_api import _approved_listing
from tests.world import seed_catalogue


async def _results(client: httpx.AsyncClient, **params) -> dict:
    r = await client.get("/api/v1/search/listings", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    body.pop("took_ms", None)
    return body


async def test_two_servers_on_one_data_directory_answer_alike_and_see_each_others_approvals(db):
    refs = await seed_catalogue()
    one, other = Server(db.settings), Server(db.settings)
    try:
        await asyncio.gather(one.start(), other.start())
        async with httpx.AsyncClient(base_url=one.url, timeout=30) as first, \
                httpx.AsyncClient(base_url=other.url, timeout=30) as second:
            assert (await _results(second, q="ratsastusterapia"))["total"] == 0
            _, listing, _ = await _approved_listing(first, refs)
            approved = time.monotonic()
            while True:
                found = await _results(second, q="ratsastusterapia")
                if [h["id"] for h in found["hits"]] == [listing["id"]]:
                    break
                assert time.monotonic() - approved < 1.0, "not found through the other server within a second"
                await asyncio.sleep(0.02)
            for params in ({"q": "ratsastusterapia"}, {"q": "ratsastus", "municipality": "Nurmijärvi"},
                           {"q": "ratsastsu"}, {}, {"q": "ei mitään tällaista"}):
                assert await _results(first, **params) == await _results(second, **params), params
    finally:
        one.stop()
        other.stop()
