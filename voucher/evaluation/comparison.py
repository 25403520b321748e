"""The comparison group (issue 19, deliverable 3): clients of the county's traditional services,
imported as a CSV from the county's systems — the format is in the README ("Comparison group CSV").

The import is checked whole before anything is written: every row and field with a problem is
reported (``FieldError`` with ``ref`` = N, the line of the file as text), and then nothing is written.
A valid file is written in one transaction. It is idempotent: a client is found again by its
pseudonym and a month by the pseudonym and the month, so importing the same file again changes
nothing, and a corrected file updates what it names. Clients and months the file does not name stay.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import msgspec

from core import audit, db
from core.errors import FieldError, Invalid
from core.identity import Actor
from core.ids import as_uuid
from voucher.budgets import CLIENT_GROUPS
from voucher.evaluation import scoring
from voucher.evaluation.stats import AGE_BANDS, DEFAULT_MIN_GROUP_SIZE
from voucher.tables import ComparisonClient, ComparisonMonth, EvaluationSettings

REQUIRED = ("pseudonym", "client_group", "municipality", "age_band", "month", "service_cost_cents")
OPTIONAL = ("admin_minutes", "who5_start", "who5_end", "satisfaction", "gas_change")
# Columns that describe the client, not the month: every row of one pseudonym must agree on them.
CLIENT_COLUMNS = ("client_group", "municipality", "age_band", "who5_start", "who5_end", "satisfaction", "gas_change")
MAX_ROWS = 200_000
MAX_CENTS = 10**12
MAX_MINUTES = 100_000
PSEUDONYM = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# A Finnish personal identity code (ddmmyy, century sign, 3 digits, check character): never a pseudonym.
IDENTITY_CODE = re.compile(r"^\d{6}[-+A-FUVWXY]\d{3}[0-9A-Y]$", re.IGNORECASE)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
COMPARISON_LOCK = 0x68625F636D70  # "hb_cmp": PostgreSQL advisory lock key of the comparison import


class Row(msgspec.Struct, kw_only=True):
    line: int
    pseudonym: str
    client_group: str
    municipality: str
    age_band: str
    month: dt.date
    service_cost_cents: int
    admin_minutes: int
    who5_start: int | None
    who5_end: int | None
    satisfaction_x100: int | None
    gas_change_x100: int | None


class ImportSummary(msgspec.Struct, kw_only=True):
    rows: int
    clients_created: int = 0
    clients_updated: int = 0
    months_created: int = 0
    months_updated: int = 0
    unchanged: int = 0


def who5_score(text: str) -> int | None:
    """WHO-5 as the CSV gives it: a score 0–100 (a multiple of 4), or the five answers 0–5
    separated by spaces (then raw sum × 4). None when it is not one of these."""
    parts = text.split()
    if len(parts) == scoring.WHO5_ITEMS and all(p.isdigit() for p in parts):
        try:
            return scoring.who5_score([int(p) for p in parts])
        except ValueError:
            return None
    if len(parts) == 1 and parts[0].isdigit() and int(parts[0]) <= 100 and int(parts[0]) % 4 == 0:
        return int(parts[0])
    return None


def _hundredths(text: str) -> int | None:
    match = re.fullmatch(r"([+-]?)(\d)(?:[.,](\d{1,2}))?", text)
    if not match:
        return None
    value = int(match.group(2)) * 100 + int((match.group(3) or "0").ljust(2, "0"))
    return -value if match.group(1) == "-" else value


def parse(text: str) -> tuple[list[Row], list[FieldError]]:
    """The file's rows, and every problem with them (ref N = line N of the file, the header is 1)."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [FieldError(field="file", key="evaluation.csv.empty", ref="1")]
    errors: list[FieldError] = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    for column in missing:
        errors.append(FieldError(field=column, key="evaluation.csv.missing_column", params={"column": column}, ref="1"))
    for column in unknown:
        errors.append(FieldError(field=column, key="evaluation.csv.unknown_column", params={"column": column}, ref="1"))
    if errors:
        return [], errors
    rows: list[Row] = []
    seen_months: dict[tuple[str, dt.date], int] = {}
    clients: dict[str, dict[str, Any]] = {}
    for index, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(FieldError(field="file", key="evaluation.csv.too_many_rows", params={"max": MAX_ROWS},
                                     ref=str(index)))
            break
        if len(values) != len(header):
            errors.append(FieldError(field="file", key="evaluation.csv.columns", ref=str(index),
                                     params={"expected": len(header), "found": len(values)}))
            continue
        cells = {h: v.strip() for h, v in zip(header, values)}
        row, row_errors = _row(index, cells)
        errors += row_errors
        if row is None:
            continue
        key = (row.pseudonym, row.month)
        if key in seen_months:
            errors.append(FieldError(field="month", key="evaluation.csv.duplicate_month", ref=str(index),
                                     params={"row": seen_months[key]}))
            continue
        seen_months[key] = index
        facts = {"client_group": row.client_group, "municipality": row.municipality, "age_band": row.age_band,
                 "who5_start": row.who5_start, "who5_end": row.who5_end, "satisfaction": row.satisfaction_x100,
                 "gas_change": row.gas_change_x100}
        known = clients.setdefault(row.pseudonym, {"line": index, **facts})
        for column, value in facts.items():
            if value is None or value == "":
                continue
            if known.get(column) in (None, ""):
                known[column] = value
            elif known[column] != value:
                errors.append(FieldError(field=column, key="evaluation.csv.disagrees", ref=str(index),
                                         params={"row": known["line"]}))
        rows.append(row)
    if not rows and not errors:
        errors.append(FieldError(field="file", key="evaluation.csv.empty", ref="1"))
    # Outcomes given on one row of a client count for all of its rows.
    for row in rows:
        known = clients[row.pseudonym]
        row.who5_start, row.who5_end = known["who5_start"], known["who5_end"]
        row.satisfaction_x100, row.gas_change_x100 = known["satisfaction"], known["gas_change"]
    return rows, errors


def _row(index: int, cells: dict[str, str]) -> tuple[Row | None, list[FieldError]]:
    errors: list[FieldError] = []

    def bad(field: str, key: str, **params: Any) -> None:
        errors.append(FieldError(field=field, key=key, params=params, ref=str(index)))

    pseudonym = cells["pseudonym"]
    if not pseudonym:
        bad("pseudonym", "field.required")
    elif IDENTITY_CODE.match(pseudonym):
        bad("pseudonym", "evaluation.csv.identity_code")
    elif not PSEUDONYM.match(pseudonym):
        bad("pseudonym", "evaluation.csv.pseudonym")
    if cells["client_group"] not in CLIENT_GROUPS:
        bad("client_group", "field.choice", choices=", ".join(CLIENT_GROUPS))
    if not cells["municipality"]:
        bad("municipality", "field.required")
    elif len(cells["municipality"]) > 100:
        bad("municipality", "field.too_long", max=100)
    if cells["age_band"] not in AGE_BANDS:
        bad("age_band", "field.choice", choices=", ".join(AGE_BANDS))
    month = None
    match = MONTH.match(cells["month"])
    if match and 1 <= int(match.group(2)) <= 12 and 2000 <= int(match.group(1)) <= 2100:
        month = dt.date(int(match.group(1)), int(match.group(2)), 1)
    else:
        bad("month", "evaluation.csv.month")
    cost = _whole(cells["service_cost_cents"], 0, MAX_CENTS)
    if cost is None:
        bad("service_cost_cents", "field.range", min=0, max=MAX_CENTS)
    minutes = _whole(cells.get("admin_minutes") or "0", 0, MAX_MINUTES)
    if minutes is None:
        bad("admin_minutes", "field.range", min=0, max=MAX_MINUTES)
    who5 = {}
    for column in ("who5_start", "who5_end"):
        value = cells.get(column) or ""
        who5[column] = who5_score(value) if value else None
        if value and who5[column] is None:
            bad(column, "evaluation.csv.who5")
    satisfaction = None
    if cells.get("satisfaction"):
        satisfaction = _hundredths(cells["satisfaction"])
        if satisfaction is None or not 100 <= satisfaction <= 500:
            bad("satisfaction", "evaluation.csv.satisfaction")
    gas = None
    if cells.get("gas_change"):
        gas = _hundredths(cells["gas_change"])
        if gas is None or abs(gas) > 400:
            bad("gas_change", "evaluation.csv.gas")
    if errors:
        return None, errors
    return Row(line=index, pseudonym=pseudonym, client_group=cells["client_group"], municipality=cells["municipality"],
               age_band=cells["age_band"], month=month, service_cost_cents=cost, admin_minutes=minutes,
               who5_start=who5["who5_start"], who5_end=who5["who5_end"], satisfaction_x100=satisfaction,
               gas_change_x100=gas), []


def _whole(text: str, low: int, high: int) -> int | None:
    if not re.fullmatch(r"\d{1,13}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


async def import_csv(actor: Actor, organiser_id: str, data: bytes,
                     progress: Callable[[str], None] | None = None) -> ImportSummary:
    """Check the whole file, then write it in one transaction, or raise ``Invalid`` with every
    problem (nothing written)."""
    say = progress or (lambda _message: None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("evaluation.csv.invalid", field="file",
                      errors=[FieldError(field="file", key="evaluation.csv.encoding", ref="1")]) from None
    rows, errors = parse(text)
    if errors:
        raise Invalid("evaluation.csv.invalid", field=errors[0].field, errors=errors)
    say(f"{len(rows)} row(s) checked, {len({r.pseudonym for r in rows})} client(s); writing.")
    summary = ImportSummary(rows=len(rows))
    organiser = as_uuid(organiser_id)

    async def write() -> None:
        # One comparison import at a time (PostgreSQL; SQLite's BEGIN IMMEDIATE serialises writers
        # already): a second upload of the same file waits, then finds every row and changes nothing.
        if not db.is_sqlite():
            await ComparisonClient.raw("SELECT pg_advisory_xact_lock({})", COMPARISON_LOCK).run()
        summary.clients_created = summary.clients_updated = summary.months_created = summary.months_updated = 0
        summary.unchanged = 0
        stored = {r["key"]: r for r in await ComparisonClient.select().where(
            ComparisonClient.organiser_id == organiser).run()}
        client_ids: dict[str, Any] = {}
        for row in rows:
            if row.pseudonym in client_ids:
                continue
            key = f"{organiser_id}:{row.pseudonym}"
            values = {"client_group": row.client_group, "municipality": row.municipality, "age_band": row.age_band,
                      "who5_start": row.who5_start, "who5_end": row.who5_end, "satisfaction_x100": row.satisfaction_x100,
                      "gas_change_x100": row.gas_change_x100}
            current = stored.get(key)
            if current is None:
                created = ComparisonClient(key=key, organiser_id=organiser, pseudonym=row.pseudonym, **values)
                await created.save().run()
                client_ids[row.pseudonym] = created.id
                summary.clients_created += 1
                continue
            client_ids[row.pseudonym] = current["id"]
            if any(current[k] != v for k, v in values.items()):
                await ComparisonClient.update({**values, "updated_at": dt.datetime.now(dt.timezone.utc)}).where(
                    ComparisonClient.id == current["id"]).run()
                summary.clients_updated += 1
        months = {r["key"]: r for r in await ComparisonMonth.select().where(
            ComparisonMonth.organiser_id == organiser).run()}
        new = []
        for number, row in enumerate(rows, start=1):
            key = f"{organiser_id}:{row.pseudonym}:{row.month:%Y-%m}"
            current = months.get(key)
            if current is None:
                new.append(ComparisonMonth(key=key, organiser_id=organiser, comparison_client_id=client_ids[row.pseudonym],
                                           month=row.month, service_cost_cents=row.service_cost_cents,
                                           admin_minutes=row.admin_minutes))
                summary.months_created += 1
            elif (int(current["service_cost_cents"]), int(current["admin_minutes"])) != (row.service_cost_cents, row.admin_minutes):
                await ComparisonMonth.update({ComparisonMonth.service_cost_cents: row.service_cost_cents,
                                              ComparisonMonth.admin_minutes: row.admin_minutes}).where(
                    ComparisonMonth.id == current["id"]).run()
                summary.months_updated += 1
            else:
                summary.unchanged += 1
            if number % 5000 == 0:
                say(f"{number}/{len(rows)} row(s) written.")
        for i in range(0, len(new), 500):
            await ComparisonMonth.insert(*new[i:i + 500]).run()
        await audit.record(actor, "evaluation.comparison.imported", "organiser", organiser_id, organiser_id=organiser_id,
                           details=msgspec.to_builtins(summary))

    await db.in_write_transaction(write)
    return summary


# --- The county's setting: the minimum group size ----------------------------------------------------

MIN_GROUP_SIZE_RANGE = (1, 100)


async def min_group_size(organiser_id: str) -> int:
    """Below this many clients a figure of the evaluation is suppressed (default 5)."""
    row = await EvaluationSettings.select(EvaluationSettings.min_group_size).where(
        EvaluationSettings.organiser_id == as_uuid(organiser_id)).first().run()
    return int(row["min_group_size"]) if row else DEFAULT_MIN_GROUP_SIZE


async def set_min_group_size(actor: Actor, organiser_id: str, value: str) -> int:
    low, high = MIN_GROUP_SIZE_RANGE
    text = str(value or "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise Invalid("error.invalid", field="min_group_size",
                      errors=[FieldError(field="min_group_size", key="field.range", params={"min": low, "max": high})])
    size = int(text)

    async def write() -> None:
        organiser = as_uuid(organiser_id)
        if await EvaluationSettings.exists().where(EvaluationSettings.organiser_id == organiser).run():
            await EvaluationSettings.update({EvaluationSettings.min_group_size: size,
                                             EvaluationSettings.updated_at: dt.datetime.now(dt.timezone.utc)}).where(
                EvaluationSettings.organiser_id == organiser).run()
        else:
            await EvaluationSettings(organiser_id=organiser, min_group_size=size).save().run()
        await audit.record(actor, "evaluation.settings.changed", "organiser", organiser_id, organiser_id=organiser_id,
                           details={"min_group_size": size})

    await db.in_write_transaction(write)
    return size
