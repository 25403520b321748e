"""Values as the console's SQL gives them back, made into Python's: ids, instants and days are the
same on SQLite (often text) and PostgreSQL."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from piccolo.querystring import QueryString

from core import db

UTC = dt.timezone.utc
# Rows per INSERT statement (parameters per statement stay well under the databases' limits).
ROWS_PER_INSERT = 100


async def select(sql: str, *args: Any) -> list[dict]:
    """Rows of plain SQL over the console's own tables, through the bound engine."""
    return list(await db.engine().run_querystring(QueryString(sql, *args)) or [])


def as_datetime(value: Any) -> dt.datetime | None:
    """Timestamps come back as datetimes, or (SQLite, computed columns) as ISO text."""
    if value is None or isinstance(value, dt.datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def in_list(values: Iterable[Any]) -> tuple[str, list]:
    """``IN (…)`` placeholders for a list of values (never empty: an impossible NULL instead)."""
    items = list(values)
    if not items:
        return "(NULL)", []
    return "(" + ", ".join("{}" for _ in items) + ")", items


async def insert_new(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert rows whose id is new (a row already there stays as it is)."""
    await upsert(table, columns, rows, conflict="id", add=())


async def upsert(table: str, columns: tuple[str, ...], rows: list[tuple], *, conflict: str, add: tuple[str, ...]) -> None:
    """Insert rows; a row whose ``conflict`` column exists adds its ``add`` columns to the stored
    ones (or, with nothing to add, stays as it is)."""
    action = ("DO UPDATE SET " + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in add)) if add else "DO NOTHING"
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    for i in range(0, len(rows), ROWS_PER_INSERT):
        chunk = rows[i: i + ROWS_PER_INSERT]
        await select(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES " + ", ".join(one for _ in chunk)
            + f" ON CONFLICT ({conflict}) {action}",
            *[v for row in chunk for v in row],
        )
