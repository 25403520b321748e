"""Issue 15, acceptance 1: every page each kind of person reaches from their menus and links, on the
demo data, in Debian Chromium at 390 px (a phone) and 1280 px: the page never scrolls sideways, no
internal name shows (a message key such as ``voucher.nav.budget``, an event such as
``provider_approval.imported`` or a category code such as ``sport-riding``), and axe-core finds no WCAG 2.1 AA violation.

The crawl follows the links of the pages themselves, as a person would, one page per kind of address
(``/counsellor/clients/{id}`` once, whichever client), and never submits a form. The server is
`hb serve` on a database `hb demo` filled (SQLite: the layout does not depend on the database).
"""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hb.demo import DEMO_USERS, build_demo_document
from tests.browser.conftest import CHROMIUM, assert_accessible

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
PAGES_PER_PERSON = 40
# Where a crawl does not go: files (CSV, an evidence document's download), other apps, API answers,
# the sign-out, and links that change the language (each page is checked in Finnish; the catalogues
# are checked for all three elsewhere).
SKIP = re.compile(r"^/(static|admin/raw|api/|logout|schema)|\.csv|/export/|^/provider/documents/[0-9a-f-]{36}$"
                  r"|[?&]lang=|[?&]format=")
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<=/)\d+(?=/|$)")
# An internal name in the page's text: dotted lower-case words with at least one underscore or three
# parts (``admin.caseload.count``, ``listing_review.request_changes``) — not an e-mail or a host.
INTERNAL = re.compile(r"(?<![\w@/.-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)*\.[a-z][a-z0-9_]*(?![\w@/-])")


# A category's code ("sport-riding") is internal too: pages name categories in words.
CATEGORY_CODE = re.compile(r"(?<![\w/-])(" + "|".join(re.escape(c["ref"]) for c in build_demo_document()["categories"])
                           + r")(?![\w-])")


def _looks_internal(word: str) -> bool:
    if re.search(r"\.(example|fi|com|org|net|json|csv|pdf|png|jpg|html)$", word) or "@" in word:
        return False
    return "_" in word or word.count(".") >= 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    data = tmp_path_factory.mktemp("every-page")
    env = {**os.environ, "HB_DATA_DIR": str(data), "HB_SECRET_KEY": "every-page-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    env.pop("HB_DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "hb.cli", "demo"], env=env, check=True, capture_output=True, timeout=300)
    port = _free_port()
    log = open(Path(data) / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "hb.cli", "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


# A page may show another view by ``?kind=`` (the organiser's disputes: bookings or card payments):
# each view is a page of its own.
VIEW = re.compile(r"[?&](kind=[a-z_]+)")


def _address_kind(path: str) -> str:
    address = path.split("#")[0]
    view = VIEW.search(address)
    return ID.sub("{id}", address.split("?")[0]) + (f"?{view.group(1)}" if view else "")


# One person per role: the second admin of a county sees the same pages as the first.
ONE_PER_ROLE = list({u["role"]: u for u in reversed(DEMO_USERS)}.values())


@pytest.mark.parametrize("user", ONE_PER_ROLE, ids=[u["role"] + "-" + u["email"].split("@")[0] for u in ONE_PER_ROLE])
async def test_every_page_fits_a_phone_says_things_in_words_and_passes_axe(demo_server, browser, user):
    context = await browser.new_context(viewport={"width": WIDTHS[0], "height": 800}, locale="fi-FI")
    page = await context.new_page()
    await page.goto(demo_server + "/login?lang=fi")
    await page.fill("#f-email", user["email"])
    await page.fill("#f-password", user["password"])
    await page.click("main form button[type=submit]")
    await page.wait_for_load_state()
    assert "/login" not in page.url, f"{user['email']} could not sign in"

    problems: list[str] = []
    seen: set[str] = set()
    queue = ["/", await page.evaluate("location.pathname")]
    visited = 0
    while queue and visited < PAGES_PER_PERSON:
        path = queue.pop(0)
        kind = _address_kind(path)
        if kind in seen:
            continue
        seen.add(kind)
        visited += 1
        response = await page.goto(demo_server + path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: status {response.status if response else 'none'}")
            continue
        for width in WIDTHS:
            await page.set_viewport_size({"width": width, "height": 800})
            overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                problems.append(f"{path} at {width} px: scrolls sideways by {overflow} px")
            try:
                await assert_accessible(page)
            except AssertionError as exc:
                problems.append(f"at {width} px: {exc}")
        text = await page.evaluate("document.body.innerText")
        internal = sorted({w for w in INTERNAL.findall(text) if _looks_internal(w)} | set(CATEGORY_CODE.findall(text)))
        if internal:
            problems.append(f"{path}: internal names shown: {', '.join(internal[:5])}")
        await page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        links = await page.evaluate("Array.from(document.querySelectorAll('main a[href], nav a[href]'))"
                                    ".map(a => a.getAttribute('href'))")
        for link in links:
            if link and link.startswith("/") and not SKIP.search(link) and _address_kind(link) not in seen:
                queue.append(link.split("#")[0])
    await context.close()
    assert visited >= 4, f"only {visited} pages reached: {sorted(seen)}"
    assert not problems, "\n".join(problems)
