"""Runs the test OpenID provider (tests/oidc/provider.mjs, npm's oidc-provider under the machine's
Node.js) for the e-ID tests, and walks its sign-in like a browser.

Node missing → the e-ID tests skip with a clear message, except under CI=true, where they fail.
``node_modules`` missing → ``npm ci`` from the committed lock file (once, under a file lock so
parallel test workers install once).
"""

import fcntl
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from joserfc.jwk import KeySet, RSAKey

HERE = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() == "true"
NATIONAL_ID_CLAIM = "urn:oid:1.2.246.21"


def require_node() -> str:
    node = shutil.which("node")
    if node is None:
        message = ("Node.js is not installed: the e-ID tests need it to run the test OpenID provider "
                   "(npm's oidc-provider; install nodejs and npm)")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        with open(HERE / ".npm-install.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (HERE / "node_modules" / "oidc-provider").is_dir():
                npm = shutil.which("npm")
                if npm is None:
                    pytest.fail("npm is missing: it installs the test OpenID provider (tests/oidc/package-lock.json)")
                done = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], check=False, cwd=HERE, capture_output=True, text=True)
                if done.returncode != 0:
                    pytest.fail(f"npm ci in tests/oidc failed:\n{done.stderr[-2000:]}")
    return node


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rsa_key(kid: str, use: str, alg: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": use, "alg": alg})


def platform_jwks(path: Path) -> KeySet:
    """The platform's private keys (HB_OIDC_JWKS_FILE): one signs, one decrypts."""
    keys = KeySet([rsa_key("hb-sig-1", "sig", "RS256"), rsa_key("hb-enc-1", "enc", "RSA-OAEP-256")])
    path.write_text(json.dumps(keys.as_dict(private=True)))
    return keys


class TestProvider:
    """One running provider (one issuer). ``rotate()`` restarts it on the same address with a new
    signing key, as an identity provider rotating its keys would."""

    __test__ = False

    def __init__(self, workdir: Path, *, client_id: str, client_keys: KeySet, redirect_uri: str) -> None:
        self.workdir = workdir
        self.client_id = client_id
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.persons_file = workdir / f"persons-{self.port}.json"
        self.persons_file.write_text("{}")
        self.config_file = workdir / f"provider-{self.port}.json"
        self.client_keys = client_keys
        self.redirect_uri = redirect_uri
        self.generation = 0
        self.process: subprocess.Popen | None = None

    def add_person(self, account_id: str, **claims) -> None:
        persons = json.loads(self.persons_file.read_text())
        persons[account_id] = claims
        self.persons_file.write_text(json.dumps(persons))

    def _write_config(self) -> None:
        self.generation += 1
        signing = rsa_key(f"op-sig-{self.generation}", "sig", "RS256")
        public_client = {"keys": [k.as_dict(private=False) for k in self.client_keys]}
        self.config_file.write_text(json.dumps({
            "port": self.port,
            "jwks": {"keys": [signing.as_dict(private=True)]},
            "clients": [{"client_id": self.client_id, "jwks": public_client, "redirect_uris": [self.redirect_uri]}],
            "persons_file": str(self.persons_file),
            "national_id_claim": NATIONAL_ID_CLAIM,
        }))

    def start(self) -> "TestProvider":
        node = require_node()
        self._write_config()
        self.process = subprocess.Popen([node, str(HERE / "provider.mjs"), str(self.config_file)], cwd=HERE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("READY"):
            self.stop()
            pytest.fail(f"the test OpenID provider did not start: {line}{self.process.stderr.read()[-2000:]}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.issuer + "/.well-known/openid-configuration", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        pytest.fail("the test OpenID provider does not answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdout, self.process.stderr):
                if stream:
                    stream.close()
            self.process = None

    def rotate(self) -> None:
        self.stop()
        self.start()


async def authenticate(authorization_url: str, person: str, base_url: str) -> str:
    """At the provider, as the person's browser: open the authorisation URL, name the person on the
    login page, and follow the provider until it sends the browser back to the platform. Returns
    that redirect (the platform's callback URL with its code and state)."""
    async with httpx.AsyncClient(timeout=10) as browser:
        response = await browser.get(authorization_url)
        for _ in range(10):
            if response.status_code in (302, 303):
                location = str(response.headers["location"])
                if location.startswith(base_url):
                    return location
                response = await browser.get(httpx.URL(str(response.url)).join(location))
            elif response.status_code == 200 and "/interaction/" in str(response.url):
                action = str(response.url).rstrip("/") + "/login"
                response = await browser.post(action, data={"person": person})
            else:
                raise AssertionError(f"provider answered {response.status_code}: {response.text[:500]}")
        raise AssertionError("the provider never sent the browser back")


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
