"""Fixtures of the e-ID tests: two running test OpenID providers per test worker (the clients'
e-ID issuer and a county's staff issuer), the platform's keys, and the app configured for them,
served to an HTTP client at http://testserver.local (the redirect URI both providers know)."""

import httpx
import msgspec
import pytest
import pytest_asyncio

from core import oidc
from tests.conftest import Lifespan
from tests.oidc.harness import TestProvider, platform_jwks

BASE_URL = "http://testserver.local"
REDIRECT_URI = BASE_URL + "/login/eid/callback"


@pytest.fixture(scope="session")
def oidc_world(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("oidc")
    jwks_file = workdir / "platform-jwks.json"
    keys = platform_jwks(jwks_file)
    eid = TestProvider(workdir, client_id="hb-eid", client_keys=keys, redirect_uri=REDIRECT_URI).start()
    staff = TestProvider(workdir, client_id="hb-staff", client_keys=keys, redirect_uri=REDIRECT_URI).start()
    yield {"workdir": workdir, "jwks_file": jwks_file, "keys": keys, "eid": eid, "staff": staff}
    eid.stop()
    staff.stop()
    oidc.forget_cached()


def eid_settings(settings, world, eid: TestProvider | None = None):
    eid = eid or world["eid"]
    return msgspec.structs.replace(
        settings, base_url=BASE_URL, oidc_issuer=eid.issuer, oidc_client_id=eid.client_id,
        oidc_jwks_file=str(world["jwks_file"]), oidc_staff_issuer=world["staff"].issuer,
        oidc_staff_client_id=world["staff"].client_id)


async def serve(app):
    """An HTTP client of ``app`` as a browser at BASE_URL (cookies kept per client)."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    return httpx.AsyncClient(transport=transport, base_url=BASE_URL)


@pytest_asyncio.fixture(loop_scope="session")
async def eid_app(db, oidc_world, worker_state):
    """The app with e-ID configured, built once per worker and database kind (as tests/conftest.py's
    ``app``); every test still runs its whole lifespan."""
    from hb.app import create_app

    apps = worker_state.setdefault("eid_apps", {})
    cached = apps.get(db.kind)
    if cached is None or cached[1] is not db.engine:
        cached = apps[db.kind] = (create_app(eid_settings(db.settings, oidc_world), engine=db.engine), db.engine)
    async with Lifespan(cached[0]):
        yield cached[0]


@pytest_asyncio.fixture(loop_scope="session")
async def browser(eid_app):
    async with await serve(eid_app) as client:
        yield client
