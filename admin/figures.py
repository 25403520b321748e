"""A figure is a table: the page shows it (and draws a chart from it) and the CSV export writes the
very same rows, so a number on the screen and in the file cannot differ."""

import csv
import io
from typing import Any

import msgspec

from core import i18n

# How a cell is written: text | money (cents) | int | permille (tenths of a per cent) |
# gas (hundredths of a GAS point) | nps (−100…100) | month (a date) | date
KINDS = ("text", "money", "int", "permille", "gas", "nps", "month", "date")


class Column(msgspec.Struct, frozen=True):
    key: str
    label: str  # catalogue key
    kind: str = "text"
    # Written to the CSV only (e.g. the stable id or code behind a row's label).
    csv_only: bool = False


class Figure(msgspec.Struct, kw_only=True):
    """``rows`` are dicts keyed by the columns' keys (plus ``key``, the row's stable id)."""

    id: str
    title: str  # catalogue key
    columns: list[Column]
    rows: list[dict]
    total: dict | None = None
    # Catalogue key of a sentence shown when there are no rows.
    empty: str = "admin.figure.empty"

    @property
    def shown_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.csv_only]


def cents_text(cents: int) -> str:
    """Exact euros with two decimals and a dot, from integer cents (no float on the way)."""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def tenths_text(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(int(value))
    return f"{sign}{value // 10}.{value % 10}"


def hundredths_text(value: int, signed: bool = True) -> str:
    sign = "-" if value < 0 else ("+" if signed and value > 0 else "")
    value = abs(int(value))
    return f"{sign}{value // 100}.{value % 100:02d}"


def plain(kind: str, value: Any) -> str:
    """A cell as the CSV writes it (machine-readable: dot decimals, ISO dates)."""
    if value is None or value == "":
        return ""
    if kind == "money":
        return cents_text(value)
    if kind == "permille":
        return tenths_text(value)
    if kind == "gas":
        return hundredths_text(value)
    if kind == "month":
        return f"{value:%Y-%m}"
    if kind == "date":
        return value.isoformat()
    text = str(value)
    # A spreadsheet must not take a provider's name for a formula.
    return "'" + text if kind == "text" and text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def shown(kind: str, value: Any, lang: str) -> str:
    """A cell as a person reads it on the page, in their language."""
    if value is None or value == "":
        return "–"
    if kind == "money":
        return i18n.money(value, lang)
    if kind == "permille":
        return tenths_text(value).replace(".", "," if lang in ("fi", "sv") else ".") + " %"
    if kind == "gas":
        return hundredths_text(value).replace(".", "," if lang in ("fi", "sv") else ".")
    if kind == "month":
        from babel.dates import format_date

        return format_date(value, format="LLLL y", locale=i18n.LOCALES.get(lang, "fi_FI"))
    if kind == "date":
        return i18n.local_date(value, lang)
    if kind in ("int", "nps"):
        return f"{int(value):,}".replace(",", "\u00a0") if lang in ("fi", "sv") else f"{int(value):,}"
    return str(value)


# Numeric cells the spreadsheet variant writes with the language's decimal sign.
_DECIMAL_KINDS = ("money", "permille", "gas")


def to_csv(figure: Figure, lang: str, *, spreadsheet: bool = True) -> str:
    """The figure as CSV. ``spreadsheet`` (the default, what the pages link to): as Finnish and
    Swedish Excel opens it with a double click — semicolons, decimal commas, a UTF-8 byte-order
    mark. Otherwise the machine-readable variant: commas, dot decimals, ISO dates, no BOM."""
    comma = spreadsheet and lang in ("fi", "sv")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if comma else ",", lineterminator="\r\n")

    def cell(kind: str, value: Any) -> str:
        text = plain(kind, value)
        return text.replace(".", ",") if comma and kind in _DECIMAL_KINDS else text

    writer.writerow([i18n.t(c.label, lang) for c in figure.columns])
    for row in figure.rows:
        writer.writerow([cell(c.kind, row.get(c.key)) for c in figure.columns])
    if figure.total is not None:
        writer.writerow([cell(c.kind, figure.total.get(c.key)) for c in figure.columns])
    return ("\ufeff" if spreadsheet else "") + out.getvalue()  # the BOM makes spreadsheets read UTF-8 (ä, ö, å)
