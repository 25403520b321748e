"""Issue 21, deliverable 4: /metrics in Prometheus's text format — the counters after known
operations over HTTP (3 approved and 2 declined authorisations with known codes, an idempotent
replay, a capture, a void, a refund), the gauges read from the database, who may scrape, and that
no label carries an id, an e-mail address or a card token."""

import datetime as dt
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import msgspec
import pytest
from prometheus_client.parser import text_string_to_metric_families

from core import db as core_db
from tests.conftest import Lifespan
from tests.voucher.vhelpers import NOW, make_world
from voucher.tables import Payout, SettlementBatch

TOKEN = "metrics-test-token-0123456789"
ROOT = Path(__file__).resolve().parents[2]


def _app(db, **overrides):
    from hb.app import create_app

    return create_app(msgspec.structs.replace(db.settings, **overrides), engine=db.engine, run_workers=False)


def samples(text: str) -> dict[tuple[str, tuple], float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client) -> dict:
    r = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return samples(r.text)


async def test_counters_after_known_operations(db):
    app = _app(db, metrics_token=TOKEN)
    app.state.clock = lambda: NOW
    w = await make_world(db.settings.secret_key)
    h = {"Authorization": f"Bearer {w.provider_key}"}
    async with Lifespan(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            before = await scrape(client)
            approved = []
            for cents in (1000, 2000, 3000):
                r = await client.post("/api/v1/authorizations", headers={**h, "Idempotency-Key": f"k-{cents}"},
                                      json={"card_token": w.token, "amount_cents": cents, "listing_id": w.listing_riding})
                assert r.status_code == 201 and r.json()["status"] == "approved", r.text
                approved.append(r.json()["id"])
            # The same request again: the first answer, and nothing counted twice.
            replay = await client.post("/api/v1/authorizations", headers={**h, "Idempotency-Key": "k-1000"},
                                       json={"card_token": w.token, "amount_cents": 1000, "listing_id": w.listing_riding})
            assert replay.json()["id"] == approved[0]
            r = await client.post("/api/v1/authorizations", headers=h,
                                  json={"card_token": w.token, "amount_cents": 100, "listing_id": w.listing_pending})
            assert r.json()["decline_code"] == "listing_not_approved"
            r = await client.post("/api/v1/authorizations", headers=h,
                                  json={"card_token": "hbc_" + uuid.uuid4().hex, "amount_cents": 100,
                                        "listing_id": w.listing_riding})
            assert r.json()["decline_code"] == "card_inactive"
            cap = await client.post(f"/api/v1/authorizations/{approved[0]}/capture", headers=h, json={"amount_cents": 900})
            assert cap.status_code == 200, cap.text
            assert (await client.post(f"/api/v1/authorizations/{approved[1]}/void", headers=h)).status_code == 200
            refund = await client.post(f"/api/v1/captures/{cap.json()['id']}/refunds", headers=h, json={"amount_cents": 400})
            assert refund.status_code == 201
            # A capture that fails (the hold is voided) counts nothing.
            assert (await client.post(f"/api/v1/authorizations/{approved[1]}/capture", headers=h,
                                      json={"amount_cents": 1})).status_code == 409
            after = await scrape(client)
            text = (await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).text

    def delta(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("hb_authorisations_total", source="api", outcome="approved", code="") == 3
    assert delta("hb_authorisations_total", source="api", outcome="declined", code="listing_not_approved") == 1
    assert delta("hb_authorisations_total", source="api", outcome="declined", code="card_inactive") == 1
    assert sum(v - value(before, n, **dict(k)) for (n, k), v in after.items() if n == "hb_authorisations_total") == 5
    assert delta("hb_holds_total", event="placed") == 3
    assert delta("hb_holds_total", event="captured") == 1
    assert delta("hb_holds_total", event="voided") == 1
    assert delta("hb_captures_total", settled_by="platform") == 1
    assert delta("hb_captured_cents_total") == 900
    assert delta("hb_refunds_total") == 1 and delta("hb_refunded_cents_total") == 400
    # Requests by route template: six POSTs answered 201 (declines and the replay too), the capture's template
    # without the id in it.
    assert delta("hb_http_requests_total", method="POST", route="/api/v1/authorizations", status="201") == 6
    assert delta("hb_http_requests_total", method="POST", route="/api/v1/authorizations/{authorization_id}/capture",
                 status="200") == 1
    assert delta("hb_http_request_duration_seconds_count", method="POST", route="/api/v1/authorizations") == 6

    # Nothing personal or typed in a label: no id, no e-mail address, no card token, no raw path.
    labels = [v for (_, items) in after for _, v in items]
    for label in labels:
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", label), label
        assert "@" not in label and "hbc_" not in label and w.token not in label, label
    assert w.client_id not in text and approved[0] not in text and w.organiser_id not in text

    # The gauges read at the scrape: the console has not applied the capture's and refund's facts
    # yet (no background work runs here), the pool is in use.
    assert value(after, "hb_outbox_waiting", outbox="facts") >= 2
    assert value(after, "hb_outbox_oldest_age_seconds", outbox="facts") >= 0
    assert ("hb_search_index_lag_seconds", ()) in after
    assert value(after, "hb_metrics_read_errors") == 0
    if db.is_postgres:
        assert value(after, "hb_db_pool_connections", pool="primary", state="max") == 20


async def test_settlement_batches_by_state_and_the_oldest_waiting(db):
    w = await make_world(db.settings.secret_key)
    now = dt.datetime.now(dt.timezone.utc)
    payout = Payout(organiser_id=uuid.UUID(w.organiser_id), method="sepa")
    await Payout.insert(payout).run()
    for day, (status, age_h) in enumerate((("closed", 30), ("closed", 2), ("produced", 5), ("paid", 100)), start=1):
        await SettlementBatch.insert(SettlementBatch(
            organiser_id=uuid.UUID(w.organiser_id), provider_id=uuid.UUID(w.provider_id), period_kind="daily",
            period_start=dt.date(2026, 3, day), period_end=dt.date(2026, 3, day), status=status, method="sepa",
            reference=f"RF{uuid.uuid4().int % 10**20:020d}", created_at=now - dt.timedelta(hours=age_h),
            payout_id=None if status == "closed" else payout.id)).run()
    app = _app(db, metrics_token=TOKEN)
    async with Lifespan(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            found = await scrape(client)
    assert [value(found, "hb_settlement_batches", state=s) for s in ("closed", "produced", "paid")] == [2, 1, 1]
    # The alert "a batch waits more than a day" reads this: the 30-hour-old closed batch.
    assert 30 * 3600 - 60 <= value(found, "hb_settlement_batch_oldest_unpaid_age_seconds") <= 30 * 3600 + 600


async def test_who_may_scrape(db):
    off = _app(db)
    token_only = _app(db, metrics_token=TOKEN)
    networks = _app(db, metrics_networks="10.0.0.0/8, 192.168.5.0/24")
    for app, address, headers, status in [
        (off, "127.0.0.1", {}, 404),  # neither setting: as a path the platform does not have
        (off, "127.0.0.1", {"Authorization": f"Bearer {TOKEN}"}, 404),
        (token_only, "127.0.0.1", {}, 401),
        (token_only, "127.0.0.1", {"Authorization": "Bearer wrong"}, 401),
        (token_only, "127.0.0.1", {"Authorization": f"Basic {TOKEN}"}, 401),
        (token_only, "10.1.2.3", {}, 401),
        (token_only, "127.0.0.1", {"Authorization": f"Bearer {TOKEN}"}, 200),
        (networks, "10.1.2.3", {}, 200),
        (networks, "192.168.5.77", {}, 200),
        (networks, "192.168.6.1", {}, 401),
        (networks, "127.0.0.1", {"Authorization": f"Bearer {TOKEN}"}, 401),
    ]:
        async with Lifespan(app):
            transport = httpx.ASGITransport(app=app, client=(address, 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                r = await client.get("/metrics", headers=headers)
        assert r.status_code == status, (address, headers, r.status_code)
        if status == 401:
            assert "hb_" not in r.text
            assert r.headers.get("www-authenticate", "").startswith("Bearer") == (app is token_only)
        if status == 200:
            assert "hb_http_requests_total" in r.text and "hb_settlement_batches" in r.text


def test_a_wrong_network_stops_the_start(tmp_path):
    from core.settings import Settings

    with pytest.raises(ValueError, match="HB_METRICS_NETWORKS"):
        Settings.from_env({"HB_DATA_DIR": str(tmp_path), "HB_SECRET_KEY": "x" * 40, "HB_METRICS_NETWORKS": "10.0.0.0/33"})


async def test_counted_only_when_committed(db):
    """A counter about money moves with the commit: a rolled-back transaction counts nothing, and a
    use case run again after a retry counts once."""
    from core import metrics

    def approved():
        return metrics.AUTHORISATIONS.labels("api", "approved", "")._value.get()

    start = approved()
    with pytest.raises(RuntimeError):
        async with core_db.write_transaction():
            metrics.authorisation("api", True, None)
            raise RuntimeError("rolled back")
    assert approved() == start
    tries = []

    async def op():
        metrics.authorisation("api", True, None)
        tries.append(1)
        if len(tries) == 1:
            raise __import__("sqlite3").OperationalError("database is locked")  # a retryable failure

    await core_db.in_write_transaction(op)
    assert len(tries) == 2 and approved() == start + 1
    async with core_db.write_transaction():
        async with core_db.write_transaction():  # nested: the outer commit counts
            metrics.authorisation("api", True, None)
        assert approved() == start + 1
    assert approved() == start + 2


def test_several_processes_are_summed(tmp_path):
    """``hb serve --workers N``: with PROMETHEUS_MULTIPROC_DIR every process's counters are in the
    scrape whichever process answers."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    count = ("from core import metrics; metrics._authorised(('api', 'declined', 'other'));"
             " metrics.request_done('GET', '/search', 200, 0.01)")
    for _ in range(3):
        subprocess.run([sys.executable, "-c", count], env=env, check=True, cwd=ROOT)
    render = ("import asyncio; from core import metrics; from core.settings import Settings;"
              " print(asyncio.run(metrics.render(Settings())).decode())")
    out = subprocess.run([sys.executable, "-c", render], env=env, check=True, cwd=ROOT, capture_output=True, text=True)
    found = samples(out.stdout)
    assert value(found, "hb_authorisations_total", source="api", outcome="declined", code="other") == 3
    assert value(found, "hb_http_requests_total", method="GET", route="/search", status="200") == 3
    assert value(found, "hb_holds_total", event="placed") == 0



async def test_alert_rules_name_metrics_the_platform_exposes(db):
    """deploy/prometheus/hb-alerts.yml: well-formed, every rule has an expression, a duration and a
    summary, and every metric a rule names is one /metrics has (the replica's two with a replica:
    tests/admin/test_reporting_replica.py reads them)."""
    import yaml

    from core import metrics

    exposed = {"hb_reporting_replica_up", "hb_reporting_replica_lag_seconds"}
    for family in metrics.REGISTRY.collect():
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}.get(family.type, ("",))
        exposed |= {family.name + s for s in suffixes}
    exposed |= {s.name for s in await metrics._read_all(msgspec.structs.replace(db.settings, smtp_host="smtp.invalid"))}
    rules = yaml.safe_load((ROOT / "deploy/prometheus/hb-alerts.yml").read_text())
    named = set()
    for group in rules["groups"]:
        for rule in group["rules"]:
            assert rule["alert"].startswith("Hb") and rule["expr"] and rule["for"] and rule["annotations"]["summary"]
            named |= set(re.findall(r"\bhb_[a-z_]+", rule["expr"]))
    assert named and named <= exposed, named - exposed
    documented = (ROOT / "docs/metrics.md").read_text()
    assert all(f"`{rule['alert']}`" in documented or f"`{rule['alert']}` /" in documented
               for group in rules["groups"] for rule in group["rules"])
