"""schemathesis against the whole OpenAPI document (issue 7, acceptance 2), as anonymous and as
signed-in roles (sessions and API keys), against a server process on the test's database: no 5xx,
and every answer conforms to the document (body schema and content type). Bounded in time.

A finding that cannot be fixed at once goes into KNOWN below (route, what happens), so the run
stays green for everything else and fails on anything new; a KNOWN entry that no longer happens is
reported so it can be removed.
"""

import asyncio
import os
import time
from collections import defaultdict

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable

from core import identity
from tests.hardening.world import Server

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import checks as st_checks  # noqa: E402

BUDGET_S = float(os.environ.get("HB_SCHEMATHESIS_SECONDS", "8"))
EXAMPLES = 4
CHECKS = [st_checks.not_a_server_error, st_checks.response_schema_conformance, st_checks.content_type_conformance]
# "METHOD /path": the known finding, until it is fixed.
KNOWN: dict[str, str] = {}


def _roles(W: dict, world_keys: dict) -> dict[str, dict]:
    return {
        "anonymous": {},
        "provider_key": {"headers": {"Authorization": f"Bearer {world_keys['provider']}"}},
        "organiser_key": {"headers": {"Authorization": f"Bearer {world_keys['organiser']}"}},
        **{role: {"cookies": {identity.SESSION_COOKIE: token}} for role, token in W["sessions"].items()},
    }


async def _world(db) -> tuple[dict, dict]:
    from tests.hardening.roles import matrix_document
    from core.identity import Actor
    from hb import wiring

    result = await wiring.import_document(matrix_document(), actor=Actor(role="platform_admin", display_name="setup"),
                                          settings=db.settings)
    refs = result["refs"]
    sessions = {}
    for role, scope in {"client": {"client_id": refs["cli-a1"]}, "counsellor": {"organiser_id": refs["org-a"]},
                        "organiser_admin": {"organiser_id": refs["org-a"]}, "provider_staff": {"provider_id": refs["prov-a"]},
                        "platform_admin": {}}.items():
        uid = await identity.create_user(email=f"st-{role}@test.example", display_name=role, role=role, **scope)
        sessions[role] = await identity.start_session(uid, 2)
    keys = {"provider": result["api_keys"]["prov-a"],
            "organiser": (await identity.create_api_key(organiser_id=refs["org-a"], label="st"))[1]}
    return {"sessions": sessions, "refs": refs}, keys


def _run(schema, base_url: str, roles: dict[str, dict]) -> tuple[list[str], dict, int]:
    """Every operation as every role, one generated case each first (so all of the document is
    always exercised, however slow the machine); then more cases per operation and role, round by
    round with other seeds, while the time budget lasts."""
    failures: list[str] = []
    seen: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + BUDGET_S
    session = requests.Session()
    operations = [r.ok() for r in schema.get_all_operations()]

    def probe_all(examples: int, round_: int) -> None:
        for operation in operations:
            label = f"{operation.method.upper()} {operation.path}"
            for role, auth in roles.items():
                if round_ and time.monotonic() > deadline:
                    return

                @given(case=operation.as_strategy())
                @settings(max_examples=examples, deadline=None, database=None, derandomize=not round_,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                @seed(round_)
                def probe(case):
                    if round_ and time.monotonic() > deadline:
                        return
                    response = case.call(base_url=base_url, session=session, headers=auth.get("headers"),
                                         cookies=auth.get("cookies"), timeout=15)
                    seen[label] += 1
                    try:
                        case.validate_response(response, checks=CHECKS)
                    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - recorded, not shrunk: bounded run
                        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                        failures.append(f"{label} as {role}: {response.status_code} {first}\n    {case.as_curl_command()}")

                try:
                    probe()
                except Unsatisfiable:
                    pass

    probe_all(1, 0)
    for round_ in range(1, EXAMPLES):
        if time.monotonic() > deadline:
            break
        probe_all(1, round_)
    return failures, dict(seen), len(operations)


async def test_schemathesis_finds_no_server_error_and_no_schema_violation(db):
    W, keys = await _world(db)
    async with Server(db.settings, HB_API_RATE_PER_KEY="0", HB_API_RATE_PER_ADDRESS="0",
                      HB_STRIPE_WEBHOOK_SECRET="whsec_schemathesis") as server:
        schema = schemathesis.openapi.from_url(server.url + "/schema/openapi.json")
        failures, seen, total = await asyncio.to_thread(_run, schema, server.url, _roles(W, keys))
    print(f"schemathesis: {sum(seen.values())} requests over {len(seen)} of {total} operations, "
          f"{len(failures)} failure(s)")
    assert sum(seen.values()) >= total * 3
    assert len(seen) == total, f"only {len(seen)} of {total} operations were exercised"
    unexpected = [f for f in failures if f.split(" as ")[0] not in KNOWN]
    assert not unexpected, f"{len(unexpected)} failure(s):\n" + "\n".join(dict.fromkeys(unexpected))
