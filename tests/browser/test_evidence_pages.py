"""Issue 18, part 3 in Debian Chromium (axe-core at 390 px and 1280 px, no sideways scrolling): the
provider's staff upload a liability insurance document with its dates on /provider/documents, see
it listed with the approval's validity, and /provider says why an expired approval ended.

SQLite only: the HTTP tests of the same routes (tests/marketplace/test_documents.py) run on both.
Screenshots go to ``HB_SCREENSHOTS`` when it is set (else the test's temporary directory).
"""

import datetime as dt
import os
from pathlib import Path

import pytest
import pytest_asyncio

from marketplace.tables import ServiceCategory
from tests import world
from tests.browser.conftest import CHROMIUM, _seed, fits_and_passes_axe
from tests.browser.test_client_journey import MONDAY, PASSWORD, InProcessServer, _signed_in
from tests.hardening.world import document

pytestmark = pytest.mark.browser


async def _seed_world(seeded: dict, settings) -> None:
    refs = (await world.load(document(), settings))["refs"]
    await ServiceCategory.update({ServiceCategory.requirements: ["liability_insurance", "professional_qualification"]}).where(
        ServiceCategory.code == "sport-riding").run()
    await world.person("provider_staff", "talli@evidence.example", name="Kaisa Talli", password=PASSWORD,
                       provider_id=refs["prov-a"])
    seeded.update(refs)


@pytest_asyncio.fixture(loop_scope="session")
async def evidence_server(tmp_path):
    from core.settings import Settings

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (the test command does it)")
    env = {"HB_DATA_DIR": str(tmp_path / "data"), "HB_SECRET_KEY": "evidence-pages-secret-" + "x" * 30,
           "HB_LOG_LEVEL": "WARNING"}
    seeded: dict = {}
    settings = Settings.from_env(env)
    await _seed(env, lambda: _seed_world(seeded, settings))
    server = InProcessServer(settings, MONDAY)
    server.start()
    yield server, tmp_path
    server.stop()


async def test_the_provider_uploads_a_document_with_dates_and_sees_its_validity(evidence_server, browser):
    server, tmp = evidence_server
    shots = Path(os.environ.get("HB_SCREENSHOTS") or tmp / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    pdf = tmp / "vakuutus.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    context, page = await _signed_in(browser, server.url, "talli@evidence.example")
    await page.goto(server.url + "/provider")
    await page.get_by_role("link", name="Asiakirjat ja voimassaolo").click()
    await page.get_by_label("Vaatimus").select_option("liability_insurance")
    await page.get_by_label("Tiedosto").set_input_files(str(pdf))
    await page.get_by_label("Voimassa alkaen").fill("2026-01-01")
    until = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    await page.get_by_label("Voimassa asti").fill(until)
    await page.get_by_role("button", name="Lataa asiakirja").click()
    await page.wait_for_url(lambda u: "uploaded=1" in u)
    text = await page.inner_text("main")
    shown = f"{dt.date.fromisoformat(until).day}.{dt.date.fromisoformat(until).month}.{dt.date.fromisoformat(until).year}"
    assert "Asiakirja ladattu." in text and shown in text and f"hyväksyntä voimassa {shown} asti" in text
    await fits_and_passes_axe(page, shots, "provider-documents")
    # A file that is not what its name says is refused beside the field.
    exe = tmp / "todistus.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    await page.get_by_label("Tiedosto").set_input_files(str(exe))
    await page.get_by_label("Voimassa alkaen").fill("2026-01-01")
    await page.get_by_label("Voimassa asti").fill(until)
    await page.get_by_role("button", name="Lataa asiakirja").click()
    assert "Tiedosto ei ole PDF, JPEG eikä PNG" in await page.inner_text("main")
    await fits_and_passes_axe(page, shots, "provider-documents-refused")
    await context.close()
