"""The research export (issue 19, deliverable 5): decisions, spending by category, questionnaire
outcomes, GAS scores and administrative time of the clients whose research consent is in force at
the moment of the export — nobody else's.

* **Pseudonyms per export.** A client appears under ``stats.pseudonym(key, export id, client id)``:
  a keyed hash (the platform's secret) of a new random export id and the client, never the client's
  id; two exports cannot be joined on it.
* **k-anonymity.** The quasi-identifiers (municipality, age band, client group) of every exported
  client must be shared by at least k = 5 clients. If not, the age band is coarsened (0-17/18-64/65+),
  then the municipality replaced by the county's name; if a combination is still rarer, the export is
  refused and nothing is given out (``ExportRefused``).
* **Coarse times.** Days become months (a decision's start and end, an answer's date, a payment's).
* **Audited.** Every export and every refusal is an audit entry with its counts and the steps taken.

Files: ``clients``, ``decisions``, ``spending``, ``outcomes``, ``admin_time`` — as CSV or Parquet in
one ZIP with a ``manifest.json``.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import uuid
import zipfile
from collections import defaultdict

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq

from core import audit
from core.errors import Conflict
from core.identity import Actor
from voucher.evaluation import reads, stats

FORMATS = ("csv", "parquet")
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
FAR = dt.datetime(2200, 1, 1, tzinfo=dt.timezone.utc)

# Each file's columns and their types (Parquet's schema; CSV writes them in this order).
COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "clients": [("pseudonym", pa.string()), ("client_group", pa.string()), ("municipality", pa.string()),
                ("age_band", pa.string())],
    "decisions": [("pseudonym", pa.string()), ("start_month", pa.string()), ("end_month", pa.string()),
                  ("granted_cents", pa.int64())],
    "spending": [("pseudonym", pa.string()), ("month", pa.string()), ("category", pa.string()), ("net_cents", pa.int64())],
    "outcomes": [("pseudonym", pa.string()), ("measure", pa.string()), ("occasion", pa.string()), ("month", pa.string()),
                 ("score", pa.float64()), ("by_proxy", pa.bool_())],
    "admin_time": [("pseudonym", pa.string()), ("month", pa.string()), ("kind", pa.string()), ("minutes", pa.int64())],
}


class ExportRefused(Conflict):
    """k-anonymity cannot be reached even with the coarser age bands and the region."""


class Export(msgspec.Struct, kw_only=True):
    export_id: str
    created_at: dt.datetime
    k: int
    steps: list[str]
    tables: dict[str, list[dict]]


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"hb research export pseudonyms", hashlib.sha256).digest()


def _month(day: dt.date) -> str:
    return f"{day:%Y-%m}"


async def build(actor: Actor, organiser_id: str, region: str, secret: str, now: dt.datetime,
                k: int = stats.DEFAULT_K) -> Export:
    """The export of the county's consenting clients, or ``ExportRefused`` (both audited)."""
    consenting = await reads.consenting(organiser_id)
    clients = {c: facts for c, facts in (await reads.hb_clients(organiser_id)).items() if c in consenting}
    anonymity = stats.k_anonymise(clients, region, k)
    details = {"clients": len(clients), "k": k, "steps": anonymity.steps}
    if anonymity.refused:
        await audit.record(actor, "evaluation.export.refused", "organiser", organiser_id, organiser_id=organiser_id,
                           details={**details, "small_classes": len(anonymity.small_classes)})
        raise ExportRefused("evaluation.export.refused", k=k, classes=len(anonymity.small_classes))
    export_id = uuid.uuid4().hex
    key = _key(secret)
    names = {c: stats.pseudonym(key, export_id, c) for c in clients}

    tables: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    tables["clients"] = sorted(({"pseudonym": names[c], **anonymity.people[c]} for c in clients),
                               key=lambda r: r["pseudonym"])
    for d in await reads.decisions(organiser_id):
        if d["client_id"] in names:
            tables["decisions"].append({"pseudonym": names[d["client_id"]], "start_month": _month(d["start"]),
                                        "end_month": _month(d["end"]), "granted_cents": d["granted_cents"]})
    spent: dict[tuple, int] = defaultdict(int)
    for s in await reads.spending(organiser_id, EPOCH, FAR):
        if s["client_id"] in names:
            spent[(names[s["client_id"]], _month(s["month"]), s["category"])] += s["cents"]
    tables["spending"] = [{"pseudonym": p, "month": m, "category": c, "net_cents": v} for (p, m, c), v in spent.items()]
    for a in await reads.answers(organiser_id):
        client_id = str(a.client_id)
        if client_id in names and a.score is not None:
            tables["outcomes"].append({"pseudonym": names[client_id], "measure": a.questionnaire_key,
                                       "occasion": a.occasion, "month": _month(a.answered_on),
                                       "score": float(a.score), "by_proxy": bool(a.by_proxy)})
    goal_labels: dict[str, str] = {}
    goals_of: dict[str, int] = defaultdict(int)
    for g in sorted(await reads.goal_scores(organiser_id, names), key=lambda r: r["scored_at"]):
        if g["goal_id"] not in goal_labels:
            goals_of[g["client_id"]] += 1
            goal_labels[g["goal_id"]] = f"goal_{goals_of[g['client_id']]}"
        tables["outcomes"].append({"pseudonym": names[g["client_id"]], "measure": "gas",
                                   "occasion": goal_labels[g["goal_id"]], "month": _month(reads.helsinki_month(g["scored_at"])),
                                   "score": float(g["score"]), "by_proxy": False})
    minutes: dict[tuple, int] = defaultdict(int)
    for e in await reads.time_entries(organiser_id, dt.date(2000, 1, 1), dt.date(2200, 1, 1)):
        if e["client_id"] in names:
            minutes[(names[e["client_id"]], _month(e["worked_on"]), e["kind"])] += e["minutes"]
    tables["admin_time"] = [{"pseudonym": p, "month": m, "kind": kind, "minutes": v} for (p, m, kind), v in minutes.items()]
    for name, rows in tables.items():
        rows.sort(key=lambda r: tuple(str(r[c]) for c, _ in COLUMNS[name]))
    await audit.record(actor, "evaluation.export.made", "organiser", organiser_id, organiser_id=organiser_id,
                       details={**details, "export": export_id, **{name: len(rows) for name, rows in tables.items()}})
    return Export(export_id=export_id, created_at=now, k=k, steps=anonymity.steps, tables=tables)


def manifest(export: Export, fmt: str) -> dict:
    return {"format": fmt, "created_at": export.created_at.isoformat(), "k": export.k,
            "coarsened": export.steps, "rows": {name: len(rows) for name, rows in export.tables.items()},
            "pseudonyms": "a keyed hash per export: the same client has another pseudonym in every export"}


def to_zip(export: Export, fmt: str) -> bytes:
    """The export's files in one ZIP: ``<name>.csv`` (comma, UTF-8) or ``<name>.parquet``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest(export, fmt), indent=2, ensure_ascii=False))
        for name, columns in COLUMNS.items():
            rows = export.tables[name]
            if fmt == "parquet":
                schema = pa.schema(columns)
                table = pa.Table.from_pylist(rows, schema=schema)
                buffer = io.BytesIO()
                pq.write_table(table, buffer)
                archive.writestr(f"{name}.parquet", buffer.getvalue())
            else:
                text = io.StringIO()
                writer = csv.writer(text, lineterminator="\r\n")
                writer.writerow([c for c, _ in columns])
                for row in rows:
                    writer.writerow([_cell(row[c]) for c, _ in columns])
                archive.writestr(f"{name}.csv", text.getvalue())
    return out.getvalue()


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
