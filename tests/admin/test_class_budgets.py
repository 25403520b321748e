"""The console's "Budjetit luokittain" (issue 17): budgets by service and HB class and the overrides
of computed lines, on the page and in its CSV, are the decisions' own numbers."""

import csv
import datetime as dt
import io

from tests import world
from tests.helpers import login
from tests.voucher.test_hb_classes import CARER, DAY, TRANSPORT, _client_with_classes, _county
from voucher import budgets, hb_classes
from voucher.schemas import DecisionCreate, LineInput


async def _decision(counsellor, client_id: str, *, extra: dict[str, tuple[int, str]] | None = None) -> None:
    start, end = dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    proposal = await hb_classes.proposal(counsellor.actor, client_id, start, end)
    lines = []
    for l in proposal.lines:
        more, reason = (extra or {}).get(l.category, (0, ""))
        lines.append(LineInput(category=l.category, amount_cents=l.computed_cents + more, hb_class=l.hb_class,
                               override_reason=reason))
    await budgets.create_decision(counsellor.actor, client_id, DecisionCreate(start=start, end=end, lines=lines,
                                                                               reason="HB-päätös"))


async def test_the_figures_and_the_csv_are_the_decisions_numbers(app, client, db):
    refs, counsellor = await _county(db)
    first = await _client_with_classes(db, counsellor)
    second = await _client_with_classes(db, counsellor)
    await _decision(counsellor, first)
    # The second client's carer's leave: 342,00 € more than computed (3 420,00 €), with the reason.
    await _decision(counsellor, second, extra={CARER: (34_200, "Kaksi hoidettavaa")})
    # A decision typed by hand (no class) counts under "no class", never as an override.
    manual = await budgets.create_client(counsellor.actor, budgets.ClientCreate(
        display_name="Asiakas 0077", client_group="older_people"), db.settings.secret_key)
    await budgets.create_decision(counsellor.actor, manual.id, DecisionCreate(
        start=dt.date(2027, 1, 1), end=dt.date(2027, 6, 30), lines=[LineInput(category=TRANSPORT, amount_cents=50_000)]))

    admin = await world.make_user("organiser_admin", organiser_id=refs["org-a"])
    await login(client, admin)
    page = await client.get("/organiser/budgets?from=2027-01&to=2027-12")
    assert page.status_code == 200, page.text
    text = page.text
    assert "Budjetit luokittain" in text
    # Carer's leave, class 2: two clients, 3 420,00 + 3 762,00 = 7 182,00 €, on average 3 591,00 €.
    assert "7\xa0182,00\xa0€" in text and "3\xa0591,00\xa0€" in text
    # One line of three computed ones per budget deviates: 1 of 6 lines, 1 of 2 budgets, +342,00 € = +10,0 %.
    assert "Luokista laskettuja rivejä 6, joista poikkeaa 1" in text
    assert "Luokista laskettuja budjetteja 2, joista poikkeaa 1" in text
    assert "10,0 %" in text and "Kaksi hoidettavaa" in text and "Asiakas 0042" in text
    assert "Asiakas 0077" not in text  # no override: not listed

    by_class = await client.get("/organiser/budgets?from=2027-01&to=2027-12&format=csv")
    assert by_class.status_code == 200 and by_class.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(by_class.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Palvelu", "Luokka", "Tunniste", "Asiakkaita"]
    table = {r[2]: r for r in rows[1:]}
    # transport:3 — 10 trips × 18,35 € × 12 = 2 202,00 € each, two clients; transport without a class: 500,00 €.
    assert table[f"{CARER}:2"][3:] == ["2", "2", "7182,00", "3591,00", "1", "342,00"]
    assert table[f"{TRANSPORT}:3"][3:] == ["2", "2", "4404,00", "2202,00", "0", "0,00"]
    assert table[f"{TRANSPORT}:"][3:] == ["1", "1", "500,00", "500,00", "0", "0,00"]
    assert table[f"{DAY}:1"][5] == "8160,00"  # 8 × 42,50 € × 12 = 4 080,00 € each
    overrides = await client.get("/organiser/budgets?from=2027-01&to=2027-12&format=csv&section=overrides")
    [header, line] = list(csv.reader(io.StringIO(overrides.text.lstrip("\ufeff")), delimiter=";"))
    assert header[0] == "Asiakas" and line[0] == "Asiakas 0042"
    assert line[5:] == ["3420,00", "3762,00", "342,00", "10,0", "Kaksi hoidettavaa"]

    # A client group filter leaves the other groups out.
    older = await client.get("/organiser/budgets?from=2027-01&to=2027-12&group=older_people&format=csv")
    assert [r[2] for r in csv.reader(io.StringIO(older.text.lstrip("\ufeff")), delimiter=";")][1:] == [f"{TRANSPORT}:"]
